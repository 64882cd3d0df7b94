"""The edition every page states, and the notice once a newer edition has taken effect (driven by the build date)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import subprocess
import sys

from conftest import FIXTURE_CONTENT, FIXTURE_ICD10CM, PROJECT, run_build, write_cms_fixture_data

from generator.errors import Abort
from generator.sources import cms_files

from generator.editions import edition_stylesheet, fiscal_edition

STALE = ("ICD-10-CM FY2026 was valid for discharges and services from 1 October 2025 (a code added by a mid-year "
         "update: from that update) to 30 September 2026. "
         "FY2027 took effect on 1 October 2026 and is not in this build yet: its new, deleted and retitled codes "
         "are not shown.")


def test_fiscal_edition_and_its_statement() -> None:
    edition = fiscal_edition("icd10cm", "FY2026 (April 1, 2026 update)")
    assert (edition.label, edition.start, edition.end, edition.next_label) == (
        "FY2026", datetime.date(2025, 10, 1), datetime.date(2026, 9, 30), "FY2027")
    assert fiscal_edition("icd10pcs", "ICD-10-PCS FY2026").end == datetime.date(2026, 9, 30)
    assert fiscal_edition("hcpcs", "CY2026 January (2026-01-12)") is None   # not a fiscal-year system
    assert edition.statement(datetime.date(2026, 9, 30)) == (
        "ICD-10-CM FY2026: valid for discharges and services from 1 October 2025 (a code added by a mid-year update: "
        "from that update) to 30 September 2026.")
    assert edition.statement(datetime.date(2026, 10, 1)) == STALE
    css = edition_stylesheet([edition], datetime.date(2026, 12, 1))
    assert '.omc-edition-icd10cm::after { content: " ICD-10-CM FY2026 was valid' in css


def _built(root: Path, build_date: str) -> Path:
    result = run_build(FIXTURE_CONTENT, root, "--build-date", build_date)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def stale_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(tmp_path_factory.mktemp("stale"), "2026-12-01")


def test_site_built_after_the_edition_ended_says_so(stale_site: Path, browser) -> None:
    home = (stale_site / "index.html").read_text(encoding="utf-8")
    assert "A newer edition has taken effect" in home and "FY2027 took effect on 1 October 2026" in home
    assert "FY2027 took effect" in (stale_site / "about.html").read_text(encoding="utf-8")
    code_page = stale_site / "icd10cm" / "E11.65.html"
    assert 'class="omc-source omc-edition-icd10cm"' in code_page.read_text(encoding="utf-8")
    assert 'omc-edition-' not in (stale_site / "hcpcs" / "J9035.html").read_text(encoding="utf-8")
    # The statement is printed by the stylesheet: what a reader sees at the page's foot.
    page = browser.new_page()
    page.goto(code_page.as_uri())
    shown = page.locator(".omc-source").evaluate("e => getComputedStyle(e, '::after').content")
    assert shown == '" ' + STALE + '"'
    page.close()


def test_site_built_within_the_edition_states_its_period(tmp_path: Path) -> None:
    site = _built(tmp_path, "2026-06-01")
    assert "A newer edition has taken effect" not in (site / "index.html").read_text(encoding="utf-8")
    stylesheet = next((site / "assets" / "stylesheets").glob("omc.*.css")).read_text(encoding="utf-8")
    assert ("ICD-10-PCS FY2026: valid for discharges and services from 1 October 2025 (a code added by a mid-year "
            "update: from that update) to 30 September 2026.") in stylesheet
    assert "took effect" not in stylesheet


def test_a_malformed_build_date_is_refused(tmp_path: Path) -> None:
    result = run_build(FIXTURE_CONTENT, tmp_path, "--build-date", "2026-13-01")
    assert result.returncode != 0 and "the build date must be written YYYY-MM-DD, got '2026-13-01'" in result.stderr


def _fy2027_build(root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """The fixture releases under the FY2027 file names CMS and the CDC use, built as FY2027."""
    cms = write_cms_fixture_data(root / "cms-2027", edition=2027)
    tabular = root / "icd10cm-tabular-2027.xml"
    tabular.write_text(FIXTURE_ICD10CM.read_text(encoding="utf-8").replace("<version>2026</version>",
                                                                          "<version>2027</version>"), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "generator", "--content", str(FIXTURE_CONTENT), "--build-dir", str(root / "build"),
         "--site-dir", str(root / "site"), "--cms-data", str(cms), "--unverified-data", "--edition", "2027",
         "--build-date", "2026-12-01", *options, "build"],
        capture_output=True, text=True, cwd=PROJECT)


def test_the_next_editions_files_are_read_unchanged(tmp_path: Path) -> None:
    missing_tabular = _fy2027_build(tmp_path)
    assert missing_tabular.returncode != 0
    assert "for FY2027 pass --icd10cm-xml with the CDC's tabular XML of that edition" in missing_tabular.stderr
    result = _fy2027_build(tmp_path, "--icd10cm-xml", str(tmp_path / "icd10cm-tabular-2027.xml"))
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert "A newer edition has taken effect" not in (site / "index.html").read_text(encoding="utf-8")
    stylesheet = next((site / "assets" / "stylesheets").glob("omc.*.css")).read_text(encoding="utf-8")
    assert "ICD-10-CM FY2027: valid for discharges and services from 1 October 2026" in stylesheet
    assert "ICD-10-PCS FY2027: valid" in stylesheet and "took effect" not in stylesheet
    assert "ICD-10-PCS FY2027" in (site / "icd10pcs" / "0DTJ4ZZ.html").read_text(encoding="utf-8")


def test_an_edition_without_pinned_checksums_is_not_read_as_verified(tmp_path: Path) -> None:
    cms = write_cms_fixture_data(tmp_path / "cms", edition=2027)
    with pytest.raises(Abort, match=r"icd10pcs_tables_2027\.xml: no checksum is pinned for FY2027 yet"):
        cms_files.verified_files(cms, 2027)
    files = cms_files.official_files(2027)
    assert files["pcs_order"].url == "https://www.cms.gov/files/zip/2027-icd-10-pcs-order-file-long-and-abbreviated-titles.zip"
    assert (files["hcpcs"].name, files["pcs_tables"].member) == ("january-2027-alpha-numeric-hcpcs-file.zip",
                                                                  "icd10pcs_tables_2027.xml")
