"""Configuration files that cannot be read are configuration errors on every command."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from relnotes.cli import cli

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo

DEEP = 5000
#: file name -> (not UTF-8, not valid, nested too deep); each holds a commitizen section
#: (pyproject.toml a [tool.relnotes] table) so that relnotes must read it.
BROKEN: dict[str, tuple[bytes, bytes, bytes]] = {
    "pyproject.toml": (
        b'[tool.relnotes]\nbreaking_title = "Br\xe9che"\n',
        b"[tool.relnotes\n",
        b"[tool.relnotes]\nx = " + b"[" * DEEP + b"]" * DEEP + b"\n",
    ),
    ".cz.toml": (
        b'[tool.commitizen]\ntag_format = "v$version"\n# caf\xe9\n',
        b'[tool.commitizen]\ntag_format = "v$version\n',
        b"[tool.commitizen]\nx = " + b"{a = " * DEEP + b"1" + b"}" * DEEP + b"\n",
    ),
    "cz.toml": (
        b"\xff\xfe[\x00t\x00o\x00o\x00l\x00]\x00",
        b"[commitizen]\n= 1\n",
        b"[commitizen]\nx = " + b"[" * DEEP + b"]" * DEEP + b"\n",
    ),
    ".cz.json": (
        b'{"commitizen": {"tag_format": "v$version", "x": "\xe9"}}',
        b'{"commitizen": {"tag_format": }',
        b'{"commitizen": ' + b"[" * DEEP + b"]" * DEEP + b"}",
    ),
    "cz.json": (
        b"\xef\xbb\xbf\xff",
        b"{'commitizen': 1}",
        b'{"commitizen": {"x": ' + b'{"a": ' * DEEP + b"1" + b"}" * DEEP + b"}}",
    ),
    ".cz.yaml": (
        b"commitizen:\n  tag_format: v$version\n  name: \xe9\n",
        b"commitizen: [unclosed\n",
        b"commitizen:\n  x: " + b"[" * DEEP + b"]" * DEEP + b"\n",
    ),
    "cz.yaml": (
        b"commitizen:\n  tag_format: \x81v$version\n",
        b"commitizen:\n\t- tab\n",
        b"commitizen:\n  x: " + b"{a: " * DEEP + b"1" + b"}" * DEEP + b"\n",
    ),
}
PROBLEMS = {
    0: "is not UTF-8 text (byte",
    1: "is not valid",
    2: "nests too deeply to read as",
}
COMMANDS = [
    ("preview",),
    ("notes",),
    ("log",),
    ("next-version",),
    ("changelog", "--dry-run"),
    ("check", "--range", "HEAD~1..HEAD"),
    ("check", "-m", "feat: x"),
    ("verify", "dist", "--no-install"),
]


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    from tests.helpers import GitRepo, isolate_git

    with pytest.MonkeyPatch.context() as mp:
        isolate_git(mp, tmp_path_factory.mktemp("home"))
        repo = GitRepo(tmp_path_factory.mktemp("config") / "repo")
        repo.commit("feat: first")
        repo.tag("v0.1.0", annotated=True)
        repo.commit("fix: second")
        (repo.path / "dist").mkdir()
    return repo


@pytest.mark.parametrize("problem", sorted(PROBLEMS))
@pytest.mark.parametrize("name", list(BROKEN))
def test_an_unreadable_configuration_file_is_exit_2_on_every_command(
    released: GitRepo, invoke: Invoke, name: str, problem: int
) -> None:
    path = released.path / name
    path.write_bytes(BROKEN[name][problem])
    try:
        for command in COMMANDS:
            result = invoke.runner.invoke(cli, ["-C", str(released.path), *command])
            lines = result.stderr.splitlines()
            assert result.exit_code == 2, (command, result.stderr, result.exception)
            assert len(lines) == 2, (command, lines)
            assert lines[0].startswith(f"relnotes: error: {name} {PROBLEMS[problem]}"), lines
            assert lines[1].startswith("  hint: "), lines
            assert str(path) in lines[1]
        # the commit-msg hook reads the configuration on its own light path
        message = released.path / "MSG"
        message.write_text("feat: x\n", encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "relnotes", "check", "--message-file", str(message)],
            cwd=released.path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith(f"relnotes: error: {name} {PROBLEMS[problem]}")
        assert len(done.stderr.splitlines()) == 2
    finally:
        path.unlink()


def test_a_yaml_alias_bomb_is_named_in_a_few_words(released: GitRepo, invoke: Invoke) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    path = released.path / ".cz.yaml"
    path.write_text(bomb + "commitizen:\n  tag_format: *u\n", encoding="utf-8")
    try:
        result = invoke("-C", str(released.path), "notes", code=2)
    finally:
        path.unlink()
    error = result.stderr.splitlines()[0]
    assert error.startswith(
        "relnotes: error: .cz.yaml [tool.commitizen]: tag_format must be a string, "
        "not [[[...], [...], [...], [...], ...], "
    )
    assert len(error) < 250


def test_a_huge_file_is_not_read(released: GitRepo, invoke: Invoke) -> None:
    path = released.path / "cz.json"
    with path.open("wb") as handle:
        handle.write(b'{"commitizen": {"x": "')
        handle.truncate(17 << 20)
    try:
        result = invoke("-C", str(released.path), "notes", code=2)
    finally:
        path.unlink()
    assert result.stderr.splitlines()[0] == (
        "relnotes: error: cz.json is larger than 16 MiB: not a configuration file relnotes reads"
    )
