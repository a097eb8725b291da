"""Learning a changelog's style: dates, slots, headings, titles and entries, with fallbacks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from packaging.version import Version

from relnotes.changelog import Reader
from relnotes.changelog.learn import Known, _bullet, _heading_safe, learn
from relnotes.changelog.slots import Pattern, find_date, substitute
from relnotes.changelog.style import Bullet, builtin
from relnotes.changelog.titles import title_type
from relnotes.config import DEFAULT_SECTIONS
from relnotes.version import TagFormat
from tests.test_changelog import changelog_of, run
from tests.test_notes import GOLDEN

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo

REPO = "https://github.com/example/proj"
TAGS = ["v0.1.0", "v0.2.0", "v0.3.0", "v1.0.0rc1", "v1.0.0"]


def known(version: str = "0.3.0", previous: str | None = "v0.2.0") -> Known:
    link = f"{REPO}/compare/{previous}...v{version}" if previous else f"{REPO}/commits/v{version}"
    return Known(Version(version), f"v{version}", version, previous, "2026-01-02", link)


@pytest.mark.parametrize(
    ("text", "near", "expected", "rendered"),
    [
        ("## 1.0 (2026-01-02)", None, "2026-01-02", "2026-03-04"),
        ("## 1.0 - 2026-1-2", None, "2026-1-2", "2026-3-4"),
        ("## 1.0 — January 2, 2026", None, "January 2, 2026", "March 4, 2026"),
        ("## 1.0 — 2 January 2026", None, "2 January 2026", "4 March 2026"),
        ("## 1.0 (Jan 02, 2026)", None, "Jan 02, 2026", "Mar 04, 2026"),
        ("## 1.0 - 02.01.2026", None, "02.01.2026", "04.03.2026"),
        ("## 1.0 - 03/04/2026", "2026-04-03", "03/04/2026", "04/03/2026"),  # day first
        ("## 1.0 - 03/04/2026", "2026-03-04", "03/04/2026", "03/04/2026"),  # month first
    ],
)
def test_dates_and_their_format(text: str, near: str | None, expected: str, rendered: str) -> None:
    found = find_date(text, near)
    assert found is not None
    assert found[0] == expected
    assert found[1].render("2026-03-04") == rendered


def test_no_date_is_no_date() -> None:
    assert find_date("## 1.2.3 (codename 2026)") is None
    assert find_date("## 12026-01-02") is None


def test_substitute_takes_the_longest_tag_first() -> None:
    line = "## [1.0.0](https://x/compare/v1.0.0rc1...v1.0.0)"
    values = [("tag", "v1.0.0"), ("previous", "v1.0.0rc1"), ("version", "1.0.0")]
    pattern = substitute(line, values)
    assert pattern.marked() == (
        "## [\x01version\x02](https://x/compare/\x01previous@url\x02...\x01tag@url\x02)"
    )
    assert pattern.render({"tag": "v2.0.0", "previous": "v1.0.0", "version": "2.0.0"}) == (
        "## [2.0.0](https://x/compare/v1.0.0...v2.0.0)"
    )
    assert pattern.render({"tag": "v2.0.0", "version": "2.0.0"}) is None


def test_a_version_inside_a_longer_one_is_not_a_slot() -> None:
    assert substitute("## 1.0.0.1", [("version", "1.0.0")]) == Pattern(("## 1.0.0.1",))
    assert substitute("## 11.0.0", [("version", "1.0.0")]) == Pattern(("## 11.0.0",))
    assert substitute("## v1.0.0", [("version", "1.0.0")]).parts == ("## v", "version", "")


def test_without_a_slot_takes_its_joining_text() -> None:
    assert Pattern(("## ", "version", " (", "date", ")")).without("date").parts == (
        "## ",
        "version",
        "",
    )
    assert Pattern(("## [", "version", "] - ", "date", "")).without("date").parts == (
        "## [",
        "version",
        "]",
    )


@pytest.mark.parametrize(
    ("heading", "safe"),
    [
        ("## [0.3.0](https://github.com/example/proj/compare/v0.2.0...v0.3.0) - 2026-01-02", True),
        ("## v0.3.0 (2026-01-02)", True),
        ("## Release 0.3.0 — January 2, 2026", True),
        ("## What's Changed in v0.3.0", True),
        ("## [0.3.0] - 2026-01-02 [YANKED]", False),  # a word after the version
        ('## 0.3.0 "Hydrogen" (2026-01-02)', False),
        ("## 0.3.0 (2025-12-24)", True),  # another day: still a date
        ("## 0.3.0 and 0.2.1", False),  # a digit of another release
    ],
)
def test_which_headings_can_be_learned(heading: str, safe: bool) -> None:
    from relnotes.changelog.learn import _learn_line

    pattern, _date = _learn_line(heading, known(), REPO, TAGS)
    assert _heading_safe(pattern) is safe


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Feat", "feat"),
        ("🚀 Features", "feat"),
        ("<!-- 0 -->🚀 Features", "feat"),
        ("⛰️  Features", "feat"),
        ("Added", "feat"),
        ("🐛 Bug Fixes", "fix"),
        ("Fixed", "fix"),
        ("Performance Improvements", "perf"),
        ("Code Refactoring", "refactor"),
        ("⚠ BREAKING CHANGES", "breaking"),
        ("BREAKING CHANGE", "breaking"),
        ("Changed", "changed"),
        ("New Contributors", None),
        ("Thanks", None),
    ],
)
def test_section_titles_name_a_type(title: str, kind: str | None) -> None:
    assert title_type(title) == kind


ENTRY: dict[str, Any] = {
    "sha": "9a8d0594b70802b1f1abb5b69cb5c80088cc820e",
    "short_sha": "9a8d059",
    "scope": "config",
    "description": "read pyproject.toml (#12)",
    "header": "feat(config)!: read pyproject.toml (#12)",
    "references": ["#12", "#7"],
    "author": "Ada Lovelace",
}
C = f"{REPO}/commit/{ENTRY['sha']}"


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        # commitizen
        (["- **cli**: exit 2 (#3)", "- tidy"], "- **config**: read pyproject.toml (#12)"),
        # git-cliff default
        (["- *(cli)* Exit 2", "- Tidy (#4)"], "- *(config)* Read pyproject.toml (#12)"),
        # git-cliff's own changelog
        (
            [f"- *(cli)* Exit 2 ([#3]({REPO}/issues/3)) - ([b15db1c]({REPO}/commit/b15db1c))"],
            f"- *(config)* Read pyproject.toml ([#12]({REPO}/issues/12)) "
            f"- ([9a8d059]({REPO}/commit/9a8d059))",
        ),
        # git-changelog
        (
            [f"- exit 2 ([b15db1c]({REPO}/commit/{'b' * 40}) by Ada)."],
            f"- **config:** read pyproject.toml ([#12]({REPO}/issues/12)) "
            f"([9a8d059]({C}) by Ada Lovelace).",
        ),
        # conventional-changelog
        (
            [f"* **cli:** exit 2 ([b15db1c]({REPO}/commit/b15db1c))"],
            f"* **config:** read pyproject.toml ([#12]({REPO}/issues/12)) "
            f"([9a8d059]({REPO}/commit/9a8d059), [#7]({REPO}/issues/7))",
        ),
        # by hand
        (["* Exits with 2 (#3).", "* Tidier."], "* **config:** Read pyproject.toml (#12)."),
        # git-cliff's GitHub template: headers as they are
        (
            ["* fix(cli): exit 2 (#3)", "* feat: more"],
            "* feat(config)!: read pyproject.toml (#12)",
        ),
    ],
)
def test_entries_are_written_as_the_file_writes_them(entries: list[str], expected: str) -> None:
    assert _bullet(entries, Bullet()).render(ENTRY, REPO) == expected


def test_an_entry_shape_nothing_shows_comes_from_the_fallback() -> None:
    fallback = Bullet(scope=("**", "**: "), suffix=False)
    learned = _bullet(["- tidy"], fallback)
    assert learned.scope == ("**", "**: ")
    assert learned.render(ENTRY, None) == f"- **config**: {ENTRY['description']}"
    assert _bullet([], fallback) == fallback


def test_the_built_in_template_is_learned_as_built_in() -> None:
    """A file relnotes wrote is updated by the template itself (no style of its own)."""
    text = (GOLDEN / "changelog-create.md").read_text(encoding="utf-8")
    blocks, footer = Reader(TagFormat("v$version").version_of, "Unreleased").blocks(text)
    releases = [b for b in blocks if b.kind == "release"]
    knowns = [known("0.3.0", "v0.2.0"), known("0.2.0", "v0.1.0"), known("0.1.0", None)]
    unreleased = next(b.text.splitlines()[0] for b in blocks if b.kind == "unreleased")
    for start in range(3):  # whichever release is the newest one in the file
        style = learn(
            [(b.text, k) for b, k in zip(releases[start:], knowns[start:], strict=True)],
            unreleased=unreleased,
            footer=footer,
            repository=REPO,
            tags=TAGS,
            sections=DEFAULT_SECTIONS,
            breaking_title="Breaking changes",
        )
        assert style is not None
        assert style.same_releases(builtin(DEFAULT_SECTIONS, "Breaking changes"))


def test_nothing_to_learn_is_none() -> None:
    style = learn(
        [("## 0.3.0 codename Hydrogen\n\n- x\n", known())],
        unreleased=None,
        footer="",
        repository=REPO,
        tags=TAGS,
        sections=DEFAULT_SECTIONS,
        breaking_title="Breaking changes",
    )
    assert style is None


def test_capitalised_commits_in_a_built_in_file_update_as_a_rebuild(
    invoke: Invoke, repo: GitRepo
) -> None:
    """Entries that all start with a capital are learned as such: the update still reads
    exactly as the built-in template writes it."""
    repo.git("remote", "add", "origin", "git@github.com:example/proj.git")
    repo.commit("feat: Parse settings\n\nRefs: #4")
    repo.commit("fix(cli): Exit 2 on a missing file (#3)")
    repo.tag("v0.1.0")
    run(invoke, repo)
    repo.commit("feat!: Drop the old API\n\nBREAKING CHANGE: Use the new one.")
    repo.commit("perf: Faster (#9)\n\nCloses #10")
    repo.tag("v1.0.0")
    repo.commit("docs: Explain")
    assert_update_is_a_rebuild(invoke, repo)


def assert_update_is_a_rebuild(invoke: Invoke, repo: GitRepo) -> None:
    run(invoke, repo)
    updated = changelog_of(repo)
    run(invoke, repo, "--full")
    assert changelog_of(repo) == updated


@pytest.mark.parametrize("origin", [True, False])
def test_a_built_in_file_whose_newest_release_lists_nothing(
    invoke: Invoke, repo: GitRepo, origin: bool
) -> None:
    """Written by the template, with or without the repository's URL, the newest release
    saying "No user-facing changes.": the update is what a rebuild writes."""
    if origin:
        repo.git("remote", "add", "origin", "git@github.com:example/proj.git")
    repo.commit("feat: parse settings (#4)")
    repo.tag("v0.1.0")
    repo.commit("chore: tidy")
    repo.tag("v0.2.0")
    run(invoke, repo)
    assert "No user-facing changes." in changelog_of(repo)
    repo.commit("fix(cli): exit 2 (#3)\n\nRefs: #5")
    repo.tag("v0.3.0")
    repo.commit("feat: more")
    assert_update_is_a_rebuild(invoke, repo)


def test_patch_releases_keep_their_own_heading_level() -> None:
    """conventional-changelog: ``# [0.3.0]`` for a minor release, ``## [0.2.1]`` for a patch."""
    minor = f"# [0.3.0]({REPO}/compare/v0.2.1...v0.3.0) (2026-01-02)\n\n### Features\n\n* x\n"
    patch = f"## [0.2.1]({REPO}/compare/v0.2.0...v0.2.1) (2026-01-01)\n\n### Bug Fixes\n\n* y\n"
    style = learn(
        [(minor, known("0.3.0", "v0.2.1")), (patch, known("0.2.1", "v0.2.0"))],
        unreleased=None,
        footer="",
        repository=REPO,
        tags=[*TAGS, "v0.2.1"],
        sections=DEFAULT_SECTIONS,
        breaking_title="Breaking changes",
    )
    assert style is not None
    notes: dict[str, Any] = {"breaking_changes": [], "sections": []}
    for version, expected in (("0.4.0", "# [0.4.0]"), ("0.3.1", "## [0.3.1]")):
        link = f"{REPO}/compare/v0.3.0...v{version}"
        values = {"tag": f"v{version}", "previous": "v0.3.0", "version": version, "link": link}
        text = style.release(notes, {**values, "date": "2026-02-03", "repository": REPO})
        assert text.startswith(f"{expected}({REPO}/compare/v0.3.0...v{version}) (2026-02-03)\n")
