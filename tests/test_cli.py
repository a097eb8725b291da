"""The command line: exit codes, one-line errors with hints, configuration and templates."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from relnotes import project
from relnotes.config import load_config
from relnotes.errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Invoke
    from tests.helpers import GitRepo


@pytest.fixture
def tagged(repo: GitRepo) -> GitRepo:
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.commit("fix: two")
    return repo


@pytest.mark.parametrize("command", ["notes", "preview", "next-version", "log"])
def test_every_command_has_help(invoke: Invoke, command: str) -> None:
    result = invoke(command, "--help")
    assert "Usage: " in result.stdout
    assert len(result.stdout.splitlines()) > 4


def test_top_level_help_names_the_three_moments(invoke: Invoke) -> None:
    text = invoke("--help").stdout
    assert "relnotes preview" in text
    assert "relnotes notes vX.Y.Z" in text


def test_unknown_config_key_suggests_the_right_one(tagged: GitRepo, invoke: Invoke) -> None:
    tagged.write("pyproject.toml", '[tool.relnotes]\ntag_fromat = "v$version"\n')
    result = invoke("-C", str(tagged.path), "notes", code=2)
    assert result.stderr.splitlines() == [
        "relnotes: error: unknown key 'tag_fromat' in pyproject.toml [tool.relnotes]",
        "  hint: did you mean 'tag_format'?",
    ]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("header_max_length = 'long'", "header_max_length must be a number, not 'long'"),
        ("major_version_zero = 1", "major_version_zero must be true or false, not 1"),
        ('version_scheme = "calver"', "unknown version_scheme 'calver'"),
        ('tag_format = "release"', "tag_format 'release' has no $version"),
        ("scopes = ['a', 1]", "scopes must be a list of strings"),
        ("sections = { feat = 1 }", "sections.feat must be a title string, not 1"),
        ("[broken", "pyproject.toml is not valid TOML"),
    ],
)
def test_bad_configuration_is_one_line(tmp_path: Path, toml: str, message: str) -> None:
    body = toml if toml.startswith("[") else f"[tool.relnotes]\n{toml}\n"
    (tmp_path / "pyproject.toml").write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=None) as caught:
        load_config(str(tmp_path))
    assert message in caught.value.message


def test_commitizen_keys_are_read_and_relnotes_wins(tmp_path: Path) -> None:
    (tmp_path / ".cz.toml").write_text(
        '[tool.commitizen]\nname = "cz_conventional_commits"\ntag_format = "$version"\n'
        'version_scheme = "semver"\nmajor_version_zero = true\nupdate_changelog_on_bump = true\n',
        encoding="utf-8",
    )
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "pkg"\nversion = "1.0.0"\n[tool.relnotes]\nversion_scheme = "pep440"\n',
        encoding="utf-8",
    )
    config = load_config(str(tmp_path))
    assert config.tag_format == "$version"
    assert config.major_version_zero is True
    assert config.version_scheme == "pep440"
    assert config.package == "pkg"
    assert config.static_version == "1.0.0"


def test_commitizen_in_pyproject_and_json(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.commitizen]\ntag_format = "r$version"\n', encoding="utf-8"
    )
    assert load_config(str(tmp_path)).tag_format == "r$version"
    (tmp_path / ".cz.json").write_text(
        '{"commitizen": {"tag_format": "j$version"}}', encoding="utf-8"
    )
    assert load_config(str(tmp_path)).tag_format == "j$version"


@pytest.mark.parametrize("name", [".cz.yaml", "cz.yaml"])
def test_commitizen_yaml(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(
        "---\ncommitizen:\n  name: cz_conventional_commits\n  tag_format: y$version\n"
        "  version: 1.2.0\n  version_files:\n    - src/pkg/__init__.py:__version__\n",
        encoding="utf-8",
    )
    config = load_config(str(tmp_path))
    assert (config.tag_format, config.commitizen) == ("y$version", name)
    assert config.version_files == ["src/pkg/__init__.py:__version__"]
    assert config.version_in_files == "version_files = ['src/pkg/__init__.py:__version__']"
    assert config.is_bump_commit("bump: version 1.2.0 \u2192 1.3.0")
    assert not config.is_bump_commit("build(deps): bump requests from 2.31.0 to 2.32.0")
    (tmp_path / name).write_text("commitizen: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"^{name} is not valid YAML: .* \\(line 2, column 1\\)"):
        load_config(str(tmp_path))


def test_the_first_file_with_a_commitizen_section_is_read(tmp_path: Path) -> None:
    (tmp_path / ".cz.toml").write_text("[tool.other]\nx = 1\n", encoding="utf-8")
    (tmp_path / "cz.yaml").write_text("commitizen:\n  tag_format: y$version\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.commitizen]\ntag_format = "p$version"\n', encoding="utf-8"
    )
    assert load_config(str(tmp_path)).tag_format == "y$version"
    (tmp_path / "cz.yaml").unlink()
    config = load_config(str(tmp_path))
    assert (config.tag_format, config.commitizen) == ("p$version", "pyproject.toml")
    assert config.bump_template == "bump: version $current_version \u2192 $new_version"
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    config = load_config(str(tmp_path))
    assert (config.commitizen, config.bump_template) == (None, None)
    assert "tag_format" not in config.configured


@pytest.mark.parametrize(
    ("settings", "where"),
    [
        ('version_provider = "pep621"', "version_provider = 'pep621'"),
        ('version = "1.0.0"', "version = '1.0.0' in pyproject.toml"),
        ('version_provider = "scm"', None),
        ("", None),
    ],
)
def test_where_commitizen_keeps_the_version(tmp_path: Path, settings: str, where: str) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "x"\nversion = "1.0.0"\n[tool.commitizen]\n{settings}\n',
        encoding="utf-8",
    )
    assert load_config(str(tmp_path)).version_in_files == where


def test_the_hook_reads_a_cz_yaml_once_then_from_its_cache(repo: GitRepo, tmp_path: Path) -> None:
    repo.write(".cz.yaml", "commitizen:\n  bump_message: 'release $new_version'\n")
    message = tmp_path / "MSG"
    message.write_text("feat: x\n", encoding="utf-8")
    probe = (
        "import sys; from relnotes.__main__ import main; sys.argv = ['relnotes', 'check', "
        f"'--message-file', {str(message)!r}]; code = main();"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'tomllib')))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, cwd=repo.path, check=True
        ).stdout.split(" ", 1)
        for _ in range(2)
    ]
    assert runs[0][0] == runs[1][0] == "0"
    assert "'yaml'" in runs[0][1]  # the first run reads the file
    assert runs[1][1].strip() == "[]"  # the second reads the cache: no YAML parser
    assert load_config(str(repo.path), cached=True).bump_template == "release $new_version"


def test_doctor_notes_a_version_kept_in_files_by_commitizen(repo: GitRepo, invoke: Invoke) -> None:
    repo.write(
        "pyproject.toml",
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        '[project]\nname = "x"\nversion = "1.0.0"\n'
        '[tool.commitizen]\nversion_provider = "pep621"\n',
    )
    result = invoke("-C", str(repo.path), "doctor", "--select", "P01", code=0)
    assert "P01" not in result.stdout
    assert (
        "the version lives in files that `cz bump` updates (version_provider = 'pep621')"
        in result.stdout + result.stderr
    )
    repo.write(
        "pyproject.toml",
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        '[project]\nname = "x"\nversion = "1.0.0"\n',
    )
    result = invoke("-C", str(repo.path), "doctor", "--select", "P01", code=1)
    assert "P01 error: [project] writes the version by hand" in result.stdout


def test_user_template_by_name_and_by_path(tagged: GitRepo, invoke: Invoke) -> None:
    tagged.write(
        "tpl/notes.md.jinja", "Release {{ version }}: {{ sections | length }} section(s)\n"
    )
    tagged.write("custom.jinja", "{{ tag }} from {{ previous_tag }}\n")
    tagged.write("pyproject.toml", '[tool.relnotes]\ntemplate_dir = "tpl"\n')
    assert invoke("-C", str(tagged.path), "notes").stdout == "Release 1.0.0: 1 section(s)\n"
    tagged.write(
        "pyproject.toml", '[tool.relnotes]\ntemplate_dir = "tpl"\nnotes_template = "custom.jinja"\n'
    )
    assert invoke("-C", str(tagged.path), "notes").stdout == "v1.0.0 from None\n"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{% if %}", "template custom.jinja line 1: Expected an expression"),
        ("{{ no_such_name }}", "template custom.jinja: 'no_such_name' is undefined"),
    ],
)
def test_broken_templates_are_one_line(
    tagged: GitRepo, invoke: Invoke, template: str, message: str
) -> None:
    tagged.write("custom.jinja", template)
    tagged.write("pyproject.toml", '[tool.relnotes]\nnotes_template = "custom.jinja"\n')
    result = invoke("-C", str(tagged.path), "notes", code=2)
    assert result.stderr.startswith(f"relnotes: error: {message}")
    assert len(result.stderr.splitlines()) == 2


def test_missing_template(tagged: GitRepo, invoke: Invoke) -> None:
    tagged.write("pyproject.toml", '[tool.relnotes]\nnotes_template = "nope.jinja"\n')
    result = invoke("-C", str(tagged.path), "notes", code=2)
    assert "template 'nope.jinja' not found" in result.stderr
    tagged.write("pyproject.toml", '[tool.relnotes]\ntemplate_dir = "missing"\n')
    assert "is not a folder" in invoke("-C", str(tagged.path), "notes", code=2).stderr


def test_an_unexpected_exception_is_a_bug_exit_3(
    tagged: GitRepo, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(project, "notes_for_tag", broken)
    result = invoke("-C", str(tagged.path), "notes", code=3)
    first, hint = result.stderr.splitlines()
    assert (
        first == "relnotes: error: unexpected ZeroDivisionError: boom (this is a bug in relnotes)"
    )
    path = hint.split("the traceback is in ")[1].split(";")[0]
    with open(path, encoding="utf-8") as handle:
        assert "ZeroDivisionError" in handle.read()


def test_usage_errors_exit_2(tagged: GitRepo, invoke: Invoke) -> None:
    result = invoke("-C", str(tagged.path), "notes", "--format", "xml", code=2)
    assert "Invalid value for '--format'" in result.stderr
    result = invoke("-C", str(tagged.path), "log", "v1.0.0...HEAD", code=2)
    assert "symmetric ranges are not supported" in result.stderr
    result = invoke("-C", str(tagged.path), "log", "v1.0.0..nope", code=2)
    assert "unknown revision 'nope' in 'v1.0.0..nope'" in result.stderr


def test_log_json_and_text(tagged: GitRepo, invoke: Invoke) -> None:
    text = invoke("-C", str(tagged.path), "log").stdout
    assert text.splitlines()[0] == "Unreleased (1 commits)"
    assert "-> Fixes: type fix -> Fixes" in text
    import json

    data = json.loads(invoke("-C", str(tagged.path), "log", "--format", "json").stdout)
    assert [r["tag"] for r in data["releases"]] == [None, "v1.0.0"]
    first = data["releases"][1]["commits"][0]
    assert (first["header"], first["section"], first["kind"]) == ("feat: one", "Features", "commit")


def test_console_script_reports_errors_through_the_real_entry_point(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "relnotes", "-C", str(tmp_path), "preview"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("relnotes: error: not a git repository")
    assert "Traceback" not in done.stderr


def test_a_template_that_fails_at_run_time(tagged: GitRepo, invoke: Invoke) -> None:
    tagged.write("bad.jinja", "{{ 1 / 0 }}")
    tagged.write("pyproject.toml", '[tool.relnotes]\nnotes_template = "bad.jinja"\n')
    result = invoke("-C", str(tagged.path), "notes", code=2)
    assert "template bad.jinja failed: ZeroDivisionError" in result.stderr


def test_output_to_a_folder_or_nowhere(tagged: GitRepo, invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("-C", str(tagged.path), "notes", "-o", str(tmp_path), code=2)
    assert "it is a folder" in result.stderr
    result = invoke("-C", str(tagged.path), "notes", "-o", "/proc/version", code=2)
    assert result.stderr.startswith("relnotes: error: cannot write /proc/version")


def test_no_arguments_shows_the_help(invoke: Invoke) -> None:
    assert "Commands:" in invoke().stdout


def test_output_to_a_device_writes_through_and_leaves_it_a_device(
    tagged: GitRepo, invoke: Invoke, tmp_path: Path
) -> None:
    import stat

    invoke("-C", str(tagged.path), "notes", "-o", "/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fresh = tmp_path / "notes.md"
    invoke("-C", str(tagged.path), "notes", "-o", str(fresh))
    current = os.umask(0o022)
    os.umask(current)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~current
