"""CPT pages: curated records only (official CPT descriptors are the AMA's and are never shipped)."""

from __future__ import annotations

from collections.abc import Sequence

from .. import urls
from ..codes import SYSTEMS
from ..model import Family
from ..relations import Related
from ..search_index import SearchDocument
from .common import PageSettings, code_link, code_page, curated_search_fields, policy_line, system_index_page
from .model import Badge, CodeLine, CodePage, IndexPage, Link, Notice, Table, escape_markdown, markdown_link

CPT_NOTICE = (
    "CPT® is a registered trademark of the American Medical Association (AMA). "
    "Official CPT descriptors are not reproduced on this site; the plain-language text "
    "is written by contributors."
)


class CptPages:
    """Code pages of the curated CPT records, and the CPT system and family index pages."""

    system = "cpt"

    def __init__(self, settings: PageSettings) -> None:
        self.settings = settings
        self.catalog = settings.catalog
        self._keys = [code for (system, code) in self.catalog.records if system == self.system]
        self._parent, self._children = self.catalog.family_tree(self.system)

    def code_keys(self) -> Sequence[str]:
        return self._keys

    def label(self) -> str:
        return "Plain-language content written by contributors"

    def _line(self, page: str, related: Related) -> CodeLine:
        return CodeLine(code_link(page, related.system, related.code),
                        related.name, related.relation)

    def code_page(self, code: str) -> CodePage:
        record = self.catalog.records[(self.system, code)]
        system = SYSTEMS[self.system]
        path = urls.code_page(self.system, code)
        relations = self.catalog.relations(record)
        family = relations.family
        notices = []
        if relations.primary_codes:
            notices.append(Notice("Add-on code", "Reported in addition to a primary code. Use it with:",
                                  tuple(self._line(path, link) for link in relations.primary_codes)))
        if relations.add_on_codes:
            notices.append(Notice("Add-on codes for this code", "These codes are reported in addition to this one:",
                                  tuple(self._line(path, link) for link in relations.add_on_codes)))
        notices.append(Notice("Official descriptor", "The official CPT descriptor is copyrighted by the American "
                              "Medical Association and is not reproduced here; the text on this page is written "
                              "by contributors in plain language."))
        summary = record.sections.get("summary")
        return code_page(
            self.settings, self.system, code,
            heading=record.name,
            description=f"{system.name} {code}: {record.name}." + (f" {summary}" if isinstance(summary, str) else ""),
            release=self.label(),
            breadcrumbs=(
                Link(system.name, urls.built(urls.relative(path, urls.system_page(self.system)))),
                Link(f"{family.range.label} {family.title}",
                     urls.built(urls.relative(path, urls.family_page(self.system, family.range)))),
            ),
            badges=(Badge("Add-on code", "info"),) if record.add_on else (),
            plain_name=None,  # the heading is already the plain-language name
            notices=tuple(notices),
            policies=tuple(policy_line(policy) for policy in relations.policies),
            similar=tuple(self._line(path, link) for link in relations.similar),
        )

    def _family_row(self, page: str, family: Family) -> tuple[str, str, str]:
        count = len(self.catalog.codes_in(family))
        inside = len(self._children.get(family, ()))
        what = "numbers not in use" if family.unassigned else ", ".join(
            part for part in (f"{inside} families" if inside else "", f"{count} codes written" if count else "") if part)
        return (markdown_link(family.range.label, urls.relative(page, urls.family_page(self.system, family.range))),
                escape_markdown(family.title), what)

    def family_page(self, family: Family) -> IndexPage:
        system = SYSTEMS[self.system]
        page = urls.family_page(self.system, family.range)
        heading = f"{family.range.label} {family.title}"
        trail, above = [], self._parent.get(family)
        while above is not None:
            trail.append(above)
            above = self._parent.get(above)
        crumbs = [Link(system.name, urls.relative(page, urls.system_page(self.system)))]
        crumbs += [Link(f"{item.range.label} {item.title}", urls.relative(page, urls.family_page(self.system, item.range)))
                   for item in reversed(trail)]
        tables = []
        if self._children.get(family):
            tables.append(Table(("Range", "Family", ""), tuple(self._family_row(page, child) for child in self._children[family]),
                                heading="Families in this range"))
        rows = tuple(
            (markdown_link(record.code, urls.relative(page, urls.code_page(self.system, record.code))),
             escape_markdown(record.name), "add-on" if record.add_on else "")
            for record in self.catalog.codes_in(family)
        )
        if rows:
            tables.append(Table(("Code", "Plain-language name", ""), rows, heading="Codes with a page"))
        paragraphs = [escape_markdown(family.summary)] if family.summary else []
        if not family.unassigned and family not in self._children:
            starter = self.settings.site.new_file_url(f"content/{self.system}", "",
                                                      'code: ""\nsystem: cpt\nstatus: draft\nname: \nsummary: \n')
            write = f" [Write one in your own words →]({starter})" if starter else ""
            paragraphs.append(escape_markdown(
                f"Codes in {family.range.label} that have no page here are not described on this site yet: "
                "official CPT descriptors belong to the AMA.") + write)
        edit = self.settings.site.edit_url(family.source_path)
        return IndexPage(
            path=page,
            title=f"{heading} | {system.name}",
            description=f"{system.name} codes {family.range.label}: {family.title}.",
            heading=escape_markdown(heading),
            breadcrumbs=tuple(crumbs),
            paragraphs=tuple(paragraphs),
            tables=tuple(tables),
            source=family.source_path,
            edit=Link("Edit this page", edit) if edit else None,
        )

    def _top_families(self) -> list[Family]:
        return [family for family in self.catalog.families(self.system) if family not in self._parent]

    def system_page(self) -> IndexPage:
        system = SYSTEMS[self.system]
        page = urls.system_page(self.system)
        rows = tuple(self._family_row(page, family) for family in self._top_families())
        return system_index_page(
            self.system, f"{system.long_name} ({system.name}): code families.",
            f"{len(self._keys)} codes with plain-language pages written by contributors.",
            Table(("Range", "Family", ""), rows), extra=(CPT_NOTICE,))

    def index_pages(self) -> list[IndexPage]:
        return [self.system_page(), *(self.family_page(family) for family in self.catalog.families(self.system))]

    def search_documents(self) -> list[SearchDocument]:
        documents = []
        for code in self._keys:
            record = self.catalog.records[(self.system, code)]
            name, synonyms, text = curated_search_fields(record)
            documents.append(SearchDocument(self.system, code, record.name, name, synonyms, text,
                                            urls.code_page(self.system, code), billable=True, active=True))
        # Families answer for the CPT numbers that have no page (found by their number, not by words).
        for family in self.catalog.families(self.system):
            documents.append(SearchDocument(
                self.system, family.range.slug, family.title, None, (), "",
                urls.built(urls.family_page(self.system, family.range)), billable=False, active=True, family=True))
        return documents

    def nav(self) -> list[object]:
        # Only the top-level families: every MkDocs page carries the whole nav.
        return [urls.system_page(self.system)] + [
            {f"{family.range.label} {family.title}": urls.family_page(self.system, family.range)}
            for family in self._top_families()
        ]
