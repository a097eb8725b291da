"""Pre-releases in the changelog: a file that keeps them apart (one below a final release)
gets them all, any other lists those of a release still to come and folds them into the
final release once it is out; a final release's block takes in its pre-releases (unless
``changelog_merge_prerelease = false`` or the file keeps them apart)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.test_changelog import changelog_of, run

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo


def section(text: str, heading: str) -> str:
    """The block under ``heading`` (up to the next release heading)."""
    return text.split(heading, 1)[1].split("\n## ", 1)[0]


def first_release(repo: GitRepo) -> None:
    repo.git("remote", "add", "origin", "https://github.com/example/proj.git")
    repo.commit("feat: a")
    repo.tag("v1.0.0")


def file_with_a_candidate(invoke: Invoke, repo: GitRepo) -> None:
    """1.0.0, then 1.1.0rc1 (feat b), and a changelog written then: it lists the candidate."""
    first_release(repo)
    repo.commit("feat: b")
    repo.tag("v1.1.0rc1")
    run(invoke, repo)


def test_a_file_that_lists_no_prereleases_gets_the_coming_one_then_folds_it(
    invoke: Invoke, repo: GitRepo
) -> None:
    """A file that lists no pre-release (written after the last rc cycle folded, or by hand)
    lists the coming candidate as a new file would, and folds it into the final release."""
    first_release(repo)
    run(invoke, repo)
    repo.commit("feat: b in the release candidate")
    repo.tag("v1.1.0rc1")
    _, err = run(invoke, repo)
    text = changelog_of(repo)
    assert err == "CHANGELOG.md: added 1.1.0rc1\n"
    assert "- b in the release candidate (" in section(text, "## [1.1.0rc1](")
    assert "Unreleased" not in text
    repo.commit("fix: c one commit after the candidate")
    repo.tag("v1.1.0")
    _, err = run(invoke, repo)
    assert err == "CHANGELOG.md: added 1.1.0\n"
    text = changelog_of(repo)
    assert "rc1" not in text
    assert "Unreleased" not in text
    assert "## [1.1.0](https://github.com/example/proj/compare/v1.0.0...v1.1.0) - " in text
    v110 = section(text, "## [1.1.0](")
    assert "- b in the release candidate (" in v110
    assert "- c one commit after the candidate (" in v110
    assert run(invoke, repo)[1] == "CHANGELOG.md is up to date\n"
    repo.commit("feat: d for the next cycle")
    repo.tag("v1.2.0rc1")  # the next cycle's candidate is listed too
    assert run(invoke, repo)[1] == "CHANGELOG.md: added 1.2.0rc1\n"


def test_a_new_file_lists_only_the_coming_release_candidate(invoke: Invoke, repo: GitRepo) -> None:
    first_release(repo)
    repo.commit("feat: b")
    repo.tag("v1.1.0rc1")
    repo.commit("fix: c")
    repo.tag("v1.1.0")
    repo.commit("feat: d")
    repo.tag("v1.2.0rc1")
    run(invoke, repo)
    text = changelog_of(repo)
    assert "1.1.0rc1" not in text
    assert "- b (" in section(text, "## [1.1.0](")
    assert "- d (" in section(text, "## [1.2.0rc1](")


def test_a_file_that_lists_the_coming_candidates_folds_them_into_the_final(
    invoke: Invoke, repo: GitRepo
) -> None:
    """The candidates of a release still to come are listed, whatever the file keeps: once
    the final release is out, it takes them in (as a new file and ``--full`` write it)."""
    file_with_a_candidate(invoke, repo)
    repo.commit("fix: c")
    repo.tag("v1.1.0rc2")
    _, err = run(invoke, repo)
    assert err == "CHANGELOG.md: added 1.1.0rc2\n"
    before = changelog_of(repo)
    assert "- c (" in section(before, "## [1.1.0rc2](")
    repo.commit("feat: d")
    repo.tag("v1.1.0")
    _, err = run(invoke, repo)
    assert err == "CHANGELOG.md: added 1.1.0\n"
    text = changelog_of(repo)
    assert "rc1" not in text
    assert "rc2" not in text
    v110 = section(text, "## [1.1.0](")
    for entry in ("- b (", "- c (", "- d ("):  # the final release takes in its candidates
        assert entry in v110
    run(invoke, repo, "--full")
    assert changelog_of(repo) == text


def test_a_file_that_keeps_prereleases_apart_gets_them(invoke: Invoke, repo: GitRepo) -> None:
    """A file that lists a pre-release below its final release (written with
    ``changelog_merge_prerelease = false``, or by another tool) keeps getting them."""
    repo.write("pyproject.toml", "[tool.relnotes]\nchangelog_merge_prerelease = false\n")
    first_release(repo)
    repo.commit("feat: b")
    repo.tag("v1.1.0rc1")
    repo.commit("fix: c")
    repo.tag("v1.1.0")
    run(invoke, repo)
    repo.write("pyproject.toml", "[project]\nname = 'proj'\n")  # the setting is gone
    repo.commit("feat: d")
    repo.tag("v1.2.0rc1")
    repo.commit("fix: e")
    repo.tag("v1.2.0")
    _, err = run(invoke, repo)
    assert err == "CHANGELOG.md: added 1.2.0, 1.2.0rc1\n"
    text = changelog_of(repo)
    assert text.index("## [1.2.0](") < text.index("## [1.2.0rc1](") < text.index("## [1.1.0](")
    assert "- d (" in section(text, "## [1.2.0rc1](")
    v120 = section(text, "## [1.2.0](")
    assert "- e (" in v120
    assert "- d (" not in v120  # kept apart: the final lists what came after its candidate
    assert "## [1.1.0rc1](" in text
    full = repo.path / "FULL.md"
    (full).write_text(text, encoding="utf-8")
    run(invoke, repo, "--full", "--file", str(full))
    assert "## [1.2.0rc1](" in full.read_text(encoding="utf-8")


def test_a_candidate_and_its_final_tagged_since_the_last_update(
    invoke: Invoke, repo: GitRepo
) -> None:
    file_with_a_candidate(invoke, repo)
    repo.commit("feat: c")
    repo.tag("v1.2.0rc1")
    repo.commit("fix: d")
    repo.tag("v1.2.0")
    _, err = run(invoke, repo)
    assert err == "CHANGELOG.md: added 1.2.0\n"
    text = changelog_of(repo)
    assert "rc1" not in text  # 1.1.0rc1, a candidate of no release, is folded into 1.2.0
    v120 = section(text, "## [1.2.0](")
    for entry in ("- b (", "- c (", "- d ("):
        assert entry in v120


def test_merge_prerelease_false_keeps_them_apart(invoke: Invoke, repo: GitRepo) -> None:
    repo.write("pyproject.toml", "[tool.relnotes]\nchangelog_merge_prerelease = false\n")
    first_release(repo)
    run(invoke, repo)
    repo.commit("feat: b")
    repo.tag("v1.1.0rc1")
    repo.commit("fix: c")
    repo.tag("v1.1.0")
    _, err = run(invoke, repo)
    assert err == "CHANGELOG.md: added 1.1.0, 1.1.0rc1\n"
    text = changelog_of(repo)
    assert "- b (" in section(text, "## [1.1.0rc1](")
    v110 = section(text, "## [1.1.0](")
    assert "- c (" in v110
    assert "- b (" not in v110
    assert "## [1.1.0](https://github.com/example/proj/compare/v1.1.0rc1...v1.1.0) - " in text


def test_a_candidate_on_the_final_release_commit(invoke: Invoke, repo: GitRepo) -> None:
    first_release(repo)
    repo.commit("feat: b")
    repo.tag("v2.0.0rc1")
    repo.tag("v2.0.0")  # promoted as it was
    run(invoke, repo)
    text = changelog_of(repo)
    assert "rc1" not in text
    assert "- b (" in section(text, "## [2.0.0](")
    full = repo.path / "FULL.md"
    run(invoke, repo, "--full", "--file", str(full))
    assert full.read_text(encoding="utf-8") == text


def test_a_candidate_on_the_final_commit_in_a_file_with_candidates(
    invoke: Invoke, repo: GitRepo
) -> None:
    file_with_a_candidate(invoke, repo)
    repo.commit("feat: c")
    repo.tag("v2.0.0rc1")
    repo.tag("v2.0.0")
    _, err = run(invoke, repo)
    assert err == "CHANGELOG.md: added 2.0.0\n"  # one block for the one commit
    v200 = section(changelog_of(repo), "## [2.0.0](")
    assert "- b (" in v200
    assert "- c (" in v200


def test_full_writes_what_the_updates_wrote(invoke: Invoke, repo: GitRepo) -> None:
    """A new file lists the coming candidate; the update after the final release, and a
    rebuild of that file, fold it in alike (and a rebuild of the new file changes nothing)."""
    file_with_a_candidate(invoke, repo)
    fresh = changelog_of(repo)
    run(invoke, repo, "--full")
    assert changelog_of(repo) == fresh
    repo.commit("fix: c")
    repo.tag("v1.1.0")
    run(invoke, repo)
    updated = changelog_of(repo)
    assert "## [1.1.0rc1](" not in updated
    run(invoke, repo, "--full")
    assert changelog_of(repo) == updated
