"""The ICD-10-PCS reader: exact fields from tiny fixtures, exact messages for broken input, counts on the real files."""

from __future__ import annotations

import shutil
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.errors import Abort
from generator.sources.icd10pcs import PcsAxisValue, PcsDefinition, PcsRelease, PcsSourceError, read_icd10pcs

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "icd10pcs"
CMS_DATA = Path(__file__).resolve().parents[1].parent / "shared/data/cms"
ORDER_MEMBER = "icd10pcs_order_2026.txt"


@dataclass(frozen=True)
class PcsFiles:
    """Writable copies of the fixture files; the order file as text, zipped by :meth:`read`."""

    tables: Path
    definitions: Path
    order_text: Path
    order_zip: Path

    def read(self) -> PcsRelease:
        write_order_zip(self.order_zip, self.order_text.read_text(encoding="ascii"))
        return read_icd10pcs(self.tables, self.definitions, self.order_zip)

    def error(self) -> str:
        with pytest.raises(Abort) as caught:
            self.read()
        return str(caught.value)


def write_order_zip(path: Path, text: str, member: str = ORDER_MEMBER) -> None:
    """Zip the order file as CMS ships it: CRLF line ends."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, text.replace("\n", "\r\n"))


@pytest.fixture
def files(tmp_path: Path) -> PcsFiles:
    for name in ("icd10pcs_tables_2026.xml", "icd10pcs_definitions_2026.xml", ORDER_MEMBER):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return PcsFiles(tmp_path / "icd10pcs_tables_2026.xml", tmp_path / "icd10pcs_definitions_2026.xml",
                    tmp_path / ORDER_MEMBER, tmp_path / "order.zip")


@pytest.fixture
def release(files: PcsFiles) -> PcsRelease:
    return files.read()


def edit(path: Path, old: str, new: str, occurrence: int = 1) -> int:
    """Replace the ``occurrence``-th ``old`` in ``path`` with ``new``; return the line it was on."""
    text = path.read_text(encoding="utf-8")
    start = -1
    for _ in range(occurrence):
        start = text.index(old, start + 1)
    path.write_text(text[:start] + new + text[start + len(old):], encoding="utf-8")
    return text.count("\n", 0, start) + 1


def defined(value: PcsAxisValue) -> PcsDefinition:
    assert value.definition is not None, f"no definition for {value}"
    return value.definition


def described(release: PcsRelease, code: str) -> list[tuple[int, str, str, str | None, str | None]]:
    return [(value.position, value.axis, value.value, value.label, value.source) for value in release.codes[code].axes]


# --- fields ------------------------------------------------------------------------------------


def test_code_from_a_table_row(release: PcsRelease) -> None:
    code = release.codes["0DTJ4ZZ"]
    assert described(release, "0DTJ4ZZ") == [
        (1, "Section", "0", "Medical and Surgical", "row"),
        (2, "Body System", "D", "Gastrointestinal System", "row"),
        (3, "Operation", "T", "Resection", "row"),
        (4, "Body Part", "J", "Appendix", "row"),
        (5, "Approach", "4", "Percutaneous Endoscopic", "row"),
        (6, "Device", "Z", "No Device", "row"),
        (7, "Qualifier", "Z", "No Qualifier", "row"),
    ]
    assert (code.code, code.short_title, code.long_title) == (
        "0DTJ4ZZ", "Resection of Appendix, Percutaneous Endoscopic Approach",
        "Resection of Appendix, Percutaneous Endoscopic Approach",
    )
    assert (code.table_key, code.row, code.in_tables, code.order_number) == ("0DT", 2, True, 14)
    assert code.axis(4).label == "Appendix" and not code.axis(4).inferred


def test_definitions_are_attached_to_values(release: PcsRelease) -> None:
    code = release.codes["0DTJ4ZZ"]
    resection = defined(code.axis(3))
    assert resection.titles == ("Resection",)
    assert resection.definition == "Cutting out or off, without replacement, all of a body part"
    assert resection.explanation is None
    assert resection.includes == ("Total nephrectomy, total lobectomy of lung",)
    assert defined(code.axis(4)).includes == ("Appendiceal orifice", "Vermiform appendix")
    assert defined(code.axis(4)).definition is None
    assert defined(code.axis(5)).definition == (
        "Entry, by puncture or minor incision, of instrumentation through the skin or mucous membrane and any "
        "other body layers necessary to reach and visualize the site of the procedure"
    )
    assert [code.axis(position).definition for position in (1, 2, 6, 7)] == [None, None, None, None]
    # Right large intestine has no term; New Technology substances have theirs.
    assert release.codes["0DTF4ZZ"].axis(4).definition is None
    assert defined(release.codes["XW03308"].axis(6)).includes == ("SPEVIGO(R)",)


def test_values_are_shared(release: PcsRelease) -> None:
    assert release.codes["0DT60ZZ"].axis(6) is release.codes["0DTJ4ZZ"].axis(6)
    assert release.codes["0DT60ZZ"].axis(3) is release.tables["0DT"].operation


def test_table_rows_and_their_codes(release: PcsRelease) -> None:
    table = release.table("0dt")
    assert table is not None
    assert (table.key, table.title, table.in_tables, table.order_only_codes) == (
        "0DT", "Gastrointestinal System, Resection", True, ())
    assert [table.section.label, table.body_system.label, table.operation.label] == [
        "Medical and Surgical", "Gastrointestinal System", "Resection"]
    assert [row.number for row in table.rows] == [1, 2, 3]
    first, second, _third = table.rows
    assert [(axis.position, axis.axis, [(value.value, value.label) for value in axis.values]) for axis in first.axes] == [
        (4, "Body Part", [("6", "Stomach"), ("7", "Stomach, Pylorus")]),
        (5, "Approach", [("0", "Open"), ("4", "Percutaneous Endoscopic"), ("7", "Via Natural or Artificial Opening"),
                         ("8", "Via Natural or Artificial Opening Endoscopic")]),
        (6, "Device", [("Z", "No Device")]),
        (7, "Qualifier", [("Z", "No Qualifier")]),
    ]
    assert first.size == 8
    assert [code.code for code in first.codes] == [
        "0DT60ZZ", "0DT64ZZ", "0DT67ZZ", "0DT68ZZ", "0DT70ZZ", "0DT74ZZ", "0DT77ZZ"]
    assert first.not_in_order_file == ("0DT78ZZ",)
    assert list(second.expand()) == ["0DTF4ZG", "0DTF4ZZ", "0DTJ4ZG", "0DTJ4ZZ"]
    assert [code.code for code in second.codes] == ["0DTF4ZG", "0DTF4ZZ", "0DTJ4ZG", "0DTJ4ZZ"]
    assert len(table.codes) == 15
    assert release.row(release.codes["0DTJ4ZZ"]) is second


def test_order_only_code_in_a_known_table(release: PcsRelease) -> None:
    # XW0's substance character depends on the row: "0" is Spesolimab in group 8, and the April
    # code's title names another substance, so the character stays unlabelled.
    code = release.codes["XW0330B"]
    assert described(release, "XW0330B") == [
        (1, "Section", "X", "New Technology", "row"),
        (2, "Body System", "W", "Anatomical Regions", "row"),
        (3, "Operation", "0", "Introduction", "row"),
        (4, "Body Part", "3", "Peripheral Vein", "table"),
        (5, "Approach", "3", "Percutaneous", "table"),
        (6, "Device / Substance / Technology", "0", None, None),
        (7, "Qualifier", "B", "New Technology Group 11", "table"),
    ]
    assert (code.in_tables, code.row, code.table_key) == (False, None, "XW0")
    assert code.axis(4).inferred and not code.axis(6).inferred
    assert defined(code.axis(5)).titles == ("Percutaneous",)
    assert release.tables["XW0"].order_only_codes == (code,)
    assert release.row(code) is None


def test_order_only_codes_in_tables_only_the_order_file_has(release: PcsRelease) -> None:
    assert described(release, "0DDU0ZZ") == [
        (1, "Section", "0", "Medical and Surgical", "section"),
        (2, "Body System", "D", "Gastrointestinal System", "section"),
        (3, "Operation", "D", None, None),
        (4, "Body Part", "U", "Omentum", "body system"),
        (5, "Approach", "0", "Open", "body system"),
        (6, "Device", "Z", "No Device", "body system"),
        (7, "Qualifier", "Z", "No Qualifier", "body system"),
    ]
    assert defined(release.codes["0DDU0ZZ"].axis(4)).includes == ("Gastrocolic ligament", "Gastrocolic omentum")
    assert described(release, "0VT00ZE") == [
        (1, "Section", "0", "Medical and Surgical", "section"),
        (2, "Body System", "V", "Male Reproductive System", "order file"),
        (3, "Operation", "T", "Resection", "section"),
        (4, "Body Part", "0", None, None),
        (5, "Approach", "0", "Open", "section"),
        (6, "Device", "Z", "No Device", "section"),
        (7, "Qualifier", "E", None, None),
    ]
    table = release.tables["0VT"]
    assert (table.title, table.in_tables, table.rows, [code.code for code in table.order_only_codes]) == (
        "Male Reproductive System, Resection", False, (), ["0VT00ZE"])
    assert defined(table.operation).definition == "Cutting out or off, without replacement, all of a body part"


def test_release_order_index_and_counts(release: PcsRelease) -> None:
    assert (release.version, release.label) == ("2026", "ICD-10-PCS FY2026")
    assert release.sources == ("icd10pcs_tables_2026.xml", "icd10pcs_definitions_2026.xml",
                               "order.zip/icd10pcs_order_2026.txt")
    assert list(release.codes)[:4] == ["0DDU0ZZ", "0DT60ZZ", "0DT64ZZ", "0DT67ZZ"]
    assert [code.order_number for code in release.codes.values()] == sorted(
        code.order_number for code in release.codes.values())
    assert list(release.tables) == ["0DD", "0DT", "0VT", "XW0"]
    assert [(section.value.label, [(system.value.label, [table.key for table in system.tables])
                                   for system in section.body_systems]) for section in release.sections] == [
        ("Medical and Surgical", [("Gastrointestinal System", ["0DD", "0DT"]), ("Male Reproductive System", ["0VT"])]),
        ("New Technology", [("Anatomical Regions", ["XW0"])]),
    ]
    counts = release.reconciliation
    assert (counts.order_codes, counts.order_headers, counts.tables, counts.rows, counts.table_codes) == (21, 4, 2, 5, 19)
    assert counts.order_only_codes == ("0DDU0ZZ", "0VT00ZE", "XW0330B")
    assert counts.table_only_codes == ("0DT78ZZ",)
    assert counts.order_only_tables == ("0DD", "0VT")
    assert counts.unused_terms == (("0", 3, "Extraction"), ("0", 4, "Femoral Vein, Left"), ("0", 4, "Femoral Vein, Right"))


def test_lookups(release: PcsRelease) -> None:
    assert release.code(" 0dtj4zz ") is release.codes["0DTJ4ZZ"]
    assert release.code("0DT78ZZ") is None  # in a table row, not in the order file
    assert release.table("0DX") is None


# --- malformed input ---------------------------------------------------------------------------


def test_missing_files(files: PcsFiles, tmp_path: Path) -> None:
    with pytest.raises(Abort) as caught:
        read_icd10pcs(tmp_path / "tables.xml", files.definitions, tmp_path / "order.zip")
    assert str(caught.value) == f"{tmp_path}/tables.xml: file not found\n{tmp_path}/order.zip: file not found"


def test_xml_not_well_formed(files: PcsFiles) -> None:
    line = edit(files.tables, "</label>", "</lable>")
    assert files.error() == f"{files.tables}:{line}: not well-formed XML (mismatched tag)"


def test_wrong_document(files: PcsFiles) -> None:
    shutil.copy(files.tables, files.definitions)
    assert files.error() == f"{files.definitions}:2: expected a <ICD10PCS.definitions> document, found <ICD10PCS.tabular>"


def test_row_size_disagrees_with_its_axes(files: PcsFiles) -> None:
    line = edit(files.tables, '<pcsRow codes="8">', '<pcsRow codes="9">')
    assert files.error() == f"{files.tables}:{line}: pcsTable[1]/pcsRow[1]/@codes: says '9', but the axes allow 8 (2 × 4 × 1 × 1)"


def test_bad_and_repeated_values(files: PcsFiles) -> None:
    letter_o = edit(files.tables, '<label code="6">Stomach</label>', '<label code="O">Stomach</label>')
    repeated = edit(files.tables, '<label code="J">Appendix</label>', '<label code="F">Appendix</label>')
    empty = edit(files.tables, "<title>Approach</title>", "<title> </title>", occurrence=3)
    assert files.error() == (
        f"3 problems found in ICD-10-PCS files:\n"
        f"  {files.tables}:{letter_o}: pcsTable[1]/pcsRow[1]/axis[1]/label[1]/@code: "
        f"'O' is not an ICD-10-PCS character (0-9, A-Z except I and O)\n"
        f"  {files.tables}:{repeated}: pcsTable[1]/pcsRow[2]/axis[1]/label[2]/@code: value 'F' is listed twice (first as label[1])\n"
        f"  {files.tables}:{empty}: pcsTable[1]/pcsRow[3]/axis[2]/title: empty"
    )


def test_axis_missing_from_row(files: PcsFiles) -> None:
    text = files.tables.read_text(encoding="utf-8")
    qualifier = '      <axis pos="7" values="1">\n        <title>Qualifier</title>\n        <label code="8">New Technology Group 8</label>\n      </axis>\n'
    assert qualifier in text
    files.tables.write_text(text.replace(qualifier, ""), encoding="utf-8")
    line = text[: text.index(qualifier)].rfind("<pcsRow")
    row_line = text.count("\n", 0, line) + 1
    assert files.error() == (
        f"{files.tables}:{row_line}: pcsTable[2]/pcsRow[1]: expected <axis> elements for positions 4, 5, 6, 7 "
        f"in that order; found 4, 5, 6"
    )


def test_code_in_two_rows(files: PcsFiles) -> None:
    edit(files.tables, '<label code="R">Anal Sphincter</label>', '<label code="J">Appendix</label>')
    text = files.tables.read_text(encoding="utf-8").splitlines()
    row_lines = [number for number, line in enumerate(text, start=1) if "<pcsRow" in line]
    assert files.error() == (
        f"{files.tables}:{row_lines[2]}: pcsTable[1]/pcsRow[3]: code 0DTJ4ZZ is also in row 2 of table 0DT (line {row_lines[1]})"
    )


def test_section_means_one_thing(files: PcsFiles) -> None:
    line = edit(files.tables, '<label code="X">New Technology</label>', '<label code="0">New Technology</label>')
    first = files.tables.read_text(encoding="utf-8").splitlines().index('      <label code="0">Medical and Surgical</label>') + 1
    assert files.error() == (
        f"{files.tables}:{line}: pcsTable[2]/axis[1]/label[1]: section '0' of table 0W0 is 'New Technology', "
        f"but 'Medical and Surgical' at line {first}"
    )


def test_term_without_title(files: PcsFiles) -> None:
    line = edit(files.definitions, "<title>Omentum</title>", "")
    assert files.error() == f"{files.definitions}:{line - 1}: section[1]/axis[2]/terms[4]: a term has at least one <title>; found none"


def test_releases_differ(files: PcsFiles) -> None:
    edit(files.definitions, "<version>2026</version>", "<version>2025</version>")
    assert files.error() == (
        f"the files are of different releases: {files.tables} is version 2026, {files.definitions} is version 2025, "
        f"{files.order_zip}/icd10pcs_order_2026.txt is for 2026"
    )


def test_order_file_problems_are_all_reported(files: PcsFiles) -> None:
    lines = files.order_text.read_text(encoding="ascii").splitlines(keepends=True)
    lines[1] = lines[1].replace("0DDU0ZZ 1", "0DDU0ZZ 2")
    lines[4] = lines[4][:60] + "\n"
    lines[6] = lines[6].replace("0DT68ZZ", "0DT6OZZ")
    lines[9] = lines[9].replace("0DT77ZZ", "0DT74ZZ")
    lines[11] = lines[11].replace("00012", "00013")
    lines[19] = lines[19].replace("0VT00ZE", "0VU00ZE")
    lines[23] = lines[23].replace(" 1 Introduce", "|1 Introduce")
    files.order_text.write_text("".join(lines), encoding="ascii")
    shown = f"{files.order_zip}/{ORDER_MEMBER}"
    assert files.error() == (
        f"8 problems found in ICD-10-PCS files:\n"
        f"  {shown}:2: valid flag (column 15): expected 0 (header) or 1 (valid code), found '2'\n"
        f"  {shown}:5: a record is at least 78 characters long (long title from column 78); this one has 60\n"
        f"  {shown}:7: code (columns 7-13): '0DT6OZZ' is not an ICD-10-PCS code (7 characters: 0-9, A-Z except I and O)\n"
        f"  {shown}:10: code (columns 7-13): 0DT74ZZ is listed twice (first at line 9)\n"
        f"  {shown}:12: order number (columns 1-5): expected 00012, found 00013\n"
        f"  {shown}:13: order number (columns 1-5): expected 00014, found 00013\n"
        f"  {shown}:20: code (columns 7-13): 0VU00ZE is listed after the header row of table 0VT; "
        f"expected it after the header row of table 0VU\n"
        f"  {shown}:24: layout: column 14 should be blank, found '|'"
    )


def test_order_file_not_ascii(files: PcsFiles) -> None:
    files.order_text.write_text(files.order_text.read_text(encoding="ascii").replace("Omentum, Open", "Oméntum, Open", 1),
                                encoding="utf-8")
    write_order_zip(files.order_zip, files.order_text.read_text(encoding="utf-8"))
    with pytest.raises(PcsSourceError) as caught:
        read_icd10pcs(files.tables, files.definitions, files.order_zip)
    assert str(caught.value) == f"{files.order_zip}/{ORDER_MEMBER}:2: byte 0xc3 at column 33 is not ASCII text"


def test_order_archive_without_order_file(files: PcsFiles) -> None:
    write_order_zip(files.order_zip, "", member="order_addenda_2026.txt")
    with pytest.raises(Abort) as caught:
        read_icd10pcs(files.tables, files.definitions, files.order_zip)
    assert str(caught.value) == (
        f"{files.order_zip}: expected one icd10pcs_order_YYYY.txt in the archive, found none "
        f"(members: order_addenda_2026.txt)"
    )


def test_order_archive_not_a_zip(files: PcsFiles) -> None:
    files.order_zip.write_text("not a zip", encoding="ascii")
    with pytest.raises(Abort) as caught:
        read_icd10pcs(files.tables, files.definitions, files.order_zip)
    assert str(caught.value) == f"{files.order_zip}: not a zip archive (File is not a zip file)"


# --- the real files ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> PcsRelease:
    if not CMS_DATA.is_dir():
        pytest.skip(f"the official CMS files are not at {CMS_DATA}")
    start = time.perf_counter()
    release = read_icd10pcs(CMS_DATA / "icd10pcs_tables_2026.xml", CMS_DATA / "icd10pcs_definitions_2026.xml",
                            CMS_DATA / "2026-icd-10-pcs-order-file-long-and-abbreviated-titles.zip")
    assert time.perf_counter() - start < 30  # about 1.5 s; the generous bound only catches a pathology
    return release


def test_real_counts(real: PcsRelease) -> None:
    counts = real.reconciliation
    assert (counts.order_codes, counts.order_headers, counts.tables, counts.rows, counts.table_codes) == (
        79_193, 917, 914, 2_733, 79_115)
    assert len(counts.order_only_codes) == 80
    assert counts.table_only_codes == ("30233AZ", "30243AZ")
    assert counts.order_only_tables == ("0TX", "X9H", "XU7")
    assert counts.unused_terms == ()
    assert len(real.codes) == 79_193 and len(real.tables) == 917
    assert sum(len(row.codes) for table in real.tables.values() for row in table.rows) == 79_193 - 80
    assert sum(len(table.order_only_codes) for table in real.tables.values()) == 80
    assert sum(len(system.tables) for section in real.sections for system in section.body_systems) == 917


def test_real_spot_checks(real: PcsRelease) -> None:
    code = real.codes["0DTJ4ZZ"]
    assert [value.label for value in code.axes] == [
        "Medical and Surgical", "Gastrointestinal System", "Resection", "Appendix", "Percutaneous Endoscopic",
        "No Device", "No Qualifier"]
    assert defined(code.axis(3)).definition == "Cutting out or off, without replacement, all of a body part"
    assert (defined(code.axis(5)).definition or "").startswith("Entry, by puncture or minor incision")
    assert "Vermiform appendix" in defined(code.axis(4)).includes
    # A device defined for one operation in one body system.
    lead = real.codes["02HM3JZ"].axis(6)
    assert (lead.label, lead.source) == ("Cardiac Lead, Pacemaker", "table")
    assert defined(lead).titles == ("Cardiac Lead, Pacemaker for Insertion in Heart and Great Vessels",)
    # Laterality variants share one body-part term.
    assert defined(real.codes["06BM0ZZ"].axis(4)).titles == ("Femoral Vein, Left", "Femoral Vein, Right")
    # New in April, with a substance the October tables do not know: left unlabelled, not mislabelled.
    assert real.codes["XW0330B"].axis(6).label is None
    assert real.tables["X9H"].body_system.label == "Ear, Nose, Sinus"


def test_order_file_change_list(tmp_path) -> None:
    """The update's change list beside the order file: added, deleted, and revised with the titles before."""
    from conftest import write_cms_fixture_data

    from generator.sources.icd10pcs import read_icd10pcs

    data = write_cms_fixture_data(tmp_path)
    release = read_icd10pcs(data / "icd10pcs_tables_2026.xml", data / "icd10pcs_definitions_2026.xml",
                            data / "2026-icd-10-pcs-order-file-long-and-abbreviated-titles.zip")
    assert [(change.action, change.code) for change in release.changes] == [
        ("added", "0DTJ4ZG"), ("deleted", "0DTJ4ZX"), ("revised", "0DTJ4ZZ")]
    revised = release.changes[2]
    assert (revised.previous_short_title, revised.short_title, revised.long_title) == (
        "Resection of Appendix, Perc Endo", "Resection of Appendix, Perc Endo Approach",
        "Resection of Appendix, Percutaneous Endoscopic Approach")
