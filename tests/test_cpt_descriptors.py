"""Licensed CPT descriptors (issue 8): read only from a file the site owner supplies, never into content/.

The fixture files hold invented text ("Fixture descriptor for 99213"), never real descriptors.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_CONTENT, FIXTURES, PROJECT, run_build

from generator.errors import Abort
from generator.sources.cpt_descriptors import read_cpt_descriptors

TSV = FIXTURES / "cpt" / "descriptors.txt"
CSV = FIXTURES / "cpt" / "descriptors.csv"


def test_reads_the_tab_separated_layout_and_csv() -> None:
    assert read_cpt_descriptors(TSV) == {
        "99213": "Fixture descriptor for 99213", "96417": "Fixture descriptor for 96417",
        "0591T": "Fixture descriptor for 0591T", "3008F": "Fixture descriptor for 3008F"}
    assert read_cpt_descriptors(CSV) == {
        "99213": "Fixture descriptor for 99213, from a CSV", "96413": "Fixture descriptor for 96413"}


def test_bad_lines_are_named_by_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "LONGULT.txt"
    bad.write_text("Title line\n99213\tFixture\n9921\tShort code\n99214\t\n99213\tAgain\n", encoding="utf-8")
    with pytest.raises(Abort) as error:
        read_cpt_descriptors(bad)
    assert str(error.value).splitlines() == [
        f"{bad}:3: '9921' is not a CPT code",
        f"{bad}:4: 99214 has no descriptor",
        f"{bad}:5: 99213 is listed twice",
        "3 problems in the CPT descriptor file; nothing was built",
    ]
    with pytest.raises(Abort, match="cannot read the CPT descriptor file"):
        read_cpt_descriptors(tmp_path / "missing.txt")


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_licensed_build_pages_search_marking_and_nothing_written_into_content(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    before = _tree_digest(content)
    result = run_build(content, tmp_path, "--cpt-descriptors", str(TSV))
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    # Every code in the file has a page, with the descriptor and the marking.
    for code in ("99213", "96417", "0591T", "3008F"):
        page = (site / f"cpt/{code}.html").read_text(encoding="utf-8")
        assert f"<span class=\"omc-code-id\">{code}</span> Fixture descriptor for {code}</h1>" in page
        assert "CPT® descriptor © American Medical Association, used under license" in page
    # A written record keeps its sections; its plain-language name moves below the descriptor.
    written = (site / "cpt/96417.html").read_text(encoding="utf-8")
    assert "In plain words: Each extra chemotherapy drug given one after another by IV drip, up to 1 hour" in written
    assert '<h2 id="patient-experience">' in written
    # Search finds the descriptor's code and words.
    search = subprocess.run([sys.executable, "-m", "generator", "--site-dir", str(site), "search", "99213"],
                            capture_output=True, text=True, cwd=PROJECT)
    assert search.stdout.splitlines()[0].split() == ["1.", "CPT", "99213", "Fixture", "descriptor", "for", "99213"]
    assert _tree_digest(content) == before
    assert not any("Fixture descriptor" in path.read_text(encoding="utf-8", errors="ignore")
                   for path in PROJECT.joinpath("content").rglob("*.yaml"))


def test_without_the_option_no_descriptor_appears(site: Path) -> None:
    assert not (site / "cpt/99213.html").exists()
    assert (site / "cpt/96417.html").exists()
    assert not any("used under license" in path.read_text(encoding="utf-8") for path in site.rglob("*.html"))
