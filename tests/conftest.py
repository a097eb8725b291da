"""Every test runs with an isolated git configuration and fixed identities."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

from relnotes.cli import cli
from tests.helpers import GitRepo, isolate_git

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch, tmp_path_factory.mktemp("home"))


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return GitRepo(tmp_path / "repo")


class Invoke:
    """Run the CLI in-process: exit code, stdout and stderr apart.

    The group run standalone goes through ``relnotes.cli.run``, the funnel the console script
    goes through: the same one-line errors and exit codes (3 and the bug report for an
    unexpected exception), never a traceback.
    """

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0, input: str | None = None) -> Result:
        result = self.runner.invoke(cli, list(args), input=input, catch_exceptions=False)
        assert result.exit_code == code, (
            f"exit {result.exit_code} != {code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
        return result


@pytest.fixture
def invoke() -> Invoke:
    return Invoke()
