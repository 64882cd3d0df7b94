"""Procedure words decomposed into ICD-10-PCS operations and body parts, on the fixture tables and definitions."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_cms_fixture_data

from generator.errors import Abort
from generator.official import load_official
from generator.search_query import IndexReader, search
from generator.search_word_parts import WordParts, decompose, joined, read_word_parts, vocabulary_entries, words_for


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory):
    cms = write_cms_fixture_data(tmp_path_factory.mktemp("cms"))
    return load_official(("icd10pcs",), cms_data=cms, verify=False).icd10pcs


def parts(**tables: dict) -> WordParts:
    kinds = {"suffixes": "suffix", "forms": "form", "words": "word"}
    lines = {key: number for number, key in enumerate(((kinds[kind], name) for kind, table in tables.items()
                                                        for name in table), 1)}
    return WordParts(tables.get("suffixes", {}), tables.get("forms", {}), tables.get("words", {}), lines, "parts.yaml")


def test_forms_and_suffixes_join_with_the_linking_vowel() -> None:
    assert [joined(*pair) for pair in (("append", "ectomy"), ("arthr", "desis"), ("colp", "pexy"), ("orchi", "pexy"),
                                       ("trache", "ostomy"), ("cyst", "scopy"))] == \
        ["appendectomy", "arthrodesis", "colpopexy", "orchiopexy", "tracheostomy", "cystoscopy"]


def test_each_suffix_class_leads_to_its_operation_and_body_part(release) -> None:
    # The fixture tables hold Resection of the stomach, pylorus and appendix; "tomy" stands in for a consonant suffix.
    words, _ = decompose(release, parts(
        suffixes={"ectomy": ("Resection", "Excision"), "tomy": ("Resection",)},
        forms={"append": ("Appendix",), "gastr": ("Stomach",)},
        words={"pylorectomy": (("Resection",), ("Pylorus",))}))
    assert words["appendectomy"] == ["0DTJ"]                  # a suffix starting with a vowel
    assert words["gastrotomy"] == ["0DT6", "0DT7"]            # a consonant: "o" links; the stomach and its pylorus
    assert words["pylorectomy"] == ["0DT7"]                   # a word that does not follow the pattern
    # Parts that meet in no table make no word: "append" + "tomy" does, "gastr" + "ectomy" too, nothing else.
    assert sorted(words) == ["appendectomy", "appendotomy", "gastrectomy", "gastrotomy", "pylorectomy"]


def test_body_part_key_terms_count_as_the_body_part(release) -> None:
    words, _ = decompose(release, parts(suffixes={"ectomy": ("Resection",)}, forms={"vermiform": ("Vermiform appendix",)}))
    assert words == {"vermiformectomy": ["0DTJ"]}              # "Vermiform appendix" is a Body Part Key term of Appendix


def test_parts_that_lead_nowhere_are_named_with_their_line(release) -> None:
    table = parts(suffixes={"ectomy": ("Resection",), "pexy": ("Reposition",)}, forms={"append": ("Appendix",)},
                  words={"hysteroscopy": (("Inspection",), ("Uterus",))})
    _, unused = decompose(release, table)
    assert unused == ["parts.yaml:2: suffix 'pexy' leads to no ICD-10-PCS table and body part",
                      "parts.yaml:4: word 'hysteroscopy' leads to no ICD-10-PCS table and body part"]
    with pytest.raises(Abort, match="2 word parts lead nowhere"):
        vocabulary_entries(release, table, strict=True)
    assert words_for(vocabulary_entries(release, table), "0DTJ") == ["appendectomy"]


def test_the_declared_table_reads_and_a_broken_one_is_named(tmp_path: Path) -> None:
    declared = read_word_parts()
    assert declared.suffixes["desis"] == ("Fusion",) and declared.forms["colp"] == ("Vagina",)
    broken = tmp_path / "parts.yaml"
    broken.write_text("suffixes:\n  ectomy: Resection\nforms:\n  Append: [Appendix]\nwords: {}\n", encoding="utf-8")
    with pytest.raises(Abort) as raised:
        read_word_parts(broken)
    assert "parts.yaml:2: suffix ectomy: expected a list of words" in str(raised.value)
    assert "parts.yaml:4: 'Append': word parts are lower-case letters" in str(raised.value)


def test_search_reaches_the_table_by_the_procedure_word(site: Path) -> None:
    reader = IndexReader(site / "assets" / "search" / "index")
    hits = search(reader, "gastrectomy").hits      # made from the declared parts: gastr + ectomy, Resection of Stomach
    assert hits and hits[0].code.startswith(("0DT6", "0DT7"))
