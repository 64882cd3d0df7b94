"""Catalog and relations: every published code with its curated content, families, policies and similar codes.

Everything a page shows about other codes is computed here, so templates only print.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from .codes import is_group_key, sort_key
from .model import CodeRecord, Content, Family, Policy
from .official import OfficialCodes

#: How many neighbours from the same family are suggested after the curated and add-on relations.
FAMILY_NEIGHBOURS = 6


@dataclass(frozen=True)
class Related:
    """A link from one code to another, with why they are related."""

    system: str
    code: str
    name: str
    relation: str


@dataclass(frozen=True)
class CodeRelations:
    """What one curated CPT code's page shows about the rest of the catalog."""

    family: Family
    primary_codes: tuple[Related, ...]
    add_on_codes: tuple[Related, ...]
    policies: tuple[Policy, ...]
    similar: tuple[Related, ...]


class Catalog:
    """The published codes: official releases plus curated records, built once from validated input."""

    def __init__(self, content: Content, official: OfficialCodes | None = None) -> None:
        self.content = content
        self.official = official or OfficialCodes()
        self.records: dict[tuple[str, str], CodeRecord] = {
            key: record
            for key, record in sorted(content.records.items(), key=lambda item: (item[0][0], sort_key(item[0][1])))
            if not record.draft
        }
        self._add_ons_of: dict[tuple[str, str], list[str]] = {}
        codes_by_system: dict[str, list[str]] = {}
        for (system, code), record in self.records.items():
            for primary in record.primary_codes:
                self._add_ons_of.setdefault((system, primary), []).append(code)
            codes_by_system.setdefault(system, []).append(code)
        self._family_of: dict[tuple[str, str], Family] = {}
        self._members: dict[Family, list[CodeRecord]] = {}
        for system, codes in codes_by_system.items():
            chains = self.family_chains(system, codes)
            for family, members in narrowest_members(chains, codes).items():
                for code in members:
                    self._family_of[(system, code)] = family
                self._members[family] = [self.records[(system, code)] for code in members]
        self._policies: dict[str, list[Policy]] = {}
        for policy in content.policies:
            for system in set(policy.codes) | set(policy.ranges):
                self._policies.setdefault(system, []).append(policy)

    def curated_systems(self) -> list[str]:
        """Systems whose pages come from curated records grouped by families (CPT)."""
        return [system for system, families in self.content.families.items()
                if families and system not in self.official.systems()]

    def families(self, system: str) -> list[Family]:
        return sorted(self.content.families.get(system, []), key=lambda family: sort_key(family.range.first))

    def family_of(self, system: str, code: str) -> Family:
        """The narrowest family whose range holds the code."""
        return self._family_of[(system, code)]

    def codes_in(self, family: Family) -> list[CodeRecord]:
        """Published records whose narrowest family is ``family``, in code order."""
        return self._members.get(family, [])

    def curated(self, system: str, code: str) -> CodeRecord | None:
        """The published curated record of a code, if contributors wrote one."""
        return self.records.get((system, code))

    def family_tree(self, system: str) -> tuple[dict[Family, Family], dict[Family, list[Family]]]:
        """Each family's parent (the narrowest other family whose range holds its range) and children, in code order."""
        families = self.families(system)
        parent: dict[Family, Family] = {}
        children: dict[Family, list[Family]] = {}
        for family in families:
            holders = [other for other in families if other is not family
                       and family.range.first in other.range and family.range.last in other.range]
            if holders:
                parent[family] = min(holders, key=lambda holder: holder.range.width)
                children.setdefault(parent[family], []).append(family)
        return parent, children

    def family_chains(self, system: str, codes: Sequence[str]) -> dict[str, tuple[Family, ...]]:
        """For each of ``codes`` (sorted in code order), the families holding it, narrowest first."""
        keys = [sort_key(code) for code in codes]
        chains: dict[str, list[Family]] = {}
        for family in self.families(system):
            index = bisect.bisect_left(keys, sort_key(family.range.first))
            last = sort_key(family.range.last)
            # Membership is by prefix, so a range's codes lie in one stretch of code order (CPT's F, T and U
            # codes sort among the numbers, so the stretch may hold codes of another kind: test each).
            while index < len(codes) and keys[index][: len(last)] <= last:
                if codes[index] in family.range:
                    chains.setdefault(codes[index], []).append(family)
                index += 1
        return {code: tuple(sorted(chain, key=lambda family: family.range.width)) for code, chain in chains.items()}

    def records_under(self, system: str, group: str) -> list[tuple[str, CodeRecord]]:
        """Published records of the narrower groups inside ``group`` (``0DTJ`` inside table ``0DT``), in code order."""
        return [(code, record) for (record_system, code), record in self.records.items()
                if record_system == system and code != group and code.startswith(group) and is_group_key(system, code)]

    def title_of(self, system: str, code: str) -> str:
        """The official title of a code, else its curated plain-language name."""
        official = self.official.title(system, code)
        if official is not None:
            return official
        return self.records[(system, code)].name

    def policies_for(self, system: str, code: str) -> tuple[Policy, ...]:
        return tuple(sorted((policy for policy in self._policies.get(system, ()) if policy.covers(system, code)),
                            key=lambda policy: (policy.publisher, policy.title)))

    def add_ons_of(self, system: str, code: str) -> tuple[Related, ...]:
        """The add-on codes whose records name ``code`` as a primary code."""
        return tuple(Related(system, other, self.title_of(system, other), "Add-on code")
                     for other in self._add_ons_of.get((system, code), []))

    def relations(self, record: CodeRecord) -> CodeRelations:
        system, code = record.system, record.code
        family = self.family_of(system, code)

        def related(other: str, relation: str) -> Related:
            return Related(system, other, self.title_of(system, other), relation)

        primary = tuple(related(other, "Primary code") for other in record.primary_codes)
        add_ons = self.add_ons_of(system, code)
        similar: dict[str, Related] = {}
        for pick in record.similar:
            similar[pick.code] = related(pick.code, pick.reason or "Related code")
        for link in (*primary, *add_ons):
            similar.setdefault(link.code, link)
        neighbours = [other for other in self.codes_in(family) if other.code != code and other.code not in similar]
        neighbours.sort(key=lambda other: abs(int(sort_key(other.code), 36) - int(sort_key(code), 36)))
        for other in neighbours[:FAMILY_NEIGHBOURS]:
            similar[other.code] = related(other.code, f"Same family: {family.title}")
        return CodeRelations(family, primary, add_ons, self.policies_for(system, code), tuple(similar.values()))


def narrowest_members(chains: dict[str, tuple[Family, ...]], codes: Sequence[str]) -> dict[Family, list[str]]:
    """Each family's codes among ``codes`` (in their order) whose narrowest family it is; ``chains`` as
    :meth:`Catalog.family_chains` gives them."""
    members: dict[Family, list[str]] = {}
    for code in codes:
        if code in chains:
            members.setdefault(chains[code][0], []).append(code)
    return members


def family_ancestors(parent: dict[Family, Family], family: Family) -> list[Family]:
    """The families holding ``family``, widest first (``parent`` as :meth:`Catalog.family_tree` gives it)."""
    trail = []
    above = parent.get(family)
    while above is not None:
        trail.append(above)
        above = parent.get(above)
    return trail[::-1]
