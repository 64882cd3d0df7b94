"""Codes named in contributors' prose ("add Z79.4", "coded with 0DTJ4ZZ", "see J9035").

A token is read as a code when its shape says which system it belongs to: a letter, two
characters, a dot and more (ICD-10-CM: ``E11.649``); a letter and four digits (HCPCS:
``J9035``); seven code characters starting with an ICD-10-PCS section (``0DTJ4ZZ``). Such a
token must be an official code, or validation reports it. A bare three-character token
(``E11``) is read as an ICD-10-CM category only when one exists, since ``B12`` or ``T1D`` may
be words. CPT numbers are linked when the site has their page and never reported: the site has
no official list of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from markupsafe import Markup, escape

_TOKEN = re.compile(
    r"(?<![\w.])(?:"
    r"(?P<icd10cm>[A-Z][0-9][0-9A-Z]\.[0-9A-Z]{1,4})"
    r"|(?P<icd10pcs>[0-9BCDFGHX][0-9A-HJ-NP-Z]{6})"
    r"|(?P<hcpcs>[A-V][0-9]{4})"
    r"|(?P<category>[A-Z][0-9][0-9A-Z])"
    r"|(?P<cpt>[0-9]{4}[0-9FTU])"
    r")(?![\w]|\.[0-9A-Z])"
)


@dataclass(frozen=True)
class CodeMention:
    start: int
    end: int
    system: str
    code: str
    #: Whether the shape alone makes it a code (an unknown one is an error); a bare category is not.
    certain: bool


def mentions(text: str) -> Iterator[CodeMention]:
    """Every code-shaped token of ``text``."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or ""
        system = "icd10cm" if kind == "category" else kind
        if kind == "icd10pcs" and not re.search(r"[0-9]", match.group(0)[1:]):
            continue  # seven capital letters are a word, not a code
        yield CodeMention(match.start(), match.end(), system, match.group(0), kind not in ("category", "cpt"))


def linked(text: str, link: Callable[[str, str], str | None]) -> Markup | str:
    """``text`` with each code that ``link(system, code)`` gives a URL for made a link; plain text when none."""
    spans = [(mention.start, mention.end, href) for mention in mentions(text)
             if (href := link(mention.system, mention.code)) is not None]
    return linked_spans(text, spans) if spans else text


def linked_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> Markup:
    """``text`` escaped, with each ``(start, end, href)`` span (in order, apart) made a link."""
    parts: list[Markup] = []
    position = 0
    for start, end, href in spans:
        parts.append(escape(text[position:start]))
        parts.append(Markup('<a href="{}">{}</a>').format(href, text[start:end]))
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)
