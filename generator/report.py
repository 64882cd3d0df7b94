"""The content report (``make content-report``): how much of the site explains itself, and how readably.

Per system and level of the hierarchy: the records written, the code pages with text of their
own, the pages that show a group's text ("About E11 …"), and the pages with none; the draft and
reviewed records; the readability of summaries (Flesch–Kincaid grade, by ``textstat``), with
every summary above grade 12 listed as a warning.
"""

from __future__ import annotations

import datetime
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from .editions import fiscal_edition
from .pages.render import SystemPages
from .relations import Catalog
from .style import GRADE_LIMIT, reading_grade


@dataclass
class LevelCounts:
    pages: int = 0
    own: int = 0
    inherited: int = 0

    @property
    def none(self) -> int:
        return self.pages - self.own - self.inherited


@dataclass
class Report:
    #: (system, level) → counts of code pages.
    levels: dict[tuple[str, str], LevelCounts] = field(default_factory=dict)
    #: system → records written (including group records with no code page of their own).
    records: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    grades: list[float] = field(default_factory=list)
    #: (record path, grade) of summaries above the limit.
    hard: list[tuple[str, float]] = field(default_factory=list)
    #: (record path, the edition it was written against, the edition the site is built from).
    stale: list[tuple[str, str, str]] = field(default_factory=list)
    #: system → code pages listing a policy; listing one narrower than the system's general ones.
    with_policy: Counter[str] = field(default_factory=Counter)
    with_narrow_policy: Counter[str] = field(default_factory=Counter)
    #: system → (codes with a record of their own, those with a specific coverage or payment document).
    written_specific: dict[str, list[int]] = field(default_factory=dict)
    #: Policy records by kind and by publisher.
    policy_kinds: Counter[str] = field(default_factory=Counter)
    policy_publishers: Counter[str] = field(default_factory=Counter)


def built_editions(catalog: Catalog) -> dict[str, str]:
    """The edition of each release the site is built from, written as records write it (``FY2026``, ``2026``)."""
    editions = {"cpt": str(datetime.date.today().year)}
    official = catalog.official
    for system in official.systems():
        label = getattr(official, system).label
        if (edition := fiscal_edition(system, label)) is not None:
            editions[system] = edition.label
        elif year := re.search(r"20\d\d", label):
            editions[system] = year.group(0)   # a calendar-year release (HCPCS)
    return editions


def content_report(catalog: Catalog, builders: list[SystemPages]) -> Report:
    report = Report()
    current = built_editions(catalog)
    for (system, _), record in catalog.records.items():
        report.records[system] += 1
        report.statuses[record.status] += 1
        summary = record.sections.get("summary")
        if isinstance(summary, str):
            grade = reading_grade(summary)
            report.grades.append(grade)
            if grade > GRADE_LIMIT:
                report.hard.append((record.source_path, grade))
        if system in current and record.edition and record.edition != current[system]:
            report.stale.append((record.source_path, record.edition, current[system]))
    for builder in builders:
        for key in builder.code_keys():
            counts = report.levels.setdefault((builder.system, builder.level_of(key)), LevelCounts())
            counts.pages += 1
            if catalog.curated(builder.system, key) is not None:
                counts.own += 1
            elif any(group is not None for group in builder.groups_of(key)):
                counts.inherited += 1
            policies = catalog.policies_for(builder.system, key)
            report.with_policy[builder.system] += bool(policies)
            report.with_narrow_policy[builder.system] += any(
                not catalog.policy_reach.general(policy, builder.system) for policy in policies)
            if builder.system in ("cpt", "hcpcs") and catalog.curated(builder.system, key) is not None \
                    and builder.level_of(key) == "code":
                tally = report.written_specific.setdefault(builder.system, [0, 0])
                tally[0] += 1
                tally[1] += any(catalog.policy_reach.specific(policy, builder.system, key) for policy in policies)
    report.policy_kinds.update(policy.kind for policy in catalog.content.policies)
    report.policy_publishers.update(policy.publisher for policy in catalog.content.policies)
    return report


def format_report(report: Report, names: dict[str, str]) -> str:
    rows = [("system", "level", "code pages", "own text", "inherited", "none")]
    totals = LevelCounts()
    for (system, level), counts in report.levels.items():
        rows.append((names.get(system, system), level, f"{counts.pages:,}", f"{counts.own:,}",
                     f"{counts.inherited:,}", f"{counts.none:,}"))
        totals.pages += counts.pages
        totals.own += counts.own
        totals.inherited += counts.inherited
    rows.append(("all", "", f"{totals.pages:,}", f"{totals.own:,}", f"{totals.inherited:,}", f"{totals.none:,}"))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) if index < 2 else cell.rjust(width) for index, (cell, width)
                       in enumerate(zip(row, widths))) for row in rows]
    written = ", ".join(f"{names.get(system, system)} {count:,}" for system, count in sorted(report.records.items()))
    lines.append(f"records: {sum(report.records.values()):,} ({written}); "
                 + ", ".join(f"{status} {count:,}" for status, count in sorted(report.statuses.items())))
    if report.grades:
        grades = sorted(report.grades)
        ninetieth = grades[min(len(grades) - 1, int(0.9 * len(grades)))]
        lines.append(f"summaries: {len(grades):,}, Flesch-Kincaid grade median {statistics.median(grades):.1f}, "
                     f"90th percentile {ninetieth:.1f}; {len(report.hard)} above grade {GRADE_LIMIT:g}")
    pages = {system: sum(counts.pages for (key, _), counts in report.levels.items() if key == system)
             for system, _ in report.levels}
    lines.append("policies: " + f"{sum(report.policy_kinds.values())} records ("
                 + ", ".join(f"{kind} {count}" for kind, count in sorted(report.policy_kinds.items())) + ")")
    lines.append("code pages listing a policy: " + "; ".join(
        f"{names.get(system, system)} {report.with_policy[system]:,} of {total:,} "
        f"({report.with_narrow_policy[system]:,} one narrower than the general documents)"
        for system, total in pages.items()))
    if report.written_specific:
        lines.append("codes with a record of their own and a specific coverage or payment document: " + "; ".join(
            f"{names.get(system, system)} {specific:,} of {written:,}"
            for system, (written, specific) in sorted(report.written_specific.items())))
    lines.append("policy publishers: " + "; ".join(f"{name} {count}" for name, count in sorted(report.policy_publishers.items())))
    if report.stale:
        lines.append(f"records to review for a new edition: {len(report.stale)}")
        lines += [f"review: {path}: written against {written}; the site is built from {built}: check the codes it cites"
                  for path, written, built in sorted(report.stale)]
    for path, grade in sorted(report.hard, key=lambda item: -item[1]):
        lines.append(f"warning: {path}: summary reads at grade {grade:.1f} (above {GRADE_LIMIT:g}): use shorter words and sentences")
    return "\n".join(lines)
