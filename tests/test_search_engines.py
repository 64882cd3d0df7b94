"""The search index on a small fixture: the CLI's exact answers, and the browser engine ranking the same."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import Abort
from generator.search_index import SearchDocument, write_search_index
from generator.search_query import Filters, IndexReader, search
from generator.search_thesaurus import Vocabulary
from generator.validate import load_vocabulary
from test_search_parity import PROJECT, run_engine

DOCUMENTS = Path(__file__).resolve().parent / "fixtures" / "search" / "documents.json"


def project_vocabulary() -> Vocabulary:
    """The project's own vocabulary (content/vocabulary/), which the fixture documents are searched with."""
    return Vocabulary(load_vocabulary(PROJECT / "content" / "vocabulary"))


def fixture_documents() -> list[SearchDocument]:
    return [SearchDocument(**{**item, "synonyms": tuple(item["synonyms"])})
            for item in json.loads(DOCUMENTS.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def index_parent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search")
    stats = write_search_index(fixture_documents(), out, vocabulary=project_vocabulary())
    assert (stats.documents, stats.doc_chunks) == (58, 5)
    return out


def cli(index_parent: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", "search", *args, "--index", str(index_parent / "index")],
                          capture_output=True, text=True, cwd=PROJECT)


def test_cli_exact_code_in_any_form(index_parent: Path) -> None:
    for typed in ("E11.65", "e1165", " E11.65 "):
        result = cli(index_parent, typed)
        assert (result.returncode, result.stdout) == (0, (
            "  1. ICD-10-CM  E11.65    Type 2 diabetes mellitus with hyperglycemia\n"
            "1 result\n"))


def test_cli_prefix_lists_the_header_first_then_code_order(index_parent: Path) -> None:
    assert cli(index_parent, "E11.6").stdout == (
        "  1. ICD-10-CM  E11.6     Type 2 diabetes mellitus with other specified complications (header)\n"
        "  2. ICD-10-CM  E11.62    Type 2 diabetes mellitus with skin complications (header)\n"
        "  3. ICD-10-CM  E11.621   Type 2 diabetes mellitus with foot ulcer\n"
        "  4. ICD-10-CM  E11.65    Type 2 diabetes mellitus with hyperglycemia\n"
        "4 results\n")


def test_cli_range_and_filters(index_parent: Path) -> None:
    assert cli(index_parent, "96401-96549", "--limit", "3").stdout == (
        "  1. CPT        96401-96549 Chemotherapy and other highly complex drug administration (header)\n"
        "  2. CPT        96401     Anti-cancer drug (non-hormonal) given as a shot under the skin or into a muscle\n"
        "  3. CPT        96409     First chemotherapy drug given as a quick IV push\n"
        "7 results, showing 3\n")
    assert cli(index_parent, "E08-E13", "--billable-only", "--limit", "2").stdout == (
        "  1. ICD-10-CM  E10.9     Type 1 diabetes mellitus without complications\n"
        "  2. ICD-10-CM  E11.621   Type 2 diabetes mellitus with foot ulcer\n"
        "5 results, showing 2\n")


def test_cli_words_typo_synonyms_and_terminated_codes(index_parent: Path) -> None:
    assert cli(index_parent, "diabetis", "--limit", "1").stdout == (
        "  1. ICD-10-CM  E08-E13   Diabetes mellitus (header)\n11 results, showing 1\n")
    # Both words first; codes that match one word only ("brain attack" is stroke, in the vocabulary) after them.
    assert cli(index_parent, "heart attack").stdout.splitlines()[:2] == [
        "  1. ICD-10-CM  I21.9     Acute myocardial infarction, unspecified [matched as another name: heart attack]",
        "  2. ICD-10-CM  I21       Acute myocardial infarction [matched as another name: heart attack] (header)"]
    nothing = cli(index_parent, "bladder")
    assert (nothing.returncode, nothing.stdout) == (1, "0 results\n")
    assert cli(index_parent, "bladder", "--include-terminated").stdout.startswith(
        "  1. HCPCS Level II Q2004     Irrigation solution for treatment of bladder calculi")


def test_cli_exact_code_before_the_ranges_it_starts_and_hcpcs_shaped_codes(index_parent: Path) -> None:
    assert cli(index_parent, "I10").stdout == (
        "  1. ICD-10-CM  I10       Essential (primary) hypertension\n"
        "  2. ICD-10-CM  I10-I1A   Hypertensive diseases (header)\n"
        "2 results\n")
    assert cli(index_parent, "i10-i1a").stdout.startswith("  1. ICD-10-CM  I10-I1A   Hypertensive diseases (header)\n")
    # Without a dot, a letter and four digits reads as HCPCS first; a dot means ICD-10-CM.
    assert [line.split()[-1] for line in cli(index_parent, "g0439").stdout.splitlines()[:2]] == ["visit", "encephalopathy"]
    assert cli(index_parent, "G04.39").stdout.startswith("  1. ICD-10-CM  G04.39    ")


def test_cli_whole_phrases_generic_titles_and_typos(index_parent: Path) -> None:
    # "Stroke NOS" is the whole query; "Other cerebral infarction" says "other"; the title match is one word of three.
    assert cli(index_parent, "stroke").stdout == (
        "  1. ICD-10-CM  I63.9     Cerebral infarction, unspecified [matched as another name: stroke]\n"
        "  2. ICD-10-CM  I63.89    Other cerebral infarction [matched as another name: stroke]\n"
        "  3. ICD-10-CM  Z82.3     Family history of stroke\n"
        "3 results\n")
    for query in ("high blood pressure", "hypertenson", "hypertention", "htn"):
        assert cli(index_parent, query, "--limit", "1").stdout.startswith(
            "  1. ICD-10-CM  I10       Essential (primary) hypertension"), query
    assert cli(index_parent, "uti").stdout == (
        "  1. ICD-10-CM  N39.0     Urinary tract infection, site not specified [matched as another name: uti]\n1 result\n")
    assert cli(index_parent, "wheelchar").stdout == "  1. HCPCS Level II K0001     Standard wheelchair\n1 result\n"


def test_a_rare_unknown_word_is_read_as_a_frequent_one_edit_away(tmp_path: Path) -> None:
    """``migrane`` is no word of the index, but its term is that of ``migrans`` (1 document); ``migraine``
    (12 documents) is one edit away and more than typoCorrectRatio times as frequent: it is taken as meant."""
    documents = [SearchDocument("icd10cm", f"G43.{n:02d}", f"Migraine variant {n}", None, (), "", f"icd10cm/G43.{n:02d}.html",
                                True, True) for n in range(12)]
    documents.append(SearchDocument("icd10cm", "B83.0", "Visceral larva migrans", None, (), "", "icd10cm/B83.0.html", True, True))
    write_search_index(documents, tmp_path, vocabulary=project_vocabulary())
    reader = IndexReader(tmp_path / "index")
    for query in ("migrane", "migraine"):
        result = search(reader, query, Filters(), limit=20)
        assert [hit.code for hit in result.hits][:12] == [f"G43.{n:02d}" for n in range(12)], query
    assert [hit.code for hit in search(reader, "migrans", Filters()).hits] == ["B83.0"]
    answers = run_engine("search", [{"query": q, "filters": {}, "limit": 20} for q in ("migrane", "migraine", "migrans", "migrain")],
                         tmp_path)
    assert [[hit["code"] for hit in answer["hits"]] for answer in answers] == [
        [hit.code for hit in search(reader, q, Filters(), limit=20).hits] for q in ("migrane", "migraine", "migrans", "migrain")]


def test_cli_cpt_number_without_a_page_answers_with_its_family(tmp_path: Path) -> None:
    """The narrowest family answers, with the notice; F codes only in F families; never a word match."""
    write_search_index(fixture_documents(), tmp_path, vocabulary=project_vocabulary(),
                       new_record_url="https://github.com/x/y/new/main/content/cpt?filename=__CODE__.yaml")
    reader = IndexReader(tmp_path / "index")
    result = search(reader, "96411")
    assert [(hit.code, hit.kind) for hit in result.hits] == [("96401-96549", "family")]
    assert (result.missing_code, result.new_record) == ("96411", "https://github.com/x/y/new/main/content/cpt?filename=96411.yaml")
    assert cli(tmp_path, "96411").stdout.splitlines()[0] == (
        "CPT 96411 is in 96401–96549, Chemotherapy and other highly complex drug administration. This site has no page "
        "for it yet: official CPT descriptors belong to the AMA. Write one in your own words: "
        "https://github.com/x/y/new/main/content/cpt?filename=96411.yaml")
    assert [hit.code for hit in search(reader, "96370").hits] == ["96360-96549"]   # only the wider family holds it
    assert [hit.code for hit in search(reader, "3008F").hits] == ["0001F-9999F"]
    # 0100F sorts among the numbers but is a Category II code; 01000 is a number in no family here.
    assert [hit.code for hit in search(reader, "0100F").hits] == ["0001F-9999F"]
    assert search(reader, "96401").hits[0].kind == "exact" and search(reader, "96401").missing_code is None


def test_cli_lunr_query_syntax(index_parent: Path) -> None:
    assert cli(index_parent, "+diabetes -type").stdout == (
        "  1. ICD-10-CM  E08-E13   Diabetes mellitus (header)\n"
        "  2. ICD-10-CM  E13.9     Other specified diabetes mellitus without complications\n"
        "  3. ICD-10-CM  E13       Other specified diabetes mellitus (header)\n"
        "3 results\n")
    assert cli(index_parent, "colour:red").stdout.startswith("cannot read the query: ")


def test_cli_without_an_index_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(Abort, match="no search index here"):
        IndexReader(tmp_path)


def test_a_code_twice_fails_the_build(tmp_path: Path) -> None:
    documents = fixture_documents()
    with pytest.raises(Abort, match=r"search index: icd10cm code 'E11.65' appears twice"):
        write_search_index(documents + [documents[7]], tmp_path)


QUERIES = [
    ("E11.65", {}), ("e1165", {}), (" J9035 ", {}), ("E11.6", {}), ("964", {}), ("0DT", {}), ("J90", {}), ("0dtj4zz", {}),
    ("96401-96549", {}), ("E08-E13", {}), ("E08 – E13", {"billableOnly": True}), ("E11", {"systems": ["hcpcs"]}),
    ("diabet", {}), ("diabetes ", {}), ("type 2 diabetes", {}), ("diabetis", {}), ("pnuemonia", {}), ("chemo", {}),
    ("chemo infusion", {}), ("chemo infusion", {"systems": ["cpt"], "billableOnly": True}), ("heart attack", {}),
    ("broken wrist", {}), ("appendectomy", {}), ("knee replacement", {}), ("flu shot", {}), ("insulin", {}),
    ("bladder", {}), ("bladder", {"includeTerminated": True}), ("the", {}), ("xyzzy", {}),
    ("+diabetes -type", {}), ("title:appendix", {}), ("diab*", {}), ("*itis", {}), ("injection^3 carboplatin", {}),
    ("bevacizumab~1", {}), ("synonyms:vermiform", {}), ("colour:red", {}),
    ("I10", {}), ("i10.", {}), ("I10-I1A", {}), ("G0439", {}), ("g04.39", {}), ("G04", {}), ("G0439", {"systems": ["icd10cm"]}),
    ("high blood pressure", {}), ("hypertenson", {}), ("hypertension", {}), ("htn", {}), ("stroke", {}), ("stroke nos", {}),
    ("uti", {}), ("wheelchair", {}), ("wheelchar", {}), ("migrane", {}), ("migraine", {}), ("other cerebral infarction", {}),
    ("cerebral infarction unspecified", {}), ("+stroke -family", {}), ("family history", {"billableOnly": True}),
    ("pneumonia unspecified organism", {}), ("heart attack", {"billableOnly": True}), ("*itis", {}), ("migr*", {}),
    ("96411", {}), ("96399", {}), ("3008F", {}), ("0100F", {}), ("99213", {}), ("9641", {}),
    ("96549-96401", {}), ("96401-96401", {}), ("96401", {}), ("E13-E08", {}), ("E11 E11", {}), ("diabetes DIABETES type", {}), ("stra\u00dfe", {}),
    (" ".join(["diabetes"] + [f"word{n}" for n in range(40)]), {}),
    ("E11.65-96417", {}), ("96417 - 0DTJ4ZZ", {}), ("adult onset diabetes", {}),
    ("high blood sugar with type 2 diabetes", {}),
    ("250.00", {}), ("25000", {}), ("401.9", {}), ("401", {}), ("V22.1", {}), ("supervision of pregnancy", {}),
    ("hypertension", {"systems": ["icd9cm"]}), ("Q2004", {}), ("Q2004", {"billableOnly": True}),
]


def test_browser_engine_ranks_like_the_cli(index_parent: Path) -> None:
    reader = IndexReader(index_parent / "index")
    expected = []
    for query, options in QUERIES:
        filters = Filters(
            systems=frozenset(options["systems"]) if "systems" in options else None,
            billable_only=options.get("billableOnly", False),
            include_terminated=options.get("includeTerminated", False),
        )
        result = search(reader, query, filters, limit=20)
        expected.append({"query": query, "total": result.total, "error": result.error is not None,
                         "notice": result.notice,
                         "hits": [f"{hit.system}:{hit.code}:{hit.kind}:{hit.matched}" for hit in result.hits]})
    answers = run_engine("search", [{"query": q, "filters": o, "limit": 20} for q, o in QUERIES], index_parent)
    browser = [{"query": answer["query"], "total": answer["total"], "error": answer["error"] is not None,
                "notice": answer["notice"], "hits": [f"{hit['system']}:{hit['code']}:{hit['kind']}:{hit['matched']}" for hit in answer["hits"]]}
               for answer in answers]
    assert browser == expected
    assert sum(1 for item in expected if item["hits"]) >= 50


def test_cli_query_starting_with_a_dash_and_a_bad_limit(index_parent: Path) -> None:
    excluded = cli(index_parent, "-E11")
    assert excluded.returncode == 1 and excluded.stdout == "0 results\n"   # lunr: every document without "e11"
    bad = cli(index_parent, "E11", "--limit", "-1")
    assert bad.returncode == 2 and "argument --limit: must be 1 or more, not -1" in bad.stderr


def test_reversed_range_twice_typed_words_long_queries_and_a_closed_pipe(index_parent: Path) -> None:
    reader = IndexReader(index_parent / "index")
    assert [hit.code for hit in search(reader, "96549-96401").hits] == [hit.code for hit in search(reader, "96401-96549").hits]
    assert [hit.code for hit in search(reader, "E11 e11").hits] == [hit.code for hit in search(reader, "E11").hits]
    long = search(reader, " ".join(["diabetes"] + [f"word{n}" for n in range(40)]))
    assert long.notice == "Only the first 32 words were searched." and long.hits
    piped = subprocess.run(f"{sys.executable} -m generator search diabetes --limit 30 --index {index_parent / 'index'} | head -1",
                           shell=True, capture_output=True, text=True, cwd=PROJECT)
    assert piped.stdout.count("\n") == 1 and "Traceback" not in piped.stderr and "BrokenPipe" not in piped.stderr


def test_range_across_systems_says_which_systems_it_spans(index_parent: Path) -> None:
    reader = IndexReader(index_parent / "index")
    across = search(reader, "E11.65-96417")
    assert (across.total, across.hits) == (0, [])   # the notice, and nothing that would contradict it
    assert across.notice == (
        "E11.65 is an ICD-10-CM code and 96417 a CPT code: a range stays within one code system, so no code lies "
        "between them. Search each code on its own.")
    # A range within one system, and a word query with a hyphen, say nothing of the kind.
    assert search(reader, "E11.6-E11.9").notice is None and search(reader, "96401-96549").notice is None


def test_a_match_among_other_names_says_so(index_parent: Path) -> None:
    """Words matched only as another name (vocabulary, synonyms), not in the title or plain name: the hit says so."""
    reader = IndexReader(index_parent / "index")
    result = search(reader, "adult onset diabetes")
    assert result.hits and all(hit.matched == "adult onset diabetes" for hit in result.hits if hit.code.startswith("E11"))
    assert "[matched as another name: adult onset diabetes]" in cli(index_parent, "adult onset diabetes").stdout
    # Every word of the query in the title or plain name: no such note ("diabetes" is in E11's title and synonyms).
    for query in ("type 2 diabetes mellitus", "diabetes", "cerebral infarction"):
        assert [hit.code for hit in search(reader, query).hits if hit.matched] == [], query
