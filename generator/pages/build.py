"""Write every page into a fresh staging docs folder, swapped in only once complete."""

from __future__ import annotations

import html
import json
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import urls
from ..codes import SYSTEMS
from ..relations import Catalog
from ..search_index import SearchIndexStats, write_search_index
from ..model import VocabularyEntry
from ..search_thesaurus import Vocabulary
from ..search_word_parts import vocabulary_entries
from ..settings import SiteSettings
from ..swap import swap_in
from ..editions import edition_stylesheet, fiscal_edition
from .assets import Stylesheet, code_page_stylesheet
from .common import PageSettings
from .policies import policy_pages
from .reference import REFERENCE_HUB, ReferenceSite
from .cpt import CptPages
from .render import SystemPages, environment, write_code_pages, write_index_pages
from .site import nav, write_public_files, write_site_pages

#: Where the search engine's files live in the site; its script finds the site root from there.
SEARCH_DIR = "assets/search"
SEARCH_BOX_PARTIAL = "overrides/partials/omc-search-box.html"
#: Stands for the page's path to the site root in the search box markup that box.js inserts.
ROOT_PLACEHOLDER = "__OMC_ROOT__"


@dataclass
class DocsResult:
    """What was written, for the build summary and the MkDocs configuration."""

    code_pages: int
    code_page_bytes: int
    index_pages: int
    nav: list[object]
    builders: list[SystemPages]
    search: SearchIndexStats
    timings: dict[str, float] = field(default_factory=dict)


def page_builders(catalog: Catalog, settings: PageSettings) -> list[SystemPages]:
    """One page builder per code system that has pages, in the order of the home page."""
    builders: list[SystemPages] = []
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


def page_settings(catalog: Catalog, site: SiteSettings, templates_dir: Path) -> tuple[PageSettings, Stylesheet]:
    """What every page builder needs, and the stylesheet code pages link (with each edition's statement)."""
    editions = {system: edition for system in catalog.official.systems()
                if (edition := fiscal_edition(system, getattr(catalog.official, system).label))}
    stylesheet = code_page_stylesheet(templates_dir, edition_stylesheet(list(editions.values()), site.build_date))
    return PageSettings(catalog, site, (stylesheet.path,), editions), stylesheet


def write_docs(catalog: Catalog, site: SiteSettings, templates_dir: Path, docs_dir: Path,
               workers: int | None = None) -> DocsResult:
    """Write all pages and assets into ``docs_dir``.

    The new folder is built beside the old one and swapped in at the end, so a
    failure leaves the previous docs intact.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    settings, stylesheet = page_settings(catalog, site, templates_dir)
    builders = page_builders(catalog, settings)
    staging = docs_dir.with_name(docs_dir.name + ".new")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    reference = reference_site(catalog, settings)
    index_pages = [page for builder in builders for page in builder.index_pages()] + policy_pages(catalog)
    index_pages += reference.index_pages() if reference else []
    index_stats = write_index_pages(index_pages, templates_dir, staging)
    timings["index pages"] = time.perf_counter() - started
    # Every source of code pages: the systems' builders and the reference data's pages.
    sources = [*builders, *(reference.sources() if reference else ())]
    code_stats = write_code_pages(sources, templates_dir, staging, workers)
    timings["code pages"] = time.perf_counter() - started - timings["index pages"]
    published = {builder.system: len(builder.code_keys()) for builder in builders}
    labels = {builder.system: builder.label() for builder in builders}
    site_pages = write_site_pages(templates_dir, staging, published, labels,
                                  [edition.statement(site.build_date) for edition in settings.editions.values()
                                   if edition.stale_on(site.build_date)], reference=reference is not None)
    assets = templates_dir / "assets"
    if assets.is_dir():
        shutil.copytree(assets, staging / "assets")
    (staging / stylesheet.path).parent.mkdir(parents=True, exist_ok=True)
    (staging / stylesheet.path).write_text(stylesheet.text, encoding="utf-8")
    write_search_bundle(templates_dir, staging / SEARCH_DIR, [builder.system for builder in builders],
                        policies=bool(catalog.content.policies), reference=reference is not None)
    # Every code page lives at <system>/<key>.html (a modifier's key is "modifier-GY"; an HCC's "hcc-38").
    write_public_files(staging, site.site_url,
                       [urls.code_page(source.system, key) for source in sources for key in source.code_keys()])
    mark = time.perf_counter()
    documents = [document for builder in builders for document in builder.search_documents()]
    documents += reference.search_documents() if reference else []
    search = write_search_index(documents,
                                staging / SEARCH_DIR, new_record_url=new_record_url(site),
                                vocabulary=Vocabulary([*catalog.content.vocabulary, *procedure_words(catalog)]))
    timings["search index"] = time.perf_counter() - mark
    # The previous docs are deleted while MkDocs builds the site from the new ones.
    swap_in(staging, docs_dir, background=True)
    return DocsResult(
        code_pages=code_stats.pages,
        code_page_bytes=code_stats.bytes,
        index_pages=index_stats.pages + site_pages,
        nav=nav({builder.system: builder.nav() for builder in builders}, policies=bool(catalog.content.policies),
                reference=REFERENCE_HUB if reference else None),
        builders=builders,
        search=search,
        timings=timings,
    )


def procedure_words(catalog: Catalog) -> list[VocabularyEntry]:
    """Procedure words made of Greek and Latin parts ("colpopexy"), as synonyms of the ICD-10-PCS tables and body
    parts they name; on a verified release a word part that leads nowhere stops the build."""
    release = catalog.official.icd10pcs
    return vocabulary_entries(release, strict=catalog.official.verified) if release is not None else []


def reference_site(catalog: Catalog, settings: PageSettings) -> ReferenceSite | None:
    """The pages of the coders' reference data, when it was read (with ICD-10-CM)."""
    official = catalog.official
    if official.reference is None or official.icd10cm is None:
        return None
    return ReferenceSite(official.reference, official.icd10cm, settings)


def new_record_url(site: SiteSettings) -> str | None:
    """GitHub's new-file page for a CPT record, ``__CODE__`` standing for the code (search fills it in)."""
    return site.new_file_url("content/cpt", "__CODE__.yaml", 'code: "__CODE__"\nsystem: cpt\nstatus: draft\nname: \nsummary: \n')


def write_search_bundle(templates_dir: Path, search_dir: Path, systems: Sequence[str] = tuple(SYSTEMS),
                        policies: bool = False, reference: bool = False) -> None:
    """Write ``omc.js``: the header search box, lunr.js and the search engine, for lean code pages.

    Code pages carry only an empty header bar and this one script tag, not the home link
    and the box's ~2.7 KB of markup nor three script tags (on ~190,000 pages, each byte of a
    page is ~190 KB of site). The box markup is the same partial Material pages
    include, rendered once here; ``search.js`` finds the index beside its own
    script, so the bundle lives in the same folder.
    """
    markup = environment(templates_dir, html=True).get_template(SEARCH_BOX_PARTIAL).render(omc_root=ROOT_PLACEHOLDER)
    # The header bar's contents: the home link and the search box (the page holds only the empty bar, whose
    # height the stylesheet fixes, so nothing moves when they arrive).
    markup = (f'<nav class="md-header__inner md-grid"><a href="{ROOT_PLACEHOLDER}index.html" class="omc-home">'
              f'Open Medical Codes</a>{" ".join(markup.split())}</nav>')
    links = [("Home", "index.html"), *((SYSTEMS[key].name, urls.built(urls.system_page(key))) for key in systems),
             *((("Policies and guidelines", urls.built(urls.POLICIES_INDEX)),) if policies else ()),
             *((("Coder's reference", urls.built(REFERENCE_HUB)),) if reference else ()),
             ("Search", "search.html"), ("About the data", "about.html")]
    footer = ('<nav class="md-footer-meta md-typeset omc-footer__nav" aria-label="Site">'
              + " · ".join(f'<a href="{ROOT_PLACEHOLDER}{href}">{html.escape(label)}</a>' for label, href in links) + "</nav>")
    box = (
        "(function(){var s=document.currentScript,root=s.getAttribute('data-root')||'',"
        "slot=document.querySelector('[data-omc-header]');if(!slot)return;"
        "var toggle=document.createElement('input');toggle.className='md-toggle';toggle.type='checkbox';"
        "toggle.id='__search';toggle.setAttribute('data-md-toggle','search');toggle.autocomplete='off';"
        "document.body.insertBefore(toggle,document.body.firstChild);"
        # The skip link every Material page has, for keyboard users (added here: one script, not ~190,000 copies).
        "var skip=document.createElement('a');skip.className='md-skip';skip.href='#code';skip.textContent='Skip to content';"
        "document.body.insertBefore(skip,document.body.firstChild);"
        f"slot.innerHTML={json.dumps(markup)}.split({json.dumps(ROOT_PLACEHOLDER)}).join(root);"
        # The same footer and system navigation as the MkDocs pages, added here (one script, not ~190,000 copies).
        f"var foot=document.createElement('footer');foot.className='md-footer omc-footer';"
        f"foot.innerHTML={json.dumps(footer)}.split({json.dumps(ROOT_PLACEHOLDER)}).join(root);"
        "document.body.appendChild(foot);})();\n"
    )
    parts = [box] + [(search_dir / name).read_text(encoding="utf-8") for name in ("lunr.min.js", "search.js")]
    (search_dir / "omc.js").write_text("\n;".join(parts), encoding="utf-8")
