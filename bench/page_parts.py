"""What each part of a code page costs: average bytes per part, per system, on a random sample of pages.

    python -m bench.page_parts [site-or-docs-folder] [--sample 400]

Parts are the page's head and header (everything before <main>), the heading block (up to the first
<h2>), each <h2> section by its id, and the closing part (the source line and script).
"""

from __future__ import annotations

import argparse
import random
import re
from collections import defaultdict
from pathlib import Path

SYSTEMS = ("icd10cm", "icd10pcs", "hcpcs", "cpt")
SECTION = re.compile(r'<h2 id="([^"]+)"')


def parts_of(html: str) -> dict[str, int]:
    """Bytes of each part of one code page."""
    data = html.encode("utf-8")
    main = data.find(b"<main")
    end = data.find(b'<p class="omc-source')
    parts = {"outside <main> (head, header)": main}
    body = data[main:end].decode("utf-8")
    cuts = [(match.start(), match.group(1)) for match in SECTION.finditer(body)]
    heading_end = cuts[0][0] if cuts else len(body)
    head_block = body[:heading_end]
    about = re.search(r'<p class="omc-about[^"]*">.*?</p>\n', head_block)
    parts["inherited summary (About …)"] = len(about.group(0).encode()) if about else 0
    parts["heading block"] = len(head_block.encode()) - parts["inherited summary (About …)"]
    for index, (start, name) in enumerate(cuts):
        stop = cuts[index + 1][0] if index + 1 < len(cuts) else len(body)
        parts[f"section #{name}"] = len(body[start:stop].encode())
    parts["source line and script"] = len(data) - end
    return parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="site", type=Path)
    parser.add_argument("--sample", type=int, default=400)
    args = parser.parse_args()
    rng = random.Random(2026)
    for system in SYSTEMS:
        pages = sorted(path for path in (args.folder / system).glob("*.html")
                       if not path.name.startswith(("section-", "table-", "body-system-", "definitions-", "family-",
                                                    "chapter-", "index", "modifiers")) and "-" not in path.stem[1:4])
        if not pages:
            continue
        sample = rng.sample(pages, min(args.sample, len(pages)))
        totals: dict[str, int] = defaultdict(int)
        having: dict[str, int] = defaultdict(int)
        size = 0
        for path in sample:
            html = path.read_text(encoding="utf-8")
            size += len(html.encode("utf-8"))
            for part, count in parts_of(html).items():
                totals[part] += count
                having[part] += bool(count)
        print(f"{system}: {len(sample)} of {len(pages):,} pages, average {size / len(sample):,.0f} B")
        for part, count in sorted(totals.items(), key=lambda item: -item[1]):
            print(f"  {count / len(sample):7,.0f} B  {part}  (on {having[part] * 100 // len(sample)}% of pages)")


if __name__ == "__main__":
    main()
