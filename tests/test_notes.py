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
    assert text == f"## 1.0.0 (2026-01-01)\n\n### Features\n\n- one (#4) ({sha})\n"


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
    from relnotes.notes import commit_json, commit_view

    repo.commit("feat(x): one\n\nThe body.\n\nRefs: #4\nCo-authored-by: B <b@example.org>")
    (commit,) = History(str(repo.path), load_config(str(repo.path))).unreleased()[1]
    view, full = commit_view(commit), commit_json(commit)
    assert set(view) < set(full)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    text = env.from_string("{{ c.body }}|{{ c.footers[1].value }}|{{ c.author }}").render(c=view)
    assert text == f"The body.|B <b@example.org>|{full['author']}"
    assert {k: v for k, v in full.items() if k in view} == dict(view)
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ c.no_such_field }}").render(c=view)
