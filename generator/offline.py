"""Offline bundle: the built site as one zip, to unzip anywhere and open ``index.html`` from disk.

The site's links are relative and it loads nothing from other hosts, so the
unzipped copy works from file:// with no network. Everything sits in one
top-level folder, so unzipping never spreads files over the folder it happens
in. The zip is reproducible: entries are sorted and carry a fixed timestamp, so
the same site always gives the same bytes.

``make offline`` runs ``python -m generator.offline site build/open-medical-codes-offline.zip``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import Abort
from .progress import Progress

#: The folder the zip unpacks into.
TOP_FOLDER = "open-medical-codes"
#: Timestamp of every entry (the earliest a zip can hold), for reproducible bytes.
ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Bundle:
    """What :func:`make_offline_zip` wrote."""

    path: Path
    files: int
    site_bytes: int
    zip_bytes: int


def make_offline_zip(site_dir: Path, target: Path) -> Bundle:
    """Zip every file of ``site_dir`` into ``target``, under :data:`TOP_FOLDER`.

    The zip is written next to ``target`` and renamed into place when complete,
    so a failure never leaves a partial zip under the final name.
    """
    if not (site_dir / "index.html").is_file():
        raise Abort(f"{site_dir} has no index.html: build the site first (`make site`)")
    files = sorted(path for path in site_dir.rglob("*") if path.is_file())
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    site_bytes = 0
    try:
        progress = Progress("zip", len(files), "files")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for path in files:
                progress.advance()
                entry = zipfile.ZipInfo(f"{TOP_FOLDER}/{path.relative_to(site_dir).as_posix()}", ENTRY_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                data = path.read_bytes()
                site_bytes += len(data)
                archive.writestr(entry, data)
        progress.finish()
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Bundle(target, len(files), site_bytes, target.stat().st_size)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.offline", description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", type=Path, help="the built site (site/)")
    parser.add_argument("target", type=Path, help="the zip to write (build/open-medical-codes-offline.zip)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        bundle = make_offline_zip(args.site_dir, args.target)
    except Abort as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {bundle.path}: {bundle.files} files, {bundle.zip_bytes / 1e6:.1f} MB "
          f"({bundle.site_bytes / 1e6:.1f} MB unzipped) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
