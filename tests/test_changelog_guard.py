"""relnotes changelog never writes outside the repository, never into a non-text file, and
never drops text written by hand from a section it replaces; odd Markdown does not hide
releases (each run would add the history again)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from relnotes.changelog import Reader

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Invoke
    from tests.helpers import GitRepo


def released(repo: GitRepo) -> GitRepo:
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    repo.commit("fix: second")
    return repo


def changelog(invoke: Invoke, repo: GitRepo, *args: str, code: int = 0) -> tuple[str, str]:
    result = invoke("-C", str(repo.path), "changelog", *args, code=code)
    return result.stdout, result.stderr


# -- where it writes ----------------------------------------------------------------------


def test_a_changelog_file_outside_the_repository_is_refused(
    invoke: Invoke, repo: GitRepo, tmp_path: Path
) -> None:
    released(repo)
    repo.write("pyproject.toml", '[tool.relnotes]\nchangelog_file = "../outside.md"\n')
    _, err = changelog(invoke, repo, code=2)
    assert err.splitlines()[0] == (
        "relnotes: error: refusing to write the changelog outside the repository: "
        f"{repo.path / '../outside.md'}"
    )
    assert not (repo.path.parent / "outside.md").exists()
    # the user's own command line may allow it; the configuration never can
    changelog(invoke, repo, "--allow-outside")
    assert "## 1.0.0" in (repo.path.parent / "outside.md").read_text(encoding="utf-8")


def test_a_changelog_that_links_out_of_the_repository_is_refused(
    invoke: Invoke, repo: GitRepo, tmp_path: Path
) -> None:
    released(repo)
    target = tmp_path / "elsewhere.md"
    target.write_text("precious\n", encoding="utf-8")
    os.symlink(target, repo.path / "CHANGELOG.md")
    _, err = changelog(invoke, repo, code=2)
    assert err.splitlines()[0].startswith(
        "relnotes: error: refusing to write the changelog outside the repository: "
    )
    assert f"(it points to {target})" in err.splitlines()[0]
    assert target.read_text(encoding="utf-8") == "precious\n"
    _, err = changelog(invoke, repo, "--file", str(target), code=2)
    assert target.read_text(encoding="utf-8") == "precious\n"


def test_a_file_with_nul_bytes_is_no_changelog(invoke: Invoke, repo: GitRepo) -> None:
    released(repo)
    binary = b"## 0.9.0\n\x00\x01\x02 binary data\n"
    (repo.path / "CHANGELOG.md").write_bytes(binary)
    _, err = changelog(invoke, repo, code=2)
    assert err.splitlines()[0] == (
        "relnotes: error: CHANGELOG.md is not a text file (a NUL byte on line 2): "
        "it was left as it was"
    )
    assert (repo.path / "CHANGELOG.md").read_bytes() == binary
    (repo.path / "CHANGELOG.md").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    _, err = changelog(invoke, repo, code=2)
    assert "is not UTF-8 text" in err


# -- what it keeps ------------------------------------------------------------------------


def test_a_hand_written_unreleased_section_is_never_dropped(invoke: Invoke, repo: GitRepo) -> None:
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    changelog(invoke, repo)
    path = repo.path / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8")
    edited = text.replace(
        "<!-- insertion marker -->\n",
        "<!-- insertion marker -->\n## Unreleased\n\n- We are rewriting the parser by hand.\n\n",
    )
    path.write_text(edited, encoding="utf-8")
    _, err = changelog(invoke, repo, code=2)  # no commit to list: the section would go
    assert err.splitlines()[0] == (
        "relnotes: error: CHANGELOG.md: the update would drop text written by hand in the "
        "Unreleased section: '- We are rewriting the parser by hand.'"
    )
    assert path.read_text(encoding="utf-8") == edited
    changelog(invoke, repo, "--no-unreleased")  # leaves the section as it is
    assert path.read_text(encoding="utf-8") == edited
    changelog(invoke, repo, "--full")  # says it replaces hand edits, and does
    assert "rewriting the parser" not in path.read_text(encoding="utf-8")


def test_a_generated_unreleased_section_is_replaced_without_a_word(
    invoke: Invoke, repo: GitRepo
) -> None:
    released(repo)
    changelog(invoke, repo)
    path = repo.path / "CHANGELOG.md"
    # a later relnotes writes entries differently: the shas still say they were generated
    path.write_text(
        path.read_text(encoding="utf-8").replace("- second (", "- Second, as once written ("),
        encoding="utf-8",
    )
    repo.tag("v1.0.1")
    repo.commit("feat: third")
    changelog(invoke, repo)
    text = path.read_text(encoding="utf-8")
    assert "## Unreleased\n\n### Features\n\n- third (" in text
    assert "## 1.0.1 - 2026-01-01\n\n### Fixes\n\n- second (" in text
    assert "Second, as once written" not in text


def test_hand_text_in_a_pre_release_folded_into_its_final_is_never_dropped(
    invoke: Invoke, repo: GitRepo
) -> None:
    repo.write("pyproject.toml", "[tool.relnotes]\nchangelog_merge_prerelease = true\n")
    repo.commit("feat: first")
    repo.tag("v1.0.0rc1")
    changelog(invoke, repo)
    path = repo.path / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8")
    assert "## 1.0.0rc1 - 2026-01-01" in text
    path.write_text(text.rstrip("\n") + "\n\nThanks to the testers of rc1!\n", encoding="utf-8")
    repo.commit("fix: found in rc1")
    repo.tag("v1.0.0")
    _, err = changelog(invoke, repo, code=2)
    assert err.splitlines()[0] == (
        "relnotes: error: CHANGELOG.md: the update would drop text written by hand in the "
        "1.0.0rc1 section: 'Thanks to the testers of rc1!'"
    )


@pytest.mark.parametrize("rc", ["v1.1.0-rc.1", "1.1.0rc1"])
@pytest.mark.parametrize("linked", [True, False])
def test_a_reworded_entry_in_a_folded_pre_release_is_never_dropped(
    invoke: Invoke, repo: GitRepo, rc: str, linked: bool
) -> None:
    """An entry of the pre-release's section said in other words by hand (it names its
    commit, so it looks generated) stops the update that folds the section into its final
    release; the same file left as relnotes wrote it folds without a word."""
    if linked:
        repo.git("remote", "add", "origin", "https://github.com/example/proj.git")
    repo.commit("feat: first")
    repo.tag(rc.replace("1.1.0-rc.1", "1.0.0").replace("1.1.0rc1", "1.0.0"), annotated=True)
    repo.commit("feat: parse the settings file")
    repo.tag(rc, annotated=True)
    changelog(invoke, repo)
    path = repo.path / "CHANGELOG.md"
    written = path.read_text(encoding="utf-8")
    entry = next(line for line in written.splitlines() if "parse the settings file" in line)
    edited = written.replace(entry, entry.replace("parse the settings", "read the whole settings"))
    path.write_text(edited, encoding="utf-8")
    repo.commit("fix: found in the candidate")
    repo.tag("v1.1.0" if rc.startswith("v") else "1.1.0", annotated=True)  # the final
    _, err = changelog(invoke, repo, code=2)
    assert err.splitlines()[0].startswith(
        "relnotes: error: CHANGELOG.md: the update would drop text written by hand in the "
        "1.1.0rc1 section: '- read the whole settings file ("  # the version, as PEP 440 says it
    )
    assert err.splitlines()[1].startswith("  hint: move that text under a released version")
    assert path.read_text(encoding="utf-8") == edited  # left as it was
    path.write_text(written, encoding="utf-8")  # as relnotes wrote it: folded
    _, err = changelog(invoke, repo)
    assert err == "CHANGELOG.md: added 1.1.0\n"
    text = path.read_text(encoding="utf-8")
    assert rc.removeprefix("v") not in text
    assert text.count("parse the settings file") == 1


def test_an_unreleased_title_that_names_a_released_version_is_a_config_error(
    invoke: Invoke, repo: GitRepo
) -> None:
    repo.write("pyproject.toml", '[tool.relnotes]\nunreleased_version = "1.1.0"\n')
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    repo.commit("feat: second")
    changelog(invoke, repo)
    assert "## 1.1.0" in (repo.path / "CHANGELOG.md").read_text(encoding="utf-8")
    repo.tag("v1.1.0")
    before = (repo.path / "CHANGELOG.md").read_text(encoding="utf-8")
    _, err = changelog(invoke, repo, code=2)
    assert err.splitlines()[0] == (
        "relnotes: error: unreleased_version = '1.1.0' is released now (tag v1.1.0): the "
        "Unreleased section would be titled as that release"
    )
    assert (repo.path / "CHANGELOG.md").read_text(encoding="utf-8") == before


# -- reading odd Markdown -------------------------------------------------------------------

READER = Reader(lambda name: None, "Unreleased")


def kinds(text: str) -> list[tuple[str, str | None]]:
    blocks, _ = READER.blocks(text)
    return [(b.kind, str(b.version) if b.version else None) for b in blocks]


def test_headings_inside_html_comments_are_not_releases() -> None:
    text = "# Changelog\n\n<!--\n## 9.9.9 - 2020-01-01\n-->\n\n## 1.0.0 - 2026-01-01\n\n- x\n"
    assert kinds(text) == [("text", None), ("release", "1.0.0")]


@pytest.mark.parametrize("opener", ["```", "~~~~", "```python", "<!-- a comment that never ends"])
def test_an_unclosed_fence_or_comment_does_not_hide_the_releases(opener: str) -> None:
    text = f"# Changelog\n\n{opener}\n\n## 1.1.0 - 2026-02-01\n\n- y\n\n## 1.0.0\n\n- x\n"
    assert kinds(text) == [("text", None), ("release", "1.1.0"), ("release", "1.0.0")]


def test_a_closed_fence_still_hides_what_is_in_it() -> None:
    text = "# C\n\n````md\n## 9.9.9\n```\n## 8.8.8\n````\n\n## 1.0.0\n"
    assert kinds(text) == [("text", None), ("release", "1.0.0")]


def test_many_unclosed_fences_cost_one_pass() -> None:
    """Each of 20,000 fences of shrinking length never closes: linear, and every release seen."""
    fences = "".join("`" * (3 + (20_000 - i) % 50) + "x\n" for i in range(20_000))
    text = f"# C\n\n{fences}\n## 1.0.0\n"
    assert kinds(text)[-1] == ("release", "1.0.0")


def test_an_unclosed_fence_in_a_file_adds_nothing_twice(invoke: Invoke, repo: GitRepo) -> None:
    released(repo)
    path = repo.path / "CHANGELOG.md"
    path.write_text("# Changelog\n\n```\nan example never closed\n\n", encoding="utf-8")
    changelog(invoke, repo)
    once = path.read_text(encoding="utf-8")
    assert once.count("## 1.0.0 ") == 1
    changelog(invoke, repo)
    assert path.read_text(encoding="utf-8") == once
