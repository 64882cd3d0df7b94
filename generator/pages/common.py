"""Parts every system's code pages share: curated content merged onto a code, policies, edit links."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .. import urls
from ..codes import SYSTEMS
from ..editions import Edition
from ..model import CodeRecord, Family
from ..prose_codes import linked
from ..relations import Catalog
from ..schema import CODE_RECORD, ListOf
from ..settings import SiteSettings
from .policies import policy_lines
from .model import (CodeLine, CodeList, CodePage, IndexPage, Inherited, Link, Section, Table, anchor, escape_markdown,
                    meta_description)

#: Fields whose list items are rendered as numbered steps rather than bullets.
NUMBERED_SECTIONS = {"procedure_steps"}
#: What every page with contributors' plain language says about it, by the record's status.
PROVENANCE = {
    "draft": "Written in plain language by contributors; not medical advice. Not yet reviewed by a clinician.",
    "reviewed": "Written in plain language by contributors and reviewed by {reviewer} on {date}; not medical advice.",
}


#: Plain language written for a group of codes (a category, a table, a family); ``href`` is the site path of
#: the group's page until :func:`code_page` makes it a link from the page that inherits it.
GroupText = Inherited


def record_group(record: CodeRecord | None, label: str, page: str) -> GroupText | None:
    """The group text of a group's record, if it has one with a summary."""
    if record is None or not isinstance(summary := record.sections.get("summary"), str):
        return None
    return GroupText(f"{label} {record.name}".strip(), page, summary, record.status == "reviewed")


def family_group(family: Family, page: str) -> GroupText | None:
    if not family.summary:
        return None
    return GroupText(f"{family.range.label} {family.title}", page, family.summary)


def provenance(record: CodeRecord | None) -> str:
    """The provenance line of a page that shows ``record``'s text."""
    if record is None:
        return ""
    if record.status == "reviewed":
        return PROVENANCE["reviewed"].format(reviewer=record.reviewed_by, date=record.reviewed_on)
    return PROVENANCE["draft"]


@dataclass(frozen=True)
class PageSettings:
    """What every page builder needs besides its own data."""

    catalog: Catalog
    site: SiteSettings
    #: Site-relative paths of the stylesheets a code page links.
    stylesheets: tuple[str, ...]
    #: The edition of each fiscal-year release read: its code pages carry the class that states it.
    editions: Mapping[str, Edition] = field(default_factory=dict)

    def stylesheets_for(self, path: str) -> tuple[str, ...]:
        return tuple(urls.relative(path, sheet) for sheet in self.stylesheets)

    def edit_link(self, system: str, code: str) -> Link | None:
        """"Edit this page" for a code with a record; "Add plain-language content" for one without."""
        record = self.catalog.curated(system, code)
        if record is not None:
            href = self.site.edit_url(record.source_path)
            return Link("Edit this page", href) if href else None
        starter = f'code: "{code}"\nsystem: {system}\nname: \nsummary: \n'
        href = self.site.new_file_url(f"content/{system}", f"{code}.yaml", starter)
        return Link("Add plain-language content", href) if href else None


def plain_sections(record: CodeRecord | None, link: CodeLinker | None = None) -> tuple[Section, ...]:
    """The record's plain-language sections in schema order, only those with content; codes named in
    them are linked where ``link`` gives a URL."""
    if record is None:
        return ()

    def text(value: str) -> str:
        return linked(value, link) if link is not None else value

    sections = []
    for declared in CODE_RECORD.fields:
        value = record.sections.get(declared.name)
        if not declared.section or not value:
            continue
        if isinstance(declared.type, ListOf):
            kind = "steps" if declared.name in NUMBERED_SECTIONS else "list"
            sections.append(Section(declared.section, anchor(declared.section), kind,
                                    items=tuple(text(item) for item in value)))
        else:
            sections.append(Section(declared.section, anchor(declared.section), "text", text=text(str(value))))
    return tuple(sections)


#: Gives the URL of a code's page from the page being built, or None when the site has no page for it.
CodeLinker = Callable[[str, str], "str | None"]


def code_linker(settings: PageSettings, from_page: str) -> CodeLinker:
    """Links to the pages of official codes (and written CPT codes) from ``from_page``."""
    def link(system: str, code: str) -> str | None:
        if settings.catalog.official.exists(system, code) or settings.catalog.curated(system, code) is not None:
            return urls.relative(from_page, urls.code_page(system, code))
        return None
    return link


def code_link(from_page: str, system: str, code: str) -> Link:
    return Link(code, urls.relative(from_page, urls.code_page(system, code)))


def curated_similar(settings: PageSettings, from_page: str, record: CodeRecord | None) -> tuple[CodeLine, ...]:
    """The contributor's picks of similar codes, with their titles."""
    if record is None:
        return ()
    return tuple(
        CodeLine(code_link(from_page, record.system, pick.code),
                 settings.catalog.title_of(record.system, pick.code), pick.reason or "Related code")
        for pick in record.similar
    )


def equivalents_list(settings: PageSettings, from_page: str, record: CodeRecord | None) -> tuple[CodeList, ...]:
    """The record's codes of other systems for the same service, linked where the site has their page."""
    if record is None or not record.equivalents:
        return ()
    link = code_linker(settings, from_page)
    lines = [CodeLine(Link(f"{SYSTEMS[system].name} {code}", link(system, code) or ""),
                      settings.catalog.official.title(system, code) or "", reason or "")
             for system, code, reason in record.equivalents]
    return (CodeList("Same service in other code systems", "other-code-systems", tuple(lines)),)


def curated_search_fields(record: CodeRecord | None) -> tuple[str | None, tuple[str, ...], str]:
    """What a curated record adds to a code's search document: name, synonyms, and a short text."""
    if record is None:
        return None, (), ""
    summary = record.sections.get("summary")
    text = " ".join(summary.split())[:300] if isinstance(summary, str) else ""
    return record.name, record.common_names + record.synonyms, text


def page_title(code: str, title: str, system: str) -> str:
    """``E11.65 – Type 2 diabetes mellitus with hyperglycemia | ICD-10-CM``."""
    return f"{code} – {title} | {SYSTEMS[system].name}"


def code_page(settings: PageSettings, system: str, key: str, *, heading: str, description: str, release: str,
              groups: Iterable[GroupText | None] = (), **parts: Any) -> CodePage:
    """The page of code ``key``: what every code page shares, with the curated record merged in.

    Shared: the page's path, title, canonical URL, stylesheets and edit link; from
    the record (if contributors wrote one): the plain-language name, common names,
    sections, curated similar codes; and the policies that cover the code.
    A code without a record of its own shows the summary of the first of ``groups``
    (nearest first; ``None`` for a group without text) as "About …", linked to it.
    ``parts`` adds the system's own parts (breadcrumbs, badges, facts, notes,
    code lists) and may override any of the above.
    """
    path = urls.code_page(system, key)
    record = settings.catalog.curated(system, key)
    link = code_linker(settings, path)
    inherited = None
    if record is None:
        group = next((group for group in groups if group is not None), None)
        if group is not None:
            inherited = replace(group, label=f"About {group.label}", href=urls.built(urls.relative(path, group.href)),
                                summary=linked(group.summary, link))
    policies, everywhere = policy_lines(settings.catalog, system, key, path)
    fields: dict[str, Any] = dict(
        path=path,
        root=urls.root_of(path),
        title=page_title(key, heading, system),
        description=meta_description(description),
        canonical=settings.site.canonical(path),
        stylesheets=settings.stylesheets_for(path),
        system=SYSTEMS[system],
        code=key,
        heading=heading,
        breadcrumbs=(),
        plain_name=record.name if record else None,
        common_names=", ".join(record.common_names) if record else "",
        sections=plain_sections(record, link),
        inherited=inherited,
        provenance=provenance(record),
        policies=policies,
        policies_everywhere=everywhere,
        similar=curated_similar(settings, path, record),
        release=release,
        edition_class=f"omc-edition-{system}" if system in settings.editions else "",
        edit=settings.edit_link(system, key),
    )
    fields.update(parts)
    fields["code_lists"] = tuple(fields.get("code_lists", ())) + equivalents_list(settings, path, record)
    return CodePage(**fields)


def system_index_page(system: str, description: str, summary: str, table: Table,
                      extra: tuple[str, ...] = ()) -> IndexPage:
    """A code system's home page: what the system is, what this site has of it, and its top-level list."""
    info = SYSTEMS[system]
    return IndexPage(
        path=urls.system_page(system),
        title=f"{info.name} codes",
        description=description,
        heading=f"{info.name} codes",
        paragraphs=(f"{info.long_name}. {info.description}", summary, *extra),
        tables=(table,),
    )


def markdown_sections(record: CodeRecord | None, level: int = 2) -> tuple[str, ...]:
    """A group record's plain-language sections as Markdown paragraphs (headings of ``level``), for an index page."""
    paragraphs = []
    for section in plain_sections(record):
        if section.kind == "text":
            body = escape_markdown(section.text)
        else:
            marker = "1." if section.kind == "steps" else "-"
            body = "\n".join(f"{marker} {escape_markdown(item)}" for item in section.items)
        paragraphs.append(f"{'#' * level} {section.heading}\n\n{body}")
    if record is not None:
        paragraphs.append(f"*{escape_markdown(provenance(record))}*")
    return tuple(paragraphs)
