"""Where the site is published and where its sources live, for canonical URLs and edit links.

Both are optional: a local build has neither, and then pages carry no canonical
URL and no edit links. The Pages workflow passes them as ``SITE_URL`` and
``REPO_URL`` (or ``--site-url`` / ``--repo-url``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from .errors import Abort


@dataclass(frozen=True)
class SiteSettings:
    site_url: str | None = None
    repo_url: str | None = None
    branch: str = "main"

    @classmethod
    def from_options(cls, site_url: str | None, repo_url: str | None, branch: str | None = None) -> "SiteSettings":
        """Options win over the ``SITE_URL``, ``REPO_URL`` and ``REPO_BRANCH`` environment variables."""
        site = site_url or os.environ.get("SITE_URL") or None
        repo = repo_url or os.environ.get("REPO_URL") or None
        for name, value in (("site URL", site), ("repository URL", repo)):
            if value and not value.startswith(("https://", "http://")):
                raise Abort(f"the {name} must start with https:// or http://, got {value!r}")
        return cls(
            site_url=site.rstrip("/") + "/" if site else None,
            repo_url=repo.rstrip("/") if repo else None,
            branch=branch or os.environ.get("REPO_BRANCH") or "main",
        )

    def canonical(self, path: str) -> str | None:
        """The absolute URL of a site page (``path`` relative to the site root)."""
        return self.site_url + path if self.site_url else None

    def edit_url(self, source_path: str) -> str | None:
        """GitHub's editor for an existing file of the repository."""
        return f"{self.repo_url}/edit/{self.branch}/{quote(source_path)}" if self.repo_url else None

    def new_file_url(self, folder: str, filename: str, value: str) -> str | None:
        """GitHub's new-file page with the path and a starting text filled in."""
        if not self.repo_url:
            return None
        return f"{self.repo_url}/new/{self.branch}/{quote(folder)}?" + urlencode({"filename": filename, "value": value})
