"""`relnotes doctor` through the CLI: exit codes, formats, --explain, errors as one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.doctor_helpers import CHECKOUT, FILES, make_project

if TYPE_CHECKING:
    from tests.conftest import Invoke

ROOT = Path(__file__).resolve().parents[1]


def test_a_clean_project_exits_0(tmp_path: Path, invoke: Invoke) -> None:
    result = invoke("doctor", str(make_project(tmp_path)), code=0)
    assert result.stdout == ""
    assert result.stderr == "relnotes doctor: no findings in 4 files\n"


def test_warnings_alone_exit_0_and_an_error_exits_1(tmp_path: Path, invoke: Invoke) -> None:
    warned = make_project(tmp_path / "w", (("ci", "    timeout-minutes: 30\n", ""),))
    result = invoke("doctor", str(warned), code=0)
    assert "W30 warning" in result.stdout
    broken = make_project(tmp_path / "e", (("ci", CHECKOUT, "actions/checkout@main"),))
    result = invoke("doctor", str(broken), code=1)
    assert result.stdout.startswith(f"{FILES['ci']}:20: W16 error: actions/checkout is pinned")
    assert result.stderr.endswith("relnotes doctor: 1 error in 4 files\n")
    assert invoke("doctor", str(broken), "--ignore", "W16", code=0).stdout == ""


def test_the_folder_comes_from_dash_c(tmp_path: Path, invoke: Invoke) -> None:
    project = make_project(tmp_path, (("ci", CHECKOUT, "actions/checkout@main"),))
    result = invoke("-C", str(project), "doctor", code=1)
    assert "W16" in result.stdout  # the project's workflow was read, not this checkout's


def test_json_and_github_formats(tmp_path: Path, invoke: Invoke) -> None:
    project = str(make_project(tmp_path, (("ci", CHECKOUT, "actions/checkout@main"),)))
    data = json.loads(invoke("doctor", project, "--format", "json", code=1).stdout)
    assert data["findings"][0]["rule"] == "W16"
    assert data["summary"]["errors"] == 1
    github = invoke("doctor", project, "--format", "github", code=1).stdout
    assert github.startswith(f"::error file={FILES['ci']},line=20,title=relnotes W16")


def test_explain_and_list_rules(invoke: Invoke) -> None:
    text = invoke("doctor", "--explain", "w08", code=0).stdout
    assert text.startswith("W08 (error): PyPI job in environment `pypi`")
    assert "Why: " in text
    assert "Fix: Give the PyPI job `environment:" in text
    listing = invoke("doctor", "--list-rules", code=0).stdout.splitlines()
    assert len(listing) == 42
    assert listing[0].startswith("W00  error")


def test_usage_errors_exit_2_with_one_line_and_a_hint(tmp_path: Path, invoke: Invoke) -> None:
    result = invoke("doctor", "--explain", "W99", code=2)
    assert result.stderr.splitlines()[0] == "relnotes: error: unknown rule 'W99'"
    result = invoke("doctor", str(make_project(tmp_path)), "--select", "Z", code=2)
    assert result.stderr.splitlines() == [
        "relnotes: error: unknown rule 'Z'",
        "  hint: rules are W00-W34 and P00-P06 (a prefix like W1 selects W10-W19)",
    ]
    for select in ("", ","):
        result = invoke("doctor", str(make_project(tmp_path)), "--select", select, code=2)
        lines = result.stderr.splitlines()
        assert lines[0] == f"relnotes: error: --select {select!r} names no rule", lines
        assert lines[1].startswith("  hint: ")
        assert len(lines) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke("doctor", str(empty), code=2)
    assert "nothing to check" in result.stderr
    assert "hint: " in result.stderr


def test_a_file_that_is_not_yaml_is_a_finding_not_a_crash(tmp_path: Path, invoke: Invoke) -> None:
    project = make_project(tmp_path, (("release", "jobs:\n", "jobs: [\n"),))
    result = invoke("doctor", str(project), code=1)
    assert result.stdout.startswith(f"{FILES['release']}:")
    assert " W00 error: not valid YAML" in result.stdout


def test_doctor_imports_neither_jinja2_git_nor_commitizen(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    code = (
        "import sys\n"
        "from relnotes.__main__ import main\n"
        f"code = main(['doctor', {str(project)!r}])\n"
        "heavy = {'jinja2', 'git', 'commitizen'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_the_projects_own_pipeline_has_no_finding(invoke: Invoke) -> None:
    if not (ROOT / ".github" / "workflows").is_dir():
        pytest.skip("not a checkout: the sdist carries no .github")
    result = invoke("doctor", str(ROOT), code=0)
    assert result.stdout == ""
    assert result.stderr == "relnotes doctor: no findings in 3 files\n"


def test_a_workflow_that_is_not_utf8_is_w00_even_without_pyproject(
    tmp_path: Path, invoke: Invoke
) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_bytes(b"name: ci\non: push\n# caf\xe9\njobs: {}\n")
    result = invoke("doctor", str(tmp_path), code=1)
    assert result.stdout.splitlines()[0] == (
        ".github/workflows/ci.yml:3: W00 error: cannot read it: it is not UTF-8 text "
        "(byte 0xe9 on line 3)"
    )
    assert result.stderr.endswith("relnotes doctor: 1 error in 1 file\n")
