"""Each kind of bad input gives one exact, located message; all of them are reported in one run."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURE_ICD10CM, edit, problems_of

from generator.cli import main
from generator.errors import InvalidContent
from generator.official import load_official
from generator.validate import load_content


def test_fixture_content_is_valid(content_dir: Path) -> None:
    assert problems_of(content_dir) == []


def test_unknown_key(content_dir: Path) -> None:
    edit(content_dir / "cpt/96365.yaml", "summary:", "sumary:")
    assert problems_of(content_dir) == [
        "content/cpt/96365.yaml:4: sumary: unknown key; did you mean 'summary'? (the fields of a code record: "
        "content/SCHEMA.md)"
    ]


def test_wrong_types(content_dir: Path) -> None:
    edit(content_dir / "cpt/96365.yaml", "risks:\n  - Bruising at the IV site.", "risks: Bruising at the IV site.")
    edit(content_dir / "cpt/96415.yaml", "add_on: true", "add_on: yes please")
    assert problems_of(content_dir) == [
        "content/cpt/96365.yaml:5: risks: expected a list of text, got text 'Bruising at the IV site.'",
        "content/cpt/96415.yaml:4: add_on: expected true or false, got text 'yes please'",
    ]


def test_list_item_of_wrong_type(content_dir: Path) -> None:
    edit(content_dir / "cpt/96417.yaml", "  - Blood tests before treatment.", "  - 42")
    assert problems_of(content_dir) == ["content/cpt/96417.yaml:20: preparation[0]: expected text, got a number 42"]


def test_missing_required_field(content_dir: Path) -> None:
    edit(content_dir / "cpt/96365.yaml", "name: First hour of an IV drip of a non-chemotherapy drug\n", "")
    assert problems_of(content_dir) == ["content/cpt/96365.yaml:1: name: missing required field"]


def test_file_name_differs_from_code_and_duplicate(content_dir: Path) -> None:
    (content_dir / "cpt/96366.yaml").write_text((content_dir / "cpt/96365.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert problems_of(content_dir) == [
        "content/cpt/96366.yaml:1: code: '96365' does not match the file name '96366.yaml'",
        "content/cpt/96366.yaml:1: code: duplicate code '96365', also in content/cpt/96365.yaml",
    ]


def test_unknown_similar_code(content_dir: Path) -> None:
    edit(content_dir / "cpt/96417.yaml", 'code: "96367"', 'code: "96499"')
    assert problems_of(content_dir) == ["content/cpt/96417.yaml:47: similar[1]: unknown code '96499'"]


def test_malformed_code_in_similar(content_dir: Path) -> None:
    edit(content_dir / "cpt/96417.yaml", 'code: "96367"', 'code: "9636"')
    assert problems_of(content_dir) == ["content/cpt/96417.yaml:47: similar[1].code: '9636' is not a CPT code (e.g. '96417')"]


def test_unknown_primary_code_and_own_code(content_dir: Path) -> None:
    edit(content_dir / "cpt/96367.yaml", 'primary_codes: ["96365", "96413"]', 'primary_codes: ["96374", "96367"]')
    assert problems_of(content_dir) == [
        "content/cpt/96367.yaml:5: primary_codes[0]: unknown code '96374'",
        "content/cpt/96367.yaml:5: primary_codes[1]: '96367' is this record's own code",
    ]


def test_add_on_needs_primary_codes(content_dir: Path) -> None:
    edit(content_dir / "cpt/96415.yaml", 'primary_codes: ["96413"]\n', "")
    edit(content_dir / "cpt/96365.yaml", "summary:", 'primary_codes: ["96413"]\nsummary:')
    assert problems_of(content_dir) == [
        "content/cpt/96365.yaml:4: primary_codes: only an add-on code (add_on: true) has primary codes",
        "content/cpt/96415.yaml:4: primary_codes: an add-on code must list the primary codes it is reported with",
    ]


def test_policy_unknown_code_and_malformed_range(content_dir: Path) -> None:
    edit(content_dir / "policies/mcd-a58532.yaml", '["96401-96549", "96365"]', '["96549-96401", "96366"]')
    edit(content_dir / "policies/cms-manual-drug-admin.yaml", 'cpt: ["96360-96549"]', 'cpt: ["96360-96549"]\n  hcpcs: ["J9035-"]')
    assert problems_of(content_dir) == [
        "content/policies/cms-manual-drug-admin.yaml:10: codes.hcpcs[0]: malformed code '' in 'J9035-': "
        "not a HCPCS Level II code (e.g. J9035) or a code prefix",
        "content/policies/mcd-a58532.yaml:9: codes.cpt[0]: malformed range '96549-96401': 96549 comes after 96401",
    ]


def test_policy_unknown_single_code(content_dir: Path) -> None:
    edit(content_dir / "policies/mcd-a58532.yaml", '"96365"]', '"12345"]')
    assert problems_of(content_dir) == [
        "content/policies/mcd-a58532.yaml:9: codes.cpt[1]: '12345' lies in no family of content/families/cpt.yaml"]


def test_policy_without_url(content_dir: Path) -> None:
    edit(content_dir / "policies/mcd-a58532.yaml",
         "url: https://www.cms.gov/medicare-coverage-database/view/article.aspx?articleid=58532\n", "")
    edit(content_dir / "policies/cms-manual-drug-admin.yaml", "date: 2024-01-01", "date: January 2024")
    assert problems_of(content_dir) == [
        "content/policies/cms-manual-drug-admin.yaml:6: date: expected a date written YYYY-MM-DD, got text 'January 2024'",
        "content/policies/mcd-a58532.yaml:1: url: missing required field",
    ]


def test_invalid_yaml(content_dir: Path) -> None:
    edit(content_dir / "cpt/96365.yaml", "summary: The first", "summary: [The first")
    (problem,) = problems_of(content_dir)
    assert problem.startswith("content/cpt/96365.yaml:5: invalid YAML: ")


def test_duplicate_yaml_key(content_dir: Path) -> None:
    edit(content_dir / "cpt/96365.yaml", "risks:", "summary: again\nrisks:")
    assert problems_of(content_dir) == ["content/cpt/96365.yaml:5: invalid YAML: duplicate key 'summary'"]


def test_code_outside_every_family(content_dir: Path) -> None:
    (content_dir / "cpt/99213.yaml").write_text('code: "99213"\nsystem: cpt\nstatus: draft\nname: Office visit\n', encoding="utf-8")
    assert problems_of(content_dir) == ["content/cpt/99213.yaml:1: code: '99213' is in no family of content/families/cpt.yaml"]


def test_draft_is_not_a_known_code(content_dir: Path) -> None:
    edit(content_dir / "cpt/96365.yaml", "summary:", "draft: true\nsummary:")
    assert problems_of(content_dir) == [
        "content/cpt/96367.yaml:5: primary_codes[0]: unknown code '96365'",
        "content/cpt/96413.yaml:15: similar[0]: unknown code '96365'",
    ]  # a policy may still name it: every CPT number of a family has a page


def test_broken_family_file_does_not_cascade(content_dir: Path) -> None:
    edit(content_dir / "families/cpt.yaml", 'range: "96360-96379"', 'range: "96379-96360"')
    assert problems_of(content_dir) == [
        "content/families/cpt.yaml:3: families[0].range: malformed range '96379-96360': 96379 comes after 96360"
    ]


def test_broken_record_does_not_cascade(content_dir: Path) -> None:
    edit(content_dir / "cpt/96365.yaml", "system: cpt", "system: 12")
    assert problems_of(content_dir) == ["content/cpt/96365.yaml:2: system: 12 is not one of cpt, icd10cm, icd10pcs, hcpcs"]


def test_stray_files(content_dir: Path) -> None:
    (content_dir / "cpt/notes.txt").write_text("x", encoding="utf-8")
    (content_dir / "drafts").mkdir()
    assert problems_of(content_dir) == [
        "content/cpt/notes.txt: unexpected file: records are .yaml files",
        "content/drafts: unexpected folder in content/ (expected folders: cpt, icd10cm, icd10pcs, hcpcs, policies, families, vocabulary)",
    ]


def test_cli_reports_every_problem_then_a_count(content_dir: Path, capsys) -> None:
    edit(content_dir / "cpt/96365.yaml", "summary:", "sumary:")
    edit(content_dir / "cpt/96417.yaml", 'code: "96367"', 'code: "96499"')
    status = main(["--content", str(content_dir), "--systems", "cpt", "--github-annotations", "check"])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.err.splitlines()[-1] == "2 problems found in content; nothing was built"
    assert "content/cpt/96417.yaml:47: similar[1]: unknown code '96499'" in captured.err.splitlines()
    assert captured.out.splitlines() == [
        "::error file=content/cpt/96365.yaml,line=4::sumary: unknown key; did you mean 'summary'? (the fields of a "
        "code record: content/SCHEMA.md)",
        "::error file=content/cpt/96417.yaml,line=47::similar[1]: unknown code '96499'",
    ]


def test_missing_content_folder(tmp_path: Path, capsys) -> None:
    assert main(["--content", str(tmp_path / "nowhere"), "--systems", "cpt", "check"]) == 1
    assert capsys.readouterr().err.splitlines()[0].endswith("nowhere: content folder not found")


# --- Bad input that used to crash or flood validation (issue 13, defects 2, 4, 5, 6) ---

def test_impossible_date_is_a_marked_problem(content_dir: Path) -> None:
    edit(content_dir / "policies/cms-manual-drug-admin.yaml", "date: 2024-01-01", "date: 2024-02-30")
    assert problems_of(content_dir) == [
        "content/policies/cms-manual-drug-admin.yaml:6: invalid YAML: '2024-02-30' is not a valid date "
        "(day is out of range for month)"]


def test_non_text_key_is_a_marked_problem(content_dir: Path) -> None:
    edit(content_dir / "cpt/96365.yaml", "summary:", "? [a]\n: 1\nsummary:")
    assert problems_of(content_dir) == [
        "content/cpt/96365.yaml:4: invalid YAML: a key must be a plain word, not a list or mapping"]


def test_anchors_and_aliases_are_refused(content_dir: Path) -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b]\n'
    (content_dir / "cpt/96368.yaml").write_text('code: "96368"\nsystem: cpt\n' + bomb, encoding="utf-8")
    assert problems_of(content_dir) == [
        "content/cpt/96368.yaml:3: invalid YAML: anchors and aliases (&name, *name) are not allowed in content: "
        "write the value out"]


def test_huge_values_are_cut_in_messages_and_long_text_is_refused(content_dir: Path) -> None:
    edit(content_dir / "cpt/96365.yaml", "summary:", "add_on: " + "y" * 5000 + "\nsummary:")
    problems = problems_of(content_dir)
    assert len(problems) == 1 and len(problems[0]) < 200, problems
    assert problems[0].startswith("content/cpt/96365.yaml:4: add_on: expected true or false, got text 'yyy")
    (content_dir / "cpt/96365.yaml").write_text(
        'code: "96365"\nsystem: cpt\nstatus: draft\nname: IV infusion\nsummary: ' + "word " * 1000 + "\n",
        encoding="utf-8")
    assert problems_of(content_dir) == [
        "content/cpt/96365.yaml:5: summary: is 4,999 characters long; at most 2,000 are allowed"]


def test_record_for_a_code_not_in_the_release_is_an_error(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "icd10cm").mkdir(parents=True)
    (content / "icd10cm/Z99.999.yaml").write_text(
        'code: "Z99.999"\nsystem: icd10cm\nstatus: draft\nname: Not a code\n', encoding="utf-8")
    official = load_official(("icd10cm",), icd10cm_xml=FIXTURE_ICD10CM, verify=False)
    with pytest.raises(InvalidContent) as error:
        load_content(content, official=official)
    assert [str(problem) for problem in error.value.problems] == [
        "content/icd10cm/Z99.999.yaml:1: code: 'Z99.999' is not in the official ICD-10-CM release this site is "
        "built from; a record may describe only an official code (mark it `draft: true` while it waits for a "
        "future edition)"]
    # A draft may wait for a future edition.
    edit(content / "icd10cm/Z99.999.yaml", "status: draft", "status: draft\ndraft: true")
    load_content(content, official=official)


def test_reviewed_record_names_its_reviewer(content_dir: Path) -> None:
    edit(content_dir / "cpt/96365.yaml", "status: draft", "status: reviewed")
    assert problems_of(content_dir) == [
        "content/cpt/96365.yaml:7: reviewed_by: a reviewed record names who reviewed it and when (reviewed_by is missing)",
        "content/cpt/96365.yaml:7: reviewed_on: a reviewed record names who reviewed it and when (reviewed_on is missing)",
    ]


def test_duplicate_and_partly_overlapping_families(content_dir: Path) -> None:
    path = content_dir / "families/cpt.yaml"
    path.write_text(path.read_text(encoding="utf-8") + (
        '  - range: "96360-96379"\n    title: Again\n'
        '  - range: "96370-96399"\n    title: Across two\n'), encoding="utf-8")
    problems = problems_of(content_dir)
    assert any("duplicate range 96360-96379, also on line" in problem for problem in problems), problems
    assert any("96370-96399 partly overlaps 96360-96379" in problem for problem in problems), problems


def _icd10cm_problems(content: Path) -> list[str]:
    """The problems of a content folder checked against the fixture ICD-10-CM release."""
    official = load_official(("icd10cm",), icd10cm_xml=FIXTURE_ICD10CM, verify=False)
    with pytest.raises(InvalidContent) as error:
        load_content(content, official=official)
    return [str(problem) for problem in error.value.problems]


def test_vocabulary_codes_must_start_some_official_code(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "vocabulary").mkdir(parents=True)
    (content / "vocabulary/icd10cm.yaml").write_text(
        'system: icd10cm\nentries:\n  - codes: ["E11.6", "E99.9"]\n    say: [diabetes trouble]\n'
        '  - say: [no target]\n  - title_words: the of\n    say: [stop words only]\n'
        '  - codes: ["E11"]\n    say: [sugar, sugar]\n'
        '  - codes: ["E11.6", "E11.9"]\n    title_words: hypoglycemia -coma\n    say: [low sugar without coma]\n',
        encoding="utf-8")
    assert _icd10cm_problems(content) == [
        "content/vocabulary/icd10cm.yaml:3: entries[0].codes[1]: no ICD-10-CM code starts with 'E99.9'",
        "content/vocabulary/icd10cm.yaml:5: entries[1]: an entry needs title_words, codes or both",
        "content/vocabulary/icd10cm.yaml:6: entries[2]: title_words 'the of' has only stop words",
        "content/vocabulary/icd10cm.yaml:8: entries[3]: say lists a phrase twice",
        # E11.64 "... with hypoglycemia" holds the words (E11.649 "... without coma" has "coma"); none under E11.9.
        "content/vocabulary/icd10cm.yaml:10: entries[4].codes[1]: no ICD-10-CM code starting with 'E11.9' "
        "has a title with title_words 'hypoglycemia -coma'",
    ]


def test_codes_named_in_prose_must_exist(tmp_path: Path) -> None:
    """Issue 11: 'Z79.4' is checked against the release; an unknown dotted code is an error; B12 is a word."""
    content = tmp_path / "content"
    (content / "icd10cm").mkdir(parents=True)
    (content / "icd10cm/E11.65.yaml").write_text(
        'code: "E11.65"\nsystem: icd10cm\nstatus: draft\nname: Type 2 diabetes with high blood sugar\n'
        'summary: Also code E11.649 when low, and E99.99 never; vitamin B12 is a word.\n'
        'coding_tips:\n  - Use E11.65 with J9035 and 0DTJ4ZZ.\n  - Not Q9999.\n', encoding="utf-8")
    assert _icd10cm_problems(content) == [
        "content/icd10cm/E11.65.yaml:5: summary: 'E99.99' is not a code of the official ICD-10-CM release"]


def test_us_english_and_short_sentences(content_dir: Path) -> None:
    """Issue 11, rule 3: British spellings and terms name the US form; sentences of more than 30 words are errors."""
    edit(content_dir / "cpt/96365.yaml", "summary: The first hour",
         "summary: The infusion centre gave paracetamol. " + "Word " * 31 + "end. The first hour")
    problems = [problem for problem in problems_of(content_dir) if "summary:" in problem]
    assert problems == [
        "content/cpt/96365.yaml:4: summary: a sentence of 32 words (at most 30): 'Word Word Word Word Word Word Word Word Word Word '…",
        "content/cpt/96365.yaml:4: summary: write US English: 'acetaminophen', not 'paracetamol'",
        "content/cpt/96365.yaml:4: summary: write US English: 'center', not 'centre'",
    ]
    # Words US medicine uses are not flagged: a herniated disc, blood gases.
    edit(content_dir / "cpt/96365.yaml", "The infusion centre gave paracetamol. " + "Word " * 31 + "end.", "A disc and blood gases.")
    assert not [problem for problem in problems_of(content_dir) if "summary:" in problem]


def test_editor_swap_and_backup_files_are_ignored(content_dir: Path) -> None:
    for name in (".96417.yaml.swp", "96417.yaml~", ".#96417.yaml", "#96417.yaml#"):
        (content_dir / "cpt" / name).write_text("not: [valid", encoding="utf-8")
    assert problems_of(content_dir) == []


def test_checking_some_systems_does_not_call_other_systems_codes_unknown(content_dir: Path, capsys) -> None:
    (content_dir / "icd10cm").mkdir(exist_ok=True)
    (content_dir / "icd10cm/E11.65.yaml").write_text(
        'code: "E11.65"\nsystem: icd10cm\nstatus: draft\nname: Type 2 diabetes with high blood sugar\n'
        'similar:\n  - code: "E11.649"\n', encoding="utf-8")
    assert main(["--content", str(content_dir), "--systems", "cpt", "check"]) == 0
    out = capsys.readouterr().out
    assert "ICD-10-CM, ICD-10-PCS, HCPCS Level II codes were not checked against their releases" in out


def test_equivalents_must_exist_in_their_system(content_dir: Path, tmp_path: Path) -> None:
    from conftest import write_cms_fixture_data

    path = content_dir / "cpt/96413.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('code: "J9035"', 'code: "J9999"'), encoding="utf-8")
    official = load_official(("hcpcs", "icd10pcs"), cms_data=write_cms_fixture_data(tmp_path / "cms"), verify=False)
    with pytest.raises(InvalidContent) as error:
        load_content(content_dir, official=official)
    problems = [str(problem) for problem in error.value.problems if "equivalents" in str(problem)]
    assert len(problems) == 1 and problems[0].endswith("equivalents[0]: unknown HCPCS Level II code 'J9999'"), problems


def test_warnings_for_a_name_that_drops_an_axis_and_a_hard_summary(tmp_path: Path) -> None:
    """Issue 11, rule 2: a lint warns when an official axis word has no counterpart; grade > 12 warns too."""
    content = tmp_path / "content"
    (content / "icd10cm").mkdir(parents=True)
    (content / "icd10cm/S72.001A.yaml").write_text(
        'code: "S72.001A"\nsystem: icd10cm\nstatus: draft\nname: Broken right hip, first treatment\n'
        'summary: Comprehensive multidisciplinary orthopaedic-traumatological intervention necessitates '
        'considerable interdisciplinary coordination.\n', encoding="utf-8")
    (content / "icd10cm/S72.001A.yaml").write_text(
        (content / "icd10cm/S72.001A.yaml").read_text(encoding="utf-8").replace("orthopaedic", "orthopedic"), encoding="utf-8")
    official = load_official(("icd10cm",), icd10cm_xml=FIXTURE_ICD10CM, verify=False)
    warnings = [str(warning) for warning in load_content(content, official=official).warnings]
    assert warnings[:2] == [
        "content/icd10cm/S72.001A.yaml:4: name: the official title says 'initial encounter'; the plain name has no word for it",
        "content/icd10cm/S72.001A.yaml:4: name: the official title says 'closed fracture'; the plain name has no word for it",
    ]
    assert warnings[2].startswith("content/icd10cm/S72.001A.yaml:5: summary: reads at grade ")
