"""relnotes changelog: create, update in place, keep hand edits, never duplicate, fail safely."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.version import Version

from relnotes.changelog import MARKER, Block, Objects, Reader, join
from relnotes.changelog.blocks import chunks
from relnotes.models import Release
from tests.helpers import LogReads
from tests.test_notes import golden

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo

ORIGIN = "git@github.com:example/proj.git"


def build(repo: GitRepo) -> GitRepo:
    """Three releases (the third tagged on a merge commit) and unreleased work."""
    repo.git("remote", "add", "origin", ORIGIN)
    repo.commit("feat: parse settings files")
    repo.commit("fix(parser): accept empty tables (#3)")
    repo.commit("chore: tidy")
    repo.tag("v0.1.0", annotated=True)
    repo.commit("feat(cli): add --verbose\n\nRefs: #7")
    repo.commit("Update README.md")
    repo.tag("v0.2.0")
    repo.branch("feature/plugins")
    repo.commit("feat(plugins): load plugins from entry points")
    repo.checkout("main")
    repo.commit("fix(cli): exit 2 on a missing file")
    repo.merge("feature/plugins", "Merge pull request #15 from ada/feature/plugins")
    repo.tag("v0.3.0", annotated=True)
    repo.commit("feat(config)!: read pyproject.toml\n\nBREAKING CHANGE: move your settings.")
    return repo


@pytest.fixture
def project(repo: GitRepo) -> GitRepo:
    return build(repo)


def changelog_of(repo: GitRepo) -> str:
    return (repo.path / "CHANGELOG.md").read_text(encoding="utf-8")


def run(invoke: Invoke, repo: GitRepo, *args: str, code: int = 0) -> tuple[str, str]:
    result = invoke("-C", str(repo.path), "changelog", *args, code=code)
    return result.stdout, result.stderr


def release_2(repo: GitRepo) -> None:
    """A new release, v1.0.0, then one more unreleased commit."""
    repo.commit("fix: read the right file")
    repo.tag("v1.0.0", annotated=True)
    repo.commit("perf: cache the settings")


# -- creating -------------------------------------------------------------------------------


def test_create_from_the_whole_history(invoke: Invoke, project: GitRepo) -> None:
    _, err = run(invoke, project)
    assert err == "CHANGELOG.md: write 3 releases\n"
    text = changelog_of(project)
    golden("changelog-create.md", text)
    # the release tagged on a merge commit takes in the merged branch
    v030 = text.split("## [0.3.0]")[1].split("\n## ")[0]
    assert "load plugins from entry points" in v030
    assert "exit 2 on a missing file" in v030


def test_second_run_changes_nothing(invoke: Invoke, project: GitRepo) -> None:
    run(invoke, project)
    path = project.path / "CHANGELOG.md"
    before = path.read_bytes()
    os.utime(path, (1, 1))
    _, err = run(invoke, project)
    assert err == "CHANGELOG.md is up to date\n"
    assert path.read_bytes() == before
    assert path.stat().st_mtime == 1  # not even rewritten


def test_without_repository_url_or_unreleased(invoke: Invoke, repo: GitRepo) -> None:
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    repo.commit("docs: explain")
    run(invoke, repo, "--no-unreleased")
    text = changelog_of(repo)
    assert "## 1.0.0 - 2026-01-01\n\n### Features\n\n- first (" in text
    assert "Unreleased" not in text


def test_a_release_with_nothing_to_list(invoke: Invoke, repo: GitRepo) -> None:
    repo.commit("chore: one")
    repo.tag("v0.1.0")
    run(invoke, repo)
    assert changelog_of(repo).endswith(
        "## 0.1.0 - 2026-01-01\n\nNo user-facing changes.\n\n### Contributors\n\n- Ada Lovelace\n"
    )


def test_a_release_that_bumps_for_hidden_types_never_says_no_changes(
    invoke: Invoke, repo: GitRepo
) -> None:
    repo.write(
        "pyproject.toml",
        '[tool.relnotes]\nsections = { docs = "Documentation" }\ncontributors = false\n',
    )
    repo.commit("feat: a feature these notes hide")
    repo.tag("v0.1.0")
    run(invoke, repo)
    assert changelog_of(repo).endswith(
        "## 0.1.0 - 2026-01-01\n\n"
        "The changes in this release are of types these notes do not list.\n"
    )
    # a file in another tool's style says the same
    (repo.path / "CHANGELOG.md").write_text(
        "## v0.1.0 (2026-01-01)\n\n### Feat\n\n- hidden\n", encoding="utf-8"
    )
    repo.commit("fix: another hidden one")
    repo.tag("v0.1.1")
    run(invoke, repo)
    assert changelog_of(repo).startswith(
        "## v0.1.1 (2026-01-01)\n\n"
        "The changes in this release are of types these notes do not list.\n"
    )


# -- updating -------------------------------------------------------------------------------


def test_update_inserts_new_releases_below_the_marker(invoke: Invoke, project: GitRepo) -> None:
    run(invoke, project)
    before = changelog_of(project)
    release_2(project)
    _, err = run(invoke, project)
    assert err == "CHANGELOG.md: added 1.0.0\n"
    after = changelog_of(project)
    golden("changelog-update.md", after)
    # the released sections are the same bytes, at the end of the file
    released = before[before.index("## [0.3.0]") :]
    assert after.endswith(released)
    assert after.count("## [Unreleased]") == 1
    assert after.index(MARKER) < after.index("## [Unreleased]") < after.index("## [1.0.0]")


def test_hand_edits_survive_an_update(invoke: Invoke, project: GitRepo) -> None:
    run(invoke, project)
    path = project.path / "CHANGELOG.md"
    edited = changelog_of(project).replace(
        "### Features\n\n- **cli:** add --verbose",
        "Thanks to all who tested this release!\n\n### Features\n\n- **cli:** add --verbose",
    )
    edited = edited.replace("# Changelog\n", "# Changelog of proj\n\nHand-written intro.\n")
    path.write_text(edited, encoding="utf-8")
    release_2(project)
    run(invoke, project)
    after = changelog_of(project)
    assert "Thanks to all who tested this release!\n" in after
    assert after.startswith("# Changelog of proj\n\nHand-written intro.\n")
    assert "## [1.0.0]" in after


def test_full_rebuild_replaces_hand_edits_and_says_so(invoke: Invoke, project: GitRepo) -> None:
    run(invoke, project)
    path = project.path / "CHANGELOG.md"
    fresh = changelog_of(project)
    path.write_text(fresh.replace("add --verbose", "add --verbose (edited)"), encoding="utf-8")
    _, err = run(invoke, project, "--check", "--full", code=1)
    assert err.startswith("relnotes: error: CHANGELOG.md differs from a full rebuild\n")
    _, err = run(invoke, project, "--full")
    assert err == (
        "CHANGELOG.md: rebuilt in full (hand edits of released sections were replaced)\n"
    )
    assert changelog_of(project) == fresh


def test_changelog_incremental_false_rebuilds(invoke: Invoke, project: GitRepo) -> None:
    (project.path / ".cz.toml").write_text(
        "[tool.commitizen]\nchangelog_incremental = false\n", encoding="utf-8"
    )
    run(invoke, project)
    path = project.path / "CHANGELOG.md"
    path.write_text(changelog_of(project).replace("add --verbose", "edited"), encoding="utf-8")
    _, err = run(invoke, project)
    assert "rebuilt in full" in err
    assert "edited" not in changelog_of(project)
    run(invoke, project, "--incremental")  # the flag wins over the configuration


def test_unreleased_section_is_replaced_never_duplicated(invoke: Invoke, project: GitRepo) -> None:
    run(invoke, project)
    assert changelog_of(project).count("Unreleased") == 1
    project.tag("v1.0.0")  # the unreleased commit is released now: no Unreleased section
    run(invoke, project)
    text = changelog_of(project)
    assert "Unreleased" not in text
    assert text.count("## [1.0.0]") == 1
    project.commit("fix: later")
    run(invoke, project)
    text = changelog_of(project)
    assert text.count("## [Unreleased]") == 1
    assert text.index("## [Unreleased]") < text.index("## [1.0.0]")


def test_no_unreleased_leaves_the_section_as_it_is(invoke: Invoke, project: GitRepo) -> None:
    run(invoke, project)
    project.commit("fix: not yet in the file")
    project.tag("v1.0.0")
    project.commit("feat: after the tag")
    run(invoke, project, "--no-unreleased")
    text = changelog_of(project)
    assert "after the tag" not in text
    assert "read pyproject.toml" in text.split("## [Unreleased]")[1].split("## [1.0.0]")[0]
    assert text.index("## [Unreleased]") < text.index("## [1.0.0]") < text.index("## [0.3.0]")


def test_a_missing_release_in_the_middle_is_put_back_in_order(
    invoke: Invoke, project: GitRepo
) -> None:
    run(invoke, project)
    full = changelog_of(project)
    start, end = full.index("## [0.2.0]"), full.index("## [0.1.0]")
    path = project.path / "CHANGELOG.md"
    path.write_text(full[:start] + full[end:], encoding="utf-8")
    _, err = run(invoke, project)
    assert err == "CHANGELOG.md: added 0.2.0\n"
    assert changelog_of(project) == full


def test_releases_older_than_the_file_are_not_added(invoke: Invoke, project: GitRepo) -> None:
    run(invoke, project)
    full = changelog_of(project)
    path = project.path / "CHANGELOG.md"
    path.write_text(full[: full.index("## [0.2.0]")].rstrip("\n") + "\n", encoding="utf-8")
    _, err = run(invoke, project)
    assert err == "CHANGELOG.md is up to date\n"


def test_an_update_reads_only_the_new_commits(
    invoke: Invoke, project: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(invoke, project)
    release_2(project)
    reads = LogReads(monkeypatch)
    run(invoke, project)
    assert sorted(reads.headers) == [
        "feat(config)!: read pyproject.toml",
        "fix: read the right file",
        "perf: cache the settings",
    ]
    assert reads.authors == ["Ada Lovelace"]  # found at once: the log stopped there


def test_start_rev_and_titles_from_commitizen_config(invoke: Invoke, project: GitRepo) -> None:
    (project.path / ".cz.toml").write_text(
        '[tool.commitizen]\nchangelog_file = "docs/CHANGES.md"\nchangelog_start_rev = "v0.2.0"\n'
        'unreleased_version = "Next"\n',
        encoding="utf-8",
    )
    (project.path / "docs").mkdir()
    (project.path / "pyproject.toml").write_text(
        '[tool.relnotes]\nunreleased_version = "Coming soon"\n', encoding="utf-8"
    )
    _, err = run(invoke, project)
    assert err == "docs/CHANGES.md: write 2 releases\n"
    text = (project.path / "docs" / "CHANGES.md").read_text(encoding="utf-8")
    assert "## [Coming soon](" in text
    assert "## [0.2.0]" in text
    assert "## [0.1.0]" not in text


# -- files written by other tools, or by hand (see also test_changelog_styles.py) ----------

KEEP_A_CHANGELOG = """\
# Changelog
All notable changes to this project will be documented in this file.

## [Unreleased]
### Added
- Something by hand.

## [0.3.0] - 2026-01-01
### Added
- Plugins.

```
## 9.9.9 is not a heading inside a code block
```

## [0.2.0] - 2026-01-01
### Added
- Verbose output.

[unreleased]: https://github.com/example/proj/compare/v0.3.0...HEAD
[0.3.0]: https://github.com/example/proj/compare/v0.2.0...v0.3.0
[0.2.0]: https://github.com/example/proj/compare/v0.1.0...v0.2.0
"""


def test_crlf_line_endings_are_kept(invoke: Invoke, project: GitRepo) -> None:
    path = project.path / "CHANGELOG.md"
    path.write_bytes(b"# Changes\r\n\r\n## v0.3.0 (2026-01-01)\r\n\r\n- plugins\r\n")
    release_2(project)
    run(invoke, project)
    data = path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")
    assert data.endswith(b"## v0.3.0 (2026-01-01)\r\n\r\n- plugins\r\n")


# -- checking and previewing ----------------------------------------------------------------


def test_check_names_the_missing_releases(invoke: Invoke, project: GitRepo) -> None:
    _, err = run(invoke, project, "--check", code=1)
    assert err.startswith("relnotes: error: CHANGELOG.md does not exist\n")
    run(invoke, project)
    run(invoke, project, "--check")
    release_2(project)
    project.tag("v1.1.0")
    _, err = run(invoke, project, "--check", code=1)
    assert err == (
        "relnotes: error: CHANGELOG.md is out of date: 2 releases missing (1.1.0, 1.0.0)\n"
        "  hint: run `relnotes changelog` (CHANGELOG.md)\n"
    )
    assert "1.0.0" not in changelog_of(project)  # --check writes nothing


def test_check_without_unreleased_ignores_new_commits(invoke: Invoke, project: GitRepo) -> None:
    run(invoke, project)
    project.commit("feat: made after the changelog")
    _, err = run(invoke, project, "--check", code=1)
    assert "the Unreleased section differs" in err
    _, err = run(invoke, project, "--check", "--no-unreleased")
    assert err == "CHANGELOG.md is up to date\n"


def test_check_of_a_current_file_renders_nothing(invoke: Invoke, project: GitRepo) -> None:
    """A current file is compared with what is missing before anything is rendered: the
    writer, the file's style and Jinja2 are never imported (CI runs this on every push)."""
    run(invoke, project)
    probe = (
        "import sys; from relnotes.__main__ import main; "
        "sys.argv = ['relnotes', 'changelog', '--check', '--no-unreleased']; code = main(); "
        "print(code, sorted(m for m in sys.modules "
        "if m.split('.')[0] == 'jinja2' or m == 'relnotes.changelog.writer'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=project.path, check=True
    )
    assert done.stdout == "0 []\n"
    assert done.stderr == "CHANGELOG.md is up to date\n"


def test_dry_run_prints_the_diff_and_writes_nothing(invoke: Invoke, project: GitRepo) -> None:
    run(invoke, project)
    before = changelog_of(project)
    release_2(project)
    out, err = run(invoke, project, "--dry-run")
    assert err == "CHANGELOG.md: would add 1.0.0\n"
    assert out.startswith("--- a/CHANGELOG.md\n+++ b/CHANGELOG.md\n")
    assert "+## [1.0.0](https://github.com/example/proj/compare/v0.3.0...v1.0.0) - " in out
    assert changelog_of(project) == before


# -- failing safely -------------------------------------------------------------------------


def failing_template(repo: GitRepo, after: int) -> None:
    """A changelog template of the project's own that fails after ``after`` releases."""
    (repo.path / "tpl").mkdir()
    (repo.path / "tpl" / "changelog.md.jinja").write_text(
        "{% for r in releases %}## {{ r.title }}\n"
        f"{{{{ r.no_such_key if loop.index > {after} }}}}\n"
        "{% endfor %}",
        encoding="utf-8",
    )
    (repo.path / "pyproject.toml").write_text(
        '[tool.relnotes]\ntemplate_dir = "tpl"\n', encoding="utf-8"
    )


def test_a_template_failing_mid_render_leaves_the_file(invoke: Invoke, project: GitRepo) -> None:
    run(invoke, project)
    path = project.path / "CHANGELOG.md"
    before = path.read_bytes()
    failing_template(project, after=1)
    release_2(project)
    _, err = run(invoke, project, code=2)
    assert err.startswith("relnotes: error: template changelog.md.jinja: ")
    assert path.read_bytes() == before
    assert sorted(os.listdir(project.path)) == [".git", "CHANGELOG.md", "pyproject.toml", "tpl"]


def test_a_new_file_whose_template_fails_while_written_is_not_made(
    invoke: Invoke, project: GitRepo
) -> None:
    """A new file is written as it is rendered: an error met late leaves nothing behind."""
    failing_template(project, after=2)
    _, err = run(invoke, project, code=2)
    assert err.startswith("relnotes: error: template changelog.md.jinja: ")
    assert sorted(os.listdir(project.path)) == [".git", "pyproject.toml", "tpl"]


def test_a_write_failing_midway_leaves_the_file(
    invoke: Invoke, project: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(invoke, project)
    path = project.path / "CHANGELOG.md"
    before = path.read_bytes()
    release_2(project)

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    _, err = run(invoke, project, code=2)
    assert "CHANGELOG.md: No space left on device\n" in err
    assert path.read_bytes() == before
    assert sorted(os.listdir(project.path)) == [".git", "CHANGELOG.md"]


def test_a_file_that_is_not_utf8_is_an_error(invoke: Invoke, project: GitRepo) -> None:
    (project.path / "CHANGELOG.md").write_bytes(b"# Changes\n\n\xff\xfe\n")
    _, err = run(invoke, project, code=2)
    assert "CHANGELOG.md is not UTF-8 text" in err


# -- reading a file into blocks -------------------------------------------------------------


def reader() -> Reader:
    from relnotes.version import TagFormat

    return Reader(TagFormat("v$version").version_of, "Unreleased")


@pytest.mark.parametrize(
    ("heading", "kind", "version"),
    [
        ("[1.2.0](https://x/compare/v1.1.0...v1.2.0) - 2026-01-02", "release", "1.2.0"),
        ("v1.2.0 (2026-01-02)", "release", "1.2.0"),
        ("1.2.0rc1 (2026-01-02)", "release", "1.2.0rc1"),
        ("[1.2.0] - 2026-01-02 [YANKED]", "release", "1.2.0"),
        ("[Unreleased]", "unreleased", None),
        ("unreleased", "unreleased", None),
        ("Unreleased (2026-01-02)", "unreleased", None),
        ("Features", None, None),
        ("2024", None, None),
        ("Version 1.2.0", None, None),
    ],
)
def test_headings(heading: str, kind: str | None, version: str | None) -> None:
    found = reader().heading(heading)
    if kind is None:
        assert found is None
    else:
        assert found == (kind, Version(version) if version else None)


def test_blocks_round_trip_and_footer() -> None:
    blocks, footer = reader().blocks(KEEP_A_CHANGELOG)
    assert [(b.kind, str(b.version) if b.version else None) for b in blocks] == [
        ("text", None),
        ("unreleased", None),
        ("release", "0.3.0"),
        ("release", "0.2.0"),
    ]
    assert footer.startswith("[unreleased]: ")
    assert join(blocks, footer) == KEEP_A_CHANGELOG


def test_only_headings_at_the_release_level_split_blocks() -> None:
    text = "# Log\n\n## 1.1.0\n\n### 1.0.1 was broken\n\n## 1.0.0\n\n- x\n"
    blocks, footer = reader().blocks(text)
    assert [b.kind for b in blocks] == ["text", "release", "release"]
    assert blocks[1].text == "## 1.1.0\n\n### 1.0.1 was broken\n\n"
    assert footer == ""


def test_join_puts_blank_lines_around_new_blocks_only() -> None:
    kept = Block("text", "# Log\n")
    marker = Block("marker", MARKER + "\n")
    new = Block("release", "## 2.0.0\n", generated=True)
    old = Block("release", "## 1.0.0\n- x")
    assert join([kept, marker, new, old]) == f"# Log\n{MARKER}\n## 2.0.0\n\n## 1.0.0\n- x"
    assert join([old, new]) == "## 1.0.0\n- x\n\n## 2.0.0\n"
    assert join([kept, new], "[x]: y\n") == "# Log\n\n## 2.0.0\n\n[x]: y\n"


def test_help_says_what_it_does(invoke: Invoke) -> None:
    out = invoke("changelog", "--help").stdout
    assert "Create CHANGELOG.md from the whole history, or update it in place." in out
    for option in ("--dry-run", "--check", "--no-unreleased", "--full", "--file"):
        assert option in out


def test_release_objects_are_built_as_the_template_reaches_them() -> None:
    built: list[str | None] = []

    def build(release: Release) -> dict[str, Any]:
        built.append(release.version)
        return {"version": release.version}

    releases = [Release(v, f"v{v}", None, None) for v in ("2.0.0", "1.0.0")]
    objects = Objects({"version": None}, releases, build)
    assert len(objects) == 3
    assert built == []
    assert [o["version"] for o in objects] == [None, "2.0.0", "1.0.0"]
    assert objects[0] == {"version": None}
    assert objects[-1] == {"version": "1.0.0"}
    assert objects[1:] == [{"version": "2.0.0"}, {"version": "1.0.0"}]
    assert len(Objects(None, releases, build)) == 2
    assert Objects(None, releases, build)[0] == {"version": "2.0.0"}


def test_merged_prereleases_fold_into_the_final_release(invoke: Invoke, repo: GitRepo) -> None:
    (repo.path / ".cz.toml").write_text(
        "[tool.commitizen]\nchangelog_merge_prerelease = true\n", encoding="utf-8"
    )
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    repo.commit("feat: in the release candidate")
    repo.tag("v1.1.0rc1")
    repo.commit("fix: after the release candidate")
    repo.tag("v1.1.0")
    run(invoke, repo)
    text = changelog_of(repo)
    assert "rc1" not in text
    v110 = text.split("## 1.1.0 - ")[1].split("\n## ")[0]
    assert "in the release candidate" in v110
    assert "after the release candidate" in v110


@given(st.lists(st.text(alphabet="\nab#"), max_size=6), st.sampled_from(["\n", "\r\n"]))
def test_blocks_in_pieces_join_as_their_text(texts: list[str], newline: str) -> None:
    """A block made in pieces as the file is written joins as the same text would."""
    kinds = ("text", "marker", "release")
    whole = [Block(kinds[i % 3], t, generated=i % 2 == 1) for i, t in enumerate(texts)]
    split = [
        Block(b.kind, "", generated=b.generated, pieces=[b.text[:2], "", b.text[2:]])
        if b.generated
        else b
        for b in whole
    ]
    assert "".join(chunks(split, "[a]: b\n", newline)) == join(whole, "[a]: b\n", newline)


@given(st.lists(st.text(alphabet="\nab")))
def test_a_template_text_trimmed_in_pieces_is_trimmed_whole(pieces: list[str]) -> None:
    from relnotes.changelog.writer import _trimmed

    assert "".join(_trimmed(pieces)) == "".join(pieces).strip("\n") + "\n"


@given(st.text())
def test_the_filters_fast_paths_change_nothing(text: str) -> None:
    """unwrap and link_refs return early on most changelog entries: the same result."""
    from relnotes.markdown import _REFERENCE_RE, link_refs, unwrap

    assert unwrap(text) == " ".join(line.strip() for line in text.splitlines() if line.strip())
    repository = "https://x/y"
    slow = _REFERENCE_RE.sub(lambda m: f"[#{m[1]}]({repository}/issues/{m[1]})", text)
    assert link_refs(text, repository) == slow


# -- found in review -------------------------------------------------------------------------


def test_a_prose_heading_that_starts_with_a_number_is_not_a_release(
    invoke: Invoke, project: GitRepo
) -> None:
    run(invoke, project)
    path = project.path / "CHANGELOG.md"
    text = changelog_of(project).replace(
        "## [0.3.0]", "## 1.0 migration guide (coming soon)\n\nRead this first.\n\n## [0.3.0]", 1
    )
    path.write_text(text, encoding="utf-8")
    project.commit("feat!: big")
    project.tag("v1.0.0")
    _, err = run(invoke, project)
    assert "1.0.0" in err
    updated = changelog_of(project)
    assert "## [1.0.0]" in updated
    assert "## 1.0 migration guide (coming soon)\n\nRead this first.\n" in updated


def test_a_byte_order_mark_is_kept_and_read_past(invoke: Invoke, project: GitRepo) -> None:
    run(invoke, project)
    path = project.path / "CHANGELOG.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    release_2(project)
    run(invoke, project)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# Changelog")
    assert data.count(b"## [Unreleased]") == 1
    assert data.count(b"## [1.0.0]") == 1


def test_a_marker_line_with_a_wide_space_is_cut_where_it_ends(
    invoke: Invoke, project: GitRepo
) -> None:
    run(invoke, project)
    path = project.path / "CHANGELOG.md"
    marker = MARKER.encode()
    for space in ("\u00a0", "\u2003"):  # 2 and 3 bytes in UTF-8
        path.write_bytes(path.read_bytes().replace(marker, marker + space.encode(), 1))
        before = path.read_bytes()
        run(invoke, project, "--check")
        run(invoke, project)
        assert path.read_bytes() == before
        path.write_bytes(before.replace(marker + space.encode(), marker))


def test_merged_prereleases_update_as_a_full_rebuild_writes_them(
    invoke: Invoke, repo: GitRepo
) -> None:
    repo.write("pyproject.toml", "[tool.relnotes]\nchangelog_merge_prerelease = true\n")
    repo.commit("feat: a")
    repo.tag("v0.1.0")
    repo.commit("feat: b")
    repo.tag("v0.2.0rc1")
    run(invoke, repo)
    assert "## 0.2.0rc1 - " in changelog_of(repo)
    repo.commit("fix: c")
    repo.tag("v0.2.0")
    run(invoke, repo)
    updated = changelog_of(repo)
    assert "0.2.0rc1" not in updated
    section = updated.split("## 0.2.0 - ", 1)[1].split("## 0.1.0", 1)[0]
    assert "- b (" in section
    assert "- c (" in section
    full = repo.path / "FULL.md"
    invoke("-C", str(repo.path), "changelog", "--full", "--file", str(full))
    assert full.read_text(encoding="utf-8") == updated


def test_not_a_regular_file_or_an_empty_name(invoke: Invoke, project: GitRepo) -> None:
    fifo = project.path / "pipe.md"
    os.mkfifo(fifo)
    _, err = run(invoke, project, "--file", str(fifo), code=2)
    assert "it is not a regular file" in err
    _, err = run(invoke, project, "--file", str(project.path), code=2)
    assert "it is a folder" in err
    _, err = run(invoke, project, "--file", "", code=2)
    assert "--file is empty" in err


def test_a_symlinked_changelog_is_written_through(invoke: Invoke, project: GitRepo) -> None:
    docs = project.path / "docs"
    docs.mkdir()
    run(invoke, project, "--file", str(docs / "CHANGELOG.md"))
    (project.path / "CHANGELOG.md").symlink_to(docs / "CHANGELOG.md")
    release_2(project)
    run(invoke, project)
    assert (project.path / "CHANGELOG.md").is_symlink()
    assert "## [1.0.0]" in (docs / "CHANGELOG.md").read_text(encoding="utf-8")
    mode = (docs / "CHANGELOG.md").stat().st_mode & 0o777
    assert mode == 0o666 & ~_umask()


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
