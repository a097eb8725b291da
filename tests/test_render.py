"""Templates a repository names: inside the repository, rendered in Jinja2's sandbox."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo

OUTSIDE_HINT = "  hint: templates named by the configuration must be files inside the repository"


def project(repo: GitRepo, relnotes: str) -> GitRepo:
    repo.write("pyproject.toml", f'[project]\nname = "widget"\n\n[tool.relnotes]\n{relnotes}\n')
    repo.commit("feat: first")
    repo.tag("v0.1.0", annotated=True)
    return repo


def outside_file(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret is {{ 6 * 7 }}\n", encoding="utf-8")
    return secret


@pytest.mark.parametrize(
    ("setting", "what"),
    [
        ('notes_template = "../secret.txt"', "notes_template '../secret.txt'"),
        ('notes_template = "../../../../../../../../etc/passwd"', "notes_template "),
        ('template_dir = ".."', "template_dir '..'"),
    ],
)
def test_a_template_outside_the_repository_is_a_config_error(
    repo: GitRepo, tmp_path: Path, invoke: Invoke, setting: str, what: str
) -> None:
    outside_file(tmp_path)
    project(repo, setting)
    result = invoke("-C", str(repo.path), "notes", code=2)
    assert result.stdout == ""
    error, hint = result.stderr.splitlines()
    assert error.startswith(f"relnotes: error: {what}")
    assert "lies outside the repository" in error
    assert hint == OUTSIDE_HINT


def test_a_symbolic_link_out_of_the_repository_is_refused(
    repo: GitRepo, tmp_path: Path, invoke: Invoke
) -> None:
    secret = outside_file(tmp_path)
    (repo.path / "tpl").mkdir()
    (repo.path / "tpl" / "notes.md.jinja").symlink_to(secret)
    (repo.path / "tpl" / "changelog.md.jinja").symlink_to(secret)
    (repo.path / "link.md.jinja").symlink_to(secret)
    project(repo, 'template_dir = "tpl"')

    for command in (("notes",), ("changelog", "--dry-run")):
        result = invoke("-C", str(repo.path), *command, code=2)
        assert result.stderr.splitlines() == [
            f"relnotes: error: template_dir: {command[0]}.md.jinja lies outside the repository "
            f"({secret} is not inside {repo.path})",
            OUTSIDE_HINT,
        ]
        assert "42" not in result.stdout

    repo.write("pyproject.toml", '[tool.relnotes]\nnotes_template = "link.md.jinja"\n')
    result = invoke("-C", str(repo.path), "notes", code=2)
    assert result.stderr.splitlines()[0] == (
        "relnotes: error: notes_template 'link.md.jinja' lies outside the repository "
        f"({secret} is not inside {repo.path})"
    )


def test_a_folder_linked_from_inside_the_repository_is_fine(repo: GitRepo, invoke: Invoke) -> None:
    (repo.path / "real").mkdir()
    (repo.path / "real" / "notes.md.jinja").write_text("v{{ version }}\n", encoding="utf-8")
    (repo.path / "tpl").symlink_to(repo.path / "real")
    project(repo, 'template_dir = "tpl"')
    assert invoke("-C", str(repo.path), "notes").stdout == "v0.1.0\n"


def test_the_repository_templates_render_in_the_sandbox(repo: GitRepo, invoke: Invoke) -> None:
    (repo.path / "tpl").mkdir()
    (repo.path / "tpl" / "notes.md.jinja").write_text(
        "{{ version.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8"
    )
    (repo.path / "mine.md.jinja").write_text(
        '{% from "_release.md.jinja" import body %}# {{ version }}\n'
        "{{ body(breaking_changes, sections, links.repository, breaking_title) }}"
        "{{ cycler.__init__.__globals__ }}\n",
        encoding="utf-8",
    )
    project(repo, 'template_dir = "tpl"')
    result = invoke("-C", str(repo.path), "notes", code=2)
    assert result.stderr.startswith(
        "relnotes: error: template notes.md.jinja failed: SecurityError: access to attribute "
        "'__class__' of 'str' object is unsafe"
    )

    repo.write("pyproject.toml", '[tool.relnotes]\nnotes_template = "mine.md.jinja"\n')
    result = invoke("-C", str(repo.path), "notes", code=2)
    assert "SecurityError" in result.stderr
    assert "__builtins__" not in result.stdout + result.stderr

    (repo.path / "mine.md.jinja").write_text(
        '{% from "_release.md.jinja" import body %}# {{ version }}\n'
        "{{ body(breaking_changes, sections, links.repository, breaking_title) }}",
        encoding="utf-8",
    )
    assert invoke("-C", str(repo.path), "notes").stdout == (
        "# 0.1.0\n\n### Features\n\n- first (" + repo.head()[:7] + ")\n"
    )


def test_the_templates_read_only_what_the_typed_records_hold() -> None:
    """notes.md.jinja and changelog.md.jinja name no variable that ReleaseContext and
    ChangelogContext (what mypy checks the callers against) do not declare."""
    import re
    from pathlib import Path

    import jinja2
    import jinja2.meta

    from relnotes.changelog.writer import ChangelogContext
    from relnotes.notes import ReleaseContext

    folder = Path(__file__).resolve().parents[1] / "templates"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder))

    def names(template: str) -> set[str]:
        source = (folder / template).read_text(encoding="utf-8")
        own = set(re.findall(r"{%-?\s*set\s+(\w+)", source))  # set inside an if: still its own
        return jinja2.meta.find_undeclared_variables(env.parse(source)) - own

    notes = names("notes.md.jinja")
    assert "breaking_changes" in notes  # the template was read
    assert notes <= set(ReleaseContext.__annotations__)
    changelog = names("changelog.md.jinja")
    assert "releases" in changelog
    assert changelog <= set(ChangelogContext.__annotations__)


def cached(folder: Path) -> list[Path]:
    return sorted((folder / "relnotes" / "templates").glob("*.jinja2c"))


def test_built_in_templates_are_compiled_once_and_kept(
    repo: GitRepo, tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compiled built-in templates (here the pull request summary's) are kept in the
    user's cache folder; a run that finds them prints the same, and so does a run whose cache
    is damaged or cannot be written. (The built-in notes and changelog templates render
    without Jinja2: see tests/test_native.py.)"""
    project(repo, "")
    repo.commit("fix: second")
    repo.tag("v0.1.1")
    monkeypatch.chdir(repo.path)
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    first = invoke("preview", "--format", "github", "--increment", "patch").stdout
    assert "0.1.2" in first
    kept = cached(cache)
    assert kept, "the compiled templates were not kept"
    assert {path.stat().st_mode & 0o777 for path in kept} == {0o600}
    assert invoke("preview", "--format", "github", "--increment", "patch").stdout == first
    assert cached(cache) == kept
    for path in kept:
        path.write_bytes(b"not a compiled template")
    assert invoke("preview", "--format", "github", "--increment", "patch").stdout == first
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be\n", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert invoke("preview", "--format", "github", "--increment", "patch").stdout == first


def test_the_repository_templates_are_not_kept(
    repo: GitRepo, tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(repo, 'template_dir = "templates"')
    repo.write("templates/notes.md.jinja", "own notes of {{ version }}\n")
    repo.commit("docs: own template")
    monkeypatch.chdir(repo.path)
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    assert invoke("notes", "v0.1.0").stdout == "own notes of 0.1.0\n"
    assert cached(cache) == []


def test_a_relative_cache_folder_is_ignored(
    repo: GitRepo, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """XDG_CACHE_HOME must be absolute (the XDG spec: a relative one is invalid, ignored):
    the compiled templates go to ~/.cache, never into the folder relnotes runs in."""
    project(repo, "")
    monkeypatch.chdir(repo.path)
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")
    invoke("preview", "--format", "github", "--increment", "patch")
    assert not (repo.path / "cache").exists()
    assert cached(Path(os.environ["HOME"]) / ".cache")
