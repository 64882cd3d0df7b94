"""HCPCS Level II pages: a page per code and per modifier; index pages by letter section and by range."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import groupby

from markupsafe import Markup, escape

from .. import urls
from ..codes import HCPCS_MODIFIERS, SYSTEMS, modifier_key
from ..model import Family
from ..relations import family_ancestors, narrowest_members
from ..sources.hcpcs import ACTION_CODES, HcpcsCode, HcpcsModifier, HcpcsRelease
from ..search_index import SearchDocument
from .common import (GroupText, PageSettings, code_link, code_page, curated_search_fields, family_group, markdown_sections,
                     record_group, system_index_page)
from .model import Badge, CodeLine, CodeList, CodePage, Fact, IndexPage, Link, Table, escape_markdown, markdown_link

SYSTEM = "hcpcs"
#: What each letter section holds, in our words.
SECTIONS = {
    "A": "Transportation, medical and surgical supplies, and miscellaneous services",
    "B": "Enteral and parenteral nutrition therapy",
    "C": "Temporary codes for hospital outpatient payment",
    "E": "Durable medical equipment",
    "G": "Procedures and professional services (temporary)",
    "H": "Behavioral health, alcohol and drug treatment services",
    "J": "Drugs given other than by mouth, and chemotherapy drugs",
    "K": "Temporary codes for durable medical equipment contractors",
    "L": "Orthotics and prosthetics",
    "M": "Other medical services and quality measures",
    "P": "Pathology and laboratory services",
    "Q": "Temporary codes",
    "R": "Diagnostic radiology services",
    "S": "Temporary national codes for private payers",
    "T": "Codes for state Medicaid agencies",
    "U": "Coronavirus laboratory tests",
    "V": "Vision, hearing and speech-language services",
}
#: Nearby codes shown on each side of a code.
NEIGHBOURS = 2


def section_page(letter: str) -> str:
    return f"{SYSTEM}/section-{letter}.md"


def range_key(code: str) -> str:
    """Codes are grouped into ranges of a hundred: ``J9035`` → ``J90``."""
    return code[:3]


def range_page(key: str) -> str:
    return f"{SYSTEM}/{key}00-{key}99.md"


def modifier_page(code: str) -> str:
    return f"{SYSTEM}/modifier-{code}.html"


MODIFIERS_PAGE = urls.MODIFIERS_PAGE
#: What the release changed (codes added, discontinued, retitled), and every terminated code.
CHANGES_PAGE = f"{SYSTEM}/changes.md"
TERMINATED_PAGE = f"{SYSTEM}/terminated.md"
#: The changes the changes page lists, in its order (keys of ACTION_CODES).
LISTED_ACTIONS = ("A", "R", "D", "C", "B", "S")
#: The key of the record that describes all modifiers.
MODIFIERS_GROUP = HCPCS_MODIFIERS


def family_page(family: Family) -> str:
    """A family's page; ``family-`` keeps it apart from the hundred-code range pages (``J9000-J9099``)."""
    return f"{SYSTEM}/family-{family.range.slug}.md"


def _date(value: object) -> str:
    return value.isoformat() if value else ""  # type: ignore[attr-defined]


class HcpcsPages:
    """Builds every HCPCS Level II page from the release and the curated records."""

    system = SYSTEM

    def __init__(self, release: HcpcsRelease, settings: PageSettings) -> None:
        self.release = release
        self.settings = settings
        self.codes = sorted(release.codes)
        self.modifiers = sorted(release.modifiers)
        self._position = {code: index for index, code in enumerate(self.codes)}
        self._keys = list(release.page_keys())
        #: The families holding each code (content/families/hcpcs.yaml), narrowest first.
        self._chains = settings.catalog.family_chains(SYSTEM, self.codes)

    def code_keys(self) -> Sequence[str]:
        return self._keys

    def label(self) -> str:
        return f"HCPCS Level II, {self.release.label} release"

    def _status(self, entry: HcpcsCode | HcpcsModifier) -> Badge:
        if entry.is_terminated(self.release.effective):
            return Badge(f"Terminated {_date(entry.termination_date)}", "warn")
        return Badge("Active", "ok")

    def _code_or_text(self, path: str, code: str) -> Markup:
        """A cross-reference: a link when the code has a page here, else the code as text."""
        if code in self.release.codes:
            return Markup('<a href="{}">{}</a>').format(urls.relative(path, urls.code_page(SYSTEM, code)), code)
        return escape(code)

    def _facts(self, path: str, entry: HcpcsCode | HcpcsModifier) -> tuple[Fact, ...]:
        facts = [Fact("Short description", entry.short_description), Fact("Added", _date(entry.added_date))]
        facts.append(Fact("Action in this release", entry.action, next(
            item.meaning for item in entry.explanations if item.label == "Action")))
        facts.append(Fact("Action effective", _date(entry.action_effective_date)))
        if entry.termination_date:
            facts.append(Fact("Termination date", _date(entry.termination_date),
                              "The last day the code may be reported."))
        # A label that repeats (a code with two types of service) is one row listing each value and meaning.
        grouped: dict[str, list[tuple[str, str]]] = {}
        for item in entry.explanations:
            if item.label != "Action":
                grouped.setdefault(item.label, []).append((item.value, item.meaning))
        facts += [Fact(label, ", ".join(value for value, _ in items),
                       "; ".join(f"{value}: {meaning}" if len(items) > 1 else meaning for value, meaning in items))
                  for label, items in grouped.items()]
        if entry.cross_references:
            facts.append(Fact("Cross-reference", Markup(", ").join(self._code_or_text(path, code)
                                                                    for code in entry.cross_references),
                              "Use instead, or see also."))
        references = [*(f"CIM {ref}" for ref in entry.cim_references), *(f"MCM {ref}" for ref in entry.mcm_references)]
        if references:
            facts.append(Fact("Manual references", ", ".join(references), "Retired Medicare coverage and carriers manuals."))
        if isinstance(entry, HcpcsCode) and entry.statute:
            facts.append(Fact("Statute", entry.statute, "Section of the Social Security Act behind the coverage rule."))
        return tuple(facts)

    def _breadcrumbs(self, path: str, code: str) -> tuple[Link, ...]:
        system = SYSTEMS[SYSTEM]
        letter = code[0]
        return (
            Link(system.name, urls.built(urls.relative(path, urls.system_page(SYSTEM)))),
            Link(f"{letter} – {SECTIONS.get(letter, 'Other codes')}", urls.built(urls.relative(path, section_page(letter)))),
            Link(f"{range_key(code)}00–{range_key(code)}99", urls.built(urls.relative(path, range_page(range_key(code))))),
        )

    def code_page(self, key: str) -> CodePage:
        if key.startswith("modifier-"):
            return self.modifier_code_page(key.removeprefix("modifier-"))
        entry = self.release.codes[key]
        path = urls.code_page(SYSTEM, key)
        record = self.settings.catalog.curated(SYSTEM, key)
        position = self._position[key]
        nearby = self.codes[max(0, position - NEIGHBOURS):position] + self.codes[position + 1:position + 1 + NEIGHBOURS]
        nearby_list = CodeList("Nearby codes", "nearby-codes", tuple(
            CodeLine(code_link(path, SYSTEM, code),
                     self.release.codes[code].long_description,
                     "terminated" if self.release.codes[code].is_terminated(self.release.effective) else "")
            for code in nearby))
        return code_page(
            self.settings, SYSTEM, key,
            heading=entry.long_description,
            description=f"HCPCS Level II code {key}: {entry.long_description}." + (f" {record.name}." if record else ""),
            release=self.label(),
            breadcrumbs=self._breadcrumbs(path, key),
            badges=(self._status(entry),),
            facts=self._facts(path, entry),
            facts_heading="Official record",
            code_lists=(nearby_list,),
            groups=self.groups_of(key),
        )

    def groups_of(self, key: str) -> Iterator[GroupText | None]:
        """The families a code without a record inherits from, narrowest first; a modifier, the modifiers' record."""
        if key.startswith("modifier-"):
            return iter((record_group(self.settings.catalog.curated(SYSTEM, MODIFIERS_GROUP), "", MODIFIERS_PAGE),))
        return (family_group(family, family_page(family)) for family in self._chains.get(key, ()))

    def level_of(self, key: str) -> str:
        return "modifier" if key.startswith("modifier-") else "code"

    def modifier_code_page(self, code: str) -> CodePage:
        entry = self.release.modifiers[code]
        path = modifier_page(code)
        system = SYSTEMS[SYSTEM]
        return code_page(
            self.settings, SYSTEM, modifier_key(code),
            code=code,
            heading=entry.long_description,
            title=f"Modifier {code} – {entry.long_description} | {system.name}",
            description=f"HCPCS Level II modifier {code}: {entry.long_description}.",
            release=self.label(),
            breadcrumbs=(Link(system.name, urls.built(urls.relative(path, urls.system_page(SYSTEM)))),
                         Link("Modifiers", urls.built(urls.relative(path, MODIFIERS_PAGE)))),
            badges=(Badge("Modifier", "info"), self._status(entry)),
            facts=self._facts(path, entry),
            facts_heading="Official record",
            groups=self.groups_of(modifier_key(code)),
            edit=None,
        )

    # --- index pages (Markdown, built by MkDocs) ---

    def _code_rows(self, page: str, codes: Sequence[str]) -> tuple[tuple[str, ...], ...]:
        rows = []
        for code in codes:
            entry = self.release.codes[code]
            status = f"terminated {_date(entry.termination_date)}" if entry.is_terminated(self.release.effective) else ""
            rows.append((markdown_link(code, urls.relative(page, urls.code_page(SYSTEM, code))),
                         escape_markdown(entry.long_description), status))
        return tuple(rows)

    def index_pages(self) -> list[IndexPage]:
        system = SYSTEMS[SYSTEM]
        pages: list[IndexPage] = []
        home = urls.system_page(SYSTEM)
        letters = [(letter, list(codes)) for letter, codes in groupby(self.codes, key=lambda code: code[0])]
        pages.append(system_index_page(
            SYSTEM,
            f"{system.long_name}: {len(self.codes):,} codes and {len(self.modifiers)} modifiers, by section.",
            f"{len(self.codes):,} codes ({len(self.release.active_codes()):,} active) and "
            f"{len(self.modifiers)} modifiers from the {escape_markdown(self.release.label)} release. "
            f"See also the list of [modifiers]({urls.relative(home, MODIFIERS_PAGE)}), [what this release changed]"
            f"({urls.relative(home, CHANGES_PAGE)}) and [every terminated code]({urls.relative(home, TERMINATED_PAGE)}).",
            Table(("Section", "What it holds", "Codes"), tuple(
                (markdown_link(letter, urls.relative(home, section_page(letter))),
                 escape_markdown(SECTIONS.get(letter, "Other codes")), f"{len(codes):,}")
                for letter, codes in letters)),
        ))
        for letter, codes in letters:
            page = section_page(letter)
            ranges = [(key, list(group)) for key, group in groupby(codes, key=range_key)]
            pages.append(IndexPage(
                path=page,
                title=f"{letter} codes – {SECTIONS.get(letter, 'Other codes')} | {system.name}",
                description=f"HCPCS Level II {letter} codes: {SECTIONS.get(letter, 'other codes')}.",
                heading=f"{letter} codes: {escape_markdown(SECTIONS.get(letter, 'Other codes'))}",
                breadcrumbs=(Link(system.name, urls.relative(page, home)),),
                tables=(Table(("Range", "First code", "Codes"), tuple(
                    (markdown_link(f"{key}00–{key}99", urls.relative(page, range_page(key))),
                     escape_markdown(self.release.codes[group[0]].long_description), f"{len(group):,}")
                    for key, group in ranges)),),
            ))
            for key, group in ranges:
                page = range_page(key)
                pages.append(IndexPage(
                    path=page,
                    title=f"{key}00–{key}99 | {system.name}",
                    description=f"HCPCS Level II codes {key}00 to {key}99.",
                    heading=f"{key}00–{key}99",
                    breadcrumbs=(Link(system.name, urls.relative(page, home)),
                                 Link(f"{letter} – {escape_markdown(SECTIONS.get(letter, 'Other codes'))}",
                                      urls.relative(page, section_page(letter)))),
                    tables=(Table(("Code", "Description", "Status"), self._code_rows(page, group)),),
                ))
        pages += self.family_pages()
        pages += self.change_pages()
        pages.append(IndexPage(
            path=MODIFIERS_PAGE,
            title=f"Modifiers | {system.name}",
            description=f"All {len(self.modifiers)} HCPCS Level II modifiers.",
            heading="Modifiers",
            breadcrumbs=(Link(system.name, urls.relative(MODIFIERS_PAGE, home)),),
            paragraphs=("Two-character modifiers added to a code to tell more about the service.",
                        *markdown_sections(self.settings.catalog.curated(SYSTEM, MODIFIERS_GROUP))),
            tables=(Table(("Modifier", "Description", "Status"), tuple(
                (markdown_link(code, urls.relative(MODIFIERS_PAGE, modifier_page(code))),
                 escape_markdown(self.release.modifiers[code].long_description),
                 "terminated" if self.release.modifiers[code].is_terminated(self.release.effective) else "")
                for code in self.modifiers)),),
        ))
        return pages

    def change_pages(self) -> tuple[IndexPage, IndexPage]:
        """What the release changed, by kind of change (the file's action codes), and every terminated code."""
        system = SYSTEMS[SYSTEM]
        home = urls.system_page(SYSTEM)
        by_action = {action: [code for code in self.codes if self.release.codes[code].action == action]
                     for action in LISTED_ACTIONS}
        changes = IndexPage(
            path=CHANGES_PAGE,
            title=f"Changes in the {self.release.label} release | {system.name}",
            description=f"HCPCS Level II codes added, discontinued and retitled in the {self.release.label} release.",
            heading=f"Changes in the {escape_markdown(self.release.label)} release",
            breadcrumbs=(Link(system.name, urls.relative(CHANGES_PAGE, home)),),
            paragraphs=(f"What CMS's file marks as changed since the previous release, effective "
                        f"{_date(self.release.effective)}. Codes with only payment or administrative changes are "
                        "not listed.",),
            tables=tuple(Table(("Code", "Description", "Status"), self._code_rows(CHANGES_PAGE, codes),
                               heading=f"{ACTION_CODES[action]} ({len(codes):,})")
                         for action, codes in by_action.items() if codes),
        )
        entries = {**{code: (self.release.codes[code], urls.code_page(SYSTEM, code)) for code in self.codes},
                   **{code: (self.release.modifiers[code], modifier_page(code)) for code in self.modifiers}}
        ended = sorted((code for code, (entry, _) in entries.items() if entry.termination_date is not None),
                       key=lambda code: (entries[code][0].termination_date, code), reverse=True)
        terminated = IndexPage(
            path=TERMINATED_PAGE,
            title=f"Terminated codes | {system.name}",
            description="Every HCPCS Level II code and modifier in the file that may no longer be used, newest first.",
            heading="Terminated codes",
            breadcrumbs=(Link(system.name, urls.relative(TERMINATED_PAGE, home)),),
            paragraphs=(f"{len(ended):,} codes and modifiers of the {escape_markdown(self.release.label)} file have a "
                        "termination date: the last day each could be used. Newest first.",),
            tables=(Table(("Code or modifier", "Description", "Last day"), tuple(
                (markdown_link(code, urls.relative(TERMINATED_PAGE, entries[code][1])),
                 escape_markdown(entries[code][0].long_description), _date(entries[code][0].termination_date))
                for code in ended)),),
        )
        return changes, terminated

    def family_pages(self) -> list[IndexPage]:
        """A page per family: its summary, the families inside it, and the codes whose narrowest family it is."""
        families = self.settings.catalog.families(SYSTEM)
        parent, children = self.settings.catalog.family_tree(SYSTEM)
        members = narrowest_members(self._chains, self.codes)
        pages = []
        home = urls.system_page(SYSTEM)
        for family in families:
            page = family_page(family)
            crumbs = [Link(SYSTEMS[SYSTEM].name, urls.relative(page, home))]
            crumbs += [Link(f"{item.range.label} {item.title}", urls.relative(page, family_page(item)))
                       for item in family_ancestors(parent, family)]
            tables = []
            if children.get(family):
                tables.append(Table(("Range", "Family"), tuple(
                    (markdown_link(child.range.label, urls.relative(page, family_page(child))), escape_markdown(child.title))
                    for child in children[family]), heading="Families in this range"))
            if members.get(family):
                tables.append(Table(("Code", "Description", "Status"), self._code_rows(page, members[family]),
                                    heading="Codes"))
            edit = self.settings.site.edit_url(family.source_path)
            pages.append(IndexPage(
                path=page,
                title=f"{family.range.label} {family.title} | {SYSTEMS[SYSTEM].name}",
                description=f"HCPCS Level II codes {family.range.label}: {family.title}. {family.summary or ''}",
                heading=f"{family.range.label} {escape_markdown(family.title)}",
                breadcrumbs=tuple(crumbs),
                paragraphs=(escape_markdown(family.summary),) if family.summary else (),
                tables=tuple(tables),
                source=family.source_path,
                edit=Link("Edit this page", edit) if edit else None,
            ))
        return pages

    def search_documents(self) -> list[SearchDocument]:
        """One document per code (modifiers are listed on their own page, not searched as codes)."""
        documents = []
        for code in self.codes:
            entry = self.release.codes[code]
            name, synonyms, text = curated_search_fields(self.settings.catalog.curated(SYSTEM, code))
            documents.append(SearchDocument(
                SYSTEM, code, entry.long_description, name, synonyms, " ".join(filter(None, (entry.short_description, text))),
                urls.code_page(SYSTEM, code), billable=True, active=not entry.is_terminated(self.release.effective)))
        return documents

    def nav(self) -> list[object]:
        return [urls.system_page(SYSTEM), {"Modifiers": MODIFIERS_PAGE}, {"Changes in this release": CHANGES_PAGE},
                {"Terminated codes": TERMINATED_PAGE}]
