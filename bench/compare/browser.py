"""One measurement loop for every engine, in headless Chromium (Debian's, never a downloaded one).

For each query: a fresh browser context (empty cache), open the engine's page from the gzip server,
focus its search box and type the query; then the same box gets ``"x" + query`` and the query again.

- **keystroke to results**: from the ``keydown`` of the query's last character (its ``timeStamp``)
  to the last DOM change of the engine's result area (a MutationObserver), once the engine says the
  results are for this query and nothing changed for 250 ms. The first characters are put in the
  box without events, so each engine answers exactly one query (the stock Material UI listens to
  ``keyup``, this site and the Pagefind page to ``input``; a typed key fires both).
  Cold = the first query in the fresh context (whatever the engine loads on page load or focus
  counts only as far as it is not done by then), warm = the query again after another one.
- **bytes**: every response the server sent in that context until the cold results were shown,
  split by the engine into search data (index files) and search code (scripts, WebAssembly).
- **top 10**: the result links' targets, read from the DOM.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass, field
from typing import Callable

from bench.compare.server import GzipServer, Sent

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
QUIET_MS = 250

HARNESS = """
(() => {
  const c = window.__cmp = {key: null, last: null, mutations: 0};
  document.addEventListener('keydown', (e) => { c.key = e.timeStamp; c.last = null; c.mutations = 0; }, true);
  const watch = () => {
    const target = document.querySelector(%(selector)r);
    if (!target) { setTimeout(watch, 10); return; }
    new MutationObserver(() => {
      if (c.key !== null) { c.last = performance.now(); c.mutations += 1; }
    }).observe(target, {childList: true, subtree: true, characterData: true});
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch); else watch();
})();
"""

SETTLED = """(query) => {
  const c = window.__cmp;
  return c && c.mutations > 0 && performance.now() - c.last > %(quiet)d && (%(done)s)(query);
}"""


@dataclass
class Engine:
    """How to drive one engine's page."""

    name: str
    url: str                          # page to open, relative to the server root
    input: str                        # selector of the search box
    results: str                      # selector of the element whose changes mean "results shown"
    done: str                         # JS ``(query) => bool``: the shown results are for ``query``
    links: str                        # JS ``() => [href, …]``: the result links in order
    is_data: Callable[[str], bool]    # served path → counts as search data
    is_code: Callable[[str], bool]    # served path → counts as search code


@dataclass
class QueryResult:
    query: str
    cold_ms: float | None
    warm_ms: float | None
    data_bytes: int
    code_bytes: int
    data_files: int
    links: list[str] = field(default_factory=list)
    error: str = ""


def _type(page, selector: str, text: str, done: str) -> float:
    page.eval_on_selector(selector, "(el, value) => { el.value = value; }", text[:-1])
    page.keyboard.type(text[-1])
    page.wait_for_function(SETTLED % {"quiet": QUIET_MS, "done": done}, arg=text, timeout=60_000, polling=20)
    return float(page.evaluate("window.__cmp.last - window.__cmp.key"))


def run_queries(engine: Engine, server: GzipServer, queries: list[str], progress: bool = True) -> list[QueryResult]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        started = time.perf_counter()
        for number, query in enumerate(queries, 1):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_init_script(HARNESS % {"selector": engine.results})
            page = context.new_page()
            mark = server.mark()
            result = QueryResult(query, None, None, 0, 0, 0)
            try:
                page.goto(server.url + engine.url, wait_until="load")
                page.focus(engine.input)
                result.cold_ms = _type(page, engine.input, query, engine.done)
                result.links = list(page.evaluate(engine.links))[:10]
                sent: list[Sent] = server.since(mark)
                result.data_bytes = sum(s.body for s in sent if engine.is_data(s.path))
                result.data_files = sum(1 for s in sent if engine.is_data(s.path))
                result.code_bytes = sum(s.body for s in sent if engine.is_code(s.path))
                _type(page, engine.input, "x" + query, engine.done)
                result.warm_ms = _type(page, engine.input, query, engine.done)
            except Exception as error:  # noqa: BLE001 - one failed query is reported, not fatal
                result.error = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
            context.close()
            results.append(result)
            if progress and (number % 10 == 0 or number == len(queries)):
                print(f"  {engine.name}: {number}/{len(queries)} queries, {time.perf_counter() - started:.0f} s",
                      flush=True)
        browser.close()
    return results


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summary(results: list[QueryResult]) -> dict:
    ok = [r for r in results if not r.error]
    return {
        "queries": len(results),
        "failed": len(results) - len(ok),
        "data_bytes_median": median([r.data_bytes for r in ok]),
        "data_bytes_max": max((r.data_bytes for r in ok), default=None),
        "code_bytes_median": median([r.code_bytes for r in ok]),
        "cold_ms_median": median([r.cold_ms for r in ok]),
        "cold_ms_max": max((r.cold_ms for r in ok if r.cold_ms is not None), default=None),
        "warm_ms_median": median([r.warm_ms for r in ok]),
        "warm_ms_max": max((r.warm_ms for r in ok if r.warm_ms is not None), default=None),
    }


def as_dicts(results: list[QueryResult]) -> list[dict]:
    return [asdict(r) for r in results]
