"""How relnotes runs git: every call with :data:`PINNED` settings, an argument list (never a
shell), the hook variables left out, and git's own failure said in one line (see
:mod:`relnotes.git`)."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from relnotes.early import Spawned, git_argv, git_env, widen_pipe
from relnotes.errors import GitError

if TYPE_CHECKING:
    from collections.abc import Iterable


def run(
    cwd: str,
    *args: str,
    input: str | None = None,
    check: bool = True,
    env: dict[str, str] | None = None,
    config: Iterable[str] = (),
) -> str:
    """Run one git command and return its standard output (decoded, never failing).

    ``env``: variables to set for this command (a date to record, say); ``config``: more
    ``key=value`` settings for this call, over :data:`PINNED`.
    """
    done = _call(cwd, args, input=input, env=env, config=config)
    if check and done.returncode != 0:
        raise _failed(args, done.returncode, done.stderr)
    return decode(done.stdout)


def _failed(args: Iterable[str], code: int, stderr: bytes) -> GitError:
    message = decode(stderr).strip().splitlines()
    detail = message[-1] if message else f"exit {code}"
    return GitError(f"git {next(iter(args))} failed: {detail.removeprefix('fatal: ')}")


class Started:
    """A git command started now and waited for later (:meth:`output`), so that a command
    prepares what it needs next (imports, a template) while git works on another core."""

    def __init__(self, cwd: str, args: tuple[str, ...]) -> None:
        self.args = args
        try:
            self.process = subprocess.Popen(
                git_argv(cwd, args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=git_env()
            )
        except FileNotFoundError:
            raise _no_git() from None
        if self.process.stdout is not None:
            widen_pipe(self.process.stdout.fileno())

    @classmethod
    def adopt(cls, args: tuple[str, ...], process: Spawned) -> Started:
        """A call :func:`relnotes.early.prefetch` started, taken as if started here."""
        started = cls.__new__(cls)
        started.args = args
        # Spawned answers what Started uses of Popen: communicate, returncode, kill
        started.process = process  # type: ignore[assignment]
        return started

    def output(self) -> str:
        """What the command printed, once it is done (its failure, as :func:`run` says it)."""
        out, err = self.process.communicate()
        if self.process.returncode != 0:
            raise _failed(self.args, self.process.returncode, err)
        return decode(out)

    def close(self) -> None:
        """End it, its answer unread."""
        self.process.kill()
        self.process.communicate()

    def answer(self) -> tuple[int, str]:
        """Its exit status and what it printed, once it is done (a failure is an answer)."""
        out, _err = self.process.communicate()
        return self.process.returncode, decode(out)


def _call(
    cwd: str,
    args: Iterable[str],
    *,
    input: str | None = None,
    env: dict[str, str] | None = None,
    config: Iterable[str] = (),
) -> subprocess.CompletedProcess[bytes]:
    """The one way a git command is started and waited for (:class:`relnotes.git.Log` streams)."""
    try:
        return subprocess.run(
            git_argv(cwd, args, config),
            input=input.encode() if input is not None else None,
            capture_output=True,
            env=git_env() | (env or {}),
            check=False,
        )
    except FileNotFoundError:
        raise _no_git() from None


def _no_git() -> GitError:
    return GitError("git is not installed", hint="install git and try again")


def decode(data: bytes) -> str:
    """UTF-8, else Latin-1: a message in a legacy encoding is shown, never dropped."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")
