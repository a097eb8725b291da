"""What the command-line properties (tests/test_fuzz_cli.py) found, each as a plain test: the
smallest repository that showed it, and one assertion."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo

BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")


def changelog(repo: GitRepo, invoke: Invoke, *args: str) -> str:
    invoke("-C", str(repo.path), "changelog", *args)
    return (repo.path / "CHANGELOG.md").read_text(encoding="utf-8")


def test_tags_without_v_and_a_release_no_one_is_credited_for(repo: GitRepo, invoke: Invoke) -> None:
    """relnotes' own file, its tags spelled as their versions (``0.2.0``), was read as a style
    of its own; its newest release, made by a bot, has no Contributors section, so the next
    releases added lost theirs, unlike ``--full`` and the notes."""
    repo.commit("feat: one")
    repo.tag("0.1.0")
    repo.commit("fix(deps): bump x from 1 to 2", author=BOT)
    repo.tag("0.2.0")
    changelog(repo, invoke)
    repo.commit("feat: three")
    repo.tag("0.3.0")
    updated = changelog(repo, invoke)
    assert updated == changelog(repo, invoke, "--full")


def test_a_final_release_whose_commit_is_tagged_a_prerelease_too_keeps_its_section(
    repo: GitRepo, invoke: Invoke
) -> None:
    """In a file that lists no pre-releases, the pre-release tagged on a final release's
    commit (``v0.3.0rc1`` on ``v0.2.0``) spoke for that commit and was then left out, and the
    final release with it: its commits were in no section, and the file was "up to date"."""
    repo.commit("feat: one")
    repo.tag("v0.1.0")
    changelog(repo, invoke)
    repo.commit("feat: two")
    repo.tag("v0.2.0")
    repo.tag("v0.3.0rc1")
    assert "\n## 0.2.0 - " in changelog(repo, invoke)


def test_a_final_release_whose_commit_a_folded_prerelease_tags_keeps_its_section(
    repo: GitRepo, invoke: Invoke
) -> None:
    """The pre-release tagged on a final release's commit (``v0.2.0rc1`` on ``v0.1.0``) spoke
    for that commit, then was folded into its own final release (``v0.2.0``), which took in
    ``v0.1.0``'s commits: ``v0.1.0`` had no section, ``v0.2.0``'s was not its notes."""
    repo.commit("feat: one")
    repo.tag("v0.1.0")
    repo.tag("v0.2.0rc1")
    repo.commit("feat: two")
    repo.tag("v0.2.0")
    assert "\n## 0.1.0 - " in changelog(repo, invoke)


def test_a_prerelease_left_out_of_the_file_keeps_its_first_timers_in_unreleased(
    repo: GitRepo, invoke: Invoke
) -> None:
    """In a file that lists no pre-releases, a pre-release's commits stay in the Unreleased
    section, but their authors were credited as if its section came first: a first-timer
    lost the mark (unlike ``--full``)."""
    repo.commit("feat: one")
    repo.tag("v0.1.0")
    repo.commit("feat: two", author=("Grace Hopper", "grace@example.org"))
    changelog(repo, invoke)
    repo.tag("v0.2.0rc1")
    assert "- Grace Hopper (first contribution)" in changelog(repo, invoke)


def test_a_contributor_whose_name_is_escaped_is_no_hand_edit(repo: GitRepo, invoke: Invoke) -> None:
    """A name with Markdown in it is escaped in a contributors list (``jane\\_doe``); when the
    line changed (she committed again as ``Jane Doe``), the guard did not know the escaped
    name and refused to update the untouched file as if it held hand-written text (exit 2)."""
    repo.commit("feat: one")
    repo.tag("v0.1.0")
    repo.commit("feat: two", author=("jane_doe", "jane@example.org"))
    changelog(repo, invoke)
    repo.commit("fix: three", author=("Jane Doe", "jane@example.org"))
    assert "- Jane Doe (first contribution)" in changelog(repo, invoke)


def test_a_newest_release_with_no_entry_and_no_one_to_credit(repo: GitRepo, invoke: Invoke) -> None:
    """Without a repository URL, relnotes' own file whose newest release lists no entry (a
    bot's chore) was taken for a style of its own (the entries' commit links were guessed),
    so the releases added next lost their Contributors, unlike ``--full`` and the notes."""
    repo.commit("feat: one")
    repo.tag("v0.1.0")
    repo.commit("chore(deps): bump x from 1 to 2", author=BOT)
    repo.tag("v0.2.0")
    changelog(repo, invoke)
    repo.commit("feat: three")
    repo.tag("v0.3.0")
    updated = changelog(repo, invoke)
    assert updated == changelog(repo, invoke, "--full")


def test_a_version_tagged_again_on_a_later_commit_is_one_release(
    repo: GitRepo, invoke: Invoke
) -> None:
    """``v0.1.0`` and, on a later commit, ``v0.1`` name one version: the changelog had two
    sections, the older one "No user-facing changes." above the newer, and the notes of
    ``v0.1`` told both commits. The version was released once, by the older tag."""
    repo.commit("feat!: one")
    repo.tag("v0.1.0")
    repo.commit("fix: two")
    repo.tag("v0.1")
    text = changelog(repo, invoke)
    assert text.count("\n## 0.1") == 1
    assert "\n## 0.1.0 - " in text
    assert "- two (" in text.split("## Unreleased", 1)[1].split("\n## 0.1.0", 1)[0]
    refused = invoke("-C", str(repo.path), "notes", "v0.1", code=2)
    assert "already released as 'v0.1.0'" in refused.stderr
    assert "tag v0.1 names version 0.1.0, which tag v0.1.0 names" in refused.stderr


def test_a_prerelease_tagged_after_its_final_release_releases_nothing(
    repo: GitRepo, invoke: Invoke
) -> None:
    """``v0.1.0rc1`` tagged on a commit after ``v0.1.0`` is folded into 0.1.0 (it names no
    section) so its commit was Unreleased in the changelog; but the update after ``v0.2.0``
    and the notes of ``v0.2.0`` left that commit out as if ``v0.1.0rc1`` had released it,
    and the update took the Unreleased entry for text written by hand."""
    repo.commit("feat: one")
    repo.tag("v0.1.0")
    repo.commit("fix: late")
    repo.tag("v0.1.0rc1")
    assert "- late (" in invoke("-C", str(repo.path), "preview").stdout
    changelog(repo, invoke)
    repo.commit("feat: three")
    repo.tag("v0.2.0")
    updated = changelog(repo, invoke)
    assert updated == changelog(repo, invoke, "--full")
    assert "- late (" in updated.split("\n## 0.2.0", 1)[1].split("\n## 0.1.0", 1)[0]
    assert "- late (" in invoke("-C", str(repo.path), "notes", "v0.2.0").stdout


def test_entries_whose_commit_links_carry_references_keep_them(
    repo: GitRepo, invoke: Invoke
) -> None:
    """Without a repository URL an entry ends ``(abc1234, #12)``; when every entry of the
    newest releases did, the file was taken for a style of its own without commit links, and
    the next run rewrote the Unreleased section without them."""
    repo.commit("feat!: one\n\nBREAKING CHANGE: gone\n\nCloses #12")
    repo.tag("v0.1.0")
    repo.commit("fix: two\n\nRefs: #4")
    first = changelog(repo, invoke)
    assert ", #4)\n" in first
    assert changelog(repo, invoke) == first


def test_a_rebuild_of_a_new_file_that_lists_a_coming_candidate_changes_nothing(
    repo: GitRepo, invoke: Invoke
) -> None:
    """A new file lists the coming ``v0.2.0-rc.1`` and folds the old ``0.1.0a1`` into 0.1.0;
    read back, a file that lists a pre-release was taken to keep them all apart, so ``--full``
    added a section for ``0.1.0a1`` and the next update did not."""
    repo.commit("feat: a")
    repo.tag("0.1.0a1")
    repo.commit("feat: b")
    repo.tag("v0.1.0")
    repo.commit("feat: c")
    repo.tag("v0.2.0-rc.1")
    fresh = changelog(repo, invoke)
    assert "\n## 0.2.0-rc.1 - " in fresh
    assert "0.1.0a1" not in fresh
    assert changelog(repo, invoke, "--full") == fresh


def test_the_author_of_a_folded_prerelease_is_new_in_the_next_release(
    repo: GitRepo, invoke: Invoke
) -> None:
    """``v0.1.1rc1`` tagged after ``v1.0.0`` releases nothing (its commit is Unreleased), but
    the update of the Unreleased section took its author for someone a release had named."""
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.commit("fix: late", author=("Grace Hopper", "grace@example.org"))
    repo.tag("v0.1.1rc1")
    fresh = changelog(repo, invoke)
    assert "- Grace Hopper (first contribution)" in fresh
    repo.commit("perf: more")
    assert "- Grace Hopper (first contribution)" in changelog(repo, invoke)


def test_a_commit_with_one_parent_and_a_merge_message_credits_its_author(
    repo: GitRepo, invoke: Invoke
) -> None:
    """A commit of one parent whose message reads ``Merge branch …`` named no one in the
    changelog's pass, but counted as known in the next update (``git log --no-merges``)."""
    repo.commit("feat: one")
    repo.tag("v0.1.0")
    repo.commit("Merge branch 'x' into main", author=("Grace Hopper", "grace@example.org"))
    repo.tag("v0.2.0")
    changelog(repo, invoke)
    repo.commit("fix: two", author=("Grace Hopper", "grace@example.org"))
    repo.tag("v0.3.0")
    updated = changelog(repo, invoke)
    assert updated == changelog(repo, invoke, "--full")
    assert "- Grace Hopper (first contribution)" not in updated.split("\n## 0.2.0", 1)[0]


def test_a_release_of_reverts_only_is_no_file_of_whole_headers(
    repo: GitRepo, invoke: Invoke
) -> None:
    """A revert's entry is the reverted header (``- feat: add a thing``): a file whose newest
    release lists only reverts was taken for one whose entries are whole commit headers."""
    repo.commit('Revert "feat: add a thing"')
    repo.tag("v0.1.0")
    changelog(repo, invoke)
    repo.commit("feat!: add a thing")
    repo.tag("v99.0.0")
    updated = changelog(repo, invoke)
    assert "\n- add a thing (" in updated
    assert updated == changelog(repo, invoke, "--full")


def test_a_folded_candidate_that_listed_nothing_is_no_hand_edit(
    repo: GitRepo, invoke: Invoke
) -> None:
    """A candidate with nothing to list reads "No user-facing changes."; folded into its
    final release, its section goes, and that line was taken for text written by hand."""
    repo.commit("fixup! feat: add a thing")
    repo.tag("v0.1.0-rc.1")
    assert "No user-facing changes." in changelog(repo, invoke)
    repo.commit("feat!: add a thing")
    repo.tag("v99.0.0")
    updated = changelog(repo, invoke)
    assert "rc.1" not in updated
    assert updated == changelog(repo, invoke, "--full")


def test_a_moving_major_tag_is_no_release(repo: GitRepo, invoke: Invoke) -> None:
    """``v1`` (or ``v0``), moved to each newest release as GitHub Actions projects do, named
    version 1.0.0 on a later commit: a warning on every command, and ``v0`` bounded the
    release it came after, whose notes then listed nothing."""
    repo.commit("feat: one")
    repo.tag("v0.1.0")
    repo.commit("feat: two")
    repo.tag("v0.2.0")
    repo.tag("v0")
    notes = invoke("-C", str(repo.path), "notes", "v0.2.0")
    assert "- two (" in notes.stdout
    assert "warning" not in notes.stderr
    text = changelog(repo, invoke)
    assert "\n## 0.2.0 - " in text
    assert "\n## 0 " not in text


def test_a_file_of_releases_that_list_nothing_is_the_built_in_one(
    repo: GitRepo, invoke: Invoke
) -> None:
    """Without a repository URL, a file whose releases list no entry showed no commit link
    to learn from; the learned guess (links from the repository's URL) differed from the
    built-in template, so the file was taken for a style of its own, without Contributors."""
    repo.commit('Revert "feat: add a thing"', author=BOT)
    repo.tag("v0.1.0")
    changelog(repo, invoke)
    repo.commit('Revert "feat: add a thing"')
    repo.tag("v99.0.0")
    updated = changelog(repo, invoke)
    assert "(first contribution)" in updated
    assert updated == changelog(repo, invoke, "--full")
