"""The project's own content/ folder: valid, documented, and complete for the required codes."""

from __future__ import annotations

import pytest
from conftest import PROJECT

from generator.errors import InvalidContent
from generator.official import OFFICIAL_SYSTEMS, OfficialCodes, load_official
from generator.schema import CODE_RECORD, DOCUMENTED, reference_page
from generator.validate import load_content

#: The drug-administration codes the site launched with; each must have every section filled.
REQUIRED_CODES = ["96409", "96411", "96413", "96415", "96416", "96417", "96365", "96366", "96367", "96368", "96374", "96375"]
#: (The contractor article A58532 that the first issue named was removed: its URL appears in no stored copy.)
REQUIRED_POLICY_URLS = {
    "https://www.cms.gov/Regulations-and-Guidance/Guidance/Manuals/Downloads/clm104c12.pdf",
}


@pytest.fixture(scope="module")
def official() -> OfficialCodes:
    """The official releases the records refer to (checksums and counts verified)."""
    return load_official(OFFICIAL_SYSTEMS)


def test_content_is_valid(official: OfficialCodes) -> None:
    try:
        load_content(PROJECT / "content", official=official)
    except InvalidContent as error:
        pytest.fail("\n".join(str(problem) for problem in error.problems))


def test_required_codes_have_every_section(official: OfficialCodes) -> None:
    content = load_content(PROJECT / "content", official=official)
    # Sections for conditions and for groups of codes do not fit a single procedure code.
    not_for_a_procedure = {"symptoms", "causes", "diagnosis", "treatment", "known_procedures", "approaches",
                           "codes_distinguish"}
    sections = [field.name for field in CODE_RECORD.fields if field.section and field.name not in not_for_a_procedure]
    for code in REQUIRED_CODES:
        record = content.records[("cpt", code)]
        missing = [name for name in sections if not record.sections.get(name)]
        assert not missing, f"{code} lacks {missing}"
        assert not record.draft


def test_required_policies_present(official: OfficialCodes) -> None:
    content = load_content(PROJECT / "content", official=official)
    assert REQUIRED_POLICY_URLS <= {policy.url for policy in content.policies}


def test_schema_reference_page_is_current() -> None:
    """content/SCHEMA.md is generated from generator/schema.py; regenerate with `make schema-doc`."""
    assert (PROJECT / "content/SCHEMA.md").read_text(encoding="utf-8") == reference_page()


def test_every_declared_field_is_documented() -> None:
    page = reference_page()
    for _title, _where, schema in DOCUMENTED:
        for field in schema.fields:
            assert f"| `{field.name}` |" in page


def _cpt_numbers() -> list[str]:
    """Every CPT-shaped number: Category I 00100-99607, Category II F, Category III T and PLA U codes."""
    numbers = [f"{number:05d}" for number in range(100, 99608)]
    numbers += [f"{number:04d}F" for number in range(1, 10000)]
    numbers += [f"{number:04d}{kind}" for kind in "TU" for number in range(1, 1000)]
    return numbers


def test_cpt_families_cover_the_whole_code_space(official: OfficialCodes) -> None:
    """Every CPT number falls in exactly one leaf family (assigned or marked unassigned), families nested."""
    from generator.relations import Catalog, family_ancestors

    catalog = Catalog(load_content(PROJECT / "content", official=official), official)
    families = catalog.families("cpt")
    parent, children = catalog.family_tree("cpt")
    leaves = [family for family in families if family not in children]
    assert len([leaf for leaf in leaves if not leaf.unassigned]) >= 250
    numbers = sorted(_cpt_numbers())  # CPT codes have no dots: code order is string order
    chains = catalog.family_chains("cpt", numbers)
    holders = {number: sum(1 for family in chains.get(number, ()) if family not in children) for number in numbers}
    uncovered = [number for number, count in holders.items() if count == 0]
    doubled = [number for number, count in holders.items() if count > 1]
    assert (uncovered[:10], len(uncovered)) == ([], 0)
    assert (doubled[:10], len(doubled)) == ([], 0)
    assert all(family.summary for family in families), "every family has a summary"
    # Nested: sections hold subsections hold families (at least three levels somewhere).
    assert max(len(family_ancestors(parent, family)) for family in families) >= 2
