"""Strict MkDocs build of the fixture content set, checked through its HTML."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import FIXTURE_CONTENT, run_build


class _Page(HTMLParser):
    """Collects the links and the h1/h2 headings of the article of a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.headings: list[str] = []
        self._heading: list[str] | None = None
        self._in_article = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")
        if tag in ("article", "main"):  # Material pages wrap content in <article>, code pages in <main>
            self._in_article = True
        if tag in ("h1", "h2") and self._in_article:
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None
        if tag in ("article", "main"):
            self._in_article = False

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_pages_exist(site: Path) -> None:
    built = {path.relative_to(site).as_posix() for path in site.rglob("*.html")}
    expected = {
        "404.html", "about.html", "index.html", "search.html",
        "cpt/index.html", "cpt/96360-96379.html", "cpt/96401-96549.html", "cpt/96417.html",
        "icd10cm/index.html", "icd10cm/chapter-04.html", "icd10cm/E08-E13.html", "icd10cm/E11.html",
        "icd10cm/E11.65.html", "icd10cm/S72.001A.html", "icd10cm/T36.0X1A.html",
        "icd10pcs/index.html", "icd10pcs/section-0.html", "icd10pcs/body-system-0D.html", "icd10pcs/table-0DT.html",
        "icd10pcs/definitions-0.html", "icd10pcs/0DTJ4ZZ.html",
        "hcpcs/index.html", "hcpcs/section-J.html", "hcpcs/J9000-J9099.html", "hcpcs/J9035.html",
        "hcpcs/modifiers.html", "hcpcs/modifier-GY.html",
    }
    assert expected <= built, sorted(expected - built)
    # Chapters and blocks have index pages, not code pages; the code pages are exactly the codes.
    assert "icd10cm/4.html" not in built


def test_code_page_sections_in_order(site: Path) -> None:
    assert parse(site / "cpt/96417.html").headings == [
        "96417 Each extra chemotherapy drug given one after another by IV drip, up to 1 hour",
        "Summary", "Purpose", "Indications", "Preparation", "Procedure description", "Duration", "Setting",
        "Personnel", "Risks and complications", "Benefits", "Recovery", "Alternatives", "Patient experience",
        "Coding tips", "Medical policies and guidelines", "Similar codes",
    ]
    assert parse(site / "cpt/96365.html").headings[1:] == [
        "Summary", "Risks and complications", "Medical policies and guidelines", "Similar codes"]


def test_add_on_relation_both_ways(site: Path) -> None:
    add_on = (site / "cpt/96417.html").read_text(encoding="utf-8")
    assert re.search(r'Add-on code</p>\s*<p>Reported in addition to a primary code\. Use it with:</p>\s*<ul>\s*'
                     r'<li><a href="96413.html">96413</a>', add_on)
    primary = (site / "cpt/96413.html").read_text(encoding="utf-8")
    assert re.search(r'Add-on codes for this code</p>.*?<a href="96415.html">96415</a>.*?<a href="96417.html">96417</a>',
                     primary, re.S)


def test_policies_resolved_from_ranges(site: Path) -> None:
    manual = "https://www.cms.gov/Regulations-and-Guidance/Guidance/Manuals/Downloads/clm104c12.pdf"
    article = "https://www.cms.gov/medicare-coverage-database/view/article.aspx?articleid=58532"
    # For CPT, coverage and payment documents come first: the billing article before the manual chapter.
    expected = {"96417": [article, manual], "96365": [article, manual], "96367": [manual]}
    for code, urls in expected.items():
        links = [link for link in parse(site / f"cpt/{code}.html").links if link.startswith("https://www.cms.gov")]
        assert links == urls, code


def test_similar_codes_link_to_existing_pages(site: Path) -> None:
    html = (site / "cpt/96417.html").read_text(encoding="utf-8")
    table = html[html.index('id="similar-codes"'):]
    targets = re.findall(r'<td><a href="([^"]+)">', table)
    assert targets == ["96415.html", "96367.html", "96413.html"]
    assert all((site / "cpt" / target).is_file() for target in targets)


def test_no_broken_internal_links(site: Path) -> None:
    checked = 0
    # 404.html is served at any depth, so MkDocs gives it root-absolute links; every other page is relative.
    for page in set(site.rglob("*.html")) - {site / "404.html"}:
        for link in parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.exists(), f"{page.relative_to(site)} links to missing {link}"
            checked += 1
    assert checked > 80


def test_code_pages_stay_out_of_nav(site: Path) -> None:
    home = parse(site / "index.html")
    assert "cpt/96360-96379.html" in home.links and "cpt/index.html" in home.links
    assert not [link for link in home.links if re.search(r"cpt/\d{5}\.html", link)]


def test_page_title_and_description(site: Path) -> None:
    html = (site / "cpt/96417.html").read_text(encoding="utf-8")
    assert "<title>96417 – Each extra chemotherapy drug given one after another by IV drip, up to 1 hour | CPT" in html
    assert '<meta name="description" content="CPT 96417: Each extra chemotherapy drug' in html


def test_failed_build_leaves_site_untouched(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    assert run_build(content, tmp_path).returncode == 0
    before = {path: path.read_bytes() for path in (tmp_path / "site").rglob("*") if path.is_file()}
    record = content / "cpt/96417.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace('code: "96367"', 'code: "96499"'), encoding="utf-8")
    result = run_build(content, tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-2:] == [
        "content/cpt/96417.yaml:47: similar[1]: unknown code '96499'",
        "1 problem found in content; nothing was built",
    ]
    after = {path: path.read_bytes() for path in (tmp_path / "site").rglob("*") if path.is_file()}
    assert after == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["build", "cms-data", "content", "reference-data", "site"]


def test_failed_mkdocs_build_leaves_site_untouched(tmp_path: Path) -> None:
    from generator.errors import Abort
    from generator.mkdocs_build import build_site

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous", encoding="utf-8")
    broken = tmp_path / "mkdocs.yml"
    broken.write_text(f"site_name: x\ndocs_dir: {tmp_path / 'missing'}\n", encoding="utf-8")
    with pytest.raises(Abort, match="MkDocs build failed; .* was left as it was"):
        build_site(broken, site)
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith("site")] == ["site"]
    assert (site / "index.html").read_text(encoding="utf-8") == "previous"


def test_public_site_files(site: Path) -> None:
    """Canonical URLs, robots.txt, sitemaps covering code pages, and a 404 page that offers search."""
    assert (site / "robots.txt").read_text(encoding="utf-8") == (
        "User-agent: *\nAllow: /\nSitemap: https://example.org/codes/sitemap-index.xml\n")
    index = (site / "sitemap-index.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/codes/sitemap.xml</loc>" in index
    assert "<loc>https://example.org/codes/sitemaps/codes-1.xml</loc>" in index
    codes = (site / "sitemaps/codes-1.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/codes/icd10cm/E11.65.html</loc>" in codes
    assert "<loc>https://example.org/codes/hcpcs/modifier-GY.html</loc>" in codes
    assert '<link rel="canonical" href="https://example.org/codes/icd10pcs/0DTJ4ZZ.html">' in (
        site / "icd10pcs/0DTJ4ZZ.html").read_text(encoding="utf-8")
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert "<h1>Page not found</h1>" in not_found
    assert '<form action="https://example.org/codes/search.html" role="search">' in not_found


def test_interrupted_swap_is_recovered_and_builds_lock(tmp_path: Path) -> None:
    """A kill between the swap's renames leaves site.old and no site/: the next start brings the complete site back."""
    from generator.errors import Abort
    from generator.swap import build_lock, recover, swap_in

    site, staging = tmp_path / "site", tmp_path / "site.new"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    staging.mkdir()
    (staging / "index.html").write_text("new", encoding="utf-8")
    site.rename(tmp_path / "site.old")  # the process died right after the first rename
    recover(site)
    assert (site / "index.html").read_text(encoding="utf-8") == "old" and not (tmp_path / "site.old").exists()
    swap_in(staging, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]
    # The old folder's deletion was cut short: the new site stays, the leftover goes.
    (tmp_path / "site.old").mkdir()
    recover(site)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]
    with build_lock(tmp_path / "build"):
        with pytest.raises(Abort, match="another build is using"):
            with build_lock(tmp_path / "build"):
                pass


def test_second_build_at_once_stops_with_a_message(tmp_path: Path) -> None:
    from generator.swap import build_lock

    with build_lock(tmp_path / "build"):
        result = run_build(FIXTURE_CONTENT, tmp_path)
    assert result.returncode == 1
    assert "another build is using" in result.stderr
    assert not (tmp_path / "site").exists()


def test_ctrl_c_leaves_site_unchanged_without_a_traceback(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    from conftest import PROJECT, fixture_data_options

    assert run_build(FIXTURE_CONTENT, tmp_path).returncode == 0
    before = sorted(path.relative_to(tmp_path).as_posix() for path in (tmp_path / "site").rglob("*"))
    command = [sys.executable, "-m", "generator", "--content", str(FIXTURE_CONTENT), "--build-dir", str(tmp_path / "build"),
               "--site-dir", str(tmp_path / "site"), *fixture_data_options(tmp_path / "cms-data"), "build"]
    child = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (tmp_path / "build" / "docs.new").exists() and not (tmp_path / "site.new").exists():
        assert time.monotonic() < deadline and child.poll() is None
        time.sleep(0.01)
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1] == f"interrupted; {tmp_path / 'site'} unchanged"
    assert sorted(path.relative_to(tmp_path).as_posix() for path in (tmp_path / "site").rglob("*")) == before


def test_background_swap_deletes_the_previous_folder(tmp_path: Path) -> None:
    from generator.swap import finish_deletions, swap_in

    target, staging = tmp_path / "docs", tmp_path / "docs.new"
    (target / "a").mkdir(parents=True)
    (target / "a" / "old.html").write_text("old", encoding="utf-8")
    staging.mkdir()
    (staging / "new.html").write_text("new", encoding="utf-8")
    swap_in(staging, target, background=True)
    assert (target / "new.html").read_text(encoding="utf-8") == "new"   # the new folder is in place at once
    finish_deletions()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["docs"]   # no docs.old, no docs.new left
