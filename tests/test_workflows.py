"""The GitHub Actions workflows: they pass actionlint, publish with the official Pages actions, and check pull requests."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURE_CONTENT, PROJECT

WORKFLOWS = PROJECT / ".github" / "workflows"
#: Installed into the virtual environment by the `test` extra (pyproject.toml).
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def actionlint(workflows: Path) -> list[str]:
    """Every problem actionlint finds in the workflow files of ``workflows``, as ``file:line: [kind] message``.

    ShellCheck and pyflakes are switched off so the result does not depend on what else is installed.
    """
    if not ACTIONLINT.exists():
        pytest.fail(f"{ACTIONLINT} is missing: install the test extra (pip install -e '.[test]')")
    files = sorted(str(path) for path in workflows.glob("*.yml"))
    assert files, f"no workflow in {workflows}"
    result = subprocess.run([str(ACTIONLINT), "-shellcheck=", "-pyflakes=", "-format", "{{json .}}", *files],
                            capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    return [f"{Path(error['filepath']).name}:{error['line']}: [{error['kind']}] {error['message']}"
            for error in json.loads(result.stdout or "[]")]


def load(name: str) -> dict[str, Any]:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True)  # YAML 1.1 reads the key `on` as true
    return workflow


def steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in job["steps"] if step.get("uses", "").split("@")[0] == action]


def run_lines(job: dict[str, Any]) -> list[str]:
    return [line.strip() for step in job["steps"] for line in step.get("run", "").splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_workflows_pass_actionlint() -> None:
    assert sorted(path.name for path in WORKFLOWS.iterdir()) == ["checks.yml", "pages.yml"]
    assert actionlint(WORKFLOWS) == []


@pytest.mark.parametrize(("name", "old", "new", "expected"), [
    ("pages.yml", "needs: build", "needs: biuld",
     "[job-needs] job \"deploy\" needs job \"biuld\" which does not exist in this workflow"),
    ("pages.yml", "          path: site", "          paths: site",
     "[action] input \"paths\" is not defined in action \"actions/upload-pages-artifact@v5\""),
    ("pages.yml", "steps.pages.outputs.base_url", "steps.pages.outputs.base_ur",
     "[expression] property \"base_ur\" is not defined in object type"),
    ("pages.yml", "id-token: write", "id-token: writ",
     "[permissions] \"writ\" is invalid as permission of scope \"id-token\""),
    ("checks.yml", "runs-on: ubuntu-latest", "runs_on: ubuntu-latest",
     "[syntax-check] \"runs-on\" section is missing in job \"checks\""),
])
def test_actionlint_catches_a_broken_workflow(tmp_path: Path, name: str, old: str, new: str, expected: str) -> None:
    shutil.copytree(WORKFLOWS, tmp_path / ".github" / "workflows")
    path = tmp_path / ".github" / "workflows" / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {name} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")
    problems = actionlint(path.parent)
    assert len(problems) >= 1 and all(problem.startswith(f"{name}:") for problem in problems), problems
    assert any(expected in problem for problem in problems), problems


def test_pages_workflow_builds_on_main_and_deploys_with_the_official_actions() -> None:
    workflow = load("pages.yml")
    assert workflow["on"] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert workflow["permissions"] == {}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["runs-on"] == deploy["runs-on"] == "ubuntu-latest"
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["steps"][0]["id"] == "deployment"
    (configure,) = steps_using(build, "actions/configure-pages")
    (upload,) = steps_using(build, "actions/upload-pages-artifact")
    assert upload["with"] == {"path": "site"}
    build_step = next(step for step in build["steps"] if step.get("run") == "make site")
    assert build_step["env"] == {"SITE_URL": f"${{{{ steps.{configure['id']}.outputs.base_url }}}}",
                                 "REPO_URL": "${{ github.server_url }}/${{ github.repository }}"}
    order = [step.get("uses", step.get("run", "")).split("@")[0] for step in build["steps"]]
    assert order.index("actions/configure-pages") < order.index("make site") < order.index("actions/upload-pages-artifact")


def test_pages_workflow_reports_size_and_file_count(tmp_path: Path) -> None:
    build = load("pages.yml")["jobs"]["build"]
    report = next(step["run"] for step in build["steps"] if "GITHUB_STEP_SUMMARY" in step.get("run", ""))
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "site")
    files = sum(1 for path in (tmp_path / "site").rglob("*") if path.is_file())
    summary = tmp_path / "summary.md"
    result = subprocess.run(["bash", "-e", "-c", report], capture_output=True, text=True, cwd=tmp_path,
                            env={"GITHUB_STEP_SUMMARY": str(summary), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert summary.read_text(encoding="utf-8").splitlines()[0] == "### Site"
    assert re.search(rf"^\| {files} \| \d+ MB \(\d+ bytes\) \| 1 GB \|$", summary.read_text(encoding="utf-8"), re.M)
    # A site over GitHub Pages' limit stops the workflow before it uploads anything.
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "du").write_text("#!/bin/sh\nprintf '1000000001\\tsite\\n'\n", encoding="utf-8")
    (fake / "du").chmod(0o755)
    result = subprocess.run(["bash", "-e", "-c", report], capture_output=True, text=True, cwd=tmp_path,
                            env={"GITHUB_STEP_SUMMARY": str(summary), "PATH": f"{fake}:/usr/bin:/bin"})
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == (
        "::error::site/ is 1000000001 bytes, over GitHub Pages' 1 GB limit for a published site")


def test_pages_workflow_reports_the_uploaded_tar(tmp_path: Path) -> None:
    build = load("pages.yml")["jobs"]["build"]
    order = [step.get("uses", step.get("run", "")).split("@")[0] for step in build["steps"]]
    report = next(step["run"] for step in build["steps"] if "artifact.tar" in step.get("run", ""))
    assert order.index("actions/upload-pages-artifact") < order.index(report)
    (tmp_path / "artifact.tar").write_bytes(b"x" * 2_500_000)
    summary = tmp_path / "summary.md"
    result = subprocess.run(["bash", "-e", "-c", report], capture_output=True, text=True,
                            env={"GITHUB_STEP_SUMMARY": str(summary), "RUNNER_TEMP": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert summary.read_text(encoding="utf-8") == "The uploaded artifact.tar is 2 MB (2500000 bytes).\n"


@pytest.mark.parametrize("name", ["pages.yml", "checks.yml"])
def test_cms_data_is_downloaded_into_the_cached_folder(name: str) -> None:
    job = next(iter(load(name)["jobs"].values()))
    (setup_python,) = steps_using(job, "actions/setup-python")
    assert setup_python["with"]["cache"] == "pip"
    assert (PROJECT / setup_python["with"]["cache-dependency-path"]).name == "pyproject.toml"
    cache, reference = steps_using(job, "actions/cache")
    assert cache["with"]["key"] == "cms-data-${{ hashFiles('generator/sources/cms_files.py') }}"
    assert (PROJECT / "generator/sources/cms_files.py").is_file()
    assert job["env"]["OMC_CMS_DATA"] == "${{ github.workspace }}/" + cache["with"]["path"]
    # The reference data is cached where `make data` extracts it (generator/sources/reference_files.py).
    assert reference["with"] == {"path": "build/data/reference",
                                 "key": "reference-data-${{ hashFiles('generator/sources/reference_files.py') }}"}
    lines = run_lines(job)
    assert lines.index("make data") < lines.index("make site")


def test_checks_workflow_validates_with_annotations_then_tests_then_builds() -> None:
    workflow = load("checks.yml")
    assert workflow["on"] == {"pull_request": None}
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    lines = run_lines(job)
    check = next(line for line in lines if "--github-annotations" in line)
    assert lines.index("make data") < lines.index(check) < lines.index("bash .ci/run") < lines.index("make site")
    assert shlex.split(check)[-3:] == ["generator", "--github-annotations", "check"]


def test_checks_workflow_command_prints_annotations(tmp_path: Path) -> None:
    """Run the workflow's own validation command on broken content: the step fails and GitHub gets an annotation."""
    (job,) = load("checks.yml")["jobs"].values()
    command = shlex.split(next(line for line in run_lines(job) if "--github-annotations" in line))
    assert command[:3] == [".venv/bin/python", "-m", "generator"]
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    record = content / "cpt/96417.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace('code: "96367"', 'code: "96499"'), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "--content", str(content), "--systems", "cpt", *command[3:]],
                            capture_output=True, text=True, cwd=PROJECT)
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["::error file=content/cpt/96417.yaml,line=47::similar[1]: unknown code '96499'"]


def test_every_make_target_the_workflows_run_exists() -> None:
    targets = sorted({word for name in ("pages.yml", "checks.yml") for job in load(name)["jobs"].values()
                      for line in run_lines(job) if line.startswith("make ")
                      for word in shlex.split(line)[1:] if "=" not in word and not word.startswith("-")})
    assert "site" in targets and "data" in targets
    for target in targets:
        result = subprocess.run(["make", "--no-print-directory", "--dry-run", target], capture_output=True, text=True, cwd=PROJECT)
        assert result.returncode == 0, f"the workflows run `make {target}`, which the Makefile lacks: {result.stderr}"


def checklist(markdown: str) -> list[str]:
    """The items of the first task list in ``markdown``, each joined onto one line."""
    return [" ".join(item.split()) for item in re.findall(r"^- \[ \] (.*?)(?=^- \[ \] |^\s*$|\Z)", markdown, re.S | re.M)]


def test_pull_request_template_repeats_the_review_checklist() -> None:
    guide = (PROJECT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    expected = checklist(guide[guide.index("## Review checklist"):])
    assert len(expected) >= 5 and any("own words" in item for item in expected)
    assert checklist((PROJECT / ".github/pull_request_template.md").read_text(encoding="utf-8")) == expected
