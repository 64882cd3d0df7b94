"""ICD-10-CM pages: a page per category, subcategory and code; index pages per chapter and block."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from markupsafe import Markup

from .. import urls
from ..codes import SYSTEMS
from ..sources.icd10cm import CmKind, CmNode, CmRelease, NoteKind, code_references, inherited_notes
from ..prose_codes import linked_spans
from ..search_index import SearchDocument
from .reference import CoderReference
from .common import GroupText, PageSettings, code_page, curated_search_fields, record_group, system_index_page
from .model import (Badge, CodeLine, CodeList, CodePage, Fact, IndexPage, Link, NoteBlock, NoteGroup, Table,
                    escape_markdown, markdown_link)

SYSTEM = "icd10cm"
#: Node kinds with an index page (Markdown, built by MkDocs) rather than a code page.
INDEX_KINDS = (CmKind.CHAPTER, CmKind.BLOCK)
SEVENTH_CHARACTER_KINDS = (NoteKind.SEVENTH_CHARACTER_NOTE, NoteKind.SEVENTH_CHARACTER_TABLE)
LEVEL_NAMES = {
    CmKind.CHAPTER: "chapter", CmKind.BLOCK: "block", CmKind.CATEGORY: "category",
    CmKind.SUBCATEGORY: "subcategory", CmKind.CODE: "code",
}


def chapter_page(key: str) -> str:
    return f"{SYSTEM}/chapter-{int(key):02d}.md"


def block_page(key: str) -> str:
    return f"{SYSTEM}/{key}.md"


def node_page(node: CmNode) -> str:
    """The site path of any node's page (the Markdown source path for chapters and blocks)."""
    if node.kind is CmKind.CHAPTER:
        return chapter_page(node.key)
    if node.kind is CmKind.BLOCK:
        return block_page(node.key)
    return urls.code_page(SYSTEM, node.key)


class IcdCmPages:
    """Builds every ICD-10-CM page from the release and the curated records."""

    system = SYSTEM

    def __init__(self, release: CmRelease, settings: PageSettings) -> None:
        self.release = release
        self.settings = settings
        self._keys = [key for key, node in release.nodes.items() if node.kind not in INDEX_KINDS]
        reference = settings.catalog.official.reference
        self.reference = CoderReference(reference, release) if reference is not None else None

    def code_keys(self) -> Sequence[str]:
        return self._keys

    def label(self) -> str:
        return f"ICD-10-CM {self.release.label}"

    def page_of(self, key: str) -> str:
        return node_page(self.release.nodes[key])

    def link_to(self, from_page: str, key: str) -> str:
        return urls.built(urls.relative(from_page, self.page_of(key)))

    def linked(self, from_page: str, text: str) -> Markup:
        """Note text with its code references ("E11.-", "(E08-E13)") turned into links."""
        return linked_spans(text, ((start, end, self.link_to(from_page, target))
                                   for start, end, target in code_references(self.release, text)))

    def short_name(self, node: CmNode) -> str:
        """How breadcrumbs and note headings name a level: "Chapter 4", "E08–E13", "E11"."""
        if node.kind is CmKind.CHAPTER:
            return f"Chapter {node.key}"
        if node.kind is CmKind.BLOCK and node.span is not None:
            return node.span.label
        return node.key

    def ancestors(self, node: CmNode) -> list[CmNode]:
        """The levels above a node, chapter first."""
        trail = []
        parent = node.parent
        while parent is not None:
            trail.append(self.release.nodes[parent])
            parent = trail[-1].parent
        return trail[::-1]

    def breadcrumbs(self, path: str, node: CmNode) -> tuple[Link, ...]:
        """Links from a code page to the system page and every level above the code."""
        trail = [Link(SYSTEMS[SYSTEM].name, urls.built(urls.relative(path, urls.system_page(SYSTEM))))]
        return tuple(trail + [Link(self.short_name(item), self.link_to(path, item.key)) for item in self.ancestors(node)])

    def note_groups(self, path: str, node: CmNode) -> tuple[tuple[NoteGroup, ...], Markup]:
        """The notes that apply to the code: those printed here, grouped by the level they are written at
        (own level first), and one line naming the rest by level and kind, linked to where they are printed.

        Some are shown by reference rather than copied onto every page, to keep
        ~98,000 pages within the site's size budget (measured: notes were 1.8 KB of an
        average 4.6 KB page): a 7th-character code shows its own character (a fact) and
        links to its base code, which prints the whole 7th-character table; the notes of
        a chapter or block, which apply to thousands of codes each, are named by kind
        (Excludes1, Use additional code, …) with a link to that chapter's or block's
        page, which prints them in full; and so are those of every level above a
        7th-character code (measured: 1,049 B of notes on an average 7th-character page,
        the same on each of its base code's up to 16 pages). Every other note of the
        category and the levels below it is printed in full.
        """
        groups: dict[str, list[NoteBlock]] = {}
        sources: dict[str, CmNode] = {}
        #: The kinds of note of each level whose notes are printed on its own page only.
        kinds: dict[str, list[str]] = {}
        for inherited in inherited_notes(self.release, node.key):
            source = self.release.nodes[inherited.source_key]
            note = inherited.note
            sources[source.key] = source
            if node.seventh is not None and note.kind in SEVENTH_CHARACTER_KINDS:
                continue
            # A 7th-character code is one of up to 16 pages of its base code that would repeat the same notes.
            if source.kind in INDEX_KINDS or (node.seventh is not None and source.key != node.key):
                kinds.setdefault(source.key, []).append(note.kind.label)
                continue
            items = tuple(self.linked(path, text) for text in note.texts)
            groups.setdefault(source.key, []).append(NoteBlock(note.kind.label, items))
        result = []
        for key, blocks in groups.items():
            source = sources[key]
            if key == node.key:
                result.append(NoteGroup("At this code", None, tuple(blocks)))
            else:
                heading = f"From the {LEVEL_NAMES[source.kind]}"
                result.append(NoteGroup(heading, Link(self.short_name(source), self.link_to(path, key)), tuple(blocks)))
        elsewhere = Markup(" · ").join(
            Markup('<a href="{}">{}</a> {}').format(self.link_to(path, key), self.short_name(sources[key]),
                                                    ", ".join(dict.fromkeys(labels)))
            for key, labels in kinds.items())
        if elsewhere:
            elsewhere = Markup("{} {}.").format("Also apply, printed on the pages of their levels:", elsewhere)
        return tuple(result), elsewhere

    def _line(self, path: str, node: CmNode) -> CodeLine:
        return CodeLine(Link(node.key, self.link_to(path, node.key)), node.title, "" if node.billable else "not billable")

    def code_lists(self, path: str, node: CmNode) -> tuple[CodeList, ...]:
        lists = []
        children = [self.release.nodes[child] for child in node.children]
        if node.kind is CmKind.CATEGORY and children:
            lists.append(CodeList("Codes in this category", "codes-in-this-category", self.tree(path, node)))
        elif children:
            lists.append(CodeList("Codes below this one", "codes-below", tuple(self._line(path, child) for child in children)))
        if node.parent is not None:
            siblings = [self.release.nodes[key] for key in self.release.nodes[node.parent].children if key != node.key]
            if siblings and node.seventh is not None:
                # The other 7th characters of the same base code differ only in the character's meaning.
                lines = tuple(CodeLine(Link(sibling.key, self.link_to(path, sibling.key)),
                                       sibling.seventh.meaning if sibling.seventh else sibling.title)
                              for sibling in siblings)
                lists.append(CodeList("Other 7th characters", "other-7th-characters", lines, compact=True))
            elif siblings:
                lists.append(CodeList("Codes beside this one", "codes-beside", tuple(self._line(path, sibling) for sibling in siblings)))
        return tuple(lists)

    def tree(self, path: str, category: CmNode) -> tuple[CodeLine, ...]:
        """The category's subcategories and codes, depth first; 7th-character codes are left to their base code's page."""
        lines: list[CodeLine] = []
        stack = list(reversed(category.children))
        while stack:
            node = self.release.nodes[stack.pop()]
            if node.seventh is not None:
                continue
            lines.append(self._line(path, node))
            stack += reversed(node.children)
        return tuple(lines)

    def code_page(self, key: str) -> CodePage:
        node = self.release.nodes[key]
        path = urls.code_page(SYSTEM, key)
        facts = []
        if node.seventh is not None and node.base is not None:
            facts.append(Fact("7th character", node.seventh.char, node.seventh.meaning))
            facts.append(Fact("Base code", Markup('<a href="{}">{}</a>').format(self.link_to(path, node.base), node.base),
                              self.release.nodes[node.base].title))
        notes, elsewhere = self.note_groups(path, node)
        badge = Badge("Billable", "ok") if node.billable else Badge("Not billable: choose a more specific code", "warn")
        return code_page(
            self.settings, SYSTEM, key,
            heading=node.title,
            description=f"ICD-10-CM {key}: {node.title}."
                        + (" Billable diagnosis code." if node.billable else " Header, not valid for claims."),
            release=self.label(),
            breadcrumbs=self.breadcrumbs(path, node),
            # A level badge only where it tells something: every billable page is a code.
            badges=(badge,) if node.kind is CmKind.CODE else (badge, Badge(LEVEL_NAMES[node.kind].capitalize(), "info")),
            facts=tuple(facts),
            facts_heading="Official record",
            references=self.reference.rows(path, key) if self.reference is not None else (),
            note_groups=notes,
            notes_elsewhere=elsewhere,
            code_lists=self.code_lists(path, node),
            groups=self.groups_of(key),
        )

    def level_of(self, key: str) -> str:
        return LEVEL_NAMES[self.release.nodes[key].kind]

    def groups_of(self, key: str) -> Iterator[GroupText | None]:
        """The levels above a code whose records a code without one inherits from, nearest first."""
        for level in reversed(self.ancestors(self.release.nodes[key])):
            if level.kind not in INDEX_KINDS:
                yield record_group(self.settings.catalog.curated(SYSTEM, level.key), level.key, self.page_of(level.key))

    # --- index pages (Markdown, built by MkDocs) ---

    def _notes_paragraphs(self, node: CmNode) -> tuple[str, ...]:
        paragraphs = []
        for note in node.notes:
            if note.kind in (NoteKind.SEVENTH_CHARACTER_TABLE,):
                continue
            lines = "  \n".join(escape_markdown(text) for text in note.texts)
            paragraphs.append(f"**{note.kind.label}:**  \n{lines}")
        return tuple(paragraphs)

    def _children_table(self, page: str, node: CmNode) -> Table:
        """The blocks or categories directly below a chapter or block (some blocks group other blocks)."""
        rows = []
        for child_key in node.children:
            child = self.release.nodes[child_key]
            label = child.span.label if child.kind is CmKind.BLOCK and child.span else child.key
            target = urls.relative(page, self.page_of(child_key))
            rows.append((markdown_link(label, target), escape_markdown(child.title), "billable" if child.billable else ""))
        kinds = {self.release.nodes[child].kind for child in node.children}
        heading, column = {frozenset({CmKind.BLOCK}): ("Blocks", "Block"),
                           frozenset({CmKind.CATEGORY}): ("Categories", "Category")}.get(frozenset(kinds), ("Contents", "Code"))
        return Table((column, "Title", ""), tuple(rows), heading=heading)

    def _chapter_or_block_page(self, node: CmNode) -> IndexPage:
        system = SYSTEMS[SYSTEM]
        page = self.page_of(node.key)
        if node.kind is CmKind.CHAPTER:
            heading, title = f"Chapter {node.key}: {node.title}", f"Chapter {node.key}: {node.title}"
            description = f"ICD-10-CM chapter {node.key}: {node.title}."
        else:
            heading = title = node.title
            description = f"ICD-10-CM block {node.span.label if node.span else node.key}: {node.title}."
        crumbs = [Link(system.name, urls.relative(page, urls.system_page(SYSTEM)))]
        crumbs += [Link(self.short_name(item), urls.relative(page, self.page_of(item.key))) for item in self.ancestors(node)]
        return IndexPage(
            path=page,
            title=f"{title} | {system.name}",
            description=description,
            heading=escape_markdown(heading),
            breadcrumbs=tuple(crumbs),
            paragraphs=self._notes_paragraphs(node),
            tables=(self._children_table(page, node),),
        )

    def index_pages(self) -> list[IndexPage]:
        system = SYSTEMS[SYSTEM]
        home = urls.system_page(SYSTEM)
        pages = [system_index_page(
            SYSTEM,
            f"{system.long_name}: {len(self._keys):,} codes in {len(self.release.chapters)} chapters.",
            f"{self.label()}: {sum(n.billable for n in self.release.nodes.values()):,} billable codes "
            f"and {len(self._keys):,} code pages in all.",
            Table(("Chapter", "Title", "Codes"), tuple(
                (markdown_link(f"Chapter {key}", urls.relative(home, chapter_page(key))),
                 escape_markdown(self.release.nodes[key].title),
                 self.release.nodes[key].span.label if self.release.nodes[key].span else "")
                for key in self.release.chapters)),
        )]
        for key, node in self.release.nodes.items():
            if node.kind in INDEX_KINDS:
                pages.append(self._chapter_or_block_page(node))
        return pages

    def search_documents(self) -> list[SearchDocument]:
        """Every code page, and every chapter and block (found by their range, e.g. ``E08-E13``)."""
        documents = []
        synonym_kinds = (NoteKind.INCLUSION_TERM, NoteKind.INCLUDES)
        for key, node in self.release.nodes.items():
            code, title = key, node.title
            if node.kind in INDEX_KINDS:
                if node.span is None:
                    continue
                code = node.span.slug
                title = re.sub(r"\s*\([A-Z0-9]{3}-[A-Z0-9]{3}\)\s*$", "", node.title)
            name, synonyms, text = curated_search_fields(self.settings.catalog.curated(SYSTEM, key))
            own = tuple(text for note in node.notes if note.kind in synonym_kinds for text in note.texts)
            documents.append(SearchDocument(
                SYSTEM, code, title, name, own + synonyms, text, urls.built(self.page_of(key)),
                billable=node.billable, active=True))
        return documents

    def nav(self) -> list[object]:
        return [urls.system_page(SYSTEM)]
