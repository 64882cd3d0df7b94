"""Search text rules: words, terms, code keys and code order, the shard number encoding, edit distance, phrase lengths."""

from __future__ import annotations

import pytest

from generator.search_text import (
    analyse,
    code_key,
    decode_postings,
    doc_sort_key,
    encode_number,
    encode_postings,
    first_key,
    phrase_shape,
    within_edits,
    words,
)


def test_words_fold_accents_split_punctuation_and_trim_apostrophes() -> None:
    assert words("Ménière's disease, (acute) w/o 'coma'; E11.65") == [
        "meniere's", "disease", "acute", "w", "o", "coma", "e11", "65"]


def test_terms_are_lunr_stems_without_stop_words() -> None:
    assert [analyse(word) for word in ("diabetes", "diabetic", "infusions", "the", "with", "chemotherapy")] == [
        "diabet", "diabet", "infus", None, None, "chemotherapi"]


@pytest.mark.parametrize(("typed", "key"), [
    ("E11.65", "E1165"), ("e1165", "E1165"), (" J9035 ", "J9035"), ("0dtj4zz", "0DTJ4ZZ"), ("e08-e13", "E08-E13"),
])
def test_code_key_is_upper_case_without_dots_or_spaces(typed: str, key: str) -> None:
    assert code_key(typed) == key


def test_code_order_puts_ranges_before_their_first_code_and_wider_ranges_first() -> None:
    codes = ["A00.1", "A00", "A00-A09", "A00-B99", "A01", "A00.0"]
    assert sorted(codes, key=doc_sort_key) == ["A00-B99", "A00-A09", "A00", "A00.0", "A00.1", "A01"]
    assert first_key("A00-A09") == "A00"


def test_numbers_and_postings_round_trip() -> None:
    assert [encode_number(n) for n in (0, 31, 32, 1023, 1024)] == ["A", "f", "hA", "_f", "hgA"]
    postings = [(0, 15), (1, 63), (2, 0), (40, 7), (100_000, 12)]
    assert decode_postings(encode_postings(postings)) == postings


@pytest.mark.parametrize(("a", "b", "distance", "expected"), [
    ("diabet", "diabeti", 1, True),       # insertion
    ("pnuemonia", "pneumonia", 1, True),  # swapped neighbours
    ("brest", "breast", 1, True),
    ("fractur", "fractor", 1, True),      # substitution
    ("fractur", "frcatru", 1, False),
    ("fractur", "frcatru", 2, True),
    ("knee", "kneee", 0, False),
])
def test_edit_distance(a: str, b: str, distance: int, expected: bool) -> None:
    assert within_edits(a, b, distance) is expected
    assert within_edits(b, a, distance) is expected


def test_postings_values_take_two_characters() -> None:
    postings = [(0, 0), (3, 63), (4, 64), (90, 4095), (100_000, 2049)]
    assert decode_postings(encode_postings(postings)) == postings
    assert len(encode_postings([(0, 4095)])) == 3


@pytest.mark.parametrize(("text", "core", "specific"), [
    ("Essential (primary) hypertension", ("essenti", "hypertens"), False),      # nonessential modifier
    ("Acute nasopharyngitis [common cold]", ("acut", "nasopharyng"), False),     # alternative words
    ("Gout, unspecified", ("gout",), False),
    ("Stroke NOS", ("stroke",), False),
    ("Urinary tract infection, site not specified", ("urinari", "tract", "infect"), False),
    ("Alcohol dependence, uncomplicated", ("alcohol", "depend"), False),
    ("Encounter for general adult medical examination without abnormal findings",
     ("encount", "gener", "adult", "medic", "examin"), False),
    ("Other acute sinusitis", ("acut", "sinus"), True),                          # "other" counts as a word
    ("(acute)", ("acut",), False),                                               # nothing outside the brackets
])
def test_phrase_shape_counts_core_words(text: str, core: tuple[str, ...], specific: bool) -> None:
    shape = phrase_shape(text)
    assert (shape.terms, shape.specific, shape.length) == (core, specific, len(core) + specific)
    assert shape.head == core[0]
