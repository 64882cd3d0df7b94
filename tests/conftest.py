"""Shared fixtures: a small realistic content set, and helpers to break it on purpose."""

from __future__ import annotations

import contextlib

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


def write_cms_fixture_data(folder: Path) -> Path:
    """Assemble the small fixture releases under the official file names, in CMS's formats (zips, CRLF)."""
    folder.mkdir(parents=True, exist_ok=True)
    pcs = FIXTURES / "icd10pcs"
    for name in ("icd10pcs_tables_2026.xml", "icd10pcs_definitions_2026.xml"):
        shutil.copy(pcs / name, folder / name)
    with zipfile.ZipFile(folder / "2026-icd-10-pcs-order-file-long-and-abbreviated-titles.zip", "w") as archive:
        order = (pcs / "icd10pcs_order_2026.txt").read_text(encoding="ascii")
        archive.writestr("icd10pcs_order_2026.txt", order.replace("\r\n", "\n").replace("\n", "\r\n"))
        addenda = (pcs / "order_addenda_2026.txt").read_text(encoding="ascii")
        archive.writestr("order_addenda_2026.txt", addenda.replace("\r\n", "\n").replace("\n", "\r\n"))
    with zipfile.ZipFile(folder / "january-2026-alpha-numeric-hcpcs-file.zip", "w") as archive:
        for member in sorted((FIXTURES / "hcpcs").iterdir()):
            if member.suffix == ".txt":
                archive.writestr(member.name, member.read_bytes())
    return folder


#: Command-line options that build every code system from the fixture releases.
def fixture_data_options(cms_data: Path) -> list[str]:
    return ["--cms-data", str(cms_data), "--icd10cm-xml", str(FIXTURE_ICD10CM), "--unverified-data"]


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
    return subprocess.run(
        [sys.executable, "-m", "generator", "--content", str(content), "--build-dir", str(root / "build"),
         "--site-dir", str(root / "site"), *fixture_data_options(cms_data), *options, "build"],
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
