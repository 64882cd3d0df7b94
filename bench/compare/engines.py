"""The three engines: this site's split lunr index, Pagefind 1.5 and stock Material search.

Each ``run_*`` builds (or finds) the engine's index, measures it, queries it in Chromium through
the gzip server and returns rows for the table (plain dicts, also saved as JSON in the work folder).
Heavy steps run under ``nice -n 10`` and ``/usr/bin/time -v``.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.compare import subset
from bench.compare.browser import Engine, as_dicts, run_queries, summary
from bench.compare.server import GzipServer, compressible, content_type
from bench.site import _descendants, _pss_bytes

PROJECT = subset.PROJECT
PYTHON = sys.executable
NICE = ["nice", "-n", "10"]


# --------------------------------------------------------------------------------------------- helpers

def timed(command: list[str], cwd: Path, log: Path, memory_limit: int | None = None) -> dict:
    """Run ``command`` under nice and /usr/bin/time -v; wall seconds, peak RSS (time -v) and peak PSS of its
    process tree (sampled); killed (whole process group) when the tree's PSS passes ``memory_limit``."""
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as output:
        process = subprocess.Popen(NICE + ["/usr/bin/time", "-v"] + command, cwd=cwd, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        peak = 0
        killed = False

        def sample() -> None:
            nonlocal peak, killed
            while process.poll() is None:
                pss = _pss_bytes(_descendants(process.pid))
                peak = max(peak, pss)
                if memory_limit and pss > memory_limit and not killed:
                    killed = True
                    os.killpg(process.pid, signal.SIGKILL)
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        process.wait()
        sampler.join()
    seconds = time.perf_counter() - started
    text = log.read_text(encoding="utf-8", errors="replace")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return {"seconds": round(seconds, 1), "exit": process.returncode, "killed": killed,
            "peak_rss_mb": round(int(rss.group(1)) / 1024) if rss else None,
            "peak_pss_mb": round(peak / 1024**2), "output": text}


def folder_size(folder: Path) -> tuple[int, int, int]:
    """(files, raw bytes, bytes as served): text files gzip-compressed like the server does,
    files that are gzip streams already (Pagefind's) counted as they are; raw = uncompressed."""
    files = raw = served = 0
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        files += 1
        if data[:2] == b"\x1f\x8b":
            raw += len(gzip.decompress(data))
            served += len(data)
        else:
            raw += len(data)
            served += len(gzip.compress(data, 6)) if compressible(content_type(path.name)) else len(data)
    return files, raw, served


def relevance(cases: list[dict], results: list[dict]) -> dict:
    by_query = {r["query"]: r for r in results}
    hits = [case["query"] for case in cases if subset.hit_in_top10(case, by_query[case["query"]]["links"])]
    return {"eligible": len(cases), "hits": len(hits),
            "misses": [c["query"] for c in cases if c["query"] not in set(hits)]}


def save(work: Path, name: str, data: dict | list) -> None:
    """Results are kept in ``WORK/compare-results/NAME.json``; the table is made from all of them."""
    folder = work / "compare-results"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(data, indent=1), encoding="utf-8")


# --------------------------------------------------------------------------------------------- this site

OURS_PAGE = "icd10cm/A00.0.html"


def ours_engine() -> Engine:
    return Engine(
        name="this site",
        url=OURS_PAGE,
        input="[data-omc-search-input]",
        results="[data-omc-search] .md-search-result",
        done="(q) => { const r = document.querySelector('[data-omc-search]'); "
             "return !!r && r.getAttribute('data-omc-query') === q; }",
        links="() => [...document.querySelectorAll('[data-omc-search-list] > li')]"
              ".map((li) => li.querySelector('a').getAttribute('href'))",
        is_data=lambda path: path.startswith("/assets/search/index/"),
        is_code=lambda path: path.startswith("/assets/search/") and not path.startswith("/assets/search/index/"),
    )


def run_ours(work: Path, queries: list[str], build_index: bool = True) -> dict:
    site = subset.SITE
    if not (site / "assets" / "search" / "index" / "manifest.js").is_file():
        print("site/assets/search/index/manifest.js is missing: running `make site` (2-3 min)", flush=True)
        subprocess.run(NICE + ["make", "site"], cwd=PROJECT, check=True)
    row: dict = {"engine": "this site (split lunr index)", "key": "ours"}
    if build_index:
        # bench.search.run.build: the benchmark corpus (the documents the site indexes) → a fresh index in /tmp.
        out = work / "compare-ours-index"
        shutil.rmtree(out, ignore_errors=True)
        code = ("import json, sys; from pathlib import Path; from bench.search.run import build; "
                "print('FIGURES', json.dumps(build(Path(sys.argv[1]), Path(sys.argv[2]))))")
        result = timed([PYTHON, "-c", code, str(out), str(PROJECT / "content")], PROJECT,
                       work / "compare-ours-build.log")
        if result["exit"] != 0 or "FIGURES" not in result["output"]:
            raise SystemExit(f"bench.search.run.build failed: see {work / 'compare-ours-build.log'}")
        # The timing report quotes the command (which holds the word too): take the printed line.
        line = next(line for line in result["output"].splitlines() if line.startswith("FIGURES "))
        figures = json.loads(line.removeprefix("FIGURES "))
        shutil.rmtree(out, ignore_errors=True)
        row.update(pages=figures["documents"], build_seconds=figures["seconds"],
                   build_note="index only (corpus loading excluded)",
                   peak_mb=figures["peak_rss_mb"],
                   peak_note=("peak RSS of the process, corpus loading included"
                              + (f" ({figures['peak_rss_mb_before_index']} MB before indexing)"
                                 if "peak_rss_mb_before_index" in figures else "")))
    files, raw, served = folder_size(site / "assets" / "search" / "index")
    row.update(index_files=files, index_raw=raw, index_gzip=served)
    if "pages" not in row:
        row["pages"] = sum(1 for _ in (site / "assets" / "search" / "index" / "d").rglob("*.js")) * 64
    print(f"this site: index {files} files, {raw / 1e6:.1f} MB raw, {served / 1e6:.1f} MB gzip; querying", flush=True)
    with GzipServer(site) as server:
        results = run_queries(ours_engine(), server, queries)
    row["summary"] = summary(results)
    row["results"] = as_dicts(results)
    save(work, "ours", row)
    return row


# --------------------------------------------------------------------------------------------- Pagefind

PAGEFIND_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pagefind on a subset</title></head>
<body>
<input type="search" id="q" autocomplete="off" placeholder="Search">
<div class="md-search-result" id="area"><p id="meta"></p><ol id="results"></ol></div>
<script type="module">
// Pagefind's JS API as documented: import pagefind.js, init on focus, search(), then data() of the top 10.
let loading = null, sequence = 0;
const load = () => loading || (loading = import("./pagefind/pagefind.js").then(async (pf) => { await pf.init(); return pf; }));
const input = document.getElementById("q"), area = document.getElementById("area");
input.addEventListener("focus", () => { load(); });
input.addEventListener("input", async () => {
  const mine = ++sequence, query = input.value;
  const pf = await load();
  const search = await pf.search(query);
  if (mine !== sequence || !search) return;
  const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  if (mine !== sequence) return;
  const list = document.getElementById("results");
  list.textContent = "";
  for (const d of data) {
    const li = document.createElement("li"), a = document.createElement("a");
    a.href = d.url; a.textContent = d.meta.title || d.url; li.append(a); list.append(li);
  }
  document.getElementById("meta").textContent = search.results.length + " results for " + query;
  area.setAttribute("data-query", query);
});
</script>
</body></html>
"""


def pagefind_engine() -> Engine:
    def is_code(path: str) -> bool:
        name = path.rsplit("/", 1)[-1]
        return path.startswith("/pagefind/") and (name.endswith((".js", ".css")) or name.startswith("wasm."))

    return Engine(
        name="pagefind",
        url="compare-pagefind.html",
        input="#q",
        results="#area",
        done="(q) => document.getElementById('area').getAttribute('data-query') === q",
        links="() => [...document.querySelectorAll('#results > li > a')].map((a) => a.getAttribute('href'))",
        is_data=lambda path: path.startswith("/pagefind/") and not is_code(path),
        is_code=is_code,
    )


def pagefind_version() -> str:
    result = subprocess.run([PYTHON, "-m", "pagefind", "--version"], capture_output=True, text=True)
    return result.stdout.strip() or "pagefind (version unknown)"


def run_pagefind(work: Path, sizes: list[int], queries: list[str], cases: list[dict], memory_limit: int,
                 reuse: bool = False) -> list[dict]:
    """Index subsets of increasing size; stop after the first one that passes the memory limit or fails."""
    version = pagefind_version()
    pages = subset.site_pages()
    rows = []
    for size in sorted(sizes):
        chosen = subset.choose(pages, cases, size)
        folder = work / f"compare-pagefind-{size}"
        site = folder / "site"
        row: dict = {"engine": f"Pagefind {version.split()[-1]}", "key": f"pagefind-{size}", "pages": len(chosen),
                     "subset": f"{len(chosen):,} of {len(pages):,} pages"}
        built = reuse and (site / "pagefind" / "pagefind-entry.json").is_file() and (folder / "build.json").is_file()
        if built:
            row.update(json.loads((folder / "build.json").read_text()))
        else:
            folder.mkdir(parents=True, exist_ok=True)
            print(f"pagefind: linking {len(chosen):,} pages into {site}", flush=True)
            subset.link_subset(chosen, site)
            print(f"pagefind: indexing {len(chosen):,} pages (memory limit {memory_limit / 1024**3:.1f} GiB)", flush=True)
            result = timed([PYTHON, "-m", "pagefind", "--site", str(site)], folder, folder / "pagefind.log", memory_limit)
            indexed = re.search(r"Indexed (\d+) pages?", result["output"])
            build = {"build_seconds": result["seconds"], "peak_mb": result["peak_rss_mb"],
                     "peak_pss_mb": result["peak_pss_mb"], "exit": result["exit"], "killed": result["killed"],
                     "indexed": int(indexed.group(1)) if indexed else None}
            (folder / "build.json").write_text(json.dumps(build), encoding="utf-8")
            row.update(build)
        print(f"pagefind {size:,}: {row['build_seconds']} s, peak RSS {row['peak_mb']} MB, exit {row['exit']}"
              f"{', killed at the memory limit' if row['killed'] else ''}", flush=True)
        if row["killed"] or row["exit"] != 0:
            row["failed"] = ("killed: memory over the limit" if row["killed"] else f"exit code {row['exit']}")
            rows.append(row)
            save(work, f"pagefind-{size}", row)
            break
        files, raw, served = folder_size(site / "pagefind")
        row.update(index_files=files, index_raw=raw, index_gzip=served)
        subset.write_new(site / "compare-pagefind.html", PAGEFIND_PAGE)
        # Judge by the pages on disk: a reused subset may have been chosen from an earlier build of site/.
        on_disk = subset.site_pages(site)
        row.update(pages=len(on_disk), subset=f"{len(on_disk):,} of {len(pages):,} pages")
        judged = subset.eligible(cases, on_disk)
        row["eligible_queries"] = [case["query"] for case in judged]
        print(f"pagefind {size:,}: index {files} files, {raw / 1e6:.0f} MB raw, {served / 1e6:.0f} MB as served; "
              f"querying ({len(judged)} of {len(cases)} queries have an expected page in the subset)", flush=True)
        with GzipServer(site) as server:
            results = run_queries(pagefind_engine(), server, queries)
        row["summary"] = summary(results)
        row["results"] = as_dicts(results)
        rows.append(row)
        save(work, f"pagefind-{size}", row)
    return rows


# --------------------------------------------------------------------------------------------- Material

MKDOCS_YML = """site_name: Stock Material search on {count} pages
use_directory_urls: false
theme:
  name: material
plugins:
  - search
# Only the home page in the navigation: a navigation of {count} pages would be copied into every
# page (gigabytes of HTML). The search plugin indexes every page either way.
nav:
  - Home: index.md
"""


def material_engine() -> Engine:
    return Engine(
        name="material",
        url="index.html",
        input=".md-search__input",
        results=".md-search-result",
        done="(q) => { const m = document.querySelector('.md-search-result__meta'); "
             "return !!m && /matching document/i.test(m.textContent); }",
        links="() => [...document.querySelectorAll('.md-search-result__list > .md-search-result__item')]"
              ".map((li) => li.querySelector('a').getAttribute('href'))",
        is_data=lambda path: path.endswith("/search/search_index.json"),
        is_code=lambda path: path.startswith(("/assets/javascripts/workers/", "/assets/javascripts/lunr/")),
    )


def run_material(work: Path, size: int, queries: list[str], cases: list[dict], reuse: bool = False) -> dict:
    pages = subset.site_pages()
    chosen = subset.choose(pages, cases, size)
    root = work / "compare-material"
    index = root / "site" / "search" / "search_index.json"
    row: dict = {"engine": "stock Material search", "key": "material", "pages": len(chosen),
                 "subset": f"{len(chosen):,} of {len(pages):,} pages"}
    if reuse and index.is_file() and (root / "build.json").is_file():
        row.update(json.loads((root / "build.json").read_text()))
    else:
        shutil.rmtree(root, ignore_errors=True)
        docs = root / "docs"
        for page in chosen:
            title, markdown = subset.page_markdown((subset.SITE / page).read_text(encoding="utf-8"))
            target = docs / (page[:-5] + ".md")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown, encoding="utf-8")
        (docs / "index.md").write_text(f"# Stock Material search\n\n{len(chosen):,} code pages.\n", encoding="utf-8")
        (root / "mkdocs.yml").write_text(MKDOCS_YML.format(count=len(chosen)), encoding="utf-8")
        print(f"material: mkdocs build of {len(chosen):,} pages in {root}", flush=True)
        result = timed([PYTHON, "-m", "mkdocs", "build", "--quiet"], root, root / "build.log")
        build = {"build_seconds": result["seconds"], "peak_mb": result["peak_rss_mb"], "exit": result["exit"],
                 "build_note": "whole mkdocs build (pages + index)"}
        (root / "build.json").write_text(json.dumps(build), encoding="utf-8")
        row.update(build)
        if result["exit"] != 0:
            row["failed"] = f"mkdocs build exit code {result['exit']}"
            save(work, "material", row)
            return row
    data = index.read_bytes()
    documents = json.loads(data)["docs"]
    row.update(index_files=1, index_raw=len(data), index_gzip=len(gzip.compress(data, 6)),
               index_entries=len(documents), indexed=sum(1 for d in documents if "#" not in d["location"]))
    judged = subset.eligible(cases, chosen)
    row["eligible_queries"] = [case["query"] for case in judged]
    print(f"material: search_index.json {len(data) / 1e6:.1f} MB raw, {row['index_gzip'] / 1e6:.1f} MB gzip, "
          f"{len(documents):,} entries; querying ({len(judged)} of {len(cases)} queries judged)", flush=True)
    with GzipServer(root / "site") as server:
        results = run_queries(material_engine(), server, queries)
    row["summary"] = summary(results)
    row["results"] = as_dicts(results)
    save(work, "material", row)
    return row
