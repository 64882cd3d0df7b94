"""Plain language inherited through the hierarchy (issue 11): own record wins, nearest group wins, label and link."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURE_CONTENT, FIXTURE_ICD10CM, write_cms_fixture_data

from generator.official import OfficialCodes, load_official
from generator.pages import page_builders
from generator.pages.common import PageSettings
from generator.relations import Catalog
from generator.settings import SiteSettings
from generator.validate import load_content


@pytest.fixture(scope="module")
def official(tmp_path_factory: pytest.TempPathFactory) -> OfficialCodes:
    cms_data = write_cms_fixture_data(tmp_path_factory.mktemp("cms-data"))
    return load_official(("icd10cm", "icd10pcs", "hcpcs"), cms_data=cms_data, icd10cm_xml=FIXTURE_ICD10CM, verify=False)


def _record(content: Path, system: str, code: str, name: str, summary: str | None = None) -> None:
    text = f'code: "{code}"\nsystem: {system}\nstatus: draft\nname: {name}\n'
    if summary:
        text += f"summary: {summary}\n"
    (content / system).mkdir(exist_ok=True)
    (content / system / f"{code}.yaml").write_text(text, encoding="utf-8")


def _pages(content: Path, official: OfficialCodes) -> dict[str, object]:
    catalog = Catalog(load_content(content, shown_root=content.parent, official=official), official)
    builders = {builder.system: builder for builder in page_builders(catalog, PageSettings(catalog, SiteSettings(), ()))}
    return builders


def test_nearest_group_wins_and_own_record_wins(content_dir: Path, official: OfficialCodes) -> None:
    content = content_dir
    _record(content, "icd10cm", "E11.6", "Type 2 diabetes with other complications", "Diabetes with other named problems.")
    _record(content, "icd10cm", "E11.64", "Type 2 diabetes with low blood sugar", "Own words for E11.64.")
    builders = _pages(content, official)
    cm = builders["icd10cm"]
    # E11.65 has no record: its subcategory E11.6 is nearer than the category E11.
    inherited = cm.code_page("E11.65").inherited
    assert (inherited.label, inherited.href, inherited.summary) == (
        "About E11.6 Type 2 diabetes with other complications", "E11.6.html", "Diabetes with other named problems.")
    # A code with a record of its own shows its own text and inherits nothing.
    own = cm.code_page("E11.649")
    assert own.inherited.label.startswith("About E11.64 ")
    page = cm.code_page("E11.64")
    assert page.inherited is None and page.plain_name == "Type 2 diabetes with low blood sugar"
    assert [section.heading for section in page.sections] == ["Summary"]
    # A group record without a summary gives nothing to inherit; the next group up does.
    (content / "icd10cm/E11.6.yaml").write_text(
        'code: "E11.6"\nsystem: icd10cm\nstatus: draft\nname: Type 2 diabetes with other complications\n', encoding="utf-8")
    inherited = _pages(content, official)["icd10cm"].code_page("E11.65").inherited
    assert inherited.label == "About E11 Type 2 diabetes" and inherited.href == "E11.html"


def test_codes_far_from_any_group_inherit_nothing(official: OfficialCodes) -> None:
    builders = _pages(FIXTURE_CONTENT, official)
    assert builders["icd10cm"].code_page("S72.001A").inherited is None
    assert builders["hcpcs"].code_page("G0124").inherited is None


def test_pcs_and_hcpcs_groups(content_dir: Path, official: OfficialCodes) -> None:
    content = content_dir
    builders = _pages(content, official)
    pcs = builders["icd10pcs"].code_page("0DTJ4ZZ").inherited
    assert (pcs.label, pcs.href, pcs.reviewed) == (
        "About 0DT Taking out all of a part of the digestive tract (resection)", "table-0DT.html", True)
    # The narrowest family wins over the one holding it.
    hcpcs = builders["hcpcs"].code_page("J9035").inherited
    assert (hcpcs.label, hcpcs.href) == ("About J9000–J9999 Chemotherapy drugs", "family-J9000-J9999.html")
    # A table-and-body-part record (0DTJ) is nearer than the table's.
    _record(content, "icd10pcs", "0DTJ", "Taking out the appendix", "Removal of the whole appendix.")
    builders = _pages(content, official)
    pcs = builders["icd10pcs"].code_page("0DTJ4ZZ").inherited
    assert (pcs.label, pcs.summary) == ("About 0DT, body part J Taking out the appendix", "Removal of the whole appendix.")
    table = next(page for page in builders["icd10pcs"].index_pages() if page.path == "icd10pcs/table-0DT.md")
    assert "## Body part J: Taking out the appendix" in table.paragraphs
    assert "### Summary\n\nRemoval of the whole appendix." in table.paragraphs


def test_codes_named_in_sections_are_linked(content_dir: Path, official: OfficialCodes) -> None:
    content = content_dir
    (content / "icd10cm/E11.65.yaml").write_text(
        'code: "E11.65"\nsystem: icd10cm\nstatus: draft\nname: Type 2 diabetes with high blood sugar\n'
        'summary: Compare E11.649 & J9035; vitamin B12 and E99 stay text.\n', encoding="utf-8")
    page = _pages(content, official)["icd10cm"].code_page("E11.65")
    assert str(page.sections[0].text) == (
        'Compare <a href="E11.649.html">E11.649</a> &amp; <a href="../hcpcs/J9035.html">J9035</a>; '
        "vitamin B12 and E99 stay text.")


def test_modifier_pages_inherit_the_modifiers_record(content_dir: Path, official: OfficialCodes) -> None:
    content = content_dir
    _record(content, "hcpcs", "modifiers", "HCPCS modifiers", "Two-character codes that add a fact about a service.")
    builders = _pages(content, official)
    inherited = builders["hcpcs"].code_page("modifier-GY").inherited
    assert (inherited.label, inherited.href) == ("About HCPCS modifiers", "modifiers.html")
    page = next(page for page in builders["hcpcs"].index_pages() if page.path == "hcpcs/modifiers.md")
    assert "## Summary\n\nTwo-character codes that add a fact about a service." in page.paragraphs
