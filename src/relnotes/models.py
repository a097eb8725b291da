"""Records that flow from history to rendering: commits, tags, releases.

Frozen, so that what was previewed cannot change on its way to being published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from packaging.version import Version

    from relnotes.parse import ParsedCommit


class Commit(NamedTuple):
    """One commit as git stores it, with its parsed message (a tuple: 100,000 are made fast)."""

    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    date: str  # author date, ISO 8601 with offset
    timestamp: int  # committer time (seconds), for a stable order
    message: str
    parsed: ParsedCommit

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1 or self.parsed.kind == "merge"


@dataclass(frozen=True, slots=True)
class Tag:
    """A version tag: its name, the commit it points to, its version and its own date."""

    name: str
    sha: str
    version: Version
    date: str  # the tagger date (annotated) or the commit date (lightweight), ISO 8601
    annotated: bool

    @property
    def is_prerelease(self) -> bool:
        return self.version.is_prerelease


@dataclass(frozen=True, slots=True)
class Release:
    """The commits between one version and the one before it (or not yet released)."""

    version: str | None  # None: unreleased changes with no version decided
    tag: str | None  # None: not tagged yet (a preview, or the unreleased section)
    previous_tag: str | None
    date: str | None  # YYYY-MM-DD
    commits: tuple[Commit, ...] = field(default=())
