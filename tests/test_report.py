"""The content report's counts on the fixture content (issue 11)."""

from __future__ import annotations

from conftest import FIXTURE_CONTENT, FIXTURE_ICD10CM, write_cms_fixture_data

from generator.official import load_official
from generator.pages import page_builders
from generator.pages.common import PageSettings
from generator.relations import Catalog
from generator.report import content_report, format_report
from generator.settings import SiteSettings
from generator.validate import load_content


def test_report_counts_own_inherited_and_none(tmp_path) -> None:
    cms_data = write_cms_fixture_data(tmp_path / "cms")
    official = load_official(("cpt", "icd10cm", "icd10pcs", "hcpcs"), cms_data=cms_data, icd10cm_xml=FIXTURE_ICD10CM,
                             verify=False)
    catalog = Catalog(load_content(FIXTURE_CONTENT, shown_root=FIXTURE_CONTENT.parent, official=official), official)
    builders = page_builders(catalog, PageSettings(catalog, SiteSettings(), ()))
    report = content_report(catalog, builders)
    cm = builders[1]
    e11_codes = [key for key in cm.code_keys() if key.startswith("E11.")]
    assert report.levels[("icd10cm", "category")].own == 1                       # E11 has its record
    inherited = report.levels[("icd10cm", "code")].inherited + report.levels[("icd10cm", "subcategory")].inherited
    assert inherited == len(e11_codes)                                           # everything under E11 inherits it
    assert report.levels[("icd10pcs", "code")].inherited == len([k for k in builders[2].code_keys() if k.startswith("0DT")])
    # J9035 inherits its family's summary; A0384's family (A0021-A0999) has none to give.
    assert report.levels[("hcpcs", "code")].inherited == 1
    assert report.levels[("hcpcs", "modifier")].inherited == 0
    assert report.levels[("cpt", "code")].own == report.levels[("cpt", "code")].pages == 5
    assert report.statuses == {"draft": 6, "reviewed": 1}
    text = format_report(report, {"icd10cm": "ICD-10-CM"})
    assert text.splitlines()[0].split() == ["system", "level", "code", "pages", "own", "text", "inherited", "none"]
    assert "records: 7 (" in text and "Flesch-Kincaid grade median" in text
    # Policies: every fixture ICD-10-CM page lists one (the general guideline covers all); S72 pages nothing narrower.
    cm_pages = len(cm.code_keys())
    assert report.with_policy["icd10cm"] == cm_pages
    assert report.with_narrow_policy["icd10cm"] == len([key for key in cm.code_keys() if key.startswith("E")])
    # CPT codes with a record: all five lie in 96360-96549 (190 numbers: specific). (No HCPCS code has a record.)
    assert report.written_specific == {"cpt": [5, 5]}
    assert report.policy_kinds["guideline"] == 3
    assert f"ICD-10-CM {cm_pages:,} of {cm_pages:,}" in text


def test_records_written_for_an_older_edition_are_listed_for_review(tmp_path) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    record = content / "icd10cm/E11.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace('edition: "FY2026"', 'edition: "FY2025"'), encoding="utf-8")
    official = load_official(("icd10cm",), icd10cm_xml=FIXTURE_ICD10CM, verify=False)
    catalog = Catalog(load_content(content, shown_root=content.parent, official=official), official)
    report = content_report(catalog, page_builders(catalog, PageSettings(catalog, SiteSettings(), ())))
    assert report.stale == [("content/icd10cm/E11.yaml", "FY2025", "FY2026")]
    assert "review: content/icd10cm/E11.yaml: written against FY2025; the site is built from FY2026" in format_report(report, {})
