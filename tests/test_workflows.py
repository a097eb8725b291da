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
import yaml

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
        (PUSH_TAG, {"check", "build", "release-notes", "publish-pypi", "github-release"}),
        (PUSH_RC, {"check", "build", "release-notes", "publish-pypi", "github-release"}),
        (FORK_TAG, {"check", "build", "release-notes"}),
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
    # W13, and the approver sees the notes (the job summary) before the gate
    assert ancestors(JOBS, "publish-pypi") == every_check == {"check", "build", "release-notes"}
    assert publish_step("publish-pypi")["with"] == {
        "attestations": True,
        "print-hash": True,
        # W11: never on a first attempt; a re-run uploads only what PyPI does not have yet
        "skip-existing": "${{ github.run_attempt != '1' }}",
    }


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


def test_the_notes_are_rendered_read_only_and_shown_before_the_gate() -> None:
    job = JOBS["release-notes"]
    assert job["permissions"] == {"contents": "read"}
    assert job["needs"] == ["build"]
    script = runs(job)
    assert "python -m pip install dist/*.whl" in script  # the built wheel, not a source tree
    assert 'relnotes notes "$GITHUB_REF_NAME" --output notes.md' in script
    assert '  cat notes.md\n} >> "$GITHUB_STEP_SUMMARY"' in job["steps"][-2]["run"]
    assert job["steps"][-1]["with"] == {
        "name": "notes",
        "path": "notes.md",
        "if-no-files-found": "error",
    }
    assert job["outputs"] == {"prerelease": "${{ steps.notes.outputs.prerelease }}"}


def test_github_release_comes_after_pypi_and_runs_nothing_but_gh() -> None:
    job = JOBS["github-release"]
    assert job["needs"] == ["publish-pypi", "release-notes"]  # W21
    # W31: nothing installed, no checkout, no setup: the artifacts and the runner's own gh
    assert [u.split("@")[0] for u in uses(job)] == ["actions/download-artifact"] * 2
    (step,) = [s for s in steps(job) if "run" in s]
    script = step["run"]
    assert not re.search(r"\b(pip|python|make|relnotes|curl)\b", script)
    assert re.findall(r"(\S*gh) release (\w+)", script) == [
        ("/usr/bin/gh", "view"),
        ("/usr/bin/gh", "edit"),
        ("/usr/bin/gh", "upload"),
        ("/usr/bin/gh", "create"),
    ]
    assert '/usr/bin/gh release create "$GITHUB_REF_NAME" --verify-tag' in script
    assert "--notes-file notes/notes.md dist/*" in script
    assert step["env"]["PRERELEASE"] == "${{ needs.release-notes.outputs.prerelease }}"


# -- build -----------------------------------------------------------------------------------


def test_build_job_builds_checks_and_verifies_once() -> None:
    job = JOBS["build"]
    assert "strategy" not in job  # one build, one artifact name (W19)
    script = runs(job)
    for line in (
        'SOURCE_DATE_EPOCH="$(git log -1 --pretty=%ct)"',
        "python -m pip install --require-hashes --no-deps -r "
        "templates/scaffold/build-requirements.txt",
        "python -m build --no-isolation",
        "python -m pip install --require-hashes --no-deps -r "
        "templates/scaffold/check-requirements.txt",  # W33: after the upload, by hash
        "python -m twine check --strict dist/*",
        "check-wheel-contents dist/*.whl",  # W27
        'relnotes verify dist --tag "$GITHUB_REF_NAME"',
    ):
        assert line in script
    # W32: dist/ is uploaded right after the build, before any unpinned tool runs
    names = [str(s.get("name") or s.get("uses", "")).split("@")[0] for s in steps(job)]
    build = names.index("Build the wheel and the sdist")
    assert names[build + 1] == "actions/upload-artifact"
    before = "\n".join(str(s.get("run", "")) for s in steps(job)[: build + 1])
    installs = [line for line in before.splitlines() if "pip install" in line]
    assert installs == [
        "python -m pip install --require-hashes --no-deps -r "
        "templates/scaffold/build-requirements.txt"
    ]
    (on_main,) = [s for s in steps(job) if "merge-base" in str(s.get("run", ""))]
    assert on_main["if"] == "github.ref_type == 'tag'"  # W25
    assert 'git merge-base --is-ancestor "$GITHUB_SHA" origin/main' in on_main["run"]


def test_artifact_contract() -> None:
    (upload,) = [s for s in steps(JOBS["build"]) if "upload-artifact" in str(s.get("uses"))]
    assert upload["with"] == {"name": "dist", "path": "dist/", "if-no-files-found": "error"}
    for name, job in JOBS.items():
        for step in steps(job):
            if str(step.get("uses", "")).startswith(DOWNLOAD):
                assert step["with"] in (
                    {"name": "dist", "path": "dist/"},
                    {"name": "notes", "path": "notes/"},  # kept apart from dist/ (W20)
                ), name


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


# -- the pins stay current -------------------------------------------------------------------


def test_dependabot_keeps_the_actions_and_the_build_tools_current() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(updates) == {"github-actions", "pip"}
    actions, pip = updates["github-actions"], updates["pip"]
    # the workflows, and the pins file `relnotes init` reads its pins from
    assert actions["directories"] == ["/", "/templates/scaffold/pins"]
    assert pip["directory"] == "/templates/scaffold"  # build- and check-requirements.txt
    for update in (actions, pip):
        assert update["schedule"] == {"interval": "weekly"}
        assert [g["patterns"] for g in update["groups"].values()] == [["*"]]  # one PR each
        assert update["cooldown"] == {"default-days": 7}


def test_the_workflows_use_exactly_the_pins_of_the_pins_file() -> None:
    pins = (ROOT / "templates/scaffold/pins/action.yml").read_text(encoding="utf-8")
    pinned = set(re.findall(r"uses: (\S+@[0-9a-f]{40} # \S+)", pins))
    used = {
        line.split("uses:", 1)[1].strip()
        for path in WORKFLOWS.glob("*.yml")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "uses:" in line
    }
    assert used == pinned


@pytest.mark.parametrize(
    ("kind", "tools"),
    [("build", ["build", "hatchling", "hatch-vcs"]), ("check", ["twine", "check-wheel-contents"])],
)
def test_the_build_and_check_tools_are_pinned_by_hash(kind: str, tools: list[str]) -> None:
    folder = ROOT / "templates" / "scaffold"
    wanted = [
        line
        for line in (folder / f"{kind}-requirements.in").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert wanted == tools
    text = (folder / f"{kind}-requirements.txt").read_text(encoding="utf-8")
    pins = re.findall(r"^([a-z0-9-]+)==(\S+) \\$", text, re.MULTILINE)
    assert {name for name, _ in pins} >= set(wanted)
    for name, _ in pins:  # every requirement, dependencies included, carries its hashes
        block = text.split(f"\n{name}==", 1)[1].split("\n    # via", 1)[0]
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", block), name
