"""The search box in headless Chromium, on a small fixture site with the fixture index (file:// and http)."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import jinja2
import pytest
from conftest import serve

from generator.search_index import write_search_index
from test_search_engines import fixture_documents, project_vocabulary
from test_search_parity import PROJECT

TEMPLATES = PROJECT / "site_templates"
MATERIAL_CSS = sorted((Path(jinja2.__file__).parents[1] / "material" / "templates" / "assets" / "stylesheets").glob("main.*.min.css"))

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="{root}assets/material.css"><link rel="stylesheet" href="{root}assets/search/search.css"></head>
<body><input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">
<header class="md-header"><nav class="md-header__inner md-grid">{search_box}</nav></header>
<main class="md-main"><article class="md-content__inner md-typeset"><h1>{title}</h1>{body}</article></main>
<script src="{root}assets/search/lunr.min.js"></script><script src="{root}assets/search/search.js"></script>
</body></html>
"""


def write_page(site: Path, path: str, title: str, body: str = "") -> None:
    root = "../" * path.count("/")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "overrides"), autoescape=True)
    search_box = env.get_template("partials/omc-search-box.html").render(omc_root=root)
    target = site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(PAGE.format(title=html.escape(title), root=root, search_box=search_box, body=body), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Home, search page and one page per indexed code (at depths 1 and 2), with the real assets and index."""
    site = tmp_path_factory.mktemp("search-site")
    shutil.copytree(TEMPLATES / "assets" / "search", site / "assets" / "search")
    shutil.copy(MATERIAL_CSS[0], site / "assets" / "material.css")
    documents = fixture_documents()
    write_search_index(documents, site / "assets" / "search", vocabulary=project_vocabulary())
    write_page(site, "index.html", "Home")
    template = (TEMPLATES / "search_page.md.j2").read_text(encoding="utf-8")
    write_page(site, "search.html", "Search", re.search(r"<div class=\"omcs-page\".*?\n</div>", template, re.DOTALL).group(0))
    for document in documents:
        write_page(site, document.url, f"{document.code} {document.title}")
    return site


@pytest.fixture(scope="module")
def http_root(site: Path) -> Iterator[str]:
    with serve(site) as root:
        yield root


@pytest.fixture(params=["file", "http"])
def root(request: pytest.FixtureRequest, site: Path) -> str:
    return site.as_uri() + "/" if request.param == "file" else request.getfixturevalue("http_root")


@pytest.fixture
def page(browser) -> Iterator[object]:
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on("response", lambda response: problems.append(f"{response.status}: {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    page.on("console", lambda message: problems.append(f"console: {message.text}")
            if message.type == "error" and not message.text.startswith("Failed to load resource") else None)
    yield page
    page.close()
    assert problems == []


def type_query(page, text: str) -> None:
    box = page.locator("header [data-omc-search]")
    done = box.get_attribute("data-omc-done") or "0"
    page.locator("header [data-omc-search-input]").fill(text)
    page.wait_for_function("([done, text]) => { const box = document.querySelector('header [data-omc-search]');"
                           " return box.dataset.omcDone !== done && box.dataset.omcQuery === text; }", arg=[done, text])


def results(page) -> list[str]:
    return page.locator("header .omcs-result a").evaluate_all("links => links.map(a => a.dataset.code)")


def meta(page) -> str:
    return page.locator("header [data-omc-search-meta]").inner_text()


def test_code_in_any_form_and_enter_opens_it(page, root: str) -> None:
    page.goto(root + "cpt/96417.html")
    page.locator("header [data-omc-search-input]").focus()
    assert page.locator("#__search").is_checked()
    type_query(page, " e1165 ")
    assert results(page) == ["icd10cm:E11.65"]
    assert meta(page) == "1 result (codes in code order)"
    page.keyboard.press("Enter")
    page.wait_for_url("**/icd10cm/E11.65.html")
    assert page.locator("h1").inner_text() == "E11.65 Type 2 diabetes mellitus with hyperglycemia"


def test_words_with_highlighting_typo_and_range(page, root: str) -> None:
    page.goto(root + "index.html")
    type_query(page, "chemotherapy drip")
    assert results(page)[:2] == ["cpt:96415", "cpt:96413"]
    first = page.locator("header .omcs-result").first
    assert first.locator("mark").all_inner_texts() == ["chemotherapy", "drip"]
    assert first.locator(".omcs-badge").inner_text() == "CPT"
    type_query(page, "pnuemonia")
    assert results(page) == ["icd10cm:J18.9", "icd10cm:J18"]
    assert page.locator("header .omcs-result__why").count() == 0   # a corrected typo is not another name
    # Words that are another name of the code (the vocabulary), not in its title: the result says so.
    type_query(page, "adult onset diabetes")
    assert page.locator("header .omcs-result").first.locator(".omcs-result__why").inner_text() == (
        "Matched as another name: \u201cadult onset diabetes\u201d")
    type_query(page, "96401-96549")
    assert results(page)[0] == "cpt:96401-96549"
    assert meta(page) == "7 results in the range"


def test_filters(page, root: str) -> None:
    page.goto(root + "index.html")
    page.locator("header [data-omc-search-input]").focus()
    type_query(page, "bladder")
    assert meta(page) == "No codes match."
    done = page.locator("header [data-omc-search]").get_attribute("data-omc-done")
    page.locator("header [data-omc-filter=terminated]").check()
    page.wait_for_function("done => document.querySelector('header [data-omc-search]').dataset.omcDone !== done", arg=done)
    assert results(page) == ["hcpcs:Q2004"]
    assert page.locator("header .omcs-result__note").inner_text() == "TERMINATED"


def test_keyboard_navigation(page, root: str) -> None:
    page.goto(root + "cpt/families/96401-96549.html")
    page.locator("header [data-omc-search-input]").focus()
    type_query(page, "E11.6")
    assert results(page) == ["icd10cm:E11.6", "icd10cm:E11.62", "icd10cm:E11.621", "icd10cm:E11.65"]
    selected = "header .omcs-result[aria-selected=true] a"
    assert page.locator(selected).get_attribute("data-code") == "icd10cm:E11.6"
    for key in ("ArrowDown", "ArrowDown", "ArrowUp"):
        page.keyboard.press(key)
    assert page.locator(selected).get_attribute("data-code") == "icd10cm:E11.62"
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    page.locator("header [data-omc-search-input]").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/icd10cm/E11.621.html")


def test_search_page_reads_and_writes_shareable_links(page, http_root: str) -> None:
    page.goto(http_root + "search.html?q=J90&system=hcpcs")
    page.wait_for_selector("[data-omc-search-page][data-omc-done]")
    codes = page.locator("[data-omc-search-page] .omcs-result a").evaluate_all("links => links.map(a => a.dataset.code)")
    assert codes == ["hcpcs:J9035", "hcpcs:J9040", "hcpcs:J9045"]
    assert page.locator("[data-omc-search-page] [data-omc-filter=system]").input_value() == "hcpcs"
    page.locator("[data-omc-search-page] [data-omc-search-input]").fill("insulin")
    page.wait_for_function("() => document.querySelector('[data-omc-search-page]').dataset.omcQuery === 'insulin'")
    assert page.url == http_root + "search.html?q=insulin&system=hcpcs"


def test_every_result_link_opens_an_existing_page(page, root: str) -> None:
    page.goto(root + "icd10cm/E11.65.html")
    links: set[str] = set()
    for query in ("E", "0", "J", "9", "I21", "R07", "S52", "Z79", "G0008", "diabetes", "chemo", "knee", "heart attack"):
        type_query(page, query)
        links.update(page.locator("header .omcs-result a").evaluate_all("links => links.map(a => a.href)"))
    assert len(links) >= 30
    for link in sorted(links):
        if root.startswith("file:"):
            assert Path(url2pathname(urlparse(link).path)).is_file(), link
        else:
            response = page.request.get(link)
            assert response.status == 200, link
    assert json.loads(page.evaluate("JSON.stringify(OMCSearch.requested.filter(n => n.startsWith('t/')))")) == ["t/0"]


def test_the_manifest_is_fetched_once_the_page_has_loaded_and_nothing_else_before_a_query(page, root: str) -> None:
    page.goto(root + "icd10cm/E11.65.html")
    page.wait_for_function("OMCSearch.requested.indexOf('manifest') >= 0")
    page.wait_for_timeout(200)
    assert json.loads(page.evaluate("JSON.stringify(OMCSearch.requested)")) == ["manifest"]
    type_query(page, "diabetes")
    requested = json.loads(page.evaluate("JSON.stringify(OMCSearch.requested)"))
    assert requested.count("manifest") == 1 and requested[1].startswith("t/")   # the query's own files follow
