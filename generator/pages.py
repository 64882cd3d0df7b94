"""Pages stage: write the staging docs folder: Markdown index pages for MkDocs, and the code pages.

The home, about, code-system and code-family pages are Markdown that MkDocs
builds with the Material theme and puts in the navigation. Code pages are
rendered to HTML by :mod:`generator.code_pages`. Python computes every value a
page shows; the Jinja templates in ``site_templates/`` only print them.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

from . import urls
from .code_pages import CptPages, Link, material_stylesheets, meta_description, write_code_pages
from .codes import SYSTEMS
from .model import Family
from .relations import Catalog

CPT_NOTICE = (
    "CPT® is a registered trademark of the American Medical Association (AMA). "
    "Official CPT descriptors are not reproduced on this site; the plain-language text "
    "is written by contributors."
)


# --- Markdown helpers ----------------------------------------------------------------------

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]{}|#])")


def escape_markdown(text: str) -> str:
    """Make contributor text print literally in Markdown (no emphasis, links, tags or headings)."""
    text = " ".join(text.split())
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    # A paragraph that starts like "1. " or "- " would turn into a list.
    return re.sub(r"^(\d+)\. ", r"\1\\. ", re.sub(r"^([-+]) ", r"\\\1 ", text))


# --- Page contexts -------------------------------------------------------------------------

@dataclass(frozen=True)
class CodeListLine:
    link: Link
    name: str
    note: str


def front_matter(title: str, description: str) -> str:
    """The YAML front matter block MkDocs reads the page title and meta description from."""
    return "---\n" + yaml.safe_dump({"title": title, "description": meta_description(description)},
                                    allow_unicode=True, width=10_000) + "---"


class PageWriter:
    """Renders every page of the catalog into a docs folder."""

    def __init__(self, catalog: Catalog, templates_dir: Path) -> None:
        self.catalog = catalog
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,  # Markdown, not HTML: values are escaped by escape_markdown in Python.
        )

    def render(self, template: str, **context: object) -> str:
        return self.env.get_template(template).render(**context)

    # Each page_* method returns (docs-relative path, Markdown).

    def family_page(self, family: Family) -> tuple[str, str]:
        system = SYSTEMS[family.system]
        page = urls.family_page(family.system, family.range)
        heading = f"{family.range.label} {family.title}"
        return page, self.render(
            "family_page.md.j2",
            front_matter=front_matter(f"{heading} | {system.name}", f"{system.name} codes {family.range.label}: {family.title}."),
            source_path=family.source_path,
            breadcrumbs=[Link(system.name, urls.relative(page, urls.system_page(family.system)))],
            heading=escape_markdown(heading),
            summary=escape_markdown(family.summary or ""),
            codes=[
                CodeListLine(
                    Link(record.code, urls.relative(page, urls.code_page(record.system, record.code))),
                    escape_markdown(record.name),
                    "add-on" if record.add_on else "",
                )
                for record in self.catalog.codes_in(family)
            ],
        )

    def system_page(self, system_key: str) -> tuple[str, str]:
        system = SYSTEMS[system_key]
        page = urls.system_page(system_key)
        families = self.catalog.families(system_key)
        return page, self.render(
            "system_page.md.j2",
            front_matter=front_matter(f"{system.name} codes", f"{system.long_name} ({system.name}): code families."),
            system=system,
            families=[
                CodeListLine(
                    Link(family.range.label, urls.relative(page, urls.family_page(family.system, family.range))),
                    escape_markdown(family.title),
                    f"{len(self.catalog.codes_in(family))} codes",
                )
                for family in families
            ],
            cpt_notice=CPT_NOTICE if system_key == "cpt" else "",
        )

    def home_page(self) -> tuple[str, str]:
        published = set(self.catalog.systems())
        return "index.md", self.render(
            "home.md.j2",
            front_matter=front_matter("Search all medical codes", "Free reference for US medical codes: CPT, ICD-10-CM, ICD-10-PCS and HCPCS Level II."),
            systems=[
                (system, Link(system.name, urls.system_page(key)) if key in published else None)
                for key, system in SYSTEMS.items()
            ],
            code_count=len(self.catalog.records),
        )

    def about_page(self) -> tuple[str, str]:
        return "about.md", self.render(
            "about.md.j2",
            front_matter=front_matter("About the data", "Where the codes and texts on this site come from, their editions and licences."),
            cpt_notice=CPT_NOTICE,
        )

    def nav(self) -> list[object]:
        """The MkDocs nav: home, one section per system with its families, about. Code pages stay out."""
        nav: list[object] = [{"Home": "index.md"}]
        for system_key in self.catalog.systems():
            entries: list[object] = [urls.system_page(system_key)]
            entries += [
                {f"{family.range.label} {family.title}": urls.family_page(family.system, family.range)}
                for family in self.catalog.families(system_key)
            ]
            nav.append({SYSTEMS[system_key].name: entries})
        nav.append({"About the data": "about.md"})
        return nav

    def pages(self) -> list[tuple[str, str]]:
        """Every Markdown page of the site, in a stable order."""
        pages = [self.home_page(), self.about_page()]
        for system_key in self.catalog.systems():
            pages.append(self.system_page(system_key))
            pages += [self.family_page(family) for family in self.catalog.families(system_key)]
        return pages


def write_docs(catalog: Catalog, templates_dir: Path, docs_dir: Path) -> tuple[int, list[object]]:
    """Write all pages and assets into ``docs_dir``, replacing it only once everything rendered.

    Returns the number of pages and the nav. The new folder is built beside the
    old one and swapped in at the end, so a failure leaves the previous docs intact.
    """
    writer = PageWriter(catalog, templates_dir)
    pages = writer.pages()
    stylesheets = material_stylesheets()
    staging = docs_dir.with_name(docs_dir.name + ".new")
    if staging.exists():
        shutil.rmtree(staging)
    for path, markdown in pages:
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    code_pages = write_code_pages(CptPages(catalog, stylesheets).pages(), templates_dir, staging)
    assets = templates_dir / "assets"
    if assets.is_dir():
        shutil.copytree(assets, staging / "assets")
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    staging.rename(docs_dir)
    return len(pages) + code_pages, writer.nav()
