"""Where the official CMS files are, and proof that they are the files this release was built from.

The files are public-domain CMS releases that are never committed. They are
looked for, in order, in: the folder given on the command line, the folder in
the ``OMC_CMS_DATA`` environment variable, ``../shared/data/cms`` beside the
project, and ``build/data/cms`` (where ``make data`` downloads them). Each file's
sha256 must match :data:`OFFICIAL_FILES`; a missing or changed file stops the
build with a message naming it.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import Abort

PROJECT = Path(__file__).resolve().parents[2]
ENVIRONMENT_VARIABLE = "OMC_CMS_DATA"
SHARED_DATA = PROJECT.parent / "shared" / "data" / "cms"
DOWNLOADED_DATA = PROJECT / "build" / "data" / "cms"


#: The fiscal-year edition a build reads unless told otherwise (``--edition``).
CURRENT_EDITION = 2026
#: The roles of the official CMS files, as the readers ask for them.
ROLES = ("pcs_tables", "pcs_definitions", "pcs_order", "hcpcs")


@dataclass(frozen=True)
class OfficialFile:
    """One official file: its name in the data folder, its sha256, and where CMS publishes it.

    ``member`` is set when CMS publishes the file inside a zip archive at ``url``;
    ``sha256`` is None for an edition whose checksums have not been pinned yet.
    """

    name: str
    sha256: str | None
    url: str
    member: str | None = None


#: The checksums of the files of each edition, pinned after the files were checked against the published counts.
PUBLISHED_CHECKSUMS: dict[int, dict[str, str]] = {
    2026: {
        "pcs_tables": "8a9020bde754a93826ae122ac6bb293271a167e34c05181f1789b5fd3038e96a",
        "pcs_definitions": "920d19c11639063bca0632e2dd230998b3137429702d0d6df143a285bb1167da",
        "pcs_order": "9bb4a892c34b82d525182a6db6ef42ccba2c7b331ac5d24d459664a1129d776d",
        "hcpcs": "8f4a26de1eca89205be02fbe48cc899c6c5930cf5d4f6b8c5a227f64450157b0",
    },
}


def official_files(edition: int = CURRENT_EDITION) -> dict[str, OfficialFile]:
    """The official CMS files of fiscal year ``edition`` by role, under the names and addresses CMS uses.

    The names and download addresses follow cms.gov's pattern for these releases (FY2026:
    ``icd10pcs_tables_2026.xml`` in ``2026-icd-10-pcs-code-tables-and-index.zip``, and so on),
    so the next edition's files are read unchanged. HCPCS is a calendar-year file: an
    edition uses the January file of its own year, which comes out within it. The
    addresses could not be fetched from the machine this was written on, so `make data`
    reports any that fail.
    """
    checksums = PUBLISHED_CHECKSUMS.get(edition, {})
    tables_zip = f"https://www.cms.gov/files/zip/{edition}-icd-10-pcs-code-tables-and-index.zip"
    order = f"{edition}-icd-10-pcs-order-file-long-and-abbreviated-titles.zip"
    hcpcs = f"january-{edition}-alpha-numeric-hcpcs-file.zip"
    return {
        "pcs_tables": OfficialFile(f"icd10pcs_tables_{edition}.xml", checksums.get("pcs_tables"), tables_zip,
                                   member=f"icd10pcs_tables_{edition}.xml"),
        "pcs_definitions": OfficialFile(f"icd10pcs_definitions_{edition}.xml", checksums.get("pcs_definitions"),
                                        tables_zip, member=f"icd10pcs_definitions_{edition}.xml"),
        "pcs_order": OfficialFile(order, checksums.get("pcs_order"), f"https://www.cms.gov/files/zip/{order}"),
        "hcpcs": OfficialFile(hcpcs, checksums.get("hcpcs"), f"https://www.cms.gov/files/zip/{hcpcs}"),
    }


#: The files of the current edition, by name.
OFFICIAL_FILES: dict[str, OfficialFile] = {entry.name: entry for entry in official_files().values()}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def locate_folder(option: Path | None, flag: str, variable: str, what: str, candidates: tuple[Path, ...]) -> Path | None:
    """The folder given by ``option`` (from ``flag``), else by ``$variable``, else the first of ``candidates``
    that exists, else None; a folder named by option or variable must exist."""
    if option is not None:
        if not option.is_dir():
            raise Abort(f"{what} {option} (from {flag}) does not exist")
        return option
    if value := os.environ.get(variable):
        if not Path(value).is_dir():
            raise Abort(f"{what} {value} (from ${variable}) does not exist")
        return Path(value)
    return next((candidate for candidate in candidates if candidate.is_dir()), None)


def locate_data_dir(option: Path | None = None) -> Path:
    """The folder to read the official files from (see the module docstring for the order)."""
    found = locate_folder(option, "--cms-data", ENVIRONMENT_VARIABLE, "CMS data folder", (SHARED_DATA, DOWNLOADED_DATA))
    if found is None:
        raise Abort(
            f"no CMS data folder: pass --cms-data DIR, set ${ENVIRONMENT_VARIABLE}, "
            f"place the files in {SHARED_DATA}, or run `make data` to download them into {DOWNLOADED_DATA}"
        )
    return found


def verified_files(data_dir: Path, edition: int = CURRENT_EDITION) -> dict[str, Path]:
    """Paths of the official files of ``edition`` in ``data_dir`` by role, after checking each one's sha256.

    Raises :class:`Abort` naming every missing or changed file, or saying that the
    edition's checksums are not pinned yet.
    """
    problems = []
    files = official_files(edition)
    for entry in files.values():
        path = data_dir / entry.name
        if not path.is_file():
            problems.append(f"{path}: missing (official file; `make data` downloads it)")
        elif entry.sha256 is None:
            problems.append(f"{path}: no checksum is pinned for FY{edition} yet: check the files against CMS's "
                            f"published counts, add their sha256 to PUBLISHED_CHECKSUMS in {Path(__file__).name}, "
                            "or build with --unverified-data")
        elif (actual := sha256_of(path)) != entry.sha256:
            problems.append(f"{path}: sha256 {actual} differs from the expected {entry.sha256} (changed or wrong release)")
    if problems:
        raise Abort("official CMS files are not as expected:\n  " + "\n  ".join(problems))
    return {role: data_dir / entry.name for role, entry in files.items()}


def unverified_files(data_dir: Path, edition: int = CURRENT_EDITION) -> dict[str, Path]:
    return {role: data_dir / entry.name for role, entry in official_files(edition).items()}


def download(target_dir: Path = DOWNLOADED_DATA, edition: int = CURRENT_EDITION) -> list[Path]:
    """Download every official file of ``edition`` from cms.gov into ``target_dir`` and verify it.

    A file is written under its final name only after its checksum matched, so an
    interrupted or wrong download leaves nothing behind. An edition without pinned
    checksums is written as downloaded and its checksums printed, to be checked and pinned.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    archives: dict[str, bytes] = {}
    written = []
    for entry in official_files(edition).values():
        target = target_dir / entry.name
        if target.is_file() and entry.sha256 is not None and sha256_of(target) == entry.sha256:
            written.append(target)
            continue
        if entry.url not in archives:
            try:
                with urllib.request.urlopen(entry.url, timeout=60) as response:  # noqa: S310 - fixed https URLs
                    archives[entry.url] = response.read()
            except OSError as error:
                raise Abort(f"cannot download {entry.url}: {error}") from error
        data = archives[entry.url]
        if entry.member:
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    data = archive.read(entry.member)
            except (KeyError, zipfile.BadZipFile) as error:
                raise Abort(f"{entry.url}: no member {entry.member}: {error}") from error
        actual = hashlib.sha256(data).hexdigest()
        if entry.sha256 is None:
            print(f"{entry.name}: sha256 {actual} (not pinned for FY{edition}: check the file, then pin it)")
        elif actual != entry.sha256:
            raise Abort(f"{entry.url}: {entry.name} has sha256 {actual}, expected {entry.sha256}")
        partial = target.with_suffix(target.suffix + ".part")
        partial.write_bytes(data)
        shutil.move(partial, target)
        written.append(target)
    return written
