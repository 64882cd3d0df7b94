"""Tokenisation parity: the browser's words and terms (search.js + lunr.js under node) equal Python's."""

from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)   # the package reads its data with a deprecated API
    import simple_icd_10_cm as cm

from lunr.stop_word_filter import WORDS as STOP_WORDS

from generator.search_text import analyse, words

PROJECT = Path(__file__).resolve().parent.parent
ASSETS = PROJECT / "site_templates" / "assets" / "search"
ENGINE = Path(__file__).resolve().parent / "fixtures" / "search" / "engine.js"


def run_engine(mode: str, payload: object, index_parent: Path = ASSETS) -> object:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is required for the search parity tests (Node 20)")
    result = subprocess.run([node, str(ENGINE), str(ASSETS), str(index_parent), mode],
                            input=json.dumps(payload), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def icd10cm_titles() -> list[str]:
    return [cm.get_description(code) for code in cm.get_all_codes(True)]


def icd10cm_texts() -> list[str]:
    """Titles, inclusion terms and "includes" notes of every ICD-10-CM item."""
    texts = icd10cm_titles()
    for code in cm.get_all_codes(True):
        texts += cm.get_inclusion_term(code) + cm.get_includes(code)
    return texts


def test_every_icd10cm_word_gets_the_same_term_in_the_browser() -> None:
    vocabulary = sorted({word for text in icd10cm_texts() for word in words(text)} | STOP_WORDS)
    assert len(vocabulary) > 12_000
    browser_terms = run_engine("analyse", vocabulary)
    differences = [(word, term, analyse(word)) for word, term in zip(vocabulary, browser_terms) if term != analyse(word)]
    assert differences == []


def test_titles_split_into_the_same_words_in_the_browser() -> None:
    titles = icd10cm_titles()[::20] + ["Ménière's disease", "Crohn’s disease", "  E11.65 ", "w/o coma; 'quoted'", "CO₂ 5½"]
    assert run_engine("words", titles) == [words(title) for title in titles]
