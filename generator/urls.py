"""Where each page lives in the site, and links between pages.

Paths are relative to the site root and identical in the staging docs folder and
the built site. Links are always relative, so the site works from file:// and
under any GitHub Pages prefix.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote_plus

from .codes import CodeRange


def code_page(system: str, code: str) -> str:
    """The HTML page of one code, e.g. ``icd10cm/E11.65.html``."""
    return f"{system}/{code}.html"


def family_page(system: str, span: CodeRange) -> str:
    return f"{system}/{span.slug}.md"


#: The list of every HCPCS modifier.
MODIFIERS_PAGE = "hcpcs/modifiers.md"

#: The index of every policy and guideline document.
POLICIES_INDEX = "policies/index.md"


def policy_page(policy_id: str) -> str:
    """The Markdown page of one policy record, e.g. ``policies/ncd-210-3.md``."""
    return f"policies/{policy_id}.md"


def search_page(query: str) -> str:
    """The search page with ``query`` filled in (it runs on load)."""
    return "search.html?q=" + quote_plus(query)


def system_page(system: str) -> str:
    return f"{system}/index.md"


def built(path: str) -> str:
    """The URL of a page once MkDocs built it (Markdown pages become .html)."""
    return path[:-3] + ".html" if path.endswith(".md") else path


def relative(from_page: str, to_page: str) -> str:
    """Link from one page to another. Links from Markdown pages may name the .md source (MkDocs rewrites them).

    The same string as ``posixpath.relpath``; pages at most one folder deep (every code page) take
    a shortcut, because relpath made up a third of the time of building a code page (measured).
    """
    from_dir = from_page.rpartition("/")[0]
    if ("/" not in from_dir and to_page != from_dir and _PLAIN_PATH.fullmatch(to_page)
            and (not from_dir or _PLAIN_PATH.fullmatch(from_dir))):
        if not from_dir:
            return to_page
        if to_page.startswith(from_dir + "/"):
            return to_page[len(from_dir) + 1:]
        return "../" + to_page
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


#: A path relpath leaves as it is: folders and a name, without ``.``, ``..`` or empty segments.
_PLAIN_PATH = re.compile(r"(?:[^/.][^/]*/)*[^/.][^/]*")


def root_of(page: str) -> str:
    """The relative prefix from ``page`` back to the site root: ``""``, ``"../"``, …"""
    return "../" * page.count("/")
