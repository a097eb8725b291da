"""Commits read from git: a log's fields made commits (:func:`to_commit`), put in one order
whichever log they came from (:func:`ordered`), and one release's range read past the
boundaries that can matter (:class:`RangeLog`).

A release is what its commit reaches and no lower version tag does (its *boundaries*). git
reads ``X --not B1 … Bn`` by parsing every excluded commit first: about 10 µs each without
a commit-graph, 20 ms for the 2,000 tags of a long history, where ``relnotes notes`` spends
less than that on everything else. Yet in almost every history only the few releases before
X count. So :class:`RangeLog` reads the range in at most two steps:

1. past the nearest boundaries (the highest versions);
2. past every boundary that can still reach into what step 1 read, with those of step 1:
   a boundary whose commit step 1 read, or one whose commit was made when the oldest commit
   read was, or later (less a day, for clocks that disagree; a tag's own date does not
   count: a tag may be backdated).

A boundary in the release's own history needs no date: its commit was read (2), or the
nearest boundaries reach it and all it reaches. Only a tag on another line of history that
branched off inside the range, with a version below the eight nearest, is told by its date:
its commit, a descendant of a commit of the range, is not older than it, unless that line's
commits carry older dates than their parents by more than a day (``git rebase
--committer-date-is-author-date`` can make them so; git's own walk assumes the same order of
dates, within a few commits).

So the result is what one read past every boundary gives; most releases take step 1 only. (The
changelog's pass over every release reads once, past what the file has already.)
"""

from __future__ import annotations

import heapq
import sys
from typing import TYPE_CHECKING

from relnotes import git
from relnotes.models import Commit

if TYPE_CHECKING:
    from collections.abc import Sequence

    from relnotes.models import Tag

#: How many of the highest boundaries the first read excludes.
NEAREST = 8
#: How far (seconds) a tag's date may lie before the commits it contains: clocks disagree.
SKEW = 86_400
#: Where git's log stream has each commit's sha and its commit time (``git.LOG_FORMAT``).
_SHA, _COMMIT_TIME = 0, 5


class RangeLog:
    """The commits ``include`` reaches and no tag of ``bounds`` (lowest version first)
    reaches, started now and read later (:meth:`records`, once), as :class:`git.Log`."""

    def __init__(self, root: str, include: Sequence[str], bounds: Sequence[Tag]) -> None:
        self.root = root
        self.include = list(include)
        self.nearest = list(bounds[-NEAREST:])
        self.others = list(bounds[:-NEAREST])
        self.log = git.Log(root, self.include, _shas(self.nearest))
        self.reads = 1  # how many times git read the range

    def records(self) -> list[list[str]]:
        """The fields of each commit of the range (``git.LOG_FORMAT``), in git's order."""
        found = list(self.log.records())
        more = reaching(self.others, found)
        if not more:
            return found
        self.reads = 2
        return list(git.Log(self.root, self.include, _shas([*self.nearest, *more])).records())

    def commits(self) -> list[Commit]:
        """The commits of the range, :func:`ordered`."""
        return ordered([to_commit(f) for f in self.records()])

    def close(self) -> None:
        """End a read that will not be taken."""
        self.log.close()


def reaching(tags: Sequence[Tag], records: Sequence[list[str]]) -> list[Tag]:
    """The tags that may reach one of the commits ``records`` hold: one on such a commit, or
    one whose commit was made no earlier than :data:`SKEW` before the oldest of them (or at
    a time not known)."""
    if not tags or not records:
        return []
    shas = {fields[_SHA] for fields in records}
    since = min(int(fields[_COMMIT_TIME]) for fields in records) - SKEW
    return [t for t in tags if t.sha in shas or not t.committed or t.committed >= since]


def _shas(tags: Sequence[Tag]) -> list[str]:
    return sorted({t.sha for t in tags})


_intern = sys.intern


def _recency(commit: Commit) -> tuple[int, str, str]:
    return (commit.timestamp, commit.date, commit.sha)


def ordered(commits: list[Commit]) -> list[Commit]:
    """Newest first, every commit before its parents: the same order whichever log the
    commits came from (commits made in the same second, as a rebase makes them, keep their
    history order; among unrelated ones the newer comes first)."""
    if len(commits) < 2:
        return list(commits)
    rank = {c.sha: i for i, c in enumerate(sorted(commits, key=_recency, reverse=True))}
    children = dict.fromkeys(rank, 0)
    for commit in commits:
        for parent in commit.parents:
            if parent in children:
                children[parent] += 1
    by_sha = {c.sha: c for c in commits}
    ready = [rank[c.sha] for c in commits if children[c.sha] == 0]
    heapq.heapify(ready)
    by_rank = {i: sha for sha, i in rank.items()}
    result: list[Commit] = []
    while ready:
        commit = by_sha[by_rank[heapq.heappop(ready)]]
        result.append(commit)
        for parent in commit.parents:
            if parent in children:
                children[parent] -= 1
                if children[parent] == 0:
                    heapq.heappush(ready, rank[parent])
    return result


def to_commit(fields: list[str]) -> Commit:
    """A commit from the fields of :data:`relnotes.git.LOG_FORMAT`, its message not parsed
    yet. Shas and identities are interned: a parent's sha is then the very string of its
    commit, and the few names of a history are held once, not once per commit."""
    sha, parents, author, email, date, timestamp, message = fields
    return Commit(
        _intern(sha),
        tuple(map(_intern, parents.split())),
        _intern(author),
        _intern(email),
        date,
        int(timestamp or 0),
        message,
    )
