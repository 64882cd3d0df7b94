"""The theme files code pages link to."""

from __future__ import annotations

import glob
import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from ..errors import Abort

#: The site's own stylesheets (in the templates folder), after Material's main one.
OWN_STYLESHEETS = ("assets/extra.css", "assets/search/search.css")


@dataclass(frozen=True)
class Stylesheet:
    """One stylesheet file of the site: its site-relative path and its text."""

    path: str
    text: str


def material_main_stylesheet() -> Path:
    """Material's main stylesheet in the installed theme.

    Read from the theme's files, because the name carries a content hash that
    changes between releases; the theme is not imported. Material's palette
    stylesheet is left out: its default colours are in the main one.
    """
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        raise Abort("mkdocs-material is not installed: run `make site`, which installs it")
    folder = Path(list(spec.submodule_search_locations)[0]) / "templates" / "assets" / "stylesheets"
    main = sorted(Path(path) for path in glob.glob(str(folder / "main.*.min.css")))
    if len(main) != 1:
        raise Abort(f"cannot find Material's main stylesheet in {folder}")
    return main[0]


def code_page_stylesheet(templates_dir: Path, extra: str = "") -> Stylesheet:
    """Material's main stylesheet and the site's own, joined into the one file every code page links.

    One ``<link>`` instead of three saves ~110 bytes on each of ~190,000 pages (~20 MB
    of the Pages artifact) and two requests per page. The file sits beside Material's
    (``assets/stylesheets/``) and is named by a hash of its text, so browsers never
    keep a stale copy. ``extra`` is CSS the build computes (the editions' statements).
    """
    parts = [material_main_stylesheet().read_text(encoding="utf-8")]
    for name in OWN_STYLESHEETS:
        path = templates_dir / name
        if not path.is_file():
            raise Abort(f"{path}: stylesheet missing from the templates folder")
        parts.append(path.read_text(encoding="utf-8"))
    text = "\n".join(parts) + extra
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return Stylesheet(f"assets/stylesheets/omc.{digest}.css", text)
