"""Where the site is published and where its sources live, for canonical URLs and edit links; the build date.

Both places are optional: a local build has neither, and then pages carry no canonical
URL and no edit links. The Pages workflow passes them as ``SITE_URL`` and
``REPO_URL`` (or ``--site-url`` / ``--repo-url``). The build date (today, or
``--build-date`` / ``OMC_BUILD_DATE``) decides whether pages say a newer edition has taken effect.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from .errors import Abort


@dataclass(frozen=True)
class SiteSettings:
    site_url: str | None = None
    repo_url: str | None = None
    branch: str = "main"
    build_date: datetime.date = field(default_factory=datetime.date.today)

    @classmethod
    def from_options(cls, site_url: str | None, repo_url: str | None, branch: str | None = None,
                     build_date: str | None = None) -> "SiteSettings":
        """Options win over the ``SITE_URL``, ``REPO_URL``, ``REPO_BRANCH`` and ``OMC_BUILD_DATE`` environment variables."""
        site = site_url or os.environ.get("SITE_URL") or None
        repo = repo_url or os.environ.get("REPO_URL") or None
        for name, value in (("site URL", site), ("repository URL", repo)):
            if value and not value.startswith(("https://", "http://")):
                raise Abort(f"the {name} must start with https:// or http://, got {value!r}")
        day = build_date or os.environ.get("OMC_BUILD_DATE") or None
        try:
            built = datetime.date.fromisoformat(day) if day else datetime.date.today()
        except ValueError:
            raise Abort(f"the build date must be written YYYY-MM-DD, got {day!r}") from None
        return cls(
            build_date=built,
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
