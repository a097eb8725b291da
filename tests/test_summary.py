"""`relnotes preview --format github`: the release a pull request would make, in the job summary.

The checkout is what actions/checkout makes on a pull request: HEAD is the merge ref (the
pull request merged into its base), detached, with the whole history.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from freezegun import freeze_time

from relnotes.scaffold import render_workflow
from tests.ghactions import github_context, load_workflow, run_steps
from tests.test_notes import golden

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo

ROOT = Path(__file__).resolve().parents[1]
PULL = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_REF": "refs/pull/7/merge"}


@pytest.fixture
def pull_request(repo: GitRepo) -> GitRepo:
    """main with v1.2.0 and a fix since; a pull request's branch; its merge ref checked out."""
    repo.write("pyproject.toml", '[project]\nname = "demo"\ndynamic = ["version"]\n')
    repo.git("remote", "add", "origin", "https://github.com/acme/demo.git")
    repo.commit("feat: read the settings")
    repo.tag("v1.2.0", annotated=True)
    base = repo.head()
    repo.branch("topic")
    repo.commit(
        "feat(cli)!: rename --out to --output\n\nBREAKING CHANGE: --out is gone\n\n"
        "Co-authored-by: Grace Hopper <grace@example.org>",
        author=("Linus Ærø", "linus@example.org"),
    )
    repo.commit("docs: *emphasis* and <b>html</b> in a header", author=("Linus Ærø", "l@x.org"))
    repo.checkout("main")
    repo.commit("fix: on main meanwhile (#4)")
    assert repo.head() != base
    # refs/pull/7/merge, as GitHub makes it, checked out detached (actions/checkout)
    repo.git("checkout", "-q", "--detach", "main")
    repo.merge("topic", f"Merge {repo.git('rev-parse', 'topic').strip()} into {repo.head()}")
    return repo


def test_the_summary_of_a_pull_request(
    invoke: Invoke, pull_request: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in {**PULL, "GITHUB_BASE_REF": "main"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    with freeze_time("2026-03-04 12:00:00"):
        result = invoke("-C", str(pull_request.path), "preview", "--format", "github")
    golden("preview-summary.md", result.stdout)
    with freeze_time("2026-03-04 12:00:00"):
        body = invoke("-C", str(pull_request.path), "preview").stdout
    assert result.stdout.endswith("\n\n" + body)  # the very body preview shows


def test_nothing_to_release_is_said_and_passes(
    invoke: Invoke, repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.commit("ci: a workflow")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "push")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = invoke("-C", str(repo.path), "preview", "--format", "github")
    assert result.stdout == (
        "## Release preview\n\nTagging this commit releases nothing: 1 commit since `v1.0.0`, "
        "none a feat, fix, perf, refactor or breaking change.\n"
    )


def test_it_is_appended_to_the_job_summary(
    invoke: Invoke, pull_request: GitRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("an earlier step's block\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = invoke("-C", str(pull_request.path), "preview", "--format", "github")
    assert result.stdout == ""
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("an earlier step's block\n## Release preview\n")
    assert "releases **2.0.0** (tag `v2.0.0`): a MAJOR bump since `v1.2.0`" in text


@pytest.mark.parametrize("whose", ["init", "relnotes"])
def test_the_workflow_step_writes_it(pull_request: GitRepo, whose: str) -> None:
    """ci.yml as `relnotes init` writes it, and relnotes' own: its preview step, run as a
    runner would, on the pull request's merge ref (no token, a read-only job)."""
    if whose == "init":
        text = render_workflow("ci.yml", package="demo", repository="acme/demo")
    else:
        text = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    job = load_workflow(text)["jobs"]["commits"]
    assert job["if"] == "github.event_name == 'pull_request'"
    assert job["permissions"] == {"contents": "read"}
    (checkout,) = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout")]
    assert checkout["with"]["fetch-depth"] == 0
    (step,) = [s for s in job["steps"] if s.get("name") == "relnotes preview"]
    assert step["run"] == "relnotes preview --format github"
    github = github_context("pull_request", "refs/pull/7/merge", "acme/demo")
    github["base_ref"] = "main"
    runner = [str(Path(sys.executable).parent)]  # where relnotes is installed
    (result,) = run_steps({"steps": [step]}, github, pull_request.path, runner)
    assert result.code == 0, result.output
    assert result.summary.startswith(
        "## Release preview\n\nMerging pull request #7 into main releases **2.0.0**"
    )
    assert "- **cli:** --out is gone" in result.summary
