"""Benchmark corpus: search documents for every official code we can read directly.

Until the site's catalog holds all codes, the benchmarks index this corpus:

- ICD-10-CM (chapters, blocks, categories, codes) from the ``simple_icd_10_cm`` package, with
  inclusion terms and "includes" notes as synonyms;
- ICD-10-PCS (table headers and codes) from the CMS order file, with the "includes" of the
  operation, body part and device values from the CMS definitions file as synonyms;
- HCPCS Level II (active and terminated codes) from the CMS alpha-numeric file;
- CPT: the contributor records in ``content/cpt``.
"""

from __future__ import annotations

import re
import zipfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import simple_icd_10_cm as cm
import yaml

from generator.search_index import SearchDocument

PROJECT = Path(__file__).resolve().parents[2]
DATA = PROJECT.parent / "shared" / "data" / "cms"
HCPCS_ZIP = DATA / "january-2026-alpha-numeric-hcpcs-file.zip"
PCS_ORDER_ZIP = DATA / "2026-icd-10-pcs-order-file-long-and-abbreviated-titles.zip"
PCS_TABLES = DATA / "icd10pcs_tables_2026.xml"
PCS_DEFINITIONS = DATA / "icd10pcs_definitions_2026.xml"
#: HCPCS codes terminated before this date (YYYYMMDD) are inactive.
HCPCS_EDITION_START = "20260101"


def icd10cm_documents() -> Iterator[SearchDocument]:
    seen: set[str] = set()
    for item in cm.get_all_codes(True):
        if item in seen:  # a block of one category has the category's code: keep one
            continue
        seen.add(item)
        description = cm.get_description(item)
        code = item
        if cm.is_chapter(item):
            match = re.search(r"\(([A-Z]\d\d-[A-Z]\d\d)\)\s*$", description)
            if match is None:
                continue
            code = match.group(1)
            description = description[: match.start()].strip()
        elif cm.is_block(item):
            description = re.sub(r"\s*\([A-Z]\d\d-[A-Z]\d\d\)\s*$", "", description)
        synonyms = tuple(cm.get_inclusion_term(item)) + tuple(cm.get_includes(item))
        yield SearchDocument(
            system="icd10cm", code=code, title=description, name=None, synonyms=synonyms, text="",
            url=f"icd10cm/{code}.html", billable=cm.is_leaf(item) and not cm.is_chapter_or_block(item), active=True,
        )


def _pcs_includes() -> dict[tuple[str, str, str], tuple[str, ...]]:
    """``(section, axis position, value title)`` → includes, from the definitions file."""
    found: dict[tuple[str, str, str], tuple[str, ...]] = {}
    root = ET.parse(PCS_DEFINITIONS).getroot()
    for section in root.iter("section"):
        for axis in section.iter("axis"):
            for term in axis.iter("terms"):
                includes = tuple(element.text.strip() for element in term.findall("includes") if element.text)
                if includes:
                    for title in term.findall("title"):
                        found[(section.get("code"), axis.get("pos"), title.text.strip())] = includes
    return found


def _pcs_synonyms() -> dict[str, tuple[dict[str, tuple[str, ...]], ...]]:
    """Table (three characters) → per position 3..7: value character → includes.

    Only body parts (position 4) and devices (position 6): the "includes" of an operation
    are examples of other procedures, not other names of this one.
    """
    includes = _pcs_includes()
    tables: dict[str, tuple[dict[str, tuple[str, ...]], ...]] = {}
    for table in ET.parse(PCS_TABLES).getroot().iter("pcsTable"):
        axes = {axis.get("pos"): axis for axis in table.findall("axis")}
        section = axes["1"].find("label").get("code")
        prefix = "".join(axes[pos].find("label").get("code") for pos in ("1", "2", "3"))
        values: tuple[dict[str, tuple[str, ...]], ...] = ({}, {}, {}, {}, {})
        for row in table.findall("pcsRow"):
            for axis in row.findall("axis"):
                position = axis.get("pos")
                if position not in ("4", "6"):
                    continue
                for label in axis.findall("label"):
                    found = includes.get((section, position, label.text.strip()))
                    if found:
                        values[int(position) - 3][label.get("code")] = found
        tables[prefix] = values
    return tables


def icd10pcs_documents() -> Iterator[SearchDocument]:
    tables = _pcs_synonyms()
    with zipfile.ZipFile(PCS_ORDER_ZIP) as archive:
        lines = archive.read("icd10pcs_order_2026.txt").decode("latin-1").splitlines()
    for line in lines:
        code = line[6:13].strip()
        if not code:
            continue
        valid = line[14] == "1"
        long_title = line[77:].strip()
        short_title = line[16:76].strip()
        synonyms: list[str] = []
        table = tables.get(code[:3])
        if table is not None:
            for position, char in enumerate(code[2:7]):
                for term in table[position].get(char, ()):
                    if term not in synonyms:
                        synonyms.append(term)
        yield SearchDocument(
            system="icd10pcs", code=code, title=long_title, name=None, synonyms=tuple(synonyms),
            text=short_title if valid and short_title != long_title else "", url=f"icd10pcs/{code}.html", billable=valid, active=True,
        )


def hcpcs_documents() -> Iterator[SearchDocument]:
    with zipfile.ZipFile(HCPCS_ZIP) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".txt") and "ANWEB" in n and "Correction" not in n)
        lines = archive.read(name).decode("latin-1").splitlines()
    records: dict[str, dict[str, str]] = {}
    for line in lines:
        if len(line) < 12 or line[10] not in "34":
            continue
        code = line[0:5].strip()
        if line[10] == "3":
            records[code] = {"long": line[11:91].strip(), "short": line[91:119].strip(), "end": line[284:292].strip()}
        elif code in records:
            records[code]["long"] += " " + line[11:91].strip()
    for code, record in records.items():
        yield SearchDocument(
            system="hcpcs", code=code, title=record["long"], name=None, synonyms=(), text=record["short"],
            url=f"hcpcs/{code}.html", billable=True, active=not record["end"] or record["end"] >= HCPCS_EDITION_START,
        )


def cpt_documents(content: Path = PROJECT / "content") -> Iterator[SearchDocument]:
    for path in sorted((content / "cpt").glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        name = " ".join(str(record["name"]).split())
        synonyms = tuple(record.get("common_names") or ()) + tuple(record.get("synonyms") or ())
        summary = " ".join(str(record.get("summary") or "").split())
        yield SearchDocument(
            system="cpt", code=str(record["code"]), title=name, name=name, synonyms=synonyms, text=summary[:300],
            url=f"cpt/{record['code']}.html", billable=True, active=True,
        )


def all_documents() -> list[SearchDocument]:
    return [*icd10cm_documents(), *cpt_documents(), *hcpcs_documents(), *icd10pcs_documents()]


if __name__ == "__main__":
    documents = all_documents()
    by_system: dict[str, int] = {}
    for document in documents:
        by_system[document.system] = by_system.get(document.system, 0) + 1
    print(len(documents), by_system)
