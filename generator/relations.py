"""Catalog and relations: every published code with its curated content, families, policies and similar codes.

Everything a page shows about other codes is computed here, so templates only print.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .codes import cpt_kind, is_group_key, scope_stretch, sort_key, stretch
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
        self._policy_reach = PolicyReach(content.policies, set(self.official.systems()), {
            # An official system's pages are its release's codes; a curated system's (CPT), its records.
            system: sorted(self.official.page_keys(system) if system in self.official.systems()
                           else codes_by_system.get(system, ()), key=sort_key)
            for system in {*self.official.systems(), *codes_by_system}
        })

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
            start, end = stretch(family.range, keys)
            for code in codes[start:end]:
                if code in family.range:
                    chains.setdefault(code, []).append(family)
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
        """The policies covering a code, in page order: by kind (the order :data:`POLICY_ORDER` gives the
        system), then the most specific first (fewest codes covered), then by title."""
        return self._policy_reach.covering(system, code)

    @property
    def policy_reach(self) -> PolicyReach:
        return self._policy_reach

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


#: The order pages list policy kinds in, per system: guidelines first for ICD-10, coverage and payment
#: for CPT and HCPCS.
POLICY_ORDER: dict[str, tuple[str, ...]] = {
    "icd10cm": ("guideline", "manual chapter", "national coverage determination", "local coverage determination",
                "billing article", "payer policy"),
    "icd10pcs": ("guideline", "manual chapter", "national coverage determination", "local coverage determination",
                 "billing article", "payer policy"),
    "cpt": ("national coverage determination", "local coverage determination", "billing article", "manual chapter",
            "payer policy", "guideline"),
    "hcpcs": ("national coverage determination", "local coverage determination", "billing article", "manual chapter",
              "payer policy", "guideline"),
}


#: A document covering at least this share of a system's code pages is general for the system (the ICD-10-CM
#: conventions, the NCCI manual's general chapter): code pages link the list of them, rather than each.
GENERAL_SHARE = 0.9


#: A coverage or payment document is specific to a code when it covers at most this share of its system's
#: code pages (for CPT, whose list of numbers is not public: of the numbers of its code set, 100,000 Category I
#: numbers, 10,000 each of the F, T and U codes).
SPECIFIC_SHARE = 0.02
CPT_NUMBERS = {"0": 100_000, "F": 10_000, "T": 10_000, "U": 10_000, "M": 10_000}


def _cpt_number(code: str) -> int:
    """``99213`` → 99213; ``0001T`` → 1 (a Category II or III code by its four digits)."""
    return int(code) if code.isdigit() else int(code[:4])


class PolicyReach:
    """Which published codes each policy covers, computed once over every system's codes in code order."""

    def __init__(self, policies: Sequence[Policy], complete: set[str], codes: dict[str, list[str]]) -> None:
        """``codes``: every published code per system, in code order; ``complete``: the systems whose codes
        are all known (the official releases read; CPT's numbers are not public, only its records are here)."""
        self._codes = codes
        self._complete = complete
        self._position = {system: {code: index for index, code in enumerate(keys)} for system, keys in codes.items()}
        keys = {system: [sort_key(code) for code in system_codes] for system, system_codes in codes.items()}
        #: Per system: (policy, its code stretches) for every policy naming the system.
        self._stretches: dict[str, list[tuple[Policy, tuple[tuple[int, int], ...]]]] = {}
        self._counts: dict[tuple[str, str], int] = {}
        for policy in policies:
            for system, scopes in policy.scopes.items():
                stretches = tuple(scope_stretch(system, scope, keys.get(system, [])) for scope in scopes)
                self._stretches.setdefault(system, []).append((policy, stretches))
                self._counts[(policy.id, system)] = len(self._covered(system, policy, stretches))

    def _covered(self, system: str, policy: Policy, stretches: Sequence[tuple[int, int]]) -> set[int]:
        codes = self._codes.get(system, [])
        return {index for start, end in stretches for index in range(start, end)
                if system != "cpt" or policy.covers(system, codes[index])}

    def count(self, policy: Policy, system: str) -> int:
        """How many of the system's published codes the policy covers."""
        return self._counts.get((policy.id, system), 0)

    def total(self, system: str) -> int:
        return len(self._codes.get(system, ()))

    def general(self, policy: Policy, system: str) -> bool:
        """Whether the policy covers so much of a system whose codes are all known (at least
        :data:`GENERAL_SHARE` of its pages) that it is a general document for the system, not about a code."""
        return system in self._complete and 0 < self.total(system) and \
            self.count(policy, system) >= GENERAL_SHARE * self.total(system)

    def specific(self, policy: Policy, system: str, code: str) -> bool:
        """Whether the policy is about a narrow set of codes holding ``code``, not a general one."""
        if policy.kind == "guideline" or self.general(policy, system):
            return False
        if system == "cpt":
            spans = [_cpt_number(scope.last) - _cpt_number(scope.first) + 1
                     for scope in policy.scopes.get(system, ()) if code in scope]
            return bool(spans) and min(spans) <= SPECIFIC_SHARE * CPT_NUMBERS[cpt_kind(sort_key(code))]
        return self.count(policy, system) <= SPECIFIC_SHARE * self.total(system)

    def everywhere(self, policy: Policy, system: str) -> bool:
        """Whether the policy covers every code of a system whose codes are all known."""
        return system in self._complete and 0 < self.total(system) == self.count(policy, system)

    def covering(self, system: str, code: str) -> tuple[Policy, ...]:
        position = self._position.get(system, {}).get(code)
        found = [policy for policy, stretches in self._stretches.get(system, ())
                 if (any(start <= position < end for start, end in stretches) and (system != "cpt" or policy.covers(system, code))
                     if position is not None else policy.covers(system, code))]
        order = POLICY_ORDER[system]
        return tuple(sorted(found, key=lambda policy: (order.index(policy.kind), self.count(policy, system), policy.title)))
