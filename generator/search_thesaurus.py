"""Everyday words and abbreviations, added to the synonyms a document is found by.

The words themselves are content (``content/vocabulary/*.yaml``, validated like every record);
this module compiles them for the index.

Official titles use clinical language ("Acute myocardial infarction"); people search with
everyday words ("heart attack"), brand names ("Avastin") and, for coders, abbreviations ("AMI",
"CHF", "ORIF"). Each rule names the words a title must contain (any order, compared as lunr
terms; "-word": must not contain) and the phrases to add; rules apply to the titles of one code system (conditions to
ICD-10-CM, procedures to ICD-10-PCS, supplies, drugs and services to HCPCS Level II), so that a
complication of a bypass graft does not become "CABG". The index also counts the title's words a
rule leaves out, so a phrase ranks the plainest title first ("heart attack": "Acute myocardial
infarction, unspecified" before "ST elevation (STEMI) myocardial infarction involving left main
coronary artery").

The entries are common medical knowledge, in our own words; they add to the data's own synonyms
(inclusion terms, body-part includes, contributors' synonyms) and never replace them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .model import VocabularyEntry
from .search_text import terms

#: Titles that say a condition is absent get no everyday words for it.
_ABSENT = re.compile(r"\bwithout (?:a )?diagnosis of\b", re.IGNORECASE)


Rule = tuple[frozenset[str], frozenset[str], tuple[str, ...]]   # required terms, excluded terms, phrases
#: What a code's title must hold for a code entry to apply: required and excluded terms (None: any title).
TitleCondition = tuple[frozenset[str], frozenset[str]] | None


def title_condition(title_words: str) -> tuple[frozenset[str], frozenset[str]]:
    """The terms a ``title_words`` text requires and those it excludes (those written ``-word``)."""
    words = title_words.split()
    return (frozenset(terms(" ".join(word for word in words if not word.startswith("-")))),
            frozenset(terms(" ".join(word[1:] for word in words if word.startswith("-")))))


def holds(condition: TitleCondition, title_terms: set[str] | frozenset[str]) -> bool:
    """Whether a title with these terms meets the condition."""
    return condition is None or (condition[0] <= title_terms and not condition[1] & title_terms)


class Vocabulary:
    """The vocabulary of ``content/vocabulary/``, compiled for the index.

    Three kinds of entry: ``title_words`` rules apply to every title of their system that holds the
    words; ``codes`` entries apply to every code that starts with one of their codes; an entry with
    both applies to the codes that start so and whose official title holds the words.
    """

    def __init__(self, entries: Iterable[VocabularyEntry] = ()) -> None:
        #: Per system, the rules under the first of their required terms (to try only rules that can match).
        self._rules: dict[str, dict[str, list[Rule]]] = {}
        #: Per system, code prefix (no dots) → (phrases, what the code's title must hold).
        self._codes: dict[str, dict[str, list[tuple[tuple[str, ...], TitleCondition]]]] = {}
        for entry in entries:
            condition = title_condition(entry.title_words) if entry.title_words else None
            if condition is not None and not condition[0]:
                raise ValueError(f"{entry.source_path}:{entry.line}: title_words has only stop words")
            if condition is not None and not entry.codes:
                self._rules.setdefault(entry.system, {}).setdefault(min(condition[0]), []).append((*condition, entry.say))
            for code in entry.codes:
                self._codes.setdefault(entry.system, {}).setdefault(code.replace(".", ""), []).append((entry.say, condition))

    def everyday_phrases(self, title_terms: set[str], system: str, title: str = "") -> list[tuple[str, frozenset[str]]]:
        """The everyday phrases for a title of ``system`` whose lunr terms are ``title_terms``, each
        with the terms of the clinical words it stands for (the most specific rule's)."""
        if _ABSENT.search(title):
            return []
        rules = self._rules.get(system, {})
        found: dict[str, frozenset[str]] = {}
        for term in title_terms:
            for required, excluded, phrases in rules.get(term, ()):
                if required <= title_terms and not excluded & title_terms:
                    for phrase in phrases:
                        if phrase not in found or len(required) > len(found[phrase]) or (
                                len(required) == len(found[phrase]) and sorted(required) < sorted(found[phrase])):
                            found[phrase] = required
        return sorted(found.items())

    def code_phrases(self, system: str, code: str, title_terms: frozenset[str] = frozenset()) -> list[tuple[str, int]]:
        """The phrases of the entries whose codes ``code`` starts with (a range's first code stands for it)
        and whose title words, if any, its title's terms ``title_terms`` hold, each with how many
        characters deeper than the entry's code the code is, less one: a phrase written for ``I63``
        stands for I63 and I63.9 alike, and for I63.89 less exactly, so the index ranks the plainest
        codes first, as it does for title words a phrase leaves out."""
        table = self._codes.get(system)
        if not table:
            return []
        key = code.split("-")[0].replace(".", "")
        found: dict[str, int] = {}
        for length in range(len(key), 0, -1):   # the most specific entry first: its depth wins
            for phrases, condition in table.get(key[:length], ()):
                if not holds(condition, title_terms):
                    continue
                for phrase in phrases:
                    # One level below the entry's code counts as the code itself, so that billable codes
                    # just under a category rank with it (and, as billable, before it).
                    found.setdefault(phrase, max(0, len(key) - length - 1))
        return list(found.items())
