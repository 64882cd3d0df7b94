"""Page contexts: every value a page shows, computed in Python; templates only print them.

Two kinds of page:

- :class:`CodePage`, one per code, rendered to lean HTML by ``code_page.html.j2``;
- :class:`IndexPage`, the navigation pages (systems, chapters, blocks, tables,
  ranges, families), rendered to Markdown by ``index_page.md.j2`` for MkDocs.

Text in a :class:`CodePage` is plain text (the HTML template escapes it) unless
typed :class:`markupsafe.Markup`. Text in an :class:`IndexPage` is Markdown,
already escaped with :func:`escape_markdown`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cached_property

import yaml
from markupsafe import Markup

from ..codes import CodeSystem

#: Search engines show about this many characters of a meta description.
META_DESCRIPTION_LIMIT = 160


@dataclass(frozen=True)
class Link:
    label: str
    href: str


@dataclass(frozen=True)
class Badge:
    """A short status label next to the code; ``tone`` is ``ok``, ``info`` or ``warn`` (a CSS class)."""

    label: str
    tone: str


@dataclass(frozen=True)
class CodeLine:
    """A code in a list: link, title, and an optional note (relation, status)."""

    link: Link
    title: str
    note: str = ""


@dataclass(frozen=True)
class Notice:
    """A boxed note near the top of the page, optionally listing codes."""

    title: str
    text: str
    codes: tuple[CodeLine, ...] = ()


@dataclass(frozen=True)
class Section:
    """One plain-language section: ``kind`` is ``text``, ``list`` or ``steps``."""

    heading: str
    anchor: str
    kind: str
    text: str | Markup = ""
    items: tuple[str | Markup, ...] = ()


@dataclass(frozen=True)
class Fact:
    """One labelled official value: ``Coverage: C — Carrier judgment``; ``value`` may hold links."""

    label: str
    value: str | Markup
    meaning: str | Markup = ""


@dataclass(frozen=True)
class NoteBlock:
    """One kind of official note (Excludes1, Code first, …) with its items; items may hold code links."""

    kind: str
    items: tuple[str | Markup, ...]


@dataclass(frozen=True)
class NoteGroup:
    """The notes of one level of the hierarchy, e.g. "From category E11"; ``source`` links to that level."""

    heading: str
    source: Link | None
    blocks: tuple[NoteBlock, ...]


@dataclass(frozen=True)
class Inherited:
    """Plain language a code page takes from the nearest group above it that has some ("About E11 …")."""

    label: str
    href: str
    summary: str | Markup
    #: Whether the group's text has been reviewed by a clinician.
    reviewed: bool = False


@dataclass(frozen=True)
class PolicyLine:
    """One document on a code page. A document covering many codes is one short line linking its page on
    this site (publisher, date, summary and the document's address are there); a specific one is shown whole."""

    kind: str
    title: str
    href: str
    #: Publisher, identifier and date; empty on a short line.
    source: str = ""
    summary: str = ""


@dataclass(frozen=True)
class CodeList:
    """A titled list of related codes (children, siblings, similar codes)."""

    heading: str
    anchor: str
    lines: tuple[CodeLine, ...]
    #: Printed as a line of code links (titles as tooltips) rather than a table.
    compact: bool = False

    @cached_property
    def notes(self) -> bool:
        """Whether any line has a note (a table without notes has no column for them)."""
        return any(line.note for line in self.lines)


@dataclass(frozen=True)
class CodePage:
    """Everything one code page shows, in page order."""

    path: str
    root: str
    title: str
    description: str
    canonical: str | None
    stylesheets: tuple[str, ...]
    system: CodeSystem
    code: str
    heading: str
    breadcrumbs: tuple[Link, ...]
    badges: tuple[Badge, ...] = ()
    plain_name: str | None = None
    common_names: str = ""
    #: When the code has no record of its own: the nearest group's plain language.
    inherited: Inherited | None = None
    #: Who stands behind the page's own plain-language text (empty when it has none).
    provenance: str = ""
    notices: tuple[Notice, ...] = ()
    facts: tuple[Fact, ...] = ()
    facts_heading: str = ""
    #: The coders' reference: history, ICD-9-CM counterparts, CCSR and CMS-HCC categories (ICD-10-CM).
    references: tuple[Fact, ...] = ()
    sections: tuple[Section, ...] = ()
    note_groups: tuple[NoteGroup, ...] = ()
    #: One line naming the notes of levels above that apply but are printed on those levels' pages.
    notes_elsewhere: str | Markup = ""
    #: The code's place in the hierarchy: children, siblings, the table's codes, nearby codes.
    code_lists: tuple[CodeList, ...] = ()
    policies: tuple[PolicyLine, ...] = ()
    #: When no document but those for every code of the system applies: a link to them.
    policies_everywhere: Link | None = None
    similar: tuple[CodeLine, ...] = ()
    release: str = ""
    #: The class that makes the stylesheet state the page's edition and its validity (see generator/editions.py).
    edition_class: str = ""
    edit: Link | None = None


@dataclass(frozen=True)
class Table:
    """A Markdown table: optional heading, column titles, rows of Markdown cells."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    heading: str = ""
    intro: str = ""
    #: A paragraph printed after the table.
    after: str = ""


@dataclass(frozen=True)
class IndexPage:
    """A navigation page built by MkDocs; ``path`` is its Markdown source path, e.g. ``icd10cm/index.md``."""

    path: str
    title: str
    description: str
    heading: str
    breadcrumbs: tuple[Link, ...] = ()
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    source: str = ""
    edit: Link | None = None


def meta_description(text: str) -> str:
    """``text`` on one line, cut at a word boundary to what search engines show."""
    text = " ".join(text.split())
    if len(text) <= META_DESCRIPTION_LIMIT:
        return text
    return text[: META_DESCRIPTION_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def anchor(heading: str) -> str:
    """The id MkDocs' toc extension would give a heading: lower case, words joined by hyphens."""
    return "-".join("".join(c if c.isalnum() else " " for c in heading.lower()).split())


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]{}|#])")


def escape_markdown(text: str) -> str:
    """Make source text print literally in Markdown (no emphasis, links, tags or headings)."""
    text = " ".join(text.split())
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    # A paragraph that starts like "1. " or "- " would turn into a list.
    return re.sub(r"^(\d+)\. ", r"\1\\. ", re.sub(r"^([-+]) ", r"\\\1 ", text))


def markdown_link(label: str, href: str) -> str:
    return f"[{escape_markdown(label)}]({href})"


def html_text(text: str) -> str:
    """Text made safe to hand to MkDocs and Material, which print titles and labels as HTML, unescaped."""
    return html.escape(text, quote=True)


def front_matter(title: str, description: str) -> str:
    """The YAML front matter block MkDocs reads the page title and meta description from.

    Both are text, escaped here: Material prints them into ``<title>``, the header and
    ``<meta content="…">`` as they are.
    """
    return "---\n" + yaml.safe_dump({"title": html_text(title), "description": html_text(meta_description(description))},
                                    allow_unicode=True, width=10_000) + "---"
