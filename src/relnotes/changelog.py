"""The changelog: CHANGELOG.md made from the whole history, then updated in place.

An existing file is read as blocks: the preamble, the insertion marker, the Unreleased
section, one block per release (recognised by its version heading in the forms relnotes,
commitizen, git-cliff, git-changelog and Keep a Changelog write) and a footer of link
definitions. An update inserts the releases the file lacks, in order, replaces the
Unreleased section, and leaves every other byte as it was: hand edits survive, and a second
run changes nothing. Only the commits after the newest release in the file are read.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, overload

from packaging.version import InvalidVersion, Version

from relnotes.errors import RelnotesError
from relnotes.models import Release
from relnotes.notes import build_notes

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from relnotes.models import Commit, Tag
    from relnotes.project import Project

#: The line above the newest block; new blocks go right below it (git-changelog's marker).
MARKER = "<!-- insertion marker -->"
UNRELEASED = "Unreleased"

Kind = Literal["text", "marker", "unreleased", "release"]

_HEADING_RE = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)[ \t]*")
#: The name a heading starts with: ``[1.2.0](link) - date``, ``v1.2.0 (date)``, ``[Unreleased]``
_NAME_RE = re.compile(r"\[?(?P<name>[^\]\[\s()]+)")
_VERSION_LIKE_RE = re.compile(r"[vV]?[0-9]+(?:\.[0-9]+)+\S*")
#: What may follow a release's version in its heading, once links, (…) and […] are gone:
#: a date in digits or with a month's name ("2024-01-01", "- March 3, 2024"), nothing else.
_HEADING_REST_RE = re.compile(
    r"[\s\-\u2013\u2014:,./0-9]*"
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s\-\u2013\u2014:,./0-9]*)*",
    re.IGNORECASE,
)
_GROUPS_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>")
_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
#: Lines a footer is made of: link definitions (Keep a Changelog), HTML comments (git-cliff).
_FOOTER_LINE_RE = re.compile(r" {0,3}(?:\[[^\]]+\]:[ \t]*\S.*|<!--.*-->)?[ \t]*")


@dataclass(frozen=True, slots=True)
class Block:
    """A run of lines of the file: its kind, its text (as is) and the version it is about."""

    kind: Kind
    text: str
    version: Version | None = None
    generated: bool = False  # written by this run (the others are kept byte for byte)


@dataclass(frozen=True, slots=True)
class Update:
    """What an update does to the changelog file."""

    path: str
    name: str  # the path as the user knows it (the option, or changelog_file)
    old: str | None  # None: there was no file
    new: str
    added: list[str] = field(default_factory=list)  # versions inserted, newest first
    full: bool = False

    @property
    def changed(self) -> bool:
        return self.old != self.new


class Reader:
    """Splits a changelog into blocks, knowing which headings name a release."""

    def __init__(self, version_of: Callable[[str], Version | None], unreleased: str) -> None:
        self.version_of = version_of
        self.unreleased_names = {UNRELEASED.lower(), unreleased.lower()}

    def heading(self, text: str) -> tuple[Kind, Version | None] | None:
        """Whether a heading opens the Unreleased section, a release, or neither."""
        match = _NAME_RE.match(text)
        name = match["name"] if match else ""
        if name.lower() in self.unreleased_names:
            return "unreleased", None
        if not _VERSION_LIKE_RE.fullmatch(name):
            return None
        rest = _GROUPS_RE.sub("", text[match.end() if match else 0 :].lstrip("]"))
        if not _HEADING_REST_RE.fullmatch(rest):
            return None  # "## 2.0 migration guide" is prose, not the release 2.0
        version = self.version_of(name)
        if version is None:
            try:
                version = Version(name)
            except InvalidVersion:
                return None
        return "release", version

    def blocks(self, text: str) -> tuple[list[Block], str]:
        """The file's blocks, and its footer (trailing link definitions and comments)."""
        lines = text.splitlines(keepends=True)
        blocks: list[Block] = []
        kind: Kind = "text"
        version: Version | None = None
        start = 0
        level: int | None = None
        fence: str | None = None
        seen_marker = False

        def close(end: int) -> None:
            if end > start:
                blocks.append(Block(kind, "".join(lines[start:end]), version))

        for index, raw in enumerate(lines):
            line = raw.rstrip("\r\n")
            if fence is not None:
                if line.strip().startswith(fence):
                    fence = None
                continue
            opened = _FENCE_RE.match(line)
            if opened:
                fence = opened[1]
                continue
            if line.strip() == MARKER and not seen_marker:
                close(index)
                seen_marker = True
                blocks.append(Block("marker", raw))
                kind, version, start = "text", None, index + 1
                continue
            heading = _HEADING_RE.fullmatch(line)
            if heading is None or (level is not None and len(heading[1]) != level):
                continue
            found = self.heading(heading[2])
            if found is None:
                if kind == "unreleased":  # the Unreleased section ends at a heading of its level
                    close(index)
                    kind, version, start = "text", None, index
                continue
            close(index)
            level = len(heading[1])
            (kind, version), start = found, index
        close(len(lines))
        return _split_footer(blocks)


def _split_footer(blocks: list[Block]) -> tuple[list[Block], str]:
    if not blocks or blocks[-1].kind not in ("release", "unreleased"):
        return blocks, ""
    last = blocks[-1]
    lines = last.text.splitlines(keepends=True)
    cut = len(lines)
    while cut > 1 and _FOOTER_LINE_RE.fullmatch(lines[cut - 1].rstrip("\r\n")):
        cut -= 1
    while cut < len(lines) and not lines[cut].strip():
        cut += 1  # blank lines before the footer stay with the block
    if cut == len(lines):
        return blocks, ""
    blocks[-1] = Block(last.kind, "".join(lines[:cut]), last.version)
    return blocks, "".join(lines[cut:])


def join(blocks: Sequence[Block], footer: str = "", newline: str = "\n") -> str:
    """The file's text: kept blocks as they were; a blank line around generated ones."""
    out: list[str] = []
    previous: Block | None = None
    for block in blocks:
        if previous is not None and (block.generated or previous.generated):
            text = "".join(out)
            if not text.endswith("\n"):
                out.append(newline * 2)
            elif not text.endswith(newline * 2) and previous.kind != "marker":
                out.append(newline)
        out.append(block.text)
        previous = block
    text = "".join(out)
    if footer and previous is not None and previous.generated:
        text += newline
    return text + footer


def changelog_path(project: Project, path: str | None = None) -> str:
    """The file to write: ``path``, else ``changelog_file`` in the project's folder."""
    if path is not None and not path.strip():
        raise RelnotesError("--file is empty", hint="name the changelog file, or leave --file out")
    if path:
        return path
    return os.path.join(project.config.root or project.root, project.config.changelog_file)


def read_text(path: str) -> str | None:
    """The file's text as it is (line endings kept), or ``None`` when there is no file."""
    if os.path.exists(path) and not os.path.isfile(path):
        kind = "a folder" if os.path.isdir(path) else "not a regular file"
        raise RelnotesError(
            f"cannot use {path} as the changelog: it is {kind}",
            hint="name a Markdown file with --file, or set changelog_file",
        )
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise RelnotesError(
            f"{path} is not UTF-8 text", hint="convert it to UTF-8, or pass --full --file NEW"
        ) from None
    except OSError as exc:
        raise RelnotesError(f"cannot read {path}: {exc.strerror}") from None


class Objects(Sequence[dict[str, Any]]):
    """The objects of many releases, each built when the template reaches it and dropped
    after: the memory of a full changelog holds the history and its text, not both plus
    every release's object at once. A sequence all the same (``length``, indexing work)."""

    def __init__(
        self,
        first: dict[str, Any] | None,
        releases: Sequence[Release],
        build: Callable[[Release], dict[str, Any]],
    ) -> None:
        self.first = first  # the Unreleased section's object, built already
        self.releases = releases
        self.build = build

    def __len__(self) -> int:
        return len(self.releases) + (self.first is not None)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | Sequence[dict[str, Any]]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        if self.first is not None:
            if index in (0, -len(self)):
                return self.first
            index = index - 1 if index > 0 else index
        return self.build(self.releases[index])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        if self.first is not None:
            yield self.first
        for release in self.releases:
            yield self.build(release)


class Writer:
    """Renders blocks with the changelog template (one template call per run of blocks)."""

    def __init__(self, project: Project, newline: str) -> None:
        self.project = project
        self.config = project.config
        self.newline = newline
        tags = project.history.tags
        self.latest = tags[-1].name if tags else None

    def render(self, releases: Sequence[dict[str, Any]], header: bool = False) -> str:
        from relnotes.render import render

        context = {
            "header": header,
            "marker": MARKER,
            "releases": releases,
            "breaking_title": self.config.breaking_title,
        }
        text = render(self.config.changelog_template, context, self.config).strip("\n") + "\n"
        return text.replace("\n", self.newline) if self.newline != "\n" else text

    def release(self, release: Release) -> dict[str, Any]:
        notes = build_notes(
            release, self.config, repository=self.project.repository, milestones=False, lazy=True
        )
        notes["title"] = release.version
        repository = self.project.repository
        first = f"{repository}/commits/{release.tag}" if repository and release.tag else None
        notes["link"] = notes["links"]["compare"] or first
        return notes

    def unreleased(self, commits: Sequence[Commit]) -> dict[str, Any] | None:
        """The Unreleased section's object, or ``None`` when nothing in it would be listed."""
        release = Release(None, None, self.latest, None, tuple(commits))
        notes = build_notes(
            release, self.config, repository=self.project.repository, milestones=False, lazy=True
        )
        if not notes["sections"] and not notes["breaking_changes"]:
            return None
        repository = self.project.repository
        compare = (
            f"{repository}/compare/{self.latest}...HEAD" if repository and self.latest else None
        )
        notes["links"]["compare"] = notes["link"] = compare
        notes["title"] = self.config.unreleased_version or UNRELEASED
        return notes

    def block(
        self, kind: Kind, objects: Sequence[dict[str, Any]], version: Version | None = None
    ) -> Block:
        return Block(kind, self.render(objects), version, generated=True)


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


def update_changelog(
    project: Project,
    *,
    path: str | None = None,
    unreleased: bool = True,
    full: bool | None = None,
) -> Update:
    """The changelog after inserting missing releases and replacing the Unreleased section.

    Nothing is written here: the caller writes ``Update.new`` (atomically) or shows the diff.
    With ``full`` every release block is rendered anew (hand edits of them are replaced);
    ``unreleased=False`` leaves the Unreleased section as it is.
    """
    with _bulk():
        return _update(project, path, unreleased, full)


def _update(project: Project, path: str | None, unreleased: bool, full: bool | None) -> Update:
    config = project.config
    history = project.history
    target = changelog_path(project, path)
    old = read_text(target)
    bom = "\ufeff" if old is not None and old.startswith("\ufeff") else ""  # kept, not parsed
    full = (not config.changelog_incremental) if full is None else full
    newline = "\r\n" if old is not None and old.split("\n", 1)[0].endswith("\r") else "\n"
    writer = Writer(project, newline)
    reader = Reader(history.tag_format.version_of, config.unreleased_version or UNRELEASED)
    blocks, footer = reader.blocks(
        old[len(bom) :] if old is not None else writer.render([], header=True)
    )

    tags = _listed_tags(project)
    in_file = {b.version for b in blocks if b.kind == "release" and b.version is not None}
    if config.changelog_merge_prerelease and not full:
        # a pre-release whose final release is out now belongs to that release's block
        listed = {t.version for t in tags}
        merged = {v for v in in_file if v.is_prerelease and v not in listed}
        blocks = [b for b in blocks if not (b.kind == "release" and b.version in merged)]
        in_file -= merged
    if full:
        blocks = [b for b in blocks if b.kind != "release"]
    if full or not in_file:
        start = config.changelog_start_rev
        since = _below(history.tags, tags[0].version) if start and tags else None
        newer, gaps = tags, []
    else:
        newest, oldest = max(in_file), min(in_file)
        missing = [t for t in tags if t.version not in in_file and t.version > oldest]
        newer = [t for t in missing if t.version > newest]
        gaps = [t for t in missing if t.version < newest]
        since = _below(history.tags, newest, inclusive=True)

    top: Objects | None = None
    if newer or unreleased:
        pending, releases = history.all_releases(since)
        wanted = {t.name for t in newer}
        section = writer.unreleased(pending) if unreleased else None
        top = Objects(section, [r for r in releases if r.tag in wanted], writer.release)
    if unreleased:
        blocks = [b for b in blocks if b.kind != "unreleased"]
    if top:
        kind: Kind = "unreleased" if top.first is not None else "release"
        blocks.insert(_anchor(blocks), writer.block(kind, top))
    for tag in sorted(gaps, key=lambda t: t.version, reverse=True):
        block = writer.block("release", [writer.release(history.release(tag))], tag.version)
        blocks.insert(_gap_position(blocks, tag.version), block)
    inserted = sorted(
        (t for t in newer + gaps if t.version not in in_file), key=lambda t: t.version
    )
    added = [history.version_text(t) for t in inserted]
    name = path or config.changelog_file
    return Update(target, name, old, bom + join(blocks, footer, newline), added[::-1], full)


def _listed_tags(project: Project) -> list[Tag]:
    """The tags that get a block, lowest first (from ``changelog_start_rev`` on, if set)."""
    history = project.history
    tags = history.changelog_tags()
    start = project.config.changelog_start_rev
    if start:
        first = history.tag(start)
        tags = [t for t in tags if t.version >= first.version]
    return tags


def _below(tags: Sequence[Tag], version: Version, inclusive: bool = False) -> Tag | None:
    """The highest tag below ``version`` (or at it): what the log may leave out."""
    found = [t for t in tags if t.version < version or (inclusive and t.version == version)]
    return found[-1] if found else None


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
