"""Side-by-side search comparison: this site's engine, Pagefind 1.5 and stock Material search.

    .venv/bin/python -m bench.compare [--pagefind-sizes 20000,55000,60000] [--material-size 5000]
                                      [--engines ours,pagefind,material] [--memory-limit-gb 6]
                                      [--work /tmp] [--reuse] [--out bench/compare/RESULTS.md]

Same pages (the built site/, or subsets of it), same queries (bench/search/relevance.json), same
browser (headless Debian Chromium) and the same local server gzipping like GitHub Pages. Prints one
table and writes it, with the details, to bench/compare/RESULTS.md. See bench/compare/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from bench.compare import engines, subset

HERE = Path(__file__).resolve().parent


def ours_on_same_pages(documents: list, pages: list[str], cases: list[dict], work: Path, size: int) -> dict:
    """This site's engine indexing only the subset's pages: hits in top 10 on the same judged queries.

    Queried with the Python engine (generator/search_query.py, the browser engine's twin: the same
    ranking, checked by tests/test_search_engines.py), as bench/search/run.py does.
    """
    from generator.search_index import write_search_index
    from generator.search_query import Filters, IndexReader, search
    from generator.search_thesaurus import Vocabulary
    from generator.validate import load_vocabulary

    chosen = set(pages)
    kept = [document for document in documents if document.url in chosen]
    out = work / f"compare-ours-{size}"
    shutil.rmtree(out, ignore_errors=True)
    write_search_index(kept, out, vocabulary=Vocabulary(load_vocabulary(subset.PROJECT / "content" / "vocabulary")))
    reader = IndexReader(out / "index")
    judged = subset.eligible(cases, pages)
    hits = 0
    for case in judged:
        codes = [hit.code for hit in search(reader, case["query"], Filters(), limit=10).hits]
        hits += any(code in case["expected"] for code in codes)
    shutil.rmtree(out, ignore_errors=True)
    return {"documents": len(kept), "eligible": len(judged), "hits": hits}


def with_relevance(row: dict, cases: list[dict]) -> dict:
    if "results" not in row:
        return row
    wanted = set(row.get("eligible_queries") or [c["query"] for c in cases])
    judged = [case for case in cases if case["query"] in wanted]
    by_query = {r["query"]: r for r in row["results"]}
    judged = [case for case in judged if case["query"] in by_query]
    hits = [case for case in judged if subset.hit_in_top10(case, by_query[case["query"]]["links"])]
    row["relevance"] = {"eligible": len(judged), "hits": len(hits),
                        "misses": [case["query"] for case in judged if case not in hits]}
    return row


# --------------------------------------------------------------------------------------------- table

def _mb(value: int | None) -> str:
    if value is None:
        return "–"
    return f"{value / 1e6:,.1f} MB" if value >= 1e6 else f"{value / 1e3:,.0f} KB"


def _kb(value: float | None) -> str:
    return "–" if value is None else (f"{value / 1e3:,.0f} KB" if value < 1e6 else f"{value / 1e6:,.1f} MB")


def _ms(value: float | None) -> str:
    return "–" if value is None else (f"{value:,.0f} ms" if value < 10_000 else f"{value / 1000:,.1f} s")


def table_rows(rows: list[dict]) -> list[list[str]]:
    out = []
    for row in rows:
        s = row.get("summary", {})
        name = row["engine"] + (f" ({row['subset']})" if row.get("subset") else " (whole site)")
        pages = f"{row['pages']:,}" if row.get("pages") else "–"
        if row.get("indexed") and row["indexed"] != row.get("pages"):
            pages += f" ({row['indexed']:,} indexed)"
        build = f"{row['build_seconds']:.1f} s" if row.get("build_seconds") is not None else "–"
        peak = f"{row['peak_mb']:,} MB" if row.get("peak_mb") else "–"
        if row.get("killed"):
            peak = f"≥ {row['peak_pss_mb']:,} MB (killed)"
        size = f"{_mb(row.get('index_raw'))} / {_mb(row.get('index_gzip'))}" if row.get("index_raw") else "–"
        if row.get("failed"):
            out.append([name, pages, build, peak, size, f"did not finish: {row['failed']}", "–", "–", "–"])
            continue
        data = f"{_kb(s.get('data_bytes_median'))} / {_kb(s.get('data_bytes_max'))}"
        code = _kb(s.get("code_bytes_median"))
        latency = f"{_ms(s.get('cold_ms_median'))} / {_ms(s.get('warm_ms_median'))}"
        rel = row.get("relevance", {})
        hits = "–"
        if rel.get("eligible"):
            hits = f"{rel['hits']}/{rel['eligible']} ({rel['hits'] / rel['eligible']:.1%})"
            same = row.get("ours_same_pages")
            if same and same.get("eligible"):
                hits += f"; this site's engine on the same pages: {same['hits']}/{same['eligible']}"
        if s.get("failed"):
            hits += f" [{s['failed']} queries failed]"
        out.append([name, pages, build, peak, size, data, code, latency, hits])
    return out


HEADER = ["engine", "pages indexed", "index build time", "peak memory", "index size (raw / gzip)",
          "search data per query, cold (gzip): median / max", "search code, once (gzip)",
          "keystroke → results: cold / warm (median)", "hits in top 10"]


def markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def machine() -> str:
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return (f"{os.cpu_count()} cores, {memory:.0f} GiB memory (shared with other jobs; heavy steps under nice -n 10), "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}, {chromium}")


def details(rows: list[dict]) -> str:
    lines = []
    for row in rows:
        lines.append(f"### {row['engine']}" + (f" — {row['subset']}" if row.get("subset") else " — whole site"))
        keep = {k: v for k, v in row.items()
                if k not in ("results", "summary", "relevance", "eligible_queries", "engine", "key", "output")}
        lines.append("- figures: `" + json.dumps(keep) + "`")
        if row.get("summary"):
            lines.append("- per query: `" + json.dumps({k: (round(v, 1) if isinstance(v, float) else v)
                                                          for k, v in row["summary"].items()}) + "`")
        rel = row.get("relevance")
        if rel:
            misses = rel["misses"]
            lines.append(f"- not in the top 10 ({len(misses)}): " + ", ".join(f"`{m.strip()}`" for m in misses))
        if row.get("results"):
            worst = sorted((r for r in row["results"] if not r["error"]), key=lambda r: -r["data_bytes"])[:3]
            lines.append("- most search data for one query: " + ", ".join(
                f"`{r['query'].strip()}` {_kb(r['data_bytes'])}" for r in worst))
            errors = [r for r in row["results"] if r["error"]]
            if errors:
                lines.append("- failed queries: " + "; ".join(f"`{r['query']}`: {r['error']}" for r in errors[:10]))
        lines.append("")
    return "\n".join(lines)


def notes(rows: list[dict], all_pages: int) -> str:
    """What did not fit, and what the measured engines would need for the whole site (linear extrapolation)."""
    lines = []
    for row in rows:
        if row["key"] == "ours" and row.get("build_note"):
            lines.append(f"- This site: index build time = {row['build_note']}, of the benchmark corpus "
                         f"(`bench.search.run.build`, {row['pages']:,} documents, the ones the site indexes); "
                         f"peak memory = {row['peak_note']}. Queried on the whole built `site/`.")
    lines.append("- Subsets hold every page that answers a query, then evenly spaced other pages: the right page is "
                 "there and most of its neighbours are not, so ranking is easier than on the whole site. "
                 "\"This site's engine on the same pages\" is its index built from only the subset's documents, "
                 "queried by the Python engine (the browser engine's twin).")
    for row in rows:
        if row.get("failed"):
            lines.append(f"- {row['engine']} on {row['subset']}: {row['failed']} "
                         f"(after {row.get('build_seconds')} s, {row.get('peak_pss_mb')} MB PSS when stopped).")
    fitted = [row for row in rows if row["key"].startswith("pagefind-") and not row.get("failed") and row.get("peak_mb")]
    if len(fitted) >= 2:
        small, large = fitted[0], fitted[-1]
        slope = (large["peak_mb"] - small["peak_mb"]) / (large["pages"] - small["pages"])
        memory = large["peak_mb"] + slope * (all_pages - large["pages"])
        served = large["index_gzip"] / large["pages"] * all_pages
        files = large["index_files"] / large["pages"] * all_pages
        lines.append(f"- Pagefind's peak memory grew by {slope * 1000:,.0f} MB per 1,000 pages "
                     f"({small['pages']:,} pages: {small['peak_mb']:,} MB, {large['pages']:,}: {large['peak_mb']:,} MB); "
                     f"for the whole site ({all_pages:,} pages) that is about {memory / 1024:,.0f} GiB, and an index of "
                     f"about {served / 1e6:,.0f} MB as served in {files:,.0f} files.")
    for row in rows:
        if row["key"] == "material" and row.get("index_raw"):
            per_page = row["index_raw"] / row["pages"]
            lines.append(f"- Stock Material: search_index.json holds {per_page / 1e3:,.1f} KB per page "
                         f"({row.get('index_entries', 0):,} entries: one per page and per heading); the whole site would "
                         f"be about {per_page * all_pages / 1e6:,.0f} MB raw "
                         f"({row['index_gzip'] / row['pages'] * all_pages / 1e6:,.0f} MB gzip), downloaded by every "
                         "visitor before the first result.")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engines", default="ours,pagefind,material",
                        help="comma-separated: ours, pagefind, material (default: all three)")
    parser.add_argument("--pagefind-sizes", default="20000,55000,60000",
                        help="Pagefind subset sizes in pages, tried in increasing order until one passes the "
                             "memory limit; 'all' = every page (default: 20000,55000,60000: 60,000 is the edge of 6 GiB)")
    parser.add_argument("--material-size", type=int, default=5000, help="pages for stock Material search (5000)")
    parser.add_argument("--memory-limit-gb", type=float, default=6.0,
                        help="kill an index build whose processes pass this much memory (GiB, default 6)")
    parser.add_argument("--work", type=Path, default=Path("/tmp"),
                        help="where the compare-* folders go (default /tmp); site/ is only read")
    parser.add_argument("--queries", type=int, default=0, help="only the first N queries (quick runs)")
    parser.add_argument("--reuse", action="store_true", help="reuse indexes built by an earlier run in --work")
    parser.add_argument("--no-ours-build", action="store_true",
                        help="do not rebuild this site's index to time it (use build figures of an earlier run)")
    parser.add_argument("--table-only", action="store_true", help="only make the table from saved results")
    parser.add_argument("--note", action="append", default=[],
                        help="a line to add to the notes of RESULTS.md (kept with the results; repeatable)")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()

    chosen = {name.strip() for name in args.engines.split(",") if name.strip()}
    cases = subset.load_cases()
    if args.queries:
        cases = cases[:args.queries]
    queries = [case["query"] for case in cases]
    print(f"{len(queries)} queries from {subset.RELEVANCE.relative_to(subset.PROJECT)}; loading the search corpus "
          "(page → code of every page)", flush=True)
    documents = subset.load_aliases()
    all_pages = subset.site_pages()
    limit = int(args.memory_limit_gb * 1024**3)
    load_before = [round(x, 2) for x in os.getloadavg()]
    results_dir = args.work / "compare-results"

    if not args.table_only:
        if "ours" in chosen:
            previous = results_dir / "ours.json"
            keep = json.loads(previous.read_text()) if args.no_ours_build and previous.is_file() else {}
            row = engines.run_ours(args.work, queries, build_index=not args.no_ours_build)
            for key in ("pages", "build_seconds", "build_note", "peak_mb", "peak_note"):
                if key in keep and key not in row:
                    row[key] = keep[key]
            engines.save(args.work, "ours", row)
        if "pagefind" in chosen:
            sizes = [len(all_pages) if s.strip() == "all" else int(s) for s in args.pagefind_sizes.split(",")]
            for old in results_dir.glob("pagefind-*.json"):
                old.unlink()
            for row in engines.run_pagefind(args.work, sizes, queries, cases, limit, reuse=args.reuse):
                if not row.get("failed"):
                    pages = subset.site_pages(args.work / f"compare-{row['key']}" / "site")
                    row["ours_same_pages"] = ours_on_same_pages(documents, pages, cases, args.work, len(pages))
                    engines.save(args.work, row["key"], row)
        if "material" in chosen:
            row = engines.run_material(args.work, args.material_size, queries, cases, reuse=args.reuse)
            if not row.get("failed"):
                pages = subset.choose(all_pages, cases, args.material_size)
                row["ours_same_pages"] = ours_on_same_pages(documents, pages, cases, args.work, len(pages))
                engines.save(args.work, "material", row)

    # run.json: the commands whose results are in the table (a run of some engines adds to the last full run).
    run_file = results_dir / "run.json"
    run = json.loads(run_file.read_text()) if run_file.is_file() else {}
    if not args.table_only:
        command = "python -m bench.compare " + " ".join(shlex.quote(a) for a in sys.argv[1:])
        load = [load_before, [round(x, 2) for x in os.getloadavg()]]
        if chosen >= {"ours", "pagefind", "material"} or not run:
            run = {"commands": [], "loads": [], "notes": []}
        run["commands"].append(command.strip())
        run["loads"].append(load)
        run.update(date=datetime.date.today().isoformat(), queries=len(queries))
        results_dir.mkdir(parents=True, exist_ok=True)
        run_file.write_text(json.dumps(run), encoding="utf-8")
    if args.note:
        run["notes"] = run.get("notes", []) + args.note
        results_dir.mkdir(parents=True, exist_ok=True)
        run_file.write_text(json.dumps(run), encoding="utf-8")

    rows = []
    for name in ["ours"] + sorted((p.stem for p in results_dir.glob("pagefind-*.json")),
                                  key=lambda n: int(n.split("-")[1])) + ["material"]:
        path = results_dir / f"{name}.json"
        if path.is_file():
            rows.append(with_relevance(json.loads(path.read_text()), cases))
    table = markdown_table(table_rows(rows))
    print()
    print(table)
    commands = run.get("commands") or ["python -m bench.compare"]
    loads = "; ".join(f"{before} → {after}" for before, after in run.get("loads", []))
    load = (f" Load average (1, 5, 15 min) at the start → end of each command: {loads} (other engineers' jobs "
            "shared the 2 cores: latencies are upper bounds)." if loads else "")
    extra = "".join(f"- {line}\n" for line in run.get("notes", []))
    text = (f"# Search side by side ({run.get('date', datetime.date.today().isoformat())})\n\n"
            f"Machine: {machine()}.{load}\n\n"
            "Commands (in /work/main, one after the other):\n\n"
            + "".join(f"    nice -n 10 .venv/bin/{command}\n" for command in commands)
            + f"\n{run.get('queries', len(queries))} queries of `bench/search/relevance.json`. "
            f"How it measures: `bench/compare/README.md`.\n\n"
            f"{table}\n\n## Notes\n\n{notes(rows, len(all_pages))}\n{extra}\n## Details\n\n{details(rows)}")
    args.out.write_text(text, encoding="utf-8")
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
