"""`make offline`: the zip holds the whole site, and its unzipped copy works from file:// with no network."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import PROJECT
from playwright import sync_api as playwright_api
from playwright.sync_api import expect

from generator.offline import TOP_FOLDER, main, make_offline_zip



@pytest.fixture(scope="module")
def unzipped(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site zipped by ``make offline``'s code and unzipped elsewhere; the path of its folder."""
    root = tmp_path_factory.mktemp("offline")
    bundle = make_offline_zip(site, root / "open-medical-codes-offline.zip")
    with zipfile.ZipFile(bundle.path) as archive:
        archive.extractall(root / "unzipped")
    return root / "unzipped" / TOP_FOLDER


def _files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_zip_holds_every_file_of_the_site_in_one_folder(site: Path, unzipped: Path) -> None:
    assert sorted(path.name for path in unzipped.parent.iterdir()) == [TOP_FOLDER]
    expected = _files(site)
    assert "cpt/96417.html" in expected and "assets/extra.css" in expected
    assert _files(unzipped) == expected


def test_zip_is_reproducible(site: Path, tmp_path: Path) -> None:
    first = make_offline_zip(site, tmp_path / "first.zip")
    second = make_offline_zip(site, tmp_path / "second.zip")
    assert first.path.read_bytes() == second.path.read_bytes()
    assert (first.files, first.site_bytes) == (len(_files(site)), sum(len(data) for data in _files(site).values()))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["first.zip", "second.zip"]


def test_command_reports_the_bundle(site: Path, tmp_path: Path, capsys) -> None:
    assert main([str(site), str(tmp_path / "bundle.zip")]) == 0
    summary = capsys.readouterr().out
    assert summary.startswith(f"wrote {tmp_path / 'bundle.zip'}: {len(_files(site))} files, ")
    assert main([str(tmp_path / "missing"), str(tmp_path / "missing.zip")]) == 1
    assert capsys.readouterr().err == f"error: {tmp_path / 'missing'} has no index.html: build the site first (`make site`)\n"
    assert not (tmp_path / "missing.zip").exists()


def test_make_offline_builds_then_zips() -> None:
    dry_run = subprocess.run(["make", "--no-print-directory", "--dry-run", "--always-make", "offline"],
                             capture_output=True, text=True, cwd=PROJECT, check=True)
    commands = dry_run.stdout.splitlines()
    assert commands[-2:] == [".venv/bin/python -m generator build",
                             ".venv/bin/python -m generator.offline site build/open-medical-codes-offline.zip"]


def test_unzipped_site_works_from_disk_without_network(browser: playwright_api.Browser, unzipped: Path) -> None:
    context = browser.new_context(offline=True)
    page = context.new_page()
    requested: list[str] = []
    failed: list[str] = []

    def record_failure(request: playwright_api.Request) -> None:
        # A request cut short by the next navigation (e.g. a late favicon) is not a broken link.
        if request.failure != "net::ERR_ABORTED":
            failed.append(request.url)

    page.on("request", lambda request: requested.append(request.url))
    page.on("requestfailed", record_failure)

    page.goto((unzipped / "index.html").as_uri())
    expect(page.locator("h1")).to_have_text("Search all medical codes")
    # The stylesheets loaded from the zip: the header is a sticky, coloured bar, not a static block.
    header = page.locator("header.md-header")
    assert header.evaluate("e => getComputedStyle(e).position") == "sticky"
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"

    page.locator('article a[href="cpt/index.html"]').click()
    expect(page).to_have_url((unzipped / "cpt/index.html").as_uri())
    expect(page.locator("h1")).to_have_text("CPT codes")
    page.locator('article a[href="96401-96549.html"]').click()
    expect(page).to_have_url((unzipped / "cpt/96401-96549.html").as_uri())
    expect(page.locator("h1")).to_have_text("96401–96549 Chemotherapy and complex drug administration")
    page.locator('article a[href="96417.html"]').click()
    expect(page).to_have_url((unzipped / "cpt/96417.html").as_uri())
    expect(page.locator("h1")).to_have_text(
        "96417 Each extra chemotherapy drug given one after another by IV drip, up to 1 hour")
    page.wait_for_load_state("load")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"

    page.go_back()
    expect(page).to_have_url((unzipped / "cpt/96401-96549.html").as_uri())
    page.go_back()
    expect(page).to_have_url((unzipped / "cpt/index.html").as_uri())
    expect(page.locator("h1")).to_have_text("CPT codes")
    page.locator(".md-nav__link", has_text="Home").first.click()
    expect(page).to_have_url((unzipped / "index.html").as_uri())
    page.wait_for_load_state("load")

    # Search works from the unzipped copy too: words, then a code, each opening its page.
    box = page.locator("[data-omc-search-input]").first
    box.click()
    box.fill("chemotherapy infusion")
    expect(page.locator("[data-omc-search-list] a").first).to_be_visible()
    box.fill("0dtj4zz")
    first = page.locator("[data-omc-search-list] a").first
    expect(first).to_contain_text("0DTJ4ZZ")
    first.click()
    expect(page).to_have_url((unzipped / "icd10pcs/0DTJ4ZZ.html").as_uri())
    page.wait_for_load_state("load")

    assert len(requested) > 10
    assert any("/assets/search/index/" in url for url in requested)
    assert [url for url in requested if not url.startswith(("file://", "data:", "blob:"))] == []
    assert failed == []
    context.close()
