"""CPT pages: curated records only (official CPT descriptors are the AMA's and are never shipped)."""

from __future__ import annotations

from collections.abc import Sequence

from .. import urls
from ..codes import SYSTEMS, sort_key
from ..model import Family
from ..relations import Related, family_ancestors, narrowest_members
from ..search_index import SearchDocument
from .common import PageSettings, code_link, code_page, curated_search_fields, system_index_page
from .model import Badge, CodeLine, CodePage, IndexPage, Link, Notice, Table, escape_markdown, markdown_link

#: Why CPT pages show no official descriptors, and how a licensed site owner adds them (About page, CPT page).
CPT_WHY = (
    "Why no descriptors: the American Medical Association owns the copyright in CPT's descriptors and licenses "
    "them for a fee, so an open site cannot publish them. Every CPT number still answers in search, with its "
    "family, and contributors write plain-language pages in their own words."
)
CPT_HOW = (
    "Site owners who hold an AMA license can build their own copy with the descriptors: `make site "
    "CPT_DESCRIPTORS=path/to/file`, where the file is the AMA's tab-separated descriptor file or a CSV of "
    "code,descriptor. Every code in it then gets a page with its descriptor and the written sections, marked as "
    "licensed. The file is read only during that build and never enters the repository."
)
#: How a page marks a licensed descriptor (shown only in builds from a site owner's AMA-licensed file).
LICENSED_MARK = "CPT® descriptor © American Medical Association, used under license"
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
        #: Licensed descriptors, only in a build whose owner supplied the AMA's file.
        self.descriptors = self.catalog.official.cpt_descriptors or {}
        written = {code for (system, code) in self.catalog.records if system == self.system}
        self._keys = sorted(written | set(self.descriptors), key=sort_key)
        self._parent, self._children = self.catalog.family_tree(self.system)
        chains = self.catalog.family_chains(self.system, self._keys)
        #: Each code's narrowest family, and each family's codes with a page.
        self._family = {code: chain[0] for code, chain in chains.items()}
        self._members = narrowest_members(chains, self._keys)

    def code_keys(self) -> Sequence[str]:
        return self._keys

    def label(self) -> str:
        written = "Plain-language content written by contributors"
        return f"{written}; {LICENSED_MARK}" if self.descriptors else written

    def _line(self, page: str, related: Related) -> CodeLine:
        return CodeLine(code_link(page, related.system, related.code),
                        related.name, related.relation)

    def groups_of(self, key: str) -> tuple[()]:
        """CPT pages exist for written (or licensed) codes only; they inherit nothing."""
        return ()

    def level_of(self, key: str) -> str:
        return "code"

    def name_of(self, code: str) -> str:
        """The licensed descriptor when this build has one, else the contributors' plain-language name."""
        record = self.catalog.curated(self.system, code)
        return self.descriptors.get(code) or (record.name if record else code)

    def code_page(self, code: str) -> CodePage:
        record = self.catalog.curated(self.system, code)
        descriptor = self.descriptors.get(code)
        system = SYSTEMS[self.system]
        path = urls.code_page(self.system, code)
        family = self._family.get(code)
        if record is not None:
            relations = self.catalog.relations(record)
            primary, add_ons, similar = relations.primary_codes, relations.add_on_codes, relations.similar
        else:
            primary, similar = (), ()
            add_ons = self.catalog.add_ons_of(self.system, code)
        notices = []
        if primary:
            notices.append(Notice("Add-on code", "Reported in addition to a primary code. Use it with:",
                                  tuple(self._line(path, link) for link in primary)))
        if add_ons:
            notices.append(Notice("Add-on codes for this code", "These codes are reported in addition to this one:",
                                  tuple(self._line(path, link) for link in add_ons)))
        if descriptor:
            notices.append(Notice("Official descriptor", LICENSED_MARK + "."))
        else:
            notices.append(Notice("Official descriptor", "The official CPT descriptor is copyrighted by the American "
                                  "Medical Association and is not reproduced here; the text on this page is written "
                                  "by contributors in plain language."))
        summary = record.sections.get("summary") if record else None
        heading = descriptor or record.name  # type: ignore[union-attr]  # a key has a descriptor or a record
        crumbs = [Link(system.name, urls.built(urls.relative(path, urls.system_page(self.system))))]
        if family is not None:
            crumbs.append(Link(f"{family.range.label} {family.title}",
                               urls.built(urls.relative(path, urls.family_page(self.system, family.range)))))
        return code_page(
            self.settings, self.system, code,
            heading=heading,
            description=f"{system.name} {code}: {heading}." + (f" {summary}" if isinstance(summary, str) else ""),
            release=self.label(),
            breadcrumbs=tuple(crumbs),
            badges=(Badge("Add-on code", "info"),) if record and record.add_on else (),
            # The heading is the plain-language name unless a licensed descriptor took its place.
            plain_name=record.name if descriptor and record else None,
            notices=tuple(notices),
            similar=tuple(self._line(path, link) for link in similar),
        )

    def _family_row(self, page: str, family: Family) -> tuple[str, str, str]:
        count = len(self._members.get(family, ()))
        inside = len(self._children.get(family, ()))
        what = "numbers not in use" if family.unassigned else ", ".join(
            part for part in (f"{inside} families" if inside else "", f"{count} codes written" if count else "") if part)
        return (markdown_link(family.range.label, urls.relative(page, urls.family_page(self.system, family.range))),
                escape_markdown(family.title), what)

    def family_page(self, family: Family) -> IndexPage:
        system = SYSTEMS[self.system]
        page = urls.family_page(self.system, family.range)
        heading = f"{family.range.label} {family.title}"
        crumbs = [Link(system.name, urls.relative(page, urls.system_page(self.system)))]
        crumbs += [Link(f"{item.range.label} {item.title}", urls.relative(page, urls.family_page(self.system, item.range)))
                   for item in family_ancestors(self._parent, family)]
        tables = []
        if self._children.get(family):
            tables.append(Table(("Range", "Family", ""), tuple(self._family_row(page, child) for child in self._children[family]),
                                heading="Families in this range"))
        rows = tuple(
            (markdown_link(code, urls.relative(page, urls.code_page(self.system, code))),
             escape_markdown(self.name_of(code)), "add-on" if (record := self.catalog.curated(self.system, code)) and record.add_on else "")
            for code in self._members.get(family, ())
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
            Table(("Range", "Family", ""), rows), extra=(CPT_NOTICE, escape_markdown(CPT_WHY), CPT_HOW))

    def index_pages(self) -> list[IndexPage]:
        return [self.system_page(), *(self.family_page(family) for family in self.catalog.families(self.system))]

    def search_documents(self) -> list[SearchDocument]:
        documents = []
        for code in self._keys:
            name, synonyms, text = curated_search_fields(self.catalog.curated(self.system, code))
            documents.append(SearchDocument(self.system, code, self.name_of(code), name, synonyms, text,
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
