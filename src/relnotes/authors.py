"""Who made the commits a release leaves out: what finding its first-time contributors reads.

One ``git log`` of just the authors and the ``Co-authored-by`` trailers, merges left out,
newest first, ended as soon as everyone looked for is found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from relnotes import git

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable, Iterator, Sequence

    from relnotes.models import Tag

#: Who made each commit, and no more.
AUTHOR_FIELDS = ("%an", "%ae", "%(trailers:key=Co-authored-by,valueonly,unfold)")


def log(
    root: str, include: Iterable[str], exclude: Iterable[str] = (), *, ahead: bool = False
) -> git.Log:
    """The authors' log of the commits ``include`` reaches and ``exclude`` does not."""
    return git.Log(
        root, include, exclude, fields=AUTHOR_FIELDS, merges=False, eager=True, ahead=ahead
    )


def identities(found: git.Log) -> Generator[tuple[str, str], None, None]:
    """Each (name, e-mail) of an author or co-author that the log names; closing this ends
    git (the rest is not needed)."""
    from relnotes.credit import identity

    records = found.records()
    try:
        for name, email, trailers in records:
            yield name, email
            for line in trailers.splitlines():
                if line.strip():
                    yield identity(line)
    finally:
        records.close()


class Identities:
    """The identities of everything that ``bounds`` (version tags, lowest first) reach, read
    as they are asked for: what the highest of them reaches first, then what only the others
    reach. git starts on the first at once, while the command does other work (it writes
    what a pipe holds, then waits to be read); a caller that finds everyone it looks for in
    the nearest release's history stops there, and git never reads the commits of the other
    tags. :meth:`close` ends git."""

    def __init__(self, root: str, bounds: Sequence[Tag]) -> None:
        self._root = root
        self._nearest = bounds[-1].sha
        self._others = sorted({t.sha for t in bounds} - {self._nearest})
        self._first = log(root, [self._nearest], ahead=True)
        self._read = self._all()

    def _all(self) -> Generator[tuple[str, str], None, None]:
        yield from identities(self._first)
        if self._others:
            yield from identities(log(self._root, self._others, [self._nearest]))

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return self

    def __next__(self) -> tuple[str, str]:
        return next(self._read)

    def close(self) -> None:
        self._read.close()
        self._first.close()
