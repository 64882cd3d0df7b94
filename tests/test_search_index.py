"""What the index stores for ranking: everyday words per code system, phrase lengths, posting values."""

from __future__ import annotations

import json
from pathlib import Path

from generator.search_index import SearchDocument, _Texts, write_search_index
from generator.search_text import analyse, decode_postings, terms
from generator.search_thesaurus import Vocabulary
from generator.validate import load_vocabulary
from test_search_engines import project_vocabulary

VOCABULARY = project_vocabulary()


def document(system: str, code: str, title: str, synonyms: tuple[str, ...] = ()) -> SearchDocument:
    return SearchDocument(system, code, title, None, synonyms, "", f"{system}/{code}.html", True, True)


def everyday(system: str, title: str) -> dict[str, int]:
    return {text: others for text, others in _Texts(VOCABULARY).fields(document(system, "X", title))[1]}


def test_rules_apply_to_their_code_system_only() -> None:
    assert "CABG" in everyday("icd10pcs", "Bypass Coronary Artery, One Artery from Aorta with Autologous Venous Tissue, Open Approach")
    assert "CABG" not in everyday("icd10cm", "Displacement of coronary artery bypass graft")
    assert "flu shot" in everyday("hcpcs", "Administration of influenza virus vaccine")
    assert "flu shot" not in everyday("icd10cm", "Influenza due to unidentified influenza virus with other respiratory manifestations")


def test_rules_can_exclude_words_and_skip_absent_conditions() -> None:
    assert "without contrast" in everyday("icd10pcs", "Computerized Tomography (CT Scan) of Head")
    assert "without contrast" not in everyday("icd10pcs", "Computerized Tomography (CT Scan) of Head using Low Osmolar Contrast")
    assert everyday("icd10cm", "Elevated blood-pressure reading, without diagnosis of hypertension") == {}


def test_everyday_words_count_the_words_they_leave_out() -> None:
    assert everyday("icd10cm", "Acute myocardial infarction, unspecified")["heart attack"] == 0
    assert everyday("icd10cm", "Myocardial infarction type 2")["heart attack"] == 2
    assert everyday("icd10cm", "Other cerebral infarction")["stroke"] == 1         # "other"
    # Rules also apply to the data's synonyms: "Alopecia NOS" is plain hair loss.
    found = {text: others for text, others in _Texts(VOCABULARY).fields(document("icd10cm", "L65.9", "Nonscarring hair loss, unspecified",
                                                                        ("Alopecia NOS",)))[1]}
    assert found["hair loss"] == 0


def test_every_entry_has_terms_and_phrases() -> None:
    entries = load_vocabulary(Path(__file__).resolve().parents[1] / "content" / "vocabulary")
    assert {entry.system for entry in entries} <= {"icd10cm", "icd10pcs", "hcpcs", "cpt"}
    for entry in entries:
        if entry.title_words:
            assert terms(" ".join(w for w in entry.title_words.split() if not w.startswith("-"))), entry
        assert all(phrase.strip() and terms(phrase) for phrase in entry.say), entry
    assert VOCABULARY.everyday_phrases({analyse("asthma")}, "icd10cm")


def test_code_entries_apply_to_every_code_they_start() -> None:
    from generator.model import VocabularyEntry

    vocabulary = Vocabulary([VocabularyEntry("icd10cm", ("shingles",), None, ("B02",), "v.yaml", 3, 0),
                             VocabularyEntry("icd10cm", ("zoster eye",), None, ("B02.3",), "v.yaml", 5, 1)])
    assert vocabulary.code_phrases("icd10cm", "B02.31") == [("zoster eye", 0), ("shingles", 1)]
    assert vocabulary.code_phrases("icd10cm", "B02") == [("shingles", 0)]
    assert vocabulary.code_phrases("icd10cm", "B01.9") == []
    assert vocabulary.code_phrases("icd10pcs", "B02") == []
    found = {text for text, _ in _Texts(vocabulary).fields(document("icd10cm", "B02.9", "Zoster without complications"))[1]}
    assert found == {"shingles"}


def test_an_entry_with_codes_and_title_words_applies_to_the_codes_whose_title_holds_the_words() -> None:
    from generator.model import VocabularyEntry

    vocabulary = Vocabulary([VocabularyEntry("icd10pcs", ("heart artery stent",), "intraluminal -drug", ("0270",),
                                             "v.yaml", 3, 0)])
    def phrases(code: str, title: str) -> set[str]:
        return {text for text, _ in _Texts(vocabulary).fields(document("icd10pcs", code, title))[1]}
    assert phrases("0270346", "Dilation of Coronary Artery, One Artery, Bifurcation, with Intraluminal Device, "
                              "Percutaneous Approach") == {"heart artery stent"}
    assert phrases("02703ZZ", "Dilation of Coronary Artery, One Artery, Percutaneous Approach") == set()
    assert phrases("0270346", "Dilation of Coronary Artery, One Artery, with Drug-eluting Intraluminal Device") == set()
    # Not a rule for every title with the words: another table's intraluminal device gets nothing.
    assert phrases("047K3DZ", "Dilation of Right Femoral Artery with Intraluminal Device, Percutaneous Approach") == set()


def test_posting_values_hold_flags_length_whole_phrase_words_and_head(tmp_path: Path) -> None:
    write_search_index([
        document("icd10cm", "I63.9", "Cerebral infarction, unspecified", ("Stroke NOS",)),
        SearchDocument("hcpcs", "A0001", "Stroke kit, deluxe model, with carrying case", None, (), "", "hcpcs/A0001.html", True, False),
    ], tmp_path)
    shard = json.loads((tmp_path / "index" / "t" / "0.js").read_text().split(",", 1)[1].rsplit(");", 1)[0])
    entry = next(item for item in shard if item[0] == "stroke")
    synonyms = dict(decode_postings(entry[4]))
    title = dict(decode_postings(entry[3]))
    # I63.9 (doc 0): in "Stroke NOS" (1 word), and in everyday "stroke" (1 word), head; billable and active.
    value = synonyms[0]
    assert (value & 3, value >> 6 & 31, value >> 11) == (3, 0b1, 1)
    # A0001 (doc 1): title of 6 core words (too long to be a whole query), head; billable, terminated.
    value = title[1]
    assert (value & 3, value >> 6 & 31, value >> 11) == (2, 0, 1)
    assert (value >> 2 & 15) == 5          # length class of 6 words


def test_a_rare_term_lists_its_words_as_written_and_a_common_one_does_not(tmp_path: Path) -> None:
    documents = [document("icd10cm", f"R{number:02}", f"Swelling of part {number}") for number in range(31)]
    documents += [document("icd10cm", "R90", "Migraine with aura"), document("icd10cm", "R91", "Migraines, chronic")]
    write_search_index(documents, tmp_path)
    entries = {item[0]: item for path in (tmp_path / "index" / "t").glob("*.js")
               for item in json.loads(path.read_text().split(",", 1)[1].rsplit(");", 1)[0])}
    assert entries[analyse("migraines")][6].split() == ["migraine", "migraines"]
    assert len(entries[analyse("swelling")]) == 6     # in 31 documents: not rare (typoRareDf 30)


def test_title_words_see_a_title_as_the_index_does_hyphenated_words_also_joined() -> None:
    from generator.model import VocabularyEntry
    from generator.search_text import indexed_terms

    assert {analyse("pre"), analyse("eclampsia"), analyse("preeclampsia")} <= indexed_terms("Pre-eclampsia, mild")
    vocabulary = Vocabulary([VocabularyEntry("icd10cm", ("toxemia",), "preeclampsia", ("O14",), "v.yaml", 3, 0)])
    found = {text for text, _ in _Texts(vocabulary).fields(document("icd10cm", "O14.00", "Mild to moderate pre-eclampsia"))[1]}
    assert found == {"toxemia"}
