"""Progress of long stages (issue 13): counts, rate and elapsed time; plain lines off a terminal, no long silence."""

from __future__ import annotations

import io
import time

from generator.progress import Progress, heartbeat


def test_plain_lines_at_intervals_and_a_final_line() -> None:
    stream = io.StringIO()
    progress = Progress("code pages", 186_405, "pages", stream=stream, interval=0.05)
    progress.advance(1000)
    time.sleep(0.55)  # the rate is shown once half a second has passed
    progress.advance(119_000)
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("code pages: 120,000 / 186,405 pages · ") and lines[0].endswith(" s")
    assert "/s · " in lines[0]
    assert lines[1].startswith("code pages: 120,000 / 186,405 pages") and lines[1].endswith("· done")
    assert "\r" not in stream.getvalue()


def test_heartbeat_reports_a_stage_it_cannot_count_and_one_it_observes() -> None:
    stream = io.StringIO()
    with heartbeat("read official data", stream=stream, interval=0.05):
        time.sleep(0.18)
    lines = stream.getvalue().splitlines()
    assert len(lines) >= 3 and all(line.startswith("read official data · ") for line in lines)
    stream = io.StringIO()
    files = iter(range(10, 1000, 10))
    with heartbeat("MkDocs", observe=lambda: next(files), unit="files written", stream=stream, interval=0.05):
        time.sleep(0.12)
    assert stream.getvalue().splitlines()[-1].startswith("MkDocs: ") and "files written" in stream.getvalue()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_one_redrawn_line_with_a_bar() -> None:
    stream = _Terminal()
    progress = Progress("search index", 100, "documents", stream=stream)
    for _ in range(10):
        progress.advance(10)
        time.sleep(0.11)
    progress.finish()
    text = stream.getvalue()
    assert text.count("\n") == 1 and "\r\033[K" in text
    assert "[####################] 100 / 100 documents" in text.splitlines()[-1]
