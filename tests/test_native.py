"""The built-in notes and changelog templates rendered without Jinja2 (relnotes.native) write
what the Jinja2 files write, byte for byte: over generated releases, and over real repositories
rendered once by default and once from a copy of the built-in templates (the Jinja2 path)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relnotes import native
from relnotes.config import Config
from relnotes.render import environment, render
from tests.test_markdown import HOSTILE_COMMITS

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

#: text as commits hold it: Markdown's characters, references, line breaks of every kind
TEXT = st.lists(
    st.sampled_from([*"ab #12[]()*_`<>|\\!-.:/", "\n", "\r\n", "\u2028", " #3", "é", "\t"]),
    max_size=12,
).map("".join)
SHA = st.text("0123456789abcdef", min_size=40, max_size=40)
REPOSITORY = st.sampled_from([None, "", "https://github.com/example/proj"])


@st.composite
def entries(draw: st.DrawFn) -> dict[str, Any]:
    sha = draw(SHA)
    return {
        "description": draw(TEXT),
        "scope": draw(st.one_of(st.none(), st.just(""), TEXT)),
        "sha": sha,
        "short_sha": sha[:7],
        "references": draw(st.lists(st.sampled_from(["#1", "#12", "#3"]), max_size=3)),
    }


@st.composite
def contexts(draw: st.DrawFn) -> dict[str, Any]:
    link = st.one_of(st.none(), st.just(""), st.just("https://pypi.org/project/p/1.0/"))
    return {
        "version": draw(st.sampled_from(["1.0.0", "2.0.0rc1"])),
        "date": draw(st.sampled_from(["2026-01-01", None])),
        "breaking_changes": draw(st.lists(entries(), max_size=2)),
        "sections": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "title": TEXT,
                        "type": st.just("feat"),
                        "commits": st.lists(entries(), max_size=3),
                    }
                ),
                max_size=3,
            )
        ),
        "links": {
            "repository": draw(REPOSITORY),
            "pypi": draw(link),
            "milestones": draw(link),
            "compare": draw(link),
        },
        "contributors": draw(
            st.lists(st.fixed_dictionaries({"name": TEXT, "first_time": st.booleans()}), max_size=3)
        ),
        "breaking_title": draw(st.sampled_from(["Breaking changes", "⚠ Breaking"])),
        "empty_text": draw(st.sampled_from(["No user-facing changes.", "Nothing."])),
    }


JINJA = environment(Config()).get_template("notes.md.jinja")
CHANGELOG = environment(Config()).get_template("changelog.md.jinja")


@st.composite
def changelogs(draw: st.DrawFn) -> dict[str, Any]:
    releases = []
    for release in draw(st.lists(contexts(), max_size=3)):
        release["title"] = draw(st.sampled_from(["1.0.0", "Unreleased"]))
        release["link"] = draw(st.sampled_from([None, "", "https://example.org/compare"]))
        if draw(st.booleans()):
            del release["empty_text"]  # the template's default then
        releases.append(release)
    return {
        "header": draw(st.booleans()),
        "marker": "<!-- marker -->",
        "releases": releases,
        "breaking_title": draw(st.sampled_from(["Breaking changes", "⚠ Breaking"])),
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changelogs())
def test_the_built_in_changelog_renders_as_its_jinja2_template(context: dict[str, Any]) -> None:
    """Releases come one by one (an iterator), as a whole history's changelog streams them."""
    native_text = "".join(native.changelog({**context, "releases": iter(context["releases"])}))
    assert native_text == CHANGELOG.render(**context)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contexts())
def test_the_built_in_notes_render_as_their_jinja2_template(context: dict[str, Any]) -> None:
    assert "".join(native.notes(context)) == JINJA.render(**context)


def test_the_built_in_notes_template_renders_natively() -> None:
    """``render`` takes the native path for the built-in template (Jinja2 stays unloaded:
    checked in a fresh interpreter), and the Jinja2 path for any other name."""
    code = (
        "import sys\n"
        "from relnotes.config import Config\n"
        "from relnotes.render import render\n"
        "context = dict(version='1.0.0', date='2026-01-01', breaking_changes=[], sections=[],"
        " links=dict(repository=None, pypi=None, milestones=None, compare=None),"
        " contributors=[], breaking_title='B', empty_text='Nothing.')\n"
        "print(repr(render('notes.md.jinja', context, Config())))\n"
        "print('jinja2' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "'## 1.0.0 (2026-01-01)\\n\\nNothing.\\n'\nFalse\n"


def test_a_setting_naming_the_other_template_is_a_template_error(
    repo: GitRepo, invoke: Invoke
) -> None:
    """``notes_template = "changelog.md.jinja"``: one line and a hint (exit 2), as from
    Jinja2, not a bug report."""
    repo.write("pyproject.toml", '[tool.relnotes]\nnotes_template = "changelog.md.jinja"\n')
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    result = invoke("-C", str(repo.path), "notes", "v1.0.0", code=2)
    assert "template changelog.md.jinja: 'header' is undefined" in result.stderr
    assert "this is a bug" not in result.stderr


def test_a_repository_file_of_that_name_is_its_own_template(tmp_path: Path) -> None:
    (tmp_path / "notes.md.jinja").write_text("mine: {{ version }}\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    context = {"version": "1.0.0"}
    assert render("notes.md.jinja", context, Config(root=str(tmp_path))) == "mine: 1.0.0\n"


def test_real_releases_render_as_the_jinja2_templates_do(repo: GitRepo, invoke: Invoke) -> None:
    """Commits of every hostile shape, breaking changes, references, contributors and links:
    the notes by default (native) and from a ``template_dir`` holding a copy of the built-in
    templates (Jinja2, sandboxed) are the same bytes."""
    repo.write("pyproject.toml", '[project]\nname = "widget"\n\n[project.urls]\n'
               'Repository = "https://github.com/example/widget"\n')  # fmt: skip
    repo.commit("feat: first")
    repo.tag("v1.0.0", annotated=True)
    for message in HOSTILE_COMMITS:
        repo.commit(message, author=("Grace Hopper", "grace@example.org"))
    repo.tag("v1.1.0", annotated=True)
    path = str(repo.path)
    native_notes = [invoke("-C", path, "notes", t).stdout for t in ("v1.0.0", "v1.1.0")]
    preview = invoke("-C", path, "preview", "--increment", "patch").stdout
    native_changelog = invoke("-C", path, "changelog", "--dry-run").stdout
    copy = repo.path / "own"
    shutil.copytree(TEMPLATES, copy, ignore=shutil.ignore_patterns("scaffold"))
    pyproject = (repo.path / "pyproject.toml").read_text(encoding="utf-8")
    repo.write("pyproject.toml", pyproject + '\n[tool.relnotes]\ntemplate_dir = "own"\n')
    jinja_notes = [invoke("-C", path, "notes", t).stdout for t in ("v1.0.0", "v1.1.0")]
    assert native_notes == jinja_notes
    assert invoke("-C", path, "changelog", "--dry-run").stdout == native_changelog
    assert "## [1.1.0](" in native_changelog
    assert "### Contributors" in native_notes[1]
    assert invoke("-C", path, "preview", "--increment", "patch").stdout == preview
