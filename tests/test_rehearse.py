"""The release rehearsal: what a tag run does, for real, on this machine.

The build job's own `run:` scripts, read from the rendered release.yml, run in order in a
runner environment (a fresh venv with build, twine and relnotes' wheel); the publish job's
action is played by twine uploading to a real pypiserver on 127.0.0.1 (ephemeral port); then
a fresh venv installs from that index and runs the command; then the release job's scripts
render the body with `relnotes notes` and call `gh` (a stand-in on PATH that records its
arguments: GitHub is not reachable here). The failure paths stop before the upload, each
with one line. `make rehearse` runs this file alone, verbosely.
"""

from __future__ import annotations

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

from relnotes.scaffold import RELNOTES, render_workflow
from tests.ghactions import StepResult, github_context, load_workflow, run_steps
from tests.helpers import GitRepo, isolate_git, sample_project

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BIN = "Scripts" if os.name == "nt" else "bin"
GH_STANDIN = '#!/bin/sh\nprintf "%s\\n" "$@" > "$GH_RECORD"\n'


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
    build: list[StepResult]
    uploaded: list[str] = field(default_factory=list)
    installed_says: str = ""
    release: list[StepResult] = field(default_factory=list)
    gh_args: list[str] = field(default_factory=list)

    @property
    def stopped(self) -> StepResult | None:
        failed = [s for s in self.build if s.code != 0]
        return failed[0] if failed else None


def relnotes_wheel(outdir: Path) -> Path:
    run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", outdir, ROOT)
    (wheel,) = outdir.glob("relnotes-*.whl")
    return wheel


@pytest.fixture(scope="module")
def stage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    base = tmp_path_factory.mktemp("rehearsal")
    with pytest.MonkeyPatch.context() as mp:
        isolate_git(mp, base)
        wheel = relnotes_wheel(base / "relnotes-dist")
        runner = make_venv(base / "runner", "build", "twine", wheel)
        (runner / "gh").write_text(GH_STANDIN, encoding="utf-8")
        (runner / "gh").chmod(0o755)
        origin = sample_project(GitRepo(base / "origin"))
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


def tag_run(
    stage: Stage,
    name: str,
    tag: str,
    *,
    shallow: bool = False,
    env: dict[str, str] | None = None,
    prepare: Callable[[Path], object] | None = None,
) -> TagRun:
    """What a push of ``tag`` does: checkout, build job, publish, install, release job."""
    checkout = stage.base / name
    depth = ["--depth", "1", "--branch", tag] if shallow else []
    run("git", "clone", "-q", *depth, f"file://{stage.origin.path}", checkout)
    run("git", "-C", checkout, "checkout", "-q", f"refs/tags/{tag}")
    # as actions/checkout does on a tag push (actions/checkout#882): the tag turns lightweight
    run("git", "-C", checkout, "tag", "--no-sign", "-f", tag, f"{tag}^{{commit}}")
    if prepare is not None:
        prepare(checkout)
    sha = run("git", "-C", checkout, "rev-parse", "HEAD").strip()
    github = github_context("push", f"refs/tags/{tag}", "example/sampleproj", sha)
    jobs = stage.workflow["jobs"]
    saved = {k: os.environ.get(k) for k in env or {}}
    os.environ.update(env or {})
    try:
        result = TagRun(checkout, run_steps(jobs["build"], github, checkout, [str(stage.runner)]))
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    if result.stopped:
        return result
    # publish-pypi: its action uploads dist/ (Trusted Publishing); here, twine to the index
    dists = sorted(str(p) for p in (checkout / "dist").iterdir())
    upload = os.environ | {"TWINE_USERNAME": "rehearsal", "TWINE_PASSWORD": "rehearsal"}
    run(stage.runner / "twine", "upload", "--non-interactive", "--repository-url",
        stage.index.url + "/", *dists, env=upload)  # fmt: skip
    result.uploaded = [Path(d).name for d in dists]
    # a user: pip install from the index (nothing else) into a fresh venv, run the command
    user = make_venv(stage.base / f"{name}-user")
    alone = os.environ | {"PIP_CONFIG_FILE": os.devnull}
    run(user / "python", "-m", "pip", "install", "--quiet", "--index-url",
        stage.index.url + "/simple/", f"sampleproj=={tag[1:]}", env=alone)  # fmt: skip
    result.installed_says = run(user / "sampleproj", "--version").strip()
    # github-release: the body from relnotes notes, then gh (the stand-in records its call)
    record = stage.base / f"{name}-gh.txt"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GH_RECORD", str(record))
        result.release = run_steps(jobs["github-release"], github, checkout, [str(stage.runner)])
    result.gh_args = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
    return result


def test_tag_run_publishes_installs_and_releases(stage: Stage) -> None:
    result = tag_run(stage, "ok", "v1.2.0")
    assert [s.code for s in result.build] == [0] * len(result.build), result.build
    assert [s.name for s in result.build] == [
        "The whole history is here",
        "The tag's commit is on main",
        "Build the wheel and the sdist",
        "relnotes verify",
    ]
    assert "verified: sampleproj 1.2.0, matching tag v1.2.0" in result.build[-1].output
    assert result.uploaded == ["sampleproj-1.2.0-py3-none-any.whl", "sampleproj-1.2.0.tar.gz"]
    assert stage.index.files() == result.uploaded
    assert result.installed_says == "sampleproj 1.2.0"
    assert [s.code for s in result.release] == [0, 0, 0], result.release
    body = (result.checkout / "notes.md").read_text(encoding="utf-8")
    assert body.startswith("## 1.2.0 (2026-01-04)\n")  # the tag's date, not its commit's
    assert "- **cli:** greet the user" in body
    assert "[PyPI](https://pypi.org/project/sampleproj/1.2.0/)" in body
    assert "[Milestones](https://github.com/example/sampleproj/blob/v1.2.0/MILESTONES.md)" in body
    assert result.gh_args == [
        "release",
        "create",
        "v1.2.0",
        "--verify-tag",
        "--title",
        "v1.2.0",
        "--notes-file",
        "notes.md",
        "dist/sampleproj-1.2.0-py3-none-any.whl",
        "dist/sampleproj-1.2.0.tar.gz",
    ]


def test_release_candidate_is_a_prerelease_on_github(stage: Stage) -> None:
    stage.origin.commit("feat: wave goodbye", file="src/sampleproj/goodbye.txt")
    stage.origin.tag("v1.3.0rc1", annotated=True)
    result = tag_run(stage, "rc", "v1.3.0rc1")
    assert result.uploaded == ["sampleproj-1.3.0rc1-py3-none-any.whl", "sampleproj-1.3.0rc1.tar.gz"]
    assert result.installed_says == "sampleproj 1.3.0rc1"
    assert result.gh_args[:5] == ["release", "create", "v1.3.0rc1", "--verify-tag", "--prerelease"]
    body = (result.checkout / "notes.md").read_text(encoding="utf-8")
    assert "[PyPI](https://pypi.org/project/sampleproj/1.3.0rc1/)" in body


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


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="relnotes' own history is needed")
def test_relnotes_own_tag_run(tmp_path: Path) -> None:
    """relnotes' own release.yml on a copy of relnotes tagged v0.9.0: build, verify, notes."""
    checkout = tmp_path / "relnotes"
    run("git", "clone", "-q", "--no-local", ROOT, checkout)
    run("git", "-C", checkout, "tag", "-a", "v0.9.0", "-m", "Release v0.9.0")
    run("git", "-C", checkout, "checkout", "-q", "refs/tags/v0.9.0")
    run("git", "-C", checkout, "update-ref", "refs/remotes/origin/main", "HEAD")
    runner = make_venv(tmp_path / "runner")
    (runner / "gh").write_text(GH_STANDIN, encoding="utf-8")
    (runner / "gh").chmod(0o755)
    workflow = load_workflow(render_workflow("release.yml", **RELNOTES))
    sha = run("git", "-C", checkout, "rev-parse", "HEAD").strip()
    github = github_context("push", "refs/tags/v0.9.0", "relnotes/relnotes", sha)
    build = run_steps(workflow["jobs"]["build"], github, checkout, [str(runner)])
    assert [s.code for s in build] == [0, 0, 0, 0], build[-1].output
    assert "verified: relnotes 0.9.0, matching tag v0.9.0" in build[-1].output
    assert "`relnotes --version`: relnotes 0.9.0" in build[-1].output
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GH_RECORD", str(tmp_path / "gh.txt"))
        release = run_steps(workflow["jobs"]["github-release"], github, checkout, [str(runner)])
    assert [s.code for s in release] == [0, 0, 0], release[-1].output
    # the tag exists only in this copy: fetching it again warns, and the release goes on
    assert "::warning::could not fetch tag v0.9.0" in release[0].output
    body = (checkout / "notes.md").read_text(encoding="utf-8")
    assert body.startswith("## 0.9.0 (")
    assert "[PyPI](https://pypi.org/project/relnotes/0.9.0/)" in body
    assert "[Milestones](https://github.com/relnotes/relnotes/blob/v0.9.0/MILESTONES.md)" in body
    assert (tmp_path / "gh.txt").read_text(encoding="utf-8").splitlines()[:4] == [
        "release",
        "create",
        "v0.9.0",
        "--verify-tag",
    ]
