"""Read one ICD-10-PCS release from the official CMS files: tables, definitions and order file.

Three files make a release:

- the tables XML (``icd10pcs_tables_YYYY.xml``): one ``pcsTable`` per first three characters
  (section, body system, operation), whose rows list, for characters 4 to 7, the values
  allowed together; every combination of one value per character within a row is a code;
- the definitions XML (``icd10pcs_definitions_YYYY.xml``): what the values mean, by section,
  character position and label: root operations with examples, approaches, body parts with
  the anatomical names they include, devices and substances with their brand names;
- the order file (``icd10pcs_order_YYYY.txt`` inside a zip): every valid code with its short
  and long title in code-book order, and one header row per table.

The order file is authoritative for which codes exist and what they are called. A mid-year
update (April 1) adds codes to it that the October tables file does not hold; those codes are
still returned, with ``in_tables`` False and their characters labelled only where the tables
give one meaning that the code's title does not contradict (see :func:`_inferred_label`).

Malformed input stops the read with :class:`PcsSourceError` (an :class:`~generator.errors.Abort`)
listing every problem of the file as ``path:line: field: message``.
"""

from __future__ import annotations

import itertools
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Literal, cast
from xml.etree import ElementTree as ET
from xml.parsers.expat import ErrorString

from ..codes import normalise_code
from ..errors import Abort, Problem

#: The characters a PCS code is built from: digits and letters except I and O.
CHARACTER = re.compile(r"[0-9A-HJ-NP-Z]")
CODE = re.compile(r"[0-9A-HJ-NP-Z]{7}")
TABLE_KEY = re.compile(r"[0-9A-HJ-NP-Z]{3}")
ORDER_MEMBER = re.compile(r"icd10pcs_order_(\d{4})\.txt")
#: The order file's change list beside it (a mid-year update lists what it added, deleted and revised).
ADDENDA_MEMBER = re.compile(r"order_addenda_(\d{4})\.txt")

#: How a character's label was found; see :attr:`PcsAxisValue.source`.
LabelSource = Literal["row", "table", "body system", "section", "order file"]


@dataclass(frozen=True)
class PcsDefinition:
    """What a value means, from the definitions file.

    One term can serve several labels: body parts that differ only in laterality share a term
    (``titles`` = "Adrenal Gland, Left", "Adrenal Gland, Right", ...), and a device term may be
    scoped to a body system or operation ("Cardiac Lead, Pacemaker for Insertion in Heart and
    Great Vessels"). A root operation that the definitions file lacks gets the one-sentence
    definition printed in its table, with ``titles`` = its label.
    """

    #: The term's title(s) in the definitions file.
    titles: tuple[str, ...]
    #: The official definition (operations, approaches, types, some qualifiers); None for body
    #: parts, devices and substances, which are described by ``includes`` only.
    definition: str | None
    #: Further explanation of the definition, when the file gives one.
    explanation: str | None
    #: What the term includes, one entry per ``<includes>``: for a root operation, examples of
    #: procedures ("Total nephrectomy, total lobectomy of lung"); for a body part, the anatomical
    #: names it includes ("Vermiform appendix"); for a device or substance, brand and other names.
    includes: tuple[str, ...]


@dataclass(frozen=True)
class PcsAxisValue:
    """One character of a code in its position, and what it means there.

    Values are shared: every code and row holding "Appendix" as body part J of table 0DT holds
    the same object.
    """

    #: 1 to 7.
    position: int
    #: The axis title of this position in this section: "Section", "Body Part", "Approach",
    #: "Type Qualifier", ... ("Character N" only when no table of the section names it).
    axis: str
    #: The character itself, e.g. "J".
    value: str
    #: What the character means here, e.g. "Appendix"; None when no label could be given safely.
    label: str | None
    definition: PcsDefinition | None
    #: Where ``label`` came from: "row" = the code's own table (its header for positions 1-3,
    #: its row for 4-7); the others are inferred for a code the tables file does not hold:
    #: "table" = another row of the code's table, "body system" = another table of the same
    #: section and body system, "section" = another table of the same section, "order file" =
    #: the header row of a table only the order file has (body system only). None = unlabelled.
    source: LabelSource | None

    @property
    def inferred(self) -> bool:
        """Whether the label was taken from elsewhere in the tables than the code's own row."""
        return self.source not in (None, "row")


@dataclass(frozen=True)
class PcsCode:
    """One valid code, as listed in the order file."""

    code: str
    short_title: str
    long_title: str
    #: The seven characters, positions 1 to 7.
    axes: tuple[PcsAxisValue, ...]
    #: The first three characters: the key of the table the code belongs to.
    table_key: str
    #: The number (from 1) of the table row that yields the code; None when no row does.
    row: int | None
    #: The code's order number in the order file (code-book order).
    order_number: int

    @property
    def in_tables(self) -> bool:
        """False for a code the order file lists but no row of the tables file yields (added mid-year)."""
        return self.row is not None

    def axis(self, position: int) -> PcsAxisValue:
        """The value at ``position`` (1 to 7)."""
        return self.axes[position - 1]


@dataclass(frozen=True)
class PcsRowAxis:
    """One column of a table row: the values allowed at one position."""

    position: int
    axis: str
    values: tuple[PcsAxisValue, ...]


@dataclass(frozen=True)
class PcsRow:
    """One row of a table: any combination of one value from each of its four axes is a code."""

    table_key: str
    #: 1-based position among the rows of the table.
    number: int
    #: Positions 4, 5, 6 and 7, in that order.
    axes: tuple[PcsRowAxis, ...]
    #: The codes the row yields that the order file lists, in order-file order.
    codes: tuple[PcsCode, ...]
    #: The codes the row yields that the order file does not list (deleted mid-year), sorted.
    not_in_order_file: tuple[str, ...]

    @property
    def size(self) -> int:
        """How many codes the row describes, listed or not."""
        return math.prod(len(axis.values) for axis in self.axes)

    def expand(self) -> Iterator[str]:
        """Every code the row describes, in table order, whether the order file lists it or not."""
        for values in itertools.product(*(axis.values for axis in self.axes)):
            yield self.table_key + "".join(value.value for value in values)


@dataclass(frozen=True)
class PcsTable:
    """One PCS table: section, body system and operation (the first three characters), and its rows."""

    #: The first three characters, e.g. "0DT".
    key: str
    #: The title of the table's header row in the order file, e.g. "Gastrointestinal System, Resection".
    title: str
    section: PcsAxisValue
    body_system: PcsAxisValue
    #: The operation (or type, modality) with its definition.
    operation: PcsAxisValue
    rows: tuple[PcsRow, ...]
    #: Codes of this table that the order file lists but no row yields, in order-file order.
    order_only_codes: tuple[PcsCode, ...]
    #: False for a table that only the order file has (a table added mid-year); it has no rows.
    in_tables: bool

    @property
    def codes(self) -> tuple[PcsCode, ...]:
        """Every valid code of the table, in order-file order."""
        return tuple(sorted((*(code for row in self.rows for code in row.codes), *self.order_only_codes),
                            key=lambda code: code.order_number))


@dataclass(frozen=True)
class PcsBodySystem:
    """A body system (character 2) within a section, with its tables for an index page."""

    value: PcsAxisValue
    tables: tuple[PcsTable, ...]


@dataclass(frozen=True)
class PcsSection:
    """A section (character 1), with its body systems for an index page."""

    value: PcsAxisValue
    body_systems: tuple[PcsBodySystem, ...]


@dataclass(frozen=True)
class PcsReconciliation:
    """How the tables file and the order file agree, counted."""

    #: Valid codes (flag 1) and header rows (flag 0) in the order file.
    order_codes: int
    order_headers: int
    #: Tables and rows in the tables file, and the codes its rows expand to.
    tables: int
    rows: int
    table_codes: int
    #: Codes the order file lists and no table row yields (added mid-year), in order-file order.
    order_only_codes: tuple[str, ...]
    #: Codes a table row yields and the order file does not list (deleted mid-year), sorted.
    table_only_codes: tuple[str, ...]
    #: Table keys with a header row in the order file and no table in the tables file.
    order_only_tables: tuple[str, ...]
    #: Definitions-file terms that no value of the tables uses, as (section, position, title).
    unused_terms: tuple[tuple[str, int, str], ...]


@dataclass(frozen=True)
class PcsChange:
    """One line of the order file's change list: a code or table header added, deleted or retitled."""

    #: "added", "deleted" or "revised".
    action: str
    code: str
    long_title: str
    short_title: str
    #: For a revision: the short and long titles before it.
    previous_short_title: str | None = None
    previous_long_title: str | None = None


@dataclass(frozen=True)
class PcsRelease:
    """One ICD-10-PCS release: its codes, tables and index structure."""

    #: The release year as the files state it, e.g. "2026" (a US federal fiscal year).
    version: str
    #: The release as shown on pages, e.g. "ICD-10-PCS FY2026".
    label: str
    #: The files read: tables, definitions, and order file as ``archive.zip/member``.
    sources: tuple[str, ...]
    #: Every valid code, in order-file order.
    codes: dict[str, PcsCode]
    #: Every table, in order-file order (tables without an order-file header row last).
    tables: dict[str, PcsTable]
    #: Section → body system → table, in order-file order, for index pages.
    sections: tuple[PcsSection, ...]
    reconciliation: PcsReconciliation
    #: What the order file's update changed (its ``order_addenda_YYYY.txt``), in file order; empty without one.
    changes: tuple[PcsChange, ...] = ()

    def code(self, text: str) -> PcsCode | None:
        """The code spelled ``text`` (any case, surrounding spaces allowed); None if the release has none."""
        return self.codes.get(normalise_code("icd10pcs", text))

    def table(self, key: str) -> PcsTable | None:
        """The table with key ``key`` (e.g. "0DT"); None if the release has none."""
        return self.tables.get(key.strip().upper())

    def row(self, code: PcsCode) -> PcsRow | None:
        """The table row that yields ``code``; None for a code no row yields."""
        return None if code.row is None else self.tables[code.table_key].rows[code.row - 1]


class PcsSourceError(Abort):
    """An official file is malformed; every problem found in it is listed."""

    #: At most this many problems are spelled out in the message.
    SHOWN = 50

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        lines = [str(problem) for problem in self.problems[: self.SHOWN]]
        if len(self.problems) > self.SHOWN:
            lines.append(f"... and {len(self.problems) - self.SHOWN} more")
        if len(self.problems) == 1:
            super().__init__(lines[0])
        else:
            super().__init__(f"{len(self.problems)} problems found in ICD-10-PCS files:\n  " + "\n  ".join(lines))


def read_icd10pcs(tables_xml: Path, definitions_xml: Path, order_zip: Path) -> PcsRelease:
    """Read the three official files of one release.

    Raises :class:`~generator.errors.Abort` when a file is missing, the files are of different
    releases, or a file is malformed (:class:`PcsSourceError`, naming file, line and field).
    """
    paths = (Path(tables_xml), Path(definitions_xml), Path(order_zip))
    missing = [f"{path}: file not found" for path in paths if not path.is_file()]
    if missing:
        raise Abort("\n".join(missing))
    tables_xml, definitions_xml, order_zip = paths
    tables_version, tables = _read_tables(tables_xml)
    definitions_version, terms = _read_definitions(definitions_xml)
    order_member, order_year, order = _read_order_file(order_zip)
    if not tables_version == definitions_version == order_year:
        raise Abort(
            f"the files are of different releases: {tables_xml} is version {tables_version}, "
            f"{definitions_xml} is version {definitions_version}, {order_zip}/{order_member} is for {order_year}"
        )
    _check_across_tables(tables_xml, tables)
    sources = (tables_xml.name, definitions_xml.name, f"{order_zip.name}/{order_member}")
    release = _Assembly(tables, terms, order).release(tables_version, sources)
    return replace(release, changes=_read_order_addenda(order_zip))


# --- reading the tables file ------------------------------------------------------------------


@dataclass
class _Axis:
    """An ``<axis>`` of the tables file, checked: its position, title and (character, label) pairs."""

    position: int
    title: str
    values: list[tuple[str, str]]
    definition: str | None
    #: The line of each ``<label>``, in the order of ``values``.
    lines: list[int]


@dataclass
class _Row:
    number: int
    line: int
    path: str
    axes: list[_Axis]


@dataclass
class _Table:
    key: str
    path: str
    header: list[_Axis]
    rows: list[_Row]


class _XmlFile:
    """A parsed XML file with the line of every element, and the problems found in it."""

    def __init__(self, path: Path, root_tag: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.lines: dict[ET.Element, int] = {}
        self.root = self._parse()
        if self.root.tag != root_tag:
            self.fail(self.root, "", f"expected a <{root_tag}> document, found <{self.root.tag}>")
            raise PcsSourceError(self.problems)

    def _parse(self) -> ET.Element:
        # The stdlib parsers do not report element lines. Feeding the file one line at a time
        # and reading the start events after each line gives every element the line its start
        # tag ends on, which is where it begins for these files.
        parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start",))
        root: ET.Element | None = None
        number = 0
        try:
            with self.path.open("rb") as stream:
                for number, text in enumerate(stream, start=1):
                    parser.feed(text)
                    for _event, element in cast("Iterator[tuple[str, ET.Element]]", parser.read_events()):
                        self.lines[element] = number
                        root = element if root is None else root
                parser.close()
        except ET.ParseError as error:
            line, _column = error.position
            raise PcsSourceError([Problem(str(self.path), line, "", f"not well-formed XML ({ErrorString(error.code)})")]) from None
        if root is None:
            raise PcsSourceError([Problem(str(self.path), number, "", "no XML document in the file")])
        return root

    def fail(self, element: ET.Element, field: str, message: str) -> None:
        self.problems.append(Problem(str(self.path), self.lines.get(element, 0), field, message))

    def text(self, parent: ET.Element, tag: str, path: str, required: bool = True) -> str | None:
        """The stripped text of the only ``<tag>`` child of ``parent``; a problem when absent, empty or repeated."""
        children = parent.findall(tag)
        where = f"{path}/{tag}" if path else tag
        if len(children) > 1:
            self.fail(children[1], f"{where}[2]", f"<{tag}> appears {len(children)} times; expected once")
        text = (children[0].text or "").strip() if children else ""
        if children and not text:
            self.fail(children[0], where, "empty")
        elif required and not children:
            self.fail(parent, where, "missing")
        return text or None

    def check(self) -> None:
        if self.problems:
            raise PcsSourceError(self.problems)


def _read_tables(path: Path) -> tuple[str, list[_Table]]:
    xml = _XmlFile(path, "ICD10PCS.tabular")
    version = xml.text(xml.root, "version", "") or ""
    tables: list[_Table] = []
    first_line: dict[str, int] = {}
    for number, element in enumerate(xml.root.findall("pcsTable"), start=1):
        table_path = f"pcsTable[{number}]"
        header = _read_axes(xml, element, table_path, (1, 2, 3))
        rows = []
        for row_number, row_element in enumerate(element.findall("pcsRow"), start=1):
            row_path = f"{table_path}/pcsRow[{row_number}]"
            axes = _read_axes(xml, row_element, row_path, (4, 5, 6, 7))
            if axes is not None:
                _check_row_size(xml, row_element, row_path, axes)
                rows.append(_Row(row_number, xml.lines[row_element], row_path, axes))
        if not element.findall("pcsRow"):
            xml.fail(element, table_path, "a table has at least one <pcsRow>; found none")
        if header is None:
            continue
        key = "".join(axis.values[0][0] for axis in header)
        if key in first_line:
            xml.fail(element, table_path, f"table {key} is defined twice (first at line {first_line[key]})")
            continue
        first_line[key] = xml.lines[element]
        tables.append(_Table(key, table_path, header, rows))
    if not tables and not xml.problems:
        xml.fail(xml.root, "", "no <pcsTable> in the file")
    xml.check()
    return version, tables


def _read_axes(xml: _XmlFile, parent: ET.Element, path: str, positions: tuple[int, ...]) -> list[_Axis] | None:
    """The ``<axis>`` children of a table header (positions 1-3, one value each) or of a row (4-7)."""
    elements = parent.findall("axis")
    found = [element.get("pos") for element in elements]
    if found != [str(position) for position in positions]:
        xml.fail(parent, path, f"expected <axis> elements for positions {', '.join(map(str, positions))} in that order; "
                               f"found {', '.join(map(str, found)) or 'none'}")
        return None
    axes = [_read_axis(xml, element, f"{path}/axis[{index}]", position, header=positions[0] == 1)
            for index, (element, position) in enumerate(zip(elements, positions), start=1)]
    return None if None in axes else [axis for axis in axes if axis is not None]


def _read_axis(xml: _XmlFile, element: ET.Element, path: str, position: int, header: bool) -> _Axis | None:
    problems = len(xml.problems)
    title = xml.text(element, "title", path)
    labels = element.findall("label")
    if header and len(labels) != 1:
        xml.fail(element, path, f"a table header axis has exactly one <label>; found {len(labels)}")
    elif not labels:
        xml.fail(element, path, "no <label>")
    declared = element.get("values")
    if declared is not None and declared != str(len(labels)):
        xml.fail(element, f"{path}/@values", f"says {declared!r}, but the axis has {len(labels)} <label>")
    values: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for index, label in enumerate(labels, start=1):
        label_path = f"{path}/label[{index}]"
        character = label.get("code")
        text = (label.text or "").strip()
        if character is None:
            xml.fail(label, f"{label_path}/@code", "missing")
        elif not CHARACTER.fullmatch(character):
            xml.fail(label, f"{label_path}/@code", f"{character!r} is not an ICD-10-PCS character (0-9, A-Z except I and O)")
        elif character in seen:
            xml.fail(label, f"{label_path}/@code", f"value {character!r} is listed twice (first as label[{seen[character]}])")
        if not text:
            xml.fail(label, label_path, "empty label")
        if character is not None:
            seen.setdefault(character, index)
        values.append((character or "", text))
    definition = xml.text(element, "definition", path, required=False)
    if len(xml.problems) > problems:
        return None
    return _Axis(position, title or "", values, definition, [xml.lines[label] for label in labels])


def _check_row_size(xml: _XmlFile, row: ET.Element, path: str, axes: list[_Axis]) -> None:
    sizes = [len(axis.values) for axis in axes]
    declared = row.get("codes")
    if declared is not None and declared != str(math.prod(sizes)):
        xml.fail(row, f"{path}/@codes", f"says {declared!r}, but the axes allow {math.prod(sizes)} "
                                        f"({' × '.join(map(str, sizes))})")


def _check_across_tables(path: Path, tables: list[_Table]) -> None:
    """A section and a body system mean the same in every table: the index pages group by them."""
    problems: list[Problem] = []
    seen: dict[str, tuple[str, int]] = {}
    for table in tables:
        for prefix, axis in ((table.key[0], table.header[0]), (table.key[:2], table.header[1])):
            label = axis.values[0][1]
            first = seen.setdefault(prefix, (label, axis.lines[0]))
            if first[0] != label:
                problems.append(Problem(str(path), axis.lines[0], f"{table.path}/axis[{axis.position}]/label[1]",
                                        f"{axis.title.lower()} {axis.values[0][0]!r} of table {table.key} is {label!r}, "
                                        f"but {first[0]!r} at line {first[1]}"))
    codes: dict[str, tuple[_Table, _Row]] = {}
    for table in tables:
        for row in table.rows:
            for code in _expand(table.key, row.axes):
                if code in codes:
                    other_table, other_row = codes[code]
                    problems.append(Problem(str(path), row.line, row.path,
                                            f"code {code} is also in row {other_row.number} of table {other_table.key} "
                                            f"(line {other_row.line})"))
                else:
                    codes[code] = (table, row)
    if problems:
        raise PcsSourceError(problems)


def _expand(key: str, axes: list[_Axis]) -> Iterator[str]:
    for characters in itertools.product(*([character for character, _label in axis.values] for axis in axes)):
        yield key + "".join(characters)


# --- reading the definitions file -------------------------------------------------------------


#: A definitions-file term by (section character, position, title).
_Terms = dict[tuple[str, int, str], PcsDefinition]


def _read_definitions(path: Path) -> tuple[str, _Terms]:
    xml = _XmlFile(path, "ICD10PCS.definitions")
    version = xml.text(xml.root, "version", "") or ""
    terms: _Terms = {}
    first_line: dict[tuple[str, int, str], int] = {}
    for section_number, section in enumerate(xml.root.findall("section"), start=1):
        section_path = f"section[{section_number}]"
        character = section.get("code")
        if character is None or not CHARACTER.fullmatch(character):
            xml.fail(section, f"{section_path}/@code", "missing" if character is None else
                     f"{character!r} is not an ICD-10-PCS character (0-9, A-Z except I and O)")
            continue
        for axis_number, axis in enumerate(section.findall("axis"), start=1):
            axis_path = f"{section_path}/axis[{axis_number}]"
            position = axis.get("pos")
            if position not in {"1", "2", "3", "4", "5", "6", "7"}:
                xml.fail(axis, f"{axis_path}/@pos", "missing" if position is None else f"{position!r} is not a position from 1 to 7")
                continue
            for term_number, term in enumerate(axis.findall("terms"), start=1):
                term_path = f"{axis_path}/terms[{term_number}]"
                definition = _read_term(xml, term, term_path)
                if definition is None:
                    continue
                for title in definition.titles:
                    key = (character, int(position), title)
                    if key in terms:
                        xml.fail(term, term_path, f"term {title!r} is defined twice (first at line {first_line[key]})")
                    terms[key] = definition
                    first_line.setdefault(key, xml.lines[term])
    xml.check()
    return version, terms


def _read_term(xml: _XmlFile, term: ET.Element, path: str) -> PcsDefinition | None:
    problems = len(xml.problems)
    titles = []
    for tag in ("title", "includes"):
        for index, element in enumerate(term.findall(tag), start=1):
            text = (element.text or "").strip()
            if not text:
                xml.fail(element, f"{path}/{tag}[{index}]", "empty")
            elif tag == "title":
                titles.append(text)
    if not term.findall("title"):
        xml.fail(term, path, "a term has at least one <title>; found none")
    definition = xml.text(term, "definition", path, required=False)
    explanation = xml.text(term, "explanation", path, required=False)
    if len(xml.problems) > problems:
        return None
    includes = tuple((element.text or "").strip() for element in term.findall("includes"))
    return PcsDefinition(tuple(titles), definition, explanation, includes)


# --- reading the order file -------------------------------------------------------------------


@dataclass(frozen=True)
class _OrderRow:
    number: int
    code: str
    header: bool
    short_title: str
    long_title: str
    line: int


#: The fixed-width layout, as 1-based inclusive columns (CMS "ICD-10-PCS Order File" description).
_ORDER_FIELDS = {
    "order number": (1, 5),
    "code": (7, 13),
    "valid flag": (15, 15),
    "short title": (17, 76),
    "long title": (78, None),
}
_ORDER_BLANK_COLUMNS = (6, 14, 16, 77)


def _order_field(name: str) -> str:
    first, last = _ORDER_FIELDS[name]
    columns = f"column {first}" if first == last else f"columns {first}-{last}" if last else f"column {first} on"
    return f"{name} ({columns})"


def _read_order_file(path: Path) -> tuple[str, str, list[_OrderRow]]:
    """The order file's member name, its year, and its rows."""
    try:
        with zipfile.ZipFile(path) as archive:
            found = [(name, match.group(1)) for name in archive.namelist()
                     if (match := ORDER_MEMBER.fullmatch(PurePosixPath(name).name))]
            if len(found) != 1:
                raise Abort(f"{path}: expected one icd10pcs_order_YYYY.txt in the archive, found "
                            f"{', '.join(name for name, _year in found) or 'none'} (members: {', '.join(archive.namelist())})")
            [(member, year)] = found
            data = archive.read(member)
    except zipfile.BadZipFile as error:
        raise Abort(f"{path}: not a zip archive ({error})") from None
    return member, year, _parse_order_file(f"{path}/{member}", data)


def _read_order_addenda(path: Path) -> tuple[PcsChange, ...]:
    """The change list in the order file's archive, if it has one (fixed width, as the order file: the
    action in 13 columns, the code in 7, a space, the short title in 60, a space, the long title)."""
    with zipfile.ZipFile(path) as archive:
        members = [name for name in archive.namelist() if ADDENDA_MEMBER.fullmatch(PurePosixPath(name).name)]
        if len(members) != 1:
            return ()
        text = archive.read(members[0]).decode("ascii", errors="replace")
    actions = {"Add:": "added", "Delete:": "deleted"}
    changes: list[PcsChange] = []
    before: tuple[str, str, str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        action, code, short, long = line[:13].strip(), line[13:20].strip(), line[21:81].strip(), line[82:].strip()
        if action in actions:
            changes.append(PcsChange(actions[action], code, long, short))
        elif action == "Revise from:":
            before = (code, short, long)
        elif action == "Revise to:":
            if before is None or before[0] != code:
                raise Abort(f"{path}/{members[0]}:{number}: 'Revise to: {code}' does not follow a 'Revise from:' line "
                            "of the same code")
            changes.append(PcsChange("revised", code, long, short, *before[1:]))
            before = None
    return tuple(changes)


def _parse_order_file(shown: str, data: bytes) -> list[_OrderRow]:
    problems: list[Problem] = []
    rows: list[_OrderRow] = []
    first_line: dict[str, int] = {}
    header: str | None = None
    previous_number = 0
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()

    def fail(line: int, field: str, message: str) -> None:
        problems.append(Problem(shown, line, field, message))

    for line, raw in enumerate(lines, start=1):
        raw = raw.removesuffix(b"\r")
        # A record that cannot be read still takes its place in the numbering.
        expected_number = previous_number = previous_number + 1
        try:
            text = raw.decode("ascii")
        except UnicodeDecodeError as error:
            # The layout counts bytes; a multi-byte character would shift every later column.
            fail(line, "", f"byte 0x{raw[error.start]:02x} at column {error.start + 1} is not ASCII text")
            continue
        if len(text) < 78:
            fail(line, "", f"a record is at least 78 characters long (long title from column 78); this one has {len(text)}")
            continue
        blanks = [column for column in _ORDER_BLANK_COLUMNS if text[column - 1] != " "]
        if blanks:
            fail(line, "layout", f"column {blanks[0]} should be blank, found {text[blanks[0] - 1]!r}")
            continue
        number_text, code, flag = text[0:5], text[6:13].rstrip(), text[14]
        short_title, long_title = text[16:76].strip(), text[77:].strip()
        if not number_text.isdigit():
            fail(line, _order_field("order number"), f"{number_text!r} is not a 5-digit number")
        elif int(number_text) != expected_number:
            fail(line, _order_field("order number"), f"expected {expected_number:05d}, found {number_text}")
            previous_number = int(number_text)
        if flag not in ("0", "1"):
            fail(line, _order_field("valid flag"), f"expected 0 (header) or 1 (valid code), found {flag!r}")
            continue
        if flag == "0" and not TABLE_KEY.fullmatch(code):
            fail(line, _order_field("code"), f"a header row holds a 3-character table key; found {code!r}")
            continue
        if flag == "1" and not CODE.fullmatch(code):
            fail(line, _order_field("code"), f"{code!r} is not an ICD-10-PCS code (7 characters: 0-9, A-Z except I and O)")
            continue
        if not short_title:
            fail(line, _order_field("short title"), "empty")
        if not long_title:
            fail(line, _order_field("long title"), "empty")
        if code in first_line:
            fail(line, _order_field("code"), f"{code} is listed twice (first at line {first_line[code]})")
            continue
        first_line[code] = line
        if flag == "0":
            header = code
        elif code[:3] != header:
            where = f"the header row of table {header}" if header else "the first header row"
            fail(line, _order_field("code"), f"{code} is listed after {where}; expected it after the header row of table {code[:3]}")
        rows.append(_OrderRow(previous_number, code, flag == "0", short_title, long_title, line))
    if not rows and not problems:
        fail(0, "", "no records in the file")
    if problems:
        raise PcsSourceError(problems)
    return rows


# --- putting the release together -------------------------------------------------------------


#: What a value's definition depends on: the section character, then the labels of the section,
#: body system and operation (None where unknown or not wanted).
_Context = tuple[str, str | None, str | None, str | None]

_STOP_WORDS = frozenset({"a", "an", "and", "for", "in", "into", "of", "on", "or", "the", "to", "with"})


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _title_confirms(label: str, title: str) -> bool:
    """Whether a label taken from elsewhere in the tables fits a code's title.

    True when more than half of the label's words occur in the title ("Cardiac Lead, Pacemaker"
    fits "Insertion of Pacemaker Lead into ..."), and for the labels of an absent value ("No
    Device", "None"), which titles never spell out.
    """
    if label == "None" or label.startswith("No "):
        return True
    words = [word for word in _words(label) if word not in _STOP_WORDS]
    title_words = set(_words(title))
    return not words or 2 * sum(word in title_words for word in words) > len(words)


def _term_candidates(position: int, label: str, context: _Context) -> Iterator[tuple[str, int, str]]:
    """The definitions-file keys that may hold the term for ``label``, most specific first."""
    section, section_label, body_system, operation = context
    # Devices are defined per body system and operation where their meaning differs
    # ("Cardiac Lead, Pacemaker for Insertion in Heart and Great Vessels", "Artificial Sphincter
    # in Urinary System"); New Technology scopes its devices to the section ("... in New Technology").
    if operation and body_system:
        yield section, position, f"{label} for {operation} in {body_system}"
    if body_system:
        yield section, position, f"{label} in {body_system}"
    if section_label:
        yield section, position, f"{label} in {section_label}"
    # Physical Rehabilitation defines a type qualifier twice: "Aphasia (Assessment)" for the
    # assessment types, "Aphasia (Treatment)" for the others (treatments, device fitting, ...).
    if section == "F" and operation:
        yield section, position, f"{label} ({'Assessment' if operation.endswith('Assessment') else 'Treatment'})"
    yield section, position, label
    # Administration names the substance again, more precisely, as qualifier; the definitions
    # file lists those names under Substance (position 6).
    if section == "3" and position == 7:
        yield section, 6, label


class _Assembly:
    """Joins the three parsed files into a :class:`PcsRelease`."""

    def __init__(self, tables: list[_Table], terms: _Terms, order: list[_OrderRow]) -> None:
        self.raw_tables = {table.key: table for table in tables}
        self.terms = terms
        self.order = order
        self.headers = {row.code: row for row in order if row.header}
        self.used_terms: set[tuple[str, int, str]] = set()
        self._values: dict[tuple[object, ...], PcsAxisValue] = {}
        self._definitions: dict[tuple[object, ...], PcsDefinition | None] = {}
        # For the codes no row yields: the labels each character has, by (table key | section +
        # body system | section, position, character), and axis titles by (table key | section, position).
        self.labels: dict[tuple[str, int, str], set[str]] = {}
        self.axis_titles: dict[tuple[str, int], set[str]] = {}
        for table in tables:
            for axis in (*table.header, *(axis for row in table.rows for axis in row.axes)):
                scopes = (table.key, table.key[:2], table.key[0]) if axis.position >= 4 else (table.key[0],)
                for scope in scopes:
                    for character, label in axis.values:
                        self.labels.setdefault((scope, axis.position, character), set()).add(label)
                for scope in (table.key, table.key[0]):
                    self.axis_titles.setdefault((scope, axis.position), set()).add(axis.title)

    def value(self, position: int, axis: str, character: str, label: str | None, source: LabelSource | None,
              context: _Context, table_definition: str | None = None) -> PcsAxisValue:
        """The shared :class:`PcsAxisValue` for a character."""
        definition = None if label is None else self.definition(position, label, context, table_definition)
        key = (position, axis, character, label, id(definition), source)
        if key not in self._values:
            self._values[key] = PcsAxisValue(position, axis, character, label, definition, source)
        return self._values[key]

    def definition(self, position: int, label: str, context: _Context, table_definition: str | None) -> PcsDefinition | None:
        """The definitions-file term for a value, else the table's own definition of its operation."""
        cache_key = (position, label, context, table_definition)
        if cache_key not in self._definitions:
            found = None
            if position >= 3:
                for key in _term_candidates(position, label, context):
                    if key in self.terms:
                        found = self.terms[key]
                        self.used_terms.add(key)
                        break
            if found is None and table_definition:
                found = PcsDefinition((label,), table_definition, None, ())
            self._definitions[cache_key] = found
        return self._definitions[cache_key]

    def axis_title(self, key: str, position: int) -> str:
        for scope in (key, key[0]):
            titles = self.axis_titles.get((scope, position), set())
            if len(titles) == 1:
                return next(iter(titles))
        return f"Character {position}"

    def table_header(self, table: _Table) -> tuple[PcsAxisValue, ...]:
        section, body_system, _operation = (axis.values[0][1] for axis in table.header)
        return tuple(
            self.value(axis.position, axis.title, axis.values[0][0], axis.values[0][1], "row",
                       (table.key[0], section, body_system, None), axis.definition)
            for axis in table.header
        )

    def inferred_header(self, key: str, title: str) -> tuple[PcsAxisValue, ...]:
        """Section, body system and operation of a table only the order file has, whose header row reads ``title``."""
        found = {position: _inferred_label(self.labels, key, position, key[position - 1], title) for position in (1, 2, 3)}
        (section, _), (body_system, _), (operation, _) = found.values()
        if body_system is None and (body_system := _body_system_from_title(title, section, operation)):
            found[2] = (body_system, "order file")
        context: _Context = (key[0], section, body_system, None)
        return tuple(self.value(position, self.axis_title(key, position), key[position - 1], label, source, context)
                     for position, (label, source) in found.items())

    def row_values(self, table: _Table, header: tuple[PcsAxisValue, ...], row: _Row) -> list[dict[str, PcsAxisValue]]:
        """For positions 4 to 7 of a row: its values by character, in table order."""
        context: _Context = (table.key[0], header[0].label, header[1].label, header[2].label)
        return [{character: self.value(axis.position, axis.title, character, label, "row", context)
                 for character, label in axis.values}
                for axis in row.axes]

    def order_only_code(self, entry: _OrderRow, header: tuple[PcsAxisValue, ...]) -> PcsCode:
        """A code no table row yields: characters 4 to 7 are labelled by :func:`_inferred_label`."""
        code, key = entry.code, entry.code[:3]
        context: _Context = (key[0], header[0].label, header[1].label, header[2].label)
        axes = header
        for position in range(4, 8):
            label, source = _inferred_label(self.labels, key, position, code[position - 1], entry.long_title)
            axes += (self.value(position, self.axis_title(key, position), code[position - 1], label, source, context),)
        return PcsCode(code, entry.short_title, entry.long_title, axes, key, None, entry.number)

    def release(self, version: str, sources: tuple[str, ...]) -> PcsRelease:
        headers = {key: self.table_header(table) for key, table in self.raw_tables.items()}
        headers.update({key: self.inferred_header(key, row.long_title) for key, row in self.headers.items() if key not in headers})
        row_values = {(key, row.number): self.row_values(table, headers[key], row)
                      for key, table in self.raw_tables.items() for row in table.rows}
        yielded = {code: (key, row.number)
                   for key, table in self.raw_tables.items() for row in table.rows for code in _expand(key, row.axes)}

        codes: dict[str, PcsCode] = {}
        for entry in self.order:
            if entry.header:
                continue
            key = entry.code[:3]
            if entry.code in yielded:
                _key, number = yielded[entry.code]
                values = row_values[key, number]
                axes = headers[key] + tuple(values[index][entry.code[index + 3]] for index in range(4))
                codes[entry.code] = PcsCode(entry.code, entry.short_title, entry.long_title, axes, key, number, entry.number)
            else:
                codes[entry.code] = self.order_only_code(entry, headers[key])

        order_only = [code for code in codes.values() if not code.in_tables]
        tables: dict[str, PcsTable] = {}
        for key in [*self.headers, *(key for key in self.raw_tables if key not in self.headers)]:
            raw = self.raw_tables.get(key)
            rows = []
            for row in raw.rows if raw else ():
                expanded = list(_expand(key, row.axes))
                rows.append(PcsRow(
                    key, row.number,
                    tuple(PcsRowAxis(axis.position, axis.title, tuple(values.values()))
                          for axis, values in zip(row.axes, row_values[key, row.number])),
                    tuple(sorted((codes[code] for code in expanded if code in codes), key=lambda code: code.order_number)),
                    tuple(sorted(code for code in expanded if code not in codes)),
                ))
            section, body_system, operation = headers[key]
            # A table the order file has no header row for (none in FY2026) is titled as header rows are.
            title = self.headers[key].long_title if key in self.headers else f"{body_system.label}, {operation.label}"
            tables[key] = PcsTable(key, title, section, body_system, operation, tuple(rows),
                                   tuple(code for code in order_only if code.table_key == key), raw is not None)

        return PcsRelease(
            version=version,
            label=f"ICD-10-PCS FY{version}",
            sources=sources,
            codes=codes,
            tables=tables,
            sections=_index(tables),
            reconciliation=PcsReconciliation(
                order_codes=sum(1 for entry in self.order if not entry.header),
                order_headers=len(self.headers),
                tables=len(self.raw_tables),
                rows=sum(len(table.rows) for table in self.raw_tables.values()),
                table_codes=len(yielded),
                order_only_codes=tuple(code.code for code in order_only),
                table_only_codes=tuple(sorted(code for code in yielded if code not in codes)),
                order_only_tables=tuple(key for key in self.headers if key not in self.raw_tables),
                unused_terms=tuple(sorted(set(self.terms) - self.used_terms)),
            ),
        )


def _inferred_label(labels: dict[tuple[str, int, str], set[str]], key: str, position: int, character: str,
                    title: str) -> tuple[str | None, LabelSource | None]:
    """The label of a character of a code (or table) that the tables file does not hold.

    Looks in the code's table, then the tables of its section and body system, then those of
    its section; at each level, keeps the labels the character has there that the title
    confirms (:func:`_title_confirms`), and takes the label if exactly one is left. A label is
    never taken on the tables' word alone: a character's meaning can differ between rows of
    one table (the substance of New Technology table XW0 depends on the qualifier) and a
    mid-year code may reuse a character with a new meaning. The section character needs no
    title: it means the same everywhere.
    """
    if position == 1:
        found = labels.get((key[0], 1, character), set())
        return (next(iter(found)), "section") if len(found) == 1 else (None, None)
    levels: list[tuple[str, LabelSource]] = [(key, "table"), (key[:2], "body system"), (key[0], "section")]
    for scope, source in levels if position >= 4 else levels[2:]:
        confirmed = {label for label in labels.get((scope, position, character), ()) if _title_confirms(label, title)}
        if len(confirmed) == 1:
            return confirmed.pop(), source
    return None, None


def _body_system_from_title(title: str, section: str | None, operation: str | None) -> str | None:
    """The body system named by an order-file header row, once the operation is known.

    Header rows read "Body System, Operation", or "Section, Body System, Operation" for the
    sections other than Medical and Surgical; a body system may hold commas itself
    ("New Technology, Ear, Nose, Sinus, Insertion").
    """
    if operation is None or not title.endswith(f", {operation}"):
        return None
    rest = title.removesuffix(f", {operation}")
    if section and rest.startswith(f"{section}, "):
        rest = rest.removeprefix(f"{section}, ")
    return rest or None


def _index(tables: dict[str, PcsTable]) -> tuple[PcsSection, ...]:
    """Group the tables by section and body system, keeping the tables' order."""
    grouped: dict[str, dict[str, list[PcsTable]]] = {}
    for key, table in tables.items():
        grouped.setdefault(key[0], {}).setdefault(key[:2], []).append(table)
    return tuple(
        PcsSection(
            value=systems[next(iter(systems))][0].section,
            body_systems=tuple(PcsBodySystem(value=group[0].body_system, tables=tuple(group)) for group in systems.values()),
        )
        for systems in grouped.values()
    )
