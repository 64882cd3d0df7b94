"""Links between pages: the shortcut urls.relative takes gives the same string as posixpath.relpath."""

from __future__ import annotations

import itertools
import posixpath

from generator import urls

PATHS = ["index.md", "about.html", "icd10cm/E11.65.html", "icd10cm/index.md", "icd10cm/sub/x.html", "ccsr/END003.html",
         "a/b/c.html", "icd10cm", "icd10cm/", "./x.html", "../x.html", "icd10cm/../x", "x..y.html", "icd10cm/.hidden",
         "assets/stylesheets/omc.css", ".", "icd10cm//x.html", "icd9cm/250.html", "reference.md"]


def test_relative_links_equal_relpath() -> None:
    for from_page, to_page in itertools.product(PATHS, PATHS):
        expected = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
        assert urls.relative(from_page, to_page) == expected, (from_page, to_page)
