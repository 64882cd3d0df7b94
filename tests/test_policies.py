"""Policies across systems: what each covers (chapters, categories, PCS sections, HCPCS letters, CPT ranges),
the order code pages list them in, their pages and index, and the validation of their codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURE_CONTENT, FIXTURE_ICD10CM, edit, problems_of, write_cms_fixture_data

from generator.codes import RangeError, parse_scope
from generator.official import OfficialCodes, load_official
from generator.pages import page_builders, policies as policy_module
from generator.pages.common import PageSettings
from generator.relations import Catalog
from generator.settings import SiteSettings
from generator.validate import load_content


@pytest.fixture(scope="module")
def official(tmp_path_factory: pytest.TempPathFactory) -> OfficialCodes:
    cms_data = write_cms_fixture_data(tmp_path_factory.mktemp("cms-data"))
    return load_official(("cpt", "icd10cm", "icd10pcs", "hcpcs"), cms_data=cms_data,
                         icd10cm_xml=FIXTURE_ICD10CM, verify=False)


@pytest.fixture(scope="module")
def catalog(official: OfficialCodes) -> Catalog:
    return Catalog(load_content(FIXTURE_CONTENT, shown_root=FIXTURE_CONTENT.parent, official=official), official)


def ids(policies: tuple) -> list[str]:
    return [policy.id for policy in policies]


@pytest.mark.parametrize("system, text, inside, outside", [
    ("icd10cm", "A00-Z99", ["E11.65", "S72.001A"], []),          # a whole system as a range of categories
    ("icd10cm", "E00-E89", ["E11.65", "E36.8"], ["S72.001A"]),   # a chapter
    ("icd10cm", "E11", ["E11", "E11.65", "E11.649"], ["E10.9", "E36.8"]),  # a category holds its codes
    ("icd10pcs", "0", ["0DTJ4ZZ", "0VT00ZE"], ["XW03308"]),       # a section
    ("icd10pcs", "0DT", ["0DTJ4ZZ"], ["0DDU0ZZ"]),                # a table
    ("icd10pcs", "0-X", ["0DTJ4ZZ", "XW03308"], []),
    ("hcpcs", "J", ["J9035"], ["A0384", "C9089"]),                # a letter
    ("hcpcs", "A0021-A0999", ["A0384"], ["A4216"]),
    ("cpt", "99202-99215", ["99213"], ["99221", "0100F"]),
    ("hcpcs", "modifiers", [], ["J9035", "modifier-GY"]),  # a group, resolved by the catalog (below)
])
def test_scopes_hold_what_they_name(system: str, text: str, inside: list[str], outside: list[str]) -> None:
    scope = parse_scope(system, text)
    assert all(code in scope for code in inside)
    assert not any(code in scope for code in outside)


@pytest.mark.parametrize("system, text, message", [
    ("icd10pcs", "0DTJ4ZZZ", "malformed code '0DTJ4ZZZ' in '0DTJ4ZZZ': not a ICD-10-PCS code (e.g. 0DTJ4ZZ) or a code prefix"),
    ("hcpcs", "X-A", "malformed range 'X-A': X comes after A"),
    ("cpt", "992", "malformed code '992' in '992': not a CPT code (e.g. 96417)"),
    ("icd10cm", "E11-E12-E13", "malformed range 'E11-E12-E13': expected 'FIRST-LAST'"),
])
def test_malformed_scopes_are_refused_with_a_reason(system: str, text: str, message: str) -> None:
    with pytest.raises(RangeError) as error:
        parse_scope(system, text)
    assert str(error.value) == message


def test_policies_for_a_code_in_page_order(catalog: Catalog) -> None:
    # ICD-10-CM: guidelines first, the narrowest (chapter 4) before the one for every code; then coverage.
    assert ids(catalog.policies_for("icd10cm", "E11.65")) == [
        "guidelines-cm-chapter-4", "guidelines-cm-all", "ncd-fixture-diabetes-drug"]
    assert ids(catalog.policies_for("icd10cm", "S72.001A")) == ["guidelines-cm-all"]
    assert ids(catalog.policies_for("icd10pcs", "0DTJ4ZZ")) == ["guidelines-pcs-medical-surgical"]
    assert ids(catalog.policies_for("icd10pcs", "XW03308")) == []
    # HCPCS and CPT: coverage before payment manuals.
    assert ids(catalog.policies_for("hcpcs", "J9035")) == [
        "ncd-fixture-diabetes-drug", "manual-drugs-j", "ncci-fixture-general"]
    assert ids(catalog.policies_for("hcpcs", "C9089")) == ["manual-drugs-j", "ncci-fixture-general"]
    # "modifiers" holds every modifier page and nothing else; a letter prefix holds no modifier ("J" and JW).
    assert ids(catalog.policies_for("hcpcs", "modifier-GY")) == ["ncci-fixture-general"]
    assert ids(catalog.policies_for("cpt", "96417")) == ["mcd-a58532", "cms-manual-drug-admin"]
    reach = catalog.policy_reach
    everywhere = next(policy for policy in catalog.content.policies if policy.id == "guidelines-cm-all")
    assert reach.everywhere(everywhere, "icd10cm") and reach.count(everywhere, "icd10cm") == reach.total("icd10cm")


def _page(catalog: Catalog, system: str, code: str):
    settings = PageSettings(catalog, SiteSettings(), ("assets/omc.css",))
    builder = next(builder for builder in page_builders(catalog, settings) if builder.system == system)
    return builder.code_page(code)


def test_broad_documents_are_short_lines_and_specific_ones_whole(catalog: Catalog,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(policy_module, "SPECIFIC_LIMIT", 10)  # chapter 4 of the fixture holds 11 code pages
    page = _page(catalog, "icd10cm", "E11.65")
    chapter, ncd = page.policies
    assert (chapter.kind, chapter.title, chapter.href, chapter.source) == (
        "Guideline", "Fixture ICD-10-CM Guidelines, I.C.4", "../policies/guidelines-cm-chapter-4.html", "")
    assert (ncd.kind, ncd.href, ncd.source) == (
        "National coverage determination", "https://www.cms.gov/medicare-coverage-database/view/ncd.aspx?ncdid=99901",
        "CMS, NCD 999.1, Effective 2024-03-01")
    # A general document (for every code here) is not repeated on the page when narrower ones apply ...
    assert page.policies_everywhere is None
    # ... and is the one link when nothing narrower does.
    only = _page(catalog, "icd10cm", "S72.001A")
    assert only.policies == ()
    assert (only.policies_everywhere.label, only.policies_everywhere.href) == (
        "1 general document for ICD-10-CM codes", "../policies/index.html#general-icd10cm")
    # A document without a verified date shows none.
    drug = _page(catalog, "hcpcs", "C9089")
    assert [line.source for line in drug.policies] == ["CMS, Pub. 100-04, Chapter 17"]
    modifier = _page(catalog, "hcpcs", "modifier-GY")
    assert modifier.policies_everywhere.label == "1 general document for HCPCS Level II codes"


def test_policy_pages_and_index_in_built_site(site: Path) -> None:
    index = (site / "policies/index.html").read_text(encoding="utf-8")
    assert 'id="general-icd10cm"' in index
    assert 'href="guidelines-cm-all.html"' in index and "ICD-10-CM: 49 code pages (all)" in index
    assert "Payer policies" not in index and "Billing articles (1)" in index
    page = (site / "policies/ncd-fixture-diabetes-drug.html").read_text(encoding="utf-8")
    assert 'href="../icd10cm/E11.html"' in page and 'href="../hcpcs/J9035.html"' in page
    assert "https://www.cms.gov/medicare-coverage-database/view/ncd.aspx?ncdid=99901" in page
    chapter = (site / "policies/guidelines-cm-chapter-4.html").read_text(encoding="utf-8")
    assert 'href="../search.html?q=E00-E89"' in chapter
    # A code page links the index anchor, and the site's navigation has the index.
    assert 'href="../policies/index.html#general-icd10cm"' in (site / "icd10cm/S72.001A.html").read_text(encoding="utf-8")
    assert 'href="policies/index.html"' in (site / "index.html").read_text(encoding="utf-8")


def test_policy_codes_must_hold_official_codes(content_dir: Path, official: OfficialCodes) -> None:
    policies = content_dir / "policies"
    edit(policies / "ncd-fixture-diabetes-drug.yaml", 'icd10cm: ["E11"]', 'icd10cm: ["E12", "U98-U99"]')
    edit(policies / "ncd-fixture-diabetes-drug.yaml", 'hcpcs: ["J9035"]', 'hcpcs: ["J99"]\n  icd10pcs: ["0DTJ4ZZZ"]')
    edit(policies / "manual-drugs-j.yaml", "identifier:", "date_type: revised\nidentifier:")
    edit(policies / "cms-manual-drug-admin.yaml", 'cpt: ["96360-96549"]', 'cpt: ["96360-99999"]')
    edit(policies / "mcd-a58532.yaml", "url: https://", "url: http://")
    assert problems_of(content_dir, official) == [
        "content/policies/cms-manual-drug-admin.yaml:9: codes.cpt[0]: '96360-99999' lies in no family of "
        "content/families/cpt.yaml",
        "content/policies/manual-drugs-j.yaml:4: date: `date_type` needs `date` beside it",
        "content/policies/mcd-a58532.yaml:5: url: 'http://www.cms.gov/medicare-coverage-database/view/article… "
        "is not an https:// URL",
        "content/policies/ncd-fixture-diabetes-drug.yaml:11: codes.icd10pcs[0]: malformed code '0DTJ4ZZZ' in "
        "'0DTJ4ZZZ': not a ICD-10-PCS code (e.g. 0DTJ4ZZ) or a code prefix",
    ]  # a file whose fields are wrong is not checked further: its codes are checked once they are right
    for name in ("manual-drugs-j.yaml", "mcd-a58532.yaml"):
        (policies / name).write_text((FIXTURE_CONTENT / "policies" / name).read_text(encoding="utf-8"), encoding="utf-8")
    edit(policies / "ncd-fixture-diabetes-drug.yaml", 'icd10pcs: ["0DTJ4ZZZ"]', 'icd10pcs: ["0DTJ"]')
    edit(policies / "cms-manual-drug-admin.yaml", 'cpt: ["96360-99999"]', 'cpt: ["96360-96549"]')
    assert problems_of(content_dir, official) == [
        "content/policies/ncd-fixture-diabetes-drug.yaml:9: codes.icd10cm[0]: unknown code 'E12'",
        "content/policies/ncd-fixture-diabetes-drug.yaml:9: codes.icd10cm[1]: no ICD-10-CM code lies in 'U98-U99'",
        "content/policies/ncd-fixture-diabetes-drug.yaml:10: codes.hcpcs[0]: no HCPCS Level II code lies in 'J99'",
    ]


def test_policy_url_form_and_one_record_per_cited_part(content_dir: Path) -> None:
    policies = content_dir / "policies"
    edit(policies / "mcd-a58532.yaml", "url: https://www.cms.gov/", "url: https://localhost/")
    # Two records may cite one document for different sections, but not for the same one.
    edit(policies / "guidelines-cm-all.yaml", "section: Sections I.A and I.B", "section: Section I.C.4")
    assert problems_of(content_dir) == [
        "content/policies/guidelines-cm-chapter-4.yaml:5: url: the same document for 'Section I.C.4' as "
        "content/policies/guidelines-cm-all.yaml",
        "content/policies/mcd-a58532.yaml:5: url: 'https://localhost/medicare-coverage-database/view/article.aspx?"
        "articleid=58532' has no host name",
    ]


def test_check_links_reports_broken_urls_and_skips_without_a_network(monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from generator import links
    from generator.cli import main

    asked: list[str] = []

    def fake_fetch(url: str) -> links.LinkResult:
        asked.append(url)
        return links.LinkResult(url, 404 if "58532" in url else 200)

    content = load_content(FIXTURE_CONTENT, shown_root=FIXTURE_CONTENT.parent)
    results = links.check_links(content.policies, fetch=fake_fetch)
    assert len(asked) == len(set(asked)) == len({policy.url for policy in content.policies})  # each URL once
    assert [policy.id for policy, result in results if not result.ok] == ["mcd-a58532"]

    monkeypatch.setattr(links, "network_available", lambda host="www.cms.gov": False)
    assert main(["--content", str(FIXTURE_CONTENT), "--systems", "cpt", "check-links"]) == 0
    assert "no network here" in capsys.readouterr().out

    monkeypatch.setattr(links, "network_available", lambda host="www.cms.gov": True)
    monkeypatch.setattr(links, "fetch_status", fake_fetch)
    assert main(["--content", str(FIXTURE_CONTENT), "--systems", "cpt", "check-links"]) == 1
    out = capsys.readouterr().out
    assert "content/policies/mcd-a58532.yaml: url: HTTP 404: https://www.cms.gov/medicare-coverage-database" in out
    assert out.rstrip().endswith("broken") and ", 1 broken" in out


def test_policy_url_that_could_end_an_attribute_is_refused(content_dir: Path) -> None:
    edit(content_dir / "policies/mcd-a58532.yaml", "articleid=58532", 'articleid=58532"><img/src=x/onerror=alert(1)>')
    assert problems_of(content_dir) == [
        "content/policies/mcd-a58532.yaml:5: url: 'https://www.cms.gov/medicare-coverage-database/view/article.aspx?"
        "articleid=58532\"><img/src=x/onerror=alert(1)>' contains a character a URL may not hold unescaped "
        "(< > \" ' \\ `)"]


def test_cpt_range_across_code_sets_is_refused() -> None:
    with pytest.raises(RangeError, match="are codes of different CPT sets"):
        parse_scope("cpt", "0001F-99499")
