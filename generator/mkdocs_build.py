"""MkDocs stage: write the build's MkDocs configuration and run MkDocs on the staging docs.

MkDocs is run as a separate program (``python -m mkdocs``); this package never
imports it. The site is built into a temporary folder and moved into place only
when MkDocs succeeded in strict mode, so a failed build leaves no half-built site.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .errors import Abort
from .progress import heartbeat
from .swap import swap_in


def write_mkdocs_config(base_config: Path, docs_dir: Path, nav: list[object], target: Path,
                        site_url: str | None = None) -> None:
    """Write ``target``: the project's mkdocs.yml plus the generated nav, absolute paths and the site URL."""
    try:
        config = yaml.safe_load(base_config.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise Abort(f"{base_config}: cannot read MkDocs configuration: {error}") from error
    config["docs_dir"] = str(docs_dir.resolve())
    config["nav"] = nav
    if site_url:
        config["site_url"] = site_url
    theme = config.get("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((base_config.parent / theme["custom_dir"]).resolve())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _files_in(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def build_site(mkdocs_config: Path, site_dir: Path) -> None:
    """Run ``mkdocs build --strict`` into a temporary folder, then replace ``site_dir`` with it."""
    staging = site_dir.with_name(site_dir.name + ".new")
    if staging.exists():
        shutil.rmtree(staging)
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # Material's notice about MkDocs 2 on every build
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
               "--config-file", str(mkdocs_config), "--site-dir", str(staging.resolve())]
    # MkDocs runs in our process group, so a Ctrl-C reaches it too; on any interruption it is stopped here.
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment)
    try:
        with heartbeat("MkDocs", observe=lambda: _files_in(staging), unit="files written"):
            output, _ = child.communicate()
    except BaseException:
        child.kill()
        child.wait()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if child.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise Abort(f"MkDocs build failed; {site_dir} was left as it was.\n{output.strip()}")
    swap_in(staging, site_dir)
