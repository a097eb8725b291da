"""What `relnotes init` does to one file (:class:`Change`), and the project's files as it reads
them: UTF-8 text, never through a link that leads outside the project."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from relnotes.errors import ConfigError, RelnotesError

Action = Literal["create", "update", "keep", "overwrite"]


@dataclass(frozen=True, slots=True)
class Change:
    path: str  # relative to the project
    action: Action
    old: str | None
    new: str
    notes: tuple[str, ...] = ()


def read_text(root: str, relative: str, *, newline: str | None = None) -> str | None:
    """A project file's text (``None`` when it does not exist); ``newline=""`` keeps its line
    endings. A file that is not UTF-8, or lies outside the project, is an error (exit 2)."""
    path = inside(root, relative)
    if not os.path.isfile(path):
        return None
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            f"{relative} is not UTF-8 text (byte 0x{data[exc.start : exc.start + 1].hex()} "
            f"on line {line})",
            hint="save it as UTF-8 (or move it away), then run relnotes init again",
        ) from None
    return text if newline == "" else text.replace("\r\n", "\n").replace("\r", "\n")


def inside(root: str, relative: str) -> str:
    """The real path of ``relative``; an error (exit 2) where it, or a link on the way to it,
    leads outside the project: init reads and writes only inside ``root``."""
    top = os.path.realpath(root)
    here = top
    for part in relative.split("/"):
        here = os.path.join(here, part)
        real = os.path.realpath(here)
        if real != top and not real.startswith(top + os.sep):
            where = os.path.relpath(here, top).replace(os.sep, "/")
            raise RelnotesError(
                f"{where} leads outside the project (to {real}): "
                f"relnotes init reads and writes only inside {top}",
                hint=f"remove the link {where} or point it inside the project, then run init again"
                if os.path.islink(here)
                else "name a file inside the project",
            )
    return os.path.realpath(here)


def whole_file(root: str, relative: str, new: str) -> Change:
    """Writing ``new`` as the whole file: create, keep (the same), or overwrite (other content)."""
    old = read_text(root, relative)
    if old is None:
        return Change(relative, "create", None, new)
    if old == new:
        return Change(relative, "keep", old, new)
    return Change(relative, "overwrite", old, new, ("it exists with other content",))
