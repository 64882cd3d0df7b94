"""Pages stage: write the staging docs folder that MkDocs builds.

- code pages: lean HTML, one per code (:mod:`.render`, ``code_page.html.j2``);
- index pages: Markdown for MkDocs and Material (systems, chapters, blocks, tables, ranges, families);
- site pages: home and about the data.

Each code system has a page builder (:mod:`.cpt`, :mod:`.hcpcs`, …) that turns
the catalog into page contexts (:mod:`.model`).
"""

from .build import DocsResult, page_builders, write_docs

__all__ = ["DocsResult", "page_builders", "write_docs"]
