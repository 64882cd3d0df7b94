"""Policies and guidelines: the lines on code pages, a page per document and the index of them all."""

from __future__ import annotations

from collections import Counter

from .. import urls
from ..codes import HCPCS_MODIFIERS, SYSTEMS, CodeRange, is_well_formed
from ..model import Policy
from ..relations import GENERAL_SHARE, POLICY_ORDER, Catalog
from ..schema import POLICY_KINDS
from .model import IndexPage, Link, PolicyLine, Table, escape_markdown

#: A document covering at most this many of a system's codes is shown whole on their pages; one covering
#: more is a short line linking its page here (each byte of such a line repeats on thousands of pages).
SPECIFIC_LIMIT = 1000


def plural(kind: str) -> str:
    """``guidelines``, ``payer policies``."""
    return kind[:-1] + "ies" if kind.endswith("y") else kind + "s"


def general_anchor(system: str) -> str:
    """The index page's anchor of the general documents of ``system`` (see :meth:`PolicyReach.general`)."""
    return f"general-{system}"


def policy_source(policy: Policy) -> str:
    """``Publisher, identifier, Revised 2025-01-02`` (the date only when one was verified)."""
    parts = [policy.publisher] + ([policy.identifier] if policy.identifier else [])
    if policy.date is not None and policy.date_type:
        parts.append(f"{policy.date_type.capitalize()} {policy.date.isoformat()}")
    return ", ".join(parts)


def cited_title(policy: Policy) -> str:
    """The title with the part cited, unless the title names it already."""
    if policy.section and policy.section.lower() not in policy.title.lower():
        return f"{policy.title}, {policy.section}"
    return policy.title


def policy_lines(catalog: Catalog, system: str, code: str, from_page: str) -> tuple[tuple[PolicyLine, ...], Link | None]:
    """What a code page lists under "Medical policies and guidelines", in page order, and the link to the
    system's general documents when only those apply (else ``None``: every code page's footer links the
    policies index, which lists them; a line per page would cost ~17 MB of the Pages artifact)."""
    reach = catalog.policy_reach
    covering = catalog.policies_for(system, code)
    lines = []
    for policy in covering:
        if reach.general(policy, system):
            continue
        if reach.count(policy, system) <= SPECIFIC_LIMIT:
            lines.append(PolicyLine(policy.kind.capitalize(), cited_title(policy), policy.url,
                                    policy_source(policy), policy.summary))
        else:
            lines.append(PolicyLine(policy.kind.capitalize(), policy.short_title or cited_title(policy),
                                    urls.built(urls.relative(from_page, urls.policy_page(policy.id)))))
    everywhere = None
    if covering and not lines:
        count = len(covering)
        everywhere = Link(f"{count} general document{'s' if count > 1 else ''} for {SYSTEMS[system].name} codes",
                          urls.built(urls.relative(from_page, urls.POLICIES_INDEX)) + "#" + general_anchor(system))
    return tuple(lines), everywhere


def _scope_cell(catalog: Catalog, system: str, scope: CodeRange, from_page: str) -> str:
    """A scope as a link: to its code's page when it is one code with a page, else to a search for it."""
    label = scope.label
    if system == "hcpcs" and scope.first == HCPCS_MODIFIERS:
        return f"[all modifiers]({urls.relative(from_page, urls.MODIFIERS_PAGE)})"
    if scope.first == scope.last and is_well_formed(system, scope.first) and (
            catalog.official.exists(system, scope.first) or catalog.curated(system, scope.first)):
        return f"[{escape_markdown(label)}]({urls.relative(from_page, urls.code_page(system, scope.first))})"
    query = scope.first if scope.first == scope.last else scope.slug
    return f"[{escape_markdown(label)}]({urls.relative(from_page, urls.search_page(query))})"


def _reach_text(catalog: Catalog, policy: Policy) -> str:
    """``ICD-10-CM: 98,505 codes (all)``, per system it covers."""
    reach = catalog.policy_reach
    parts = []
    for system in policy.scopes:
        count = reach.count(policy, system)
        whole = " (all)" if reach.everywhere(policy, system) else ""
        parts.append(f"{SYSTEMS[system].name}: {count:,} code page{'s' if count != 1 else ''}{whole}")
    return "; ".join(parts)


def policy_page(catalog: Catalog, policy: Policy) -> IndexPage:
    path = urls.policy_page(policy.id)
    facts = [f"**{escape_markdown(policy.kind.capitalize())}** from {escape_markdown(policy_source(policy))}."]
    if policy.section:
        facts.append(f"Cited in part: {escape_markdown(policy.section)}.")
    rows = tuple(
        (SYSTEMS[system].name, ", ".join(_scope_cell(catalog, system, scope, path) for scope in scopes),
         f"{catalog.policy_reach.count(policy, system):,}")
        for system, scopes in policy.scopes.items()
    )
    return IndexPage(
        path=path,
        title=policy.title,
        description=f"{policy.title}: {policy.summary}",
        heading=escape_markdown(cited_title(policy)),
        breadcrumbs=(Link("Policies and guidelines", urls.relative(path, urls.POLICIES_INDEX)),),
        paragraphs=(
            escape_markdown(policy.summary) + " *(Summary in our own words.)*",
            " ".join(facts),
            f"Read the document: <{policy.url}>",
            f"*How its address was checked: {escape_markdown(policy.checked)}.*",
        ),
        tables=(Table(("System", "Codes it covers", "Code pages on this site"), rows, heading="Codes"),),
        source=policy.source_path,
    )


def policies_index(catalog: Catalog) -> IndexPage:
    """Every document by kind, with its publisher and the codes it covers; the ones covering whole systems."""
    path = urls.POLICIES_INDEX
    policies = sorted(catalog.content.policies, key=lambda policy: policy.title)
    reach = catalog.policy_reach

    def row(policy: Policy) -> tuple[str, str, str]:
        link = f"[{escape_markdown(cited_title(policy))}]({urls.relative(path, urls.policy_page(policy.id))})"
        return link, escape_markdown(policy.publisher), escape_markdown(_reach_text(catalog, policy))

    tables = []
    for system in POLICY_ORDER:
        general = [policy for policy in policies if reach.general(policy, system)]
        if general:
            tables.append(Table(("Document", "Publisher", "Codes covered"), tuple(row(policy) for policy in general),
                                heading=f"General documents for {SYSTEMS[system].name} codes {{: #{general_anchor(system)} }}",
                                intro=f"Each covers at least {GENERAL_SHARE:.0%} of the {SYSTEMS[system].name} code pages; "
                                      "code pages list the narrower documents that cover them, and link here."))
    for kind in POLICY_KINDS:
        chosen = [policy for policy in policies if policy.kind == kind]
        if chosen:
            tables.append(Table(("Document", "Publisher", "Codes covered"), tuple(row(policy) for policy in chosen),
                                heading=f"{plural(kind).capitalize()} ({len(chosen)})"))
    publishers = Counter(policy.publisher for policy in policies)
    tables.append(Table(("Publisher", "Documents"), tuple((escape_markdown(name), str(count))
                                                          for name, count in sorted(publishers.items())),
                        heading="By publisher"))
    return IndexPage(
        path=path,
        title="Policies and guidelines",
        description="Public coding guidelines, Medicare manuals, coverage determinations and payer policies, "
                    "and the codes each covers.",
        heading="Policies and guidelines",
        paragraphs=(
            f"{len(policies)} public documents: official coding guidelines, Medicare manual chapters, national and "
            "local coverage determinations, billing articles and health-plan policies. Each code page lists the ones "
            "that cover it, the most specific first. Summaries are in our own words; every address was seen in a "
            "public copy of the document or cited by an official one, and each page says how.",
        ),
        tables=tuple(tables),
    )


def policy_pages(catalog: Catalog) -> list[IndexPage]:
    """The index and one page per document; none when the content has no policies."""
    if not catalog.content.policies:
        return []
    return [policies_index(catalog)] + [policy_page(catalog, policy) for policy in catalog.content.policies]
