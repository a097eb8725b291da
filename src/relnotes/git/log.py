"""The history as ONE streamed ``git log -z`` process (see :mod:`relnotes.git`): started
when a command asks for it, drained by a thread while the parser works, cut into commits."""

from __future__ import annotations

import contextlib
import queue
import subprocess
import threading
from typing import IO, TYPE_CHECKING

from relnotes.early import git_argv, git_env, widen_pipe
from relnotes.errors import GitError
from relnotes.git.runner import _no_git, decode

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable, Iterator

#: Fields of one commit in the log stream, each ended by NUL. No %G placeholder: they run
#: gpg (``gpg.program``) to check signatures.
LOG_FORMAT = "%H%x00%P%x00%an%x00%ae%x00%aI%x00%ct%x00%B"
LOG_FIELDS = 7
#: ``git log``'s own flags for the settings that ``log.*`` and ``format.*`` may change.
LOG_FLAGS = (
    "--no-show-signature",
    "--no-color",
    "--no-decorate",
    "--no-notes",
    "--no-abbrev-commit",
    "--no-use-mailmap",
    "--no-expand-tabs",
)
_CHUNK = 1 << 20


class Log:
    """One ``git log -z`` of the commits reachable from ``include`` and not from
    ``exclude``, started now and read later (:meth:`records`), so that a command prepares
    what it needs next while git walks the history on another core.

    Revisions go through ``--stdin`` (never parsed as options); output is read in chunks so
    memory follows the history, not twice the history. ``fields``: other placeholders than
    LOG_FORMAT's (none may print a NUL); ``merges=False`` leaves merge commits out; ``eager``
    hands on what git wrote at once instead of 1 MiB at a time, for a consumer that may stop
    after a few; ``ahead``: a log started before it is known to be needed (see below). A log
    that is never read must be closed (:meth:`close`).
    """

    def __init__(
        self,
        root: str,
        include: Iterable[str],
        exclude: Iterable[str] = (),
        *,
        fields: tuple[str, ...] | None = None,
        merges: bool = True,
        eager: bool = False,
        ahead: bool = False,
    ) -> None:
        revisions = [*include, *(f"^{sha}" for sha in exclude)]
        self.width = LOG_FIELDS if fields is None else len(fields)
        self.process: subprocess.Popen[bytes] | None = None
        if not revisions:
            return
        log_format = LOG_FORMAT if fields is None else "%x00".join(fields)
        options = [] if merges else ["--no-merges"]
        argv = git_argv(
            root, ["log", *LOG_FLAGS, "-z", f"--format={log_format}", *options, "--stdin"]
        )
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=git_env(),
            )
        except FileNotFoundError:
            raise _no_git() from None
        if process.stdin is None or process.stdout is None:  # pragma: no cover - Popen contract
            raise GitError("git log could not be started")
        # git parses each revision as it reads it (2,000 tags: 12 ms), so a long list is fed
        # by the reader thread, before it drains: the command goes on meanwhile
        feed = ("\n".join(revisions) + "\n").encode()
        if ahead:
            _feed(process.stdin, feed)
            feed = b""
        # A reader thread drains the pipe as fast as git writes (reading releases the GIL), so
        # git never waits for the parser: the two run side by side on two cores. A log that
        # may not be needed (``ahead``) is read from when it is: until then git writes what
        # the pipe holds and waits, and takes no core from the work that decides.
        self.chunks: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        if not ahead:
            widen_pipe(process.stdout.fileno())
        self.reader = threading.Thread(
            target=_drain,
            args=(process.stdout, self.chunks, eager, process.stdin, feed),
            daemon=True,
        )
        if not ahead:
            self.reader.start()
        self.process = process

    def records(self) -> Generator[list[str], None, None]:
        """The fields of each commit, as git writes them (read once). A consumer that stops
        early ends the process."""
        process, self.process = self.process, None
        if process is None:
            return
        if self.reader.ident is None:  # an ``ahead`` log, read from now
            self.reader.start()
        finished = False
        try:
            yield from _records(self.chunks, self.width)
            finished = True
        finally:
            status, stderr = self._end(process, kill=not finished)
        if status != 0:
            lines = decode(stderr).strip().splitlines()
            raise GitError(
                f"git log failed: {lines[-1].removeprefix('fatal: ') if lines else status}"
            )

    def close(self) -> None:
        """End a log that will not be read."""
        process, self.process = self.process, None
        if process is not None:
            self._end(process, kill=True)

    def _end(self, process: subprocess.Popen[bytes], *, kill: bool) -> tuple[int, bytes]:
        if kill:
            process.kill()
        if self.reader.ident is not None:
            self.reader.join()
        if process.stdout is not None:
            process.stdout.close()
        stderr = b""
        if process.stderr is not None:
            stderr = process.stderr.read()
            process.stderr.close()
        return process.wait(), stderr


def _records(chunks: queue.SimpleQueue[bytes], width: int = LOG_FIELDS) -> Iterator[list[str]]:
    """Cut the NUL-separated stream into commits of ``width`` fields (b"" ends it)."""
    pending = b""
    carry: list[str] = []
    while chunk := chunks.get():
        data = pending + chunk
        end = data.rfind(b"\0")
        if end < 0:
            pending = data
            continue
        pending = data[end + 1 :]
        complete = data[:end]
        try:  # the common case: the whole chunk is UTF-8
            fields = complete.decode("utf-8").split("\0")
        except UnicodeDecodeError:
            fields = [decode(part) for part in complete.split(b"\0")]
        if carry:
            fields = carry + fields
        usable = len(fields) - len(fields) % width
        for start in range(0, usable, width):
            yield fields[start : start + width]
        carry = fields[usable:]


def _feed(stdin: IO[bytes], data: bytes) -> None:
    """Write ``data`` to git's standard input and close it (git may have stopped already:
    its exit status and message say why)."""
    with contextlib.suppress(OSError):
        stdin.write(data)
    with contextlib.suppress(OSError):
        stdin.close()


def _drain(
    stream: IO[bytes],
    chunks: queue.SimpleQueue[bytes],
    eager: bool = False,
    stdin: IO[bytes] | None = None,
    feed: bytes = b"",
) -> None:
    if stdin is not None and not stdin.closed:
        _feed(stdin, feed)
    read = stream.read1 if eager and hasattr(stream, "read1") else stream.read
    try:
        while chunk := read(_CHUNK):
            chunks.put(chunk)
    except (OSError, ValueError):  # pragma: no cover - the pipe closed under us
        pass
    finally:
        chunks.put(b"")
