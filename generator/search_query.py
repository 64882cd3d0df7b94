"""Answer a query from a built search index, with the same ranking as the browser.

This is the Python twin of the engine in ``site_templates/assets/search/search.js``
(``tests/test_search_engines.py`` checks that both return the same results). A query
is answered in three steps:

1. codes: an exact code, a code prefix (``E11.6``, ``964``) or a range
   (``96401-96549``) is looked up in the document chunks, which are in code order;
2. words, when no code matched: each word becomes a clause (its lunr term; the word
   being typed also expands to the terms it starts; a word of 5+ letters with no
   match tries the words one edit away), or lunr query syntax is parsed into clauses;
3. ranking: exact codes, then codes under the prefix or in the range in code order,
   then word matches by (words matched, whole phrase, words as typed, weakest field
   matched, score, billable, active); see :func:`_word_hits` and docs/search-design.md.
"""

from __future__ import annotations

import bisect
import json
import os
import sys
import re
from dataclasses import dataclass, replace, field
from pathlib import Path

from lunr.exceptions import QueryParseError
from lunr.query import Query, QueryPresence
from lunr.query_parser import QueryParser

from .codes import CodeRange
from .errors import Abort
from .search_text import INDEX_FORMAT, analyse, code_key, decode_postings, first_key, fold, range_bounds, within_edits, words

_PAYLOAD = re.compile(r'^OMCSearchData\("([^"]+)",(.*)\);\s*$', re.DOTALL)
_CODE = re.compile(r"^[A-Z0-9.]+$")
_RANGE = re.compile(r"^([A-Z0-9.]+) *[-\u2013\u2014] *([A-Z0-9.]+)$")
_POWER = re.compile(r"(^|[ \t])[+-][^ \t]|[A-Za-z]:[A-Za-z]|\*|~|\^[0-9]")
#: lunr's query syntax: a word required or left out (+, -), fuzzy (~), boosted (^), in a field (:), a wildcard (*).
_SYNTAX = re.compile(r"(^|\s)[+-]|[~^:*]")
_PCS_CODE = re.compile(r"^[0-9A-HJ-NP-Z]{7}$")
_HCPCS_CODE = re.compile(r"^[A-Z][0-9]{4}$")
#: How many ranges starting with a code may come before the code itself.
EXACT_LOOKAHEAD = 8
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
    kind: str   # "exact" | "prefix" | "range" | "family" | "words"
    #: The query, when its words matched as a whole phrase only among the code's other names (synonyms and
    #: everyday words, not its title or plain-language name): the page says "matched as another name".
    matched: str = ""


@dataclass
class SearchResult:
    query: str
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)   # matched index terms, for highlighting
    error: str | None = None
    #: When a code has no page and its family answers: the code, and where to start a record for it.
    missing_code: str | None = None
    new_record: str | None = None
    #: What search changed in the query, for the reader (e.g. a long query cut short).
    notice: str | None = None


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
        if self.manifest["format"] != INDEX_FORMAT:
            raise Abort(f"{index_dir}: search index format {self.manifest['format']}, expected {INDEX_FORMAT}")
        self.ranking = self.manifest["ranking"]
        self.fields = self.manifest["fields"]
        self.systems = self.manifest["systems"]
        self.chunk = self.manifest["chunk"]
        self._shard_terms: dict[int, dict[str, list]] = {}
        self._vocabulary: dict[int, tuple[list[str], list[int]]] = {}

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

    def vocabulary(self, length: int) -> tuple[list[str], list[int]]:
        """The words of ``length`` letters as written in the documents, most frequent first, and their frequencies."""
        if length not in self.manifest["lengths"]:
            return [], []
        if length not in self._vocabulary:
            payload = self.load(f"v/{length}")
            self._vocabulary[length] = (payload["w"].split(" "), [int(n) for n in payload["n"].split(" ")])
        return self._vocabulary[length]


# --- codes ------------------------------------------------------------------------------------

#: An ICD-9-CM code written with its dot (the first code of a range is enough).
_ICD9_DOTTED = re.compile(r"^\s*E?[0-9]{3}\.")


def _preferred(reader: IndexReader, text: str, keys: list[str]) -> list[dict]:
    """The systems in the order their codes should come for what was typed.

    Only ICD-10-CM and ICD-9-CM codes have dots: a dot after three digits (``401.9``) or after E and
    three digits (``E800.0``) puts ICD-9-CM first, any other dot ICD-10-CM; without one, a letter and
    four digits (``G0439``, ``J9000-J9999``) reads as HCPCS before ICD-10-CM (``G04.39``, ``J90``-``J99``).
    """
    systems = list(reader.systems)
    if _ICD9_DOTTED.match(text):
        first = "icd9cm"
    elif "." in text:
        first = "icd10cm"
    elif all(_HCPCS_CODE.match(key) for key in keys):
        first = "hcpcs"
    else:
        return systems
    return sorted(systems, key=lambda system: system["key"] != first)


def _exact_at(reader: IndexReader, system: dict, first: str, key: str, low: int, high: int) -> int:
    """The position of the code (or range) ``key`` among the first codes from ``low`` that start
    with ``first`` (ranges that start with a code come before it: ``I10-I1A``, ``I10``), or -1."""
    for position in range(low, min(high, low + EXACT_LOOKAHEAD)):
        code = reader.chunk_of(system, position)["c"][position % reader.chunk]
        if code_key(code) == key:
            return position
        if first_key(code) != first:
            break
    return -1


def _family_of(system: dict, key: str) -> int:
    """The position of the narrowest family document holding the whole code ``key`` (same kind: a CPT
    range holds numbers or F, T or U codes), or -1."""
    if "families" not in system or not re.match(system["familyCode"], key):
        return -1
    for first, last, position in system["families"]:
        if key in CodeRange(first, last):
            return position
    return -1


def _code_hits(reader: IndexReader, query: str, filters: Filters) -> tuple[list[tuple[int, str]], int]:
    """Code results as ``(doc, kind)`` in rank order (exact codes first) and their total count."""
    text = query.strip().upper()
    spans: list[tuple[dict, int, int, str, int]] = []   # system, first position, end position, kind, position left out
    exact: list[tuple[dict, int, str]] = []
    match = _RANGE.match(text)
    if match:
        first, last = code_key(match.group(1)), code_key(match.group(2))
        if not (re.search(r"[0-9]", first) and re.search(r"[0-9]", last)):
            return [], 0
        first, last = min(first, last), max(first, last)   # a reversed range (J9999-J9000) is read in order
        for system in _preferred(reader, text, [first, last]):
            pattern = re.compile(system["pattern"])
            if pattern.match(first) and pattern.match(last):
                low, high = reader.lower_bound(system, first), reader.lower_bound(system, last + AFTER)
                found = _exact_at(reader, system, first, f"{first}-{last}", low, high)
                if found >= 0:
                    exact.append((system, found, "range"))   # the range's own header, first
                spans.append((system, low, high, "range", found))
    elif _CODE.match(text):
        key = code_key(text)
        if not key or not (re.search(r"[0-9]", key) or _PCS_CODE.match(key)):
            return [], 0
        for system in _preferred(reader, text, [key]):
            if not re.match(system["pattern"], key):
                continue
            low = reader.lower_bound(system, key)
            high = reader.lower_bound(system, key + AFTER)
            found = _exact_at(reader, system, key, key, low, high)
            if found >= 0:
                exact.append((system, found, "exact"))
            elif (family := _family_of(system, key)) >= 0:
                exact.append((system, family, "family"))
                found = family   # listed first already: not again in the run of codes that start so
            if re.search(r"[0-9]", key):
                spans.append((system, low, high, "prefix", found))
    ranked: list[tuple[int, str]] = []
    total = 0
    # A code asked for by its whole number is shown even when terminated (its page says since when).
    exact_filters = replace(filters, include_terminated=True)
    for system, position, kind in exact:
        if reader.kept(system, position, exact_filters if kind == "exact" else filters):
            ranked.append((system["base"] + position, kind))
            total += 1
    for system, low, high, kind, left_out in spans:
        if filters.systems is not None and system["key"] not in filters.systems:
            continue
        for position in range(low, high):
            if position != left_out and reader.kept(system, position, filters):
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


@dataclass(frozen=True)
class Expansion:
    entry: list          # the term's index entry
    weight: int          # match weight
    exact: bool          # the word itself (or its correction), not a prefix or a typo


def _expansions(reader: IndexReader, clause: Clause) -> list[Expansion]:
    """The index entries a clause matches, each with its match weight.

    A word of 5+ letters that matches no term tries the words one edit away. So does a word that
    is not in the vocabulary although its term is (rarely): ``migrane`` has the term of ``migrans``
    (5 documents); when a word one edit away is in many more documents (``migraine``, 82), that
    word is taken as meant and the term of the word as typed becomes the typo. The word being
    typed is read the same way against its completions.
    """
    ranking = reader.ranking
    weights = ranking["matchWeight"]
    found: dict[str, Expansion] = {}
    if clause.pattern is not None:
        head = clause.pattern.split("*")[0]
        if clause.pattern == head + "*" and "*" not in head:
            candidates = _prefixed(reader, head, shards=2 * ranking["prefixMaxShards"])
        else:
            regex = re.compile("^" + ".*".join(re.escape(part) for part in clause.pattern.split("*")) + "$")
            matching = dict.fromkeys(term for length in reader.manifest["lengths"] for word in reader.vocabulary(length)[0]
                                     if regex.match(word) for term in [analyse(word)] if term)
            candidates = [entry for entry in (reader.entry(t) for t in sorted(matching)[: ranking["wildcardMaxTerms"]]) if entry]
        for entry in candidates[: ranking["wildcardMaxTerms"]]:
            found[entry[0]] = Expansion(entry, weights["exact"], True)
        return list(found.values())
    exact = reader.entry(clause.term) if clause.term is not None else None
    if exact is not None:
        found[clause.term] = Expansion(exact, weights["exact"], True)
    long_enough = len(clause.raw) >= ranking["typoMinLength"]
    completions = (_prefixed(reader, clause.raw, shards=ranking["prefixMaxShards"])[: ranking["prefixMaxTerms"]]
                   if clause.prefix else [])
    # A word that is no word of the documents although its term is (rarely): a typo or a word being typed.
    doubtful = (exact is not None and exact[1] < ranking["typoRareDf"] and (clause.prefix or (clause.fuzzy and long_enough))
                and clause.raw not in exact[6].split())   # a rare term's entry lists its words as written
    # The word being typed: its most frequent completion counts as typed when the word is no term itself,
    # or is doubtful and the completion much more frequent (``insul``: ``insulation`` 1, ``insulin`` 106).
    for number, entry in enumerate(completions):
        found.setdefault(entry[0], Expansion(entry, weights["prefix"], number == 0 and exact is None))
    if (doubtful and completions and completions[0][0] != clause.term
            and completions[0][1] >= ranking["typoCorrectRatio"] * exact[1]):
        found[completions[0][0]] = Expansion(completions[0], weights["prefix"], True)
        found[clause.term] = Expansion(exact, weights["prefix"], False)
        doubtful = False
    if not clause.fuzzy:
        return list(found.values())
    if not (clause.fuzzy_always or (long_enough and not found) or doubtful):
        return list(found.values())
    near = _near(reader, clause)[: ranking["typoMaxTerms"]]
    for term, _ in near:
        entry = reader.entry(term)
        if entry is not None:
            found.setdefault(term, Expansion(entry, weights["typo"], False))
    # The most frequent word one edit away is taken as meant: it counts as typed (with a typo's weight)
    # when the word matched nothing, or is doubtful and that word is much more frequent.
    if near and near[0][0] in found:
        if exact is None and not found[near[0][0]].exact and not any(e.exact for e in found.values()):
            found[near[0][0]] = Expansion(found[near[0][0]].entry, weights["typo"], True)
        elif doubtful and near[0][1] >= ranking["typoCorrectRatio"] * exact[1]:
            found[near[0][0]] = Expansion(found[near[0][0]].entry, weights["typo"], True)
            found[clause.term] = Expansion(exact, weights["typo"], False)
    return list(found.values())


def _prefixed(reader: IndexReader, prefix: str, shards: int) -> list[list]:
    """Entries of the terms that start with ``prefix``, most frequent first (none if they span too many shards)."""
    first, last = max(reader.shard_of(prefix), 0), reader.shard_of(prefix + AFTER)
    if last - first + 1 > shards:
        return []
    entries = [entry for number in range(first, last + 1) for term, entry in reader.shard(number).items()
               if term.startswith(prefix)]
    return sorted(entries, key=lambda entry: (-entry[1], entry[0]))


def _near(reader: IndexReader, clause: Clause) -> list[tuple[str, int]]:
    """Terms of the words within the clause's edit distance of the word as typed, with the frequency
    of their most frequent such word, most frequent first (the typed word's own term left out)."""
    raw, distance = clause.raw, clause.fuzzy
    best: dict[str, int] = {}
    for length in range(len(raw) - distance, len(raw) + distance + 1):
        listed, counts = reader.vocabulary(length)
        for word, count in zip(listed, counts):
            if word != raw and within_edits(raw, word, distance):
                term = analyse(word)
                if term is not None and term != clause.term and count > best.get(term, 0):
                    best[term] = count
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))


def _whole_words(reader: IndexReader, query: str, counted: list[Clause]) -> tuple[set[str], int]:
    """The terms a phrase must hold to be the whole query, and the phrase's length in words.

    Generic words do not count ("pneumonia unspecified organism" is the whole of "Pneumonia,
    unspecified organism", whose length is 1); "other" counts as a word but is no term.
    """
    ranking = reader.ranking
    generic = set(ranking["generic"])
    if _POWER.search(query):
        found = {clause.term for clause in counted if clause.term is not None and clause.term not in generic}
        return found, len(found)
    core = re.sub(ranking["genericPattern"], " unspecified ", fold(query))
    found = {term for term in map(analyse, words(core)) if term is not None and term not in generic}
    specific = any(word in ranking["specificWords"] for word in words(core))
    return found, len(found) + specific


def _word_hits(reader: IndexReader, query: str, filters: Filters) -> tuple[list[int], int, list[str], set[int]]:
    """Documents matching the words of ``query`` in rank order.

    Rank: more query words matched; the query is a whole phrase of the document (its title, a
    synonym or an everyday name, generic words such as "unspecified" aside), the shortest first;
    more words matched as typed (not as a prefix or a typo); among whole phrases, billable codes
    first; the weakest field a word matched in (title > synonyms > other text); score; billable;
    active; code order.
    """
    clauses = _clauses(reader, query)
    ranking = reader.ranking
    tfn, field_weight, field_class = ranking["tfn"], ranking["fieldWeight"], ranking["fieldClass"]
    extra = ranking["bestFieldExtra"]
    counted = [clause for clause in clauses if clause.presence != QueryPresence.PROHIBITED.value]
    whole_terms, wanted = _whole_words(reader, query, counted)
    whole_max = ranking["wholeMax"]
    coverage: dict[int, int] = {}
    exactly: dict[int, int] = {}
    whole: dict[int, list[list[int]]] = {}   # per doc and field: words in a phrase as long as the query, their longest length class
    weakest: dict[int, int] = {}
    score: dict[int, int] = {}
    flags: dict[int, int] = {}
    required: set[int] | None = None
    prohibited: set[int] = set()
    matched_terms: list[str] = []
    in_title: dict[int, int] = {}
    for clause in clauses:
        best: dict[int, int] = {}          # per doc: the best expansion in each field, summed
        best_class: dict[int, int] = {}
        top: dict[int, int] = {}
        as_typed: set[int] = set()
        in_whole: dict[int, dict[int, int]] = {}   # per doc and field: the word is in a phrase as long as the query (length class)
        expansions = _expansions(reader, clause)
        if clause.presence != QueryPresence.PROHIBITED.value:
            matched_terms += [expansion.entry[0] for expansion in expansions]
        for field in clause.fields:
            in_field: dict[int, int] = {}
            lengths = tfn[field]
            for expansion in expansions:
                multiplier = expansion.entry[2] * field_weight[field] * expansion.weight * clause.boost
                for doc, value in decode_postings(expansion.entry[3 + field]):
                    points = multiplier * lengths[(value >> 2) & 15] * (5 if value >> 11 else 4)
                    if points > in_field.get(doc, 0):
                        in_field[doc] = points
                    flags[doc] = value & 3
                    if expansion.exact:
                        as_typed.add(doc)
                    if expansion.exact and 0 < wanted <= whole_max and (value >> 6 & 31) >> (wanted - 1) & 1:
                        length = (value >> 2) & 15
                        fields = in_whole.setdefault(doc, {})
                        if length < fields.get(field, 16):
                            fields[field] = length
            if field == 0 and clause.presence != QueryPresence.PROHIBITED.value:
                for doc in in_field:   # this word of the query is in the title (or plain name)
                    in_title[doc] = in_title.get(doc, 0) + 1
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
        for doc, points in best.items():
            coverage[doc] = coverage.get(doc, 0) + 1
            score[doc] = score.get(doc, 0) + points
            weakest[doc] = min(weakest.get(doc, 9), best_class[doc])
            if doc in as_typed:
                exactly[doc] = exactly.get(doc, 0) + 1
        if clause.term in whole_terms:
            for doc, fields in in_whole.items():
                counts = whole.setdefault(doc, [[0, 0] for _ in reader.fields])
                for field, length in fields.items():
                    counts[field][0] += 1
                    counts[field][1] = max(counts[field][1], length)
    # A whole phrase: each word in a phrase of the query's length, in one field; the shortest such phrase wins.
    needed = len(whole_terms)
    complete = {doc: min(length for count, length in counts if count == needed)
                for doc, counts in whole.items() if needed and any(count == needed for count, _ in counts)}
    docs = [doc for doc in coverage
            if doc not in prohibited and (required is None or doc in required)
            and filters.keep(reader.system_of(doc)["key"], flags[doc])]
    # Among whole phrases of the same length, a billable code comes before its header.
    docs.sort(key=lambda doc: (-coverage[doc], complete.get(doc, 16), -exactly.get(doc, 0),
                               -(flags[doc] >> 1) if doc in complete else 0, -weakest[doc], -score[doc],
                               -(flags[doc] >> 1), -(flags[doc] & 1), doc))
    # The docs the query matched as a whole phrase among other names (field 1: synonyms) and not wholly in the title.
    # (Only for words matched as typed: a corrected typo is not what the code is also called.)
    # (Not for a query written in lunr's syntax: it is not a name.)
    as_typed = all(clause.term in matched_terms for clause in counted) and not _SYNTAX.search(query)
    other_names = {doc for doc in complete if whole[doc][1][0] == needed and in_title.get(doc, 0) < len(counted)
                   } if as_typed else set()
    return docs, len(counted), sorted(set(matched_terms)), other_names


# --- the query --------------------------------------------------------------------------------

#: Longest query searched, in words; the rest is left out, with a notice.
QUERY_WORDS = 32


def normalised_query(query: str) -> tuple[str, str | None]:
    """The query as searched (twin of search.js ``normalisedQuery``): a word typed twice counts once
    (``E11 E11`` = ``E11``), and at most :data:`QUERY_WORDS` words, with a notice when cut."""
    seen: set[str] = set()
    kept = []
    for word in query.split():
        if word.upper() not in seen:
            seen.add(word.upper())
            kept.append(word)
    notice = None
    if len(kept) > QUERY_WORDS:
        kept = kept[:QUERY_WORDS]
        notice = f"Only the first {QUERY_WORDS} words were searched."
    return " ".join(kept), notice


def range_notice(reader: IndexReader, query: str) -> str | None:
    """What search says of a range whose ends are codes of different systems (twin of search.js
    ``rangeNotice``): ``E11.65-99213`` spans ICD-10-CM and CPT, and no code lies between them."""
    match = _RANGE.match(query.strip().upper())
    if not match:
        return None
    ends = [(typed, code_key(typed)) for typed in match.groups()]
    if not all(re.search(r"[0-9]", key) for _, key in ends):
        return None
    systems_of = []
    for typed, key in ends:
        # Only ICD-10-CM codes have dots; else the systems whose whole codes have this length, if any.
        shaped = [system for system in reader.systems if re.match(system["pattern"], key)
                  and ("." not in typed or system["key"] == "icd10cm")]
        whole = [system for system in shaped if len(key) in system.get("lengths", ())] or shaped
        # A retired code set (ICD-9-CM) is named only when no current one has codes of this shape.
        systems_of.append([system for system in whole if not system.get("retired")] or whole)
    if not all(systems_of) or any(system in systems_of[1] for system in systems_of[0]):
        return None
    names = [" or ".join(system.get("name", system["key"]) for system in systems) for systems in systems_of]
    # "an ICD-10-CM code", "a CPT code" (the names are read letter by letter).
    articles = ["an" if name[:1] in "AEFHILMNORSX" and not name.startswith("HCPCS") else "a" for name in names]
    return (f"{ends[0][0]} is {articles[0]} {names[0]} code and {ends[1][0]} {articles[1]} {names[1]} code: a range "
            "stays within one code system, so no code lies between them. Search each code on its own.")


def search(reader: IndexReader, query: str, filters: Filters = Filters(), limit: int = 10) -> SearchResult:
    """Answer ``query``: the first ``limit`` hits in rank order and the number of all hits."""
    result = SearchResult(query)
    if not query.strip():
        return result
    query, result.notice = normalised_query(query)
    across = range_notice(reader, query)
    result.notice = " ".join(notice for notice in (result.notice, across) if notice) or None
    if across:
        return result   # no code lies between the ends, and the range is not words either
    ranked, total = _code_hits(reader, query, filters)
    matched_as: dict[int, str] = {}
    if not ranked:
        try:
            docs, _, result.terms, other_names = _word_hits(reader, query, filters)
        except QueryParseError as error:
            result.error = f"cannot read the query: {error}"
            return result
        ranked, total = [(doc, "words") for doc in docs], len(docs)
        matched_as = {doc: query for doc in other_names}
    result.total = total
    if ranked and ranked[0][1] == "family":
        result.missing_code = code_key(query)
        template = reader.manifest.get("newRecord")
        result.new_record = template.replace("__CODE__", result.missing_code) if template else None
    for doc, kind in ranked[:limit]:
        system, chunk, offset = reader.document(doc)
        flags = int(chunk["f"][offset])
        code = chunk["c"][offset]
        result.hits.append(Hit(
            system=system["key"], code=code, title=chunk["t"][offset], name=chunk["n"][offset],
            url=chunk["u"].get(str(offset), f"{system['key']}/{code}.html"),
            billable=bool(flags & 2), active=bool(flags & 1), kind=kind, matched=matched_as.get(doc, ""),
        ))
    return result


def missing_notice(system_name: str, code: str, family: Hit) -> str:
    """What search says for a code without a page whose family answers (twin of search.js ``missingNotice``)."""
    span = CodeRange(*range_bounds(family.code)).label
    return (f"{system_name} {code} is in {span}, {family.title}. This site has no page "
            "for it yet: official CPT descriptors belong to the AMA.")


#: What a result says of a code no longer in use, by system; else "terminated" (twin of search.js INACTIVE_NOTES).
INACTIVE_NOTES = {"icd10cm": "no longer valid", "icd9cm": "retired"}


def format_result(result: SearchResult, names: dict[str, str]) -> str:
    """The plain-text answer of ``python -m generator search``."""
    if result.error:
        return result.error
    lines = [result.notice] if result.notice else []
    if result.missing_code and result.hits:
        lines.append(missing_notice(names.get(result.hits[0].system, result.hits[0].system), result.missing_code,
                                    result.hits[0]) + (f" Write one in your own words: {result.new_record}"
                                                       if result.new_record else ""))
    for number, hit in enumerate(result.hits, 1):
        notes = [note for note, show in (("header", not hit.billable and hit.active),
                                         (INACTIVE_NOTES.get(hit.system, "terminated"), not hit.active)) if show]
        title = hit.title + (f" — {hit.name}" if hit.name else "") + (
            f" [matched as another name: {hit.matched}]" if hit.matched else "")
        lines.append(f"{number:>3}. {names.get(hit.system, hit.system):<10} {hit.code:<9} {title}"
                     + (f" ({', '.join(notes)})" if notes else ""))
    count = f"{result.total} result{'s' if result.total != 1 else ''}"
    shown = f", showing {len(result.hits)}" if len(result.hits) < result.total else ""
    lines.append(f"{count}{shown}")
    return "\n".join(lines)


def run_command(args) -> int:
    """``python -m generator search QUERY``: print the ranked results; exit 1 when nothing matched."""
    index_dir = args.index or args.site_dir / "assets" / "search" / "index"
    reader = IndexReader(index_dir)
    filters = Filters(
        systems=frozenset(args.system) if args.system else None,
        billable_only=args.billable_only,
        include_terminated=args.include_terminated,
    )
    result = search(reader, args.query, filters, limit=args.limit)
    try:
        print(format_result(result, {system["key"]: system["name"] for system in reader.systems}), flush=True)
    except BrokenPipeError:
        # The reader stopped reading (``| head``): that is not an error. Point stdout at nothing so
        # Python's exit flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0 if result.hits else 1
