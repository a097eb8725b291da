"""Updating the changelog: the releases the file lacks inserted in order, the Unreleased
section replaced, every other byte left as it was (hand edits survive, and a second run changes
nothing). Only the commits after the newest release in the file are read.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import itertools
import os
from typing import TYPE_CHECKING, NamedTuple

from relnotes.changelog.blocks import UNRELEASED, Reader, chunks
from relnotes.changelog.guard import (
    hand_written,
    inside_repository,
    refuse_losing,
    stale_unreleased_title,
)
from relnotes.changelog.source import FileText, read_file
from relnotes.errors import RelnotesError
from relnotes.version import folded

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from packaging.version import Version

    from relnotes.changelog.blocks import Block, Kind
    from relnotes.changelog.writer import Objects, Writer
    from relnotes.config import Config
    from relnotes.models import Commit, Tag
    from relnotes.project import Project


#: The name the refusal gives the Unreleased section (the others are pre-releases folded).
_UNRELEASED_SECTION = "the Unreleased section"


class Update:
    """What an update does to the changelog file (a plain class, not a dataclass:
    ``changelog --check`` would import ``dataclasses``, and ``inspect`` with it, for it)."""

    __slots__ = ("added", "content", "full", "name", "path", "source")

    def __init__(
        self,
        path: str,
        name: str,  # the path as the user knows it (the option, or changelog_file)
        source: FileText | None,  # None: there was no file
        #: the new text, or (``update_changelog(stream=True)``) its pieces, made when read;
        #: ``None``: the file as it is (an update that changes nothing)
        content: str | Iterator[str] | None,
        added: list[str] | None = None,  # versions inserted, newest first
        full: bool = False,
    ) -> None:
        self.path = path
        self.name = name
        self.source = source
        self.content = content
        self.added = [] if added is None else added
        self.full = full

    def __repr__(self) -> str:
        return f"Update({self.path!r}, added={self.added!r}, full={self.full!r})"

    @property
    def old(self) -> str | None:
        """The file's text before the update (``None``: there was no file)."""
        return None if self.source is None else self.source.text

    @property
    def new(self) -> str:
        """The new text (pieces not read yet are made and joined now)."""
        if self.content is None:
            return self.old or ""
        if not isinstance(self.content, str):
            self.content = "".join(self.content)
        return self.content

    def pieces(self) -> Iterator[str]:
        """The new text in pieces, made as they are read: what a long file is written from
        (read once, instead of :attr:`new`)."""
        if self.content is None or isinstance(self.content, str):
            yield self.new
            return
        pieces, self.content = self.content, iter(())
        yield from pieces

    @property
    def changed(self) -> bool:
        if self.source is None:
            return True
        # compared as bytes: the old text is not decoded (4 bytes a character, with an emoji)
        return self.content is not None and self.new.encode("utf-8") != self.source.data

    def out_of_date(self) -> str:
        """Why ``--check`` fails: the file is missing, lacks releases, or differs."""
        name = self.name
        if self.source is None:
            return f"{name} does not exist"
        if self.added:
            count = len(self.added)
            return (
                f"{name} is out of date: {count} release{'s' if count != 1 else ''} missing "
                f"({_versions(self.added)})"
            )
        if self.full:
            return f"{name} differs from a full rebuild"
        return f"{name} is out of date: the Unreleased section differs"

    def summary(self, dry_run: bool) -> str:
        """What the update did (or, with ``dry_run``, would do), in one line."""
        name = self.name
        would = "would " if dry_run else ""
        if self.source is None:
            count = len(self.added)
            if not count:
                return f"{name}: {would}write the Unreleased section (no version tag yet)"
            return f"{name}: {would}write {count} release{'s' if count != 1 else ''}"
        if self.full:
            return (
                f"{name}: {would}rebuild in full (hand edits of released sections are replaced)"
                if dry_run
                else f"{name}: rebuilt in full (hand edits of released sections were replaced)"
            )
        if self.added:
            return f"{name}: {would}{'add' if dry_run else 'added'} {_versions(self.added)}"
        return f"{name}: {would}{'replace' if dry_run else 'replaced'} the Unreleased section"


def _versions(versions: list[str]) -> str:
    shown = ", ".join(versions[:5])
    return shown + (f" and {len(versions) - 5} more" if len(versions) > 5 else "")


@contextlib.contextmanager
def _bulk() -> Iterator[None]:
    """No cyclic garbage collection while whole histories are turned into text.

    Reading, classifying and rendering 100,000 commits makes millions of objects and frees
    almost none, so each collection walks an ever larger heap for nothing: measured, that
    was half of the full changelog's time. The little cyclic garbage (Jinja2 contexts) is
    collected when the collector is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def upcoming(project: Project, tag: Tag, *, path: str | None = None) -> Update:
    """The changelog as it will read once ``tag`` is made (a tag not made yet, from
    :meth:`History.pending` with the date it will carry): the release it makes gets its
    section, in the file's own style, where an update would put it once the tag exists.
    Nothing is written here."""
    with project.history.assuming(tag):
        return update_changelog(project, path=path)


def changelog_path(project: Project, path: str | None = None) -> str:
    """The file to write: ``path``, else ``changelog_file`` in the project's folder."""
    if path is not None and not path.strip():
        raise RelnotesError("--file is empty", hint="name the changelog file, or leave --file out")
    if path:
        return path
    return os.path.join(project.config.root or project.root, project.config.changelog_file)


def update_changelog(
    project: Project,
    *,
    path: str | None = None,
    unreleased: bool = True,
    full: bool | None = None,
    allow_outside: bool = False,
    stream: bool = False,
    read_ahead: Mapping[str, FileText | None] | None = None,
) -> Update:
    """The changelog after inserting missing releases and replacing the Unreleased section.

    Nothing is written here: the caller writes ``Update.new`` (atomically) or shows the diff.
    With ``stream`` the new releases are rendered as the caller reads ``Update.pieces()``
    to write them: the text of a whole history is never held whole.
    With ``full`` every release block is rendered anew (hand edits of them are replaced);
    ``unreleased=False`` leaves the Unreleased section as it is. A file outside the
    repository is refused unless ``allow_outside`` (the user's command line, never the
    configuration); an update that would drop hand-written text from a section it replaces
    is refused (see :mod:`relnotes.changelog.guard`). ``read_ahead``: the text of files
    read already (:func:`read_ahead`, which refuses what is no text), by path.
    """
    with _bulk():
        return _update(project, path, unreleased, full, allow_outside, stream, read_ahead or {})


def read_ahead(project: Project, path: str | None, into: dict[str, FileText | None]) -> None:
    """Read the changelog file (``path``, else changelog_file) into ``into`` before it is
    needed: a command does this while git lists the tags. Nothing is raised here: a file
    that cannot be read is left for the update to report, in its turn."""
    try:
        target = changelog_path(project, path)
        into[target] = read_file(target, _shown(project, path))
    except Exception:  # the update says what is wrong
        return


def _update(
    project: Project,
    path: str | None,
    unreleased: bool,
    full: bool | None,
    allow_outside: bool,
    stream: bool,
    read: Mapping[str, FileText | None],
) -> Update:
    config = project.config
    history = project.history
    target, name, source = _read_target(project, path, unreleased, allow_outside, read)
    removed: list[tuple[str, str]] = []  # sections this update drops: (which, their text)
    candidates: list[Commit] = []  # commits whose entries those sections may hold
    bom = ""  # kept, not parsed
    if source is not None and source.data.startswith(codecs.BOM_UTF8):
        bom = "\ufeff"
    full = (not config.changelog_incremental) if full is None else full
    newline = "\r\n" if source is not None and _first_line(source.data).endswith(b"\r") else "\n"
    reader = Reader(history.tag_format.version_of, config.unreleased_version or UNRELEASED)
    blocks, footer = _file_blocks(project, reader, source, newline)
    in_file = {b.version for b in blocks if b.kind == "release" and b.version is not None}
    listed = Prereleases.of(config, in_file)
    tags = _listed_tags(project, listed)
    if listed.fold and not listed.keep_all and not full:
        # a pre-release whose final release is out now belongs to that release's block
        blocks, merged = _drop_merged(project, blocks, tags, removed, candidates)
        in_file -= merged
    newer, gaps, since = _plan(project, tags, set() if full else in_file, listed)
    if source is not None and not (full or unreleased or removed or newer or gaps):
        # nothing to add, replace or drop: the blocks join back into the file as it is, so
        # nothing is learned or rendered, nor the file decoded (`changelog --check`)
        return Update(target, name, source, None, [], full)
    # the writer (the template, the file's style, Jinja2) is imported when something is written
    from relnotes.changelog.writer import Writer, builtin_template

    writer = Writer(project, newline)
    writer.merge = listed.fold  # a final release takes in its pre-releases, or not
    if not full and in_file and builtin_template(config):
        writer.learn(blocks, footer)
    if full:
        blocks = [b for b in blocks if b.kind != "release"]

    top: Objects | None = None
    if newer or unreleased:
        # the commits read are kept for the check below only when it can run: a rebuild
        # or a new file lets each release's commits go once its block is written
        kept = candidates if source is not None and not full else None
        top = _newest(project, writer, listed, tags, newer, since, unreleased, kept)
    if unreleased:
        removed.extend((_UNRELEASED_SECTION, b.text) for b in blocks if b.kind == "unreleased")
        blocks = [b for b in blocks if b.kind != "unreleased"]
    if top:
        kind: Kind = "unreleased" if top.first is not None else "release"
        # its releases and their commits go once written (before the file's text is joined)
        blocks.insert(_anchor(blocks), writer.block(kind, top, lazy=stream))
    for tag in sorted(gaps, key=lambda t: t.version, reverse=True):
        release = history.release(tag, merge=listed.fold)
        block = writer.block("release", [writer.release(release)], tag.version)
        blocks.insert(_gap_position(blocks, tag.version), block)
    inserted = sorted(
        (t for t in newer + gaps if t.version not in in_file), key=lambda t: t.version
    )
    if writer.style is not None and footer:
        footer = writer.definitions(footer, inserted[::-1], unreleased)
    added = [history.version_text(t) for t in inserted]
    pieces = itertools.chain((bom,), chunks(blocks, footer, newline))
    update = Update(target, name, source, pieces if stream else "".join(pieces), added[::-1], full)
    if removed and not full:
        prereleases = {which for which, _ in removed if which != _UNRELEASED_SECTION}
        refuse_losing(name, hand_written(removed, update.new, candidates, folded=prereleases))
    return update


def _newest(
    project: Project,
    writer: Writer,
    listed: Prereleases,
    tags: Sequence[Tag],
    newer: Sequence[Tag],
    since: Tag | None,
    unreleased: bool,
    candidates: list[Commit] | None,
) -> Objects:
    """The objects of the Unreleased section (when asked) and of the releases above the
    file's newest, read in one pass of the log; every commit read goes into ``candidates``
    (``None``: nothing needs them after their release is written)."""
    from relnotes.changelog.writer import Objects, builtin_template, credits_of

    if writer.credited:  # git reads each release's .mailmap while the log is read
        project.look_up_mailmaps(
            [t.sha for t in project.history.tags if since is None or t.version > since.version]
            + ["HEAD"]
        )
    history = project.history
    pending, releases = history.all_releases(since, merge=listed.fold)
    if pending:  # the Unreleased section compares with the release its commits continue
        latest = history.previous(None, merge=listed.fold, commits=pending)
        writer.latest = latest.name if latest else None
    if candidates is not None:
        candidates.extend(pending)
        candidates.extend(c for r in releases for c in r.commits)
    read = {r.tag: r for r in releases}
    if writer.credited:
        writer.credits = credits_of(
            project, releases, pending if unreleased else None, since, merge=listed.fold
        )
    wanted = [read.get(t.name) or history.release(t, merge=listed.fold) for t in reversed(newer)]
    section = writer.unreleased(pending) if unreleased else None
    once = writer.style is not None or builtin_template(project.config)
    return Objects(section, wanted, writer.release, once=once)


def _drop_merged(
    project: Project,
    blocks: list[Block],
    tags: Sequence[Tag],
    removed: list[tuple[str, str]],
    candidates: list[Commit],
) -> tuple[list[Block], set[Version]]:
    """The blocks without the pre-releases whose final release is out, and those versions;
    the dropped sections and the commits they may list go into ``removed`` and ``candidates``.
    """
    history = project.history
    names = {t.version for t in tags}
    in_file = {b.version for b in blocks if b.kind == "release" and b.version is not None}
    merged = {v for v in in_file if v.is_prerelease and v not in names}
    for block in blocks:
        if block.kind == "release" and block.version in merged:
            removed.append((f"the {block.version} section", block.text))
            tag = next((t for t in history.tags if t.version == block.version), None)
            candidates.extend(history.release(tag, merge=True).commits if tag else ())
    return [b for b in blocks if not (b.kind == "release" and b.version in merged)], merged


def _file_blocks(
    project: Project, reader: Reader, source: FileText | None, newline: str
) -> tuple[list[Block], str]:
    """The blocks of the file (its byte order mark left out), or of the new file's header
    when there is none."""
    if source is None:
        from relnotes.changelog.writer import Writer

        return reader.blocks(Writer(project, newline).render([], header=True))
    skip = len(codecs.BOM_UTF8) if source.data.startswith(codecs.BOM_UTF8) else 0
    if source.plain:  # read through its bytes: only what is kept is decoded
        return reader.blocks(source.data[skip:] if skip else source.data)
    return reader.blocks(source.text[1 if skip else 0 :])


def _read_target(
    project: Project,
    path: str | None,
    unreleased: bool,
    allow_outside: bool,
    read: Mapping[str, FileText | None],
) -> tuple[str, str, FileText | None]:
    """The file to update (inside the repository), its name as the user knows it, and the
    file as it was read (as ``read`` holds it, when it was read ahead)."""
    target = inside_repository(project, changelog_path(project, path), allow_outside=allow_outside)
    name = _shown(project, path)
    found = read[target] if target in read else read_file(target, name)
    if unreleased:
        stale_unreleased_title(project)
    return target, name, found


def _shown(project: Project, path: str | None) -> str:
    """The changelog as the user knows it: the option, or changelog_file."""
    return path or project.config.changelog_file


def _plan(
    project: Project, tags: Sequence[Tag], in_file: set[Version], listed: Prereleases
) -> tuple[list[Tag], list[Tag], Tag | None]:
    """The releases to add above the file's newest and in its gaps, and the tag whose
    history the log may leave out (releases older than the file's oldest are not added)."""
    history = project.history
    if not in_file:
        start = project.config.changelog_start_rev
        return list(tags), [], _below(history.tags, tags[0].version) if start and tags else None
    newest, oldest = max(in_file), min(in_file)
    missing = [t for t in tags if t.version not in in_file and t.version > oldest]
    newer = [t for t in missing if t.version > newest]
    gaps = [t for t in missing if t.version < newest]
    # a final release reads back to the release before it: it takes in its pre-releases
    bounds = [t for t in history.tags if not (listed.fold and t.name in history.lineage.folded)]
    return newer, gaps, _below(bounds, newest, inclusive=True)


class Prereleases(NamedTuple):
    """Which pre-releases get a block of their own, and whether a final release takes in
    its pre-releases.

    ``changelog_merge_prerelease``, when set, decides: true folds pre-releases into their
    final release (and drops their blocks once it is out), false keeps them apart (a final
    release lists only what came after its last pre-release). Unset, the file decides: one
    that lists a pre-release beside its own final release keeps them apart (commitizen's
    files do), any other (a new file, one that lists none, one whose pre-releases are of a
    release still to come, or not tagged yet, as on a maintenance branch) folds them as true
    does (which pre-releases a final release takes in: :mod:`relnotes.lineage`). So what a
    new file lists, a rebuild (``--full``) and every update list too, whatever the file was
    last written at.
    """

    merge: bool | None  # the setting; None when it is not set
    #: the file lists a pre-release beside its own final release (one whose final release
    #: is not out is listed however pre-releases are kept: it says nothing)
    kept_apart: bool = False

    @classmethod
    def of(cls, config: Config, in_file: set[Version]) -> Prereleases:
        """What the setting and the versions the file lists decide."""
        finals = {v for v in in_file if not v.is_prerelease}
        apart = any(folded(v, finals) for v in in_file) if finals else False
        return cls(config.merge_prerelease_set, apart)

    @property
    def fold(self) -> bool:
        """A final release takes in its pre-releases: the ``merge=`` every history read of
        this update passes."""
        return self.merge is True or (self.merge is None and not self.kept_apart)

    @property
    def keep_all(self) -> bool:
        """Every pre-release gets a block, even one whose final release is out."""
        return not self.fold


def _listed_tags(project: Project, listed: Prereleases) -> list[Tag]:
    """The tags that get a block, lowest first (from ``changelog_start_rev`` on, if set)."""
    history = project.history
    tags = history.changelog_tags(merge=listed.fold)
    if listed.keep_all:
        # one block for the tags of one commit; a pre-release made after its final release
        # has none (its commits are the next release's)
        every = [t for t in history.tags if t.name not in history.lineage.late]
        speaking = {t.sha: t for t in every}
        tags = [t for t in every if speaking[t.sha] is t]
    start = project.config.changelog_start_rev
    if start:
        first = history.tag(start)
        tags = [t for t in tags if t.version >= first.version]
    return tags


def _below(tags: Sequence[Tag], version: Version, inclusive: bool = False) -> Tag | None:
    """The highest tag below ``version`` (or at it): what the log may leave out."""
    found = [t for t in tags if t.version < version or (inclusive and t.version == version)]
    return found[-1] if found else None


def _first_line(text: bytes) -> bytes:
    """The bytes up to the first "\\n" (without copying a long text)."""
    end = text.find(b"\n")
    return text if end < 0 else text[:end]


def _anchor(blocks: Sequence[Block]) -> int:
    """Where the newest blocks go: below the marker, else above the first section."""
    index = next((i + 1 for i, b in enumerate(blocks) if b.kind == "marker"), None)
    if index is None:
        index = next(
            (i for i, b in enumerate(blocks) if b.kind in ("release", "unreleased")), len(blocks)
        )
    while index < len(blocks) and blocks[index].kind == "unreleased":
        index += 1  # a kept Unreleased section stays above the releases
    return index


def _gap_position(blocks: Sequence[Block], version: Version) -> int:
    """Above the first release lower than ``version``, else below the last release."""
    last = None
    for index, block in enumerate(blocks):
        if block.kind == "release" and block.version is not None:
            if block.version < version:
                return index
            last = index
    return len(blocks) if last is None else last + 1
