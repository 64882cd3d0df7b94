"""ICD-10-PCS pages: a page per code; index pages per section, body system and table; definitions pages."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from .. import urls
from ..codes import SYSTEMS
from ..sources.icd10pcs import PcsAxisValue, PcsCode, PcsDefinition, PcsRelease, PcsTable
from ..search_index import SearchDocument
from .common import (GroupText, PageSettings, code_link, code_page, curated_search_fields, markdown_sections, record_group,
                     system_index_page)
from .model import (Badge, CodeLine, CodeList, CodePage, Fact, IndexPage, Link, Table, anchor, escape_markdown,
                    markdown_link)

SYSTEM = "icd10pcs"
#: The order file's change list: what the update added, deleted and retitled.
CHANGES_PAGE = f"{SYSTEM}/changes.md"
#: Nearby codes of the same table shown on each side of a code.
NEIGHBOURS = 2


def section_page(section: str) -> str:
    return f"{SYSTEM}/section-{section}.md"


def body_system_page(section: str, body_system: str) -> str:
    return f"{SYSTEM}/body-system-{section}{body_system}.md"


def table_page(key: str) -> str:
    return f"{SYSTEM}/table-{key}.md"


#: The axis whose definitions are linked, not printed, on code pages: the same seven texts of up to 200 characters
#: (e.g. "Entry, by puncture or minor incision, of instrumentation …") on all ~80,000 pages (measured: ~150 B a page).
LINKED_ONLY_AXIS = "Approach"


def definitions_page(section: str) -> str:
    return f"{SYSTEM}/definitions-{section}.md"


def _value_text(value: PcsAxisValue) -> str:
    return f"{value.value} {value.label}" if value.label else f"{value.value} (no label in the tables)"


class PcsPages:
    """Builds every ICD-10-PCS page from the release and the curated records."""

    system = SYSTEM

    def __init__(self, release: PcsRelease, settings: PageSettings) -> None:
        self.release = release
        self.settings = settings
        self._keys = list(release.codes)
        # Each definition gets one anchor on its section's definitions page.
        self._definition_anchor: dict[int, tuple[str, str]] = {}
        self._definitions: dict[str, dict[str, list[tuple[str, PcsDefinition]]]] = {}
        for code in release.codes.values():
            section = code.code[0]
            for value in code.axes:
                definition = value.definition
                if definition is None or id(definition) in self._definition_anchor:
                    continue
                name = anchor(f"{value.axis} {definition.titles[0]}")
                self._definition_anchor[id(definition)] = (definitions_page(section), name)
                self._definitions.setdefault(section, {}).setdefault(value.axis, []).append((name, definition))
        self._table_codes = {key: [code.code for code in table.codes] for key, table in release.tables.items()}
        # Each code's place in its table's list, so a page finds its neighbours without a search.
        self._table_position = {code: index for codes in self._table_codes.values() for index, code in enumerate(codes)}

    def code_keys(self) -> Sequence[str]:
        return self._keys

    def label(self) -> str:
        return f"{self.release.label} (order file of April 1, 2026)"

    def definition_link(self, from_page: str, definition: PcsDefinition) -> str:
        """Link to the definition's anchor; from a Markdown page it names the .md source, as MkDocs wants."""
        page, name = self._definition_anchor[id(definition)]
        link = urls.relative(from_page, page)
        return f"{link if from_page.endswith('.md') else urls.built(link)}#{name}"

    def _fact(self, path: str, value: PcsAxisValue) -> Fact:
        meaning: str | Markup = ""
        definition = value.definition
        if definition is not None:
            summary = definition.definition or ("Includes: " + "; ".join(definition.includes[:3])
                                                + ("…" if len(definition.includes) > 3 else "")
                                                if definition.includes else "")
            if value.axis == LINKED_ONLY_AXIS:
                summary = ""
            meaning = Markup('{} <a href="{}">definition</a>').format(summary, self.definition_link(path, definition)).strip()
        elif value.inferred:
            meaning = "Label taken from elsewhere in the tables (this code was added after the tables were published)."
        return Fact(f"{value.position} {value.axis}", _value_text(value), meaning)

    def _breadcrumbs(self, path: str, table: PcsTable | None, code: str) -> tuple[Link, ...]:
        trail = [Link(SYSTEMS[SYSTEM].name, urls.built(urls.relative(path, urls.system_page(SYSTEM))))]
        section, body_system = code[0], code[1]
        if table is not None:
            trail.append(Link(f"{section} {table.section.label}", urls.built(urls.relative(path, section_page(section)))))
            trail.append(Link(f"{section}{body_system} {table.body_system.label or ''}".strip(),
                              urls.built(urls.relative(path, body_system_page(section, body_system)))))
            trail.append(Link(f"{table.key} {table.operation.label or table.title}",
                              urls.built(urls.relative(path, table_page(table.key)))))
        return tuple(trail)

    def code_page(self, key: str) -> CodePage:
        entry: PcsCode = self.release.codes[key]
        path = urls.code_page(SYSTEM, key)
        table = self.release.tables.get(entry.table_key)
        # The short title only where it says something the heading does not.
        facts = [Fact("Short title", entry.short_title)] if entry.short_title != entry.long_title else []
        facts += [self._fact(path, value) for value in entry.axes]
        siblings = self._table_codes.get(entry.table_key, [])
        position = self._table_position.get(key, 0)
        nearby = siblings[max(0, position - NEIGHBOURS):position] + siblings[position + 1:position + 1 + NEIGHBOURS]
        lists = (CodeList("Nearby codes in the table", "nearby-codes", tuple(
            CodeLine(code_link(path, SYSTEM, code), self.release.codes[code].long_title)
            for code in nearby)),) if nearby else ()
        badges = [Badge("Valid code", "ok")]
        if not entry.in_tables:
            badges.append(Badge("Added April 1, 2026", "info"))
        return code_page(
            self.settings, SYSTEM, key,
            heading=entry.long_title,
            description=f"ICD-10-PCS {key}: {entry.long_title}.",
            release=self.label(),
            breadcrumbs=self._breadcrumbs(path, table, key),
            badges=tuple(badges),
            facts=tuple(facts),
            facts_heading="The seven characters",
            code_lists=lists,
            groups=self.groups_of(key),
        )

    def groups_of(self, key: str) -> tuple[GroupText | None, ...]:
        """The groups a code without a record inherits from: its table and body part, then its table."""
        return self.group(key[:4]), self.group(key[:3])

    def level_of(self, key: str) -> str:
        return "code"

    def group(self, key: str) -> GroupText | None:
        """The text of a table's (``0DT``) or a table and body part's (``0DTJ``) record; both live on the table page."""
        label = f"{key[:3]}, body part {key[3]}" if len(key) == 4 else key
        return record_group(self.settings.catalog.curated(SYSTEM, key), label, table_page(key[:3]))

    # --- index pages (Markdown, built by MkDocs) ---

    def _table_page(self, table: PcsTable) -> IndexPage:
        system = SYSTEMS[SYSTEM]
        page = table_page(table.key)
        section, body_system = table.key[0], table.key[1]
        paragraphs = []
        operation = table.operation
        if operation.definition is not None and operation.definition.definition:
            paragraphs.append(f"**{escape_markdown(operation.axis)} {escape_markdown(_value_text(operation))}:** "
                              f"{escape_markdown(operation.definition.definition)} "
                              f"([definition]({self.definition_link(page, operation.definition)}))")
        tables = []
        for row in table.rows:
            columns = tuple(axis.axis for axis in row.axes)
            depth = max(len(axis.values) for axis in row.axes)
            cells = tuple(
                tuple(escape_markdown(_value_text(axis.values[index])) if index < len(axis.values) else ""
                      for axis in row.axes)
                for index in range(depth)
            )
            codes = " ".join(markdown_link(code.code, urls.relative(page, urls.code_page(SYSTEM, code.code)))
                             for code in row.codes)
            tables.append(Table(columns, cells, heading=f"Row {row.number}",
                                after=f"{len(row.codes)} valid codes: {codes}" if codes else "No valid codes."))
        if table.order_only_codes:
            tables.append(Table(("Code", "Title"), tuple(
                (markdown_link(code.code, urls.relative(page, urls.code_page(SYSTEM, code.code))),
                 escape_markdown(code.long_title)) for code in table.order_only_codes),
                heading="Codes added on April 1, 2026", intro="Valid codes that no row of the October tables yields."))
        record = self.settings.catalog.curated(SYSTEM, table.key)
        if record is not None:
            paragraphs[:0] = [f"**In plain words:** {escape_markdown(record.name)}", *markdown_sections(record)]
        for part_key, part in self.settings.catalog.records_under(SYSTEM, table.key):
            paragraphs.append(f"## Body part {escape_markdown(part_key[3])}: {escape_markdown(part.name)}")
            paragraphs += markdown_sections(part, level=3)
        return IndexPage(
            path=page,
            title=f"{table.key} {table.title} | {system.name}",
            description=f"ICD-10-PCS table {table.key}: {table.title}. {len(table.codes)} valid codes.",
            heading=f"{table.key} {escape_markdown(table.title)}",
            breadcrumbs=(Link(system.name, urls.relative(page, urls.system_page(SYSTEM))),
                         Link(f"Section {section}", urls.relative(page, section_page(section))),
                         Link(f"{section}{body_system}", urls.relative(page, body_system_page(section, body_system)))),
            paragraphs=tuple(paragraphs),
            tables=tuple(tables),
        )

    def _definitions_page(self, section: str, label: str) -> IndexPage:
        page = definitions_page(section)
        paragraphs = []
        for axis, entries in self._definitions.get(section, {}).items():
            paragraphs.append(f"## {escape_markdown(axis)}")
            for name, definition in sorted(entries, key=lambda entry: entry[1].titles[0]):
                lines = [f"### {escape_markdown(' / '.join(definition.titles))} {{#{name}}}"]
                if definition.definition:
                    lines.append(f"**Definition:** {escape_markdown(definition.definition)}")
                if definition.explanation:
                    lines.append(f"**Explanation:** {escape_markdown(definition.explanation)}")
                if definition.includes:
                    lines.append("**Includes:** " + "; ".join(escape_markdown(item) for item in definition.includes))
                paragraphs.append("\n\n".join(lines))
        return IndexPage(
            path=page,
            title=f"Section {section} definitions | {SYSTEMS[SYSTEM].name}",
            description=f"ICD-10-PCS definitions for section {section}, {label}.",
            heading=f"Section {section} definitions: {escape_markdown(label)}",
            breadcrumbs=(Link(SYSTEMS[SYSTEM].name, urls.relative(page, urls.system_page(SYSTEM))),
                         Link(f"Section {section}", urls.relative(page, section_page(section)))),
            paragraphs=tuple(paragraphs),
        )

    def index_pages(self) -> list[IndexPage]:
        system = SYSTEMS[SYSTEM]
        home = urls.system_page(SYSTEM)
        pages = [system_index_page(
            SYSTEM,
            f"{system.long_name}: {len(self._keys):,} valid codes in {len(self.release.tables)} tables.",
            f"{escape_markdown(self.label())}: {len(self._keys):,} valid codes in {len(self.release.tables):,} tables."
            + (f" See [what the update changed]({urls.relative(home, CHANGES_PAGE)})." if self.release.changes else ""),
            Table(("Section", "Name", "Body systems"), tuple(
                (markdown_link(f"Section {section.value.value}", urls.relative(home, section_page(section.value.value))),
                 escape_markdown(section.value.label or ""), str(len(section.body_systems)))
                for section in self.release.sections)),
        )]
        for section in self.release.sections:
            key = section.value.value
            page = section_page(key)
            pages.append(IndexPage(
                path=page,
                title=f"Section {key} {section.value.label} | {system.name}",
                description=f"ICD-10-PCS section {key}, {section.value.label}: body systems.",
                heading=f"Section {key}: {escape_markdown(section.value.label or '')}",
                breadcrumbs=(Link(system.name, urls.relative(page, home)),),
                paragraphs=(f"[Definitions of this section's values]({urls.relative(page, definitions_page(key))})",)
                if key in self._definitions else (),
                tables=(Table(("Body system", "Name", "Tables"), tuple(
                    (markdown_link(f"{key}{body.value.value}", urls.relative(page, body_system_page(key, body.value.value))),
                     escape_markdown(body.value.label or ""), str(len(body.tables)))
                    for body in section.body_systems)),),
            ))
            if key in self._definitions:
                pages.append(self._definitions_page(key, section.value.label or ""))
            for body in section.body_systems:
                page = body_system_page(key, body.value.value)
                pages.append(IndexPage(
                    path=page,
                    title=f"{key}{body.value.value} {body.value.label} | {system.name}",
                    description=f"ICD-10-PCS body system {key}{body.value.value}, {body.value.label}: tables.",
                    heading=f"{key}{body.value.value} {escape_markdown(body.value.label or '')}",
                    breadcrumbs=(Link(system.name, urls.relative(page, home)),
                                 Link(f"Section {key}", urls.relative(page, section_page(key)))),
                    tables=(Table(("Table", "Operation", "Codes"), tuple(
                        (markdown_link(table.key, urls.relative(page, table_page(table.key))),
                         escape_markdown(table.operation.label or table.title), str(len(table.codes)))
                        for table in body.tables)),),
                ))
                pages += [self._table_page(table) for table in body.tables]
        if self.release.changes:
            pages.append(self._changes_page())
        return pages

    def _changes_page(self) -> IndexPage:
        """The order file's change list: codes and tables added, codes deleted, titles revised."""
        home = urls.system_page(SYSTEM)

        def linked(code: str) -> str:
            target = urls.code_page(SYSTEM, code) if code in self.release.codes else (
                table_page(code) if code in self.release.tables else None)
            return markdown_link(code, urls.relative(CHANGES_PAGE, target)) if target else escape_markdown(code)

        kinds = (("added", "Added", ("Code", "Title")), ("deleted", "Deleted (no longer valid)", ("Code", "Last title")),
                 ("revised", "Titles revised", ("Code", "Title now", "Short title before → now")))
        tables = []
        for action, heading, columns in kinds:
            chosen = [change for change in self.release.changes if change.action == action]
            if not chosen:
                continue
            rows = tuple((linked(change.code), escape_markdown(change.long_title))
                         + ((f"{escape_markdown(change.previous_short_title or '')} → {escape_markdown(change.short_title)}",)
                            if action == "revised" else ()) for change in chosen)
            tables.append(Table(columns, rows, heading=f"{heading} ({len(chosen)})"))
        return IndexPage(
            path=CHANGES_PAGE,
            title=f"Changes in the update | {SYSTEMS[SYSTEM].name}",
            description=f"ICD-10-PCS codes added, deleted and retitled in the update of {self.label()}.",
            heading="What the update changed",
            breadcrumbs=(Link(SYSTEMS[SYSTEM].name, urls.relative(CHANGES_PAGE, home)),),
            paragraphs=(f"The change list CMS publishes with the order file ({escape_markdown(self.label())}): "
                        "codes and tables added, codes deleted and titles revised since the release before it.",),
            tables=tuple(tables),
        )

    def search_documents(self) -> list[SearchDocument]:
        """Every valid code, with its body part's and device's "includes" as synonyms; and every table."""
        documents = [
            SearchDocument(SYSTEM, table.key, table.title, None, (), "", urls.built(table_page(table.key)),
                           billable=False, active=True)
            for table in self.release.tables.values()
        ]
        for code, entry in self.release.codes.items():
            # The includes of an operation are examples of other procedures, not other names of this one.
            includes = tuple(dict.fromkeys(
                term for value in (entry.axis(4), entry.axis(6)) if value.definition is not None
                for term in value.definition.includes))
            name, synonyms, text = curated_search_fields(self.settings.catalog.curated(SYSTEM, code))
            short = entry.short_title if entry.short_title != entry.long_title else ""
            documents.append(SearchDocument(
                SYSTEM, code, entry.long_title, name, includes + synonyms, " ".join(filter(None, (short, text))),
                urls.code_page(SYSTEM, code), billable=True, active=True))
        return documents

    def nav(self) -> list[object]:
        return [urls.system_page(SYSTEM)] + ([{"What the update changed": CHANGES_PAGE}] if self.release.changes else [])
