"""How new blocks are written: the changelog template over each release's object, or the
file's own style (:mod:`relnotes.changelog.learn`), with the contributors of each release."""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypedDict, overload

from relnotes.changelog.blocks import MARKER, UNRELEASED, Block
from relnotes.changelog.learn import Known, learn
from relnotes.changelog.style import builtin
from relnotes.models import Release
from relnotes.notes import ReleaseContext, release_context

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from packaging.version import Version

    from relnotes.changelog.blocks import Kind
    from relnotes.changelog.style import Style
    from relnotes.config import Config
    from relnotes.credit import Contributor
    from relnotes.models import Commit, Tag
    from relnotes.project import Project


def values_of(notes: ReleaseContext) -> dict[str, str | None]:
    """What a style's slots take for one release (or the Unreleased section)."""
    return {
        "tag": notes["tag"],
        "previous": notes["previous_tag"],
        "version": notes["version"],
        "date": notes["date"],
        "link": notes["link"],
        "repository": notes["links"]["repository"],
    }


class ChangelogContext(TypedDict):
    """What the changelog template receives (templates/changelog.md.jinja)."""

    header: bool  # write the file's title and preamble too
    marker: str  # the insertion marker under the preamble
    releases: Sequence[ReleaseContext]  # newest first, the Unreleased section first
    breaking_title: str


class Objects(Sequence[ReleaseContext]):
    """The objects of many releases, each built when the template reaches it and dropped
    after (with its commits' parsed messages): the memory of a full changelog holds the
    history and its text, not both plus every release's object and parse at once. A
    sequence all the same (``length``, indexing work).

    ``once``: the template reads the releases once, in order (the built-in one, or a file's
    own style), so each release and its commits go as soon as its object is built: memory
    then follows the text written so far plus the history not written yet.
    """

    def __init__(
        self,
        first: ReleaseContext | None,
        releases: Sequence[Release],
        build: Callable[[Release], ReleaseContext],
        *,
        once: bool = False,
    ) -> None:
        self.first = first  # the Unreleased section's object, built already
        self.releases: list[Release | None] = list(releases)
        self.build = build
        self.once = once

    def __len__(self) -> int:
        return len(self.releases) + (self.first is not None)

    @overload
    def __getitem__(self, index: int) -> ReleaseContext: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ReleaseContext]: ...
    def __getitem__(self, index: int | slice) -> ReleaseContext | Sequence[ReleaseContext]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        if self.first is not None:
            if index in (0, -len(self)):
                return self.first
            index = index - 1 if index > 0 else index
        return self._built(index)

    def __iter__(self) -> Iterator[ReleaseContext]:
        if self.first is not None:
            yield self.first
        for index in range(len(self.releases)):
            yield self._built(index)

    def _built(self, index: int) -> ReleaseContext:
        """A release's object; its commits' parsed messages go once it is built (they are
        parsed again if it is built again), and with ``once`` the release itself."""
        release = self.releases[index]
        if release is None:  # pragma: no cover - a template that reads them once does not
            raise RuntimeError("a changelog release was read twice by a one-pass template")
        notes = self.build(release)
        for commit in release.commits:
            commit.forget()
        if self.once:
            self.releases[index] = None
        return notes

    def close(self) -> None:
        """Let every release go: the template's context (cyclic garbage, collected late
        while a whole history is written) must not keep the history alive."""
        self.releases = []


class Writer:
    """Renders blocks with the changelog template (one template call per run of blocks)."""

    def __init__(self, project: Project, newline: str) -> None:
        self.project = project
        self.config = project.config
        self.newline = newline
        tags = project.history.tags
        self.latest = tags[-1].name if tags else None
        #: the file's own style; None: the changelog template writes (a new file, --full)
        self.style: Style | None = None
        self.pending_date: str | None = None  # the newest unreleased commit's day
        self.unreleased_title = project.config.unreleased_version or UNRELEASED
        #: whether a final release takes in its pre-releases (None: changelog_merge_prerelease)
        self.merge: bool | None = None
        #: who made each release read in one pass, by tag (None: the Unreleased section)
        self.credits: dict[str | None, list[Contributor]] = {}

    def render(self, releases: Sequence[ReleaseContext], header: bool = False) -> str:
        return "".join(self.pieces(releases, header))

    def pieces(self, releases: Sequence[ReleaseContext], header: bool = False) -> Iterator[str]:
        """The text of blocks, in pieces made as they are read: by the file's own style, or
        by the template, without the blank lines it starts with and with one line end at
        its end; in the file's line ends."""
        from relnotes.render import generate

        if self.style is not None and not header:
            style = self.style
            made = _separated(self._styled(r, style) for r in releases)
        else:
            context = ChangelogContext(
                header=header,
                marker=MARKER,
                releases=releases,
                breaking_title=self.config.breaking_title,
            )
            rendered = generate(self.config.changelog_template, context, self.config)
            made = _trimmed(_batched(rendered))
        if self.newline == "\n":
            yield from made
        else:
            yield from (piece.replace("\n", self.newline) for piece in made)

    def _styled(self, notes: ReleaseContext, style: Style) -> str:
        values = values_of(notes)
        if notes["tag"] is None:
            values["date"] = self.pending_date
            return style.unreleased_block(notes, notes["title"] or self.unreleased_title, values)
        return style.release(notes, values)

    @property
    def credited(self) -> bool:
        """Whether releases list their contributors: with ``contributors`` on, the template
        does, a file's own style where it has a Contributors section."""
        style = self.style
        return self.config.contributors and (style is None or style.shape.credits is not None)

    def contributors(self, release: Release) -> list[Contributor]:
        """Who made a release: from the one pass, else from its own range (a release put
        back in a gap); no one where the file's own style has no place for them."""
        if not self.credited:
            return []
        if release.tag in self.credits:
            return self.credits[release.tag]
        history = self.project.history
        bounds = history.tags
        at = "HEAD"
        if release.tag:
            tag = history.tag(release.tag)
            bounds, at = history.boundaries(tag, merge=self.merge), tag.sha
        return self.project.contributors(release.commits, bounds, at=at)

    def release(self, release: Release, title: str | None = None) -> ReleaseContext:
        """A release's object, as the changelog template receives it."""
        return release_context(
            release,
            self.config,
            repository=self.project.repository,
            contributors=self.contributors(release),
            title=title,
        )

    def unreleased(self, commits: Sequence[Commit]) -> ReleaseContext | None:
        """The Unreleased section's object, or ``None`` when nothing in it would be listed."""
        notes = self.release(
            Release(None, None, self.latest, None, tuple(commits)), self.unreleased_title
        )
        if not notes["sections"] and not notes["breaking_changes"]:
            return None
        self.pending_date = commits[0].date[:10] if commits else None
        return notes

    def block(
        self,
        kind: Kind,
        objects: Sequence[ReleaseContext],
        version: Version | None = None,
        *,
        lazy: bool = False,
    ) -> Block:
        """A new block; ``Objects`` let their releases go once it is written. ``lazy``: its
        text is made as the file is written (:attr:`Block.pieces`), never held whole."""
        pieces = self.pieces(objects)
        if isinstance(objects, Objects):
            pieces = _then(pieces, objects.close)
        if lazy:
            return Block(kind, "", version, generated=True, pieces=pieces)
        return Block(kind, "".join(pieces), version, generated=True)

    def learn(self, blocks: Sequence[Block], footer: str) -> None:
        """Write as the file does: its style, learned from its newest releases (none when it
        is the built-in one, or cannot be learned)."""
        project = self.project
        history = project.history
        config = self.config
        by_version: dict[Version, Tag] = {}
        for tag in history.tags:
            by_version.setdefault(tag.version, tag)
        found = [
            (b, by_version[b.version])
            for b in blocks
            if b.kind == "release" and b.version is not None and b.version in by_version
        ]
        found.sort(key=lambda pair: pair[1].version, reverse=True)
        releases = [(block.text, self.known(tag)) for block, tag in found[:4]]
        heading = next((b.text.splitlines()[0] for b in blocks if b.kind == "unreleased"), None)
        style = learn(
            releases,
            unreleased=heading,
            footer=footer,
            repository=project.repository,
            tags=[t.name for t in history.tags],
            sections=config.sections,
            breaking_title=config.breaking_title,
        )
        own = builtin(config.sections, config.breaking_title, linked=bool(project.repository))
        if style is None or style.same_releases(own):
            return
        if style.unreleased_title and not config.unreleased_version:
            self.unreleased_title = style.unreleased_title
        self.style = style

    def known(self, tag: Tag) -> Known:
        """What relnotes knows of a tagged release, to find it in the file's text."""
        history = self.project.history
        previous = history.previous(tag, merge=self.merge)
        name = previous.name if previous else None
        return Known(
            version=tag.version,
            tag=tag.name,
            version_text=history.version_text(tag),
            previous=name,
            date=tag.date[:10],
            link=_link(self.project.repository, tag.name, name),
        )

    def definitions(self, footer: str, added: Sequence[Tag], unreleased: bool) -> str:
        """The footer's link definitions for the new releases (Keep a Changelog), and the
        Unreleased one moved on to the latest tag."""
        if self.style is None:
            return footer
        repository = self.project.repository
        values: list[dict[str, str | None]] = []
        for tag in added:
            known = self.known(tag)
            values.append(
                {
                    "tag": known.tag,
                    "previous": known.previous,
                    "version": known.version_text,
                    "link": known.link,
                    "repository": repository,
                }
            )
        pending = {"previous": self.latest, "repository": repository}
        return self.style.definitions(footer, values, pending if unreleased else None)


def builtin_template(config: Config) -> bool:
    """Whether releases come from the built-in changelog template: a template of the user's
    own is used as it is, whatever the file looks like."""
    if config.changelog_template.removeprefix("relnotes:") != "changelog.md.jinja":
        return False
    if config.template_dir:
        folder = os.path.join(config.root or ".", config.template_dir)
        return not os.path.isfile(os.path.join(folder, "changelog.md.jinja"))
    return True


def _link(repository: str | None, tag: str | None, previous: str | None) -> str | None:
    """A release heading's link: the compare view, or the first release's history."""
    if not repository or not tag:
        return None
    if previous:
        return f"{repository}/compare/{previous}...{tag}"
    return f"{repository}/commits/{tag}"


def credits_of(
    project: Project,
    releases: Sequence[Release],
    unreleased: Sequence[Commit] | None,
    since: Tag | None,
    *,
    merge: bool,
) -> dict[str | None, list[Contributor]]:
    """Who made each release of one pass over history (newest first) and the Unreleased
    section, oldest first: a first-timer is someone no lower release names, nor the history
    the pass left out (below ``since``), which is read only as far as needed, once for all.
    """
    from relnotes.credit import People, Seen, credit, identities

    history = project.history
    left_out = history.released_up_to(since, merge=merge)  # what the pass left out
    seen = Seen(history.authors_before(left_out) if left_out else None)
    found: dict[str | None, list[Contributor]] = {}
    ordered = [
        *reversed(releases),
        *([Release(None, None, None, None, tuple(unreleased))] if unreleased is not None else []),
    ]
    # each release's people as the .mailmap of its own tag says (as its notes say them)
    at = {r.tag: history.tag(r.tag).sha if r.tag else "HEAD" for r in ordered}
    mailmaps = project.mailmaps(list(at.values()))
    exclude = project.config.contributors_exclude
    for release in ordered:
        first = release.previous_tag is None and not left_out and not found
        mailmap = mailmaps[at[release.tag]]
        seen.remap(mailmap)
        credited, releasing = identities(release.commits, project.config)
        people = People(exclude, mailmap).update(credited)
        found[release.tag] = credit(people, None, None if first else seen)
        seen.update(credited)
        seen.update(releasing)
    seen.close()
    return found


def _batched(pieces: Iterable[str], size: int = 2048) -> Iterator[str]:
    """The pieces a template writes (a few characters each), joined a few thousand at a time."""
    it = iter(pieces)
    for batch in iter(lambda: list(itertools.islice(it, size)), []):
        yield "".join(batch)


def _trimmed(pieces: Iterable[str]) -> Iterator[str]:
    """The text of ``pieces`` without the line ends it starts with and with exactly one at
    its end (``text.strip("\\n") + "\\n"``), piece by piece."""
    started = False
    held = 0  # the line ends at the end of what came so far, not given out yet
    for piece in pieces:
        text = piece if started else piece.lstrip("\n")
        if not text:
            continue
        started = True
        body = text.rstrip("\n")
        if body:
            if held:
                yield "\n" * held
            yield body
            held = len(text) - len(body)
        else:
            held += len(text)
    yield "\n"


def _separated(texts: Iterable[str]) -> Iterator[str]:
    """``"\\n".join(texts)``, text by text."""
    first = True
    for text in texts:
        if not first:
            yield "\n"
        first = False
        yield text


def _then(pieces: Iterable[str], done: Callable[[], None]) -> Iterator[str]:
    """The pieces, then ``done()`` once they are all read."""
    yield from pieces
    done()
