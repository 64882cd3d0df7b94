"""Shared fixtures: a small realistic content set, and helpers to break it on purpose."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import InvalidContent
from generator.validate import load_content

TESTS = Path(__file__).resolve().parent
PROJECT = TESTS.parent
FIXTURE_CONTENT = TESTS / "fixtures" / "content"


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture content set, at ``tmp_path/content``."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def problems_of(content_dir: Path) -> list[str]:
    """Every validation problem of ``content_dir`` as printed to the user (empty when valid)."""
    try:
        load_content(content_dir)
    except InvalidContent as error:
        return [str(problem) for problem in error.problems]
    return []


def run_build(content: Path, root: Path) -> subprocess.CompletedProcess[str]:
    """Run the real build command on ``content``, writing ``root/build`` and ``root/site``."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--content", str(content), "--build-dir", str(root / "build"),
         "--site-dir", str(root / "site"), "--systems", "cpt", "build"],
        capture_output=True, text=True, cwd=PROJECT,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture content set built in strict mode; the path of its site folder."""
    root = tmp_path_factory.mktemp("fixture-site")
    result = run_build(FIXTURE_CONTENT, root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"
