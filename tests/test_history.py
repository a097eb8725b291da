"""History on real repositories: tags, ranges, merges, encodings, shallow clones."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

import pytest

from relnotes.config import load_config
from relnotes.errors import GitError
from relnotes.history import History
from relnotes.project import Project

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Invoke
    from tests.helpers import GitRepo


def history(repo: GitRepo) -> History:
    return History(str(repo.path), load_config(str(repo.path)))


def headers(commits: tuple[object, ...] | list[object]) -> list[str]:
    return [c.parsed.header for c in commits]  # type: ignore[attr-defined]


def test_annotated_and_lightweight_tags_and_other_tags_ignored(repo: GitRepo) -> None:
    repo.commit("feat: one")
    repo.tag("v0.1.0", annotated=True)
    repo.commit("fix: two")
    repo.tag("v0.1.1")
    repo.tag("nightly")
    repo.tag("v-not-a-version")
    h = history(repo)
    assert [t.name for t in h.tags] == ["v0.1.0", "v0.1.1"]
    assert [t.annotated for t in h.tags] == [True, False]
    release = h.release(h.tag("v0.1.1"))
    assert headers(release.commits) == ["fix: two"]
    assert release.previous_tag == "v0.1.0"


def test_semver_and_pep440_spellings_order_together(repo: GitRepo) -> None:
    for name in ("v1.2.0-rc.1", "v1.2.0rc2", "v1.2.0", "v1.10.0", "v1.9.0"):
        repo.commit(f"fix: before {name}")
        repo.tag(name)
    h = history(repo)
    assert [t.name for t in h.tags] == ["v1.2.0-rc.1", "v1.2.0rc2", "v1.2.0", "v1.9.0", "v1.10.0"]
    assert h.version_text(h.tag("v1.2.0-rc.1")) == "1.2.0-rc.1"


def test_tag_on_a_merge_commit_takes_in_the_side_branch(repo: GitRepo) -> None:
    repo.commit("feat: base")
    repo.tag("v1.0.0")
    repo.branch("feature")
    repo.commit("feat(side): on the branch")
    repo.commit("fix(side): also on the branch")
    repo.checkout("main")
    repo.commit("fix: on main meanwhile")
    repo.merge("feature", "Merge pull request #2 from someone/feature")
    repo.tag("v1.1.0", annotated=True)
    repo.commit("docs: after")
    h = history(repo)
    release = h.release(h.tag("v1.1.0"))
    assert sorted(headers(release.commits)) == [
        "Merge pull request #2 from someone/feature",
        "feat(side): on the branch",
        "fix(side): also on the branch",
        "fix: on main meanwhile",
    ]
    unreleased, releases = h.all_releases()
    assert headers(unreleased) == ["docs: after"]
    assert [r.tag for r in releases] == ["v1.1.0", "v1.0.0"]
    assert set(headers(releases[0].commits)) == set(headers(release.commits))


def test_maintenance_branch_releases_do_not_swallow_the_main_line(repo: GitRepo) -> None:
    repo.commit("feat: base")
    repo.tag("v1.0.0")
    repo.branch("maint")
    repo.commit("fix: backported")
    repo.tag("v1.0.1")
    repo.checkout("main")
    repo.commit("feat: new on main")
    repo.tag("v1.1.0")
    h = history(repo)
    assert headers(h.release(h.tag("v1.1.0")).commits) == ["feat: new on main"]
    assert headers(h.release(h.tag("v1.0.1")).commits) == ["fix: backported"]


def test_without_tags_the_whole_history_is_the_first_release(repo: GitRepo) -> None:
    repo.commit("feat: one")
    repo.commit("fix: two")
    current, commits = history(repo).unreleased()
    assert current is None
    assert headers(commits) == ["fix: two", "feat: one"]


def test_latin1_messages_are_decoded_not_dropped(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    repo.commit("fix: caf\xe9 cr\xe8me".encode("latin-1"))
    repo.commit("feat: na\xefve".encode())
    _, commits = history(repo).unreleased()
    assert sorted(headers(commits)) == ["feat: naïve", "fix: café crème"]
    result = invoke("-C", str(repo.path), "preview")
    assert "café crème" in result.stdout


def test_a_message_with_an_encoding_header_is_reencoded(repo: GitRepo) -> None:
    repo.commit("feat: first")
    repo.git("config", "i18n.commitEncoding", "ISO-8859-1")
    repo.commit("fix: gr\xfc\xdfe".encode("latin-1"))
    _, commits = history(repo).unreleased()
    assert "fix: grüße" in headers(commits)


def test_shallow_clone_is_refused_with_the_fix(
    repo: GitRepo, tmp_path: Path, invoke: Invoke
) -> None:
    for n in range(3):
        repo.commit(f"feat: {n}")
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)], check=True
    )
    result = invoke("-C", str(clone), "preview", code=2)
    assert "shallow clone" in result.stderr
    assert "fetch-depth: 0" in result.stderr
    assert "git fetch --unshallow" in result.stderr


def test_not_a_repository_and_empty_repository(tmp_path: Path, invoke: Invoke) -> None:
    result = invoke("-C", str(tmp_path), "notes", code=2)
    assert result.stderr.startswith("relnotes: error: not a git repository")
    assert "Traceback" not in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    subprocess.run(["git", "init", "-q", str(empty)], check=True)
    result = invoke("-C", str(empty), "preview", code=2)
    assert "has no commits yet" in result.stderr


def test_unknown_tag_and_tag_outside_tag_format(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: x")
    repo.tag("v1.0.0")
    repo.tag("release-7")
    result = invoke("-C", str(repo.path), "notes", "v9.9.9", code=2)
    assert result.stderr.splitlines() == [
        "relnotes: error: unknown tag 'v9.9.9'",
        "  hint: version tags here: v1.0.0",
    ]
    result = invoke("-C", str(repo.path), "notes", "release-7", code=2)
    assert "not a version tag for tag_format 'v$version'" in result.stderr


def test_a_revision_that_looks_like_an_option_never_reaches_git_as_one(
    repo: GitRepo, invoke: Invoke, tmp_path: Path
) -> None:
    repo.commit("feat: x")
    target = tmp_path / "pwned"
    result = invoke("-C", str(repo.path), "log", "--", f"--output={target}..HEAD", code=2)
    assert "unknown revision" in result.stderr
    assert not target.exists()


def test_tag_format_with_placeholders(repo: GitRepo) -> None:
    repo.write("pyproject.toml", '[tool.relnotes]\ntag_format = "release/$major.$minor.$patch"\n')
    repo.commit("feat: x")
    repo.tag("release/1.2.3")
    repo.tag("v9.0.0")
    h = history(repo)
    assert [t.name for t in h.tags] == ["release/1.2.3"]
    assert h.tag_format.tag_for("1.3.0") == "release/1.3.0"


def test_project_open_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="no such folder"):
        Project(str(tmp_path / "nope"))


def test_promoted_prerelease_on_the_same_commit_gets_the_whole_range(repo: GitRepo) -> None:
    repo.commit("feat: base")
    repo.tag("v1.0.0")
    repo.commit("feat: new")
    repo.tag("v1.1.0rc1")
    repo.tag("v1.1.0")  # the same commit, promoted
    h = history(repo)
    assert headers(h.release(h.tag("v1.1.0")).commits) == ["feat: new"]
    assert h.release(h.tag("v1.1.0")).previous_tag == "v1.0.0"
    _, releases = h.all_releases()
    assert [r.tag for r in releases] == ["v1.1.0", "v1.0.0"]


def test_merged_prereleases(repo: GitRepo) -> None:
    repo.write(".cz.toml", "[tool.commitizen]\nchangelog_merge_prerelease = true\n")
    repo.commit("feat: base")
    repo.tag("v1.0.0")
    repo.commit("feat: a")
    repo.tag("v1.1.0rc1")
    repo.commit("fix: b")
    repo.tag("v1.1.0")
    h = history(repo)
    release = h.release(h.tag("v1.1.0"))
    assert headers(release.commits) == ["fix: b", "feat: a"]
    assert release.previous_tag == "v1.0.0"
    _, releases = h.all_releases()
    assert [r.tag for r in releases] == ["v1.1.0", "v1.0.0"]
    assert headers(releases[0].commits) == ["fix: b", "feat: a"]


def test_a_bare_repository_answers_too(repo: GitRepo, tmp_path: Path, invoke: Invoke) -> None:
    repo.commit("feat: one")
    repo.tag("v1.0.0", annotated=True)
    repo.commit("fix: two")
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(bare)], check=True)
    notes = invoke("-C", str(bare), "notes", "v1.0.0").stdout
    assert notes.startswith("## 1.0.0 (2026-01-01)\n\n### Features\n\n- one (")
    assert invoke("-C", str(bare), "next-version").stdout == "1.0.1\n"
