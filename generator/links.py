"""Check every policy URL live (``make check-links``), when this machine has a network.

Validation checks a URL's form (https, a host, no spaces) on every build; whether
the document is still there can only be asked of the web, so this is a separate,
optional command: CI without a network skips it with a message, not a failure.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from .model import Policy

#: Seconds to wait for one server.
TIMEOUT = 20
#: Requests at once (polite to the few hosts the documents live on).
PARALLEL = 6
#: Some servers refuse clients that do not name themselves.
USER_AGENT = "OpenMedicalCodes-link-check/1.0 (+https://github.com/)"


@dataclass(frozen=True)
class LinkResult:
    url: str
    #: The HTTP status, or None when no answer came.
    status: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400


def network_available(host: str = "www.cms.gov") -> bool:
    """Whether ``host`` resolves: the cheapest sign that the web can be reached."""
    try:
        socket.getaddrinfo(host, 443)
    except OSError:
        return False
    return True


def fetch_status(url: str) -> LinkResult:
    """HEAD the URL, then GET it if HEAD is refused (some servers answer HEAD with 403 or 405)."""
    last: LinkResult | None = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return LinkResult(url, response.status)
        except urllib.error.HTTPError as error:
            last = LinkResult(url, error.code, error.reason if isinstance(error.reason, str) else "")
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as error:
            last = LinkResult(url, None, str(getattr(error, "reason", error)))
    assert last is not None
    return last


def check_links(policies: Sequence[Policy],
                fetch: Callable[[str], LinkResult] | None = None) -> list[tuple[Policy, LinkResult]]:
    """Every policy with the answer its URL gave (from ``fetch``, by default :func:`fetch_status`);
    each distinct URL is asked once."""
    urls = sorted({policy.url for policy in policies})
    with ThreadPoolExecutor(PARALLEL) as pool:
        results = dict(zip(urls, pool.map(fetch or fetch_status, urls)))
    return [(policy, results[policy.url]) for policy in policies]


def form_problem(url: str) -> str | None:
    """Why a URL is malformed (validation's check), or None: https, a host with a dot, no spaces, nothing
    that could end an HTML attribute or a Markdown link (the URL is printed in both)."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        return "is not an https:// URL"
    if not parts.hostname or "." not in parts.hostname:
        return "has no host name"
    if any(character.isspace() or ord(character) < 32 for character in url):
        return "contains a space or a control character"
    if any(character in url for character in '<>"\'\\`'):
        return "contains a character a URL may not hold unescaped (< > \" ' \\ `)"
    return None
