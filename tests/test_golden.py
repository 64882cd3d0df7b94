"""Rendered pages compared with reviewed golden files; `UPDATE_GOLDEN=1 make test` rewrites them.

Index pages are Markdown (built by MkDocs); code pages are HTML (see generator/code_pages.py).
"""

from __future__ import annotations

import os

import pytest
from conftest import FIXTURE_CONTENT, FIXTURE_ICD10CM, PROJECT, TESTS, write_cms_fixture_data, write_reference_fixture

from generator.official import load_official
from generator.pages import page_builders
from generator.pages.common import PageSettings
from generator.pages.build import reference_site
from generator.pages.policies import policy_pages
from generator.pages.render import CODE_TEMPLATE, INDEX_TEMPLATE, environment, render_code_page, render_index_page
from generator.relations import Catalog
from generator.settings import SiteSettings
from generator.validate import load_content

STYLESHEETS = ("assets/stylesheets/main.css", "assets/extra.css")
SITE = SiteSettings(site_url="https://example.org/codes/", repo_url="https://github.com/example/codes")

GOLDEN = TESTS / "golden"


#: One code page of each system, and index pages of each kind.
GOLDEN_PAGES = [
    "cpt/96417.html", "cpt/96413.html", "cpt/96401-96549.md", "cpt/index.md",
    "icd10cm/E11.65.html", "icd10cm/S72.001A.html", "icd10cm/E11.html", "icd10cm/E08-E13.md",
    "icd10pcs/0DTJ4ZZ.html", "icd10pcs/table-0DT.md", "icd10pcs/changes.md",
    "hcpcs/J9035.html", "hcpcs/J9000-J9099.md", "hcpcs/family-J9000-J9999.md", "hcpcs/changes.md", "hcpcs/terminated.md",
    "policies/index.md", "policies/guidelines-cm-chapter-4.md", "policies/ncd-fixture-diabetes-drug.md",
    "icd10cm/E11.66.html", "icd10cm/changes-fy2026.md", "icd9cm/250.html", "icd9cm/index.md", "ccsr/END003.html",
    "cms-hcc/hcc-38.html", "reference.md",
]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every page of the fixture content and fixture releases, rendered, by site path."""
    cms_data = write_cms_fixture_data(tmp_path_factory.mktemp("cms-data"))
    official = load_official(("cpt", "icd10cm", "icd10pcs", "hcpcs"), cms_data=cms_data,
                             icd10cm_xml=FIXTURE_ICD10CM, verify=False,
                             reference_data=write_reference_fixture(tmp_path_factory.mktemp("reference-data")),
                             reference=True)
    catalog = Catalog(load_content(FIXTURE_CONTENT, shown_root=FIXTURE_CONTENT.parent, official=official), official)
    templates = PROJECT / "site_templates"
    index_template = environment(templates, html=False).get_template(INDEX_TEMPLATE)
    code_template = environment(templates, html=True).get_template(CODE_TEMPLATE)
    rendered = {}
    settings = PageSettings(catalog, SITE, STYLESHEETS)
    reference = reference_site(catalog, settings)
    assert reference is not None
    for builder in [*page_builders(catalog, settings), reference, *reference.sources()]:
        if hasattr(builder, "index_pages"):
            rendered.update({page.path: render_index_page(index_template, page) for page in builder.index_pages()})
        for key in builder.code_keys() if hasattr(builder, "code_keys") else ():
            page = builder.code_page(key)
            rendered[page.path] = render_code_page(code_template, page)
    rendered.update({page.path: render_index_page(index_template, page) for page in policy_pages(catalog)})
    return rendered


@pytest.mark.parametrize("page", GOLDEN_PAGES)
def test_page_matches_golden(pages: dict[str, str], page: str) -> None:
    golden = GOLDEN / page
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(pages[page], encoding="utf-8")
    assert pages[page] == golden.read_text(encoding="utf-8"), f"{page} differs from {golden}"


def test_sections_only_where_content_exists(pages: dict[str, str]) -> None:
    sparse = pages["cpt/96365.html"]
    assert ">Summary</h2>" in sparse and ">Risks and complications</h2>" in sparse
    for absent in ("Purpose", "Indications", "Preparation", "Duration", "Patient experience"):
        assert f">{absent}</h2>" not in sparse


def test_contributor_text_is_escaped(pages: dict[str, str]) -> None:
    assert "diagnosis (&lt;b&gt;not&lt;/b&gt; chemotherapy &amp; not hydration).</p>" in pages["cpt/96365.html"]
