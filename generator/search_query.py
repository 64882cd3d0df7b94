"""Answer a query from a built search index, with the same ranking as the browser.

This is the Python twin of the engine in ``site_templates/assets/search/search.js``
(``tests/test_search_engines.py`` checks that both return the same results). A query
is answered in three steps:

1. codes: an exact code, a code prefix (``E11.6``, ``964``) or a range
   (``96401-96549``) is looked up in the document chunks, which are in code order;
2. words, when no code matched: each word becomes a clause (its lunr term; the word
   being typed also expands to the terms it starts; a word of 5+ letters with no
   match tries terms one edit away), or lunr query syntax is parsed into clauses;
3. ranking: exact codes, then codes under the prefix or in the range in code order,
   then word matches by (words matched, weakest field matched, score, billable, active).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from lunr.exceptions import QueryParseError
from lunr.query import Query, QueryPresence
from lunr.query_parser import QueryParser

from .errors import Abort
from .search_text import analyse, code_key, decode_postings, first_key, fold, within_edits, words

FORMAT = 1
_PAYLOAD = re.compile(r'^OMCSearchData\("([^"]+)",(.*)\);\s*$', re.DOTALL)
_CODE = re.compile(r"^[A-Z0-9.]+$")
_RANGE = re.compile(r"^([A-Z0-9.]+) *[-\u2013\u2014] *([A-Z0-9.]+)$")
_POWER = re.compile(r"(^|[ \t])[+-][^ \t]|[A-Za-z]:[A-Za-z]|\*|~|\^[0-9]")
_PCS_CODE = re.compile(r"^[0-9A-HJ-NP-Z]{7}$")
#: Sorts after every character of a code key, so ``key + AFTER`` bounds the codes that start with ``key``.
AFTER = "~"


@dataclass(frozen=True)
class Filters:
    """Which results to keep: systems (None for all), billable codes only, terminated codes too."""

    systems: frozenset[str] | None = None
    billable_only: bool = False
    include_terminated: bool = False

    def keep(self, system: str, flags: int) -> bool:
        if self.systems is not None and system not in self.systems:
            return False
        if self.billable_only and not flags & 2:
            return False
        return self.include_terminated or bool(flags & 1)


@dataclass(frozen=True)
class Hit:
    system: str
    code: str
    title: str
    name: str
    url: str
    billable: bool
    active: bool
    kind: str   # "exact" | "prefix" | "range" | "words"


@dataclass
class SearchResult:
    query: str
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)   # matched index terms, for highlighting
    error: str | None = None


@dataclass
class Clause:
    term: str | None              # the analysed term (None when only a prefix or pattern is searched)
    raw: str                      # the word as typed, folded
    fields: list[int]
    presence: int = QueryPresence.OPTIONAL.value
    boost: int = 1
    prefix: bool = False          # expand to the terms that start with ``raw``
    fuzzy: int = 0                # edit distance
    fuzzy_always: bool = False    # lunr syntax ``term~1``: always; plain words: only when nothing matched
    pattern: str | None = None    # lunr wildcard pattern such as ``diab*``


class IndexReader:
    """Reads the index files of one built index folder, each once."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self.cache: dict[str, object] = {}
        if not (index_dir / "manifest.js").is_file():
            raise Abort(f"{index_dir}: no search index here (expected manifest.js); build the site first")
        self.manifest = self.load("manifest")
        if self.manifest["format"] != FORMAT:
            raise Abort(f"{index_dir}: search index format {self.manifest['format']}, expected {FORMAT}")
        self.ranking = self.manifest["ranking"]
        self.fields = self.manifest["fields"]
        self.systems = self.manifest["systems"]
        self.chunk = self.manifest["chunk"]
        self._shard_terms: dict[int, dict[str, list]] = {}

    def load(self, name: str):
        if name not in self.cache:
            text = (self.index_dir / f"{name}.js").read_text(encoding="utf-8")
            match = _PAYLOAD.match(text)
            if match is None or match.group(1) != name:
                raise Abort(f"{self.index_dir / name}.js: not a search index file")
            self.cache[name] = json.loads(match.group(2))
        return self.cache[name]

    # --- documents

    def system_of(self, doc: int) -> dict:
        for system in self.systems:
            if system["base"] <= doc < system["base"] + system["count"]:
                return system
        raise IndexError(doc)

    def chunk_of(self, system: dict, position: int) -> dict:
        return self.load(f"d/{system['key']}/{position // self.chunk}")

    def document(self, doc: int) -> tuple[dict, dict, int]:
        system = self.system_of(doc)
        position = doc - system["base"]
        return system, self.chunk_of(system, position), position % self.chunk

    def kept(self, system: dict, position: int, filters: Filters) -> bool:
        """Whether the document at ``position`` of ``system`` passes ``filters`` (reads flags only if needed)."""
        if filters.systems is not None and system["key"] not in filters.systems:
            return False
        some_headers, some_terminated = system["mixed"]
        if not ((filters.billable_only and some_headers) or (not filters.include_terminated and some_terminated)):
            return True
        return filters.keep(system["key"], int(self.load(f"f/{system['key']}")[position]))

    def lower_bound(self, system: dict, key: str) -> int:
        """Position in ``system`` of the first document whose first key is at least ``key``."""
        starts = system["starts"]
        chunk = bisect.bisect_left(starts, key)
        if chunk == 0:
            return 0
        codes = self.load(f"d/{system['key']}/{chunk - 1}")["c"]
        for offset, code in enumerate(codes):
            if first_key(code) >= key:
                return (chunk - 1) * self.chunk + offset
        return chunk * self.chunk if chunk < len(starts) else system["count"]

    # --- terms

    def shard_of(self, term: str) -> int:
        return bisect.bisect_right(self.manifest["shards"], term) - 1

    def shard(self, number: int) -> dict[str, list]:
        if number not in self._shard_terms:
            self._shard_terms[number] = {entry[0]: entry for entry in self.load(f"t/{number}")}
        return self._shard_terms[number]

    def entry(self, term: str) -> list | None:
        number = self.shard_of(term)
        return self.shard(number).get(term) if number >= 0 else None

    def vocabulary(self, length: int) -> list[str]:
        if length not in self.manifest["lengths"]:
            return []
        return self.load(f"v/{length}").split(" ")


# --- codes ------------------------------------------------------------------------------------

def _code_hits(reader: IndexReader, query: str, filters: Filters) -> tuple[list[tuple[int, str]], int]:
    """Code results as ``(doc, kind)`` in rank order (exact codes first) and their total count."""
    text = query.strip().upper()
    spans: list[tuple[dict, int, int, str]] = []   # system, first position, end position, kind
    exact: list[tuple[dict, int]] = []
    match = _RANGE.match(text)
    if match:
        first, last = code_key(match.group(1)), code_key(match.group(2))
        if not (re.search(r"[0-9]", first) and re.search(r"[0-9]", last)) or first > last:
            return [], 0
        for system in reader.systems:
            pattern = re.compile(system["pattern"])
            if pattern.match(first) and pattern.match(last):
                spans.append((system, reader.lower_bound(system, first), reader.lower_bound(system, last + AFTER), "range"))
    elif _CODE.match(text):
        key = code_key(text)
        if not key or not (re.search(r"[0-9]", key) or _PCS_CODE.match(key)):
            return [], 0
        for system in reader.systems:
            if not re.match(system["pattern"], key):
                continue
            low = reader.lower_bound(system, key)
            high = reader.lower_bound(system, key + AFTER)
            if low < high and code_key(reader.chunk_of(system, low)["c"][low % reader.chunk]) == key:
                exact.append((system, low))
                low += 1
            if re.search(r"[0-9]", key):
                spans.append((system, low, high, "prefix"))
    ranked: list[tuple[int, str]] = []
    total = 0
    for system, position in exact:
        if reader.kept(system, position, filters):
            ranked.append((system["base"] + position, "exact"))
            total += 1
    for system, low, high, kind in spans:
        if filters.systems is not None and system["key"] not in filters.systems:
            continue
        for position in range(low, high):
            if reader.kept(system, position, filters):
                total += 1
                ranked.append((system["base"] + position, kind))
    return ranked, total


# --- words ------------------------------------------------------------------------------------

def _clauses(reader: IndexReader, query: str) -> list[Clause]:
    """The clauses of a word query; lunr query syntax when the query uses it."""
    all_fields = list(range(len(reader.fields)))
    ranking = reader.ranking
    clauses: list[Clause] = []
    if _POWER.search(query):
        parsed = Query(reader.fields)
        QueryParser(query, parsed).parse()
        for lunr_clause in parsed.clauses:
            fields = [reader.fields.index(name) for name in lunr_clause.fields]
            presence = lunr_clause.presence.value
            if "*" in lunr_clause.term:
                pattern = re.sub(r"[^a-z0-9'*]", "", fold(lunr_clause.term))
                if pattern.strip("*"):
                    clauses.append(Clause(None, pattern, fields, presence, lunr_clause.boost, pattern=pattern))
                continue
            for word in words(lunr_clause.term):
                term = analyse(word) if lunr_clause.use_pipeline else word
                if term is not None:
                    clauses.append(Clause(term, word, fields, presence, lunr_clause.boost,
                                          fuzzy=min(lunr_clause.edit_distance, 2), fuzzy_always=True))
        return clauses
    typed = words(query)
    typing = not query[-1:].isspace()
    seen: set[str] = set()
    for number, word in enumerate(typed):
        last = number == len(typed) - 1
        term = analyse(word)
        prefix = last and typing and len(word) >= ranking["prefixMinLength"] and word.isalnum()
        if term is None and not (prefix and len(typed) == 1):
            continue
        if (term or "*" + word) in seen:
            continue
        seen.add(term or "*" + word)
        fuzzy = 1 if len(word) >= ranking["typoMinLength"] else 0
        clauses.append(Clause(term, word, all_fields, prefix=prefix, fuzzy=fuzzy))
    return clauses


def _expansions(reader: IndexReader, clause: Clause) -> list[tuple[list, int]]:
    """The index entries a clause matches, each with its match weight."""
    ranking = reader.ranking
    weights = ranking["matchWeight"]
    found: dict[str, tuple[list, int]] = {}
    if clause.pattern is not None:
        head = clause.pattern.split("*")[0]
        if clause.pattern == head + "*" and "*" not in head:
            candidates = _prefixed(reader, head, shards=2 * ranking["prefixMaxShards"])
        else:
            regex = re.compile("^" + ".*".join(re.escape(part) for part in clause.pattern.split("*")) + "$")
            candidates = [t for length in reader.manifest["lengths"] for t in reader.vocabulary(length) if regex.match(t)]
            candidates = [entry for entry in (reader.entry(t) for t in sorted(candidates)[: ranking["wildcardMaxTerms"]]) if entry]
        for entry in candidates[: ranking["wildcardMaxTerms"]]:
            found[entry[0]] = (entry, weights["exact"])
        return list(found.values())
    if clause.term is not None:
        entry = reader.entry(clause.term)
        if entry is not None:
            found[clause.term] = (entry, weights["exact"])
    if clause.prefix:
        for entry in _prefixed(reader, clause.raw, shards=ranking["prefixMaxShards"])[: ranking["prefixMaxTerms"]]:
            found.setdefault(entry[0], (entry, weights["prefix"]))
    if clause.fuzzy and (clause.fuzzy_always or (not found and len(clause.raw) >= ranking["typoMinLength"])):
        for term in _near(reader, clause)[: ranking["typoMaxTerms"]]:
            entry = reader.entry(term)
            if entry is not None:
                found.setdefault(term, (entry, weights["typo"]))
    return list(found.values())


def _prefixed(reader: IndexReader, prefix: str, shards: int) -> list[list]:
    """Entries of the terms that start with ``prefix``, most frequent first (none if they span too many shards)."""
    first, last = max(reader.shard_of(prefix), 0), reader.shard_of(prefix + AFTER)
    if last - first + 1 > shards:
        return []
    entries = [entry for number in range(first, last + 1) for term, entry in reader.shard(number).items()
               if term.startswith(prefix)]
    return sorted(entries, key=lambda entry: (-entry[1], entry[0]))


def _near(reader: IndexReader, clause: Clause) -> list[str]:
    """Terms within the clause's edit distance of its term or its word, same first letter first."""
    targets = [t for t in dict.fromkeys([clause.term, clause.raw]) if t]
    lengths = sorted({length + d for t in targets for length in [len(t)] for d in range(-clause.fuzzy, clause.fuzzy + 1)})
    found = [candidate for length in lengths for candidate in reader.vocabulary(length)
             if any(within_edits(t, candidate, clause.fuzzy) for t in targets)]
    head = targets[0][0]
    return sorted(set(found), key=lambda t: (t[0] != head, t))


def _word_hits(reader: IndexReader, query: str, filters: Filters) -> tuple[list[int], int, list[str]]:
    clauses = _clauses(reader, query)
    ranking = reader.ranking
    tfn, field_weight, field_class = ranking["tfn"], ranking["fieldWeight"], ranking["fieldClass"]
    extra = ranking["bestFieldExtra"]
    counted = 0
    coverage: dict[int, int] = {}
    weakest: dict[int, int] = {}
    score: dict[int, int] = {}
    flags: dict[int, int] = {}
    required: set[int] | None = None
    prohibited: set[int] = set()
    matched_terms: list[str] = []
    for clause in clauses:
        best: dict[int, int] = {}          # per doc: the best expansion in each field, summed
        best_class: dict[int, int] = {}
        top: dict[int, int] = {}
        expansions = _expansions(reader, clause)
        if clause.presence != QueryPresence.PROHIBITED.value:
            matched_terms += [entry[0] for entry, _ in expansions]
        for field in clause.fields:
            in_field: dict[int, int] = {}
            for entry, weight in expansions:
                multiplier = entry[2] * field_weight[field] * weight * clause.boost
                for doc, value in decode_postings(entry[3 + field]):
                    points = multiplier * tfn[value >> 2]
                    if points > in_field.get(doc, 0):
                        in_field[doc] = points
                    flags[doc] = value & 3
            for doc, points in in_field.items():
                best[doc] = best.get(doc, 0) + points
                top[doc] = max(top.get(doc, 0), points)
                if field_class[field] > best_class.get(doc, 0):
                    best_class[doc] = field_class[field]
        for doc, points in top.items():
            best[doc] += extra * points
        if clause.presence == QueryPresence.PROHIBITED.value:
            prohibited.update(best)
            continue
        if clause.presence == QueryPresence.REQUIRED.value:
            required = set(best) if required is None else required & set(best)
        counted += 1
        for doc, points in best.items():
            coverage[doc] = coverage.get(doc, 0) + 1
            score[doc] = score.get(doc, 0) + points
            weakest[doc] = min(weakest.get(doc, 9), best_class[doc])
    docs = [doc for doc in coverage
            if doc not in prohibited and (required is None or doc in required)
            and filters.keep(reader.system_of(doc)["key"], flags[doc])]
    docs.sort(key=lambda doc: (-coverage[doc], -weakest[doc], -score[doc], -(flags[doc] >> 1), -(flags[doc] & 1), doc))
    return docs, counted, sorted(set(matched_terms))


# --- the query --------------------------------------------------------------------------------

def search(reader: IndexReader, query: str, filters: Filters = Filters(), limit: int = 10) -> SearchResult:
    """Answer ``query``: the first ``limit`` hits in rank order and the number of all hits."""
    result = SearchResult(query)
    if not query.strip():
        return result
    ranked, total = _code_hits(reader, query, filters)
    if not ranked:
        try:
            docs, _, result.terms = _word_hits(reader, query, filters)
        except QueryParseError as error:
            result.error = f"cannot read the query: {error}"
            return result
        ranked, total = [(doc, "words") for doc in docs], len(docs)
    result.total = total
    for doc, kind in ranked[:limit]:
        system, chunk, offset = reader.document(doc)
        flags = int(chunk["f"][offset])
        code = chunk["c"][offset]
        result.hits.append(Hit(
            system=system["key"], code=code, title=chunk["t"][offset], name=chunk["n"][offset],
            url=chunk["u"].get(str(offset), f"{system['key']}/{code}.html"),
            billable=bool(flags & 2), active=bool(flags & 1), kind=kind,
        ))
    return result


def format_result(result: SearchResult, names: dict[str, str]) -> str:
    """The plain-text answer of ``python -m generator search``."""
    if result.error:
        return result.error
    lines = []
    for number, hit in enumerate(result.hits, 1):
        notes = [note for note, show in (("header", not hit.billable), ("terminated", not hit.active)) if show]
        title = hit.title + (f" — {hit.name}" if hit.name else "")
        lines.append(f"{number:>3}. {names.get(hit.system, hit.system):<10} {hit.code:<9} {title}"
                     + (f" ({', '.join(notes)})" if notes else ""))
    count = f"{result.total} result{'s' if result.total != 1 else ''}"
    shown = f", showing {len(result.hits)}" if len(result.hits) < result.total else ""
    lines.append(f"{count}{shown}")
    return "\n".join(lines)


def run_command(args) -> int:
    """``python -m generator search QUERY``: print the ranked results; exit 1 when nothing matched."""
    from .codes import SYSTEMS

    index_dir = args.index or args.site_dir / "assets" / "search" / "index"
    reader = IndexReader(index_dir)
    filters = Filters(
        systems=frozenset(args.system) if args.system else None,
        billable_only=args.billable_only,
        include_terminated=args.include_terminated,
    )
    result = search(reader, args.query, filters, limit=args.limit)
    print(format_result(result, {key: system.name for key, system in SYSTEMS.items()}))
    return 0 if result.hits else 1
