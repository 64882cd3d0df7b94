"""Search stage: write the split search index that the browser and ``python -m generator search`` read.

The index is a folder of small JavaScript files (``<out_dir>/index/``), each calling
``OMCSearchData(name, payload)``, so that the browser can load them with script tags
from http and from file:// alike. A query loads only the files it needs:

``manifest.js``
    system list with the first code of every document chunk, the first term of every
    term shard, and the ranking constants (read by both engines).
``t/<n>.js``
    a term shard: a contiguous range of the sorted terms, each with its document
    frequency, idf and, per field, postings ``(doc id, value)``: the value holds the
    document's flags, the length class of the shortest phrase of the field holding the
    term (for BM25), the lengths in words of the phrases holding it (to see that a query
    is a whole phrase) and whether it is a phrase's first word (see ``WHOLE_MAX``). A term in
    fewer than ``typoRareDf`` documents also lists the words as written that it stands for.
``d/<system>/<n>.js``
    a document chunk: code, title, name, flags (and URL when not the default) of
    ``CHUNK_DOCS`` consecutive documents in code order.
``v/<length>.js``
    every word of one length as written in the documents, most frequent first, with its
    document frequency: the vocabulary for typo tolerance and wildcards.
``f/<system>.js``
    one flag character per document, for counting filtered code ranges.

Doc ids follow code-book order within each system, so a code prefix or range is a
contiguous run of doc ids. See ``docs/search-design.md``.
"""

from __future__ import annotations

import bisect
import json
import shutil
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lunr.idf import idf as lunr_idf

from .codes import SYSTEMS, CodeRange
from .errors import Abort
from .progress import Progress
from .search_thesaurus import Vocabulary
from .search_text import (
    CODE_KEY_PATTERNS,
    CODE_LENGTHS,
    OTHER_SYSTEM_NAMES,
    RETIRED_SYSTEMS,
    DEFAULT_CODE_KEY_PATTERN,
    GENERIC_PATTERN,
    INDEX_FORMAT,
    SPECIFIC_WORDS,
    SYSTEM_ORDER,
    PhraseShape,
    analyse,
    doc_sort_key,
    encode_postings,
    first_key,
    range_bounds,
    generic_terms,
    indexed_words,
    phrase_shape,
)

#: Documents per document chunk.
CHUNK_DOCS = 64
#: Target size of a term shard in bytes (a term with more postings gets a shard of its own).
TERM_SHARD_BYTES = 48_000
#: The indexed fields, in the order of the postings in a term shard.
FIELDS = ("title", "synonyms", "text")
#: BM25 parameters, as in lunr.
K1 = 1.2
B = 0.75
#: A field's text is a list of phrases (the title and the plain-language name; each synonym; the
#: other text). A term's BM25 length is the length of the shortest phrase holding it, stored as one
#: of these classes (the class of a length is the last one not above it).
LENGTH_CLASSES = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 17, 20, 24, 30, 40)
#: Phrases of up to this many words can be a whole query.
WHOLE_MAX = 5
#: A posting's value (12 bits, see search_text.encode_postings): bit 11 the term is the first core word
#: of a phrase of the field ("Pneumonia, unspecified organism"); bits 6-10 the lengths in words of
#: the field's phrases holding it (bit n-1 for n words, up to WHOLE_MAX); bits 2-5 the length class of
#: the shortest phrase holding it (for BM25); bits 0-1 the document's flags (billable, active).

#: Ranking constants, written into the manifest so both engines use the same numbers.
RANKING = {
    "fieldWeight": [3, 2, 1],          # per field in FIELDS
    "fieldClass": [3, 2, 1],           # title beats synonyms beats other text
    "matchWeight": {"exact": 4, "prefix": 3, "typo": 2},
    "bestFieldExtra": 3,               # a word's points: sum over fields + this many times its best field
    "prefixMinLength": 3,              # the word being typed expands to terms it starts
    "prefixMaxShards": 3,              # ... unless the expansion spans more shards than this
    "prefixMaxTerms": 40,              # ... keeping the most frequent terms
    "typoMinLength": 5,                # one-edit typo tolerance for words this long
    "typoMaxTerms": 8,
    "typoRareDf": 30,                  # a word that is not in the vocabulary but whose term is in fewer documents
    "typoCorrectRatio": 10,            # ... is corrected to a word one edit away that is in this many times more
    "wildcardMaxTerms": 60,
}


def bm25_factors(average: float) -> list[int]:
    """lunr's BM25 term-frequency factor (tf 1, k1 1.2, b 0.75) × 100 for each length class."""
    return [round(100 * (K1 + 1) / (1 + K1 * (1 - B + B * length / average))) for length in LENGTH_CLASSES]


def length_class(length: int) -> int:
    return max(0, bisect.bisect_right(LENGTH_CLASSES, length) - 1)


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
    #: A named range (a CPT family) that answers for the codes it holds that have no document of their own.
    family: bool = False
    #: Whether its words are indexed; False for a code found only by its number (ICD-9-CM).
    words: bool = True


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


@dataclass(frozen=True)
class Phrase:
    """One phrase of a field: its terms, its length for BM25 and in words, its first core term."""

    terms: tuple[str, ...]
    length: int          # for BM25: core words, plus, for everyday words, the title's words they leave out
    words: int           # core words (see search_text.phrase_shape)
    head: str | None     # the first core term


class _Texts:
    """Analysis of each distinct text, done once: many titles and synonyms repeat across codes."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._seen: dict[str, tuple[tuple[str, ...], tuple[str, ...], PhraseShape]] = {}
        self._everyday: dict[tuple[str, str], list[tuple[str, frozenset[str]]]] = {}

    def info(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...], PhraseShape]:
        """The text's terms (each once, in order; hyphenated words also joined), its words, its shape."""
        found = self._seen.get(text)
        if found is None:
            listed = indexed_words(text)
            analysed = (analyse(word) for word in listed)
            found = self._seen[text] = (tuple(dict.fromkeys(t for t in analysed if t is not None)), listed, phrase_shape(text))
        return found

    def everyday(self, text: str, system: str) -> list[tuple[str, frozenset[str]]]:
        found = self._everyday.get((system, text))
        if found is None:
            found = self._everyday[(system, text)] = self.vocabulary.everyday_phrases(set(self.info(text)[0]), system, text)
        return found

    def phrase(self, text: str, others: int = 0) -> Phrase | None:
        found, _, shape = self.info(text)
        if not found:
            return None
        return Phrase(found, max(1, shape.length + others), shape.length, shape.head)

    def fields(self, document: SearchDocument) -> tuple[list[tuple[str, int]], ...]:
        """The texts of each field with their count of other words: title (and plain-language name),
        synonyms (and everyday words for the title and the synonyms, with the number of words of the
        phrase they stand for that they leave out), other text."""
        titles = [document.title]
        if document.name and document.name.strip().lower() != document.title.strip().lower():
            titles.append(document.name)
        everyday: dict[str, int] = {}
        for source in [*titles, *document.synonyms]:
            shape = self.info(source)[2]
            for text, required in self.everyday(source, document.system):
                others = len(set(shape.terms) - required) + shape.specific
                everyday[text] = min(others, everyday.get(text, others))
        synonyms = [(text, 0) for text in document.synonyms] + list(everyday.items())
        # A phrase written for a group of codes stands best for the plainest of them: like a title rule's phrase,
        # it counts the title's own core words (after the first), so "Zoster without complications" ranks
        # before "Zoster encephalitis" for "shingles"; codes deeper than one level below the entry count more.
        plainness = max(0, self.info(document.title)[2].length - 1)
        title_terms = frozenset(self.info(document.title)[0])
        synonyms += [(text, depth + plainness)
                     for text, depth in self.vocabulary.code_phrases(document.system, document.code, title_terms)
                     if text not in everyday and text not in document.synonyms]
        return [(text, 0) for text in titles], synonyms, [(document.text, 0)]


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


#: Per system with family documents: the shape of a whole code a family may answer for (CPT: Category I
#: numbers and F, T, U codes; a family holds only codes of its own kind, the last character's class).
FAMILY_CODE_PATTERNS = {"cpt": "^[0-9]{4}[0-9FTU]$"}


def write_search_index(documents: Iterable[SearchDocument], out_dir: Path,
                       new_record_url: str | None = None, vocabulary: Vocabulary | None = None) -> SearchIndexStats:
    """Write the search index for ``documents`` into ``out_dir/index/`` (replacing what was there).

    ``vocabulary`` (content/vocabulary/) adds everyday words to the synonyms of the titles and codes
    it names. ``new_record_url`` is where a contributor starts a record, with ``__CODE__`` for the code
    (a family's answer for a code without a page links to it).

    Raises :class:`Abort` when a ``(system, code)`` appears twice.
    """
    ordered = _order(documents)
    root = out_dir / "index"
    staging = out_dir / "index.new"
    if staging.exists():
        shutil.rmtree(staging)
    files = _Files(staging)

    # Postings per term and field: doc ids, and per doc the shortest phrase's BM25 length << 16 | head << 8 | word counts.
    postings: dict[str, tuple[array, array, array]] = {}
    lengths = [0] * len(FIELDS)
    phrases = [0] * len(FIELDS)
    document_frequency: dict[str, int] = {}
    texts = _Texts(vocabulary or Vocabulary())
    progress = Progress("search index", len(ordered), "documents")
    for doc_id, document in enumerate(ordered):
        if doc_id % 1000 == 999:
            progress.advance(1000)
        seen_words: set[str] = set()
        for field, field_texts in enumerate(texts.fields(document) if document.words else ()):
            shortest: dict[str, list[int]] = {}
            for text, others in field_texts:
                phrase = texts.phrase(text, others)
                if phrase is None:
                    continue
                seen_words.update(texts.info(text)[1])
                lengths[field] += phrase.length
                phrases[field] += 1
                for term in phrase.terms:
                    best = shortest.get(term)
                    if best is None:
                        best = shortest[term] = [phrase.length, 0, 0]
                    else:
                        best[0] = min(best[0], phrase.length)
                    if 1 <= phrase.words <= WHOLE_MAX:
                        best[1] |= 1 << (phrase.words - 1)
                    if term == phrase.head:
                        best[2] = 1
            for term, (length, count, head) in shortest.items():
                lists = postings.get(term)
                if lists is None:
                    lists = postings[term] = (array("q"), array("q"), array("q"))
                lists[field].append(doc_id)
                lists[field].append(length << 16 | head << 8 | count)
        for word in seen_words:
            document_frequency[word] = document_frequency.get(word, 0) + 1
    del texts
    progress.count = len(ordered)
    progress.finish()
    averages = [lengths[f] / phrases[f] if phrases[f] else 1.0 for f in range(len(FIELDS))]
    flags = [flags_of(document) for document in ordered]

    # Term shards, in term order.
    shard_starts: list[str] = []
    shard: list[list[object]] = []
    shard_bytes = 0

    def flush() -> None:
        nonlocal shard, shard_bytes
        if shard:
            files.write(f"t/{len(shard_starts) - 1}", shard)
            shard, shard_bytes = [], 0

    # A rare term's words as written: a query word whose term is rare but which is none of them is doubtful
    # (a typo or a word being typed), known from the term's own entry without loading the vocabulary.
    forms: dict[str, list[str]] = {}
    for word in sorted(document_frequency):
        term = analyse(word)
        if term is not None and term in postings:
            forms.setdefault(term, []).append(word)
    for term in sorted(postings):
        lists = postings[term]
        docs_with_term = len({doc for field in lists for doc in field[0::2]})
        idf = lunr_idf({"_": dict.fromkeys(range(docs_with_term))}, len(ordered))
        entry: list[object] = [term, docs_with_term, max(1, round(idf * 100))]
        for values in lists:
            pairs = [
                (values[i], (values[i + 1] >> 8 & 1) << 11 | (values[i + 1] & 0xFF) << 6
                 | length_class(values[i + 1] >> 16) << 2 | flags[values[i]])
                for i in range(0, len(values), 2)
            ]
            entry.append(encode_postings(pairs))
        if docs_with_term < RANKING["typoRareDf"]:
            entry.append(" ".join(forms.get(term, ())))
        size = len(term) + sum(len(part) for part in entry[3:]) + 16
        if shard and shard_bytes + size > TERM_SHARD_BYTES:
            flush()
        if not shard:
            shard_starts.append(term)
        shard.append(entry)
        shard_bytes += size
    flush()

    # Vocabulary: the words as written, per length, most frequent first.
    vocabulary: dict[int, list[str]] = {}
    for word in sorted(document_frequency, key=lambda w: (-document_frequency[w], w)):
        vocabulary.setdefault(len(word), []).append(word)
    for length, listed in vocabulary.items():
        files.write(f"v/{length}", {"w": " ".join(listed), "n": " ".join(str(document_frequency[w]) for w in listed)})

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
        entry = {
            "key": system,
            "name": SYSTEMS[system].name if system in SYSTEMS else OTHER_SYSTEM_NAMES.get(system, system),
            "base": start,
            "count": end - start,
            "starts": starts,
            "pattern": CODE_KEY_PATTERNS.get(system, DEFAULT_CODE_KEY_PATTERN),
            "lengths": CODE_LENGTHS.get(system, []),
            "mixed": mixed,                 # [some are headers, some are terminated]: f/<system>.js exists
        }
        if system in RETIRED_SYSTEMS:
            entry["retired"] = True         # a code set no longer in use, found by number only
        families = [(CodeRange(*range_bounds(d.code)), position) for position, d in enumerate(members) if d.family]
        if families:
            # Narrowest first, so the first family holding a code is its own.
            families.sort(key=lambda item: (item[0].width, item[1]))
            entry["families"] = [[span.first, span.last, position] for span, position in families]
            entry["familyCode"] = FAMILY_CODE_PATTERNS[system]
        systems.append(entry)
        start = end

    files.write("manifest", {
        "format": INDEX_FORMAT,
        "documents": len(ordered),
        "chunk": CHUNK_DOCS,
        "fields": list(FIELDS),
        "systems": systems,
        "shards": shard_starts,
        "newRecord": new_record_url,
        "lengths": sorted(vocabulary),
        "ranking": {**RANKING, "tfn": [bm25_factors(average) for average in averages],
                    "generic": sorted(generic_terms()), "genericPattern": GENERIC_PATTERN, "wholeMax": WHOLE_MAX,
                    "specificWords": list(SPECIFIC_WORDS)},
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

