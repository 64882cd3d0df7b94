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


class Vocabulary:
    """The vocabulary of ``content/vocabulary/``, compiled for the index.

    Two kinds of entry: ``title_words`` rules apply to every title of their system that holds the
    words; ``codes`` entries apply to every code that starts with one of their codes.
    """

    def __init__(self, entries: Iterable[VocabularyEntry] = ()) -> None:
        #: Per system, the rules under the first of their required terms (to try only rules that can match).
        self._rules: dict[str, dict[str, list[Rule]]] = {}
        #: Per system, code prefix (no dots) → phrases.
        self._codes: dict[str, dict[str, list[str]]] = {}
        for entry in entries:
            if entry.title_words:
                words = entry.title_words.split()
                required = frozenset(terms(" ".join(word for word in words if not word.startswith("-"))))
                excluded = frozenset(terms(" ".join(word[1:] for word in words if word.startswith("-"))))
                if not required:
                    raise ValueError(f"{entry.source_path}:{entry.line}: title_words has only stop words")
                rule = (required, excluded, entry.say)
                self._rules.setdefault(entry.system, {}).setdefault(min(required), []).append(rule)
            for code in entry.codes:
                self._codes.setdefault(entry.system, {}).setdefault(code.replace(".", ""), []).extend(entry.say)

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

    def code_phrases(self, system: str, code: str) -> list[tuple[str, int]]:
        """The phrases of the entries whose codes ``code`` starts with (a range's first code stands for it),
        each with how many characters deeper than the entry's code the code is, less one: a phrase
        written for ``I63`` stands for I63 and I63.9 alike, and for I63.89 less exactly, so the index
        ranks the plainest codes first, as it does for title words a phrase leaves out."""
        table = self._codes.get(system)
        if not table:
            return []
        key = code.split("-")[0].replace(".", "")
        found: dict[str, int] = {}
        for length in range(len(key), 0, -1):   # the most specific entry first: its depth wins
            for phrase in table.get(key[:length], ()):
                # One level below the entry's code counts as the code itself, so that billable codes
                # just under a category rank with it (and, as billable, before it).
                found.setdefault(phrase, max(0, len(key) - length - 1))
        return list(found.items())
