"""How relnotes runs git: every call with :data:`PINNED` settings, an argument list (never a
shell), the hook variables left out, and git's own failure said in one line (see
:mod:`relnotes.git`)."""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

from relnotes.errors import GitError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import IO

#: Variables git exports into hooks; they would point our git calls at the wrong place.
_HOOK_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR")
#: Settings given with ``-c`` to every git call, over any configuration file: the text of
#: messages in UTF-8, paths quoted as git quotes them by default, no colour, no signature
#: checks (``log.showSignature`` puts gpg's output into the log stream), no fsmonitor
#: process, and no hooks (relnotes only reads; an index refresh may call one).
PINNED = (
    "i18n.logOutputEncoding=UTF-8",
    "core.quotePath=true",
    "color.ui=never",
    "log.showSignature=false",
    "core.fsmonitor=false",
    f"core.hooksPath={os.devnull}",
)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _HOOK_VARIABLES}
    env["GIT_TERMINAL_PROMPT"] = "0"
    # Into a pipe git flushes after every commit unless told not to: 100,000 small writes
    # made `git log` 0.25 s slower on a 100k-commit history (as fast as into a file now).
    env["GIT_FLUSH"] = "0"
    env.setdefault("LC_ALL", "C")
    return env


def _git_argv(cwd: str, args: Iterable[str], config: Iterable[str] = ()) -> list[str]:
    pinned = [part for setting in (*PINNED, *config) for part in ("-c", setting)]
    return ["git", "--no-pager", "-C", cwd, *pinned, *args]


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
                _git_argv(cwd, args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env()
            )
        except FileNotFoundError:
            raise _no_git() from None
        if self.process.stdout is not None:
            widen_pipe(self.process.stdout)

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


def widen_pipe(stream: IO[bytes]) -> None:
    """Let git write 1 MiB ahead (Linux), where a pipe holds 64 KiB: while the command
    works on (a log's parser holds the interpreter lock, imports run while the tags are
    listed), git would wait for it."""
    try:
        import fcntl

        fcntl.fcntl(stream.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):  # pragma: no cover - not Linux, or a smaller limit
        pass


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
            _git_argv(cwd, args, config),
            input=input.encode() if input is not None else None,
            capture_output=True,
            env=_env() | (env or {}),
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
