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
REQUIRED_POLICY_URLS = {
    "https://www.cms.gov/Regulations-and-Guidance/Guidance/Manuals/Downloads/clm104c12.pdf",
    "https://www.cms.gov/medicare-coverage-database/view/article.aspx?articleid=58532",
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
    sections = [field.name for field in CODE_RECORD.fields if field.section]
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
