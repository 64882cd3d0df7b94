"""Sources stage: the official code sets, read from their release files and checked.

Each reader lives in :mod:`generator.sources`; this module decides where their
files are, verifies them, reads the systems asked for, and checks the counts of
a verified release against the figures CMS and the CDC publish.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .codes import is_group_key
from .errors import Abort
from .sources import cms_files

if TYPE_CHECKING:  # the readers are imported only when their system is read
    from .sources.hcpcs import HcpcsRelease
    from .sources.icd10cm import CmRelease
    from .sources.icd10pcs import PcsRelease
    from .sources.reference import ReferenceData

OFFICIAL_SYSTEMS = ("icd10cm", "icd10pcs", "hcpcs")
#: The edition the coders' reference data (MS-DRG v43.1, CCSR, CMS-HCC, history up to FY2026) belongs to: a build of
#: another edition leaves it out rather than show FY2026 facts on its pages.
REFERENCE_EDITION = 2026


@dataclass
class OfficialCodes:
    """The official releases that were read (a system not read is ``None``)."""

    icd10cm: CmRelease | None = None
    icd10pcs: PcsRelease | None = None
    hcpcs: HcpcsRelease | None = None
    #: Whether the files were checked against the official checksums (fixture builds are not).
    verified: bool = False
    #: Licensed CPT descriptors by code, only when a site owner supplied the AMA's file for this build.
    cpt_descriptors: dict[str, str] | None = None
    #: The coders' reference data for ICD-10-CM pages (GEMs, CCSR, CMS-HCC, code history), when read.
    reference: ReferenceData | None = None
    _titles: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    def systems(self) -> list[str]:
        return [system for system in OFFICIAL_SYSTEMS if getattr(self, system) is not None]

    def titles(self, system: str) -> dict[str, str]:
        """Official title of every code of ``system`` (codes and headers that get a page)."""
        if system not in self._titles:
            self._titles[system] = _titles_of(system, getattr(self, system))
        return self._titles[system]

    def page_keys(self, system: str) -> list[str]:
        """The key of every code page of ``system``: its codes and headers, and for HCPCS its modifiers
        (``modifier-GY``); none for a system not read."""
        if system not in self.systems():
            return []
        if system == "hcpcs":
            return list(self.hcpcs.page_keys())
        return list(self.titles(system))

    def exists(self, system: str, code: str) -> bool:
        if system == "cpt":
            return self.cpt_descriptors is not None and code in self.cpt_descriptors
        return getattr(self, system, None) is not None and code in self.titles(system)

    def describes(self, system: str, key: str) -> bool:
        """Whether a record may describe ``key``: an official code, or a group the system has records for.

        ICD-10-PCS groups are a table (``0DT``) and a table with a body part (``0DTJ``); HCPCS has one
        group, ``modifiers``, for all its modifiers.
        """
        if self.exists(system, key):
            return True
        if system == "hcpcs" and self.hcpcs is not None and is_group_key(system, key):
            return True  # the group of all modifiers
        if system == "icd10pcs" and self.icd10pcs is not None and is_group_key(system, key):
            if len(key) == 3:
                return key in self.icd10pcs.tables
            return any(code.startswith(key) for code in self.icd10pcs.codes)
        return False

    def title(self, system: str, code: str) -> str | None:
        if system == "cpt":
            return self.cpt_descriptors.get(code) if self.cpt_descriptors is not None else None
        return self.titles(system).get(code) if getattr(self, system, None) is not None else None


def _titles_of(system: str, release: Any) -> dict[str, str]:
    if release is None:
        return {}
    if system == "hcpcs":
        titles = {code: entry.long_description for code, entry in release.codes.items()}
        titles.update({code: entry.long_description for code, entry in release.modifiers.items()})
        return titles
    if system == "icd10pcs":
        return {code: entry.long_title for code, entry in release.codes.items()}
    return {key: node.title for key, node in release.nodes.items() if node.kind.value not in ("chapter", "block")}


def load_official(systems: tuple[str, ...], cms_data: Path | None = None, icd10cm_xml: Path | None = None,
                  verify: bool = True, reference_data: Path | None = None,
                  edition: int = cms_files.CURRENT_EDITION, reference: bool = False) -> OfficialCodes:
    """Read the official releases of ``systems``; with ``reference`` and ICD-10-CM, the coders' reference data.

    With ``verify`` (the default), the CMS files must match their published
    checksums and each release's counts must match the published figures, and the
    reference data must be there (see :mod:`generator.sources.reference_files`);
    ``edition`` is the fiscal year whose files are read (the CMS files are named by it);
    without it (fixture builds), files are read as they are and a build without a
    reference data folder has no reference sections.
    """
    official = OfficialCodes(verified=verify)
    wanted = [system for system in systems if system in OFFICIAL_SYSTEMS]
    if verify and edition not in cms_files.PUBLISHED_CHECKSUMS:
        raise Abort(f"no checksums or counts are pinned for FY{edition} yet, so its files cannot be read as verified: "
                    "build with --unverified-data, or pin them in generator/sources/cms_files.py")
    if "icd10cm" in wanted and icd10cm_xml is None and edition != cms_files.CURRENT_EDITION:
        raise Abort(f"the simple-icd-10-cm package holds ICD-10-CM FY{cms_files.CURRENT_EDITION}: for FY{edition} "
                    f"pass --icd10cm-xml with the CDC's tabular XML of that edition (icd10cm-tabular-{edition}.xml)")
    # The reference data is for the current edition. Its earlier ICD-10-CM editions (for code history) are read
    # by another process meanwhile.
    reference = reference and "icd10cm" in wanted and edition == REFERENCE_EDITION
    reference_dir = _reference_dir(reference_data, verify) if reference else None
    older = _start_older_editions(reference_dir) if reference_dir is not None else None
    if {"icd10pcs", "hcpcs"} & set(wanted):
        data_dir = cms_files.locate_data_dir(cms_data)
        files = (cms_files.verified_files if verify else cms_files.unverified_files)(data_dir, edition)
        if "hcpcs" in wanted:
            from .sources.hcpcs import read_hcpcs

            official.hcpcs = read_hcpcs(files["hcpcs"])
        if "icd10pcs" in wanted:
            from .sources.icd10pcs import read_icd10pcs

            official.icd10pcs = read_icd10pcs(files["pcs_tables"], files["pcs_definitions"], files["pcs_order"])
            _check_edition("ICD-10-PCS", official.icd10pcs.label, edition)
    if "icd10cm" in wanted:
        from .sources.icd10cm import read_icd10cm

        official.icd10cm = read_icd10cm(icd10cm_xml)
        _check_edition("ICD-10-CM", official.icd10cm.label, edition)
        if reference:
            official.reference = _reference(official.icd10cm, reference_dir, verify, older)
    if verify and edition == cms_files.CURRENT_EDITION:
        check_counts(official)   # the published figures are pinned with the checksums, for the current edition
    return official


def _check_edition(name: str, label: str, edition: int) -> None:
    """Stop when a file holds another edition than the one asked for (``--edition``)."""
    from .editions import fiscal_edition

    found = fiscal_edition("icd10cm", label)
    if found is not None and found.label != f"FY{edition}":
        raise Abort(f"the {name} files read are {found.label} ({label}), but FY{edition} was asked for (--edition)")


def _reference_dir(option: Path | None, verify: bool) -> Path | None:
    from .sources import reference_files

    data_dir = reference_files.locate_data_dir(option, default=verify)
    if data_dir is None and verify:
        raise Abort(f"no reference data folder: run `make reference-data` to download it into "
                    f"{reference_files.DOWNLOADED_DATA}, "
                    f"or pass --reference-data DIR or set ${reference_files.ENVIRONMENT_VARIABLE}")
    return data_dir


def _start_older_editions(data_dir: Path) -> Future:
    from .sources.reference import older_editions

    # A new interpreter, not a fork: the caller may have threads running (the progress heartbeat).
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    future = pool.submit(older_editions, data_dir)
    pool.shutdown(wait=False)
    return future


def _reference(release: CmRelease, data_dir: Path | None, verify: bool, older: Future | None) -> ReferenceData | None:
    from .editions import fiscal_edition
    from .sources.reference import load_reference

    if data_dir is None:
        return None
    edition = fiscal_edition("icd10cm", release.label)
    return load_reference(data_dir, release, edition.end.year if edition else 0, verify,
                          older.result() if older is not None else None)


#: Published figures of the releases the checksums in cms_files name.
EXPECTED_COUNTS = {
    "hcpcs codes": 8_623,
    "hcpcs active codes": 7_323,
    "hcpcs modifiers": 383,
    "icd10pcs valid codes": 79_193,
    "icd10cm items": 98_466,
    "icd10cm billable codes": 74_719,
}


def measured_counts(official: OfficialCodes) -> dict[str, int]:
    counts: dict[str, int] = {}
    if official.hcpcs is not None:
        counts["hcpcs codes"] = len(official.hcpcs.codes)
        counts["hcpcs active codes"] = len(official.hcpcs.active_codes())
        counts["hcpcs modifiers"] = len(official.hcpcs.modifiers)
    if official.icd10pcs is not None:
        counts["icd10pcs valid codes"] = len(official.icd10pcs.codes)
    if official.icd10cm is not None:
        figures = official.icd10cm.counts()
        counts["icd10cm items"] = figures["items"]
        counts["icd10cm billable codes"] = figures["billable"]
    return counts


def check_counts(official: OfficialCodes) -> None:
    """Stop the build when a verified release does not have the published number of codes."""
    wrong = [
        f"{name}: {count:,} read, {EXPECTED_COUNTS[name]:,} expected"
        for name, count in measured_counts(official).items()
        if count != EXPECTED_COUNTS[name]
    ]
    if wrong:
        raise Abort("the official releases do not have the published counts:\n  " + "\n  ".join(wrong))
