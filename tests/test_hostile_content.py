"""Stored script injection: every text field of every record kind holds markup and script (issue 13, defect 1).

The fixture content is rewritten so that each field the schema declares as text
carries a payload; the site is built in strict mode and every page is opened in
Chromium. No dialog may fire, no payload element may exist, and the payload must
appear on the pages as visible text (so the test fails if escaping turned into
dropping the text).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURE_CONTENT, run_build, serve

from generator.schema import CODE_RECORD, FAMILY_FILE, POLICY_RECORD, ListOf, Schema, Text

PAYLOAD = ('<img src=x onerror=alert(1)><script>alert(2)</script>"\'><svg onload=alert(3)></title>'
           '[x](javascript:alert(4)) *md* &amp;')
#: What a reader must see of the payload, literally, where a hostile title is printed.
VISIBLE = "<img src=x onerror=alert(1)>"


def _poison(value: Any, field_type: Any, tag: str) -> Any:
    """``value`` with the payload in every text the declared type holds (``tag`` keeps files' texts apart)."""
    if isinstance(field_type, Text):
        return f"{tag} {PAYLOAD}"[: field_type.max_length]   # a short field keeps the payload's first markup
    if isinstance(field_type, ListOf):
        return [_poison(item, field_type.item, tag) for item in value]
    if isinstance(field_type, Schema):
        declared = field_type.by_name()
        return {key: _poison(item, declared[key].type, tag) if key in declared else item for key, item in value.items()}
    return value


def _poisoned_content(target: Path) -> Path:
    shutil.copytree(FIXTURE_CONTENT, target)
    schemas = {"policies": POLICY_RECORD, "families": FAMILY_FILE}
    for number, path in enumerate(sorted(target.glob("*/*.yaml"))):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        poisoned = _poison(data, schemas.get(path.parent.name, CODE_RECORD), f"T{number}")
        path.write_text(yaml.safe_dump(poisoned, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    content = _poisoned_content(root / "content")
    assert "onerror" in (content / "families" / "cpt.yaml").read_text(encoding="utf-8")
    result = run_build(content, root, "--site-url", "https://example.org/codes/",
                       "--repo-url", "https://github.com/example/codes")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


#: Elements or attributes the payload would create if it were parsed as HTML.
INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('[onerror],[onload]')) found.push(el.outerHTML.slice(0, 80));
  for (const el of document.querySelectorAll('img[src="x"]')) found.push(el.outerHTML.slice(0, 80));
  for (const el of document.querySelectorAll('script')) if (el.textContent.includes('alert(')) found.push('script');
  for (const el of document.querySelectorAll('a[href^="javascript:"]')) found.push(el.outerHTML.slice(0, 80));
  return found;
}"""


def test_no_page_runs_or_builds_injected_markup(browser, hostile_site: Path) -> None:
    pages = sorted(path.relative_to(hostile_site).as_posix() for path in hostile_site.rglob("*.html"))
    kinds = {"index.html", "about.html", "search.html", "404.html", "cpt/96417.html", "cpt/96401-96549.html",
             "cpt/index.html", "icd10cm/E11.65.html", "icd10cm/chapter-04.html", "icd10pcs/0DTJ4ZZ.html",
             "hcpcs/J9035.html", "hcpcs/modifier-GY.html"}
    assert kinds <= set(pages)
    dialogs: list[str] = []
    with serve(hostile_site) as root:
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        injected: dict[str, list[str]] = {}
        for relative in pages:
            page.goto(root + relative)
            if found := page.evaluate(INJECTED):
                injected[relative] = found
        # The payload is shown as text where hostile titles are printed: the family page and its nav label.
        page.goto(root + "cpt/96401-96549.html")
        assert VISIBLE in page.locator("article h1").inner_text()
        assert VISIBLE in page.title()
        assert page.locator(".md-nav__link", has_text=VISIBLE).count() >= 1
        page.goto(root + "cpt/96417.html")
        assert VISIBLE in page.locator("h1").inner_text()
        # Search shows the hostile name in its results as text too.
        box = page.locator("[data-omc-search-input]").first
        box.fill("96417")
        page.locator("[data-omc-search-list] a").first.wait_for()
        assert VISIBLE in page.locator("[data-omc-search-list]").inner_text()
        assert page.evaluate(INJECTED) == []
        page.close()
    assert injected == {}
    assert dialogs == []
