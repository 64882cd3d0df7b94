"""Render page contexts with the Jinja templates of ``site_templates/`` and write them to the docs folder.

Code pages are many (~190,000), so they are rendered by worker processes: each
worker is forked after the page builders exist, renders a slice of one
system's codes and writes the files itself, so nothing large crosses a pipe.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import jinja2

from ..progress import Progress
from ..search_index import SearchDocument
from .model import CodePage, IndexPage, Inherited as GroupText, Link, escape_markdown, front_matter

CODE_TEMPLATE = "code_page.html.j2"
INDEX_TEMPLATE = "index_page.md.j2"
#: Codes one worker task renders; small enough to balance, large enough to amortise the task.
SLICE = 2000


class CodePageSource(Protocol):
    """Builds the code page of each of its codes; all its pages live in the folder named ``system``."""

    system: str

    def code_keys(self) -> Sequence[str]: ...

    def code_page(self, key: str) -> CodePage: ...


class SystemPages(CodePageSource, Protocol):
    """A code system's page builder: its code pages, index pages, nav entries and search documents."""

    def label(self) -> str: ...

    def index_pages(self) -> list[IndexPage]: ...

    def nav(self) -> list[object]: ...

    def search_documents(self) -> list[SearchDocument]: ...

    def groups_of(self, key: str) -> Iterable[GroupText | None]:
        """The groups whose plain language a code without a record of its own shows, nearest first."""
        ...

    def level_of(self, key: str) -> str:
        """The level of the hierarchy a code page is at ("category", "code", "modifier"), for reports."""
        ...


def environment(templates_dir: Path, *, html: bool) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        # HTML templates escape every value; Markdown values are escaped in Python (escape_markdown).
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_code_page(template: jinja2.Template, page: CodePage) -> str:
    return template.render(page=page)


def render_index_page(template: jinja2.Template, page: IndexPage) -> str:
    # Breadcrumb labels are plain text (names of levels); every other text of an IndexPage is Markdown already.
    crumbs = tuple(Link(escape_markdown(crumb.label), crumb.href) for crumb in page.breadcrumbs)
    return template.render(page=replace(page, breadcrumbs=crumbs), front_matter=front_matter(page.title, page.description))


@dataclass(frozen=True)
class WriteStats:
    pages: int
    bytes: int


# Set in the parent just before the workers fork; read by them (fork shares it copy-on-write).
_SOURCES: Sequence[CodePageSource] = ()
_TEMPLATES_DIR: Path | None = None
_DOCS_DIR: Path | None = None


def _write_slice(task: tuple[int, int, int]) -> tuple[int, int]:
    source_index, start, stop = task
    assert _TEMPLATES_DIR is not None and _DOCS_DIR is not None
    template = environment(_TEMPLATES_DIR, html=True).get_template(CODE_TEMPLATE)
    source = _SOURCES[source_index]
    written = size = 0
    for key in source.code_keys()[start:stop]:
        page = source.code_page(key)
        data = render_code_page(template, page).encode("utf-8")
        (_DOCS_DIR / page.path).write_bytes(data)
        written += 1
        size += len(data)
    return written, size


def write_code_pages(sources: Sequence[CodePageSource], templates_dir: Path, docs_dir: Path,
                     workers: int | None = None) -> WriteStats:
    """Render and write every code page of ``sources`` under ``docs_dir``."""
    global _SOURCES, _TEMPLATES_DIR, _DOCS_DIR
    tasks = []
    for index, source in enumerate(sources):
        keys = source.code_keys()
        (docs_dir / source.system).mkdir(parents=True, exist_ok=True)
        tasks += [(index, start, min(start + SLICE, len(keys))) for start in range(0, len(keys), SLICE)]
    _SOURCES, _TEMPLATES_DIR, _DOCS_DIR = sources, templates_dir, docs_dir
    progress = Progress("code pages", sum(stop - start for _, start, stop in tasks), "pages")
    results = []
    try:
        workers = workers or min(len(tasks), os.cpu_count() or 1)
        if workers <= 1:
            for task in tasks:
                results.append(_write_slice(task))
                progress.advance(results[-1][0])
        else:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for result in pool.imap_unordered(_write_slice, tasks, chunksize=1):
                    results.append(result)
                    progress.advance(result[0])
    finally:
        _SOURCES, _TEMPLATES_DIR, _DOCS_DIR = (), None, None
    progress.finish()
    return WriteStats(sum(count for count, _ in results), sum(size for _, size in results))


def write_index_pages(pages: Sequence[IndexPage], templates_dir: Path, docs_dir: Path) -> WriteStats:
    template = environment(templates_dir, html=False).get_template(INDEX_TEMPLATE)
    size = 0
    for page in pages:
        target = docs_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = render_index_page(template, page).encode("utf-8")
        target.write_bytes(data)
        size += len(data)
    return WriteStats(len(pages), size)
