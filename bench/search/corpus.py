"""Benchmark corpus: the search documents the site itself indexes.

Nothing is parsed here: the official releases are read by the project's own readers
(``generator/official.py`` → ``generator/sources/*``), merged with ``content/`` into the
catalog, and each system's page builder returns its ``search_documents()`` — exactly what
``make site`` hands to ``generator/search_index.py``.

    .venv/bin/python -m bench.search.corpus      # counts per system
"""

from __future__ import annotations

from pathlib import Path

from generator.official import OFFICIAL_SYSTEMS, load_official
from generator.pages import page_builders
from generator.pages.assets import code_page_stylesheet
from generator.pages.common import PageSettings
from generator.relations import Catalog
from generator.search_index import SearchDocument
from generator.settings import SiteSettings
from generator.validate import load_content

PROJECT = Path(__file__).resolve().parents[2]


def site_documents(content: Path = PROJECT / "content", cms_data: Path | None = None,
                   systems: tuple[str, ...] = OFFICIAL_SYSTEMS) -> list[SearchDocument]:
    """The search documents of the site built from ``content`` and the official releases of ``systems``."""
    official = load_official(systems, cms_data=cms_data)
    content_data = load_content(content, official=official)
    catalog = Catalog(content_data, official)
    settings = PageSettings(catalog, SiteSettings(), (code_page_stylesheet(PROJECT / "site_templates").path,))
    builders = page_builders(catalog, settings)
    return [document for builder in builders for document in builder.search_documents()]


#: The name the benchmark used before it read the site's documents.
all_documents = site_documents


if __name__ == "__main__":
    documents = site_documents()
    by_system: dict[str, int] = {}
    for document in documents:
        by_system[document.system] = by_system.get(document.system, 0) + 1
    print(len(documents), by_system)
