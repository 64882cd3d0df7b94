"""Rendered Markdown compared with reviewed golden files; `UPDATE_GOLDEN=1 make test` rewrites them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import FIXTURE_CONTENT, PROJECT, TESTS

from generator.pages import PageWriter
from generator.relations import Catalog
from generator.validate import load_content

GOLDEN = TESTS / "golden"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    catalog = Catalog(load_content(FIXTURE_CONTENT, shown_root=FIXTURE_CONTENT.parent))
    return dict(PageWriter(catalog, PROJECT / "site_templates").pages())


@pytest.mark.parametrize("page", ["cpt/96417.md", "cpt/96413.md", "cpt/96401-96549.md"])
def test_page_matches_golden(pages: dict[str, str], page: str) -> None:
    golden = GOLDEN / page
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(pages[page], encoding="utf-8")
    assert pages[page] == golden.read_text(encoding="utf-8"), f"{page} differs from {golden}"


def test_sections_only_where_content_exists(pages: dict[str, str]) -> None:
    sparse = pages["cpt/96365.md"]
    assert "## Summary" in sparse and "## Risks and complications" in sparse
    for absent in ("## Purpose", "## Indications", "## Preparation", "## Duration", "## Patient experience"):
        assert absent not in sparse
