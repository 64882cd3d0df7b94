"""Search stage: write the split search index that the browser and ``python -m generator search`` read.

The index is a folder of small JavaScript files (``<out_dir>/index/``), each calling
``OMCSearchData(name, payload)``, so that the browser can load them with script tags
from http and from file:// alike. A query loads only the files it needs:

``manifest.js``
    system list with the first code of every document chunk, the first term of every
    term shard, and the ranking constants (read by both engines).
``t/<n>.js``
    a term shard: a contiguous range of the sorted terms, each with its document
    frequency, idf and, per field, postings ``(doc id, quantised BM25 level, flags)``.
``d/<system>/<n>.js``
    a document chunk: code, title, name, flags (and URL when not the default) of
    ``CHUNK_DOCS`` consecutive documents in code order.
``v/<length>.js``
    every term of one length: the vocabulary for typo tolerance and wildcards.
``f/<system>.js``
    one flag character per document, for counting filtered code ranges.

Doc ids follow code-book order within each system, so a code prefix or range is a
contiguous run of doc ids. See ``docs/search-design.md``.
"""

from __future__ import annotations

import json
import shutil
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lunr.idf import idf as lunr_idf

from .errors import Abort
from .search_thesaurus import everyday_terms
from .search_text import (
    CODE_KEY_PATTERNS,
    DEFAULT_CODE_KEY_PATTERN,
    SYSTEM_ORDER,
    doc_sort_key,
    encode_postings,
    first_key,
    terms,
)

#: Version of the file layout; the browser refuses an index it does not understand.
FORMAT = 1
#: Documents per document chunk.
CHUNK_DOCS = 64
#: Target size of a term shard in bytes (a term with more postings gets a shard of its own).
TERM_SHARD_BYTES = 48_000
#: The indexed fields, in the order of the postings in a term shard.
FIELDS = ("title", "synonyms", "text")
#: BM25 parameters, as in lunr.
K1 = 1.2
B = 0.75
#: BM25 term-frequency factors are stored as one of ``LEVELS`` levels between TF_LOW and TF_HIGH.
LEVELS = 16
TF_LOW, TF_HIGH = 0.2, 2.2

#: Ranking constants, written into the manifest so both engines use the same numbers.
RANKING = {
    "fieldWeight": [3, 2, 1],          # per field in FIELDS
    "fieldClass": [3, 2, 1],           # title beats synonyms beats other text
    "matchWeight": {"exact": 4, "prefix": 3, "typo": 2},
    "bestFieldExtra": 3,               # a word's points: sum over fields + this many times its best field
    "tfn": [round((TF_LOW + level * (TF_HIGH - TF_LOW) / (LEVELS - 1)) * 100) for level in range(LEVELS)],
    "prefixMinLength": 3,              # the word being typed expands to terms it starts
    "prefixMaxShards": 3,              # ... unless the expansion spans more shards than this
    "prefixMaxTerms": 40,              # ... keeping the most frequent terms
    "typoMinLength": 5,                # one-edit typo tolerance for words this long
    "typoMaxTerms": 8,
    "wildcardMaxTerms": 60,
}


@dataclass(frozen=True)
class SearchDocument:
    """One search result: a code page (or a header page such as a category or a code range)."""

    system: str            # "cpt" | "icd10cm" | "icd10pcs" | "hcpcs"
    code: str              # normal form: "E11.65", "0DTJ4ZZ", "J9035", "96417"
    title: str             # official title (for CPT: our plain-language name)
    name: str | None       # plain-language name where we have one
    synonyms: tuple[str, ...]   # inclusion terms, PCS body-part "includes", common names and synonyms
    text: str              # other text worth matching (short)
    url: str               # site-relative URL, e.g. "icd10cm/E11.65.html"
    billable: bool         # False for headers (categories, chapters, tables)
    active: bool           # False for terminated HCPCS codes


@dataclass(frozen=True)
class SearchIndexStats:
    """What :func:`write_search_index` wrote."""

    documents: int
    terms: int
    term_shards: int
    doc_chunks: int
    files: int
    bytes: int
    largest_file_bytes: int


def default_url(system: str, code: str) -> str:
    return f"{system}/{code}.html"


def flags_of(document: SearchDocument) -> int:
    return (2 if document.billable else 0) | (1 if document.active else 0)


def tf_level(tf: int, length: int, average: float) -> int:
    """The BM25 term-frequency factor of lunr (k1 = 1.2, b = 0.75), quantised to a level."""
    factor = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))
    level = round((factor - TF_LOW) / (TF_HIGH - TF_LOW) * (LEVELS - 1))
    return min(LEVELS - 1, max(0, level))


def _field_texts(document: SearchDocument) -> tuple[str, str, str]:
    """The text of each field: title (and plain-language name), synonyms (and everyday words), other text."""
    title = document.title
    if document.name and document.name.strip().lower() != document.title.strip().lower():
        title = f"{title} {document.name}"
    synonyms = [*document.synonyms, *everyday_terms(set(terms(title)))]
    return title, " ; ".join(synonyms), document.text


def _system_rank(system: str) -> tuple[int, str]:
    return (SYSTEM_ORDER.index(system), "") if system in SYSTEM_ORDER else (len(SYSTEM_ORDER), system)


def _order(documents: Iterable[SearchDocument]) -> list[SearchDocument]:
    ordered = sorted(documents, key=lambda d: (_system_rank(d.system), doc_sort_key(d.code)))
    seen: set[tuple[str, str]] = set()
    for document in ordered:
        identity = (document.system, document.code)
        if identity in seen:
            raise Abort(f"search index: {document.system} code {document.code!r} appears twice")
        seen.add(identity)
    return ordered


class _Files:
    """Writes ``OMCSearchData(name, payload);`` files under one folder and counts them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0
        self.bytes = 0
        self.largest = 0

    def write(self, name: str, payload: object) -> None:
        text = f"OMCSearchData({json.dumps(name)},{json.dumps(payload, ensure_ascii=False, separators=(',', ':'))});\n"
        data = text.encode("utf-8")
        path = self.root / f"{name}.js"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.count += 1
        self.bytes += len(data)
        self.largest = max(self.largest, len(data))


def write_search_index(documents: Iterable[SearchDocument], out_dir: Path) -> SearchIndexStats:
    """Write the search index for ``documents`` into ``out_dir/index/`` (replacing what was there).

    Raises :class:`Abort` when a ``(system, code)`` appears twice.
    """
    ordered = _order(documents)
    root = out_dir / "index"
    staging = out_dir / "index.new"
    if staging.exists():
        shutil.rmtree(staging)
    files = _Files(staging)

    # Postings per term and field: doc ids, and term frequency << 16 | field length.
    postings: dict[str, tuple[array, array, array]] = {}
    lengths = [0] * len(FIELDS)
    non_empty = [0] * len(FIELDS)
    for doc_id, document in enumerate(ordered):
        for field, text in enumerate(_field_texts(document)):
            found = terms(text) if text else []
            if not found:
                continue
            lengths[field] += len(found)
            non_empty[field] += 1
            # Titles are short: saying a word twice is not evidence of more relevance, so tf is 1.
            for term in dict.fromkeys(found):
                tf = 1
                lists = postings.get(term)
                if lists is None:
                    lists = postings[term] = (array("q"), array("q"), array("q"))
                lists[field].append(doc_id)
                lists[field].append(min(tf, 0xFFFF) << 16 | min(len(found), 0xFFFF))
    averages = [lengths[f] / non_empty[f] if non_empty[f] else 1.0 for f in range(len(FIELDS))]
    flags = [flags_of(document) for document in ordered]

    # Term shards, in term order.
    shard_starts: list[str] = []
    shard: list[list[object]] = []
    shard_bytes = 0
    vocabulary: dict[int, list[str]] = {}

    def flush() -> None:
        nonlocal shard, shard_bytes
        if shard:
            files.write(f"t/{len(shard_starts) - 1}", shard)
            shard, shard_bytes = [], 0

    for term in sorted(postings):
        lists = postings[term]
        docs_with_term = len({doc for field in lists for doc in field[0::2]})
        idf = lunr_idf({"_": dict.fromkeys(range(docs_with_term))}, len(ordered))
        entry: list[object] = [term, docs_with_term, max(1, round(idf * 100))]
        for field, values in enumerate(lists):
            pairs = [
                (values[i], tf_level(values[i + 1] >> 16, values[i + 1] & 0xFFFF, averages[field]) << 2 | flags[values[i]])
                for i in range(0, len(values), 2)
            ]
            entry.append(encode_postings(pairs))
        size = len(term) + sum(len(part) for part in entry[3:]) + 16
        if shard and shard_bytes + size > TERM_SHARD_BYTES:
            flush()
        if not shard:
            shard_starts.append(term)
        shard.append(entry)
        shard_bytes += size
        vocabulary.setdefault(len(term), []).append(term)
    flush()
    for length, listed in vocabulary.items():
        files.write(f"v/{length}", " ".join(listed))

    # Document chunks and flags, per system.
    systems = []
    start = 0
    chunks = 0
    while start < len(ordered):
        system = ordered[start].system
        end = start
        while end < len(ordered) and ordered[end].system == system:
            end += 1
        members = ordered[start:end]
        starts = []
        for number, offset in enumerate(range(0, len(members), CHUNK_DOCS)):
            chunk = members[offset: offset + CHUNK_DOCS]
            starts.append(first_key(chunk[0].code))
            files.write(f"d/{system}/{number}", {
                "c": [d.code for d in chunk],
                "t": [d.title for d in chunk],
                "n": [d.name if d.name and d.name != d.title else "" for d in chunk],
                "f": "".join(str(flags_of(d)) for d in chunk),
                "u": {str(i): d.url for i, d in enumerate(chunk) if d.url != default_url(d.system, d.code)},
            })
            chunks += 1
        system_flags = "".join(str(flags[doc]) for doc in range(start, end))
        mixed = [any(not flags[doc] & 2 for doc in range(start, end)), any(not flags[doc] & 1 for doc in range(start, end))]
        if any(mixed):
            files.write(f"f/{system}", system_flags)
        systems.append({
            "key": system,
            "base": start,
            "count": end - start,
            "starts": starts,
            "pattern": CODE_KEY_PATTERNS.get(system, DEFAULT_CODE_KEY_PATTERN),
            "mixed": mixed,                 # [some are headers, some are terminated]: f/<system>.js exists
        })
        start = end

    files.write("manifest", {
        "format": FORMAT,
        "documents": len(ordered),
        "chunk": CHUNK_DOCS,
        "fields": list(FIELDS),
        "systems": systems,
        "shards": shard_starts,
        "lengths": sorted(vocabulary),
        "ranking": RANKING,
    })
    if root.exists():
        shutil.rmtree(root)
    staging.rename(root)
    return SearchIndexStats(
        documents=len(ordered),
        terms=len(postings),
        term_shards=len(shard_starts),
        doc_chunks=chunks,
        files=files.count,
        bytes=files.bytes,
        largest_file_bytes=files.largest,
    )

