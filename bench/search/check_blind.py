"""Check the blind search relevance set (bench/search/relevance_blind.json).

    .venv/bin/python -m bench.search.check_blind [path]

Checks the shape of the file (a JSON list of {query, kind, expected, note},
five kinds with at least 60 queries each, unique queries, 1-6 unique expected
codes each) and that every expected code exists in the official releases
(ICD-10-CM codes and categories, ICD-10-PCS codes and 3-character tables,
HCPCS Level II).  CPT numbers are not in those releases: they are allowed only
in procedure queries that also give an ICD-10-PCS or ICD-10-CM answer.
Prints the counts per kind and every problem; exits 1 if there is a problem.
"""
import collections
import json
import re
import sys
from pathlib import Path

from generator.official import load_official

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "bench" / "search" / "relevance_blind.json"

KINDS = ("symptom", "condition", "procedure", "supply_drug", "shorthand")
MIN_PER_KIND = 60
MAX_EXPECTED = 6
KEYS = {"query", "kind", "expected", "note"}

CM = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")   # N39.0, I21, S72.001A
PCS = re.compile(r"^[0-9A-HJ-NP-Z]{7}$")                      # 0DTJ4ZZ (no I or O)
PCS_TABLE = re.compile(r"^[0-9A-HJ-NP-Z]{3}$")                # 0DT
HCPCS = re.compile(r"^[A-V][0-9]{4}$")                         # E0601, J9271
CPT = re.compile(r"^[0-9]{4}[0-9FTU]$")                        # 44970, 0001F


def systems_for(code, official):
    """The official systems in which `code` exists (empty if none)."""
    found = []
    if CM.match(code) and official.exists("icd10cm", code):
        found.append("icd10cm")
    if PCS.match(code) and official.exists("icd10pcs", code):
        found.append("icd10pcs")
    if PCS_TABLE.match(code) and code in official.icd10pcs.tables:
        found.append("icd10pcs")
    if HCPCS.match(code) and official.exists("hcpcs", code):
        found.append("hcpcs")
    return found


def check(path):
    problems = []
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        return [f"cannot read {path}: {err}"], collections.Counter()
    if not isinstance(data, list):
        return [f"{path}: top level is not a list"], collections.Counter()

    official = load_official(("icd10cm", "icd10pcs", "hcpcs"))
    counts = collections.Counter()
    seen = {}
    for i, entry in enumerate(data, 1):
        where = f"entry {i}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: not an object")
            continue
        if set(entry) != KEYS:
            problems.append(f"{where}: keys {sorted(entry)} (want {sorted(KEYS)})")
        query, kind = entry.get("query"), entry.get("kind")
        expected, note = entry.get("expected"), entry.get("note")
        if not isinstance(query, str) or not query.strip():
            problems.append(f"{where}: empty or missing query")
            continue
        where = f"entry {i} ({query!r})"
        norm = " ".join(query.lower().split())
        if norm in seen:
            problems.append(f"{where}: duplicate query (same as entry {seen[norm]})")
        seen.setdefault(norm, i)
        if query != query.strip():
            problems.append(f"{where}: query has leading/trailing spaces")
        if kind not in KINDS:
            problems.append(f"{where}: unknown kind {kind!r}")
        else:
            counts[kind] += 1
        if not isinstance(note, str) or not note.strip():
            problems.append(f"{where}: empty or missing note")
        if not isinstance(expected, list) or not expected:
            problems.append(f"{where}: expected must be a non-empty list")
            continue
        if len(expected) > MAX_EXPECTED:
            problems.append(f"{where}: {len(expected)} expected codes (at most {MAX_EXPECTED})")
        if len(set(map(str, expected))) != len(expected):
            problems.append(f"{where}: repeated expected code")
        official_answers = 0
        cpt = []
        for code in expected:
            if not isinstance(code, str) or code != code.strip() or not code:
                problems.append(f"{where}: bad code {code!r}")
                continue
            if CPT.match(code):
                cpt.append(code)
                continue
            if systems_for(code, official):
                official_answers += 1
            else:
                problems.append(f"{where}: code {code} NOT FOUND in the official releases")
        if cpt:
            if kind != "procedure":
                problems.append(f"{where}: CPT {', '.join(cpt)} only allowed in procedure queries")
            elif not official_answers:
                problems.append(f"{where}: CPT {', '.join(cpt)} without an ICD-10-PCS/ICD-10-CM answer")

    for kind in KINDS:
        if counts[kind] < MIN_PER_KIND:
            problems.append(f"kind {kind}: {counts[kind]} queries (need at least {MIN_PER_KIND})")
    return problems, counts


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else DEFAULT
    problems, counts = check(path)
    print(f"{path}: {sum(counts.values())} queries")
    for kind in KINDS:
        print(f"  {kind:12s} {counts[kind]}")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
