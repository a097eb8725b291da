"""The release rehearsal: what a tag run does, for real, on this machine.

The build job's own `run:` scripts, read from the rendered release.yml, run in order in a
runner environment (a fresh venv with build, twine and relnotes' wheel); the publish job's
action is played by twine uploading to a real pypiserver on 127.0.0.1 (ephemeral port); then
a fresh venv installs from that index and runs the command; then the release-notes job's
scripts render the body with `relnotes notes`, and the release job's script, in a workspace
holding only the two artifacts, calls `gh` (a stand-in put where the script's /usr/bin/gh is,
that records its arguments: GitHub is not reachable here). The failure paths stop before the
upload, each with one line; the recoveries of RELEASING.md (a PyPI re-run that skips what is
there, a release job re-run after a partial release) run too. `make rehearse` runs this file
alone, verbosely.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import venv
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from relnotes.scaffold import RELNOTES, render_workflow, requirement_files
from tests.ghactions import (
    StepResult,
    evaluate,
    github_context,
    job_outputs,
    load_workflow,
    run_steps,
)
from tests.helpers import GitRepo, isolate_git, sample_project

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BIN = "Scripts" if os.name == "nt" else "bin"
#: GitHub's CLI, played: one line per call (GH_REPO, then the arguments, \x1f between them);
#: `gh release view` answers as GH_RELEASE_EXISTS says (a release left by an earlier run).
GH_STANDIN = """#!/bin/sh
{ printf '%s' "$GH_REPO"; printf '\\037%s' "$@"; printf '\\n'; } >> "$GH_RECORD"
if [ "$1 $2" = "release view" ]; then
  [ "${GH_RELEASE_EXISTS:-}" = 1 ] || { echo "release not found" >&2; exit 1; }
fi
"""


def run(*argv: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout}{done.stderr}"
    return done.stdout


def make_venv(path: Path, *packages: str | Path) -> Path:
    venv.create(path, with_pip=True)
    if packages:
        run(path / BIN / "python", "-m", "pip", "install", "--quiet", *packages)
    return path / BIN


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Index:
    """A real pypiserver on 127.0.0.1, no authentication, started and always stopped."""

    def __init__(self, packages: Path) -> None:
        self.packages = packages
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        server = Path(sys.executable).parent / "pypi-server"
        argv = [server, "run", "-i", "127.0.0.1", "-p", str(self.port), "-a", ".", "-P", "."]
        self.log = (packages.parent / "pypiserver.log").open("wb")
        self.process = subprocess.Popen(
            [*map(str, argv), str(packages)], stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 30
        while not self.answers("/health"):
            assert self.process.poll() is None, "pypiserver exited"
            assert time.monotonic() < deadline, "pypiserver did not start"
            time.sleep(0.1)

    def answers(self, path: str) -> bool:
        try:
            with urllib.request.urlopen(self.url + path, timeout=2) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def files(self) -> list[str]:
        return sorted(p.name for p in self.packages.iterdir())

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@dataclass
class Stage:
    base: Path
    runner: Path  # the runner's bin folder: python, relnotes, twine
    index: Index
    origin: GitRepo
    workflow: dict[str, Any]


@dataclass
class TagRun:
    checkout: Path
    github: dict[str, Any]
    build: list[StepResult]
    uploaded: list[str] = field(default_factory=list)
    installed_says: str = ""
    notes: list[StepResult] = field(default_factory=list)
    release: list[StepResult] = field(default_factory=list)
    gh_calls: list[list[str]] = field(default_factory=list)  # [GH_REPO, *arguments] per call

    @property
    def stopped(self) -> StepResult | None:
        failed = [s for s in self.build if s.code != 0]
        return failed[0] if failed else None

    @property
    def dists(self) -> list[Path]:
        return sorted((self.checkout / "dist").iterdir())


def relnotes_wheel(outdir: Path) -> Path:
    run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", outdir, ROOT)
    (wheel,) = outdir.glob("relnotes-*.whl")
    return wheel


def install_gh_standin(runner: Path) -> Path:
    (runner / "gh").write_text(GH_STANDIN, encoding="utf-8")
    (runner / "gh").chmod(0o755)
    return runner / "gh"


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    base = tmp_path_factory.mktemp("rehearsal")
    with pytest.MonkeyPatch.context() as mp:
        isolate_git(mp, base)
        wheel = relnotes_wheel(base / "relnotes-dist")
        runner = make_venv(base / "runner", "build", "twine", wheel)
        install_gh_standin(runner)
        # what `relnotes init` writes beside the workflows: the hash-pinned build tools
        origin = sample_project(GitRepo(base / "origin"), github=requirement_files())
        text = render_workflow(
            "release.yml",
            package="sampleproj",
            repository="example/sampleproj",
            relnotes_requirement=str(wheel),
        )
        (base / "packages").mkdir()
        index = Index(base / "packages")
        try:
            yield Stage(base, runner, index, origin, load_workflow(text))
        finally:
            index.stop()


def build_run(
    stage: Stage,
    name: str,
    tag: str,
    *,
    shallow: bool = False,
    env: dict[str, str] | None = None,
    prepare: Callable[[Path], object] | None = None,
    repository: str = "example/sampleproj",
    fork: bool = False,
) -> TagRun:
    """What a push of ``tag`` does up to the artifact: checkout, then the build job."""
    checkout = stage.base / name
    depth = ["--depth", "1", "--branch", tag] if shallow else []
    run("git", "clone", "-q", *depth, f"file://{stage.origin.path}", checkout)
    run("git", "-C", checkout, "checkout", "-q", f"refs/tags/{tag}")
    # as actions/checkout does on a tag push (actions/checkout#882): the tag turns lightweight
    run("git", "-C", checkout, "tag", "--no-sign", "-f", tag, f"{tag}^{{commit}}")
    if prepare is not None:
        prepare(checkout)
    sha = run("git", "-C", checkout, "rev-parse", "HEAD").strip()
    github = github_context("push", f"refs/tags/{tag}", repository, sha)
    github["event"] = {"repository": {"fork": fork}}
    saved = {k: os.environ.get(k) for k in env or {}}
    os.environ.update(env or {})
    try:
        build = run_steps(stage.workflow["jobs"]["build"], github, checkout, [str(stage.runner)])
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    return TagRun(checkout, github, build)


def publish(
    stage: Stage, result: TagRun, files: list[Path], *, attempt: int = 1
) -> subprocess.CompletedProcess[str]:
    """publish-pypi: its action uploads dist/ (Trusted Publishing); here, twine to the index.

    ``skip-existing`` is the workflow's own expression, evaluated for this run attempt; the
    action's twine skips a file PyPI has (twine allows the flag only for PyPI's own URLs, so
    here the files the index has are left out of the upload, as twine would skip them).
    """
    steps = stage.workflow["jobs"]["publish-pypi"]["steps"]
    (step,) = [s for s in steps if str(s.get("uses", "")).startswith("pypa/gh-action-pypi-")]
    github = {**result.github, "run_attempt": str(attempt)}
    if evaluate(str(step["with"].get("skip-existing", "false")), github):
        files = [f for f in files if f.name not in stage.index.files()]
    upload = os.environ | {"TWINE_USERNAME": "rehearsal", "TWINE_PASSWORD": "rehearsal"}
    argv = [stage.runner / "twine", "upload", "--non-interactive", "--repository-url",
            stage.index.url + "/", *files]  # fmt: skip
    done = subprocess.run(
        [str(a) for a in argv], env=upload, capture_output=True, text=True, check=False
    )
    if done.returncode == 0:
        result.uploaded = sorted({*result.uploaded, *(f.name for f in files)})
    return done


def release(stage: Stage, result: TagRun, name: str, *, exists: bool = False) -> None:
    """release-notes in the checkout, then github-release in a workspace with its artifacts."""
    jobs = stage.workflow["jobs"]
    runner = [str(stage.runner)]
    result.notes = run_steps(jobs["release-notes"], result.github, result.checkout, runner)
    assert [s.code for s in result.notes] == [0] * len(result.notes), result.notes[-1].output
    outputs = job_outputs(jobs["release-notes"], result.notes)
    workspace = stage.base / f"{name}-release"  # no checkout: dist and notes, as downloaded
    (workspace / "dist").mkdir(parents=True)
    (workspace / "notes").mkdir()
    for dist in result.dists:
        (workspace / "dist" / dist.name).write_bytes(dist.read_bytes())
    (workspace / "notes" / "notes.md").write_bytes((result.checkout / "notes.md").read_bytes())
    job = json.loads(json.dumps(jobs["github-release"]))
    for step in job["steps"]:  # the stand-in where the script calls the runner's own gh
        if "run" in step:
            step["run"] = step["run"].replace("/usr/bin/gh", str(stage.runner / "gh"))
    record = stage.base / f"{name}-gh.txt"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GH_RECORD", str(record))
        mp.setenv("GH_RELEASE_EXISTS", "1" if exists else "0")
        needs = {"release-notes": {"outputs": outputs}}
        result.release = run_steps(job, result.github, workspace, [], needs=needs)
    lines = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
    result.gh_calls = [line.split("\x1f") for line in lines]


def tag_run(stage: Stage, name: str, tag: str, **options: Any) -> TagRun:
    """What a push of ``tag`` does: build, publish, a user's install, notes, GitHub release."""
    result = build_run(stage, name, tag, **options)
    if result.stopped:
        return result
    done = publish(stage, result, result.dists)
    assert done.returncode == 0, done.stdout + done.stderr
    # a user: pip install from the index (nothing else) into a fresh venv, run the command
    user = make_venv(stage.base / f"{name}-user")
    alone = os.environ | {"PIP_CONFIG_FILE": os.devnull}
    run(user / "python", "-m", "pip", "install", "--quiet", "--index-url",
        stage.index.url + "/simple/", f"sampleproj=={tag[1:]}", env=alone)  # fmt: skip
    result.installed_says = run(user / "sampleproj", "--version").strip()
    release(stage, result, name)
    return result


BUILD_STEPS = [
    "This repository publishes",
    "The whole history is here",
    "The tag's commit is on main",
    "Build the wheel and the sdist",
    "Check the build",
    "relnotes verify",
]


def test_tag_run_publishes_installs_and_releases(stage: Stage) -> None:
    result = tag_run(stage, "ok", "v1.2.0")
    assert [s.code for s in result.build] == [0] * len(result.build), result.build
    assert [s.name for s in result.build] == BUILD_STEPS
    assert "verified: sampleproj 1.2.0, matching tag v1.2.0" in result.build[-1].output
    assert result.uploaded == ["sampleproj-1.2.0-py3-none-any.whl", "sampleproj-1.2.0.tar.gz"]
    assert stage.index.files() == result.uploaded
    assert result.installed_says == "sampleproj 1.2.0"
    body = (result.checkout / "notes.md").read_text(encoding="utf-8")
    assert body.startswith("## 1.2.0 (2026-01-04)\n")  # the tag's date, not its commit's
    assert "- **cli:** greet the user" in body
    assert "[PyPI](https://pypi.org/project/sampleproj/1.2.0/)" in body
    assert "[Milestones](https://github.com/example/sampleproj/blob/v1.2.0/MILESTONES.md)" in body
    # the pypi approver reads the very body on the run's page, before the gate
    (body_step,) = [s for s in result.notes if s.name == "The release body"]
    assert body_step.summary.endswith("\n\n" + body)
    assert body_step.outputs == {"prerelease": "false"}
    assert [s.code for s in result.release] == [0], result.release
    assert result.gh_calls == [
        ["example/sampleproj", "release", "view", "v1.2.0"],
        [
            "example/sampleproj",
            "release",
            "create",
            "v1.2.0",
            "--verify-tag",
            "--title",
            "v1.2.0",
            "--notes-file",
            "notes/notes.md",
            "dist/sampleproj-1.2.0-py3-none-any.whl",
            "dist/sampleproj-1.2.0.tar.gz",
        ],
    ]


def test_release_candidate_is_a_prerelease_on_github(stage: Stage) -> None:
    stage.origin.commit("feat: wave goodbye", file="src/sampleproj/goodbye.txt")
    stage.origin.tag("v1.3.0rc1", annotated=True)
    result = tag_run(stage, "rc", "v1.3.0rc1")
    assert result.uploaded == ["sampleproj-1.3.0rc1-py3-none-any.whl", "sampleproj-1.3.0rc1.tar.gz"]
    assert result.installed_says == "sampleproj 1.3.0rc1"
    assert result.gh_calls[1][1:6] == [
        "release",
        "create",
        "v1.3.0rc1",
        "--verify-tag",
        "--prerelease",
    ]
    body = (result.checkout / "notes.md").read_text(encoding="utf-8")
    assert "[PyPI](https://pypi.org/project/sampleproj/1.3.0rc1/)" in body


def test_a_pypi_rerun_uploads_what_the_first_attempt_left_out(stage: Stage) -> None:
    """RELEASING.md: PyPI took the wheel, then the upload failed; "Re-run failed jobs"."""
    stage.origin.commit("fix: a patch to publish in two attempts", file="src/sampleproj/p.txt")
    stage.origin.tag("v1.2.1", annotated=True)
    result = build_run(stage, "rerun", "v1.2.1")
    assert result.stopped is None, result.build
    wheel, sdist = result.dists
    assert publish(stage, result, [wheel]).returncode == 0  # attempt 1 dies after the wheel
    again = publish(stage, result, [wheel, sdist])  # the same attempt never skips: it fails
    assert again.returncode != 0
    assert "sampleproj-1.2.1-py3-none-any.whl" in again.stdout + again.stderr
    assert "sampleproj-1.2.1.tar.gz" not in stage.index.files()
    rerun = publish(stage, result, [wheel, sdist], attempt=2)  # a re-run skips what is there
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert {"sampleproj-1.2.1-py3-none-any.whl", "sampleproj-1.2.1.tar.gz"} <= set(
        stage.index.files()
    )


def test_a_release_job_rerun_completes_a_partial_release(stage: Stage) -> None:
    """RELEASING.md: a partial run left the GitHub release; its body and files are renewed."""
    result = build_run(stage, "partial", "v1.2.0")
    release(stage, result, "partial", exists=True)
    assert [s.code for s in result.release] == [0], result.release
    assert [call[1:3] for call in result.gh_calls] == [
        ["release", "view"],
        ["release", "edit"],
        ["release", "upload"],
    ]
    assert result.gh_calls[1][3:] == [
        "v1.2.0", "--verify-tag", "--title", "v1.2.0", "--notes-file", "notes/notes.md"
    ]  # fmt: skip
    assert result.gh_calls[2][3:] == [
        "v1.2.0",
        "--clobber",
        "dist/sampleproj-1.2.0-py3-none-any.whl",
        "dist/sampleproj-1.2.0.tar.gz",
    ]


def test_a_renamed_repository_fails_instead_of_skipping_every_publish(stage: Stage) -> None:
    result = build_run(stage, "renamed", "v1.2.0", repository="example/sampleproj-renamed")
    assert stopped_before_upload(stage, result, "This repository publishes") == (
        "::error::this is example/sampleproj-renamed, but release.yml publishes only from "
        "example/sampleproj: update the name in the workflow's conditions and in the PyPI "
        "Trusted Publisher"
    )
    fork = build_run(stage, "fork", "v1.2.0", repository="someone/sampleproj", fork=True)
    assert fork.stopped is None, fork.build  # a fork builds, and its publish jobs skip quietly


def stopped_before_upload(stage: Stage, result: TagRun, step: str) -> str:
    before = stage.index.files()
    assert result.stopped is not None, "the run should have stopped"
    assert result.stopped.name == step
    assert result.uploaded == []
    assert stage.index.files() == before
    return result.stopped.reason


def test_dirty_tree_stops_before_upload(stage: Stage) -> None:
    def edit(checkout: Path) -> None:  # a step that rewrites a tracked file before the build
        (checkout / "README.md").write_text("# edited by a build step\n", encoding="utf-8")

    result = tag_run(stage, "dirty", "v1.2.0", prepare=edit)
    assert stopped_before_upload(stage, result, "relnotes verify") == (
        "relnotes: verify: built version 1.2.1.dev0 is not the tag v1.2.0 (1.2.0): the work "
        "tree has uncommitted changes, so the build counted as a later version"
    )


def test_tag_that_does_not_match_the_build_stops_before_upload(stage: Stage) -> None:
    result = tag_run(stage, "mismatch", "v1.2.0", env={"SETUPTOOLS_SCM_PRETEND_VERSION": "1.1.0"})
    assert stopped_before_upload(stage, result, "relnotes verify") == (
        "relnotes: verify: built version 1.1.0 is not the tag v1.2.0 (1.2.0): "
        "SETUPTOOLS_SCM_PRETEND_VERSION is set, so the build ignored the tag"
    )


def test_shallow_clone_stops_before_upload(stage: Stage) -> None:
    result = tag_run(stage, "shallow", "v1.2.0", shallow=True)
    assert stopped_before_upload(stage, result, "The whole history is here") == (
        "::error::shallow clone: the build would miss the tags (checkout fetch-depth: 0)"
    )
    assert not (result.checkout / "dist").exists()


def test_tag_off_main_stops_before_upload(stage: Stage) -> None:
    origin = stage.origin
    origin.branch("topic")
    origin.commit("feat: unreviewed work", file="src/sampleproj/topic.txt")
    origin.tag("v1.3.0", annotated=True)
    origin.checkout("main")
    result = tag_run(stage, "offmain", "v1.3.0")
    reason = stopped_before_upload(stage, result, "The tag's commit is on main")
    assert reason.startswith("::error::tag v1.3.0 (")
    assert reason.endswith(") is not on main: merge first, then tag")


#: The tests the tag run's own `make check` runs here: the project's files, not the whole
#: suite again (this test is part of it).
OWN_TESTS = "tests/test_workflows.py tests/test_scaffold.py tests/test_docs.py"


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="relnotes' own history is needed")
def test_relnotes_own_tag_run(tmp_path: Path) -> None:
    """A fresh clone of relnotes released as RELEASING.md says (`relnotes tag`), then its own
    release.yml on that tag.

    The tag run's `check` job (`make check`, the changelog check included), the build job,
    the release notes and the GitHub release, on the very commit the tag names; the body the
    release gets is the tag's own message, byte for byte.
    """
    checkout = tmp_path / "relnotes"
    run("git", "clone", "-q", "--no-local", ROOT, checkout)
    git = ("git", "-C", checkout)
    relnotes = [sys.executable, "-m", "relnotes", "-C", checkout]
    # RELEASING.md, "Making a release": the changelog entry is committed, then tagged
    done = subprocess.run(
        [*relnotes, "tag"], capture_output=True, text=True, check=False, cwd=checkout
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("CHANGELOG.md: added ")
    tag = lines[1].split()[1]  # tagged vX.Y.Z on abc1234 (annotated): …
    version = tag.removeprefix("v")
    branch = run(*git, "branch", "--show-current").strip()
    assert lines[2] == f"push it: git push --atomic origin {branch} {tag}"
    assert f"\n## [{version}](" in (checkout / "CHANGELOG.md").read_text(encoding="utf-8")
    run(*relnotes, "check", "--range", "HEAD~1..HEAD")  # the release commit passes the hook
    message = run(*git, "cat-file", "tag", tag).partition("\n\n")[2]
    run(*git, "checkout", "-q", f"refs/tags/{tag}")
    run(*git, "update-ref", "refs/remotes/origin/main", "HEAD")
    workflow = load_workflow(render_workflow("release.yml", **RELNOTES))
    sha = run(*git, "rev-parse", "HEAD").strip()
    github = github_context("push", f"refs/tags/{tag}", "relnotes/relnotes", sha)
    runner = make_venv(tmp_path / "runner")
    install_gh_standin(runner)

    # the check job: `make check` as the workflow runs it, on a clone that sets itself up
    (check,) = [s for s in workflow["jobs"]["check"]["steps"] if "run" in s]
    assert check["run"] == "make check"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PYTEST_ARGS", OWN_TESTS)
        mp.delenv("MAKEFLAGS", raising=False)
        checked = run_steps(workflow["jobs"]["check"], github, checkout, [])
    assert [s.code for s in checked] == [0], checked[-1].output[-3000:]
    assert "CHANGELOG.md is up to date" in checked[-1].output

    build = run_steps(workflow["jobs"]["build"], github, checkout, [str(runner)])
    assert [s.name for s in build] == BUILD_STEPS
    assert [s.code for s in build] == [0] * len(BUILD_STEPS), build[-1].output
    assert f"verified: relnotes {version}, matching tag {tag}" in build[-1].output
    assert f"`relnotes --version`: relnotes {version}" in build[-1].output
    notes = run_steps(workflow["jobs"]["release-notes"], github, checkout, [str(runner)])
    assert [s.code for s in notes] == [0, 0], notes[-1].output
    # the tag exists only in this copy: fetching it again warns, and the notes go on
    assert f"::warning::could not fetch tag {tag}" in notes[0].output
    body = (checkout / "notes.md").read_text(encoding="utf-8")
    assert body == message  # what the tag says is what the GitHub release gets
    assert body.startswith(f"## {version} (")
    assert f"[PyPI](https://pypi.org/project/relnotes/{version}/)" in body
    assert f"[Milestones](https://github.com/relnotes/relnotes/blob/{tag}/MILESTONES.md)" in body
    assert notes[-1].summary.endswith(body)
