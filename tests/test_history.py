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
    assert "tag 'release-7' is not a version tag (tag formats: v$version, $version)" in (
        result.stderr
    )


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


# -- tag conventions ----------------------------------------------------------------------


def test_a_convention_that_changed_has_releases_under_both(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: one")
    repo.tag("v0.4.0", annotated=True)
    repo.commit("fix: two")
    repo.tag("0.5.0", annotated=True)
    repo.commit("feat: three")
    h = history(repo)
    assert [t.name for t in h.tags] == ["v0.4.0", "0.5.0"]
    release = h.release(h.tag("0.5.0"))
    assert (headers(release.commits), release.previous_tag) == (["fix: two"], "v0.4.0")
    assert h.tag_format.tag_for("0.6.0") == "0.6.0"  # spelled like the newest tag
    assert invoke("-C", str(repo.path), "next-version").stdout == "0.6.0\n"
    result = invoke("-C", str(repo.path), "preview")
    assert result.stderr.splitlines()[0] == "next version: 0.6.0, tag 0.6.0 (MINOR) since 0.5.0"
    assert "warning" not in result.stderr


def test_back_to_the_v_prefix_follows_the_newest_tag(repo: GitRepo) -> None:
    repo.commit("feat: one")
    repo.tag("0.1.0")
    repo.commit("feat: two")
    repo.tag("v0.2.0")
    assert history(repo).tag_format.tag_for("0.3.0") == "v0.3.0"


@pytest.mark.parametrize(
    ("cz", "first"), [(False, "v0.1.0"), (True, "0.1.0")], ids=["plain", "commitizen"]
)
def test_before_the_first_tag(repo: GitRepo, cz: bool, first: str) -> None:
    if cz:  # commitizen's own default tag_format is "$version"
        repo.write(".cz.toml", '[tool.commitizen]\nname = "cz_conventional_commits"\n')
    repo.commit("feat: one")
    assert history(repo).tag_format.tag_for("0.1.0") == first


def test_tags_outside_the_configured_format_warn_once(repo: GitRepo, invoke: Invoke) -> None:
    repo.write("pyproject.toml", '[tool.relnotes]\ntag_format = "v$version"\n')
    repo.commit("feat: one")
    repo.tag("release-0.3.0")
    repo.commit("feat: two")
    repo.tag("v0.4.0")
    for name in ("0.5.0", "0.6.0", "0.7.0"):
        repo.commit(f"fix: before {name}")
        repo.tag(name)
    repo.tag("nightly")
    repo.tag("build-7")
    expected = (
        "warning: 4 tags look like versions but match no tag format (v$version): 0.7.0, 0.6.0, "
        "0.5.0 and 1 more; they are not read as releases (to count them: legacy_tag_formats = "
        '["$version", "release-$version"]; to silence this: ignored_tag_formats)'
    )
    for args in (["notes"], ["log"], ["changelog", "--dry-run"], ["next-version"]):
        result = invoke("-C", str(repo.path), *args)
        assert result.stderr.splitlines().count(expected) == 1, result.stderr
        assert "warning: 4 tags" not in result.stdout
    # the settings it names take them in, or silence it
    repo.write(
        "pyproject.toml",
        '[tool.relnotes]\ntag_format = "v$version"\n'
        'legacy_tag_formats = ["$version"]\nignored_tag_formats = ["release-*"]\n',
    )
    h = history(repo)
    assert [t.name for t in h.tags] == ["v0.4.0", "0.5.0", "0.6.0", "0.7.0"]
    assert h.warnings == []
    assert h.tag_format.tag_for("0.8.0") == "v0.8.0"  # the configured format makes new tags


def test_a_legacy_format_counts_and_one_tag_is_named(repo: GitRepo) -> None:
    repo.write(
        "pyproject.toml",
        '[tool.relnotes]\ntag_format = "v$version"\nlegacy_tag_formats = ["release-$version"]\n',
    )
    repo.commit("feat: one")
    repo.tag("release-0.3.0")
    repo.commit("feat: two")
    repo.tag("v0.4.0")
    repo.commit("fix: three")
    repo.tag("pkg-0.4.1")
    h = history(repo)
    assert [t.name for t in h.tags] == ["release-0.3.0", "v0.4.0"]
    assert h.release(h.tag("v0.4.0")).previous_tag == "release-0.3.0"
    with pytest.raises(GitError, match=r"tag 'pkg-0.4.1' is not a version tag") as caught:
        h.tag("pkg-0.4.1")
    assert caught.value.hint is not None
    assert caught.value.hint.endswith('(legacy_tag_formats = ["pkg-$version"])')
    assert h.warnings == [
        "tag pkg-0.4.1 looks like a version but matches no tag format (v$version, "
        "release-$version); it is not read as a release (to count it: legacy_tag_formats = "
        '["pkg-$version"]; to silence this: ignored_tag_formats)'
    ]


# -- the commits since the newest tag HEAD reaches -----------------------------------------


def test_an_older_checkout_counts_its_own_commits(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: base")
    repo.tag("v1.0.0")
    repo.commit("fix: one")
    old = repo.commit("fix: two")
    repo.commit("feat: three")
    repo.tag("v1.1.0")
    repo.checkout(old)
    current, commits = history(repo).unreleased()
    assert current is not None
    assert current.name == "v1.0.0"
    assert headers(commits) == ["fix: two", "fix: one"]
    assert invoke("-C", str(repo.path), "next-version").stdout == "1.0.1\n"
    explain = invoke("-C", str(repo.path), "next-version", "--explain").stderr
    assert "current: v1.0.0; 2 commit(s) since" in explain


def test_a_branch_that_a_later_tag_contains(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: base")
    repo.tag("v1.0.0")
    repo.branch("topic")
    repo.commit("fix: on the topic branch")
    repo.commit("feat: also on the topic branch")
    repo.checkout("main")
    repo.merge("topic")
    repo.tag("v1.1.0")  # a later tag contains the whole branch
    current, commits = history(repo).unreleased("topic")
    assert current is not None
    assert current.name == "v1.0.0"
    assert headers(commits) == ["feat: also on the topic branch", "fix: on the topic branch"]
    # the feat asks for 1.1.0, which is published: an error, never a proposal
    repo.checkout("topic")
    for command in ("next-version", "preview"):
        result = invoke("-C", str(repo.path), command, code=2)
        assert result.stderr.splitlines() == [
            "relnotes: error: version 1.1.0 is published already: tag v1.1.0 exists",
            "  hint: HEAD does not contain v1.1.0 (the newest it reaches is v1.0.0): run this on "
            "the branch the releases are made from, or choose another version with --increment "
            "or --prerelease",
        ]


def test_a_maintenance_branch_bumps_from_its_own_release(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: base")
    repo.tag("v1.0.0")
    repo.branch("maint/1.0")
    repo.commit("fix: backport one")
    repo.tag("v1.0.1")
    repo.checkout("main")
    repo.commit("feat: new on main")
    repo.tag("v1.1.0")
    repo.checkout("maint/1.0")
    repo.commit("fix: backport two")
    current, commits = history(repo).unreleased()
    assert current is not None
    assert current.name == "v1.0.1"
    assert headers(commits) == ["fix: backport two"]
    assert invoke("-C", str(repo.path), "next-version").stdout == "1.0.2\n"
    notes = invoke("-C", str(repo.path), "preview").stdout
    assert "backport two" in notes
    assert "backport one" not in notes
    assert "new on main" not in notes


@pytest.mark.parametrize(
    ("existing", "args"),
    [
        ("1.1.0", []),  # the bare spelling under tag_format = "v$version"
        ("v1.1.0-rc.0", ["--prerelease", "rc"]),  # SemVer spelling of 1.1.0rc0
        ("release-1.1.0", []),  # a legacy format nobody configured
    ],
)
def test_a_version_published_in_any_spelling_is_never_proposed(
    repo: GitRepo, invoke: Invoke, existing: str, args: list[str]
) -> None:
    repo.write("pyproject.toml", '[tool.relnotes]\ntag_format = "v$version"\n')
    repo.commit("feat: base")
    repo.tag("v1.0.0")
    repo.branch("elsewhere")
    repo.commit("feat: published from another branch")
    repo.tag(existing)
    repo.checkout("main")
    repo.commit("feat: new")
    result = invoke("-C", str(repo.path), "next-version", *args, code=2)
    error = result.stderr.splitlines()[-2]
    assert error.startswith("relnotes: error: version 1.1.0")
    assert error.endswith(f"is published already: tag {existing} exists")
    assert result.stdout == ""
    if existing == "release-1.1.0":
        assert result.stderr.splitlines()[-1] == (
            "  hint: count tags like release-1.1.0 as releases: legacy_tag_formats = "
            '["release-$version"]'
        )
    assert invoke("-C", str(repo.path), "next-version", "--increment", "MAJOR").stdout == "2.0.0\n"


# -- pre-releases ----------------------------------------------------------------------------


def prereleases(repo: GitRepo, *, gap: str) -> None:
    """v1.0.0, then work, v2.0.0-rc.1, and the final v2.0.0 ``gap`` after the rc."""
    repo.commit("feat: base")
    repo.tag("v1.0.0", annotated=True)
    repo.commit("feat!: new storage\n\nBREAKING CHANGE: the old files are not read")
    repo.commit("fix: a fix before the rc")
    repo.tag("v2.0.0-rc.1", annotated=True)
    if gap == "one commit":
        repo.commit("chore: release 2.0.0")
    elif gap == "several rcs":
        repo.commit("fix: found in rc.1")
        repo.tag("v2.0.0-rc.2", annotated=True)
        repo.commit("fix: found in rc.2")
        repo.tag("v2.0.0-rc.3", annotated=True)
    repo.tag("v2.0.0", annotated=True)


@pytest.mark.parametrize("gap", ["same commit", "one commit", "several rcs"])
def test_a_final_release_takes_in_its_prereleases(repo: GitRepo, gap: str) -> None:
    prereleases(repo, gap=gap)
    h = history(repo)
    final = h.notes_release(h.tag("v2.0.0"))
    assert final.previous_tag == "v1.0.0"
    assert "feat!: new storage" in headers(final.commits)
    assert "fix: a fix before the rc" in headers(final.commits)
    assert "feat: base" not in headers(final.commits)
    # a pre-release's own notes run from the version before it
    if gap == "several rcs":
        rc3 = h.notes_release(h.tag("v2.0.0-rc.3"))
        assert (headers(rc3.commits), rc3.previous_tag) == (["fix: found in rc.2"], "v2.0.0-rc.2")
    # what the changelog reads is unchanged: per tag unless changelog_merge_prerelease
    plain = h.release(h.tag("v2.0.0"))
    if gap == "same commit":
        assert plain.commits == final.commits
    else:
        assert plain.previous_tag != "v1.0.0"
        assert "feat!: new storage" not in headers(plain.commits)


def test_the_changelog_can_ask_for_either_view_of_prereleases(repo: GitRepo) -> None:
    prereleases(repo, gap="several rcs")
    h = history(repo)  # changelog_merge_prerelease is false: one release per tag
    _, plain = h.all_releases()
    # rc.3 tags the final's commit: the final speaks for it
    assert [r.tag for r in plain] == ["v2.0.0", "v2.0.0-rc.2", "v2.0.0-rc.1", "v1.0.0"]
    _, merged = h.all_releases(merge=True)
    assert [r.tag for r in merged] == ["v2.0.0", "v1.0.0"]
    assert merged[0].previous_tag == "v1.0.0"
    assert merged[0].commits == h.notes_release(h.tag("v2.0.0")).commits
