"""The built fixture site in headless Chromium, opened from disk (file://) and over http."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import serve

@pytest.fixture(scope="module")
def http_root(site: Path) -> Iterator[str]:
    with serve(site) as root:
        yield root


def _walk_from_code_page(browser, start: str) -> None:
    page = browser.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(start + "cpt/96417.html")
    assert page.locator("h1").inner_text() == (
        "96417 Each extra chemotherapy drug given one after another by IV drip, up to 1 hour")
    # The stylesheets loaded: the header is a sticky, coloured bar, not a static block.
    header = page.locator("header.md-header")
    assert header.evaluate("e => getComputedStyle(e).position") == "sticky"
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    # The header's contents come from omc.js: the home link (to the site root) and the search box.
    assert header.locator("a.omc-home").get_attribute("href") == "../index.html"
    assert header.locator("input[data-omc-search-input]").count() == 1
    page.locator(".breadcrumbs a", has_text="96401–96549").click()
    assert page.url.endswith("cpt/96401-96549.html")
    assert page.locator("h1").inner_text() == "96401–96549 Chemotherapy and complex drug administration"
    page.locator("article table a", has_text="96413").click()
    assert page.url.endswith("cpt/96413.html")
    page.locator(".omc-source a", has_text="About the data").click()
    assert page.url.endswith("about.html")
    page.locator(".md-nav__link", has_text="Home").first.click()
    assert page.locator("h1").inner_text() == "Search all medical codes"
    # Material's stock search cannot load its index from file://; the site's own search replaces it (issue 4).
    assert [url for url in failed if "/search/" not in url] == []
    page.close()


def test_file_mode_navigation(browser, site: Path) -> None:
    _walk_from_code_page(browser, site.as_uri() + "/")


def test_http_navigation(browser, http_root: str) -> None:
    _walk_from_code_page(browser, http_root)


@pytest.mark.parametrize("start", ["icd10pcs/0DTJ4ZZ.html", "icd10cm/chapter-04.html"])
def test_header_search_from_disk(browser, site: Path, start: str) -> None:
    """From a lean code page and from a Material page opened via file://: type a code, press Enter, land on it."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site.as_uri()}/{start}")
    box = page.locator("[data-omc-search-input]").first
    box.click()
    box.fill("e1165")
    first = page.locator("[data-omc-search-list] a").first
    first.wait_for()
    assert "E11.65" in first.inner_text()
    box.press("Enter")
    page.wait_for_url("**/icd10cm/E11.65.html")
    assert page.locator("h1").inner_text().startswith("E11.65 Type 2 diabetes mellitus with hyperglycemia")
    assert errors == []
    page.close()


def test_cpt_number_without_a_page_shows_its_family_and_the_notice(browser, http_root: str) -> None:
    """Issue 8: '96411' has no page in the fixture content; its family answers, with a link to write one."""
    page = browser.new_page()
    page.goto(http_root + "cpt/96417.html")
    box = page.locator("[data-omc-search-input]").first
    box.fill("96411")
    first = page.locator("[data-omc-search-list] a").first
    first.wait_for()
    assert first.get_attribute("href").endswith("cpt/96401-96549.html")
    meta = page.locator("[data-omc-search-meta]").first
    assert meta.inner_text().startswith(
        "CPT 96411 is in 96401–96549, Chemotherapy and complex drug administration. This site has no page for it "
        "yet: official CPT descriptors belong to the AMA.")
    link = meta.locator("a", has_text="Write one in your own words")
    assert "filename=96411.yaml" in link.get_attribute("href")
    assert link.get_attribute("href").startswith("https://github.com/example/codes/new/main/content/cpt?")
    page.close()


def test_code_pages_have_the_site_footer_and_system_navigation(browser, http_root: str) -> None:
    """Issue 13: code pages share the MkDocs pages' navigation to every system page, in a footer."""
    page = browser.new_page()
    page.goto(http_root + "icd10cm/E11.65.html")
    links = page.locator("footer.omc-footer a")
    assert links.all_inner_texts() == ["Home", "CPT", "ICD-10-CM", "ICD-10-PCS", "HCPCS Level II", "Policies and guidelines",
                                        "Coder's reference", "Search", "About the data"]
    links.nth(3).click()
    assert page.url.endswith("icd10pcs/index.html")
    page.close()
