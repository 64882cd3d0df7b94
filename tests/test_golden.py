"""Rendered pages compared with reviewed golden files; `UPDATE_GOLDEN=1 make test` rewrites them.

Index pages are Markdown (built by MkDocs); code pages are HTML (see generator/code_pages.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import FIXTURE_CONTENT, PROJECT, TESTS

from generator.pages.common import PageSettings
from generator.pages.cpt import CptPages
from generator.pages.render import CODE_TEMPLATE, INDEX_TEMPLATE, environment, render_code_page, render_index_page
from generator.relations import Catalog
from generator.settings import SiteSettings
from generator.validate import load_content

STYLESHEETS = ("assets/stylesheets/main.css", "assets/extra.css")
SITE = SiteSettings(site_url="https://example.org/codes/", repo_url="https://github.com/example/codes")

GOLDEN = TESTS / "golden"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    catalog = Catalog(load_content(FIXTURE_CONTENT, shown_root=FIXTURE_CONTENT.parent))
    builder = CptPages(PageSettings(catalog, SITE, STYLESHEETS))
    templates = PROJECT / "site_templates"
    index_template = environment(templates, html=False).get_template(INDEX_TEMPLATE)
    code_template = environment(templates, html=True).get_template(CODE_TEMPLATE)
    rendered = {page.path: render_index_page(index_template, page) for page in builder.index_pages()}
    for code in builder.code_keys():
        page = builder.code_page(code)
        rendered[page.path] = render_code_page(code_template, page)
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
