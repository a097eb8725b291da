"""How version tags stand to each other across lines of history: which pre-releases a final
release takes in, which were made after their final release, and which release a release
continues (where its compare link starts).

Decided from the tags and the commits a release reads; git is asked only about the rare
pre-release that the tags alone cannot place (see :func:`_fold`).
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from relnotes import git
from relnotes.version import final_of, folded

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from packaging.version import Version

    from relnotes.models import Commit, Tag


class Lineage:
    """What one list of version tags (lowest version first) says about each tag."""

    def __init__(self, root: str, tags: list[Tag]) -> None:
        self.tags = tags
        #: the final releases by version, lowest first
        self.finals: dict[Version, Tag] = {}
        #: the tags on each commit
        self.at: dict[str, list[Tag]] = {}
        for tag in tags:
            self.at.setdefault(tag.sha, []).append(tag)
            if not tag.is_prerelease:
                self.finals.setdefault(tag.version, tag)
        #: the pre-releases a final release takes in (by name), and those made after a
        #: final release, with that release
        self.folded, self.late = _fold(root, tags, self.finals)
        #: the release each release read continues: (name, merge) -> tag
        self.previous: dict[tuple[str, bool], Tag | None] = {}

    def has(self, tag: Tag) -> bool:
        """Whether ``tag`` is one of the tags (not a tag still to be made)."""
        return tag in self.at.get(tag.sha, ())

    def bounds(self, tag: Tag, merge: bool) -> list[Tag]:
        """The tags whose history ``tag``'s release leaves out, lowest version first: the lower
        ones :meth:`bounding` takes, and the final release a late pre-release came after."""
        end = bisect.bisect_left(self.tags, tag.version, key=lambda t: t.version)
        keep = self.bounding(tag, merge)
        found = [t for t in self.tags[:end] if t.sha != tag.sha and keep(t)]
        after = self.late.get(tag.name)
        return [*found, after] if after is not None else found

    def previous_of(self, tag: Tag, merge: bool, commits: Sequence[Commit] | None) -> Tag | None:
        """The release ``tag`` continues (``History.previous``); without ``commits``, what
        the read of that release found, else the highest boundary."""
        after = self.late.get(tag.name)
        if after is not None:
            return after
        if commits is None and (tag.name, merge) in self.previous:
            return self.previous[tag.name, merge]
        keep = self.bounding(tag, merge)
        # the highest boundary, found from the top down: a pass over every release
        # (all_releases) asks this of each tag, and must not read all tags each time
        end = bisect.bisect_left(self.tags, tag.version, key=lambda t: t.version)
        tags = self.tags
        highest = next(
            (t for t in (tags[i] for i in range(end - 1, -1, -1)) if t.sha != tag.sha and keep(t)),
            None,
        )
        if commits is None or highest is None:
            return highest
        found = self.continued(tag, keep, highest, commits)
        self.previous[tag.name, merge] = found
        return found

    def bounding(self, tag: Tag, merge: bool) -> Callable[[Tag], bool]:
        """Which lower tags (not on ``tag``'s commit) bound ``tag``'s release: the tags that
        speak for their commits (``History.changelog_tags``), so that what a release holds
        read alone is what it holds in a pass over every release. A pre-release is bounded
        by its own earlier pre-releases too (its notes list what came since the one before)."""
        late = self.late
        if not merge:
            return lambda t: t.name not in late
        gone = self.folded
        if not tag.is_prerelease:
            return lambda t: t.name not in gone
        own = final_of(tag.version)
        return lambda t: t.name not in late and (t.name not in gone or final_of(t.version) == own)

    def continued(
        self,
        tag: Tag | None,
        keep: Callable[[Tag], bool],
        highest: Tag | None,
        commits: Sequence[Commit],
    ) -> Tag | None:
        """The highest tag below ``tag`` (any, for ``None``: the unreleased commits) that
        ``keep`` takes and whose commit ``commits`` (the release's own) continue, a parent of
        one of them; else ``highest`` (the highest boundary)."""
        found = [
            t
            for sha in continued_commits(commits)
            for t in self.at.get(sha, ())
            if (tag is None or (t.version < tag.version and t.sha != tag.sha)) and keep(t)
        ]
        return max(found, key=lambda t: (t.version, t.name), default=highest)

    def warnings(self) -> list[str]:
        """One line for each pre-release made after its final release."""
        return [
            f"tag {name} is a pre-release made after {final.name}, on a commit {final.name} "
            f"does not contain: it releases nothing of its own (its commits are the next "
            f"release's; its notes list what came after {final.name})"
            for name, final in sorted(self.late.items())
        ]


def continued_commits(commits: Sequence[Commit]) -> set[str]:
    """The commits a release continues: the parents of its commits that are not its own."""
    own = {c.sha for c in commits}
    return {p for c in commits for p in c.parents if p not in own}


def _fold(
    root: str, tags: Sequence[Tag], finals: dict[Version, Tag]
) -> tuple[frozenset[str], dict[str, Tag]]:
    """The names of the pre-releases that a final release takes in, and those made after a
    final release (with that release): one rule for every command.

    A pre-release is folded into its own final release (the same release version, see
    :func:`relnotes.version.folded`), and is late when it was made after it, on a commit it
    does not contain (the tags' dates tell; git is asked only then). One whose final release
    was never made (an abandoned ``1.1.0rc1``, then ``1.2.0``) is folded into the lowest final
    release above it when that release contains it; made on top of that release, it is late;
    on another line of history (a pending ``1.0.1rc1`` of a maintenance branch while main has
    ``2.0.0``) it is a release of its own: never folded because some higher final release
    exists. Only such pre-releases ask git, so the usual history costs no call.
    """
    ordered = list(finals.values())
    names: set[str] = set()
    late: dict[str, Tag] = {}
    for tag in tags:
        if not tag.is_prerelease:
            continue
        if folded(tag.version, finals):
            names.add(tag.name)
            own = finals[final_of(tag.version)]
            if (
                own.sha != tag.sha
                and _after(tag.date, own.date)
                and not git.is_ancestor(root, tag.sha, own.sha)
            ):
                late[tag.name] = own
            continue
        index = bisect.bisect_right(ordered, tag.version, key=lambda t: t.version)
        if index == len(ordered):
            continue  # a pre-release of a release still to come
        above = ordered[index]
        if above.sha == tag.sha or git.is_ancestor(root, tag.sha, above.sha):
            names.add(tag.name)
        elif git.is_ancestor(root, above.sha, tag.sha):
            names.add(tag.name)
            late[tag.name] = above
    return frozenset(names), late


def _after(date: str, other: str) -> bool:
    """Whether ISO date ``date`` is later than ``other`` (an unreadable one is not)."""
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(date) > dt.datetime.fromisoformat(other)
    except ValueError:
        return False
