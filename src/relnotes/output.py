"""Where results go: standard output, or a file written atomically (temp file + rename)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, TextIO

from relnotes.errors import RelnotesError

if TYPE_CHECKING:
    from collections.abc import Iterable


def write_atomic(path: str, text: str | Iterable[str], *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` in one step: a failure leaves the old file as it was.

    ``text`` may come in pieces (a long text made as it is written, never held whole): an
    error raised while they are made is a failure too, and leaves no partial file.

    A symbolic link is written through (its target is replaced, the link stays); a device or a
    pipe (``/dev/stdout``, ``/dev/null``, a FIFO) is written to as it is, since it cannot be
    replaced; a new file gets the usual permissions (0666 less the umask).
    """
    target = os.path.realpath(path)
    if os.path.isdir(target):
        raise RelnotesError(f"cannot write {path}: it is a folder", hint="name a file")
    if os.path.exists(target) and not os.path.isfile(target):
        _write_through(path, target, text, encoding)
        return
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise RelnotesError(f"cannot write {path}: no folder {folder}", hint="create it first")
    try:
        import tempfile  # here: a command that only prints does not import it

        mode = os.stat(target).st_mode & 0o7777 if os.path.exists(target) else _new_file_mode()
        fd, temp = tempfile.mkstemp(prefix=".relnotes-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise RelnotesError(
            f"cannot write {path}: {exc.strerror}", hint="write to a folder you may write in"
        ) from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            _write(handle, text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException as exc:
        if os.path.exists(temp):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise RelnotesError(
                f"cannot write {path}: {exc.strerror}", hint="the old file is left as it was"
            ) from None
        raise


def _write(handle: TextIO, text: str | Iterable[str]) -> None:
    if isinstance(text, str):
        handle.write(text)
    else:
        handle.writelines(text)


def _write_through(path: str, target: str, text: str | Iterable[str], encoding: str) -> None:
    try:
        with open(target, "w", encoding=encoding, newline="") as handle:
            _write(handle, text)
    except OSError as exc:
        raise RelnotesError(f"cannot write {path}: {exc.strerror}", hint="name a file") from None


def _new_file_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def to_json(data: Any, *, compact: bool = False) -> str:
    """The stable JSON text: keys in their defined order, UTF-8 as is, two-space indents.

    ``compact`` (the large outputs) is one line of ASCII with ``\\u`` escapes: the C encoder's
    fastest path, ten times faster than indenting.
    """
    import json  # here: a command that writes no JSON (`changelog --check`) need not load it

    if compact:
        return json.dumps(data, separators=(",", ":")) + "\n"
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def unified_diff(old: str | None, new: str, name: str) -> str:
    """A unified diff of one file as ``--dry-run`` prints it (``old=None``: a new file, shown
    against /dev/null); every line ends with a newline, the last one too."""
    import difflib

    lines = difflib.unified_diff(
        old.splitlines(keepends=True) if old is not None else [],
        new.splitlines(keepends=True),
        "/dev/null" if old is None else f"a/{name}",
        f"b/{name}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
