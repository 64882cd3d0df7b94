"""The data model the pages are rendered from, independent of files and templates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .codes import CodeRange


@dataclass(frozen=True)
class SimilarPick:
    """A related code chosen by a contributor."""

    code: str
    reason: str | None


@dataclass(frozen=True)
class CodeRecord:
    """Curated, plain-language content about one code (``content/<system>/<code>.yaml``)."""

    system: str
    code: str
    source_path: str
    name: str
    draft: bool = False
    #: ``draft`` until a clinician reviewed it, then ``reviewed`` (with who and when).
    status: str = "draft"
    reviewed_by: str | None = None
    reviewed_on: datetime.date | None = None
    edition: str | None = None
    common_names: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    add_on: bool = False
    primary_codes: tuple[str, ...] = ()
    #: Plain-language sections by field name (text or tuple of items); only fields with content.
    sections: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    similar: tuple[SimilarPick, ...] = ()
    #: Codes of other systems for the same service: (system, code, reason).
    equivalents: tuple[tuple[str, str, str | None], ...] = ()


@dataclass(frozen=True)
class Policy:
    """A public policy or guideline document that covers some codes (``content/policies/<id>.yaml``)."""

    id: str
    source_path: str
    publisher: str
    title: str
    identifier: str | None
    url: str
    date: datetime.date | None
    date_type: str | None
    summary: str
    #: Per system: what the document covers, each code or prefix as a range of itself (``E11-E11``).
    scopes: dict[str, tuple[CodeRange, ...]]
    #: One of :data:`generator.schema.POLICY_KINDS`.
    kind: str = "payer policy"
    #: The part of the document cited (``Section I.C.4``), if it is cited in part.
    section: str | None = None
    #: How its URL was verified.
    checked: str = ""
    #: The name code pages list it by, when it covers many codes.
    short_title: str | None = None

    def covers(self, system: str, code: str) -> bool:
        return any(code in scope for scope in self.scopes.get(system, ()))


@dataclass(frozen=True)
class Family:
    """A named range of codes of one system, with an index page of its own."""

    system: str
    range: CodeRange
    title: str
    summary: str | None
    source_path: str
    #: A range with no codes in use (numbers reserved or retired).
    unassigned: bool = False


@dataclass(frozen=True)
class VocabularyEntry:
    """How people say something, and the codes it leads to (``content/vocabulary/<name>.yaml``)."""

    system: str
    say: tuple[str, ...]
    #: The words an official title must contain (``-word``: must not), or None.
    title_words: str | None
    #: Codes or code prefixes it applies to.
    codes: tuple[str, ...]
    source_path: str
    line: int
    #: Its place in its file's ``entries``, for messages about its fields.
    index: int


@dataclass
class Content:
    """Everything read from ``content/`` after validation."""

    records: dict[tuple[str, str], CodeRecord]
    policies: list[Policy]
    families: dict[str, list[Family]]
    vocabulary: list[VocabularyEntry] = field(default_factory=list)
    #: What validation noticed that does not stop a build ("file:line: field: message" objects).
    warnings: list = field(default_factory=list)
