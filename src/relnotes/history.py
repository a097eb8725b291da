"""History: version tags, and the commits each release holds.

A release holds what its tag reaches and no lower version's tag reaches, so tags on merge
commits take in the side branches they merged, and a maintenance branch's releases do not
swallow the main line's. Every question is answered from ONE streamed ``git log``: the notes
of one release read only that release's range; the whole changelog reads history once.
"""

from __future__ import annotations

import bisect
import heapq
from typing import TYPE_CHECKING

from relnotes import git
from relnotes.errors import GitError
from relnotes.models import Commit, Release, Tag
from relnotes.parse import parse
from relnotes.version import TagFormat, Version

if TYPE_CHECKING:
    from collections.abc import Iterable

    from relnotes.config import Config


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
    sha, parents, author, email, date, timestamp, message = fields
    return Commit(
        sha=sha,
        parents=tuple(parents.split()),
        author=author,
        email=email,
        date=date,
        timestamp=int(timestamp or 0),
        message=message,
        parsed=parse(message, comment_char=None),
    )


class History:
    """The version tags of a repository and the releases they delimit."""

    def __init__(self, root: str, config: Config) -> None:
        self.root = root
        self.config = config
        self.tag_format = TagFormat(config.tag_format, config.legacy_tag_formats)
        tags: list[Tag] = []
        for name, sha, date, annotated in git.tag_refs(root):
            version = self.tag_format.version_of(name)
            if version is not None:
                tags.append(Tag(name, sha, version, date, annotated))
        #: version tags, lowest version first (names break ties, for a stable order)
        self.tags = sorted(tags, key=lambda t: (t.version, t.name))

    # -- looking up -----------------------------------------------------------------------

    def tag(self, name: str) -> Tag:
        """The version tag called ``name`` (errors: unknown tag, not a version tag)."""
        for tag in self.tags:
            if tag.name == name:
                return tag
        if git.resolve_commit(self.root, f"refs/tags/{name}") is not None:
            raise GitError(
                f"tag {name!r} is not a version tag for tag_format {self.config.tag_format!r}",
                hint="set tag_format in [tool.relnotes] or .cz.toml to match your tags",
            )
        known = ", ".join(t.name for t in reversed(self.tags[-5:])) or "none yet"
        raise GitError(f"unknown tag {name!r}", hint=f"version tags here: {known}")

    def boundaries(self, tag: Tag | None) -> list[Tag]:
        """The tags whose history a release leaves out: every lower version (all, if none).

        Tags on the release's own commit are aliases, not boundaries. With
        ``changelog_merge_prerelease``, a final release also takes in its pre-releases.
        """
        if tag is None:
            return list(self.tags)
        end = bisect.bisect_left(self.tags, tag.version, key=lambda t: t.version)
        lower = [t for t in self.tags[:end] if t.sha != tag.sha]
        if self.config.changelog_merge_prerelease and not tag.is_prerelease:
            finals = [t for t in lower if not t.is_prerelease]
            floor = finals[-1].version if finals else None
            lower = [
                t for t in lower if not (t.is_prerelease and (floor is None or t.version > floor))
            ]
        return lower

    def pending(self, version: str, sha: str) -> Tag:
        """A tag not made yet: the release that tagging ``sha`` as ``version`` would make."""
        return Tag(self.tag_format.tag_for(version), sha, Version(version), "", annotated=True)

    def previous(self, tag: Tag | None) -> Tag | None:
        """The highest boundary of a release: its compare link starts there."""
        if tag is None or self.config.changelog_merge_prerelease:
            bounds = self.boundaries(tag)
            return bounds[-1] if bounds else None
        end = bisect.bisect_left(self.tags, tag.version, key=lambda t: t.version)
        return next((t for t in reversed(self.tags[:end]) if t.sha != tag.sha), None)

    def latest_on_head(self) -> Tag | None:
        """The highest version tag that HEAD reaches (the base of the next version)."""
        merged = set(
            git.run(
                self.root,
                "for-each-ref",
                "--merged=HEAD",
                "--format=%(refname:lstrip=2)",
                "refs/tags",
            ).splitlines()
        )
        reachable = [t for t in self.tags if t.name in merged]
        return reachable[-1] if reachable else None

    # -- reading commits ------------------------------------------------------------------

    def commits(self, include: Iterable[str], exclude: Iterable[str] = ()) -> list[Commit]:
        """The commits in a range, newest first, through one ``git log``."""
        return ordered([to_commit(f) for f in git.stream_log(self.root, include, exclude)])

    def release(self, tag: Tag) -> Release:
        """One tagged release: only its own range is read."""
        bounds = self.boundaries(tag)
        commits = self.commits([tag.sha], sorted({t.sha for t in bounds}))
        return Release(
            version=self.version_text(tag),
            tag=tag.name,
            previous_tag=bounds[-1].name if bounds else None,
            date=tag.date[:10],
            commits=tuple(commits),
        )

    def unreleased(self, tip: str = "HEAD") -> tuple[Tag | None, list[Commit]]:
        """The commits ``tip`` reaches that no version tag does, and the tag they follow."""
        sha = git.resolve_commit(self.root, tip)
        if sha is None:
            raise GitError(f"unknown revision {tip!r}", hint="name a branch, tag or commit")
        commits = self.commits([sha], sorted({t.sha for t in self.tags}))
        return self.latest_on_head() if tip == "HEAD" else None, commits

    def all_releases(self, since: Tag | None = None) -> tuple[list[Commit], list[Release]]:
        """Every release, newest first, from one pass over the whole history.

        Returns the unreleased commits (HEAD's, newest first) and the tagged releases. With
        ``since``, only the releases above its version: the log leaves out what the tags up
        to ``since`` reach, so an incremental changelog reads only the new commits.
        """
        head = git.resolve_commit(self.root, "HEAD")
        done = {t.sha for t in self.tags if since is not None and t.version <= since.version}
        starts = sorted({t.sha for t in self.tags} - done | ({head} if head else set()))
        log = git.stream_log(self.root, starts, sorted(done))
        by_sha = {c.sha: c for c in map(to_commit, log)}

        owner: dict[str, str] = {}  # sha -> the tag (name) that released it
        releases: list[Release] = []
        for tag in self.changelog_tags():
            if since is not None and tag.version <= since.version:
                continue
            mine = ordered(_walk(by_sha, tag.sha, owner, tag.name))
            previous = self.previous(tag)
            releases.append(
                Release(
                    version=self.version_text(tag),
                    tag=tag.name,
                    previous_tag=previous.name if previous else None,
                    date=tag.date[:10],
                    commits=tuple(mine),
                )
            )
        unreleased = ordered(_walk(by_sha, head, owner, "")) if head else []
        releases.reverse()
        return unreleased, releases

    def changelog_tags(self) -> list[Tag]:
        """The tags that get a release of their own, lowest first.

        Of several tags on one commit the highest version speaks for it; with
        ``changelog_merge_prerelease`` a pre-release that a final release followed is part
        of that final release.
        """
        speaking = {t.sha: t for t in self.tags}
        finals = [t.version for t in self.tags if not t.is_prerelease]
        newest_final = finals[-1] if finals and self.config.changelog_merge_prerelease else None
        return [
            t
            for t in self.tags
            if speaking[t.sha] is t
            and not (newest_final and t.is_prerelease and t.version < newest_final)
        ]

    def version_text(self, tag: Tag) -> str:
        """The version as the tag spells it (``v1.2.0-rc.1`` -> ``1.2.0-rc.1``)."""
        return self.tag_format.version_text(tag.name) or str(tag.version)


def _walk(by_sha: dict[str, Commit], start: str, owner: dict[str, str], name: str) -> list[Commit]:
    """The commits reachable from ``start`` that no earlier walk claimed; claims them."""
    found: list[Commit] = []
    stack = [start]
    while stack:
        sha = stack.pop()
        if sha in owner:
            continue
        commit = by_sha.get(sha)
        if commit is None:
            continue  # beyond what was read (e.g. the root's missing parent)
        owner[sha] = name
        found.append(commit)
        stack.extend(commit.parents)
    return found
