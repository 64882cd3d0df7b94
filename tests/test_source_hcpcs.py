"""The HCPCS Level II reader: exact fields from a tiny CMS zip, exact messages for bad input, real counts."""

from __future__ import annotations

import datetime
import re
import zipfile
from pathlib import Path

import pytest

from generator.errors import Abort
from generator.sources import hcpcs
from generator.sources.hcpcs import Explanation, HcpcsCode, HcpcsModifier, InvalidHcpcsFile, read_hcpcs

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hcpcs"
DATA = "HCPC2026_JAN_ANWEB_01122026.txt"
LAYOUT = "HCPC2026_recordlayout.txt"
NOTES = "proc_notes_JAN2026.txt"
REAL_ZIP = Path(__file__).resolve().parents[1].parent / "shared/data/cms/january-2026-alpha-numeric-hcpcs-file.zip"

# Lines of the fixture data member (each a real record of the January 2026 file).
CP, GY, A0384, A4216, C9089, G0124, G0464, J9035 = 1, 4, 6, 9, 10, 11, 14, 16


def fixture_members() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(FIXTURES.glob("*.txt"))}


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def data_lines() -> list[str]:
    """The fixture data member's lines, without their CRLF ends (the last one is the file's trailing blank line)."""
    return (FIXTURES / DATA).read_bytes().decode("ascii").split("\r\n")


def zip_with_data(tmp_path: Path, lines: list[str]) -> Path:
    members = fixture_members()
    members[DATA] = "\r\n".join(lines).encode("ascii")
    return write_zip(tmp_path / "hcpcs.zip", members)


def put(line: str, position: int, text: str) -> str:
    """``line`` with ``text`` written from ``position`` (1-based, as in the CMS record layout)."""
    return line[: position - 1] + text + line[position - 1 + len(text):]


def problems_of(zip_path: Path) -> list[str]:
    with pytest.raises(InvalidHcpcsFile) as caught:
        read_hcpcs(zip_path)
    return [str(problem) for problem in caught.value.problems]


def edited(tmp_path: Path, number: int, position: int, text: str) -> list[str]:
    """Problems of the fixture with ``text`` written into data line ``number`` at ``position``."""
    lines = data_lines()
    lines[number - 1] = put(lines[number - 1], position, text)
    return problems_of(zip_with_data(tmp_path, lines))


@pytest.fixture
def release(tmp_path: Path) -> hcpcs.HcpcsRelease:
    return read_hcpcs(write_zip(tmp_path / "january-2026-alpha-numeric-hcpcs-file.zip", fixture_members()))


# --- The fixture, field by field ------------------------------------------------------------------------


def test_release(release: hcpcs.HcpcsRelease) -> None:
    assert release.label == "CY2026 January (2026-01-12)"
    assert (release.year, release.month, release.published) == (2026, 1, datetime.date(2026, 1, 12))
    assert release.effective == datetime.date(2026, 1, 1)
    assert release.data_member == DATA
    assert list(release.codes) == ["A0384", "A4216", "C9089", "G0124", "G0464", "J9035"]
    assert list(release.modifiers) == ["CP", "GY"]
    assert release.code(" j9035 ") is release.codes["J9035"]
    assert release.modifier("gy") is release.modifiers["GY"]
    assert release.code("J9999") is None
    assert release.processing_notes == {
        "0045": "SEE INTERMEDIARY MANUAL 3628.1A FOR PAYMENT INSTRUCTIONS. (P3000,P3001 G0123, G0124, G0141, G0143, "
                "G0144, G0145, G0147, G0148). PROGRAM MEMORANDUM AB-98-71.60.",
        "0088": '"S" CODES ARE UNIQUE TEMPORARY CODES ESTABLISHED BY BCBSA AND HIAA FOR PRIVATE PAYOR USE. THEY ARE '
                "NOT VALID NOR PAYABLE BY MEDICARE.",
        "0133": "SEE ONLINE MANUAL 100-02.9.",
        "0134": "SECTION 5112 OF THE DRA.",
        "0135": "MEDICARE BENEFIT POLICY MANUAL, PUB 100.2, CHAPTER 15, SECTION 110.3 (100.02,15,110.3).",
    }


def test_long_description_over_three_records(release: hcpcs.HcpcsRelease) -> None:
    assert release.codes["A0384"] == HcpcsCode(
        code="A0384",
        long_description="Bls specialized service disposable supplies; defibrillation (used by als ambulances and "
                         "bls ambulances in jurisdictions where defibrillation is permitted in bls ambulances)",
        short_description="Bls defibrillation supplies",
        pricing_indicators=("00",),
        multiple_pricing_indicator="9",
        cim_references=(),
        mcm_references=(),
        statute=None,
        lab_certifications=(),
        cross_references=(),
        coverage="I",
        asc_payment_group=None,
        asc_effective_date=None,
        mog_payment_group=None,
        mog_payment_policy=None,
        mog_effective_date=None,
        processing_note=None,
        processing_note_text=None,
        betos="O1A",
        types_of_service=("D",),
        anesthesia_base_units=0,
        added_date=datetime.date(1995, 1, 1),
        action_effective_date=datetime.date(2014, 1, 1),
        termination_date=None,
        action="N",
        source_line=A0384,
    )


def test_repeated_fields_and_references(release: hcpcs.HcpcsRelease) -> None:
    assert release.codes["G0124"] == HcpcsCode(
        code="G0124",
        long_description="Screening cytopathology, cervical or vaginal (any reporting system), collected in "
                         "preservative fluid, automated thin layer preparation, requiring interpretation by physician",
        short_description="Screen c/v thin layer by md",
        pricing_indicators=("11", "21"),
        multiple_pricing_indicator="C",
        cim_references=("50-20",),
        mcm_references=(),
        statute=None,
        lab_certifications=("630",),
        cross_references=(),
        coverage="D",
        asc_payment_group=None,
        asc_effective_date=None,
        mog_payment_group=None,
        mog_payment_policy=None,
        mog_effective_date=None,
        processing_note="0045",
        processing_note_text="SEE INTERMEDIARY MANUAL 3628.1A FOR PAYMENT INSTRUCTIONS. (P3000,P3001 G0123, G0124, "
                             "G0141, G0143, G0144, G0145, G0147, G0148). PROGRAM MEMORANDUM AB-98-71.60.",
        betos="T1H",
        types_of_service=("5",),
        anesthesia_base_units=0,
        added_date=datetime.date(1998, 4, 1),
        action_effective_date=datetime.date(1998, 4, 1),
        termination_date=None,
        action="N",
        source_line=G0124,
    )
    g0464 = release.codes["G0464"]
    assert (g0464.lab_certifications, g0464.cross_references) == (("220", "310", "900"), ("81528",))
    assert release.codes["A4216"].mcm_references == ("2049",)


def test_several_types_of_service(release: hcpcs.HcpcsRelease) -> None:
    assert release.codes["A4216"].types_of_service == ("1", "L", "P")
    assert release.codes["J9035"].types_of_service == ("1", "P")


def test_terminated_codes(release: hcpcs.HcpcsRelease) -> None:
    c9089 = release.codes["C9089"]
    assert (c9089.termination_date, c9089.action, c9089.action_effective_date) == (
        datetime.date(2025, 12, 31), "D", datetime.date(2026, 1, 1))
    assert (c9089.statute, c9089.pricing_indicators, c9089.types_of_service) == ("1833(t)", ("53",), ("9", "F"))
    # The termination date is the last day the code may be used.
    assert not c9089.is_terminated(datetime.date(2025, 12, 31))
    assert c9089.is_terminated(datetime.date(2026, 1, 1))
    assert release.codes["G0464"].termination_date == datetime.date(2015, 12, 31)
    assert not release.codes["J9035"].is_terminated(datetime.date(2099, 1, 1))
    assert [code.code for code in release.active_codes()] == ["A0384", "A4216", "G0124", "J9035"]
    assert len(release.active_codes(datetime.date(2015, 12, 31))) == 6


def test_modifiers(release: hcpcs.HcpcsRelease) -> None:
    assert release.modifiers["CP"] == HcpcsModifier(
        code="CP",
        long_description="Adjunctive service related to a procedure assigned to a comprehensive ambulatory payment "
                         "classification (c-apc) procedure, but reported on a different claim",
        short_description="C-apc adjunctive service",
        coverage="C",
        cim_references=(),
        mcm_references=(),
        cross_references=(),
        processing_note=None,
        processing_note_text=None,
        added_date=datetime.date(2016, 1, 1),
        action_effective_date=datetime.date(2018, 1, 1),
        termination_date=datetime.date(2017, 12, 31),
        action="N",
        source_line=CP,
    )
    assert release.modifiers["CP"].is_terminated(datetime.date(2026, 1, 1))
    gy = release.modifiers["GY"]
    assert (gy.coverage, gy.termination_date, gy.source_line) == ("S", None, GY)
    assert gy.explanations == (
        Explanation("Coverage", "S", "Non-covered by Medicare statute"),
        Explanation("Action", "N", "No change"),
    )


def test_explanations(release: hcpcs.HcpcsRelease) -> None:
    assert release.codes["J9035"].explanations == (
        Explanation("Pricing indicator", "51", "Drugs"),
        Explanation("Multiple pricing indicator", "A", "Not applicable: priced under one method only"),
        Explanation("Coverage", "C", "Carrier judgment"),
        Explanation("ASC payment group", "YY", "Approved to be performed in an ambulatory surgical center (ASC)"),
        Explanation("BETOS category", "O1E", "Other drugs"),
        Explanation("Type of service", "1", "Medical care"),
        Explanation("Type of service", "P", "Lump-sum purchase of DME, prosthetics or orthotics"),
        Explanation("Action", "N", "No change"),
    )
    labels = [(item.label, item.value) for item in release.codes["G0124"].explanations]
    assert labels == [
        ("Pricing indicator", "11"), ("Pricing indicator", "21"), ("Multiple pricing indicator", "C"),
        ("Lab certification", "630"), ("Coverage", "D"), ("Processing note", "0045"), ("BETOS category", "T1H"),
        ("Type of service", "5"), ("Action", "N"),
    ]


def test_coverage_codes_in_words() -> None:
    assert hcpcs.COVERAGE_CODES == {
        "C": "Carrier judgment",
        "D": "Special coverage instructions apply",
        "I": "Not payable by Medicare",
        "M": "Non-covered by Medicare",
        "S": "Non-covered by Medicare statute",
    }
    assert sorted(hcpcs.ACTION_CODES) == list("ABCDFNPRST")


def test_line_ends_and_padding(tmp_path: Path) -> None:
    """LF line ends read the same as CRLF; spaces past position 320 (one real record has them) are ignored."""
    lines = data_lines()
    lines[J9035 - 1] += " " * 226
    members = fixture_members()
    members[DATA] = "\n".join(lines).encode("ascii")
    release = read_hcpcs(write_zip(tmp_path / "lf.zip", members))
    assert release.codes["J9035"].short_description == "Bevacizumab injection"
    assert len(release.codes) == 6


# --- Bad input: one exact message each --------------------------------------------------------------------


def test_unknown_coverage_value(tmp_path: Path) -> None:
    assert edited(tmp_path, J9035, 230, "Q") == [f"{DATA}:16: coverage code: unknown value 'Q'"]


def test_continuation_without_its_first_record(tmp_path: Path) -> None:
    lines = data_lines()
    del lines[G0124 - 1]
    assert problems_of(zip_with_data(tmp_path, lines)) == [
        f"{DATA}:11: record identification code: continuation of 'G0124' without its first record"
    ]


def test_short_line(tmp_path: Path) -> None:
    lines = data_lines()
    lines[A4216 - 1] = lines[A4216 - 1][:250]
    zip_path = zip_with_data(tmp_path, lines)
    with pytest.raises(InvalidHcpcsFile) as caught:
        read_hcpcs(zip_path)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{DATA}:9: record is 250 characters long; expected 320"
    ]
    assert str(caught.value) == f"1 problem found in {zip_path}; the HCPCS file was not read"


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    lines = data_lines()
    lines[J9035 - 1] = put(put(put(lines[J9035 - 1], 120, "77"), 262, "X"), 285, "20251331")
    lines[A0384 - 1] = put(lines[A0384 - 1], 257, "Q9Q")
    lines[CP - 1] = put(lines[CP - 1], 293, "Z")
    lines[A4216 - 1] += "  x"
    assert problems_of(zip_with_data(tmp_path, lines)) == [
        f"{DATA}:1: action code: unknown value 'Z'",
        f"{DATA}:6: BETOS code: unknown value 'Q9Q'",
        f"{DATA}:9: record is 323 characters long; expected 320",
        f"{DATA}:16: pricing indicator 1: unknown value '77'",
        f"{DATA}:16: termination date: not a date (YYYYMMDD): '20251331'",
        f"{DATA}:16: type of service code 2: unknown value 'X'",
    ]


def test_continuation_problems(tmp_path: Path) -> None:
    assert edited(tmp_path, G0124 + 2, 6, "00400") == [
        f"{DATA}:13: sequence number: expected 00300 after 00200, got 00400"
    ]
    assert edited(tmp_path, G0124 + 1, 230, "C") == [
        f"{DATA}:12: record identification code: continuation record '4' has data in positions 92-275, "
        "which must be blank"
    ]
    assert edited(tmp_path, CP + 1, 11, "4") == [
        f"{DATA}:2: record identification code: '4' continues a code record, but 'CP' started as a modifier"
    ]
    assert edited(tmp_path, J9035, 11, "5") == [
        f"{DATA}:16: record identification code: unknown value '5' (3 or 4 for procedure codes, 7 or 8 for modifiers)"
    ]


def test_missing_required_values(tmp_path: Path) -> None:
    assert edited(tmp_path, J9035, 120, " " * 8) == [f"{DATA}:16: pricing indicator: missing"]
    assert edited(tmp_path, J9035, 261, " " * 5) == [f"{DATA}:16: type of service code: missing"]
    assert edited(tmp_path, J9035, 269, " " * 8) == [f"{DATA}:16: added date: missing"]
    assert edited(tmp_path, J9035, 92, " " * 28) == [f"{DATA}:16: short description: missing"]


def test_identity_problems(tmp_path: Path) -> None:
    assert edited(tmp_path, J9035, 1, "A4216") == [f"{DATA}:16: code: duplicate code 'A4216', first at line 9"]
    assert edited(tmp_path, J9035, 1, "J903X") == [
        f"{DATA}:16: code: malformed HCPCS code 'J903X' (expected a letter and 4 digits)"
    ]
    # The record after it continues "   GY", which now has no first record.
    assert edited(tmp_path, GY, 1, "X") == [
        f"{DATA}:4: modifier: malformed modifier 'X  GY' (expected 3 spaces and 2 letters or digits)",
        f"{DATA}:5: record identification code: continuation of 'GY' without its first record",
    ]
    assert edited(tmp_path, GY, 257, "O1E") == [f"{DATA}:4: BETOS code: not used on modifier records, got 'O1E'"]


def test_unknown_processing_note(tmp_path: Path) -> None:
    assert edited(tmp_path, J9035, 253, "0999") == [f"{DATA}:16: processing note: note '0999' is not in {NOTES}"]


def test_not_ascii(tmp_path: Path) -> None:
    members = fixture_members()
    members[DATA] = members[DATA].replace(b"Bevacizumab injection", b"Bevacizumab\xae injectio")
    with pytest.raises(Abort, match=re.escape(f"{DATA}:16: not ASCII text: byte 0xAE at position 103")):
        read_hcpcs(write_zip(tmp_path / "hcpcs.zip", members))


def test_layout_differs_from_columns(tmp_path: Path) -> None:
    members = fixture_members()
    members[LAYOUT] = members[LAYOUT].replace(b"1    230    230    CHAR", b"1    231    231    CHAR")
    assert problems_of(write_zip(tmp_path / "hcpcs.zip", members)) == [
        f"{LAYOUT}:66: coverage code: the record layout puts 'HCPCS Coverage Code' at 231-231 (x1); this reader "
        "expects 230-230 (x1): update COLUMNS in generator/sources/hcpcs.py"
    ]


def test_missing_zip(tmp_path: Path) -> None:
    missing = tmp_path / "january-2026-alpha-numeric-hcpcs-file.zip"
    with pytest.raises(Abort, match=re.escape(f"{missing}: no such file (the CMS alpha-numeric HCPCS zip)")):
        read_hcpcs(missing)


def test_missing_member(tmp_path: Path) -> None:
    members = fixture_members()
    del members[NOTES]
    zip_path = write_zip(tmp_path / "hcpcs.zip", members)
    message = (f"{zip_path}: no member named like *proc_notes*.txt (the processing notes); "
               f"members: {DATA}, {LAYOUT}")
    with pytest.raises(Abort, match=re.escape(message)):
        read_hcpcs(zip_path)


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "hcpcs.zip"
    path.write_text("not a zip", encoding="ascii")
    with pytest.raises(Abort, match=re.escape(f"{path}: cannot read the zip: File is not a zip file")):
        read_hcpcs(path)


# --- The real January 2026 file ---------------------------------------------------------------------------

needs_real_file = pytest.mark.skipif(
    not REAL_ZIP.is_file(), reason=f"the CMS HCPCS file is not at {REAL_ZIP} (it is never committed)"
)


@pytest.fixture(scope="module")
def real() -> hcpcs.HcpcsRelease:
    return read_hcpcs(REAL_ZIP)


@needs_real_file
def test_real_counts(real: hcpcs.HcpcsRelease) -> None:
    assert real.label == "CY2026 January (2026-01-12)"
    assert len(real.codes) == 8623
    assert len(real.active_codes()) == 7323
    assert len(real.modifiers) == 383
    assert len(real.processing_notes) == 234


@needs_real_file
def test_real_bevacizumab(real: hcpcs.HcpcsRelease) -> None:
    j9035 = real.codes["J9035"]
    assert j9035.long_description == "Injection, bevacizumab, 10 mg"
    assert j9035.short_description == "Bevacizumab injection"
    assert (j9035.pricing_indicators, j9035.multiple_pricing_indicator, j9035.coverage) == (("51",), "A", "C")
    assert (j9035.asc_payment_group, j9035.asc_effective_date) == ("YY", datetime.date(2008, 1, 1))
    assert (j9035.betos, j9035.types_of_service, j9035.action) == ("O1E", ("1", "P"), "N")
    assert (j9035.added_date, j9035.termination_date) == (datetime.date(2005, 1, 1), None)


@needs_real_file
def test_real_terminated_code_and_long_description(real: hcpcs.HcpcsRelease) -> None:
    c9089 = real.codes["C9089"]
    assert (c9089.termination_date, c9089.action) == (datetime.date(2025, 12, 31), "D")
    assert c9089 not in real.active_codes()
    # 45 records; pieces are joined with one space, and "education-" stays apart from "helping" as CMS wrote it.
    g0019 = real.codes["G0019"].long_description
    assert g0019.startswith("Community health integration services performed by certified or trained auxiliary "
                            "personnel, including a community health worker, under the direction of a physician")
    assert "health education- helping the patient" in g0019
    assert "  " not in g0019


@needs_real_file
def test_tables_match_the_record_layout() -> None:
    """Each table of explanations has exactly the values the CMS record layout lists for its field."""
    with zipfile.ZipFile(REAL_ZIP) as archive:
        [name] = [name for name in archive.namelist() if "recordlayout" in name]
        text = archive.read(name).decode("ascii").expandtabs(8)
    listed: dict[str, set[str]] = {}
    section = ""
    for line in text.splitlines():
        if heading := re.match(r"\s{0,4}(\d{1,2})\.\s", line):
            section = heading[1]
        elif table := re.match(r"\s*(BETOS_TB|CMS_TYPE_SRVC_TB)\b", line):
            section = table[1]
        elif value := re.match(r"\s*([0-9A-Z]{1,3})\s*=\s*\S", line):
            listed.setdefault(section, set()).add(value[1])
    assert set(hcpcs.PRICING_INDICATORS) == listed["9"]
    assert set(hcpcs.MULTIPLE_PRICING_INDICATORS) == listed["10"]
    assert set(hcpcs.LAB_CERTIFICATIONS) == listed["14"]
    assert set(hcpcs.COVERAGE_CODES) == listed["16"]
    assert set(hcpcs.MOG_PAYMENT_GROUPS) == listed["19"]
    assert set(hcpcs.MOG_PAYMENT_POLICIES) == listed["20"]
    assert set(hcpcs.ACTION_CODES) == listed["30"]
    assert set(hcpcs.BETOS_CATEGORIES) == listed["BETOS_TB"]
    assert set(hcpcs.TYPES_OF_SERVICE) == listed["CMS_TYPE_SRVC_TB"]
