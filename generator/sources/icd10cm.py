"""Read the ICD-10-CM tabular: the CDC's XML of chapters, blocks, categories and codes with their notes.

The FY2026 file (April 1, 2026 update) ships in the ``simple-icd-10-cm`` package;
:func:`read_icd10cm` reads it, or any file in the same format, with the standard
library and returns a :class:`CmRelease`: every chapter, block (the XML's
``<section>``), category, subcategory and code, keyed by one normal form, with the
official notes of each level.

Codes with a 7th character (``S72.001A``) are not written in the XML. A
``<sevenChrDef>`` table on a category or subcategory lists the characters, and
every code below it that has no subdivisions takes each of them, after
placeholder ``X`` up to six characters (``T36.0X1`` → ``T36.0X1A``, ``T07`` →
``T07.XXXA``). The nearest table wins (``S72.47`` has its own, narrower than
``S72``'s), and one rule written only in prose is applied here
(:data:`SEVENTH_CHARACTER_EXCEPTIONS`).

The XML lists a chapter's sections one after another, but 12 of them hold no
categories: they are headings over the sections that follow within their range
("Malignant neoplasms (C00-C96)" over "C00-C75" over "C00-C14"), and their notes
apply to those (T20-T32's Excludes2 holds for every burn code). They are read as
blocks whose children are blocks.

Every problem in the file (a missing name, a malformed code, an unknown element,
...) is collected and reported together, each naming the file, line, element
and field (:class:`InvalidTabular`), e.g.
``tabular.xml:41: diag E11.65 <desc>: missing text``.
"""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from ..codes import CodeRange, normalise_code
from ..errors import Abort, InvalidContent, Problem

#: The package that ships the tabular, and the file in its ``data`` folder this release is built from.
PACKAGE = "simple_icd_10_cm"
PACKAGED_TABULAR = "icd10c-tabular-April-1-2026.xml"

ROOT_TAG = "ICD10CM.tabular"


class CmKind(str, Enum):
    """Where a node sits in the classification; the names are the ICD-10-CM conventions' own.

    A *category* has three characters, a *subcategory* four to six and is divided
    further, and a *code* is a final level, valid on a claim (four to seven
    characters, including the generated 7th-character codes). A category with no
    subdivision (``I10``) is valid on a claim too: it stays a ``category`` with
    ``billable`` true.
    """

    CHAPTER = "chapter"
    BLOCK = "block"
    CATEGORY = "category"
    SUBCATEGORY = "subcategory"
    CODE = "code"


class NoteKind(str, Enum):
    """The kind of an instructional note; the value is the XML element it is read from."""

    INCLUSION_TERM = "inclusionTerm"
    INCLUDES = "includes"
    EXCLUDES1 = "excludes1"
    EXCLUDES2 = "excludes2"
    CODE_FIRST = "codeFirst"
    USE_ADDITIONAL_CODE = "useAdditionalCode"
    CODE_ALSO = "codeAlso"
    NOTES = "notes"
    SEVENTH_CHARACTER_NOTE = "sevenChrNote"
    SEVENTH_CHARACTER_TABLE = "sevenChrDef"
    #: The table of visual impairment categories on H54 (one line per category).
    VISUAL_IMPAIRMENT = "visualImpairment"

    @property
    def label(self) -> str:
        """The heading shown above the note, as the code books print it."""
        return NOTE_LABELS[self]


NOTE_LABELS: dict[NoteKind, str] = {
    NoteKind.INCLUSION_TERM: "Inclusion terms",
    NoteKind.INCLUDES: "Includes",
    NoteKind.EXCLUDES1: "Excludes1",
    NoteKind.EXCLUDES2: "Excludes2",
    NoteKind.CODE_FIRST: "Code first",
    NoteKind.USE_ADDITIONAL_CODE: "Use additional code",
    NoteKind.CODE_ALSO: "Code also",
    NoteKind.NOTES: "Notes",
    NoteKind.SEVENTH_CHARACTER_NOTE: "7th character",
    NoteKind.SEVENTH_CHARACTER_TABLE: "7th characters",
    NoteKind.VISUAL_IMPAIRMENT: "Categories of visual impairment",
}

#: Note elements that hold nothing but ``<note>`` lines.
_LINE_NOTES = frozenset(kind.value for kind in NoteKind) - {
    NoteKind.SEVENTH_CHARACTER_TABLE.value,
    NoteKind.VISUAL_IMPAIRMENT.value,
}
#: The 7th-character note and table apply from the nearest level that has a table, never from two levels.
_SEVENTH_CHARACTER_KINDS = frozenset({NoteKind.SEVENTH_CHARACTER_NOTE, NoteKind.SEVENTH_CHARACTER_TABLE})


@dataclass(frozen=True, slots=True)
class SeventhCharacter:
    """One row of a 7th-character table: ``A`` means "initial encounter for closed fracture"."""

    char: str
    meaning: str
    #: Further terms the table lists under this character, e.g. "initial encounter for open fracture NOS"
    #: under S72's ``B`` ("initial encounter for open fracture type I or II").
    also: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The row as one line of text: ``B: initial encounter for open fracture type I or II (… NOS)``."""
        also = f" ({'; '.join(self.also)})" if self.also else ""
        return f"{self.char}: {self.meaning}{also}"


@dataclass(frozen=True, slots=True)
class CmNote:
    """One instructional note of one level: its kind and its lines, in the tabular's order.

    The XML sometimes repeats an element on one level (two ``<useAdditionalCode>``
    on a code); their lines are merged into one note, placed where the first
    one was. For a 7th-character table ``texts`` holds one line per character
    (:attr:`SeventhCharacter.text`) and ``characters`` the table itself.
    """

    kind: NoteKind
    texts: tuple[str, ...]
    characters: tuple[SeventhCharacter, ...] = ()


@dataclass(frozen=True, slots=True)
class CmNode:
    """One chapter, block, category, subcategory or code of the tabular.

    ``key`` is the node's identity within the release: the chapter number
    (``"4"``), the block's range (``"E08-E13"``; a block of one category is keyed
    ``"E36-E36"`` so that it does not collide with the category ``E36``), or the
    code in dotted normal form (``"E11.65"``, ``"S72.001A"``).
    """

    key: str
    kind: CmKind
    #: The official description; chapter and block titles end with their range, e.g. "Diabetes mellitus (E08-E13)".
    title: str
    #: Valid on a claim: true for every final level (including 7th-character codes), false for headers.
    billable: bool
    parent: str | None
    children: tuple[str, ...]
    #: The notes written at this level, in the tabular's order; see :func:`inherited_notes` for the rest.
    notes: tuple[CmNote, ...]
    #: The line of the XML file the node is read from; a 7th-character code has its base code's line.
    line: int
    #: The codes a chapter or block spans; ``None`` for codes.
    span: CodeRange | None = None
    #: For a 7th-character code (generated from a table, not written in the XML): the code it extends, e.g. ``S72.001``.
    base: str | None = None
    #: For a 7th-character code: its 7th character and what that character means.
    seventh: SeventhCharacter | None = None


class InheritedNote(NamedTuple):
    """A note that applies to a node, and the level it is written at."""

    source_key: str
    source_kind: CmKind
    note: CmNote


@dataclass(frozen=True, eq=False)
class CmRelease:
    """One release of the ICD-10-CM tabular, with every node by key."""

    #: Shown on every page, e.g. "FY2026 (April 1, 2026 update)".
    label: str
    #: The file the release was read from, as shown in messages.
    source: str
    #: Every node by key, in the tabular's order (each node before its children; 7th-character codes after their base).
    nodes: Mapping[str, CmNode] = field(repr=False)
    #: Chapter keys in order, ``("1", ..., "22")``.
    chapters: tuple[str, ...]

    def get(self, text: str) -> CmNode | None:
        """The node ``text`` names in any spelling (``e1165``, ``E11.65``, ``e08–e13``, ``4``), or ``None``."""
        return self.nodes.get(lookup_key(text))

    def node(self, text: str) -> CmNode:
        """Like :meth:`get`, but a name that matches no node raises :class:`KeyError`."""
        found = self.get(text)
        if found is None:
            raise KeyError(f"no ICD-10-CM chapter, block or code {text!r} in {self.label}")
        return found

    def counts(self) -> dict[str, int]:
        """The release's figures, to compare with the published ones.

        ``items`` counts what the CDC's files name: there a block of one category
        shares its category's name (``<section id="E36">`` holds ``E36``), so the
        39 such blocks, separate nodes here (``E36-E36``), count once; ``nodes``
        counts them twice. For FY2026 (April): 98,466 items, 98,505 nodes, 74,719
        billable codes (7th-character codes included).
        """
        kinds = {kind: 0 for kind in CmKind}
        single_blocks = billable = seventh = 0
        for node in self.nodes.values():
            kinds[node.kind] += 1
            billable += node.billable
            seventh += node.seventh is not None
            single_blocks += node.kind is CmKind.BLOCK and node.span is not None and node.span.first == node.span.last
        return {
            "items": len(self.nodes) - single_blocks,
            "nodes": len(self.nodes),
            "chapters": kinds[CmKind.CHAPTER],
            "blocks": kinds[CmKind.BLOCK],
            "categories": kinds[CmKind.CATEGORY],
            "subcategories": kinds[CmKind.SUBCATEGORY],
            "codes": kinds[CmKind.CODE],
            "billable": billable,
            "7th-character codes": seventh,
        }


class InvalidTabular(InvalidContent):
    """The tabular XML has problems; every one is listed, then reading stops once."""

    def __init__(self, problems: list[Problem], shown: str) -> None:
        super().__init__(problems)
        count = len(self.problems)
        self.args = (f"{count} problem{'s' if count != 1 else ''} found in {shown}; the ICD-10-CM tabular was not read",)


#: 7th characters a code does not take although its table lists them: rules the tabular states only in
#: prose. Each is (pattern of the code without its dot and with placeholders, characters it does not take).
SEVENTH_CHARACTER_EXCEPTIONS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    # S06's note: "7th characters D and S do not apply to codes in category S06 with 6th character 7 - death
    # due to brain injury prior to regaining consciousness, or 8 - death due to other cause prior to
    # regaining consciousness."
    (re.compile(r"S06[0-9A-Z]{2}[78]"), frozenset("DS")),
)

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphen-minus, hyphens, figure/en/em dash, minus sign
_CODE = r"[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(?:\.[0-9A-Z]{1,4})?"  # the second character is a letter only in QA0
_CODE_SHAPE = re.compile(_CODE)
_BLOCK_ID = re.compile(r"([A-Z][0-9A-Z]{2})(?:-([A-Z][0-9A-Z]{2}))?")
_CHAPTER_NUMBER = re.compile(r"[1-9][0-9]?")
_CHAPTER_SPAN = re.compile(r"\(([A-Z][0-9A-Z]{2})-([A-Z][0-9A-Z]{2})\)$")
_VERSION = re.compile(r"\d{4}")
_FILE_DATE = re.compile(r"-([A-Z][a-z]+)-(\d{1,2})-(\d{4})\.xml$")
_PARSE_LOCATION = re.compile(r": line \d+, column \d+$")
# A code, its "and below" dash (E11.-, O09.3-), then maybe a dash and the range's last code; the dash of
# "and below" may double as the range's (F11.-F17.-).
_REFERENCE = re.compile(
    rf"(?<![0-9A-Za-z.])(?P<first>{_CODE})(?:\.?[{_DASHES}])?"
    rf"(?:(?:\s*[{_DASHES}]\s*|(?<=[{_DASHES}]))(?P<last>{_CODE})(?:\.?[{_DASHES}])?)?(?![0-9A-Za-z])"
)


# --- Reading --------------------------------------------------------------------------------------


def packaged_tabular() -> Path:
    """The tabular XML in the installed ``simple-icd-10-cm`` package.

    The package's directory is found without importing it: importing it builds its
    own tree of every code, which takes seconds and hundreds of megabytes.
    """
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise Abort(f"the {PACKAGE} package is not installed: install simple-icd-10-cm, or pass the tabular XML's path")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    path = data / PACKAGED_TABULAR
    if not path.is_file():
        present = sorted(found.name for found in data.glob("*.xml")) or ["no XML file"]
        raise Abort(f"{path}: not found; the installed {PACKAGE} holds {', '.join(present)}")
    return path


def read_icd10cm(xml_path: Path | None = None) -> CmRelease:
    """Read an ICD-10-CM tabular XML file; by default the one in the ``simple-icd-10-cm`` package.

    Raises :class:`~generator.errors.Abort` when the file cannot be read or is not
    well-formed XML, and :class:`InvalidTabular`, listing every problem, when
    elements are missing, malformed or unknown.
    """
    path = packaged_tabular() if xml_path is None else Path(xml_path)
    shown = path.as_posix()
    root, lines = _parse(path, shown)
    return _Reader(shown, lines).read(root, path.name)


def _parse(path: Path, shown: str) -> tuple[ET.Element, dict[ET.Element, int]]:
    """Parse the file, remembering the line each element starts on (ElementTree does not keep it)."""
    parser = ET.XMLPullParser(events=("start",))
    lines: dict[ET.Element, int] = {}
    try:
        with path.open("rb") as stream:
            # Fed one line at a time, the parser reports each start tag right after the line it is on.
            for number, raw_line in enumerate(stream, 1):
                parser.feed(raw_line)
                for _, element in parser.read_events():
                    lines[element] = number
            parser.close()
    except OSError as error:
        raise Abort(f"{shown}: cannot read file: {error.strerror or error}") from None
    except ET.ParseError as error:
        line, column = error.position
        message = _PARSE_LOCATION.sub("", str(error))
        raise Abort(f"{shown}:{line}: not well-formed XML: {message} (column {column + 1})") from None
    return next(iter(lines)), lines


def _text(element: ET.Element) -> str:
    """The element's text with runs of white space (tabs and line breaks in the file) made single spaces."""
    return " ".join("".join(element.itertext()).split())


def _find_text(element: ET.Element, path: str) -> str:
    """The text of the first element at ``path`` below ``element``; ``""`` when there is none."""
    found = element.find(path)
    return _text(found) if found is not None else ""


def _release_label(version: str, file_name: str) -> str:
    """``FY2026 (April 1, 2026 update)`` from the ``<version>`` and a CDC file name ending ``-April-1-2026.xml``."""
    dated = _FILE_DATE.search(file_name)
    return f"FY{version} ({dated[1]} {dated[2]}, {dated[3]} update)" if dated else f"FY{version}"


@dataclass
class _Fields:
    """What one ``<chapter>``, ``<section>`` or ``<diag>`` says about itself, before it becomes a node."""

    desc: str = ""
    notes: dict[NoteKind, list[str]] = field(default_factory=dict)
    table: dict[str, SeventhCharacter] = field(default_factory=dict)
    children: list[ET.Element] = field(default_factory=list)

    def cm_notes(self) -> tuple[CmNote, ...]:
        if not self.notes:
            return ()
        characters = tuple(self.table.values())
        return tuple(
            CmNote(kind, tuple(row.text for row in characters), characters)
            if kind is NoteKind.SEVENTH_CHARACTER_TABLE
            else CmNote(kind, tuple(texts))
            for kind, texts in self.notes.items()
        )


@dataclass(frozen=True)
class _Table:
    """The 7th-character table in force below a node: the key of the node that defines it, and its rows."""

    owner: str
    characters: tuple[SeventhCharacter, ...]


@dataclass
class _Heading:
    """A block that holds blocks, not categories, while the blocks in its range are read."""

    key: str
    span: CodeRange
    parent: str
    fields: _Fields
    line: int
    where: str
    element: ET.Element
    children: list[str] = field(default_factory=list)


def _within(inner: CodeRange, outer: CodeRange) -> bool:
    """Whether the block ``inner`` falls in the range of the block ``outer``."""
    return outer.first <= inner.first and inner.last <= outer.last


class _Reader:
    """Turns the parsed tree into nodes, collecting every problem on the way."""

    def __init__(self, shown: str, lines: dict[ET.Element, int]) -> None:
        self.shown = shown
        self.lines = lines
        self.problems: list[Problem] = []
        #: Nodes in the tabular's order; a key is reserved (``None``) before its children are read.
        self.nodes: dict[str, CmNode | None] = {}

    def problem(self, element: ET.Element, where: str, message: str) -> None:
        self.problems.append(Problem(self.shown, self.lines.get(element, 0), where, message))

    def text(self, element: ET.Element, where: str) -> str:
        """The element's text; an empty one is a problem (and returned as ``""``)."""
        text = _text(element)
        if not text:
            self.problem(element, where, "missing text")
        return text

    def reserve(self, key: str, element: ET.Element, where: str) -> bool:
        """Claim ``key`` for the node read from ``element``; a second claim is a problem."""
        if key in self.nodes:
            first = self.nodes[key]
            self.problem(element, where, f"{key} appears twice" + (f" (first on line {first.line})" if first else ""))
            return False
        self.nodes[key] = None
        return True

    def read(self, root: ET.Element, file_name: str) -> CmRelease:
        version = ""
        chapters: list[str] = []
        if root.tag != ROOT_TAG:
            self.problem(root, f"<{root.tag}>", f"expected the root element <{ROOT_TAG}>")
            raise InvalidTabular(self.problems, self.shown)
        for child in root:
            if child.tag == "version":
                version = self.text(child, "<version>")
                if version and not _VERSION.fullmatch(version):
                    self.problem(child, "<version>", f"{version!r} is not a fiscal year such as 2026")
            elif child.tag == "introduction":
                pass  # the conventions of the whole classification, not notes of any code
            elif child.tag == "chapter":
                key = self.chapter(child)
                if key:
                    chapters.append(key)
            else:
                self.problem(child, f"<{child.tag}>", "unexpected element")
        if not version:
            self.problem(root, "<version>", "missing")
        if not chapters and not self.problems:
            self.problem(root, "<chapter>", "no chapter in the file")
        if self.problems:
            raise InvalidTabular(self.problems, self.shown)
        # Without problems, every reserved key has been filled.
        nodes: dict[str, CmNode] = self.nodes  # type: ignore[assignment]
        return CmRelease(_release_label(version, file_name), self.shown, MappingProxyType(nodes), tuple(chapters))

    def fields(self, element: ET.Element, where: str, child_tag: str, own: frozenset[str]) -> _Fields:
        """Read the description, notes and child elements of a chapter, section or diag.

        ``own`` are the further elements this kind of element may hold (its ``<name>``,
        and the chapter's ``<sectionIndex>``); they are read by the caller.
        """
        fields = _Fields()
        for child in element:
            tag = child.tag
            if tag == child_tag:
                fields.children.append(child)
            elif tag == "desc":
                if fields.desc:
                    self.problem(child, f"{where} <desc>", "appears twice")
                fields.desc = self.text(child, f"{where} <desc>")
            elif tag in _LINE_NOTES:
                lines = fields.notes.setdefault(NoteKind(tag), [])
                for line in child:
                    if line.tag == "note":
                        lines.append(self.text(line, f"{where} <{tag}> <note>"))
                    else:
                        self.problem(line, f"{where} <{tag}> <{line.tag}>", "unexpected element")
                if not len(child):
                    self.problem(child, f"{where} <{tag}>", "no <note> in it")
            elif tag == NoteKind.SEVENTH_CHARACTER_TABLE.value:
                fields.notes.setdefault(NoteKind.SEVENTH_CHARACTER_TABLE, [])
                self.seventh_character_table(child, f"{where} <{tag}>", fields.table)
            elif tag == NoteKind.VISUAL_IMPAIRMENT.value:
                fields.notes.setdefault(NoteKind.VISUAL_IMPAIRMENT, []).extend(self.visual_impairment(child, where))
            elif tag not in own:
                self.problem(child, f"{where} <{tag}>", "unexpected element")
            elif tag == "name" and child is not element.find("name"):
                self.problem(child, f"{where} <name>", "appears twice")
        if not fields.desc and element.find("desc") is None:
            self.problem(element, f"{where} <desc>", "missing")
        return fields

    def seventh_character_table(self, element: ET.Element, where: str, table: dict[str, SeventhCharacter]) -> None:
        last: str | None = None
        for child in element:
            if child.tag == "extension":
                char = child.get("char", "")
                meaning = self.text(child, f"{where} <extension char={char!r}>")
                if len(char) != 1 or not char.isalnum() or not char.isascii() or char.islower():
                    self.problem(child, f"{where} <extension>", f"char {char!r} is not one character 0-9 or A-Z")
                elif char in table:
                    self.problem(child, f"{where} <extension>", f"char {char!r} appears twice")
                else:
                    table[char] = SeventhCharacter(char, meaning)
                    last = char
            elif child.tag == "note":
                # A further term for the character above it, e.g. "initial encounter for open fracture NOS".
                text = self.text(child, f"{where} <note>")
                if last is None:
                    self.problem(child, f"{where} <note>", "comes before any <extension>")
                else:
                    row = table[last]
                    table[last] = SeventhCharacter(row.char, row.meaning, (*row.also, text))
            else:
                self.problem(child, f"{where} <{child.tag}>", "unexpected element")
        if not table:
            self.problem(element, where, "no <extension> in it")

    def visual_impairment(self, element: ET.Element, where: str) -> list[str]:
        """H54's table as lines: the acuity heading, then one line per category of visual impairment.

        The first ``<visCategory>`` holds the headings ("Visual acuity with best
        possible correction", "Maximum less than:", "Minimum equal to or better
        than:"); each further one a category number and its acuity bounds in
        several notations.
        """
        where = f"{where} <visualImpairment>"
        categories = element.findall("visCategory")
        if len(categories) < 2 or len(categories) != len(element):
            self.problem(element, where, "expected a heading <visCategory> and one per category, nothing else")
            return []
        headings = categories[0]
        lines = [_find_text(headings, "visRange/heading")]
        upper, lower = _find_text(headings, "visRange/visMax/heading"), _find_text(headings, "visRange/visMin/heading")
        for category in categories[1:]:
            number = _find_text(category, "value")
            maxima = [_text(value) for value in category.findall("visRange/visMax/value")]
            minima = [_text(value) for value in category.findall("visRange/visMin/value")]
            if not number or not maxima:
                self.problem(category, f"{where} <visCategory>", "missing <value>")
            elif minima:
                lines.append(f"Category {number}: {upper} {', '.join(maxima)}; {lower} {', '.join(minima)}")
            else:  # categories 5 and 9 are described, not bounded: "No light perception"
                lines.append(f"Category {number}: {', '.join(maxima)}")
        return lines

    def chapter(self, element: ET.Element) -> str | None:
        name = element.find("name")
        number = _text(name) if name is not None else ""
        where = f"chapter {number}" if number else "chapter"
        fields = self.fields(element, where, "section", frozenset({"name", "sectionIndex"}))
        # <sectionIndex> is the chapter's table of contents: the <section> elements say the same and more.
        if name is None or not number:
            self.problem(name if name is not None else element, f"{where} <name>", "missing")
            return None
        if not _CHAPTER_NUMBER.fullmatch(number):
            self.problem(name, f"{where} <name>", f"{number!r} is not a chapter number such as 4")
            return None
        chapter_span = _CHAPTER_SPAN.search(fields.desc)
        if fields.desc and not chapter_span:
            desc = element.find("desc")
            self.problem(element if desc is None else desc, f"{where} <desc>",
                         "does not end with the chapter's range, e.g. (E00-E89)")
        if not self.reserve(number, element, where):
            return None
        top: list[str] = []
        # Headings whose range the current <section> may fall in, innermost last.
        open_headings: list[_Heading] = []
        headings: list[_Heading] = []
        for section in fields.children:
            block = self.block_key(section, number)
            if block is None:
                continue
            key, span, block_where = block
            while open_headings and not _within(span, open_headings[-1].span):
                open_headings.pop()
            parent = open_headings[-1].key if open_headings else number
            block_fields = self.fields(section, block_where, "diag", frozenset())
            if not self.reserve(key, section, block_where):
                continue
            (open_headings[-1].children if open_headings else top).append(key)
            line = self.lines[section]
            if block_fields.children:
                categories = tuple(code for diag in block_fields.children if (code := self.diag(diag, key, None, None)))
                self.nodes[key] = CmNode(
                    key, CmKind.BLOCK, block_fields.desc, False, parent, categories, block_fields.cm_notes(), line, span
                )
            else:
                heading = _Heading(key, span, parent, block_fields, line, block_where, section)
                open_headings.append(heading)
                headings.append(heading)
        for heading in headings:
            if not heading.children:
                self.problem(heading.element, heading.where, "holds no <diag>, and no <section> after it falls in its range")
            self.nodes[heading.key] = CmNode(
                heading.key, CmKind.BLOCK, heading.fields.desc, False, heading.parent, tuple(heading.children),
                heading.fields.cm_notes(), heading.line, heading.span,
            )
        self.nodes[number] = CmNode(
            number, CmKind.CHAPTER, fields.desc, False, None, tuple(top), fields.cm_notes(), self.lines[element],
            span=CodeRange(chapter_span[1], chapter_span[2]) if chapter_span else None,
        )
        return number

    def block_key(self, element: ET.Element, chapter: str) -> tuple[str, CodeRange, str] | None:
        """The key, range and name in messages of a ``<section>``, from its ``id``."""
        ident = element.get("id", "")
        where = f"section {ident}" if ident else f"chapter {chapter} <section>"
        shape = _BLOCK_ID.fullmatch(ident)
        if not shape:
            self.problem(element, f"{where} id", "not a block id such as E08-E13 or E36" if ident else "missing")
            return None
        first, last = shape[1], shape[2] or shape[1]
        return f"{first}-{last}", CodeRange(first, last), where

    def diag(self, element: ET.Element, parent: str, parent_code: str | None, table: _Table | None) -> str | None:
        """Read one ``<diag>`` and everything below it; ``parent_code`` is ``None`` for a category."""
        name = element.find("name")
        code = _text(name) if name is not None else ""
        where = f"diag {code}" if code else "diag"
        fields = self.fields(element, where, "diag", frozenset({"name"}))
        if name is None or not code:
            self.problem(name if name is not None else element, f"{where} <name>", "missing")
            return None
        if not _CODE_SHAPE.fullmatch(code) or normalise_code("icd10cm", code) != code:
            self.problem(name, f"{where} <name>", f"{code!r} is not an ICD-10-CM code such as E11.65")
            return None
        bare, parent_bare = code.replace(".", ""), (parent_code or "").replace(".", "")
        if parent_code is None and len(bare) != 3:
            self.problem(name, f"{where} <name>", f"a block holds categories (three characters), not {code}")
            return None
        if parent_code is not None and not (bare.startswith(parent_bare) and len(bare) == len(parent_bare) + 1):
            self.problem(name, f"{where} <name>", f"does not extend its parent {parent_code} by one character")
            return None
        if not self.reserve(code, element, where):
            return None
        if fields.table:
            table = _Table(code, tuple(fields.table.values()))
        children = tuple(key for diag in fields.children if (key := self.diag(diag, code, code, table)))
        if not fields.children and table is not None:
            children = self.seventh_character_codes(code, fields.desc, table, element, where)
        billable = not children
        kind = CmKind.CATEGORY if len(bare) == 3 else CmKind.CODE if billable else CmKind.SUBCATEGORY
        self.nodes[code] = CmNode(code, kind, fields.desc, billable, parent, children, fields.cm_notes(), self.lines[element])
        return code

    def seventh_character_codes(
        self, base: str, title: str, table: _Table, element: ET.Element, where: str
    ) -> tuple[str, ...]:
        """Add the codes ``base`` forms with each 7th character of ``table``; return their keys."""
        padded = base.replace(".", "").ljust(6, "X")
        if len(padded) > 6:
            self.problem(element, f"{where} <name>",
                         f"takes a 7th character from the table of {table.owner} but has 7 characters already")
            return ()
        excluded = frozenset().union(*(chars for rule, chars in SEVENTH_CHARACTER_EXCEPTIONS if rule.fullmatch(padded)))
        keys: list[str] = []
        for seventh in table.characters:
            if seventh.char in excluded:
                continue
            key = normalise_code("icd10cm", padded + seventh.char)
            if self.reserve(key, element, f"{where} + 7th character {seventh.char}"):
                self.nodes[key] = CmNode(
                    key, CmKind.CODE, f"{title}, {seventh.meaning}", True, base, (), (), self.lines[element],
                    base=base, seventh=seventh,
                )
                keys.append(key)
        return tuple(keys)


# --- Navigating -----------------------------------------------------------------------------------


def lookup_key(text: str) -> str:
    """The key ``text`` names: ``e1165`` → ``E11.65``, ``e08–e13`` → ``E08-E13``, ``04`` → ``4``.

    A single category code is always the category (``E36``), never the block of
    that one category (``E36-E36``).
    """
    spelled = text.strip().upper()
    for dash in _DASHES[1:]:
        spelled = spelled.replace(dash, "-")
    if spelled.isdigit():
        return str(int(spelled))
    return "-".join(normalise_code("icd10cm", part) for part in spelled.split("-"))


def breadcrumbs(release: CmRelease, key: str) -> list[CmNode]:
    """The ancestors of a node, from its chapter down to its parent (empty for a chapter).

    For ``E11.65``: chapter 4, block E08-E13, E11, E11.6.
    """
    trail: list[CmNode] = []
    parent = release.node(key).parent
    while parent is not None:
        trail.append(release.nodes[parent])
        parent = trail[-1].parent
    return trail[::-1]


def children(release: CmRelease, key: str) -> list[CmNode]:
    """The nodes directly below a node, in the tabular's order."""
    return [release.nodes[child] for child in release.node(key).children]


def siblings(release: CmRelease, key: str) -> list[CmNode]:
    """The other nodes with the same parent, in the tabular's order (the other chapters for a chapter)."""
    node = release.node(key)
    keys = release.chapters if node.parent is None else release.nodes[node.parent].children
    return [release.nodes[other] for other in keys if other != node.key]


def inherited_notes(release: CmRelease, key: str) -> list[InheritedNote]:
    """Every note that applies to a node, each with the level it is written at.

    The node's own notes come first, then its parent's, and so on up to the
    chapter's: the most specific instruction first. Within a level, the notes
    keep the tabular's order. Every kind of note applies downwards (an Excludes1
    of a category holds for all its codes), except that the 7th-character note
    and table come only from the nearest level that has a table: a subcategory's
    own table (``S72.47``) replaces its category's (``S72``).
    """
    found: list[InheritedNote] = []
    seventh_found = False
    node: CmNode | None = release.node(key)
    while node is not None:
        for note in node.notes:
            if not (seventh_found and note.kind in _SEVENTH_CHARACTER_KINDS):
                found.append(InheritedNote(node.key, node.kind, note))
        seventh_found = seventh_found or any(note.kind is NoteKind.SEVENTH_CHARACTER_TABLE for note in node.notes)
        node = release.nodes[node.parent] if node.parent is not None else None
    return found


def code_references(release: CmRelease, text: str) -> list[tuple[int, int, str]]:
    """Find the codes and ranges a note names, for links: ``(start, end, target key)`` per reference.

    Understands ``Z79.4``, ``E11.-`` and ``O09.3-`` (a code and what is below it:
    the target is the code), and ranges ``E08-E13``, ``T36-T65``, ``F10.--F19.-``
    (with hyphens or dashes): a range that is a block targets the block, one that
    is a chapter's range the chapter, any other its first code. The span covers
    the reference with its trailing ``-`` or ``.-``, not the parentheses around
    it. A reference to nothing in the release is left out.
    """
    found: list[tuple[int, int, str]] = []
    for match in _REFERENCE.finditer(text):
        first, last = match["first"], match["last"]
        target: str | None = first if first in release.nodes else None
        if last is not None:
            span = f"{first}-{last}"
            block = release.nodes.get(span)
            if block is not None and block.kind is CmKind.BLOCK:
                target = span
            else:
                chapter = next(
                    (chapter for chapter in release.chapters if release.nodes[chapter].span == CodeRange(first, last)),
                    None,
                )
                target = chapter or target
        if target is not None:
            found.append((match.start(), match.end(), target))
    return found
