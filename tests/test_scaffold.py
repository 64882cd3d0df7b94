"""`make new`: a scaffold lists every declared field, fails validation only on what is left to write, and passes once written."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import PROJECT, problems_of

from generator.cli import main
from generator.errors import Abort
from generator.schema import CODE_RECORD, SIMILAR_ITEM
from generator.scaffold import scaffold_text, write_scaffold
from generator.validate import load_content


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_scaffold_lists_every_declared_field_with_its_doc() -> None:
    header, *blocks = scaffold_text("cpt", "96418").split("\n\n")
    assert header.splitlines()[0] == "# CPT 96418: a code record of Open Medical Codes."
    assert len(blocks) == len(CODE_RECORD.fields)
    for block, field in zip(blocks, CODE_RECORD.fields):
        *comments, key_line = block.splitlines()
        assert key_line.split(":")[0] == field.name
        assert all(line.startswith("#") for line in comments), block
        assert comments[0].startswith(f"# {field.name} (required) · " if field.required else f"# {field.name} · ")
        assert comments[0].split(" · ")[1] == field.type.describe
        assert comments[1] == f"# {field.doc}"
        assert (f'page section "{field.section}"' in comments[0]) == bool(field.section)


def test_scaffold_describes_the_items_of_similar() -> None:
    block = next(block for block in scaffold_text("cpt", "96418").split("\n\n") if block.endswith("\nsimilar:"))
    for field in SIMILAR_ITEM.fields:
        assert f"#   {field.name}{' (required)' if field.required else ''} · {field.type.describe}: {field.doc}" in block
    assert "#   - code:\n#     reason:\n" in block


def test_unfilled_scaffold_fails_on_the_required_field_left_to_write(content_dir: Path) -> None:
    path = write_scaffold(content_dir, "cpt", "96418")
    assert path == content_dir.resolve() / "cpt/96418.yaml"
    assert problems_of(content_dir) == ["content/cpt/96418.yaml:41: name: missing required field"]


def test_filled_scaffold_passes_validation(content_dir: Path) -> None:
    path = write_scaffold(content_dir, "cpt", "96418")
    edit(path, "\nname:\n", "\nname: Each extra chemotherapy drug given at the same time by IV drip\n")
    edit(path, "\nsummary:\n", "\nsummary: >-\n  An add-on for a further chemotherapy drug that runs\n  alongside the first.\n")
    edit(path, "\nadd_on:\n", "\nadd_on: true\n")
    edit(path, "\nprimary_codes:\n", '\nprimary_codes:\n  - "96413"\n')
    edit(path, "\nrisks:\n", "\nrisks:\n  - An allergic or infusion reaction.\n")
    edit(path, "\nsimilar:\n", '\nsimilar:\n  - code: "96417"\n    reason: The same, one drug after another.\n')
    assert problems_of(content_dir) == []
    record = load_content(content_dir).records[("cpt", "96418")]
    assert record.name == "Each extra chemotherapy drug given at the same time by IV drip"
    assert record.sections == {
        "summary": "An add-on for a further chemotherapy drug that runs alongside the first.",
        "risks": ("An allergic or infusion reaction.",),
    }
    assert (record.add_on, record.primary_codes, [pick.code for pick in record.similar]) == (True, ("96413",), ["96417"])


def test_filled_scaffold_still_gets_cross_record_checks(content_dir: Path) -> None:
    path = write_scaffold(content_dir, "cpt", "99213")
    edit(path, "\nname:\n", "\nname: Office visit\n")
    assert problems_of(content_dir) == ["content/cpt/99213.yaml:13: code: '99213' is in no family of content/families/cpt.yaml"]


def test_existing_record_is_never_overwritten(content_dir: Path) -> None:
    before = (content_dir / "cpt/96417.yaml").read_bytes()
    with pytest.raises(Abort) as error:
        write_scaffold(content_dir, "cpt", "96417")
    assert str(error.value) == "content/cpt/96417.yaml already exists: edit it instead (nothing was written)"
    assert (content_dir / "cpt/96417.yaml").read_bytes() == before


def test_cli_writes_the_code_in_its_normal_form(content_dir: Path, capsys) -> None:
    assert main(["--content", str(content_dir), "new", "ICD10CM", "e1165"]) == 0
    assert capsys.readouterr().out == (
        "wrote content/icd10cm/E11.65.yaml: fill in the required fields, then run `make check`\n")
    text = (content_dir / "icd10cm/E11.65.yaml").read_text(encoding="utf-8")
    assert '\ncode: "E11.65"\n' in text and "\nsystem: icd10cm\n" in text
    assert text.startswith("# ICD-10-CM E11.65: a code record of Open Medical Codes.\n"
                           "# Scaffolded by `make new SYSTEM=icd10cm CODE=E11.65` ")


@pytest.mark.parametrize(("system", "code", "message"), [
    ("icd9", "250.00", "error: unknown code system 'icd9' (choose one of: cpt, icd10cm, icd10pcs, hcpcs)"),
    ("", "96418", "error: unknown code system '' (choose one of: cpt, icd10cm, icd10pcs, hcpcs)"),
    ("cpt", "9641", "error: '9641' is not a CPT code (e.g. '96417')"),
    ("cpt", "", "error: '' is not a CPT code (e.g. '96417')"),
    ("cpt", "../96417", "error: '../96417' is not a CPT code (e.g. '96417')"),
    ("icd10pcs", "0DTJ4Z", "error: '0DTJ4Z' is not a ICD-10-PCS code (e.g. '0DTJ4ZZ')"),
    ("hcpcs", "96418", "error: '96418' is not a HCPCS Level II code (e.g. 'J9035')"),
    ("cpt", "96417", "error: content/cpt/96417.yaml already exists: edit it instead (nothing was written)"),
])
def test_cli_refuses_bad_input_and_writes_nothing(content_dir: Path, capsys, system: str, code: str, message: str) -> None:
    before = sorted(path.relative_to(content_dir) for path in content_dir.rglob("*"))
    assert main(["--content", str(content_dir), "new", system, code]) == 1
    assert capsys.readouterr().err == message + "\n"
    assert sorted(path.relative_to(content_dir) for path in content_dir.rglob("*")) == before


def test_make_new_runs_the_cli() -> None:
    dry_run = subprocess.run(["make", "--no-print-directory", "--dry-run", "--always-make", "new", "SYSTEM=cpt", "CODE=96418"],
                             capture_output=True, text=True, cwd=PROJECT, check=True)
    assert dry_run.stdout.splitlines()[-1] == '.venv/bin/python -m generator new "cpt" "96418"'


def test_writing_guide_covers_the_declared_sections() -> None:
    guide = (PROJECT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = guide[guide.index("What each section is for:"):guide.index("## Add a policy")]
    named = re.findall(r"`([a-z_]+)`", table)
    declared = {field.name for field in (*CODE_RECORD.fields, *SIMILAR_ITEM.fields)}
    assert set(named) <= declared, "the guide names a field the schema lacks"
    assert {field.name for field in CODE_RECORD.fields if field.section} <= set(named), "a page section has no guidance"


def test_make_new_warns_for_a_code_not_in_the_release(content_dir: Path, capsys) -> None:
    """Issue 13, defect 4: the warning comes before the scaffold is written."""
    from conftest import FIXTURE_ICD10CM
    from generator.cli import main

    assert main(["--content", str(content_dir), "--icd10cm-xml", str(FIXTURE_ICD10CM), "--unverified-data",
                 "new", "icd10cm", "Z99.999"]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("warning: 'Z99.999' is not in the official ICD-10-CM release")
    assert (content_dir / "icd10cm/Z99.999.yaml").exists()
    assert main(["--content", str(content_dir), "--icd10cm-xml", str(FIXTURE_ICD10CM), "--unverified-data",
                 "new", "icd10cm", "E11.9"]) == 0
    assert "warning" not in capsys.readouterr().err


def test_scaffold_from_the_search_notice_link_path(content_dir: Path) -> None:
    """Issue 8: the notice links to content/cpt/<code>.yaml with a starter; make new writes the same path."""
    from generator.pages.build import new_record_url
    from generator.settings import SiteSettings

    url = new_record_url(SiteSettings(repo_url="https://github.com/example/codes")).replace("__CODE__", "99213")
    assert url.startswith("https://github.com/example/codes/new/main/content/cpt?filename=99213.yaml")
    assert write_scaffold(content_dir, "cpt", "99213") == (content_dir / "cpt" / "99213.yaml").resolve()
