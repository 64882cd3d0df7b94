"""Pages of the built site: which code a result link names, which queries a subset can answer,
and subsets of the site (hard links, nothing copied) for engines that cannot index all of it.

A subset of N pages holds every page that is an expected answer of bench/search/relevance.json
(so that those queries can be judged), then pages evenly spaced over the rest of the system folders
in path order (so every system and chapter is represented), up to N. Expected answers are therefore
always present while most of their neighbours are not: a subset is easier to rank than the whole
site, which favours the engines run on subsets.
"""

from __future__ import annotations

import html.parser
import json
import os
import posixpath
import shutil
import urllib.parse
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SITE = PROJECT / "site"
RELEVANCE = PROJECT / "bench" / "search" / "relevance.json"
SYSTEMS = ("icd10cm", "icd10pcs", "hcpcs", "cpt")


def load_cases() -> list[dict]:
    return json.loads(RELEVANCE.read_text(encoding="utf-8"))


#: Pages whose file name is not their code (ICD-10-CM chapters: ``chapter-04.html`` → ``E00-E89``),
#: filled from the search corpus by :func:`load_aliases`.
ALIASES: dict[str, str] = {}


def load_aliases() -> list:
    """Read the site's search documents (8 s); remember the pages not named by their code; return the documents."""
    from bench.search.corpus import all_documents

    documents = all_documents()
    for document in documents:
        name = posixpath.basename(document.url)
        if name not in (f"{document.code}.html", f"table-{document.code}.html"):
            ALIASES[document.url] = document.code
    return documents


def link_code(href: str) -> str:
    """The code a page URL names: ``../icd10cm/E11.65.html#x`` → ``E11.65``, ``table-0DT.html`` → ``0DT``."""
    path = urllib.parse.urlsplit(href).path.rstrip("/")
    tail = "/".join(path.split("/")[-2:])
    if tail in ALIASES:
        return ALIASES[tail]
    name = posixpath.basename(path)
    if name.endswith(".html"):
        name = name[:-5]
    if name == "index":
        name = posixpath.basename(posixpath.dirname(path))
    return name[6:] if name.startswith("table-") else name


def site_pages(site: Path = SITE) -> list[str]:
    """Every HTML page of the system folders, as sorted paths relative to the site."""
    pages = []
    for system in SYSTEMS:
        for folder, _, names in os.walk(site / system):
            relative = Path(folder).relative_to(site).as_posix()
            pages += [f"{relative}/{name}" for name in names if name.endswith(".html")]
    return sorted(pages)


def expected_pages(pages: list[str], cases: list[dict]) -> set[str]:
    codes = {code for case in cases for code in case["expected"]}
    return {page for page in pages if link_code(page) in codes}


def choose(pages: list[str], cases: list[dict], size: int) -> list[str]:
    """``size`` pages: all expected answers, then evenly spaced others (all pages when size ≥ their number)."""
    if size >= len(pages):
        return list(pages)
    required = expected_pages(pages, cases)
    rest = [page for page in pages if page not in required]
    wanted = max(size - len(required), 0)
    step = len(rest) / wanted if wanted else 0
    chosen = set(required) | {rest[int(i * step)] for i in range(wanted)}
    return sorted(chosen)


def eligible(cases: list[dict], pages: list[str]) -> list[dict]:
    """The cases with at least one expected code whose page is in ``pages``."""
    codes = {link_code(page) for page in pages}
    return [case for case in cases if any(code in codes for code in case["expected"])]


def hit_in_top10(case: dict, links: list[str]) -> bool:
    return any(link_code(link) in case["expected"] for link in links[:10])


def link_subset(pages: list[str], target: Path, site: Path = SITE) -> None:
    """Hard-link ``pages`` and ``assets/`` of ``site`` into ``target`` (a new folder).

    Hard links share data with /work/main/site: files in ``target`` may be added or removed, never
    written to in place.
    """
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(site / "assets", target / "assets", copy_function=os.link)
    folders = set()
    for page in pages:
        folder = posixpath.dirname(page)
        if folder not in folders:
            (target / folder).mkdir(parents=True, exist_ok=True)
            folders.add(folder)
        os.link(site / page, target / page)


def write_new(path: Path, text: str) -> None:
    """Write a file that is not a hard link into the site (removing any link first)."""
    path.unlink(missing_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)


class _Text(html.parser.HTMLParser):
    """Title and content of a built page: headings, paragraphs, list items and table rows as text blocks."""

    BLOCKS = {"p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "div", "pre", "blockquote", "table"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []   # open tags inside the content root
        self.inside = False
        self.skip_at = -1            # stack depth of a skipped element (script, nav, breadcrumbs, ¶ links)
        self.title = ""
        self.in_title = False
        self.blocks: list[tuple[str, str]] = []
        self.current: list[str] = []
        self.kind = "p"

    def flush(self) -> None:
        text = " ".join("".join(self.current).split()).strip(" |")
        if text:
            self.blocks.append((self.kind, text))
        self.current = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "title":
            self.in_title = True
        if not self.inside:
            if (tag == "main" and "omc-main" in classes) or (tag == "article" and "md-content__inner" in classes):
                self.inside = True
            return
        if tag in self.VOID:
            return
        if self.skip_at < 0 and (tag in ("script", "style", "nav", "button") or "headerlink" in classes
                                 or "breadcrumbs" in classes or "md-source-file" in classes):
            self.skip_at = len(self.stack)
        if tag in ("td", "th") and self.current:
            self.current.append(" | ")
        if tag in self.BLOCKS:
            self.flush()
            self.kind = tag
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if not self.inside or tag in self.VOID:
            return
        if tag not in self.stack:
            if tag in ("main", "article"):
                self.inside = False
            return
        while self.stack:
            if self.stack.pop() == tag:
                break
        if self.skip_at >= len(self.stack):
            self.skip_at = -1
        if tag in self.BLOCKS:
            self.flush()
            self.kind = "p"

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        if self.inside and self.skip_at < 0:
            self.current.append(data)


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    for char in "\\`*_[]#":
        text = text.replace(char, "\\" + char)
    return text


def page_markdown(html_text: str) -> tuple[str, str]:
    """(title, Markdown) of a built page: its content root as headings, paragraphs, list items, rows."""
    parser = _Text()
    parser.feed(html_text)
    parser.flush()
    lines = []
    for kind, text in parser.blocks:
        if kind[0] == "h" and kind[1:].isdigit():
            lines.append("#" * int(kind[1:]) + " " + _escape(text))
        elif kind == "li":
            lines.append("- " + _escape(text))
        else:
            lines.append(_escape(text))
    title = " ".join(parser.title.split())
    return title, "\n\n".join(lines) + "\n"
