"""The changelog: CHANGELOG.md made from the whole history, then updated in place.

- :mod:`~relnotes.changelog.blocks` reads the file into blocks (preamble, insertion marker,
  Unreleased section, one block per release, footer) and joins them back;
- :mod:`~relnotes.changelog.slots`, :mod:`~relnotes.changelog.titles`,
  :mod:`~relnotes.changelog.learn` and :mod:`~relnotes.changelog.style`: the file's own style,
  learned from its newest release, and written for new ones;
- :mod:`~relnotes.changelog.writer` renders new blocks (the template, or the file's style);
- :mod:`~relnotes.changelog.guard` keeps an update from losing hand-written text or writing
  outside the repository;
- :mod:`~relnotes.changelog.update` does the update itself: what to insert, where, and the
  new text (nothing is written there: the caller writes ``Update.new`` atomically).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from relnotes.changelog.blocks import MARKER, UNRELEASED, Block, Reader, join
from relnotes.changelog.update import (
    Update,
    changelog_path,
    read_ahead,
    upcoming,
    update_changelog,
)

if TYPE_CHECKING:
    from relnotes.changelog.writer import Objects

__all__ = [
    "MARKER",
    "UNRELEASED",
    "Block",
    "Objects",
    "Reader",
    "Update",
    "changelog_path",
    "join",
    "read_ahead",
    "upcoming",
    "update_changelog",
]


def __getattr__(name: str) -> object:
    """``Objects`` is imported on first use: the writer brings the template machinery
    (Jinja2), which ``changelog --check`` on a current file never needs."""
    if name == "Objects":
        from relnotes.changelog.writer import Objects

        return Objects
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
