"""Code pages: one lean HTML page per code, rendered straight from the catalog.

Code pages do not go through MkDocs: at ~190,000 pages, Markdown conversion and
Material's full page template cost ~4 ms and ~13 KB a page (measured), which
breaks the build-time and 1 GB size budgets. Instead each page is a small
HTML document that reuses Material's stylesheet, so it looks like the rest of
the site, and is written into the staging docs folder for MkDocs to copy.

Python builds a :class:`CodePage` for every code; ``site_templates/code_page.html.j2``
only prints it.
"""

from __future__ import annotations

import glob
import importlib.util
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import urls
from .codes import SYSTEMS, CodeSystem
from .model import CodeRecord, Policy
from .relations import Catalog, Related
from .schema import CODE_RECORD, ListOf
from .errors import Abort

#: Fields whose list items are rendered as numbered steps rather than bullets.
NUMBERED_SECTIONS = {"procedure_steps"}
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
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicyLine:
    title: str
    url: str
    source: str
    summary: str


@dataclass(frozen=True)
class CodeList:
    """A titled list of related codes (children, siblings, similar codes)."""

    heading: str
    anchor: str
    lines: tuple[CodeLine, ...]


@dataclass(frozen=True)
class CodePage:
    """Everything one code page shows, computed; the template only prints it."""

    path: str
    root: str
    title: str
    description: str
    system: CodeSystem
    code: str
    heading: str
    plain_name: str | None
    badges: tuple[Badge, ...]
    breadcrumbs: tuple[Link, ...]
    common_names: str
    notices: tuple[Notice, ...]
    sections: tuple[Section, ...]
    policies: tuple[PolicyLine, ...]
    code_lists: tuple[CodeList, ...]
    release: str
    source: str | None
    stylesheets: tuple[str, ...] = field(default=())


def meta_description(text: str) -> str:
    """``text`` on one line, cut at a word boundary to what search engines show."""
    text = " ".join(text.split())
    if len(text) <= META_DESCRIPTION_LIMIT:
        return text
    return text[: META_DESCRIPTION_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def anchor(heading: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in heading.lower()).split())


def plain_sections(record: CodeRecord) -> tuple[Section, ...]:
    """The record's plain-language sections in schema order, only those with content."""
    sections = []
    for declared in CODE_RECORD.fields:
        value = record.sections.get(declared.name)
        if not declared.section or not value:
            continue
        if isinstance(declared.type, ListOf):
            kind = "steps" if declared.name in NUMBERED_SECTIONS else "list"
            sections.append(Section(declared.section, anchor(declared.section), kind, items=tuple(value)))
        else:
            sections.append(Section(declared.section, anchor(declared.section), "text", text=str(value)))
    return tuple(sections)


def policy_line(policy: Policy) -> PolicyLine:
    parts = [policy.publisher] + ([policy.identifier] if policy.identifier else [])
    parts.append(f"{policy.date_type.capitalize()} {policy.date.isoformat()}")
    return PolicyLine(policy.title, policy.url, ", ".join(parts), policy.summary)


def material_stylesheets() -> tuple[str, ...]:
    """Site-relative paths of Material's stylesheets, as MkDocs will copy them into the site.

    Read from the installed theme's files (the names carry a content hash that
    changes between releases); the theme is not imported.
    """
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        raise Abort("mkdocs-material is not installed: run `make site`, which installs it")
    folder = Path(list(spec.submodule_search_locations)[0]) / "templates" / "assets" / "stylesheets"
    names = sorted(Path(path).name for path in glob.glob(str(folder / "*.min.css")))
    main = [name for name in names if name.startswith("main.")]
    palette = [name for name in names if name.startswith("palette.")]
    if len(main) != 1 or len(palette) != 1:
        raise Abort(f"cannot find Material's main and palette stylesheets in {folder}")
    return (f"assets/stylesheets/{main[0]}", f"assets/stylesheets/{palette[0]}", "assets/extra.css")


class CptPages:
    """Builds the :class:`CodePage` of each curated CPT record."""

    def __init__(self, catalog: Catalog, stylesheets: tuple[str, ...]) -> None:
        self.catalog = catalog
        self.stylesheets = stylesheets

    def code_line(self, page: str, related: Related) -> CodeLine:
        return CodeLine(Link(related.code, urls.relative(page, urls.code_page(related.system, related.code))),
                        related.name, related.relation)

    def page(self, record: CodeRecord) -> CodePage:
        system = SYSTEMS[record.system]
        path = urls.code_page(record.system, record.code)
        relations = self.catalog.relations(record)
        family = relations.family
        notices = []
        if relations.primary_codes:
            notices.append(Notice("Add-on code", "Reported in addition to a primary code. Use it with:",
                                  tuple(self.code_line(path, link) for link in relations.primary_codes)))
        if relations.add_on_codes:
            notices.append(Notice("Add-on codes for this code", "These codes are reported in addition to this one:",
                                  tuple(self.code_line(path, link) for link in relations.add_on_codes)))
        if record.system == "cpt":
            notices.append(Notice("Official descriptor", "The official CPT descriptor is copyrighted by the American "
                                  "Medical Association and is not reproduced here; the text on this page is written "
                                  "by contributors in plain language."))
        summary = record.sections.get("summary")
        code_lists = []
        if relations.similar:
            code_lists.append(CodeList("Similar codes", "similar-codes",
                                       tuple(self.code_line(path, link) for link in relations.similar)))
        return CodePage(
            path=path,
            root=urls.root_of(path),
            title=f"{record.code} – {record.name} | {system.name}",
            description=meta_description(f"{system.name} {record.code}: {record.name}."
                                         + (f" {summary}" if isinstance(summary, str) else "")),
            system=system,
            code=record.code,
            heading=record.name,
            plain_name=None,
            badges=(Badge("Add-on code", "info"),) if record.add_on else (),
            breadcrumbs=(
                Link(system.name, urls.built(urls.relative(path, urls.system_page(record.system)))),
                Link(f"{family.range.label} {family.title}",
                     urls.built(urls.relative(path, urls.family_page(record.system, family.range)))),
            ),
            common_names=", ".join(record.common_names),
            notices=tuple(notices),
            sections=plain_sections(record),
            policies=tuple(policy_line(policy) for policy in relations.policies),
            code_lists=tuple(code_lists),
            release="Plain-language content by contributors",
            source=record.source_path,
            stylesheets=tuple(urls.relative(path, sheet) for sheet in self.stylesheets),
        )

    def pages(self) -> Iterable[CodePage]:
        return (self.page(record) for record in self.catalog.records.values())


def template_environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_code_page(template: jinja2.Template, page: CodePage) -> str:
    return template.render(page=page)


def write_code_pages(pages: Iterable[CodePage], templates_dir: Path, docs_dir: Path) -> int:
    """Render and write each page under ``docs_dir``; returns how many were written."""
    template = template_environment(templates_dir).get_template("code_page.html.j2")
    count = 0
    made: set[Path] = set()
    for page in pages:
        target = docs_dir / page.path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(render_code_page(template, page), encoding="utf-8")
        count += 1
    return count
