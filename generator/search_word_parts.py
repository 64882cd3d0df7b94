"""Procedure words decomposed into ICD-10-PCS root operations and body parts, for search.

Clinicians name procedures by Greek and Latin parts: "appendectomy" is the combining form
*append-* (the appendix) and the suffix *-ectomy* (cutting out: the root operations
Resection and Excision). ``generator/data/pcs_word_parts.yaml`` declares the parts; this
module joins them ("colp" + "o" + "pexy") and keeps a word only where an ICD-10-PCS table
of the release has one of its operations and a body part whose label (or Body Part Key
term, from the official definitions file) holds its body-part words. Each word becomes an
everyday synonym of the table and body part it leads to (``0DTJ`` for appendectomy), fed
to the index like the vocabulary in ``content/vocabulary/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import Abort
from .model import VocabularyEntry
from .yaml_source import LinedDict, load_yaml

WORD_PARTS = Path(__file__).resolve().parent / "data" / "pcs_word_parts.yaml"
SYSTEM = "icd10pcs"
#: The character position of the body part in an ICD-10-PCS code.
BODY_PART = 4


@dataclass(frozen=True)
class WordParts:
    """The declared parts: suffix → operations, combining form → body-part words, whole words → both."""

    suffixes: dict[str, tuple[str, ...]]
    forms: dict[str, tuple[str, ...]]
    words: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    #: The line of each suffix, form and word in the file (by kind and name), for messages.
    lines: dict[tuple[str, str], int]
    source: str


def read_word_parts(path: Path = WORD_PARTS) -> WordParts:
    """Read and check the table's shape; every problem is reported with its line."""
    shown = path.as_posix()
    data, problem = load_yaml(path, shown)
    if problem is not None:
        raise Abort(str(problem))
    problems: list[str] = []
    lines: dict[tuple[str, str], int] = {}

    def names(key: str) -> LinedDict:
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, dict):
            problems.append(f"{shown}: '{key}' must be a mapping")
            return LinedDict()
        return value

    def word_list(where: str, line: int, value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not value or not all(isinstance(item, str) and item.strip() for item in value):
            problems.append(f"{shown}:{line}: {where}: expected a list of words")
            return ()
        return tuple(item.strip() for item in value)

    suffixes, forms, words = {}, {}, {}
    declared = {key: names(key) for key in ("suffixes", "forms", "words")}
    for key, value in declared["suffixes"].items():
        lines["suffix", key] = getattr(declared["suffixes"], "lines", {}).get(key, 0)
        suffixes[str(key)] = word_list(f"suffix {key}", lines["suffix", key], value)
    for key, value in declared["forms"].items():
        lines["form", key] = getattr(declared["forms"], "lines", {}).get(key, 0)
        forms[str(key)] = word_list(f"form {key}", lines["form", key], value)
    for key, value in declared["words"].items():
        lines["word", key] = line = getattr(declared["words"], "lines", {}).get(key, 0)
        if not isinstance(value, dict) or not isinstance(value.get("operation"), str):
            problems.append(f"{shown}:{line}: word {key}: expected {{operation: ..., body: [...]}}")
            continue
        words[str(key)] = ((value["operation"],), word_list(f"word {key}: body", line, value.get("body")))
    for (kind, key), line in lines.items():
        if not re.fullmatch(r"[a-z]+", key):
            problems.append(f"{shown}:{line}: {key!r}: word parts are lower-case letters")
    if problems:
        raise Abort(f"{len(problems)} problems in {shown}:\n  " + "\n  ".join(problems))
    return WordParts(suffixes, forms, words, lines, shown)


def joined(form: str, suffix: str) -> str:
    """A form and a suffix as one word: a suffix that starts with a consonant takes the linking "o"
    ("arthr" + "desis" → arthrodesis, "orchi" + "pexy" → orchiopexy, "append" + "ectomy" → appendectomy)."""
    link = "o" if suffix[0] not in "aeiou" and not form.endswith("o") else ""
    return form + link + suffix


def _words_of(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z]+", text.lower()))


def _body_parts(release) -> Iterator[tuple[str, str, frozenset[str], frozenset[frozenset[str]]]]:
    """Each table's operation and body parts: (operation label, prefix of table and body part, the words of its
    label, the word sets of its Body Part Key terms)."""
    for table in release.tables.values():
        operation = table.operation.label or ""
        seen: set[str] = set()
        for row in table.rows:
            for axis in row.axes:
                if axis.position != BODY_PART:
                    continue
                for value in axis.values:
                    if value.value in seen:
                        continue
                    seen.add(value.value)
                    terms = value.definition.includes if value.definition else ()
                    yield (operation, table.key + value.value, _words_of(value.label or ""),
                           frozenset(_words_of(term) for term in terms))


def decompose(release, parts: WordParts) -> tuple[dict[str, list[str]], list[str]]:
    """Every procedure word the parts make that leads somewhere in ``release``, with the prefixes it leads to
    (sorted), and the parts that lead nowhere (as messages naming their line)."""
    by_operation: dict[str, list[tuple[str, frozenset[str], frozenset[frozenset[str]]]]] = {}
    for operation, prefix, label, terms in _body_parts(release):
        by_operation.setdefault(operation, []).append((prefix, label, terms))
    found: dict[str, set[str]] = {}
    used: set[str] = set()

    def prefixes_for(operations: tuple[str, ...], body_words: tuple[str, ...]) -> set[str]:
        # Within a label, the words are enough ("Joint" in "Knee Joint, Right"); a Body Part Key term must be
        # the whole phrase ("Vermiform appendix"), or "appendix" would lead to the heart's "Auricular appendix".
        phrases = [_words_of(phrase) for phrase in body_words]
        return {prefix for operation in operations for prefix, label, terms in by_operation.get(operation, ())
                if any(phrase <= label or phrase in terms for phrase in phrases)}

    for suffix, operations in parts.suffixes.items():
        for form, body_words in parts.forms.items():
            if prefixes := prefixes_for(operations, body_words):
                found.setdefault(joined(form, suffix), set()).update(prefixes)
                used.update((f"suffix:{suffix}", f"form:{form}"))
    for word, (operations, body_words) in parts.words.items():
        if prefixes := prefixes_for(operations, body_words):
            found.setdefault(word, set()).update(prefixes)
            used.add(f"word:{word}")
    unused = [f"{parts.source}:{parts.lines[kind, name]}: {kind} {name!r} leads to no ICD-10-PCS table and body part"
              for kind, names in (("suffix", parts.suffixes), ("form", parts.forms), ("word", parts.words))
              for name in names if f"{kind}:{name}" not in used]
    return {word: sorted(prefixes) for word, prefixes in sorted(found.items())}, unused


def vocabulary_entries(release, parts: WordParts | None = None, strict: bool = False) -> list[VocabularyEntry]:
    """The procedure words of ``release`` as vocabulary entries (one per word and its prefixes).

    With ``strict`` (a full, verified release), a part that leads nowhere stops the build: it is a
    mistake in the table, not a word that could ever be searched.
    """
    parts = parts or read_word_parts()
    words, unused = decompose(release, parts)
    if strict and unused:
        raise Abort(f"{len(unused)} word parts lead nowhere:\n  " + "\n  ".join(unused))
    return [VocabularyEntry(SYSTEM, (word,), None, tuple(prefixes), parts.source, 0, index)
            for index, (word, prefixes) in enumerate(words.items())]


def words_for(entries: Iterable[VocabularyEntry], prefix: str) -> list[str]:
    """The procedure words that lead to ``prefix`` (for tests and reports)."""
    return sorted(word for entry in entries if prefix in entry.codes for word in entry.say)
