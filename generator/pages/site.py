"""The site-wide pages (home, about the data) and the navigation."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import jinja2

from .. import urls
from ..codes import SYSTEMS
from .cpt import CPT_HOW, CPT_NOTICE, CPT_WHY
from .model import Link, front_matter, html_text
from .render import environment


def home_page(env: jinja2.Environment, published: dict[str, int], release_labels: dict[str, str],
              stale: list[str] = ()) -> tuple[str, str]:
    """``published`` maps each system with pages to its number of code pages; ``stale``, what the home page says
    of each edition a newer one has replaced."""
    systems = [
        (system, Link(system.name, urls.system_page(key)) if key in published else None,
         published.get(key, 0), release_labels.get(key, ""))
        for key, system in SYSTEMS.items()
    ]
    return "index.md", env.get_template("home.md.j2").render(
        front_matter=front_matter("Search all medical codes",
                                  "Free reference for US medical codes: CPT, ICD-10-CM, ICD-10-PCS and HCPCS Level II."),
        systems=systems,
        code_count=sum(published.values()),
        stale=stale,
    )


def about_page(env: jinja2.Environment, release_labels: dict[str, str], stale: list[str] = (),
               reference: bool = False) -> tuple[str, str]:
    return "about.md", env.get_template("about.md.j2").render(
        front_matter=front_matter("About the data",
                                  "Where the codes and texts on this site come from, their editions and licences."),
        cpt_notice=CPT_NOTICE,
        cpt_why=CPT_WHY,
        cpt_how=CPT_HOW,
        releases=release_labels,
        stale=stale,
        reference=reference,
    )


def nav(system_navs: dict[str, list[object]], policies: bool = False, reference: str | None = None) -> list[object]:
    """Home, one section per system (its index page and at most a few dozen index pages), the policies, about.

    Code pages never go into the nav: every Material page carries the whole nav.
    Labels are escaped: Material prints nav labels as HTML.
    """
    entries: list[object] = [{"Home": "index.md"}]
    entries += [{SYSTEMS[system].name: items} for system, items in system_navs.items()]
    if policies:
        entries.append({"Policies and guidelines": urls.POLICIES_INDEX})
    if reference:
        entries.append({"Coder's reference": reference})
    entries.append({"Search": "search.md"})
    entries.append({"About the data": "about.md"})
    return escaped_nav(entries)


def escaped_nav(entries: list[object]) -> list[object]:
    """The nav with every label HTML-escaped (paths are left as they are)."""
    def escape_entry(entry: object) -> object:
        if isinstance(entry, dict):
            return {html_text(str(label)): escaped_nav(value) if isinstance(value, list) else value
                    for label, value in entry.items()}
        return entry
    return [escape_entry(entry) for entry in entries]


def write_site_pages(templates_dir: Path, docs_dir: Path, published: dict[str, int],
                     release_labels: dict[str, str], stale: list[str] = (), reference: bool = False) -> int:
    env = environment(templates_dir, html=False)
    search = ("search.md", env.get_template("search_page.md.j2").render())
    pages = [home_page(env, published, release_labels, stale), about_page(env, release_labels, stale, reference), search]
    for path, markdown in pages:
        (docs_dir / path).write_text(markdown, encoding="utf-8")
    return len(pages)


#: The sitemap protocol allows at most this many URLs in one sitemap file.
SITEMAP_LIMIT = 50_000


def write_public_files(docs_dir: Path, site_url: str | None, code_page_paths: list[str]) -> int:
    """Write robots.txt and, when the site URL is known, sitemaps for the code pages.

    MkDocs writes ``sitemap.xml`` for the pages it builds; code pages are static
    files to MkDocs, so they get their own sitemaps (``sitemaps/codes-N.xml``),
    and ``sitemap-index.xml`` lists them all. Returns the number of files written.
    """
    robots = "User-agent: *\nAllow: /\n"
    if not site_url:
        (docs_dir / "robots.txt").write_text(robots, encoding="utf-8")
        return 1
    (docs_dir / "robots.txt").write_text(robots + f"Sitemap: {site_url}sitemap-index.xml\n", encoding="utf-8")
    folder = docs_dir / "sitemaps"
    folder.mkdir(exist_ok=True)
    names = []
    for start in range(0, len(code_page_paths), SITEMAP_LIMIT):
        name = f"sitemaps/codes-{start // SITEMAP_LIMIT + 1}.xml"
        entries = "".join(f"<url><loc>{escape(site_url + path)}</loc></url>\n"
                          for path in code_page_paths[start:start + SITEMAP_LIMIT])
        (docs_dir / name).write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n', encoding="utf-8")
        names.append(name)
    sitemaps = "".join(f"<sitemap><loc>{escape(site_url + name)}</loc></sitemap>\n"
                       for name in ["sitemap.xml", *names])
    (docs_dir / "sitemap-index.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{sitemaps}</sitemapindex>\n',
        encoding="utf-8")
    return len(names) + 2
