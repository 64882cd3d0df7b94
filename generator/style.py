"""The house style every record's text is held to: US English and sentences of at most 30 words.

The site serves US codes, so its text is in US English: British spellings (from the ``breame``
package's lists, less the words US medicine uses, such as "disc") and British everyday and drug
terms (``generator/data/us_english.yaml``) are errors that name the US form. Long sentences are
errors too: plain language means short sentences.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

import textstat
import yaml
from breame.spelling import american_spelling_exists, british_spelling_exists, get_american_spelling

#: Longest sentence, in words.
SENTENCE_WORDS = 30
DATA = Path(__file__).resolve().parent / "data" / "us_english.yaml"
_WORD = re.compile(r"[A-Za-z]+(?:&[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@functools.cache
def _lists() -> tuple[frozenset[str], dict[str, str]]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return frozenset(data["allowed"]), {term.lower(): us for term, us in data["uk_terms"].items()}


def _cased(us: str, like: str) -> str:
    return us.capitalize() if like[:1].isupper() else us


def british(text: str) -> Iterator[tuple[str, str]]:
    """Each British spelling or term in ``text``, with the US form to use instead."""
    allowed, terms = _lists()
    lowered = text.lower()
    for term, us in terms.items():
        if " " in term:
            if re.search(rf"(?<![\w&]){re.escape(term)}(?![\w&])", lowered):
                yield term, us
    for word in _WORD.findall(text):
        lower = word.lower()
        if lower in terms:
            yield word, _cased(terms[lower], word)
        elif lower not in allowed and british_spelling_exists(lower) and not american_spelling_exists(lower):
            yield word, _cased(get_american_spelling(lower), word)


def long_sentences(text: str) -> Iterator[tuple[int, str]]:
    """Each sentence of more than :data:`SENTENCE_WORDS` words, with its word count."""
    for sentence in _SENTENCE_END.split(" ".join(text.split())):
        count = len(sentence.split())
        if count > SENTENCE_WORDS:
            yield count, sentence


def problems(text: str) -> Iterator[str]:
    """What is wrong with ``text`` in the house style, as messages."""
    for word, us in dict.fromkeys(british(text)):
        yield f"write US English: {us!r}, not {word!r}"
    for count, sentence in long_sentences(text):
        yield f"a sentence of {count} words (at most {SENTENCE_WORDS}): {sentence[:50]!r}…"


AXES = Path(__file__).resolve().parent / "data" / "name_axes.yaml"
#: Summaries above this Flesch–Kincaid grade are warned about.
GRADE_LIMIT = 12.0


def reading_grade(text: str) -> float:
    """The Flesch–Kincaid grade of ``text`` (``textstat``)."""
    return float(textstat.flesch_kincaid_grade(text))


@functools.cache
def _axes() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    return tuple((tuple(axis["title"]), tuple(axis["name"])) for axis in yaml.safe_load(AXES.read_text(encoding="utf-8")))


def missing_axes(title: str, name: str) -> list[str]:
    """The axes of an official title (``generator/data/name_axes.yaml``) that a plain name has no word for."""
    title, name = f" {title.lower()} ", f" {name.lower()} "
    missing = []
    for marks, counterparts in _axes():
        found = [mark for mark in marks if re.search(rf"\b{re.escape(mark)}\b", title)]
        if not found:
            continue
        if found == ["intractable"] and "not intractable" in title:
            continue  # "not intractable" is its own axis
        if not any(word in name for word in counterparts):
            missing.append(found[0])
    return missing
