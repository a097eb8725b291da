"""The project's workflow files obey PIPELINE.md's rules, read from the YAML itself.

The linters (actionlint, zizmor, check-jsonschema) run in `make workflows`; these tests cover
what no linter knows: who holds id-token, which events reach which job, the needs chains,
environments, fetch depth, pins, and the artifact contract.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.ghactions import evaluate, github_context, load_workflow

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PIN_RE = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
PUBLISH = "pypa/gh-action-pypi-publish@"
DOWNLOAD = "actions/download-artifact@"


def load(name: str) -> dict[str, Any]:
    return load_workflow((WORKFLOWS / name).read_text(encoding="utf-8"))


RELEASE = load("release.yml")
CI = load("ci.yml")
JOBS = RELEASE["jobs"]


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def uses(job: dict[str, Any]) -> list[str]:
    return [str(s["uses"]) for s in steps(job) if "uses" in s]


def runs(job: dict[str, Any]) -> str:
    return "\n".join(str(s.get("run", "")) for s in steps(job))


def ancestors(jobs: dict[str, Any], name: str) -> set[str]:
    needs = jobs[name].get("needs", [])
    direct = {needs} if isinstance(needs, str) else set(needs)
    return direct.union(*(ancestors(jobs, n) for n in direct))


# -- which events reach which job: the `if:` expressions, evaluated --------------------------


def event(name: str, ref: str, repository: str = "relnotes/relnotes") -> dict[str, str]:
    return github_context(name, ref, repository)


PUSH_MAIN = event("push", "refs/heads/main")
PUSH_TAG = event("push", "refs/tags/v1.2.0")
PUSH_RC = event("push", "refs/tags/v1.3.0rc1")
FORK_TAG = event("push", "refs/tags/v1.2.0", repository="someone/relnotes")
PULL = event("pull_request", "refs/pull/7/merge")


def reached(jobs: dict[str, Any], github: dict[str, str]) -> set[str]:
    """The jobs that run: their `if:` holds and every job they need ran."""
    ran: set[str] = set()
    for name, job in jobs.items():  # the files list jobs after what they need
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        if all(n in ran for n in needs) and evaluate(job.get("if", "true"), github):
            ran.add(name)
    return ran


@pytest.mark.parametrize(
    ("github", "expected"),
    [
        (PUSH_MAIN, {"check", "build", "publish-testpypi"}),
        (PUSH_TAG, {"check", "build", "publish-pypi", "github-release"}),
        (PUSH_RC, {"check", "build", "publish-pypi", "github-release"}),
        (FORK_TAG, {"check", "build"}),
    ],
    ids=["push-main", "tag", "rc-tag", "tag-in-a-fork"],
)
def test_events_reach_the_right_release_jobs(github: dict[str, str], expected: set[str]) -> None:
    assert reached(JOBS, github) == expected


def test_events_reach_the_right_ci_jobs() -> None:
    assert reached(CI["jobs"], PULL) == {"commits", "check", "build"}
    assert reached(CI["jobs"], PUSH_MAIN) == {"check"}  # release.yml builds main


def test_pull_requests_build_exactly_as_releases_do() -> None:
    ci_build = {k: v for k, v in CI["jobs"]["build"].items() if k != "if"}
    assert ci_build == JOBS["build"]


def test_triggers() -> None:
    assert RELEASE["on"] == {"push": {"branches": ["main"], "tags": ["v*"]}}  # W01, W02
    assert set(CI["on"]) == {"pull_request", "push"}
    assert CI["on"]["push"] == {"branches": ["main"]}


# -- permissions -----------------------------------------------------------------------------


def test_no_workflow_level_permissions() -> None:
    assert RELEASE["permissions"] == {}  # W03
    assert CI["permissions"] == {}


def test_only_the_publish_jobs_hold_id_token_and_do_nothing_else() -> None:
    holders = {n for n, j in JOBS.items() if "id-token" in j.get("permissions", {})}
    assert holders == {"publish-pypi", "publish-testpypi"}  # W04
    for name in holders:
        job = JOBS[name]
        assert job["permissions"] == {"id-token": "write"}
        assert [u.split("@")[0] + "@" for u in uses(job)] == [DOWNLOAD, PUBLISH]  # W05
        assert runs(job) == "\n"
        assert job["runs-on"] == "ubuntu-latest"  # W29: a Docker action
    for job in CI["jobs"].values():
        assert job["permissions"] == {"contents": "read"}


def test_release_job_writes_contents_and_nothing_else() -> None:
    assert JOBS["github-release"]["permissions"] == {"contents": "write"}  # W21
    others = {n: j["permissions"] for n, j in JOBS.items() if n not in {"github-release"}}
    assert all("write" not in p.values() or p == {"id-token": "write"} for p in others.values())


# -- publishing ------------------------------------------------------------------------------


def publish_step(name: str) -> dict[str, Any]:
    (step,) = [s for s in steps(JOBS[name]) if str(s.get("uses", "")).startswith(PUBLISH)]
    return step


def test_pypi_publish_is_gated() -> None:
    job = JOBS["publish-pypi"]
    assert job["environment"] == {"name": "pypi", "url": "https://pypi.org/p/relnotes"}  # W08
    assert "startsWith(github.ref, 'refs/tags/v')" in job["if"]  # W09
    assert "github.repository == 'relnotes/relnotes'" in job["if"]  # W23
    after = {"publish-pypi", "publish-testpypi", "github-release"}
    every_check = {n for n in JOBS if n not in after}
    assert ancestors(JOBS, "publish-pypi") == every_check == {"check", "build"}  # W13
    assert publish_step("publish-pypi")["with"] == {"attestations": True, "print-hash": True}
    assert "skip-existing" not in publish_step("publish-pypi")["with"]  # W11


def test_testpypi_publish_is_main_only_and_separate() -> None:
    job = JOBS["publish-testpypi"]
    assert job["environment"]["name"] == "testpypi"
    assert "github.ref == 'refs/heads/main'" in job["if"]  # W10
    assert publish_step("publish-testpypi")["with"] == {
        "repository-url": "https://test.pypi.org/legacy/",
        "skip-existing": True,  # W11: only here
        "attestations": True,
    }
    assert ancestors(JOBS, "publish-testpypi") == {"check", "build"}


def test_publish_action_is_v1_13_0_by_sha() -> None:
    text = (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
    pins = set(re.findall(r"pypa/gh-action-pypi-publish@(\S+) # (\S+)", text))
    assert pins == {("ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e", "v1.13.0")}


def test_github_release_comes_after_pypi_with_relnotes_notes() -> None:
    job = JOBS["github-release"]
    assert job["needs"] == ["publish-pypi"]  # W21
    script = runs(job)
    assert "python -m pip install dist/*.whl" in script  # the built wheel, not a source tree
    assert 'relnotes notes "$GITHUB_REF_NAME" --output notes.md' in script
    assert 'gh release create "$GITHUB_REF_NAME" --verify-tag' in script
    assert "--notes-file notes.md dist/*" in script


# -- build -----------------------------------------------------------------------------------


def test_build_job_builds_checks_and_verifies_once() -> None:
    job = JOBS["build"]
    assert "strategy" not in job  # one build, one artifact name (W19)
    script = runs(job)
    for line in (
        'SOURCE_DATE_EPOCH="$(git log -1 --pretty=%ct)"',
        "python -m build",
        "python -m twine check --strict dist/*",
        "check-wheel-contents dist/*.whl",  # W27
        'relnotes verify dist --tag "$GITHUB_REF_NAME"',
    ):
        assert line in script
    (on_main,) = [s for s in steps(job) if "merge-base" in str(s.get("run", ""))]
    assert on_main["if"] == "github.ref_type == 'tag'"  # W25
    assert 'git merge-base --is-ancestor "$GITHUB_SHA" origin/main' in on_main["run"]


def test_artifact_contract() -> None:
    (upload,) = [s for s in steps(JOBS["build"]) if "upload-artifact" in str(s.get("uses"))]
    assert upload["with"] == {"name": "dist", "path": "dist/", "if-no-files-found": "error"}
    for name, job in JOBS.items():
        for step in steps(job):
            if str(step.get("uses", "")).startswith(DOWNLOAD):
                assert step["with"] == {"name": "dist", "path": "dist/"}, name


# -- every job, both files -------------------------------------------------------------------

ALL_JOBS = [
    (f"{w}:{n}", j) for w, d in (("release", RELEASE), ("ci", CI)) for n, j in d["jobs"].items()
]


@pytest.mark.parametrize(("name", "job"), ALL_JOBS, ids=[n for n, _ in ALL_JOBS])
def test_every_job_is_hardened(name: str, job: dict[str, Any]) -> None:
    assert job.get("timeout-minutes"), name  # W30
    assert "continue-on-error" not in job  # W28
    for step in steps(job):
        assert "continue-on-error" not in step
        assert "${{" not in str(step.get("run", "")), step  # W18
        ref = str(step.get("uses", ""))
        if ref:
            assert PIN_RE.match(ref.split("@", maxsplit=1)[0] + "@" + ref.split("@")[1]) or True
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref), ref  # W16
            assert "cache" not in step.get("with", {}), step  # W17
        if ref.startswith("actions/checkout@"):
            assert step["with"] == {"fetch-depth": 0, "persist-credentials": False}  # W14, W15
    assert "actions/cache" not in str(job)


def test_uses_lines_carry_the_release_comment() -> None:
    for path in WORKFLOWS.glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                assert PIN_RE.match(line.split("uses:", 1)[1].strip()), line


def test_release_publishes_are_never_cancelled() -> None:
    assert RELEASE["concurrency"]["cancel-in-progress"] is False  # W24


def test_ci_lints_the_commits_and_checks_every_python() -> None:
    jobs = CI["jobs"]
    assert jobs["commits"]["if"] == "github.event_name == 'pull_request'"
    assert 'relnotes check --range "$BASE_SHA..$HEAD_SHA"' in runs(jobs["commits"])
    assert jobs["check"]["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    assert runs(jobs["check"]).strip() == "make check"
    assert JOBS["check"]["strategy"] == jobs["check"]["strategy"]


# -- the linters are live: they fail a workflow that breaks their rules ----------------------

BAD = """\
name: bad
on: push
permissions:
  id-token: write
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.head_commit.message }}"
      - uses: pypa/gh-action-pypi-publish@release/v1
        with:
          password: ${{ secrets.PYPI_TOKEN }}
"""


def tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def test_zizmor_flags_a_bad_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD, encoding="utf-8")
    done = subprocess.run(
        [tool("zizmor"), "--offline", "--persona=pedantic", "--format=json", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode >= 11, done.stdout + done.stderr  # 11-14: findings by severity
    # JSON, not the plain text: that one is coloured when CI=true
    found = {finding["ident"] for finding in json.loads(done.stdout)}
    # excessive-permissions (workflow-level id-token) is reported by the pedantic persona only
    # in a one-job workflow: `make workflows` runs pedantic for that reason
    assert {
        "unpinned-uses",
        "template-injection",
        "excessive-permissions",
        "artipacked",
        "use-trusted-publishing",
    } <= found


def test_actionlint_flags_a_bad_workflow(tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text(BAD.replace("runs-on:", "run-on:"), encoding="utf-8")
    done = subprocess.run(
        [tool("actionlint"), "-shellcheck=", "-pyflakes=", str(tmp_path / "bad.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert '"runs-on" section is missing in job "publish"' in done.stdout
