"""Progress of long build stages: counts, rate and elapsed time, never more than a few seconds of silence.

On a terminal one line per stage is redrawn in place (a live bar); elsewhere (CI, logs) a plain
line is printed at most every ``interval`` seconds and when the stage ends. Stages whose work
cannot be counted from here (reading the official files, MkDocs) use :func:`heartbeat`, which
prints the elapsed time, and a count when one can be observed (e.g. files MkDocs has written).
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import TextIO

#: Longest silence on a non-terminal stream, in seconds.
INTERVAL = 5.0
#: Redraws per second on a terminal, at most.
REDRAWS = 10


class Progress:
    """Counts the work of one stage: ``advance(n)`` as it goes, ``finish()`` at the end."""

    def __init__(self, stage: str, total: int | None = None, unit: str = "", stream: TextIO | None = None,
                 interval: float = INTERVAL, counted: bool = True) -> None:
        self.stage, self.total, self.unit, self.counted = stage, total, unit, counted
        self.stream = stream or sys.stderr
        self.interval = interval
        self.live = self.stream.isatty()
        self.started = self.shown = time.monotonic()
        self.count = 0
        self._lock = threading.Lock()

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        if not self.counted:
            return f"{self.stage} · {elapsed:.0f} s"
        rate = f" · {self.count / elapsed:,.0f}/s" if elapsed > 0.5 and self.count else ""
        of = f" / {self.total:,}" if self.total else ""
        unit = f" {self.unit}" if self.unit else ""
        bar = ""
        if self.live and self.total:
            filled = min(20, round(20 * self.count / self.total))
            bar = "[" + "#" * filled + "." * (20 - filled) + "] "
        return f"{self.stage}: {bar}{self.count:,}{of}{unit}{rate} · {elapsed:.0f} s"

    def advance(self, amount: int = 1) -> None:
        with self._lock:
            self.count += amount
            now = time.monotonic()
            if now - self.shown >= (1 / REDRAWS if self.live else self.interval):
                self._show(now)

    def _show(self, now: float) -> None:
        self.shown = now
        if self.live:
            self.stream.write("\r\033[K" + self.line())
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def finish(self) -> None:
        with self._lock:
            self.stream.write(("\r\033[K" if self.live else "") + self.line() + " · done\n")
            self.stream.flush()


@contextlib.contextmanager
def heartbeat(stage: str, observe: Callable[[], int] | None = None, total: int | None = None, unit: str = "",
              stream: TextIO | None = None, interval: float = INTERVAL) -> Iterator[Progress]:
    """Report a stage that runs elsewhere (a child process, a library call) every ``interval`` seconds."""
    progress = Progress(stage, total, unit, stream, interval, counted=observe is not None)
    stop = threading.Event()

    def beat() -> None:
        observed = 0.0
        while not stop.wait(1 / REDRAWS if progress.live else interval):
            if observe is not None and time.monotonic() - observed >= interval:
                observed = time.monotonic()  # counting may walk a large folder: not on every redraw
                with contextlib.suppress(OSError):
                    progress.count = observe()
            with progress._lock:
                progress._show(time.monotonic())

    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield progress
    finally:
        stop.set()
        thread.join()
        if observe is not None:
            with contextlib.suppress(OSError):
                progress.count = observe()
        progress.finish()
