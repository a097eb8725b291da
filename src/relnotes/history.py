"""History: version tags, and the commits each release holds.

A release holds what its tag reaches and no lower version's tag reaches, so tags on merge
commits take in the side branches they merged, and a maintenance branch's releases do not
swallow the main line's. Every question is answered from ONE streamed ``git log``: the notes
of one release read only that release's range; the whole changelog reads history once.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from relnotes import authors as authorship
from relnotes import git
from relnotes.errors import GitError
from relnotes.lineage import Lineage
from relnotes.models import Commit, Release, Tag
from relnotes.ranges import RangeLog, ordered, to_commit
from relnotes.version import TagFormat, Version, spelled_scheme, version_like

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from relnotes.config import Config


#: The tag formats that count when no ``tag_format`` is configured (the first is the default).
DETECTED_FORMATS = ("v$version", "$version")


def by_version(tags: Iterable[Tag]) -> list[Tag]:
    """Lowest version first, names breaking ties: sorted by name, then (a stable sort) by
    version alone, which compares versions only with ``<`` (2,000 tags: half the time)."""
    found = sorted(tags, key=lambda t: t.name)
    found.sort(key=lambda t: t.version)
    return found


class History:
    """The version tags of a repository and the releases they delimit.

    With ``tag_format`` configured, its tags and ``legacy_tag_formats``' are versions. Without
    it the project's own convention is read from its tags: ``v1.2.0`` and ``1.2.0`` both
    count (a project that went from ``v0.4.0`` to ``0.5.0`` has releases under both), and a
    new tag is spelled like the newest one. Tags that look like versions in no format that
    counts are kept in :attr:`unmatched`, for a warning and for "never propose a version
    that was published".
    """

    def __init__(self, root: str, config: Config, listing: git.Started | None = None) -> None:
        self.root = root
        self.config = config
        configured = "tag_format" in config.configured
        own = [config.tag_format] if configured else [*DETECTED_FORMATS]
        matcher = TagFormat(own[0], [*own[1:], *config.legacy_tag_formats])
        ignored = TagFormat.ignoring(config.ignored_tag_formats)
        tags: list[Tag] = []
        spelling: dict[str, int] = {}
        #: tags that look like versions but that no counted format reads: (tag, its format)
        self.unmatched: list[tuple[Tag, str]] = []
        self._lineage: Lineage | None = None
        self._names: tuple[list[Tag], dict[str, Tag]] | None = None  # tags by name
        for name, sha, date, annotated, committed in git.tag_refs(root, listing):
            found = matcher.match(name)
            if found is not None and len(found[1].release) < 2:
                continue  # `v1`, `v0`: a moving major tag (as GitHub Actions keep), no release
            if found is not None:
                spelling[name] = found[0]
                tags.append(Tag(name, sha, found[1], date, annotated, committed))
                continue
            like = version_like(name)
            if like is not None and not ignored(name):
                tag = Tag(name, sha, like[1], date, annotated, committed)
                self.unmatched.append((tag, like[0]))
        #: tags naming a version that a tag on another commit names first: (tag, that tag)
        self.duplicates: list[tuple[Tag, Tag]] = []
        #: version tags, lowest version first (names break ties, for a stable order)
        self.tags = by_version(self._first_of_each_version(tags))
        self.unmatched.sort(key=lambda item: (item[0].version, item[0].name))
        #: the format new tags are made with: the configured one, else the newest tag's
        self.tag_format = matcher
        if not configured:
            newest = [t for t in self.tags if spelling[t.name] < len(own)]
            if newest:
                convention = own[spelling[newest[-1].name]]
            else:  # no tag yet: what `cz bump` would make in a commitizen project
                convention = "$version" if config.commitizen else own[0]
            others = [f for f in own if f != convention]
            self.tag_format = TagFormat(convention, [*others, *config.legacy_tag_formats])

    def _first_of_each_version(self, tags: list[Tag]) -> list[Tag]:
        """The tags without those that name a version already tagged on another commit.

        ``v0.1.0`` and, later, ``v0.1`` (or ``v1.0.0rc1`` and ``v1.0.0-rc.1``) name one
        version: it was released once, by the tag on the commit the others descend from
        (when none does, the oldest tag, then the first name). The others go to
        :attr:`duplicates`, for a warning. Tags on that same commit stay: they are aliases.
        """
        by_version: dict[Version, list[Tag]] = {}
        for tag in tags:
            by_version.setdefault(tag.version, []).append(tag)
        kept: list[Tag] = []
        for group in by_version.values():
            shas = sorted({t.sha for t in group})
            if len(shas) == 1:
                kept += group
                continue
            base = git.run(self.root, "merge-base", "--octopus", *shas, check=False).strip()
            first = min(group, key=lambda t: (t.sha != base, t.date, t.name))
            kept += [t for t in group if t.sha == first.sha]
            self.duplicates += [(t, first) for t in group if t.sha != first.sha]
        self.duplicates.sort(key=lambda item: (item[0].version, item[0].name))
        return kept

    @property
    def warnings(self) -> list[str]:
        """What every command says once: version-looking tags that count for nothing."""
        said = [
            f"tag {tag.name} names version {first.version}, which tag {first.name} names on "
            f"another commit; only {first.name} is read as that release (delete the other "
            f"tag if it was a mistake: git tag -d {tag.name})"
            for tag, first in self.duplicates
        ]
        return said + self.lineage.warnings() + self._unmatched_warnings()

    def _unmatched_warnings(self) -> list[str]:
        if not self.unmatched:
            return []
        names = [t.name for t, _ in reversed(self.unmatched)]
        formats = list(dict.fromkeys(f for _, f in reversed(self.unmatched)))
        counted = ", ".join([*self.counted_formats, *self.config.legacy_tag_formats])
        wanted = "legacy_tag_formats = [" + ", ".join(f'"{f}"' for f in formats[:3]) + "]"
        if len(names) == 1:
            head = f"tag {names[0]} looks like a version but matches no tag format ({counted})"
            what = "it is not read as a release (to count it"
        else:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if names[3:] else "")
            head = f"{len(names)} tags look like versions but match no tag format ({counted})"
            head += f": {shown}"
            what = "they are not read as releases (to count them"
        return [f"{head}; {what}: {wanted}; to silence this: ignored_tag_formats)"]

    @property
    def counted_formats(self) -> list[str]:
        """The tag formats that name this project's versions (legacy ones aside)."""
        if "tag_format" in self.config.configured:
            return [self.config.tag_format]
        return list(DETECTED_FORMATS)

    # -- looking up -----------------------------------------------------------------------

    def tag(self, name: str) -> Tag:
        """The version tag called ``name`` (errors: unknown tag, not a version tag)."""
        if self._names is None or self._names[0] is not self.tags:  # a dict, not a search
            self._names = (self.tags, {t.name: t for t in self.tags})
        if name in self._names[1]:
            return self._names[1][name]
        for tag, first in self.duplicates:
            if tag.name == name:
                raise GitError(
                    f"tag {name!r} names version {first.version}, already released as "
                    f"{first.name!r} on another commit",
                    hint=f"relnotes reads {first.name} as that release; delete the tag that "
                    "was made by mistake (git tag -d, git push --delete origin)",
                )
        if git.resolve_commit(self.root, f"refs/tags/{name}") is not None:
            formats = ", ".join([*self.counted_formats, *self.config.legacy_tag_formats])
            like = next((f for t, f in self.unmatched if t.name == name), None)
            hint = "set tag_format or legacy_tag_formats in [tool.relnotes] or .cz.toml "
            hint += f'(legacy_tag_formats = ["{like}"])' if like else "to match your tags"
            raise GitError(f"tag {name!r} is not a version tag (tag formats: {formats})", hint=hint)
        known = ", ".join(t.name for t in reversed(self.tags[-5:])) or "none yet"
        raise GitError(f"unknown tag {name!r}", hint=f"version tags here: {known}")

    def published(self, version: str) -> list[Tag]:
        """The tags that name ``version`` in any spelling (``v1.2.0``, ``1.2.0``,
        ``v1.2.0rc1`` for ``1.2.0-rc.1``, a legacy or unmatched format), and any tag already
        called what its new tag would be called."""
        wanted = Version(version)
        found = [t for t in self.tags if t.version == wanted]
        found += [t for t, _ in self.unmatched if t.version == wanted]
        found += [t for t, _ in self.duplicates if t.version == wanted]
        name = self.tag_format.tag_for(version)
        if not any(t.name == name for t in found):
            sha = git.resolve_commit(self.root, f"refs/tags/{name}")
            if sha is not None:
                found.append(Tag(name, sha, wanted, "", annotated=False))
        return found

    def boundaries(self, tag: Tag | None, *, merge: bool | None = None) -> list[Tag]:
        """The tags whose history a release leaves out: every lower version (all, if none),
        lowest first.

        Tags on the release's own commit are aliases, not boundaries. With ``merge`` (by
        default ``changelog_merge_prerelease``, what the changelog does), a final release
        also takes in its pre-releases: everything since the previous final release. The
        notes of a release always merge (:meth:`notes_release`). A pre-release made after
        its final release (``lineage.late``) releases what came after that release.
        """
        if tag is None:
            return list(self.tags)
        if not self.lineage.has(tag):  # a tag not made yet: its pre-releases fold into it
            with self.assuming(tag):
                return self.boundaries(tag, merge=merge)
        if merge is None:
            merge = self.config.changelog_merge_prerelease
        return self.lineage.bounds(tag, merge)

    @property
    def lineage(self) -> Lineage:
        """How the tags stand to each other (for the tags as they are: see :meth:`assuming`)."""
        if self._lineage is None or self._lineage.tags is not self.tags:
            self._lineage = Lineage(self.root, self.tags)
        return self._lineage

    def pending(self, version: str, sha: str, date: str = "") -> Tag:
        """A tag not made yet: the release that tagging ``sha`` as ``version`` would make
        (``date``: the ISO date it will carry)."""
        return Tag(self.tag_format.tag_for(version), sha, Version(version), date, annotated=True)

    def previous(
        self,
        tag: Tag | None,
        *,
        merge: bool | None = None,
        commits: Sequence[Commit] | None = None,
    ) -> Tag | None:
        """The release ``tag`` follows in its own history: its compare link starts there.

        The highest boundary whose commit the release continues (a parent of one of
        ``commits``, its own), so that a maintenance tag (``v1.1.1`` on ``1.1.x``) is not
        the previous release of ``v1.2.0`` on main; else (it continues no tagged commit)
        the highest boundary. A pre-release made after its final release follows it.
        """
        if merge is None:
            merge = self.config.changelog_merge_prerelease
        if tag is None:
            # the unreleased commits follow the release they continue, else the newest one
            speaking = self.changelog_tags(merge=merge)
            names = {t.name for t in speaking}
            newest = speaking[-1] if speaking else None
            if newest is None:
                return None
            return self.lineage.continued(None, lambda t: t.name in names, newest, commits or ())
        if not self.lineage.has(tag):  # a tag not made yet (see boundaries)
            with self.assuming(tag):
                return self.previous(tag, merge=merge, commits=commits)
        return self.lineage.previous_of(tag, merge, commits)

    def latest_on_head(self, tip: str = "HEAD") -> Tag | None:
        """The highest version tag that ``tip`` reaches (the base of the next version)."""
        merged = set(
            git.run(
                self.root,
                "for-each-ref",
                f"--merged={tip}",
                "--format=%(refname:lstrip=2)",
                "refs/tags",
            ).splitlines()
        )
        reachable = [t for t in self.tags if t.name in merged]
        return reachable[-1] if reachable else None

    def split_range(self, revision_range: str) -> tuple[list[str], list[str]]:
        """``BASE..TIP`` (or one revision) as the commits to include and to exclude; errors
        for a symmetric range (``...``) and a revision that names no commit."""
        if "..." in revision_range:
            raise GitError(
                f"symmetric ranges are not supported: {revision_range!r}",
                hint="write BASE..HEAD (the commits HEAD has and BASE has not)",
            )
        base, sep, tip = revision_range.partition("..")
        sides = [(tip or "HEAD", "include"), (base, "exclude")] if sep else [(base, "include")]
        include: list[str] = []
        exclude: list[str] = []
        for revision, role in sides:
            if not revision:
                continue
            sha = git.resolve_commit(self.root, revision)
            if sha is None:
                raise GitError(
                    f"unknown revision {revision!r} in {revision_range!r}",
                    hint="name a tag, branch or commit, as in v1.2.0..HEAD",
                )
            (include if role == "include" else exclude).append(sha)
        return include, exclude

    # -- reading commits ------------------------------------------------------------------

    def commits(self, include: Iterable[str], exclude: Iterable[str] = ()) -> list[Commit]:
        """The commits in a range, newest first, through one ``git log``."""
        return ordered([to_commit(f) for f in git.Log(self.root, include, exclude).records()])

    def authors(
        self, include: Iterable[str], exclude: Iterable[str] = ()
    ) -> Iterator[tuple[str, str]]:
        """Every (name, e-mail) that the commits reachable from ``include`` (and not from
        ``exclude``) name as author or co-author (see :mod:`relnotes.authors`)."""
        return authorship.identities(authorship.log(self.root, include, exclude))

    def authors_before(self, bounds: Sequence[Tag]) -> authorship.Identities:
        """The identities of :meth:`authors` for everything that ``bounds`` (lowest version
        first) reach, the nearest release's history first (:class:`relnotes.authors.Identities`:
        git starts on it at once)."""
        return authorship.Identities(self.root, bounds)

    @contextlib.contextmanager
    def assuming(self, tag: Tag) -> Iterator[None]:
        """Read history as if ``tag`` (not made yet) existed: what the changelog will say
        once it is made."""
        before = self.tags
        self.tags = by_version([*before, tag])
        try:
            yield
        finally:
            self.tags = before

    def release(
        self,
        tag: Tag,
        *,
        merge: bool | None = None,
        meanwhile: Callable[[], None] | None = None,
    ) -> Release:
        """One tagged release: only its own range is read (``merge``: see boundaries).
        ``meanwhile`` runs while git reads it."""
        bounds = self.boundaries(tag, merge=merge)
        log = RangeLog(self.root, [tag.sha], bounds)
        try:
            (meanwhile or _nothing)()
        except BaseException:
            log.close()
            raise
        commits = log.commits()
        previous = self.previous(tag, merge=merge, commits=commits)
        return Release(
            version=self.version_text(tag),
            tag=tag.name,
            previous_tag=previous.name if previous else None,
            date=tag.date[:10],
            commits=tuple(commits),
        )

    def notes_release(self, tag: Tag, meanwhile: Callable[[], None] | None = None) -> Release:
        """A release as its notes tell it: a final release takes in its pre-releases, so
        that its users read everything since the previous final release."""
        return self.release(tag, merge=True, meanwhile=meanwhile)

    def unreleased(self, tip: str = "HEAD") -> tuple[Tag | None, list[Commit]]:
        """The commits ``tip`` reaches that its newest version tag does not, and that tag.

        At an older checkout, or on a branch that a later tag contains, the later tags are
        not the base: only the tags up to the newest one ``tip`` reaches are left out.
        """
        sha = git.resolve_commit(self.root, tip)
        if sha is None:
            raise GitError(f"unknown revision {tip!r}", hint="name a branch, tag or commit")
        base = self.latest_on_head(sha)
        # a pre-release whose final release is out releases no commit of its own (unless the
        # changelog is set to keep pre-releases apart): it is folded, as in the changelog
        speaking = self.changelog_tags(merge=self.config.merge_prerelease_set is not False)
        done = [] if base is None else [*(t for t in speaking if t.version < base.version), base]
        commits = RangeLog(self.root, [sha], done).commits()
        return base, commits

    def all_releases(
        self, since: Tag | None = None, *, merge: bool | None = None
    ) -> tuple[list[Commit], list[Release]]:
        """Every release, newest first, from one pass over the whole history.

        Returns the unreleased commits (HEAD's, newest first) and the tagged releases. With
        ``since``, only the releases above its version: the log leaves out what the tags up
        to ``since`` reach, so an incremental changelog reads only the new commits. With
        ``merge`` (default ``changelog_merge_prerelease``) the pre-releases a final release
        followed are part of it; without, every pre-release is a release of its own.
        """
        head = git.resolve_commit(self.root, "HEAD")
        speaking = self.changelog_tags(merge=merge)
        done = {t.sha for t in self.released_up_to(since, merge=merge)}
        starts = sorted({t.sha for t in self.tags} - done | ({head} if head else set()))
        log = git.Log(self.root, starts, sorted(done)).records()
        by_sha = {c.sha: c for c in map(to_commit, log)}  # each walk takes its commits out
        releases: list[Release] = []
        for tag in speaking:
            if since is not None and tag.version <= since.version:
                continue
            mine = ordered(_walk(by_sha, tag.sha))
            previous = self.previous(tag, merge=merge, commits=mine)
            releases.append(
                Release(
                    version=self.version_text(tag),
                    tag=tag.name,
                    previous_tag=previous.name if previous else None,
                    date=tag.date[:10],
                    commits=tuple(mine),
                )
            )
        unreleased = ordered(_walk(by_sha, head)) if head else []
        releases.reverse()
        return unreleased, releases

    def released_up_to(self, since: Tag | None, *, merge: bool | None = None) -> list[Tag]:
        """The tags that released something up to ``since``'s version, lowest first: what a
        pass over the releases above ``since`` leaves out (a pre-release folded into a final
        release released nothing: see :meth:`changelog_tags`)."""
        if since is None:
            return []
        return [t for t in self.changelog_tags(merge=merge) if t.version <= since.version]

    def changelog_tags(self, *, merge: bool | None = None) -> list[Tag]:
        """The tags that get a release of their own, lowest first.

        Of several tags on one commit the highest final release speaks for it (else the
        highest pre-release: a pre-release of the next version tagged on a final release's
        commit lists nothing of its own); with ``merge``
        (default ``changelog_merge_prerelease``) a pre-release that a final release followed
        is part of that final release, and speaks for no commit (a final release tagged on
        the same commit does). Which pre-releases are folded: :mod:`relnotes.lineage` (a pending one
        of a maintenance branch, while main has higher releases, is not); one made after
        its final release (``lineage.late``) speaks for nothing, however pre-releases are kept:
        its commits are the next release's.
        """
        if merge is None:
            merge = self.config.changelog_merge_prerelease
        late = self.lineage.late
        gone = self.lineage.folded if merge else frozenset()
        kept = [t for t in self.tags if t.name not in late and t.name not in gone]
        speaking: dict[str, Tag] = {}  # a final release speaks over a pre-release there
        for tag in kept:
            other = speaking.get(tag.sha)
            if other is None or other.is_prerelease or not tag.is_prerelease:
                speaking[tag.sha] = tag
        return [t for t in kept if speaking[t.sha] is t]

    def version_scheme(self, current: Tag | None = None) -> str:
        """The configured ``version_scheme``, else the one the pre-release tags are spelled in,
        so that the next pre-release is spelled alike (``v1.0.1-rc.1``, then ``v1.0.1-rc.2``,
        not ``v1.0.1rc2``): a project's tag convention is found, not assumed. The tag HEAD
        continues (``current``) speaks first if it is a pre-release, then the newest
        pre-release below it (a maintenance branch keeps its own series' spelling)."""
        if "version_scheme" in self.config.configured:
            return self.config.version_scheme
        pre = [t for t in self.tags if t.version.pre]  # a/b/rc: a .devN is spelled one way
        if current is not None and current.version.pre:
            pre = [current]
        elif current is not None:
            pre = [t for t in pre if t.version < current.version] or pre
        return spelled_scheme(self.version_text(pre[-1])) if pre else self.config.version_scheme

    def version_text(self, tag: Tag) -> str:
        """The version as the tag spells it (``v1.2.0-rc.1`` -> ``1.2.0-rc.1``)."""
        return self.tag_format.version_text(tag.name) or str(tag.version)


def _walk(by_sha: dict[str, Commit], start: str) -> list[Commit]:
    """The commits reachable from ``start`` that no earlier walk claimed; claims them (takes
    them out of ``by_sha``: what is left is what no release has claimed yet)."""
    found: list[Commit] = []
    stack = [start]
    take = by_sha.pop
    while stack:
        commit = take(stack.pop(), None)
        if commit is None:
            continue  # claimed already, or beyond what was read (the root's missing parent)
        found.append(commit)
        stack.extend(commit.parents)
    return found


def _nothing() -> None:
    """What a read does meanwhile when it is given nothing to do."""
