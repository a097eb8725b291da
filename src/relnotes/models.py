"""Records that flow from history to rendering: commits, tags, releases.

Frozen, so that what was previewed cannot change on its way to being published: named
tuples, or slotted classes final for mypy (no dataclasses: ``dataclasses`` imports
``inspect``, and every command that reads history would pay for both).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from relnotes.parse import parse

if TYPE_CHECKING:
    from typing import Final

    from packaging.version import Version

    from relnotes.parse import ParsedCommit


class Commit:
    """One commit as git stores it; its message is parsed when first asked for.

    Slotted and small: a whole history of these is held while releases are told apart, so
    each keeps the raw message only, and the parsed one (:attr:`parsed`) is made on first
    use and kept until :meth:`forget` (a release already rendered lets it go). Frozen for
    mypy (``Final`` attributes), not at run time, like :class:`~relnotes.parse.ParsedCommit`.
    """

    __slots__ = ("_parsed", "author", "date", "email", "message", "parents", "sha", "timestamp")

    def __init__(
        self,
        sha: str,
        parents: tuple[str, ...],
        author: str,
        email: str,
        date: str,  # author date, ISO 8601 with offset
        timestamp: int,  # committer time (seconds), for a stable order
        message: str,
    ) -> None:
        self.sha: Final = sha
        self.parents: Final = parents
        self.author: Final = author
        self.email: Final = email
        self.date: Final = date
        self.timestamp: Final = timestamp
        self.message: Final = message
        self._parsed: ParsedCommit | None = None

    @property
    def parsed(self) -> ParsedCommit:
        """The message in Conventional Commits terms (parsed once, until :meth:`forget`)."""
        parsed = self._parsed
        if parsed is None:
            parsed = self._parsed = parse(self.message, comment_char=None)
        return parsed

    @property
    def header(self) -> str:
        """The message's first line as :attr:`parsed` reads it, without parsing the rest."""
        if self._parsed is not None:
            return self._parsed.header
        return self.message.strip().partition("\n")[0].strip()

    def forget(self) -> None:
        """Let the parsed message go (it is made again if asked for): what a release that
        has been rendered does, so that memory follows one release, not the history."""
        self._parsed = None

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1 or self.parsed.kind == "merge"

    def _key(self) -> tuple[object, ...]:
        return (self.sha, self.parents, self.author, self.email, self.date, self.timestamp)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Commit):
            return NotImplemented
        return self._key() == other._key() and self.message == other.message

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Commit({self.sha[:12]!r}, {self.parsed.header!r})"


class Tag(NamedTuple):
    """A version tag: its name, the commit it points to, its version and its own date."""

    name: str
    sha: str
    version: Version
    date: str  # the tagger date (annotated) or the commit date (lightweight), ISO 8601
    annotated: bool
    committed: int = 0  # its commit's time (seconds since 1970); 0: not known

    @property
    def is_prerelease(self) -> bool:
        return self.version.is_prerelease


class Release(NamedTuple):
    """The commits between one version and the one before it (or not yet released)."""

    version: str | None  # None: unreleased changes with no version decided
    tag: str | None  # None: not tagged yet (a preview, or the unreleased section)
    previous_tag: str | None
    date: str | None  # YYYY-MM-DD
    commits: tuple[Commit, ...] = ()
