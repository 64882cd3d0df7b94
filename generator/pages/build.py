"""Write every page into a fresh staging docs folder, swapped in only once complete."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..relations import Catalog
from ..settings import SiteSettings
from .assets import material_stylesheets
from .common import PageSettings
from .cpt import CptPages
from .render import write_code_pages, write_index_pages
from .site import nav, write_site_pages


@dataclass
class DocsResult:
    """What was written, for the build summary and the MkDocs configuration."""

    code_pages: int
    code_page_bytes: int
    index_pages: int
    nav: list[object]
    builders: list[Any]
    timings: dict[str, float] = field(default_factory=dict)


def page_builders(catalog: Catalog, settings: PageSettings) -> list[Any]:
    """One page builder per code system that has pages, in the order of the home page."""
    builders: list[Any] = []
    official = catalog.official
    if official.icd10cm is not None:
        from .icd10cm import IcdCmPages

        builders.append(IcdCmPages(official.icd10cm, settings))
    if official.icd10pcs is not None:
        from .icd10pcs import PcsPages

        builders.append(PcsPages(official.icd10pcs, settings))
    if official.hcpcs is not None:
        from .hcpcs import HcpcsPages

        builders.append(HcpcsPages(official.hcpcs, settings))
    if "cpt" in catalog.curated_systems():
        builders.insert(0, CptPages(settings))
    return builders


def write_docs(catalog: Catalog, site: SiteSettings, templates_dir: Path, docs_dir: Path,
               workers: int | None = None) -> DocsResult:
    """Write all pages and assets into ``docs_dir``.

    The new folder is built beside the old one and swapped in at the end, so a
    failure leaves the previous docs intact.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    settings = PageSettings(catalog, site, material_stylesheets())
    builders = page_builders(catalog, settings)
    staging = docs_dir.with_name(docs_dir.name + ".new")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    index_pages = [page for builder in builders for page in builder.index_pages()]
    index_stats = write_index_pages(index_pages, templates_dir, staging)
    timings["index pages"] = time.perf_counter() - started
    code_stats = write_code_pages(builders, templates_dir, staging, workers)
    timings["code pages"] = time.perf_counter() - started - timings["index pages"]
    published = {builder.system: len(builder.code_keys()) for builder in builders}
    labels = {builder.system: builder.label() for builder in builders if hasattr(builder, "label")}
    site_pages = write_site_pages(templates_dir, staging, published, labels)
    assets = templates_dir / "assets"
    if assets.is_dir():
        shutil.copytree(assets, staging / "assets")
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    staging.rename(docs_dir)
    return DocsResult(
        code_pages=code_stats.pages,
        code_page_bytes=code_stats.bytes,
        index_pages=index_stats.pages + site_pages,
        nav=nav({builder.system: builder.nav() for builder in builders}),
        builders=builders,
        timings=timings,
    )
