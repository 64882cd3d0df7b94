"""Pages stage: turn the catalog into Markdown files in the staging docs folder.

Python computes every value a page shows (links, headings, labels, order) into
small page contexts; the Jinja templates in ``site_templates/`` only print them.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

from .codes import SYSTEMS, CodeSystem
from .model import CodeRecord, Family, Policy
from .relations import Catalog, Related
from .schema import CODE_RECORD, ListOf

#: Fields whose list items are rendered as numbered steps rather than bullets.
NUMBERED_SECTIONS = {"procedure_steps"}
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


def relative_link(from_page: str, to_page: str) -> str:
    """Link from one docs-relative Markdown path to another, as MkDocs resolves it."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def code_page_path(system: str, code: str) -> str:
    return f"{system}/{code}.md"


def family_page_path(family: Family) -> str:
    return f"{family.system}/{family.range.slug}.md"


def system_page_path(system: str) -> str:
    return f"{system}/index.md"


# --- Page contexts -------------------------------------------------------------------------

@dataclass(frozen=True)
class Link:
    label: str
    href: str


@dataclass(frozen=True)
class Section:
    """One plain-language section: ``kind`` is ``text``, ``list`` or ``steps``."""

    heading: str
    kind: str
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicyLine:
    title: str
    url: str
    source: str
    summary: str


@dataclass(frozen=True)
class RelatedLine:
    link: Link
    name: str
    relation: str


@dataclass(frozen=True)
class CodeListLine:
    link: Link
    name: str
    note: str


#: Search engines show about this many characters of a meta description.
META_DESCRIPTION_LIMIT = 160


def front_matter(title: str, description: str) -> str:
    """The YAML front matter block MkDocs reads the page title and meta description from."""
    description = " ".join(description.split())
    if len(description) > META_DESCRIPTION_LIMIT:
        description = description[: META_DESCRIPTION_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
    return "---\n" + yaml.safe_dump({"title": title, "description": description}, allow_unicode=True, width=10_000) + "---"


def _sections(record: CodeRecord) -> list[Section]:
    sections = []
    for declared in CODE_RECORD.fields:
        value = record.sections.get(declared.name)
        if not declared.section or not value:
            continue
        if isinstance(declared.type, ListOf):
            kind = "steps" if declared.name in NUMBERED_SECTIONS else "list"
            sections.append(Section(declared.section, kind, items=tuple(escape_markdown(item) for item in value)))
        else:
            sections.append(Section(declared.section, "text", text=escape_markdown(str(value))))
    return sections


def _policy_line(policy: Policy) -> PolicyLine:
    parts = [policy.publisher] + ([policy.identifier] if policy.identifier else [])
    parts.append(f"{policy.date_type.capitalize()} {policy.date.isoformat()}")
    return PolicyLine(escape_markdown(policy.title), policy.url, escape_markdown(", ".join(parts)), escape_markdown(policy.summary))


def _related_line(page: str, related: Related) -> RelatedLine:
    target = code_page_path(related.system, related.code)
    return RelatedLine(Link(related.code, relative_link(page, target)), escape_markdown(related.name), escape_markdown(related.relation))


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

    def code_page(self, record: CodeRecord) -> tuple[str, str]:
        system = SYSTEMS[record.system]
        page = code_page_path(record.system, record.code)
        relations = self.catalog.relations(record)
        family = relations.family
        title = f"{record.code} – {record.name} | {system.name}"
        summary = record.sections.get("summary")
        description = f"{system.name} {record.code}: {record.name}." + (f" {summary}" if isinstance(summary, str) else "")
        return page, self.render(
            "code_page.md.j2",
            front_matter=front_matter(title, description),
            source_path=record.source_path,
            breadcrumbs=[
                Link(system.name, relative_link(page, system_page_path(record.system))),
                Link(escape_markdown(f"{family.range.label} {family.title}"), relative_link(page, family_page_path(family))),
            ],
            code=record.code,
            name=escape_markdown(record.name),
            system=system,
            kind="Add-on code" if record.add_on else "Code",
            common_names=", ".join(escape_markdown(name) for name in record.common_names),
            descriptor_notice=(
                "The official CPT descriptor is copyrighted by the AMA and is not reproduced here."
                if record.system == "cpt" else ""
            ),
            primary_codes=[_related_line(page, link) for link in relations.primary_codes],
            add_on_codes=[_related_line(page, link) for link in relations.add_on_codes],
            sections=_sections(record),
            policies=[_policy_line(policy) for policy in relations.policies],
            similar=[_related_line(page, link) for link in relations.similar],
        )

    def family_page(self, family: Family) -> tuple[str, str]:
        system = SYSTEMS[family.system]
        page = family_page_path(family)
        heading = f"{family.range.label} {family.title}"
        return page, self.render(
            "family_page.md.j2",
            front_matter=front_matter(f"{heading} | {system.name}", f"{system.name} codes {family.range.label}: {family.title}."),
            source_path=family.source_path,
            breadcrumbs=[Link(system.name, relative_link(page, system_page_path(family.system)))],
            heading=escape_markdown(heading),
            summary=escape_markdown(family.summary or ""),
            codes=[
                CodeListLine(
                    Link(record.code, relative_link(page, code_page_path(record.system, record.code))),
                    escape_markdown(record.name),
                    "add-on" if record.add_on else "",
                )
                for record in self.catalog.codes_in(family)
            ],
        )

    def system_page(self, system_key: str) -> tuple[str, str]:
        system = SYSTEMS[system_key]
        page = system_page_path(system_key)
        families = self.catalog.families(system_key)
        return page, self.render(
            "system_page.md.j2",
            front_matter=front_matter(f"{system.name} codes", f"{system.long_name} ({system.name}): code families."),
            system=system,
            families=[
                CodeListLine(
                    Link(family.range.label, relative_link(page, family_page_path(family))),
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
                (system, Link(system.name, system_page_path(key)) if key in published else None)
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
            entries: list[object] = [system_page_path(system_key)]
            entries += [
                {f"{family.range.label} {family.title}": family_page_path(family)}
                for family in self.catalog.families(system_key)
            ]
            nav.append({SYSTEMS[system_key].name: entries})
        nav.append({"About the data": "about.md"})
        return nav

    def pages(self) -> list[tuple[str, str]]:
        """Every page of the site, in a stable order."""
        pages = [self.home_page(), self.about_page()]
        for system_key in self.catalog.systems():
            pages.append(self.system_page(system_key))
            pages += [self.family_page(family) for family in self.catalog.families(system_key)]
        pages += [self.code_page(record) for record in self.catalog.records.values()]
        return pages


def write_docs(catalog: Catalog, templates_dir: Path, docs_dir: Path) -> tuple[int, list[object]]:
    """Write all pages and assets into ``docs_dir``, replacing it only once everything rendered.

    Returns the number of pages and the nav. The new folder is built beside the
    old one and swapped in at the end, so a failure leaves the previous docs intact.
    """
    writer = PageWriter(catalog, templates_dir)
    pages = writer.pages()
    staging = docs_dir.with_name(docs_dir.name + ".new")
    if staging.exists():
        shutil.rmtree(staging)
    for path, markdown in pages:
        target = staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    assets = templates_dir / "assets"
    if assets.is_dir():
        shutil.copytree(assets, staging / "assets")
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    staging.rename(docs_dir)
    return len(pages), writer.nav()
