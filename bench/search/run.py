"""Search benchmark: index build time and memory, index size, bytes per query, latency, relevance.

    .venv/bin/python -m bench.search.run [--out /tmp/search-bench] [--no-browser]

Builds the index of the site's own search documents (bench/search/corpus.py: the official releases read
by generator/sources, merged with content/, and each page builder's ``search_documents()``, exactly what
``make site`` indexes) into ``--out``, or measures an index already built (``--index
site/assets/search/index`` after ``make site``), then:

- bytes per query, cold cache: the index files a query loads (the Python engine loads exactly the
  files the browser engine loads), raw and gzip-compressed (level 6, like GitHub Pages);
- keystroke-to-results-painted in headless Chromium over http (gzip not applied by the local server):
  cold = first query on a fresh page, warm = the same query typed again after another one;
- relevance: hit@1 and hit@10 per query kind over bench/search/relevance.json (the benchmark the
  ranking was tuned on), bench/search/relevance_holdout.json (queries written apart from it) and
  bench/search/relevance_blind.json (written before the vocabulary work without seeing the ranking;
  never tuned on), the blind set also without the queries the other two sets share with it;
- parity: search.js (under node) and the Python engine give the same results for every query.
"""

from __future__ import annotations

import argparse
import collections
import functools
import gzip
import http.server
import json
import resource
import shutil
import statistics
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from bench.search.corpus import site_documents
from generator.search_index import write_search_index
from generator.official import OFFICIAL_SYSTEMS, load_official
from generator.search_query import Filters, IndexReader, search
from generator.search_thesaurus import Vocabulary
from generator.validate import load_content

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
ASSETS = PROJECT / "site_templates" / "assets" / "search"


def _peak_rss_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def build(out: Path, content: Path) -> dict:
    """Index the site's documents into ``out/assets/search/index``; time and memory of the index stage."""
    started = time.perf_counter()
    documents = site_documents(content)
    read_seconds = time.perf_counter() - started
    rss_before = _peak_rss_mb()
    started = time.perf_counter()
    vocabulary = Vocabulary(load_content(content, official=load_official(OFFICIAL_SYSTEMS)).vocabulary)
    stats = write_search_index(documents, out / "assets" / "search", vocabulary=vocabulary)
    seconds = time.perf_counter() - started
    return {"documents": stats.documents, "terms": stats.terms, "files": stats.files, "seconds": round(seconds, 1),
            "peak_rss_mb": _peak_rss_mb(), "peak_rss_mb_before_index": rss_before,
            "read_documents_seconds": round(read_seconds, 1), **index_size(out / "assets" / "search" / "index")}


def index_size(index_dir: Path) -> dict:
    files = list(index_dir.rglob("*.js"))
    data = [path.read_bytes() for path in files]
    return {"raw_mb": round(sum(map(len, data)) / 1e6, 1),
            "gzip_mb": round(sum(len(gzip.compress(item, 6)) for item in data) / 1e6, 1),
            "largest_file_kb": round(max(map(len, data)) / 1e3, 1)}


def query_costs(index_dir: Path, queries: list[str]) -> list[tuple[str, int, int]]:
    sizes: dict[str, tuple[int, int]] = {}
    costs = []
    for query in queries:
        reader = IndexReader(index_dir)
        search(reader, query, Filters(), limit=20)
        raw = gz = 0
        for name in reader.cache:
            if name not in sizes:
                data = (index_dir / f"{name}.js").read_bytes()
                sizes[name] = (len(data), len(gzip.compress(data, 6)))
            raw += sizes[name][0]
            gz += sizes[name][1]
        costs.append((query, raw, gz))
    return costs


def relevance(index_dir: Path, cases: list[dict]) -> tuple[dict[str, list[int]], list[str]]:
    """Per query kind: [queries, hits at 1, hits at 10]; and the queries whose first hit is not expected."""
    reader = IndexReader(index_dir)
    kinds: dict[str, list[int]] = {}
    misses = []
    for case in cases:
        result = search(reader, case["query"], Filters(), limit=10)
        codes = [hit.code for hit in result.hits]
        hit1 = bool(codes[:1] and codes[0] in case["expected"])
        hit10 = any(code in case["expected"] for code in codes)
        counts = kinds.setdefault(case.get("kind", "other"), [0, 0, 0])
        counts[0] += 1
        counts[1] += hit1
        counts[2] += hit10
        if not hit1:
            misses.append(f"{'not in top 10' if not hit10 else 'not first':13} [{case.get('kind', 'other')}] "
                          f"{case['query']!r}: got {codes[:3]}")
    return kinds, misses


def print_relevance(name: str, kinds: dict[str, list[int]], misses: list[str], show_misses: bool = True) -> None:
    total = [sum(counts[i] for counts in kinds.values()) for i in range(3)]
    print(f"relevance, {name}, {total[0]} queries: hit@1 {total[1] / total[0]:.1%}, hit@10 {total[2] / total[0]:.1%}")
    for kind, (count, at1, at10) in sorted(kinds.items()):
        print(f"  {kind:13} {count:4} queries: hit@1 {at1 / count:6.1%}, hit@10 {at10 / count:6.1%}")
    for miss in misses if show_misses else ():
        print("  ", miss)


def parity(index_dir: Path, queries: list[str]) -> list[str]:
    """The queries on which the browser engine (search.js under node) and the Python engine differ."""
    node = shutil.which("node")
    if node is None:
        return ["node not found: parity not checked"]
    requests = [{"query": query, "filters": {}, "limit": 20} for query in queries]
    answer = subprocess.run([node, str(PROJECT / "tests" / "fixtures" / "search" / "engine.js"), str(ASSETS),
                             str(index_dir.parent), "search"], input=json.dumps(requests), capture_output=True, text=True)
    if answer.returncode != 0:
        return [f"engine.js failed: {answer.stderr.strip()[-500:]}"]
    reader = IndexReader(index_dir)
    differences = []
    for query, browser in zip(queries, json.loads(answer.stdout)):
        result = search(reader, query, Filters(), limit=20)
        python = (result.total, [(hit.system, hit.code, hit.kind) for hit in result.hits], result.terms)
        if python != (browser["total"], [(hit["system"], hit["code"], hit["kind"]) for hit in browser["hits"]], browser["terms"]):
            differences.append(query)
    return differences


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def latency(site: Path, queries: list[str]) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    shutil.copytree(ASSETS, site / "assets" / "search", dirs_exist_ok=True)
    box = (PROJECT / "site_templates" / "overrides" / "partials" / "omc-search-box.html").read_text()
    box = box.split("-#}", 1)[1].replace("{{ omc_root }}", "")
    (site / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><input type="checkbox" id="__search"><header>' + box
        + '</header><script src="assets/search/lunr.min.js"></script><script src="assets/search/search.js"></script>')
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}/"
    cold, warm = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        for query in queries:
            page = browser.new_page()
            page.goto(root + "index.html")
            field = page.locator("[data-omc-search-input]")
            field.focus()
            for text, bucket in ((query, cold), ("x" + query, None), (query, warm)):
                count = page.evaluate("OMCSearch.timings.length")
                field.fill(text)
                page.wait_for_function(f"OMCSearch.timings.length > {count}")
                if bucket is not None:
                    bucket.append(page.evaluate("OMCSearch.timings[OMCSearch.timings.length - 1].ms"))
            page.close()
        browser.close()
    server.shutdown()
    return cold, warm


#: Chromium's network emulation for the visitor measurement: 50 ms each way, 10 Mbit/s.
VISITOR_NETWORK = {"offline": False, "latency": 50, "downloadThroughput": 10e6 / 8, "uploadThroughput": 10e6 / 8}
#: Milliseconds between keystrokes: a brisk typist.
KEYSTROKE_MS = 120
#: Typed queries the visitor measurement uses (written before this measurement, of each kind).
VISITOR_QUERIES = ["colonoscopy screening", "E11.65", "chest pain", "knee replacement", "J9035", "insulin pump",
                   "covid vaccine", "96413", "broken wrist", "wheelchair", "type 2 diabetes", "0DTJ4ZZ",
                   "short of breath", "appendectomy", "99213", "mri brain", "pink eye", "E11.6", "oxygen concentrator",
                   "hip fracture"]


def sequential_waves(entries: list[dict]) -> int:
    """How many round trips follow one another among resource loads (each ``startTime``/``responseEnd``):
    the longest chain of loads each starting after the one before it ended."""
    depth: list[int] = []
    ordered = sorted(entries, key=lambda entry: entry["startTime"])
    for index, entry in enumerate(ordered):
        before = [depth[j] for j in range(index) if ordered[j]["responseEnd"] <= entry["startTime"]]
        depth.append(1 + max(before, default=0))
    return max(depth, default=0)


#: (In the page, given a performance.now() time) the index files loaded from then on, with their times.
INDEX_LOADS_SINCE = ("s => performance.getEntriesByType('resource').filter(e => e.name.includes('/index/')"
                     " && e.startTime >= s).map(e => ({startTime: e.startTime, responseEnd: e.responseEnd}))")
#: (In the page, given a query) whether the search box shows the answer to that query.
ANSWERED = ("q => document.querySelector('[data-omc-query]') && "
            "document.querySelector('[data-omc-query]').getAttribute('data-omc-query') === q")


def visitor_pages(site: Path, queries: list[str]) -> Iterator[tuple[str, object]]:
    """Each query with a fresh page (a cold cache) of ``site``'s search box over the visitor network, served
    gzipped as by GitHub Pages, once the page has loaded and the manifest it prefetches has arrived (a visitor
    reaches the box after that). (``latency`` must have written the page and copied the scripts into ``site``.)"""
    from playwright.sync_api import sync_playwright

    from bench.compare.server import GzipServer

    with GzipServer(site) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        for query in queries:
            context = browser.new_context()
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", VISITOR_NETWORK)
            page.goto(server.url + "index.html")
            page.wait_for_function("performance.getEntriesByType('resource').some(e => e.name.endsWith('/index/manifest.js'))")
            yield query, page
            context.close()
        browser.close()


def visitor_latency(site: Path, queries: list[str]) -> list[dict]:
    """Each query typed key by key (see ``visitor_pages``): the ms from the last keystroke to the query's results
    painted, the index files loaded after the box got focus, how many sequential round trips they took (all
    the keys' searches together), and the ms from the first keystroke to the first results shown (of
    whatever had been typed by then)."""
    figures = []
    for query, page in visitor_pages(site, queries):
        field = page.locator("[data-omc-search-input]")
        # The moment the box first shows results, whatever prefix of the query they answer.
        page.evaluate("() => { window.__firstPaint = null; const box = document.querySelector('[data-omc-search]');"
                      " new MutationObserver(() => { if (window.__firstPaint === null && box.getAttribute("
                      "'data-omc-done')) window.__firstPaint = performance.now(); })"
                      ".observe(box, {attributes: true}); }")
        focused = page.evaluate("performance.now()")
        field.focus()
        first_key = page.evaluate("performance.now()")
        field.press_sequentially(query, delay=KEYSTROKE_MS)
        typed = page.evaluate("performance.now()")
        page.wait_for_function(ANSWERED, arg=query, timeout=30_000)
        painted = page.evaluate("performance.now()")
        entries = page.evaluate(INDEX_LOADS_SINCE, focused)
        first = page.evaluate("window.__firstPaint")
        figures.append({"query": query, "ms": painted - typed, "first_ms": (first or painted) - first_key,
                        "files": len(entries), "waves": sequential_waves(entries)})
    return figures


def round_trips_per_keystroke(site: Path, queries: list[str]) -> list[list[int]]:
    """Each query typed (see ``visitor_pages``) one key at a time once the answer to the keys before it is
    painted, so that no two searches overlap: per key, the longest chain of index loads its search started."""
    chains = []
    for query, page in visitor_pages(site, queries):
        field = page.locator("[data-omc-search-input]")
        field.focus()
        per_key = []
        for length in range(1, len(query) + 1):
            start = page.evaluate("performance.now()")
            field.press(query[length - 1])
            page.wait_for_function(ANSWERED, arg=query[:length], timeout=30_000)
            per_key.append(sequential_waves(page.evaluate(INDEX_LOADS_SINCE, start)))
        chains.append(per_key)
    return chains


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("/tmp/search-bench"))
    parser.add_argument("--index", type=Path, default=None,
                        help="measure this built index (e.g. site/assets/search/index) instead of building one")
    parser.add_argument("--content", type=Path, default=PROJECT / "content", help="the content folder to build from")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    index_dir = args.out / "assets" / "search" / "index"
    if args.index is not None:
        index_dir.parent.mkdir(parents=True)
        index_dir.symlink_to(args.index.resolve(), target_is_directory=True)
        print("index:", args.index, json.dumps(index_size(index_dir)))
    else:
        figures = build(args.out, args.content)
        print("build:", json.dumps(figures))
        print(f"  budgets: index build {figures['seconds']} s (<= 60 s), peak {figures['peak_rss_mb']} MB (<= 1024 MB)")
    cases = json.loads((HERE / "relevance.json").read_text())
    holdout = json.loads((HERE / "relevance_holdout.json").read_text())
    queries = [case["query"] for case in cases]
    costs = query_costs(index_dir, queries + [case["query"] for case in holdout])
    raw = [c[1] for c in costs]
    gz = [c[2] for c in costs]
    print(f"bytes per query, cold cache, {len(costs)} queries: gzip median {statistics.median(gz) / 1e3:.0f} KB, "
          f"max {max(gz) / 1e3:.0f} KB; raw median {statistics.median(raw) / 1e3:.0f} KB, max {max(raw) / 1e3:.0f} KB")
    print(f"  budgets: median {statistics.median(gz) / 1e3:.0f} KB (<= 300 KB), max {max(gz) / 1e3:.0f} KB (<= 1000 KB) gzip")
    worst = sorted(costs, key=lambda c: -c[2])[:3]
    print("  largest:", ", ".join(f"{q!r} {g / 1e3:.0f} KB" for q, _, g in worst))
    fixed = sum(len(gzip.compress((ASSETS / name).read_bytes(), 6)) for name in ("search.js", "lunr.min.js", "search.css"))
    print(f"  plus once per page load (search.js, lunr.min.js, search.css): {fixed / 1e3:.0f} KB gzip")
    print_relevance("bench/search/relevance.json", *relevance(index_dir, cases))
    print_relevance("bench/search/relevance_holdout.json (written apart from the ranking work)", *relevance(index_dir, holdout))
    blind = json.loads((HERE / "relevance_blind.json").read_text())
    tuned = {case["query"].lower() for case in cases + holdout}
    print_relevance("bench/search/relevance_blind.json (blind, never tuned on)", *relevance(index_dir, blind), show_misses=False)
    held_out = [case for case in blind if case["query"].lower() not in tuned]
    # Its misses are not printed either: whoever tunes the ranking must not see them.
    print_relevance(f"blind set without the {len(blind) - len(held_out)} queries the tuned sets also hold",
                    *relevance(index_dir, held_out), show_misses=False)
    differences = parity(index_dir, queries + [case["query"] for case in holdout])
    print(f"engines: search.js and the Python engine agree on {len(costs) - len(differences)} of {len(costs)} queries"
          + (": differ on " + ", ".join(map(repr, differences[:10])) if differences else ""))
    if not args.no_browser:
        cold, warm = latency(args.out, queries[::2])
        print(f"latency, {len(cold)} queries (Chromium, local http): cold median {statistics.median(cold):.0f} ms "
              f"(max {max(cold):.0f}), warm median {statistics.median(warm):.0f} ms (max {max(warm):.0f})")
        print(f"  budgets: cold median {statistics.median(cold):.0f} ms (<= 120 ms), "
              f"warm median {statistics.median(warm):.0f} ms (<= 10 ms)")
        for name, timings in (("cold", cold), ("warm", warm)):
            slow = sorted(zip(timings, queries[::2]), reverse=True)[:3]
            print(f"  slowest {name}:", ", ".join(f"{q!r} {ms:.0f} ms" for ms, q in slow))
        visits = visitor_latency(args.out, VISITOR_QUERIES)
        ms = [visit["ms"] for visit in visits]
        first = [visit["first_ms"] for visit in visits]
        print(f"as visitors get it ({len(visits)} queries typed at {KEYSTROKE_MS} ms a key, 50 ms latency, 10 Mbit/s, "
              f"gzip): first keystroke to first results median {statistics.median(first):.0f} ms (max {max(first):.0f}); "
              f"last keystroke to the whole query's results median {statistics.median(ms):.0f} ms (max {max(ms):.0f}); index files "
              f"per query median {statistics.median(v['files'] for v in visits):.0f} (max {max(v['files'] for v in visits)}); "
              f"sequential round trips after focus, over all the keystrokes' searches together, median "
              f"{statistics.median(v['waves'] for v in visits):.0f} (max {max(v['waves'] for v in visits)})")
        keyed = round_trips_per_keystroke(args.out, VISITOR_QUERIES)
        every = [trips for per_key in keyed for trips in per_key]
        print(f"  the same queries typed a key at a time, each key once the answer before it showed: round trips of "
              f"one key's search median {statistics.median(every):.0f}, max {max(every)} ({len(every)} keys; "
              + ", ".join(f"{count} needed {trips}" for trips, count in sorted(collections.Counter(every).items())) + ")")
        print("  budgets: median <= 350 ms, <= 2 sequential round trips; slowest:",
              ", ".join(f"{v['query']!r} {v['ms']:.0f} ms/{v['files']} files/{v['waves']} waves"
                        for v in sorted(visits, key=lambda v: -v["ms"])[:3]))

if __name__ == "__main__":
    main()
