"""How every git call is made (:data:`PINNED` settings, the hook variables left out), and
the first two calls of a command that reads history, started as the process starts.

A command that reads history first asks git where the repository is and lists its tags.
Listing 2,000 tags takes git about 20 ms, and Python's imports take longer: so
:func:`prefetch` starts both before anything else is imported, with ``os.posix_spawn`` (the
``subprocess`` module brings ``re``, ``enum`` and ``locale`` with it, 10 ms of start-up
before git could start). :mod:`relnotes.git` takes them later (:func:`take`), as it would
have started them (see :class:`relnotes.git.runner.Started`). This module imports only what
the interpreter has loaded already.
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # (no stubs: the C module of signal)
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

#: Variables git exports into hooks; they would point our git calls at the wrong place.
HOOK_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR")
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
#: What :func:`prefetch` asks: bare?, shallow?, the top folder, and whether HEAD exists.
OPEN_QUERY = (
    "rev-parse",
    "--is-bare-repository",
    "--is-shallow-repository",
    "--show-toplevel",
    "HEAD",
)
#: ... and every tag: name, type, object, the commit it peels to, its own date, and its
#: commit's time (a lightweight tag's, an annotated tag's).
TAG_REFS = (
    "for-each-ref",
    "--format=%(refname:lstrip=2)%00%(objecttype)%00%(objectname)%00%(*objectname)"
    "%00%(*objecttype)%00%(creatordate:iso-strict)%00%(committerdate:unix)"
    "%00%(*committerdate:unix)",
    "refs/tags",
)
#: The signals Python ignores that git must not inherit ignored (as ``subprocess`` restores
#: them): the numbers from ``_signal``, since ``signal`` imports ``enum``.
_DEFAULT_SIGNALS = tuple(
    getattr(_signal, name) for name in ("SIGPIPE", "SIGXFSZ") if hasattr(_signal, name)
)
#: Linux's F_SETPIPE_SZ (the ``fcntl`` module names it from Python 3.10 on).
_SET_PIPE_SIZE = 1031


def git_env() -> dict[str, str]:
    """The environment of every git call."""
    env = {k: v for k, v in os.environ.items() if k not in HOOK_VARIABLES}
    env["GIT_TERMINAL_PROMPT"] = "0"
    # Into a pipe git flushes after every commit unless told not to: 100,000 small writes
    # made `git log` 0.25 s slower on a 100k-commit history (as fast as into a file now).
    env["GIT_FLUSH"] = "0"
    env.setdefault("LC_ALL", "C")
    return env


def git_argv(cwd: str, args: Iterable[str], config: Iterable[str] = ()) -> list[str]:
    """The argument list of a git call in folder ``cwd``."""
    pinned = [part for setting in (*PINNED, *config) for part in ("-c", setting)]
    return ["git", "--no-pager", "-C", cwd, *pinned, *args]


def widen_pipe(fd: int) -> None:
    """Let git write 1 MiB ahead (Linux), where a pipe holds 64 KiB: while the command
    works on (a log's parser holds the interpreter lock, imports run while the tags are
    listed), git would wait for it."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", _SET_PIPE_SIZE), 1 << 20)
    except (ImportError, OSError):  # pragma: no cover - not Linux, or a smaller limit
        pass


class Spawned:
    """A git process started with ``os.posix_spawn``: its standard output and error in
    pipes, read once it is done. It answers as much of ``subprocess.Popen`` as
    :class:`relnotes.git.runner.Started` uses (``communicate``, ``returncode``, ``kill``)."""

    def __init__(self, cwd: str, args: tuple[str, ...]) -> None:
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        try:
            self.pid = os.posix_spawnp(
                "git",
                git_argv(cwd, args),
                git_env(),
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, out_w, 1),
                    (os.POSIX_SPAWN_DUP2, err_w, 2),
                ],
                setsigdef=_DEFAULT_SIGNALS,
            )
        except BaseException:
            for fd in (out_r, out_w, err_r, err_w):
                os.close(fd)
            raise
        os.close(out_w)
        os.close(err_w)
        widen_pipe(out_r)
        self._out, self._err = out_r, err_r
        self.returncode: int | None = None
        self._answer = (b"", b"")

    def communicate(self) -> tuple[bytes, bytes]:
        """What it wrote to standard output and error, once it is done."""
        if self.returncode is None:
            out, err = _drain(self._out, self._err)
            _pid, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
            self._answer = (out, err)
        return self._answer

    def kill(self) -> None:
        """End it (its answer unread)."""
        if self.returncode is None:  # not waited for yet: the pid is still its own
            os.kill(self.pid, _signal.SIGKILL)


def _drain(out: int, err: int) -> tuple[bytes, bytes]:
    """Both pipes read to their end, as they fill: git may write more than a pipe holds to
    either (a warning for each of 2,000 broken refs) and would wait for the other read."""
    import selectors

    read: dict[int, list[bytes]] = {out: [], err: []}
    with selectors.DefaultSelector() as selector:
        for fd in read:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            for key, _events in selector.select():
                chunk = os.read(key.fd, 1 << 20)
                if chunk:
                    read[key.fd].append(chunk)
                else:
                    selector.unregister(key.fd)
                    os.close(key.fd)
    return b"".join(read[out]), b"".join(read[err])


#: The calls :func:`prefetch` started: (absolute folder, arguments) -> the process.
started: dict[tuple[str, tuple[str, ...]], Spawned] = {}


def prefetch(path: str) -> None:
    """Start :data:`OPEN_QUERY` and :data:`TAG_REFS` in ``path``. Nothing is raised here:
    without git (or the folder), the command says so in its turn."""
    if not os.path.isdir(path) or not hasattr(os, "posix_spawnp"):
        return  # (Windows: relnotes.git starts them in their turn)
    where = os.path.abspath(path)
    try:
        for args in (OPEN_QUERY, TAG_REFS):
            started[(where, args)] = Spawned(path, args)
    except OSError:
        drop()


def take(path: str, args: tuple[str, ...]) -> Spawned | None:
    """The call :func:`prefetch` started in ``path`` with ``args``, now the caller's."""
    return started.pop((os.path.abspath(path), args), None) if started else None


def drop() -> None:
    """End the calls no one took."""
    while started:
        _key, process = started.popitem()
        process.kill()
        process.communicate()
