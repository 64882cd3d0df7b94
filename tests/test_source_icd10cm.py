"""The ICD-10-CM tabular reader: a small fixture in the CDC's format, exact messages for broken input, and the
real FY2026 file against the official counts, the package's own code list and simple_icd_10_cm."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from generator.codes import CodeRange
from generator.errors import Abort
from generator.sources.icd10cm import (
    CmKind,
    CmNode,
    CmRelease,
    InvalidTabular,
    NoteKind,
    SeventhCharacter,
    breadcrumbs,
    children,
    code_references,
    inherited_notes,
    packaged_tabular,
    read_icd10cm,
    siblings,
)

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "icd10cm" / "tabular.xml"


@pytest.fixture(scope="module")
def release() -> CmRelease:
    return read_icd10cm(FIXTURE)


@pytest.fixture(scope="module")
def real() -> CmRelease:
    return read_icd10cm()


def keys(nodes: list[CmNode]) -> list[str]:
    return [node.key for node in nodes]


def notes_of(release: CmRelease, key: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [(source, kind.value, note.kind.value, note.texts) for source, kind, note in inherited_notes(release, key)]


# --- The fixture ----------------------------------------------------------------------------------


def test_fixture_tree(release: CmRelease) -> None:
    assert release.label == "FY2026"
    assert release.chapters == ("4", "19")
    tree = {key: (node.kind.value, node.billable, node.parent) for key, node in release.nodes.items()}
    assert tree == {
        "4": ("chapter", False, None),
        "E08-E13": ("block", False, "4"),
        "E11": ("category", False, "E08-E13"),
        "E11.6": ("subcategory", False, "E11"),
        "E11.64": ("subcategory", False, "E11.6"),
        "E11.641": ("code", True, "E11.64"),
        "E11.649": ("code", True, "E11.64"),
        "E11.65": ("code", True, "E11.6"),
        "E11.69": ("code", True, "E11.6"),
        "E11.9": ("code", True, "E11"),
        "E36-E36": ("block", False, "4"),
        "E36": ("category", False, "E36-E36"),
        "E36.8": ("code", True, "E36"),
        "E40-E46": ("block", False, "4"),
        "E43": ("category", True, "E40-E46"),
        "19": ("chapter", False, None),
        "S00-S09": ("block", False, "19"),
        "S06": ("category", False, "S00-S09"),
        "S06.1": ("subcategory", False, "S06"),
        "S06.1X": ("subcategory", False, "S06.1"),
        "S06.1X1": ("subcategory", False, "S06.1X"),
        "S06.1X1A": ("code", True, "S06.1X1"),
        "S06.1X1D": ("code", True, "S06.1X1"),
        "S06.1X1S": ("code", True, "S06.1X1"),
        "S06.1X7": ("subcategory", False, "S06.1X"),
        "S06.1X7A": ("code", True, "S06.1X7"),
        "S70-S79": ("block", False, "19"),
        "S72": ("category", False, "S70-S79"),
        "S72.0": ("subcategory", False, "S72"),
        "S72.00": ("subcategory", False, "S72.0"),
        "S72.001": ("subcategory", False, "S72.00"),
        "S72.001A": ("code", True, "S72.001"),
        "S72.001B": ("code", True, "S72.001"),
        "S72.001S": ("code", True, "S72.001"),
        "S72.4": ("subcategory", False, "S72"),
        "S72.47": ("subcategory", False, "S72.4"),
        "S72.471": ("subcategory", False, "S72.47"),
        "S72.471A": ("code", True, "S72.471"),
        "S72.471D": ("code", True, "S72.471"),
        "S72.471S": ("code", True, "S72.471"),
        "S72.9": ("subcategory", False, "S72"),
        "S72.90": ("subcategory", False, "S72.9"),
        "S72.90XA": ("code", True, "S72.90"),
        "S72.90XB": ("code", True, "S72.90"),
        "S72.90XS": ("code", True, "S72.90"),
        "T07-T88": ("block", False, "19"),
        "T07-T07": ("block", False, "T07-T88"),
        "T07": ("category", False, "T07-T07"),
        "T07.XXXA": ("code", True, "T07"),
        "T07.XXXD": ("code", True, "T07"),
        "T07.XXXS": ("code", True, "T07"),
        "T36-T50": ("block", False, "T07-T88"),
        "T36": ("category", False, "T36-T50"),
        "T36.0": ("subcategory", False, "T36"),
        "T36.0X": ("subcategory", False, "T36.0"),
        "T36.0X1": ("subcategory", False, "T36.0X"),
        "T36.0X1A": ("code", True, "T36.0X1"),
        "T36.0X1D": ("code", True, "T36.0X1"),
        "T36.0X1S": ("code", True, "T36.0X1"),
    }
    # The tabular's order: every node before its children.
    assert list(release.nodes)[:3] == ["4", "E08-E13", "E11"]
    assert all(list(release.nodes).index(node.parent) < list(release.nodes).index(key)
               for key, node in release.nodes.items() if node.parent)


def test_chapters_and_blocks(release: CmRelease) -> None:
    chapter = release.node("4")
    assert chapter.title == "Endocrine, nutritional and metabolic diseases (E00-E89)"
    assert chapter.span == CodeRange("E00", "E89")
    assert chapter.children == ("E08-E13", "E36-E36", "E40-E46")
    assert release.node("E08-E13").span == CodeRange("E08", "E13")
    # A block of one category is keyed by its range, so that the category keeps the plain code.
    assert release.node("E36-E36").children == ("E36",)
    assert release.node("E36").kind is CmKind.CATEGORY
    # A block without categories heads the blocks that follow it within its range.
    assert release.node("19").children == ("S00-S09", "S70-S79", "T07-T88")
    assert release.node("T07-T88").children == ("T07-T07", "T36-T50")


def test_seventh_character_codes(release: CmRelease) -> None:
    closed = release.node("S72.001A")
    assert closed == CmNode(
        key="S72.001A", kind=CmKind.CODE,
        title="Fracture of unspecified part of neck of right femur, initial encounter for closed fracture",
        billable=True, parent="S72.001", children=(), notes=(), line=closed.line,
        base="S72.001", seventh=SeventhCharacter("A", "initial encounter for closed fracture"),
    )
    assert release.node("S72.001B").seventh == SeventhCharacter(
        "B", "initial encounter for open fracture type I or II", ("initial encounter for open fracture NOS",)
    )
    assert release.node("S72.001").children == ("S72.001A", "S72.001B", "S72.001S")
    # Placeholder X up to six characters: written in the XML (T36.0X1) or added (S72.90, T07).
    assert release.node("T36.0X1A").title == "Poisoning by penicillins, accidental (unintentional), initial encounter"
    assert release.node("S72.90").children == ("S72.90XA", "S72.90XB", "S72.90XS")
    assert release.node("T07").children == ("T07.XXXA", "T07.XXXD", "T07.XXXS")
    # The nearest table wins: S72.47 has no B but has D.
    assert release.node("S72.471").children == ("S72.471A", "S72.471D", "S72.471S")
    assert release.node("S72.471D").seventh == SeventhCharacter("D", "subsequent encounter for fracture with routine healing")
    # S06's rule in prose: no D or S after a 6th character 7 or 8.
    assert release.node("S06.1X7").children == ("S06.1X7A",)
    assert release.node("S06.1X1").children == ("S06.1X1A", "S06.1X1D", "S06.1X1S")


def test_own_notes(release: CmRelease) -> None:
    e11 = release.node("E11")
    # Repeated elements are merged where the first one was; white space runs become one space.
    assert [(note.kind, note.texts) for note in e11.notes] == [
        (NoteKind.INCLUDES, ("diabetes (mellitus) due to insulin secretory defect", "diabetes NOS")),
        (NoteKind.CODE_FIRST, ("the underlying condition, such as cystic fibrosis (E84.-)",)),
        (NoteKind.USE_ADDITIONAL_CODE, ("code to identify control using:", "insulin (Z79.4)", "oral antidiabetic drugs (Z79.84)")),
        (NoteKind.EXCLUDES1, ("diabetes mellitus due to underlying condition (E08.-)", "gestational diabetes (O24.4-)")),
        (NoteKind.EXCLUDES2, ("malnutrition (E40–E46)",)),
    ]
    table = release.node("S72").notes[-1]
    assert table.kind is NoteKind.SEVENTH_CHARACTER_TABLE and table.kind.label == "7th characters"
    assert table.texts == (
        "A: initial encounter for closed fracture",
        "B: initial encounter for open fracture type I or II (initial encounter for open fracture NOS)",
        "S: sequela",
    )
    assert [row.char for row in table.characters] == ["A", "B", "S"]
    assert release.node("4").notes[0].texts[0].startswith("All neoplasms, whether functionally active or not, are classified in Chapter 2. Appropriate")


def test_inherited_notes_own_level_first(release: CmRelease) -> None:
    assert notes_of(release, "E11.69") == [
        ("E11.69", "code", "useAdditionalCode", ("code to identify complication",)),
        ("E11", "category", "includes", ("diabetes (mellitus) due to insulin secretory defect", "diabetes NOS")),
        ("E11", "category", "codeFirst", ("the underlying condition, such as cystic fibrosis (E84.-)",)),
        ("E11", "category", "useAdditionalCode", ("code to identify control using:", "insulin (Z79.4)", "oral antidiabetic drugs (Z79.84)")),
        ("E11", "category", "excludes1", ("diabetes mellitus due to underlying condition (E08.-)", "gestational diabetes (O24.4-)")),
        ("E11", "category", "excludes2", ("malnutrition (E40–E46)",)),
        ("E08-E13", "block", "notes", ("The diabetes mellitus codes are combination codes that include the type of diabetes "
                                       "mellitus, the body system affected, and the complications affecting that body system.",)),
        ("4", "chapter", "notes", release.node("4").notes[0].texts),
        ("4", "chapter", "excludes1", ("transitory endocrine and metabolic disorders specific to newborn (P70-P74)",)),
    ]


def test_inherited_seventh_character_table_comes_from_the_nearest_level(release: CmRelease) -> None:
    assert [(source, note) for source, _, note, _ in notes_of(release, "S72.471A")] == [
        ("S72.47", "sevenChrNote"), ("S72.47", "sevenChrDef"),
        ("S72", "notes"), ("S72", "excludes1"),
        ("S70-S79", "excludes2"),
        ("19", "notes"), ("19", "useAdditionalCode"),
    ]
    assert [(source, note) for source, _, note, _ in notes_of(release, "T36.0X1A")] == [
        ("T36.0X1", "inclusionTerm"),
        ("T36", "excludes1"), ("T36", "sevenChrNote"), ("T36", "sevenChrDef"),
        ("T36-T50", "includes"), ("T36-T50", "codeFirst"),
        ("T07-T88", "notes"),
        ("19", "notes"), ("19", "useAdditionalCode"),
    ]


def test_navigation(release: CmRelease) -> None:
    assert keys(breadcrumbs(release, "E11.65")) == ["4", "E08-E13", "E11", "E11.6"]
    assert keys(breadcrumbs(release, "T36.0X1A")) == ["19", "T07-T88", "T36-T50", "T36", "T36.0", "T36.0X", "T36.0X1"]
    assert breadcrumbs(release, "19") == []
    assert keys(children(release, "E11.6")) == ["E11.64", "E11.65", "E11.69"]
    assert keys(siblings(release, "E11.65")) == ["E11.64", "E11.69"]
    assert keys(siblings(release, "4")) == ["19"]
    assert children(release, "E11.65") == []


@pytest.mark.parametrize(
    ("typed", "key"),
    [("e1165", "E11.65"), (" E11.65 ", "E11.65"), ("s72001a", "S72.001A"), ("e08–e13", "E08-E13"),
     ("E36", "E36"), ("E36-E36", "E36-E36"), ("04", "4")],
)
def test_lookup_accepts_any_spelling(release: CmRelease, typed: str, key: str) -> None:
    assert release.node(typed).key == key


def test_lookup_of_unknown_code(release: CmRelease) -> None:
    assert release.get("E11.66") is None
    with pytest.raises(KeyError, match=r"no ICD-10-CM chapter, block or code 'E11.66' in FY2026"):
        release.node("E11.66")


@pytest.mark.parametrize(
    ("text", "references"),
    [
        ("type 2 diabetes mellitus (E11.-)", [("E11.-", "E11")]),
        ("diabetes mellitus (E08-E13)", [("E08-E13", "E08-E13")]),
        ("malnutrition (E40–E46)", [("E40–E46", "E40-E46")]),
        ("intraoperative (E36-E36)", [("E36-E36", "E36-E36")]),
        ("see E36", [("E36", "E36")]),
        ("poisoning (T36-T65)", [("T36-T65", "T36")]),  # not a block: its first code
        ("fracture (S72.0-, S72.9-)", [("S72.0-", "S72.0"), ("S72.9-", "S72.9")]),
        ("codes S06.1- to S06.9-", [("S06.1-", "S06.1")]),  # S06.9 is not in the fixture
        ("psychoactive substance use (E11.6.-E11.9)", [("E11.6.-E11.9", "E11.6")]),
        ("injury (S00-T88) or (E00 - E89)", [("S00-T88", "19"), ("E00 - E89", "4")]),  # a chapter's range
        ("S72.001A and T07.XXXS.", [("S72.001A", "S72.001A"), ("T07.XXXS", "T07.XXXS")]),
        ("insulin (Z79.4), E. coli O157:H7, vitamin B12, G6PD, E11x", []),
    ],
)
def test_code_references(release: CmRelease, text: str, references: list[tuple[str, str]]) -> None:
    found = code_references(release, text)
    assert [(text[start:end], target) for start, end, target in found] == references


# --- Broken input ---------------------------------------------------------------------------------


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the fixture, read as ``tabular.xml`` from the current folder."""
    shutil.copy(FIXTURE, tmp_path / "tabular.xml")
    monkeypatch.chdir(tmp_path)
    return Path("tabular.xml")


def line_of(path: Path, needle: str) -> int:
    """The line of ``path`` (1-based) that holds the first ``needle``."""
    text = path.read_text(encoding="utf-8")
    assert needle in text, f"{needle!r} not in {path}"
    return text[: text.index(needle)].count("\n") + 1


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InvalidTabular) as error:
        read_icd10cm(path)
    count = len(error.value.problems)
    assert str(error.value) == f"{count} problem{'s' if count != 1 else ''} found in {path}; the ICD-10-CM tabular was not read"
    return [str(problem) for problem in error.value.problems]


E11_65 = "<name>E11.65</name>\n            <desc>Type 2 diabetes mellitus with hyperglycemia</desc>"


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        # The line is the one holding ``needle`` after the edit; "^" marks a problem of the enclosing element.
        (E11_65, "<name>E11.65</name>", "^<name>E11.65", "diag E11.65 <desc>: missing"),
        ("<desc>Type 2 diabetes mellitus with hyperglycemia</desc>", "<desc> </desc>", "<desc> </desc>",
         "diag E11.65 <desc>: missing text"),
        ("<name>E11.65</name>", "<name>E11.6X5XX</name>", "<name>E11.6X5XX",
         "diag E11.6X5XX <name>: 'E11.6X5XX' is not an ICD-10-CM code such as E11.65"),
        ("<name>E11.65</name>", "<name>E12.65</name>", "<name>E12.65",
         "diag E12.65 <name>: does not extend its parent E11.6 by one character"),
        ("<name>E43</name>", "<name>E43.0</name>", "<name>E43.0",
         "diag E43.0 <name>: a block holds categories (three characters), not E43.0"),
        ("<name>E11.65</name>", "<name>E11.65</name><dsc>typo</dsc>", "<dsc>", "diag E11.65 <dsc>: unexpected element"),
        ("<name>E11.65</name>", "<name>E11.65</name><name>E11.66</name>", "<name>E11.66", "diag E11.65 <name>: appears twice"),
        ("<name>E11.69</name>", "<name>E11.65</name>", "^<name>E11.65</name>\n            <desc>Type 2 diabetes mellitus with other",
         "diag E11.65: E11.65 appears twice (first on line 76)"),
        ("<note>insulin (Z79.4)</note>", "<note> </note>", "<note> </note>",
         "diag E11 <useAdditionalCode> <note>: missing text"),
        ('<extension char="B">', '<extension char="b">', '<extension char="b">',
         "diag S72 <sevenChrDef> <extension>: char 'b' is not one character 0-9 or A-Z"),
        ("<name>S72.001</name>", "<name>S72.001</name>\n<diag><name>S72.0011</name><desc>Fracture</desc></diag>",
         "<name>S72.0011", "diag S72.0011 <name>: takes a 7th character from the table of S72 but has 7 characters already"),
        ('<section id="E08-E13">', '<section id="E08-E1">', '<section id="E08-E1">',
         "section E08-E1 id: not a block id such as E08-E13 or E36"),
        ('<section id="T07-T88">', '<section id="T00-T06">', '<section id="T00-T06">',
         "section T00-T06: holds no <diag>, and no <section> after it falls in its range"),
        ("metabolic diseases (E00-E89)</desc>", "metabolic diseases</desc>", "metabolic diseases</desc>",
         "chapter 4 <desc>: does not end with the chapter's range, e.g. (E00-E89)"),
        ("<name>19</name>", "<name>XIX</name>", "<name>XIX", "chapter XIX <name>: 'XIX' is not a chapter number such as 4"),
        ("<version>2026</version>", "<version>FY26</version>", "<version>", "<version>: 'FY26' is not a fiscal year such as 2026"),
        ("<introduction>", "<intro/><introduction>", "<intro/>", "<intro>: unexpected element"),
    ],
)
def test_broken_element(broken: Path, old: str, new: str, needle: str, message: str) -> None:
    edit(broken, old, new)
    line = line_of(broken, needle.lstrip("^")) - needle.startswith("^")
    assert problems_of(broken) == [f"tabular.xml:{line}: {message}"]


def test_every_problem_is_reported_once(broken: Path) -> None:
    edit(broken, "<name>E11.65</name>", "<name>E11.6X5XX</name>")
    edit(broken, '<extension char="B">', "<extension>")
    assert problems_of(broken) == [
        f"tabular.xml:{line_of(broken, 'E11.6X5XX')}: diag E11.6X5XX <name>: 'E11.6X5XX' is not an ICD-10-CM code such as E11.65",
        f"tabular.xml:{line_of(broken, '<extension>')}: diag S72 <sevenChrDef> <extension>: char '' is not one character 0-9 or A-Z",
    ]


def test_wrong_root(broken: Path) -> None:
    edit(broken, "<ICD10CM.tabular>", "<ICD10PCS.tabular>")
    edit(broken, "</ICD10CM.tabular>", "</ICD10PCS.tabular>")
    assert problems_of(broken) == [
        f"tabular.xml:{line_of(broken, '<ICD10PCS.tabular>')}: <ICD10PCS.tabular>: expected the root element <ICD10CM.tabular>"
    ]


def test_not_well_formed(broken: Path) -> None:
    edit(broken, "<desc>Type 2 diabetes mellitus with hyperglycemia</desc>", "<desc>Type 2 diabetes mellitus with hyperglycemia")
    with pytest.raises(Abort) as error:
        read_icd10cm(broken)
    assert str(error.value) == f"tabular.xml:{line_of(broken, '<name>E11.65') + 2}: not well-formed XML: mismatched tag (column 13)"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(Abort) as error:
        read_icd10cm(tmp_path / "nothing.xml")
    assert str(error.value) == f"{(tmp_path / 'nothing.xml').as_posix()}: cannot read file: No such file or directory"


# --- The real FY2026 file -------------------------------------------------------------------------


def package_name(node: CmNode) -> str:
    """The name simple_icd_10_cm gives a node: a block of one category is named like the category."""
    return node.span.first if node.kind is CmKind.BLOCK and node.span and node.span.first == node.span.last else node.key


def test_official_counts(real: CmRelease) -> None:
    assert real.label == "FY2026 (April 1, 2026 update)"
    assert real.counts() == {
        # 39 blocks of one category share the category's code in the CDC's file; as items they count once.
        "items": 98_466,
        "nodes": 98_505,
        "chapters": 22,
        "blocks": 297,
        "categories": 1_918,
        "subcategories": 21_763,
        "codes": 74_505,
        "billable": 74_719,
        "7th-character codes": 51_305,
    }
    assert len({package_name(node) for node in real.nodes.values()}) == 98_466
    assert real.chapters == tuple(str(number) for number in range(1, 23))
    # Billable: every code, and the categories without subdivisions (I10); never a header.
    assert all(node.billable == (not node.children and node.kind in (CmKind.CODE, CmKind.CATEGORY))
               for node in real.nodes.values())


def test_fixture_counts(release: CmRelease) -> None:
    assert release.counts() == {
        "items": 57, "nodes": 59, "chapters": 2, "blocks": 8, "categories": 7, "subcategories": 17, "codes": 25,
        "billable": 26, "7th-character codes": 19,
    }


def test_same_items_as_the_package_code_list(real: CmRelease) -> None:
    code_list = packaged_tabular().parent / "code-list-April-2026.txt"
    listed = code_list.read_text(encoding="utf-8").split()
    assert Counter(listed) == Counter(package_name(node).replace(".", "") for node in real.nodes.values())


@pytest.mark.filterwarnings("ignore:(read_text|open_text) is deprecated:DeprecationWarning")  # the package, on import
def test_same_tree_as_simple_icd_10_cm(real: CmRelease) -> None:
    import simple_icd_10_cm as cm

    assert [package_name(node) for node in real.nodes.values()] == cm.get_all_codes()
    headings = {key for key, node in real.nodes.items()
                if node.kind is CmKind.BLOCK and all(real.nodes[child].kind is CmKind.BLOCK for child in node.children)}
    leaves = {code for code in set(cm.get_all_codes()) if cm.is_leaf(code)}
    billable = {key for key, node in real.nodes.items() if node.billable}
    # The package counts the 12 blocks that head other blocks (C00-C96, V00-V99, ...) as leaves.
    assert leaves - billable == {package_name(real.nodes[key]) for key in headings} and billable <= leaves
    # Same titles, except that the package also appends a 7th character's further terms ("…, stable/Old …").
    for node in real.nodes.values():
        if node.seventh is None or not node.seventh.also:
            assert node.title == " ".join(cm.get_description(package_name(node), prioritize_blocks=node.kind is CmKind.BLOCK).split())


def test_e11_65(real: CmRelease) -> None:
    node = real.node("E11.65")
    assert (node.title, node.kind, node.billable, node.children) == (
        "Type 2 diabetes mellitus with hyperglycemia", CmKind.CODE, True, ()
    )
    assert keys(breadcrumbs(real, "E11.65")) == ["4", "E08-E13", "E11", "E11.6"]
    assert [(source, note.kind.value) for source, _, note in inherited_notes(real, "E11.65")] == [
        ("E11", "includes"), ("E11", "useAdditionalCode"), ("E11", "excludes1"),
        ("4", "notes"), ("4", "excludes1"),
    ]
    excludes1 = inherited_notes(real, "E11.65")[2].note.texts
    assert excludes1[0] == "diabetes mellitus due to underlying condition (E08.-)"
    assert code_references(real, excludes1[0]) == [(47, 52, "E08")]


def test_e11_is_a_header(real: CmRelease) -> None:
    node = real.node("E11")
    assert (node.kind, node.billable, node.parent) == (CmKind.CATEGORY, False, "E08-E13")
    assert node.children[:3] == ("E11.0", "E11.1", "E11.2")
    assert real.node("I10").kind is CmKind.CATEGORY and real.node("I10").billable


def test_s72_001a(real: CmRelease) -> None:
    node = real.node("S72.001A")
    assert (node.title, node.billable, node.base, node.seventh) == (
        "Fracture of unspecified part of neck of right femur, initial encounter for closed fracture", True, "S72.001",
        SeventhCharacter("A", "initial encounter for closed fracture"),
    )
    assert len(real.node("S72.001").children) == 16
    assert keys(breadcrumbs(real, "S72.001A")) == ["19", "S70-S79", "S72", "S72.0", "S72.00", "S72.001"]
    sources = [(source, note.kind.value) for source, _, note in inherited_notes(real, "S72.001A")]
    assert ("S72", "sevenChrDef") in sources and ("S72", "sevenChrNote") in sources


def test_real_oddities(real: CmRelease) -> None:
    # Placeholder X added to a 3-character code; S06's prose rule; the new category QA0 (a letter second).
    assert real.node("T07.XXXA").base == "T07"
    assert real.node("S06.1X7").children == ("S06.1X7A",) and real.node("S06.1X1").children[-1] == "S06.1X1S"
    assert keys(breadcrumbs(real, "QA0.0101")) == ["17", "QA0-QA0", "QA0", "QA0.0", "QA0.01", "QA0.010"]
    # Blocks without categories head the blocks in their range, and their notes apply below them.
    assert keys(breadcrumbs(real, "T20.011A"))[:3] == ["19", "T07-T88", "T20-T32"]
    assert keys(breadcrumbs(real, "C7A.00"))[:3] == ["2", "C00-C96", "C7A-C7A"]
    assert ("T20-T32", "excludes2") in [(source, note.kind.value) for source, _, note in inherited_notes(real, "T20.011A")]
    visual = real.node("H54.8").notes[-1]
    assert visual.kind is NoteKind.VISUAL_IMPAIRMENT
    assert visual.texts[:2] == (
        "Visual acuity with best possible correction",
        "Category 1: Maximum less than: 6/18, 3/10(0.3), 20/70; Minimum equal to or better than: 6/60, 1/10(0.1), 20/200",
    )
    assert visual.texts[-1] == "Category 9: Undetermined or unspecified"
