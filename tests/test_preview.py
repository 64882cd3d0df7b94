"""`make serve`: an edited record shows on the served site within seconds, without a full build."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import FIXTURE_CONTENT, PROJECT, fixture_data_options, run_build


def _read(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local test server
        return response.read().decode("utf-8")


def _problems(server: subprocess.Popen) -> list[str]:
    """The lines the preview prints for one invalid edit, up to its closing line."""
    lines = []
    while "the preview keeps the last valid pages" not in (line := server.stdout.readline()):
        assert line, "the preview stopped"
        lines.append(line)
    return lines


def test_edit_appears_in_served_page(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    assert run_build(content, tmp_path).returncode == 0
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "generator", "--content", str(content), "--build-dir", str(tmp_path / "build"),
         "--site-dir", str(tmp_path / "site"), *fixture_data_options(tmp_path / "cms-data"), "serve", "--port", "0"],
        cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = server.stdout.readline()
        root = re.search(r"at (http://127\.0\.0\.1:\d+/)", line).group(1)
        assert "<p>Up to one hour for each additional drug.</p>" in _read(root + "cpt/96417.html")
        record = content / "cpt/96417.yaml"
        record.write_text(record.read_text(encoding="utf-8").replace(
            "duration: Up to one hour for each additional drug.", "duration: About forty minutes per extra drug."),
            encoding="utf-8")
        saved = time.perf_counter()
        while "About forty minutes per extra drug." not in _read(root + "cpt/96417.html"):
            assert time.perf_counter() - saved < 15, "the edit did not appear within 15 s"
            time.sleep(0.1)
        report = server.stdout.readline()
        assert re.fullmatch(r"content/cpt/96417\.yaml changed: \d+ pages rewritten in \d+\.\d\d s\n", report), report
        # An invalid edit is reported and leaves the served page as it was.
        record.write_text(record.read_text(encoding="utf-8").replace('code: "96367"', 'code: "96499"'), encoding="utf-8")
        assert server.stdout.readline() == "content/cpt/96417.yaml:47: similar[1]: unknown code '96499'\n"
        assert "About forty minutes per extra drug." in _read(root + "cpt/96417.html")
        server.stdout.readline()   # "1 problem found in content; the preview keeps the last valid pages"
        # Edits that used to crash validation (an impossible date, a list as a key) and editors' swap
        # files leave the preview running (issue 13, defects 2 and 6).
        (content / "cpt/.96417.yaml.swp").write_text("junk", encoding="utf-8")
        policy = content / "policies/cms-manual-drug-admin.yaml"
        policy.write_text(policy.read_text(encoding="utf-8").replace("date: 2024-01-01", "date: 2024-02-30"),
                          encoding="utf-8")
        assert any("is not a valid date" in line for line in _problems(server))
        record.write_text(record.read_text(encoding="utf-8").replace('code: "96499"', 'code: "96367"'), encoding="utf-8")
        policy.write_text(policy.read_text(encoding="utf-8").replace("date: 2024-02-30", "? [a]\n: 1\ndate: 2024-01-01"),
                          encoding="utf-8")
        assert any("a key must be a plain word" in line for line in _problems(server))
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()
