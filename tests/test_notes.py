"""Release notes end to end: golden files, links, and preview == publish, byte for byte."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from freezegun import freeze_time

from relnotes.notes import normalize_repo_url

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("RELNOTES_UPDATE_GOLDEN") == "1"
#: What a release whose commits are all by tests.helpers.AUTHOR ends with.
CREDIT = "\n### Contributors\n\n- Ada Lovelace\n"


def golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME (RELNOTES_UPDATE_GOLDEN=1 rewrites it, to be read)."""
    path = GOLDEN / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8", newline="")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("sample") / "sampleproj"
    subprocess.run(
        [sys.executable, str(ROOT / "tests" / "sample_repo.py"), str(dest)],
        check=True,
        capture_output=True,
    )
    return dest


def test_sample_notes_markdown(sample: Path, invoke: Invoke) -> None:
    golden("sample-v0.3.0.md", invoke("-C", str(sample), "notes", "v0.3.0").stdout)
    golden("sample-v0.2.0.md", invoke("-C", str(sample), "notes", "v0.2.0").stdout)
    golden("sample-v0.1.0.md", invoke("-C", str(sample), "notes", "v0.1.0").stdout)


def test_sample_notes_json(sample: Path, invoke: Invoke) -> None:
    text = invoke("-C", str(sample), "notes", "v0.3.0", "--format", "json").stdout
    golden("sample-v0.3.0.json", text)
    data = json.loads(text)
    assert list(data) == [
        "schema",
        "version",
        "tag",
        "previous_tag",
        "date",
        "bump",
        "breaking_changes",
        "sections",
        "links",
        "nonconventional",
        "contributors",
    ]
    assert data["links"] == {
        "repository": "https://github.com/example/sampleproj",
        "pypi": "https://pypi.org/project/sampleproj/0.3.0/",
        "milestones": "https://github.com/example/sampleproj/blob/v0.3.0/MILESTONES.md",
        "compare": "https://github.com/example/sampleproj/compare/v0.2.0...v0.3.0",
    }


def test_revert_in_the_same_release_vanishes(sample: Path, invoke: Invoke) -> None:
    text = invoke("-C", str(sample), "notes", "v0.2.0").stdout
    assert "colour" not in text
    assert "verbose" in text
    log = invoke("-C", str(sample), "log", "v0.1.0..v0.2.0").stdout
    assert "cancelled: reverted by" in log
    assert "Update README.md" in log


@freeze_time("2026-11-25 12:00:00")
def test_sample_preview(sample: Path, invoke: Invoke) -> None:
    result = invoke("-C", str(sample), "preview")
    golden("sample-preview.md", result.stdout)
    assert result.stderr.splitlines()[0] == "next version: 1.0.0, tag v1.0.0 (MAJOR) since v0.3.0"


def test_notes_to_a_file_atomically(sample: Path, invoke: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "notes.md"
    out.write_text("old", encoding="utf-8")
    result = invoke("-C", str(sample), "notes", "v0.3.0", "--output", str(out))
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == invoke("-C", str(sample), "notes", "v0.3.0").stdout
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]


@pytest.mark.parametrize("annotated", [True, False])
def test_preview_equals_publish(repo: GitRepo, invoke: Invoke, annotated: bool) -> None:
    repo.write("pyproject.toml", '[project]\nname = "demo-pkg"\ndynamic = ["version"]\n')
    repo.write("MILESTONES.md", "# Milestones\n")
    repo.git("remote", "add", "origin", "https://github.com/acme/demo.git")
    repo.commit("feat: base")
    repo.tag("v1.4.0", annotated=True)
    repo.branch("topic")
    repo.commit("feat(api)!: new endpoint\n\nBREAKING CHANGE: /v1 is gone\nCloses #31")
    repo.checkout("main")
    repo.commit("fix(cli): exit code (#30)")
    repo.merge("topic", "Merge pull request #32 from acme/topic")
    repo.commit("Quick fix")

    # the tag is made "now": the annotated tag carries that date, the lightweight one the commit's
    tag_epoch = repo.clock
    day = dt.datetime.fromtimestamp(tag_epoch, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    with freeze_time(day):
        preview = invoke("-C", str(repo.path), "preview")
        preview_json = json.loads(
            invoke("-C", str(repo.path), "preview", "--format", "json").stdout
        )
    version = preview_json["version"]
    assert version == "2.0.0"
    tag = preview_json["tag"]
    if annotated:
        repo.git("tag", "-a", tag, "-m", f"Release {tag}", epoch=tag_epoch)
    else:
        repo.tag(tag)
    published = invoke("-C", str(repo.path), "notes", tag)
    assert published.stdout == preview.stdout
    published_json = json.loads(
        invoke("-C", str(repo.path), "notes", tag, "--format", "json").stdout
    )
    assert published_json["bump"] is None
    assert preview_json["bump"] == "MAJOR"
    same = {k: v for k, v in preview_json.items() if k not in ("bump", "warnings")}
    assert same == {k: v for k, v in published_json.items() if k != "bump"}
    assert "https://pypi.org/project/demo-pkg/2.0.0/" in preview.stdout
    assert "https://github.com/acme/demo/blob/v2.0.0/MILESTONES.md" in preview.stdout
    assert "https://github.com/acme/demo/compare/v1.4.0...v2.0.0" in preview.stdout
    assert "/v1 is gone" in preview.stdout
    assert "Quick fix" not in preview.stdout
    assert "not in Conventional Commits form (left out of the notes): " in preview.stderr


def test_milestones_link_only_when_the_file_exists_at_the_tag(
    repo: GitRepo, invoke: Invoke
) -> None:
    repo.git("remote", "add", "origin", "git@github.com:acme/demo.git")
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.write("MILESTONES.md", "# M\n")
    repo.commit("feat: two")
    repo.tag("v1.1.0")
    first = json.loads(invoke("-C", str(repo.path), "notes", "v1.0.0", "--format", "json").stdout)
    second = json.loads(invoke("-C", str(repo.path), "notes", "v1.1.0", "--format", "json").stdout)
    assert first["links"]["milestones"] is None
    assert first["links"]["compare"] is None
    assert first["links"]["pypi"] is None  # no package name anywhere
    assert second["links"]["milestones"] == "https://github.com/acme/demo/blob/v1.1.0/MILESTONES.md"


def test_no_repository_no_links(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: one (#4)")
    repo.tag("v1.0.0")
    text = invoke("-C", str(repo.path), "notes").stdout
    sha = repo.head()[:7]
    assert text == f"## 1.0.0 (2026-01-01)\n\n### Features\n\n- one (#4) ({sha})\n" + CREDIT


def test_other_section_and_hidden_types(repo: GitRepo, invoke: Invoke) -> None:
    repo.write(
        "pyproject.toml",
        '[tool.relnotes]\nother_section = "Other changes"\n'
        'sections = { fix = "Bug fixes", chore = "Chores" }\n',
    )
    repo.commit("feat: hidden now")
    repo.commit("fix: shown")
    repo.commit("chore: shown too")
    repo.commit("Tidy up")
    repo.commit("ci!: drop the old runner")
    repo.tag("v1.0.0")
    text = invoke("-C", str(repo.path), "notes").stdout
    assert "hidden now" not in text
    assert text.index("### Breaking changes") < text.index("### Bug fixes")
    assert text.index("### Bug fixes") < text.index("### Chores") < text.index("### Other changes")
    assert "- Tidy up (" in text
    assert "- drop the old runner (" in text


@pytest.mark.parametrize(
    ("remote", "url"),
    [
        ("git@github.com:acme/demo.git", "https://github.com/acme/demo"),
        ("ssh://git@github.com/acme/demo.git", "https://github.com/acme/demo"),
        (
            "ssh://git@gitlab.example.org:2222/group/sub/demo.git",
            "https://gitlab.example.org/group/sub/demo",
        ),
        ("https://token@github.com/acme/demo.git/", "https://github.com/acme/demo"),
        ("https://github.com/acme/demo", "https://github.com/acme/demo"),
        ("/srv/git/demo.git", None),
        ("", None),
    ],
)
def test_repository_url_forms(remote: str, url: str | None) -> None:
    assert normalize_repo_url(remote) == url


def test_repository_from_project_urls_beats_origin(repo: GitRepo, invoke: Invoke) -> None:
    repo.write(
        "pyproject.toml",
        '[project]\nname = "x"\n[project.urls]\nHomepage = "https://example.org"\n'
        'Source = "https://codeberg.org/acme/x"\n',
    )
    repo.git("remote", "add", "origin", "git@github.com:mirror/x.git")
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    data = json.loads(invoke("-C", str(repo.path), "notes", "--format", "json").stdout)
    assert data["links"]["repository"] == "https://codeberg.org/acme/x"


def test_a_template_reads_the_lazy_fields_as_json_has_them(repo: GitRepo) -> None:
    import jinja2

    from relnotes.config import load_config
    from relnotes.history import History
    from relnotes.notes import commit_entry

    repo.commit("feat(x): one\n\nThe body.\n\nRefs: #4\nCo-authored-by: B <b@example.org>")
    (commit,) = History(str(repo.path), load_config(str(repo.path))).unreleased()[1]
    view, full = commit_entry(commit, lazy=True), commit_entry(commit)
    assert set(view) < set(full)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    text = env.from_string("{{ c.body }}|{{ c.footers[1].value }}|{{ c.author }}").render(c=view)
    assert text == f"The body.|B <b@example.org>|{full['author']}"
    assert {k: v for k, v in full.items() if k in view} == dict(view)
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ c.no_such_field }}").render(c=view)


# -- a commitizen project as it is: cz bump commits, version in files, rc then final --------

DEPENDABOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
CZ_PYPROJECT = """\
[project]
name = "czproj"
version = "{version}"

[project.urls]
Repository = "https://github.com/acme/czproj"

[tool.commitizen]
name = "cz_conventional_commits"
tag_format = "v$version"
version_provider = "pep621"
version_files = ["src/czproj/__init__.py:__version__"]
"""


def cz_bump(repo: GitRepo, old: str, new: str) -> None:
    """What `cz bump` does: write the version into the files, commit, tag (annotated)."""
    repo.write("pyproject.toml", CZ_PYPROJECT.format(version=new))
    repo.write("src/czproj/__init__.py", f'__version__ = "{new}"\n')
    repo.commit(f"bump: version {old} \u2192 {new}")
    repo.tag(f"v{new}", annotated=True, message=f"v{new}")


def cz_project(repo: GitRepo) -> None:
    """A commitizen project: squash merges (one with a CRLF body), a dependabot commit, a
    breaking refactor, `cz bump --prerelease rc`, then the final one commit after the rc."""
    repo.write("pyproject.toml", CZ_PYPROJECT.format(version="0.9.0"))
    repo.write("src/czproj/__init__.py", '__version__ = "0.9.0"\n')
    repo.commit("feat: read the input")
    repo.tag("v0.9.0", annotated=True)
    repo.commit("fix: handle empty input (#2)")
    cz_bump(repo, "0.9.0", "1.0.0")
    repo.commit(
        "feat(api): stream the results (#5)\r\n\r\n* feat: first pass\r\n\r\n"
        "* fix: review comments\r\n\r\nCo-authored-by: Grace Hopper <grace@example.org>\r\n"
    )
    repo.commit(
        "build(deps): bump requests from 2.31.0 to 2.32.0\n\n"
        "Bumps [requests](https://github.com/psf/requests) from 2.31.0 to 2.32.0.\n"
        "- [Release notes](https://github.com/psf/requests/releases)\n\n"
        "---\nupdated-dependencies:\n- dependency-name: requests\n"
        "  dependency-type: direct:production\n  update-type: version-update:semver-minor\n"
        "...\n\nSigned-off-by: dependabot[bot] <support@github.com>\n",
        author=DEPENDABOT,
    )
    repo.commit(
        "refactor(core)!: rename Reader to Source (#7)\n\n"
        "BREAKING CHANGE: `Reader` is now `Source`.\n"
    )
    repo.commit("perf: parse in one pass (#8)")
    cz_bump(repo, "1.0.0", "2.0.0rc0")


def test_commitizen_project_final_after_an_rc_one_commit_before(
    repo: GitRepo, invoke: Invoke
) -> None:
    cz_project(repo)
    path = str(repo.path)
    golden("cz-v2.0.0rc0.md", invoke("-C", path, "notes", "v2.0.0rc0").stdout)
    # HEAD is the rc: the preview proposes its final release, with everything since 1.0.0
    rc_date = dt.datetime.fromtimestamp(repo.clock + 3660, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    with freeze_time(rc_date):
        preview = invoke("-C", path, "preview")
    assert preview.stderr.splitlines()[0] == (
        "next version: 2.0.0, tag v2.0.0 (the final release of v2.0.0rc0) since v1.0.0"
    )
    assert "warning" not in preview.stderr  # the files hold the latest tag's version
    cz_bump(repo, "2.0.0rc0", "2.0.0")
    final = invoke("-C", path, "notes", "v2.0.0").stdout
    golden("cz-v2.0.0.md", final)
    assert final == preview.stdout  # what was previewed is what gets published
    assert "No user-facing changes" not in final
    assert "bump: version" not in final
    assert "requests" not in final
    data = json.loads(invoke("-C", path, "notes", "v2.0.0", "--format", "json").stdout)
    assert data["previous_tag"] == "v1.0.0"
    assert data["links"]["compare"] == "https://github.com/acme/czproj/compare/v1.0.0...v2.0.0"
    assert data["nonconventional"] == []
    log = invoke("-C", path, "log", "v1.0.0..v2.0.0").stdout
    assert log.count("-> -: commitizen bump commit: not listed") == 2


def test_bump_commits_in_yaml_configuration(repo: GitRepo, invoke: Invoke) -> None:
    repo.write("pyproject.toml", '[tool.relnotes]\nother_section = "Other"\n')
    repo.commit("feat: one")
    repo.commit("release 1.0.0 [skip ci]")
    repo.tag("v1.0.0")
    text = invoke("-C", str(repo.path), "notes").stdout
    assert "- release 1.0.0 [skip ci] (" in text  # no commitizen configuration: a commit
    for name in (".cz.yaml", "cz.yaml"):
        repo.write(
            name,
            "commitizen:\n  name: cz_conventional_commits\n"
            '  bump_message: "release $new_version [skip ci]\\n\\nBy the release job."\n',
        )
        result = invoke("-C", str(repo.path), "preview", "--increment", "PATCH")
        assert "release 1.0.0" not in result.stdout
        assert "### Other" not in result.stdout
        assert "not in Conventional Commits form" not in result.stderr
        repo.git("rm", "-q", "--cached", name)
        (repo.path / name).unlink()


@pytest.mark.parametrize(
    ("files", "warning"),
    [
        ({}, None),
        (
            {"pyproject.toml": CZ_PYPROJECT.format(version="1.0.0")},
            "warning: pyproject.toml project.version holds version 1.0.0 but the latest tag "
            "v1.1.0 is 1.1.0: the version in files and the tags disagree",
        ),
        (
            {"src/czproj/__init__.py": '__version__ = "1.0.0"\n'},
            "warning: src/czproj/__init__.py (version_files) holds version 1.0.0 but the latest "
            "tag v1.1.0 is 1.1.0: the version in files and the tags disagree",
        ),
    ],
    ids=["agree", "pyproject", "version_files"],
)
def test_preview_checks_the_version_in_files(
    repo: GitRepo, invoke: Invoke, files: dict[str, str], warning: str | None
) -> None:
    repo.write("pyproject.toml", CZ_PYPROJECT.format(version="1.0.0"))
    repo.write("src/czproj/__init__.py", '__version__ = "1.0.0"\n')
    repo.commit("feat: one")
    cz_bump(repo, "1.0.0", "1.1.0")
    repo.commit("fix: two")
    for name, text in files.items():
        repo.write(name, text)
        repo.commit(f"chore: edit {name}")
    stderr = invoke("-C", str(repo.path), "preview").stderr
    warnings = [line for line in stderr.splitlines() if line.startswith("warning:")]
    assert warnings == ([warning] if warning else [])
    assert "hatch-vcs" not in stderr


def test_version_kept_in_cz_toml_by_the_commitizen_provider(repo: GitRepo, invoke: Invoke) -> None:
    settings = '[tool.commitizen]\nversion = "{}"\nversion_files = ["VERSION"]\n'
    repo.write(".cz.toml", settings.format("1.1.0"))
    repo.write("VERSION", "1.1.0\n")
    repo.commit("feat: one")
    repo.tag("1.1.0")  # commitizen's default tag_format: "$version"
    repo.commit("fix: two")
    result = invoke("-C", str(repo.path), "preview")
    assert result.stderr.splitlines() == ["next version: 1.1.1, tag 1.1.1 (PATCH) since 1.1.0", ""]
    repo.write(".cz.toml", settings.format("1.0.0"))
    repo.write("VERSION", "1.0.0\n")
    repo.commit("chore: edit by hand")
    assert invoke("-C", str(repo.path), "preview").stderr.splitlines()[1:3] == [
        "warning: version in .cz.toml holds version 1.0.0 but the latest tag 1.1.0 is 1.1.0: "
        "the version in files and the tags disagree",
        "warning: VERSION (version_files) holds version 1.0.0 but the latest tag 1.1.0 is "
        "1.1.0: the version in files and the tags disagree",
    ]


def test_a_static_version_without_commitizen_still_asks_for_hatch_vcs(
    repo: GitRepo, invoke: Invoke
) -> None:
    repo.write("pyproject.toml", '[project]\nname = "x"\nversion = "1.0.0"\n')
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.commit("fix: two")
    stderr = invoke("-C", str(repo.path), "preview").stderr
    assert "pyproject.toml says version = '1.0.0' but the tag would be v1.0.1" in stderr


# -- every bump has its reason in the body --------------------------------------------------


def test_refactor_has_a_section_by_default(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    refactor = repo.commit("refactor(core): split the reader")
    repo.commit("chore: tidy")
    result = invoke("-C", str(repo.path), "preview", "--date", "2026-02-01")
    assert result.stdout == (
        "## 1.0.1 (2026-02-01)\n\n### Refactoring\n\n"
        f"- **core:** split the reader ({refactor[:7]})\n" + CREDIT
    )


def test_a_bump_whose_commits_are_hidden_never_says_no_user_facing_changes(
    repo: GitRepo, invoke: Invoke
) -> None:
    repo.write("pyproject.toml", '[tool.relnotes]\nsections = { feat = "Features" }\n')
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.commit("fix: a hidden fix")
    repo.commit("refactor: a hidden refactor")
    result = invoke("-C", str(repo.path), "preview", "--date", "2026-02-01")
    assert result.stdout == (
        "## 1.0.1 (2026-02-01)\n\n"
        "The changes in this release are of types these notes do not list.\n" + CREDIT
    )
    short = repo.head()[:7]
    assert result.stderr.splitlines()[1] == (
        "warning: the notes list none of the commits that decide the PATCH bump "
        f'({short} "refactor: a hidden refactor" and 1 more): types fix, refactor are not in '
        "sections (add to sections what should show why this release is made)"
    )
    repo.tag("v1.0.1")
    assert invoke("-C", str(repo.path), "notes").stdout == result.stdout.replace(
        "2026-02-01", "2026-01-01"
    )


def test_no_user_facing_changes_only_when_nothing_bumps(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.commit("chore: tidy")
    result = invoke("-C", str(repo.path), "preview", "--increment", "PATCH", "--date", "2026-02-01")
    assert result.stdout == "## 1.0.1 (2026-02-01)\n\nNo user-facing changes.\n" + CREDIT
    assert "warning" not in result.stderr


# -- pre-releases: the final release's body -------------------------------------------------


def test_final_release_notes_after_several_rcs(repo: GitRepo, invoke: Invoke) -> None:
    repo.git("remote", "add", "origin", "https://github.com/acme/demo.git")
    repo.commit("feat: base")
    repo.tag("v1.4.0", annotated=True)
    repo.commit("feat(api)!: new endpoint\n\nBREAKING CHANGE: /v1 is gone")
    repo.tag("v2.0.0-rc.1", annotated=True)
    repo.commit("fix(api): a bug found in rc.1 (#40)")
    repo.tag("v2.0.0-rc.2", annotated=True)
    repo.commit("docs: the migration guide")
    repo.tag("v2.0.0", annotated=True)
    final = invoke("-C", str(repo.path), "notes", "v2.0.0").stdout
    golden("final-after-rcs.md", final)
    rc2 = invoke("-C", str(repo.path), "notes", "v2.0.0-rc.2").stdout
    assert "new endpoint" not in rc2
    assert "compare/v2.0.0-rc.1...v2.0.0-rc.2" in rc2
