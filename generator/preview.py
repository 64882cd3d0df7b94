"""Preview while editing: serve the built site and re-render the pages an edited record changes.

``python -m generator serve`` (``make serve``) serves ``site/`` on
http://127.0.0.1:8000 and watches ``content/``. When a record or policy file
changes, the content is validated again (problems are printed, nothing is
written) and the code pages it touches are rendered straight into ``site/``
and the staging docs, without MkDocs: an edit shows on the next reload, and the
time it took is printed. Index pages (family lists, home) and the search index
are refreshed by the next full build.
"""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import InvalidContent
from .model import Content
from .pages import page_builders
from .pages.build import page_settings
from .pages.render import CODE_TEMPLATE, environment, render_code_page
from .relations import Catalog
from .validate import editor_file
from .settings import SiteSettings

#: How often ``content/`` is checked for changes.
POLL_SECONDS = 0.3


def snapshot(content_dir: Path) -> dict[Path, float]:
    """Modification time of every file under ``content_dir`` (editors' swap and backup files left out).

    A file may vanish between listing and reading its time (an editor's temporary file): it is skipped.
    """
    times = {}
    for path in content_dir.rglob("*"):
        if editor_file(path.name):
            continue
        try:
            if path.is_file():
                times[path] = path.stat().st_mtime
        except FileNotFoundError:
            continue
    return times


def touched_codes(before: Content, after: Content, code_keys: dict[str, Sequence[str]]) -> set[tuple[str, str]]:
    """The (system, code) pages whose content may differ between two versions of ``content/``.

    Every curated record's page (they show each other's names and relations, and
    there are few), and every code a new, changed or removed policy covers.
    ``code_keys`` lists each system's code pages.
    """
    codes = set(before.records) | set(after.records)
    old = {policy.id: policy for policy in before.policies}
    new = {policy.id: policy for policy in after.policies}
    changed = [policy for key in old.keys() | new.keys() if old.get(key) != new.get(key)
               for policy in (old.get(key), new.get(key)) if policy is not None]
    if changed:
        for system, keys in code_keys.items():
            codes |= {(system, key) for key in keys if any(policy.covers(system, key) for policy in changed)}
    return codes


class Preview:
    """Keeps the official releases in memory and re-renders touched code pages on each change."""

    def __init__(self, load: Callable[[], Content], official: Any, site: SiteSettings, templates_dir: Path,
                 outputs: list[Path]) -> None:
        self.load = load
        self.official = official
        self.site = site
        self.template = environment(templates_dir, html=True).get_template(CODE_TEMPLATE)
        self.templates_dir = templates_dir
        self.outputs = outputs
        self.content = load()

    def rerender(self) -> tuple[int, float] | None:
        """Validate again and rewrite the touched pages; ``None`` (after printing why) when content is invalid."""
        started = time.perf_counter()
        try:
            content = self.load()
        except InvalidContent as error:
            for problem in error.problems:
                print(problem, flush=True)
            print(f"{error}; the preview keeps the last valid pages", flush=True)
            return None
        catalog = Catalog(content, self.official)
        builders = {builder.system: builder
                    for builder in page_builders(catalog, page_settings(catalog, self.site, self.templates_dir)[0])}
        touched = touched_codes(self.content, content,
                                {system: builder.code_keys() for system, builder in builders.items()})
        published = {system: set(builder.code_keys()) for system, builder in builders.items()}
        written = 0
        for system, key in sorted(touched):
            builder = builders.get(system)
            if builder is None or key not in published[system]:
                continue  # a removed CPT record: its page stays until the next full build
            page = builder.code_page(key)
            html = render_code_page(self.template, page)
            for output in self.outputs:
                target = output / page.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(html, encoding="utf-8")
            written += 1
        self.content = content
        return written, time.perf_counter() - started


def serve_folder(folder: Path, port: int) -> http.server.ThreadingHTTPServer:
    """Serve ``folder`` on 127.0.0.1:``port`` in a background thread."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        pass


def watch(preview: Preview, content_dir: Path, stop: threading.Event | None = None) -> None:
    """Re-render on every change under ``content_dir`` until ``stop`` is set (or forever)."""
    seen = snapshot(content_dir)
    while not (stop and stop.is_set()):
        time.sleep(POLL_SECONDS)
        now = snapshot(content_dir)
        if now == seen:
            continue
        changed = sorted(str(path.relative_to(content_dir.parent)) for path in now.keys() ^ seen.keys()
                         | {path for path in now.keys() & seen.keys() if now[path] != seen[path]})
        seen = now
        result = preview.rerender()
        if result is not None:
            pages, seconds = result
            print(f"{', '.join(changed)} changed: {pages} pages rewritten in {seconds:.2f} s", flush=True)
