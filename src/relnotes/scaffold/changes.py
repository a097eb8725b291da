"""What `relnotes init` does to one file (:class:`Change`), and the project's files as it reads
them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

Action = Literal["create", "update", "keep", "overwrite"]


@dataclass(frozen=True, slots=True)
class Change:
    path: str  # relative to the project
    action: Action
    old: str | None
    new: str
    notes: tuple[str, ...] = ()


def read_text(root: str, relative: str, *, newline: str | None = None) -> str | None:
    """A project file's text (``None`` when it does not exist)."""
    path = os.path.join(root, relative)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8", newline=newline) as handle:
        return handle.read()


def whole_file(root: str, relative: str, new: str) -> Change:
    """Writing ``new`` as the whole file: create, keep (the same), or overwrite (other content)."""
    old = read_text(root, relative)
    if old is None:
        return Change(relative, "create", None, new)
    if old == new:
        return Change(relative, "keep", old, new)
    return Change(relative, "overwrite", old, new, ("it exists with other content",))
