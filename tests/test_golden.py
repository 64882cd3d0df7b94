"""Rendered pages compared with reviewed golden files; `UPDATE_GOLDEN=1 make test` rewrites them.

Index pages are Markdown (built by MkDocs); code pages are HTML (see generator/code_pages.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import FIXTURE_CONTENT, PROJECT, TESTS

from generator.code_pages import CptPages, render_code_page, template_environment
from generator.pages import PageWriter
from generator.relations import Catalog
from generator.validate import load_content

STYLESHEETS = ("assets/stylesheets/main.css", "assets/extra.css")

GOLDEN = TESTS / "golden"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    catalog = Catalog(load_content(FIXTURE_CONTENT, shown_root=FIXTURE_CONTENT.parent))
    rendered = dict(PageWriter(catalog, PROJECT / "site_templates").pages())
    template = template_environment(PROJECT / "site_templates").get_template("code_page.html.j2")
    for page in CptPages(catalog, STYLESHEETS).pages():
        rendered[page.path] = render_code_page(template, page)
    return rendered


@pytest.mark.parametrize("page", ["cpt/96417.html", "cpt/96413.html", "cpt/96401-96549.md", "cpt/index.md"])
def test_page_matches_golden(pages: dict[str, str], page: str) -> None:
    golden = GOLDEN / page
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(pages[page], encoding="utf-8")
    assert pages[page] == golden.read_text(encoding="utf-8"), f"{page} differs from {golden}"


def test_sections_only_where_content_exists(pages: dict[str, str]) -> None:
    sparse = pages["cpt/96365.html"]
    assert ">Summary</h2>" in sparse and ">Risks and complications</h2>" in sparse
    for absent in ("Purpose", "Indications", "Preparation", "Duration", "Patient experience"):
        assert f">{absent}</h2>" not in sparse


def test_contributor_text_is_escaped(pages: dict[str, str]) -> None:
    assert "diagnosis (&lt;b&gt;not&lt;/b&gt; chemotherapy &amp; not hydration).</p>" in pages["cpt/96365.html"]
