"""Every page type at phone width (390 px) in Chromium: no horizontal scroll, and the axe-core engine finds
no serious or critical violation (issue 13). axe-core comes with the PyPI package axe-playwright-python."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import serve

#: One page of every type: site pages, system pages, index pages of each kind, code pages of each system.
#: (Not 404.html: with a site URL set, Material links its stylesheets by absolute URL, which a local server
#: cannot serve, so the page is not laid out as published.)
PAGE_TYPES = [
    "index.html", "about.html", "search.html",
    "cpt/index.html", "cpt/96401-96549.html", "cpt/96417.html",
    "icd10cm/index.html", "icd10cm/chapter-04.html", "icd10cm/E08-E13.html", "icd10cm/E11.html",
    "icd10cm/E11.65.html", "icd10cm/S72.001A.html",
    "icd10pcs/index.html", "icd10pcs/section-0.html", "icd10pcs/table-0DT.html", "icd10pcs/definitions-0.html",
    "icd10pcs/0DTJ4ZZ.html",
    "hcpcs/index.html", "hcpcs/section-J.html", "hcpcs/J9000-J9099.html", "hcpcs/family-J9000-J9999.html",
    "hcpcs/J9035.html", "hcpcs/modifiers.html", "hcpcs/modifier-GY.html",
]


@pytest.fixture(scope="module")
def phone(browser, site: Path) -> Iterator[tuple[object, str]]:
    with serve(site) as root:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        yield page, root
        page.close()


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_fits_a_phone_and_passes_axe(phone, path: str) -> None:
    page, root = phone
    page.goto(root + path)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    violations = Axe().run(page).response["violations"]
    serious = [(violation["id"], [node["target"] for node in violation["nodes"]][:3])
               for violation in violations if violation["impact"] in ("serious", "critical")]
    assert serious == []


def test_every_page_has_a_skip_link(phone) -> None:
    page, root = phone
    for path in ("icd10cm/E11.65.html", "icd10cm/chapter-04.html"):
        page.goto(root + path)
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        assert focused == "Skip to content", path


def test_search_at_phone_width_fits_and_closes_on_tab_out_and_escape(phone) -> None:
    page, root = phone
    for path in ("icd10cm/E11.65.html", "icd10cm/chapter-04.html"):
        page.goto(root + path)
        page.locator("label[for=__search]").first.click()
        box = page.locator("[data-omc-search-input]").first
        box.fill("diabetes")
        page.locator("[data-omc-search-list] a").first.wait_for()
        width = page.evaluate("document.querySelector('.md-search__inner').getBoundingClientRect().width")
        assert width >= 389 and page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert page.evaluate("document.getElementById('__search').checked")
        page.keyboard.press("Shift+Tab")   # focus leaves the search box
        assert not page.evaluate("document.getElementById('__search').checked"), path
        box.focus()
        assert page.evaluate("document.getElementById('__search').checked")
        page.keyboard.press("Escape")
        assert not page.evaluate("document.getElementById('__search').checked"), path
