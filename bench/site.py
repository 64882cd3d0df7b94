"""Full-site benchmark: build the whole default site and print where the time, memory and bytes go.

    python -m bench.site [--skip-build]

Figures printed (budgets from the project's issues): wall time of the full build
(≤ 5 minutes) and of each stage, peak memory of the build's process tree
(≤ 6 GB, summed as PSS so pages shared by forked workers count once), size of
``site/`` and of the tar GitHub Pages uploads (≤ 1,000,000,000 bytes), split by folder, files, average bytes per
code page per system, and a check that every official code's URL exists in
``site/`` and names that code.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from generator import urls
from generator.official import load_official
from generator.pages.hcpcs import modifier_page
from generator.pages.icd10cm import INDEX_KINDS, node_page
from generator.pages.icd10pcs import table_page

PROJECT = Path(__file__).resolve().parents[1]
SITE = PROJECT / "site"
SIZE_BUDGET = 1_000_000_000
TIME_BUDGET = 300.0
MEMORY_BUDGET = 6 * 1024**3


def tar_bytes(site: Path) -> int:
    """The size of ``tar cf`` of ``site``: a 512-byte header per file and folder, data padded to 512 bytes,
    two zero blocks at the end, the whole rounded up to tar's 10,240-byte records (GNU tar's defaults).
    Long paths (over 100 bytes) take a second header and the name's blocks."""
    size = 0
    for folder, folders, names in os.walk(site):
        relative = os.path.relpath(folder, site.parent)
        size += 512 + (_long_name(relative + "/"))
        for name in names:
            path = os.path.join(folder, name)
            size += 512 + _long_name(os.path.join(relative, name)) + -(-os.path.getsize(path) // 512) * 512
    size += 1024
    return -(-size // 10240) * 10240


def _long_name(name: str) -> int:
    length = len(name.encode("utf-8"))
    return 0 if length < 100 else 512 + -(-(length + 1) // 512) * 512


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack += children.get(pid, [])
    return found


def _pss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


def run_build() -> tuple[float, int, str]:
    """Run `python -m generator build`; return wall seconds, peak PSS of its process tree, and its output."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=PROJECT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, _pss_bytes(_descendants(process.pid)))
            time.sleep(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.communicate()[0]
    sampler.join()
    if process.returncode != 0:
        print(output)
        raise SystemExit(f"build failed with exit code {process.returncode}")
    return time.perf_counter() - started, peak, output


def site_sizes(site: Path) -> tuple[int, int, Counter[str], Counter[str]]:
    total = files = 0
    by_folder: Counter[str] = Counter()
    count_by_folder: Counter[str] = Counter()
    for folder, _, names in os.walk(site):
        relative = Path(folder).relative_to(site).parts
        key = "/".join(relative[:2]) if relative[:1] == ("assets",) else (relative[0] if relative else "(root)")
        for name in names:
            size = os.stat(os.path.join(folder, name)).st_size
            total += size
            files += 1
            by_folder[key] += size
            count_by_folder[key] += 1
    return total, files, by_folder, count_by_folder


def expected_pages() -> dict[str, list[tuple[str, str]]]:
    """Per system: (code, site path) of every official code (and ICD-10-CM chapter/block, PCS table)."""
    official = load_official(("icd10cm", "icd10pcs", "hcpcs"))
    pages: dict[str, list[tuple[str, str]]] = {"icd10cm": [], "icd10pcs": [], "hcpcs": []}
    for key, node in official.icd10cm.nodes.items():
        # Chapter and block pages are named by their titles, not a code: only their existence is checked.
        pages["icd10cm"].append((key if node.kind not in INDEX_KINDS else "", urls.built(node_page(node))))
    for code in official.icd10pcs.codes:
        pages["icd10pcs"].append((code, urls.code_page("icd10pcs", code)))
    for key in official.icd10pcs.tables:
        pages["icd10pcs"].append((key, urls.built(table_page(key))))
    for code in official.hcpcs.codes:
        pages["hcpcs"].append((code, urls.code_page("hcpcs", code)))
    for code in official.hcpcs.modifiers:
        pages["hcpcs"].append((code, modifier_page(code)))
    return pages


def check_urls(site: Path) -> dict[str, tuple[int, list[str]]]:
    """Every official code's page exists and names the code; returns per system (checked, problems)."""
    results = {}
    for system, entries in expected_pages().items():
        problems = []
        for code, path in entries:
            target = site / path
            if not target.is_file():
                problems.append(f"missing {path}")
            elif code and code not in target.read_text(encoding="utf-8", errors="replace"):
                problems.append(f"{path} does not name {code}")
        results[system] = (len(entries), problems)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-build", action="store_true", help="measure the existing site/ only")
    args = parser.parse_args()
    ok = True
    if not args.skip_build:
        seconds, peak, output = run_build()
        print(output.strip())
        print(f"\nfull build wall time: {seconds:.1f} s (budget {TIME_BUDGET:.0f} s) "
              f"{'OK' if seconds <= TIME_BUDGET else 'OVER'}")
        print(f"peak memory of the build (PSS of all its processes): {peak / 1024**2:,.0f} MiB "
              f"(budget {MEMORY_BUDGET / 1024**3:.0f} GiB) {'OK' if peak <= MEMORY_BUDGET else 'OVER'}")
        ok &= seconds <= TIME_BUDGET and peak <= MEMORY_BUDGET
    total, files, by_folder, count_by_folder = site_sizes(SITE)
    print(f"\nsite/: {total:,} bytes in {files:,} files")
    artifact = tar_bytes(SITE)
    ok &= artifact <= SIZE_BUDGET
    print(f"Pages artifact (the tar of site/ that upload-pages-artifact makes): {artifact:,} bytes "
          f"(budget {SIZE_BUDGET:,}) {'OK' if artifact <= SIZE_BUDGET else 'OVER'}")
    for folder, size in by_folder.most_common():
        count = count_by_folder[folder]
        print(f"  {folder:<22} {size:>13,} bytes {count:>8,} files  {size / max(count, 1):>8,.0f} bytes/file")
    ok &= total <= SIZE_BUDGET
    print("\nevery official code's page:")
    for system, (checked, problems) in check_urls(SITE).items():
        print(f"  {system:<9} {checked:>7,} pages checked, {len(problems)} problems" + "".join(f"\n    {p}" for p in problems[:10]))
        ok &= not problems
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
