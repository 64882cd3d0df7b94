"""The theme files code pages link to."""

from __future__ import annotations

import glob
import importlib.util
from pathlib import Path

from ..errors import Abort


def material_stylesheets() -> tuple[str, ...]:
    """Site-relative paths of Material's main stylesheet (as MkDocs copies it) and the site's own.

    Material's palette stylesheet is left out: its default colours are in the
    main one, and each link costs every one of ~190,000 pages about 60 bytes.

    Read from the installed theme's files, because the names carry a content
    hash that changes between releases; the theme is not imported.
    """
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        raise Abort("mkdocs-material is not installed: run `make site`, which installs it")
    folder = Path(list(spec.submodule_search_locations)[0]) / "templates" / "assets" / "stylesheets"
    names = sorted(Path(path).name for path in glob.glob(str(folder / "*.min.css")))
    main = [name for name in names if name.startswith("main.")]
    if len(main) != 1:
        raise Abort(f"cannot find Material's main stylesheet in {folder}")
    return (f"assets/stylesheets/{main[0]}", "assets/extra.css", "assets/search/search.css")
