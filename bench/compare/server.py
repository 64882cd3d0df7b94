"""A tiny threaded static http server that gzips like GitHub Pages and counts what it sends.

GitHub Pages compresses text responses (HTML, CSS, JavaScript, JSON, XML, SVG, plain text) with gzip
when the request accepts it, and sends everything else as it is on disk. This server does the same
(level 6) and logs every response: path, bytes on disk, bytes in the response body and encoding, so a
benchmark can count the bytes one query transferred (``mark()`` before, ``since(mark)`` after).
Files that are already gzip streams (Pagefind's ``.pf_*`` and ``.pagefind`` files) are never
compressed twice.

    python -m bench.compare.server DIR [--port 8000]
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import mimetypes
import os
import posixpath
import threading
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml",
              "application/manifest+json")
EXTRA_TYPES = {".js": "application/javascript", ".mjs": "application/javascript", ".json": "application/json",
               ".wasm": "application/wasm", ".map": "application/json", ".xml": "application/xml",
               ".svg": "image/svg+xml", ".txt": "text/plain", ".pagefind": "application/octet-stream",
               ".pf_meta": "application/octet-stream", ".pf_index": "application/octet-stream",
               ".pf_fragment": "application/octet-stream", ".pf_filter": "application/octet-stream"}


@dataclass(frozen=True)
class Sent:
    path: str
    raw: int      # bytes of the file on disk
    body: int     # bytes of the response body (after gzip, when applied)
    encoding: str


def content_type(path: str) -> str:
    suffix = posixpath.splitext(path)[1].lower()
    return EXTRA_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def compressible(kind: str) -> bool:
    return kind.startswith(TEXT_TYPES)


class GzipServer:
    """Serve ``root`` on 127.0.0.1 (a free port unless given) in a background thread."""

    def __init__(self, root: Path, port: int = 0, level: int = 6) -> None:
        self.root = Path(root).resolve()
        self.level = level
        self.log: list[Sent] = []
        self._lock = threading.Lock()
        self._gzipped: dict[tuple[str, int, int], bytes] = {}
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_HEAD(self) -> None:  # noqa: N802
                server._respond(self, head=True)

            def do_GET(self) -> None:  # noqa: N802
                server._respond(self, head=False)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self._thread: threading.Thread | None = None

    def __enter__(self) -> GzipServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def mark(self) -> int:
        with self._lock:
            return len(self.log)

    def since(self, mark: int) -> list[Sent]:
        with self._lock:
            return list(self.log[mark:])

    def _file(self, url_path: str) -> Path | None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(url_path).path)
        parts = [part for part in posixpath.normpath(path).split("/") if part not in ("", ".", "..")]
        target = self.root.joinpath(*parts)
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _body(self, target: Path, kind: str, accepts_gzip: bool) -> tuple[bytes, bytes, str]:
        data = target.read_bytes()
        if not (accepts_gzip and compressible(kind)) or data[:2] == b"\x1f\x8b":
            return data, data, ""
        stat = target.stat()
        key = (str(target), stat.st_mtime_ns, stat.st_size)
        with self._lock:
            packed = self._gzipped.get(key)
        if packed is None:
            packed = gzip.compress(data, self.level, mtime=0)
            with self._lock:
                self._gzipped[key] = packed
        return data, packed, "gzip"

    def _respond(self, handler: http.server.BaseHTTPRequestHandler, head: bool) -> None:
        target = self._file(handler.path)
        if target is None:
            message = b"404 Not Found"
            handler.send_response(404)
            handler.send_header("Content-Type", "text/plain")
            handler.send_header("Content-Length", str(len(message)))
            handler.end_headers()
            if not head:
                handler.wfile.write(message)
            with self._lock:
                self.log.append(Sent(handler.path, 0, len(message), "404"))
            return
        kind = content_type(target.name)
        accepts = "gzip" in handler.headers.get("Accept-Encoding", "")
        raw, body, encoding = self._body(target, kind, accepts)
        handler.send_response(200)
        handler.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Cache-Control", "max-age=600")
        handler.send_header("Vary", "Accept-Encoding")
        if encoding:
            handler.send_header("Content-Encoding", encoding)
        handler.end_headers()
        if not head:
            try:
                handler.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
        with self._lock:
            self.log.append(Sent(urllib.parse.urlsplit(handler.path).path, len(raw), len(body), encoding))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    with GzipServer(args.root, args.port) as server:
        print(f"serving {server.root} at {server.url} (gzip like GitHub Pages); Ctrl-C stops")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
