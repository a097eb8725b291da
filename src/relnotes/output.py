"""Where results go: standard output, or a file written atomically (temp file + rename)."""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

from relnotes.errors import RelnotesError


def write_atomic(path: str, text: str, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` in one step: a failure leaves the old file as it was."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise RelnotesError(f"cannot write {path}: no folder {folder}", hint="create it first")
    if os.path.isdir(path):
        raise RelnotesError(f"cannot write {path}: it is a folder", hint="name a file")
    try:
        mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else None
        fd, temp = tempfile.mkstemp(prefix=".relnotes-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise RelnotesError(
            f"cannot write {path}: {exc.strerror}", hint="write to a folder you may write in"
        ) from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException as exc:
        if os.path.exists(temp):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise RelnotesError(
                f"cannot write {path}: {exc.strerror}", hint="the old file is left as it was"
            ) from None
        raise


def to_json(data: Any, *, compact: bool = False) -> str:
    """The stable JSON text: keys in their defined order, UTF-8 as is, two-space indents.

    ``compact`` (the large outputs) is one line of ASCII with ``\\u`` escapes: the C encoder's
    fastest path, ten times faster than indenting.
    """
    if compact:
        return json.dumps(data, separators=(",", ":")) + "\n"
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
