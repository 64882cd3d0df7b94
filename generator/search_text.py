"""Search text analysis shared by the index writer and the Python query engine.

Every rule here has a twin in ``site_templates/assets/search/search.js``; the two
must agree character for character (``tests/test_search_parity.py`` checks them):

- words: accents folded, lower case, split on anything but ``a-z 0-9 '``,
  apostrophes trimmed from both ends;
- terms: lunr's pipeline on each word (trimmer, stop word filter, Porter stemmer);
- code keys: upper case without dots (``e11.65`` → ``E1165``);
- numbers in shard files: a 64-character alphabet, see :func:`encode_number` and
  :func:`encode_postings`.

Phrase shapes (:func:`phrase_shape`: which words count for a phrase's length) and joined
hyphenated words are used by the index writer only; the engines read their results from the
index, and the generic wording pattern from the manifest.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from lunr.stemmer import PorterStemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token
from lunr.trimmer import trimmer

_SEPARATOR = re.compile(r"[^a-z0-9']+")
_COMBINING = re.compile(r"[\u0300-\u036f]")


def fold(text: str) -> str:
    """Lower case without accents, ligatures split, ß as ss: ``"Ménière"`` → ``"meniere"``."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower().replace("ß", "ss")


def words(text: str) -> list[str]:
    """The words of ``text`` as a user would type them, before stemming."""
    found = []
    for part in _SEPARATOR.split(fold(text)):
        part = part.strip("'")
        if part:
            found.append(part)
    return found


_HYPHENATED = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")


def joined_words(text: str) -> list[str]:
    """Hyphenated words written as one (``"Pre-eclampsia"`` → ``"preeclampsia"``): the index holds
    them too, for people who type them so; a query's words are not joined."""
    return [match.group(0).replace("-", "") for match in _HYPHENATED.finditer(fold(text))]


class _BrowserStemmer(PorterStemmer):
    """lunr's Porter stemmer with lunr.js's rule for a final "y" (step 1c).

    lunr.py turns a final y into i when the stem has a vowel (``kidney`` → ``kidnei``,
    ``dry`` → ``dry``); lunr.js does so when the y follows a consonant that is not the
    first letter (``kidney`` → ``kidney``, ``dry`` → ``dri``). The browser's terms win.
    """

    def step1c(self) -> None:
        if self.ends("y") and self.k - 1 > self.k0 and self.b[self.k - 1] not in "aeiou":
            self.b = self.b[: self.k] + "i" + self.b[self.k + 1:]


_STEMMER = _BrowserStemmer()


@functools.lru_cache(maxsize=200_000)
def analyse(word: str) -> str | None:
    """The index term of one word (lunr's trimmer, stop word filter, stemmer), or None for a stop word."""
    token = trimmer(Token(word))
    if stop_word_filter(token) is None:
        return None
    term = str(token.update(_STEMMER.stem))
    return term or None


def indexed_words(text: str) -> tuple[str, ...]:
    """The words the index holds for ``text``: its words, then its hyphenated words joined (``pre-eclampsia``
    also gives ``preeclampsia``), each once."""
    listed = tuple(words(text))
    return listed + tuple(word for word in joined_words(text) if word not in listed)


def indexed_terms(text: str) -> frozenset[str]:
    """The index terms of ``text``'s indexed words (what a title must hold for ``title_words``)."""
    return frozenset(term for term in map(analyse, indexed_words(text)) if term is not None)


def terms(text: str) -> list[str]:
    """The index terms of ``text`` in order, stop words left out."""
    found = []
    for word in words(text):
        term = analyse(word)
        if term is not None:
            found.append(term)
    return found


#: Version of the index's file layout, written into its manifest; both engines refuse one they do not understand.
INDEX_FORMAT = 3
#: Words that mark the generic code of a condition ("Gout, unspecified", "Stroke NOS"). They are indexed
#: like any word but not counted in a phrase's length, so that "Gout, unspecified" is as short as "Gout".
GENERIC_WORDS = ("unspecified", "nos")
#: Wordings that say the same as "unspecified" ("Urinary tract infection, site not specified",
#: "Alcohol dependence, uncomplicated"), or mark the usual code ("... without abnormal findings"):
#: counted as that one generic word.
GENERIC_PATTERN = (r"\b(?:(?:site|type) )?not (?:otherwise )?specified\b|\bwithout complications?\b|\buncomplicated\b"
                   r"|\bwithout abnormal findings\b|\bunspecified (?:site|organism|type)\b")
#: A word that marks a specific code ("Other acute sinusitis"): counted as one more word of the phrase
#: (it is a lunr stop word, so it is not a term).
SPECIFIC_WORDS = ("other",)
#: Parts of a title in parentheses or brackets: ICD-10's nonessential modifiers ("Essential (primary)
#: hypertension") and alternative words ("[common cold]"). Indexed, but not counted in a phrase's length.
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_GENERIC = re.compile(GENERIC_PATTERN, re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def generic_terms() -> frozenset[str]:
    return frozenset(term for term in map(analyse, GENERIC_WORDS) if term)


def core_text(text: str) -> str:
    """``text`` without its parts in parentheses or brackets (unless nothing would be left), generic
    wordings reduced to "unspecified"."""
    stripped = _BRACKETED.sub(" ", text)
    if stripped != text and not terms(stripped):
        stripped = text
    return _GENERIC.sub(" unspecified ", stripped)


@dataclass(frozen=True)
class PhraseShape:
    """What a phrase's length counts: its core terms (in order), and whether it says "other"."""

    terms: tuple[str, ...]
    specific: bool

    @property
    def length(self) -> int:
        return len(self.terms) + self.specific

    @property
    def head(self) -> str | None:
        return self.terms[0] if self.terms else None


def phrase_shape(text: str) -> PhraseShape:
    """The core terms of ``text`` (outside brackets, not generic) and whether it says "other"."""
    core = words(core_text(text))
    generic = generic_terms()
    found = (analyse(word) for word in core)
    return PhraseShape(tuple(dict.fromkeys(t for t in found if t is not None and t not in generic)),
                       any(word in SPECIFIC_WORDS for word in core))


# --- codes -------------------------------------------------------------------------------------

#: What a (partial) code key of each system can look like; the browser reads these from the manifest.
CODE_KEY_PATTERNS: dict[str, str] = {
    "cpt": r"^[0-9]{1,4}[0-9FTU]?$",
    "hcpcs": r"^[A-Z][0-9]{0,4}$",
    "icd10cm": r"^[A-Z]([0-9][0-9A-Z]{0,5})?$",
    "icd10pcs": r"^[0-9A-HJ-NP-Z]{1,7}$",
    # ICD-9-CM diagnoses (found by number only): 3 digits and up to 2 more, V and 2 digits (+2), E and 3 digits (+1).
    "icd9cm": r"^([0-9]{1,5}|V[0-9]{0,4}|E[0-9]{0,4})$",
}
DEFAULT_CODE_KEY_PATTERN = r"^[0-9A-Z]{1,10}$"
#: How many characters a whole code of each system has (a shorter key is a prefix).
CODE_LENGTHS: dict[str, list[int]] = {"cpt": [5], "hcpcs": [5], "icd10cm": [3, 4, 5, 6, 7], "icd10pcs": [7],
                                      "icd9cm": [3, 4, 5]}
#: Names of the code sets searched besides the systems of generator.codes (found by number only).
OTHER_SYSTEM_NAMES = {"icd9cm": "ICD-9-CM"}
#: Code sets no longer in use: a range notice names them only when no current system fits.
RETIRED_SYSTEMS = frozenset({"icd9cm"})
#: Systems in index order; unknown systems follow in alphabetical order.
SYSTEM_ORDER = ("icd10cm", "cpt", "hcpcs", "icd10pcs")


def code_key(code: str) -> str:
    """The comparison key of a code or code range: upper case, no dots, no spaces."""
    return re.sub(r"[\s.]", "", code.upper())


def first_key(code: str) -> str:
    """The key a code sorts by: for a range (``A00-A09``) its first code."""
    return code_key(code).split("-")[0]


def range_bounds(code: str) -> tuple[str, str]:
    """The first and last code keys of a range (``96401-96549``); a single code is a range of one."""
    first, _, last = code_key(code).partition("-")
    return first, last or first


def doc_sort_key(code: str) -> tuple[str, int, tuple[int, ...]]:
    """Code-book order within one system: a range comes before its first code, wider ranges first."""
    key = code_key(code)
    first, _, last = key.partition("-")
    if not last:
        return (first, 1, ())
    return (first, 0, tuple(-ord(char) for char in last))


# --- numbers in shard files -----------------------------------------------------------------------

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_VALUE_OF = {char: value for value, char in enumerate(ALPHABET)}


def encode_number(number: int) -> str:
    """A non-negative integer in 5-bit groups, most significant first: the last group from
    ``ALPHABET[0:32]``, the others from ``ALPHABET[32:64]``."""
    groups = [number & 31]
    number >>= 5
    while number:
        groups.append(number & 31)
        number >>= 5
    return "".join(ALPHABET[32 + group] for group in reversed(groups[1:])) + ALPHABET[groups[0]]


def encode_postings(postings: list[tuple[int, int]]) -> str:
    """``(doc id, value < 4096)`` pairs in ascending doc order: the gap to the previous doc minus one
    (:func:`encode_number`), then the value in two characters (low 6 bits first)."""
    out = []
    previous = -1
    for doc, value in postings:
        out.append(encode_number(doc - previous - 1))
        out.append(ALPHABET[value & 63])
        out.append(ALPHABET[value >> 6])
        previous = doc
    return "".join(out)


def decode_postings(text: str) -> list[tuple[int, int]]:
    """Inverse of :func:`encode_postings`."""
    postings = []
    doc = -1
    number = 0
    position = 0
    length = len(text)
    while position < length:
        value = _VALUE_OF[text[position]]
        position += 1
        if value >= 32:
            number = (number << 5) | (value - 32)
            continue
        doc += ((number << 5) | value) + 1
        number = 0
        postings.append((doc, _VALUE_OF[text[position]] | _VALUE_OF[text[position + 1]] << 6))
        position += 2
    return postings


def edit_distance_at_most_one(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with at most one insertion, deletion, substitution or swap of neighbours."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    start = 0
    while start < min(la, lb) and a[start] == b[start]:
        start += 1
    if la == lb:
        if a[start + 1:] == b[start + 1:]:
            return True
        return (start + 1 < la and a[start] == b[start + 1] and a[start + 1] == b[start]
                and a[start + 2:] == b[start + 2:])
    if la > lb:
        return a[start + 1:] == b[start:]
    return a[start:] == b[start + 1:]


def within_edits(a: str, b: str, distance: int) -> bool:
    """Optimal-string-alignment distance of ``a`` and ``b`` is at most ``distance`` (0, 1 or 2)."""
    if distance <= 0:
        return a == b
    if distance == 1:
        return edit_distance_at_most_one(a, b)
    if abs(len(a) - len(b)) > distance:
        return False
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)] <= distance
