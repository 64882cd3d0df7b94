"""Licensed CPT descriptors, read from a file a site owner who holds an AMA licence supplies.

CPT descriptors are the American Medical Association's copyright: they are never part of this
repository and are read only in a build that names such a file (``--cpt-descriptors PATH``,
``make site CPT_DESCRIPTORS=PATH``). Two layouts are read:

- the AMA data files' tab-separated layout: a code, a tab, then the descriptor (the long, medium
  and short descriptor files share it); lines that do not start with a code (titles, notices) are
  skipped;
- a CSV file (``.csv``) of ``code,descriptor``, with or without a header row.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ..errors import Abort

CPT_CODE = re.compile(r"\d{4}[0-9FTUM]")
#: How many problems are listed before the rest are only counted.
SHOWN_PROBLEMS = 20


def read_cpt_descriptors(path: Path) -> dict[str, str]:
    """Every code's descriptor in the file; :class:`Abort` naming the file and line of each problem."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")  # the AMA's older files are Latin-1
    except OSError as error:
        raise Abort(f"{path}: cannot read the CPT descriptor file: {error}") from error
    rows: list[tuple[int, list[str]]]
    if path.suffix.lower() == ".csv":
        rows = [(number, row) for number, row in enumerate(csv.reader(text.splitlines()), 1)]
    else:
        rows = [(number, line.split("\t", 1)) for number, line in enumerate(text.splitlines(), 1)]
    descriptors: dict[str, str] = {}
    problems: list[str] = []
    for number, row in rows:
        if not row or not row[0].strip():
            continue
        code = row[0].strip().upper()
        if not CPT_CODE.fullmatch(code):
            if number == 1 or not re.match(r"\d", code):
                continue  # a header row, a title or a notice line
            problems.append(f"{path}:{number}: {code[:20]!r} is not a CPT code")
            continue
        descriptor = " ".join(row[1].split()) if len(row) > 1 else ""
        if not descriptor:
            problems.append(f"{path}:{number}: {code} has no descriptor")
        elif code in descriptors:
            problems.append(f"{path}:{number}: {code} is listed twice")
        else:
            descriptors[code] = descriptor
    if problems:
        shown = problems[:SHOWN_PROBLEMS] + ([f"… and {len(problems) - SHOWN_PROBLEMS} more"] if len(problems) > SHOWN_PROBLEMS else [])
        raise Abort("\n".join(shown) + f"\n{len(problems)} problems in the CPT descriptor file; nothing was built")
    if not descriptors:
        raise Abort(f"{path}: no CPT codes found (expected lines of a code, a tab and its descriptor, or a CSV of code,descriptor)")
    return descriptors
