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

from relnotes import git
from relnotes.errors import RelnotesError
from relnotes.models import Release
from relnotes.notes import build_notes, empty_text

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from relnotes.changelog_style import Known, Style
    from relnotes.config import Config
    from relnotes.credit import Contributor
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
#: Words before a version in a heading (``Release 1.2.0``), and what ends them (`` in``).
_PREFIX_RE = re.compile(
    r"(?P<prefix>[^\W\d_](?:[^\W\d]|[ '\u2019.-]){0,40}?[ \t]+)(?P<tail>\[?[vV]?[0-9].*)"
)
_PREFIX_TAIL_RE = re.compile(r"(?:[ \t]+(?:in|for|of))?[ \t]*$")
_KNOWN_PREFIXES = ("release", "version")
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


def values_of(notes: dict[str, Any]) -> dict[str, str | None]:
    """What a style's slots take for one release (or the Unreleased section)."""
    return {
        "tag": notes["tag"],
        "previous": notes["previous_tag"],
        "version": notes["version"],
        "date": notes["date"],
        "link": notes["link"],
        "repository": notes["links"]["repository"],
    }


class Reader:
    """Splits a changelog into blocks, knowing which headings name a release."""

    def __init__(self, version_of: Callable[[str], Version | None], unreleased: str) -> None:
        self.version_of = version_of
        self.unreleased_names = {UNRELEASED.lower(), unreleased.lower()}
        self.prefixes: tuple[str, ...] = ()

    def heading(self, text: str) -> tuple[Kind, Version | None] | None:
        """Whether a heading opens the Unreleased section, a release, or neither."""
        found = self._named(text)
        if found is not None or not self.prefixes:
            return found
        lowered = text.lower()
        for prefix in self.prefixes:
            if lowered.startswith(prefix):
                found = self._named(text[len(prefix) :])
                return found if found is not None and found[0] == "release" else None
            if lowered.strip() == _PREFIX_TAIL_RE.sub("", prefix):
                return "unreleased", None  # git-cliff's "What's Changed" above "… in 1.2.0"
        return None

    def _named(self, text: str) -> tuple[Kind, Version | None] | None:
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

    def learn_prefixes(self, headings: Iterable[str]) -> None:
        """The words that stand before the version in this file's release headings
        (``Release 1.2.0``, ``What's Changed in 1.2.0``): ``release`` and ``version``, and any
        words that two release headings share."""
        counts: dict[str, int] = {}
        for text in headings:
            match = _PREFIX_RE.fullmatch(text)
            if match is None or self._named(text) is not None:
                continue
            found = self._named(match["tail"])
            if found is not None and found[0] == "release":
                prefix = match["prefix"].lower()
                counts[prefix] = counts.get(prefix, 0) + 1
        self.prefixes = tuple(
            p for p, n in counts.items() if n >= 2 or p.strip() in _KNOWN_PREFIXES
        )

    def blocks(self, text: str) -> tuple[list[Block], str]:
        """The file's blocks, and its footer (trailing link definitions and comments)."""
        lines = text.splitlines(keepends=True)
        self.learn_prefixes(h[2] for _i, _raw, h in _headings(lines) if h is not None)
        blocks: list[Block] = []
        kind: Kind = "text"
        version: Version | None = None
        start = 0
        level: int | None = None
        seen_marker = False

        def close(end: int) -> None:
            if end > start:
                blocks.append(Block(kind, "".join(lines[start:end]), version))

        for index, raw, heading in _headings(lines):
            if raw.strip() == MARKER and not seen_marker:
                close(index)
                seen_marker = True
                blocks.append(Block("marker", raw))
                kind, version, start = "text", None, index + 1
                continue
            if heading is None or (level is not None and not _same_level(len(heading[1]), level)):
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


def _headings(lines: Sequence[str]) -> Iterator[tuple[int, str, re.Match[str] | None]]:
    """Each line outside fenced code blocks and HTML comments, with its heading match
    (``None``: not one). A fence or a comment that never closes is text, as if it were not
    there: the rest of the file must not vanish (each run would add the history again)."""
    skip_to = _hidden_runs(lines)
    index = 0
    while index < len(lines):
        end = skip_to.get(index)
        if end is not None:
            index = end + 1
            continue
        raw = lines[index]
        yield index, raw, _HEADING_RE.fullmatch(raw.rstrip("\r\n"))
        index += 1


def _hidden_runs(lines: Sequence[str]) -> dict[int, int]:
    """Where each closed code fence or multi-line HTML comment starts and ends (line indexes).

    Found in one pass with the closers looked up ahead of time, so a file of many unclosed
    fences costs no more than one of closed ones.
    """
    closers = _fence_closers(lines)
    comment_ends = [-1] * (len(lines) + 1)  # the next line at or after i holding "-->"
    for index in range(len(lines) - 1, -1, -1):
        comment_ends[index] = index if "-->" in lines[index] else comment_ends[index + 1]
    runs: dict[int, int] = {}
    index = 0
    while index < len(lines):
        line = lines[index].rstrip("\r\n")
        opened = _FENCE_RE.match(line)
        end: int | None = None
        if opened:
            end = closers(index, opened[1])
        else:
            start = line.find("<!--")
            if 0 <= start <= 3 and "-->" not in line[start + 4 :]:
                found = comment_ends[index + 1]
                end = found if found >= 0 else None
        if end is not None:
            runs[index] = end
            index = end + 1
        else:
            index += 1
    return runs


def _fence_closers(lines: Sequence[str]) -> Callable[[int, str], int | None]:
    """A lookup: the line that closes the fence opened at a line (``None``: none does).

    A closer is a fence line of the same character, at least as long, with nothing after it.
    One pass from the end, keeping per character the closers that no nearer closer at least
    as long hides: their lengths grow with their distance, so a binary search finds the
    nearest long enough one.
    """
    import bisect

    kept: dict[str, tuple[list[int], list[int]]] = {"`": ([], []), "~": ([], [])}
    answers: dict[int, int | None] = {}
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index].rstrip("\r\n")
        fence = _FENCE_RE.match(line)
        if fence is None:
            continue
        keys, where = kept[fence[1][0]]  # keys: minus the lengths, nearest last (ascending)
        length = len(fence[1])
        found = bisect.bisect_right(keys, -length) - 1
        answers[index] = where[found] if found >= 0 else None
        if not line[fence.end() :].strip():
            while keys and -keys[-1] <= length:
                keys.pop()
                where.pop()
            keys.append(-length)
            where.append(index)

    def closer(index: int, fence: str) -> int | None:
        return answers.get(index)

    return closer


def _same_level(found: int, level: int) -> bool:
    """Release headings keep one level, except that ``#`` and ``##`` mix: conventional-changelog
    writes ``# [1.1.0]`` for a minor release and ``## [1.1.1]`` for a patch."""
    return found == level or (found <= 2 and level <= 2)


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
        #: the file's own style; None: the changelog template writes (a new file, --full)
        self.style: Style | None = None
        self.pending_date: str | None = None  # the newest unreleased commit's day
        self.unreleased_title = project.config.unreleased_version or UNRELEASED
        #: who made each release read in one pass, by tag (None: the Unreleased section)
        self.credits: dict[str | None, list[Contributor]] = {}

    def render(self, releases: Sequence[dict[str, Any]], header: bool = False) -> str:
        from relnotes.render import render

        if self.style is not None and not header:
            text = "\n".join(self._styled(r, self.style) for r in releases)
            return text.replace("\n", self.newline) if self.newline != "\n" else text
        context = {
            "header": header,
            "marker": MARKER,
            "releases": releases,
            "breaking_title": self.config.breaking_title,
        }
        text = render(self.config.changelog_template, context, self.config).strip("\n") + "\n"
        return text.replace("\n", self.newline) if self.newline != "\n" else text

    def _styled(self, notes: dict[str, Any], style: Style) -> str:
        values = values_of(notes)
        if notes["tag"] is None:
            values["date"] = self.pending_date
            return style.unreleased_block(notes, notes["title"], values)
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
        bounds = history.boundaries(history.tag(release.tag)) if release.tag else history.tags
        return self.project.contributors(release.commits, bounds)

    def _notes(self, release: Release) -> dict[str, Any]:
        return build_notes(
            release,
            self.config,
            repository=self.project.repository,
            milestones=False,
            lazy=True,
            contributors=self.contributors(release),
        )

    def release(self, release: Release) -> dict[str, Any]:
        notes = self._notes(release)
        notes["title"] = release.version
        notes["empty_text"] = empty_text(release)
        notes["link"] = notes["links"]["compare"] or _link(
            self.project.repository, release.tag, None
        )
        return notes

    def unreleased(self, commits: Sequence[Commit]) -> dict[str, Any] | None:
        """The Unreleased section's object, or ``None`` when nothing in it would be listed."""
        notes = self._notes(Release(None, None, self.latest, None, tuple(commits)))
        if not notes["sections"] and not notes["breaking_changes"]:
            return None
        repository = self.project.repository
        compare = (
            f"{repository}/compare/{self.latest}...HEAD" if repository and self.latest else None
        )
        notes["links"]["compare"] = notes["link"] = compare
        notes["title"] = self.unreleased_title
        self.pending_date = commits[0].date[:10] if commits else None
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


def upcoming(project: Project, tag: Tag, *, path: str | None = None) -> Update:
    """The changelog as it will read once ``tag`` is made (a tag not made yet, from
    :meth:`History.pending` with the date it will carry): the release it makes gets its
    section, in the file's own style, where an update would put it once the tag exists.
    Nothing is written here."""
    with project.history.assuming(tag):
        return update_changelog(project, path=path)


def _credits(
    project: Project,
    releases: Sequence[Release],
    unreleased: Sequence[Commit] | None,
    since: Tag | None,
) -> dict[str | None, list[Contributor]]:
    """Who made each release of one pass over history (newest first) and the Unreleased
    section, oldest first: a first-timer is someone no lower release names, nor the history
    the pass left out (below ``since``), which is read only as far as needed, once for all.
    """
    from relnotes.credit import People, Seen, credit, identities

    history = project.history
    left_out = [] if since is None else [t.sha for t in history.tags if t.version <= since.version]
    seen = Seen(history.authors(sorted(set(left_out))) if left_out else None)
    found: dict[str | None, list[Contributor]] = {}
    ordered = [
        *reversed(releases),
        *([Release(None, None, None, None, tuple(unreleased))] if unreleased is not None else []),
    ]
    exclude = project.config.contributors_exclude
    for release in ordered:
        first = release.previous_tag is None and not left_out and not found
        credited, releasing = identities(release.commits, project.config)
        found[release.tag] = credit(People(exclude).update(credited), None, None if first else seen)
        seen.update(credited)
        seen.update(releasing)
    seen.close()
    return found


def update_changelog(
    project: Project,
    *,
    path: str | None = None,
    unreleased: bool = True,
    full: bool | None = None,
    allow_outside: bool = False,
) -> Update:
    """The changelog after inserting missing releases and replacing the Unreleased section.

    Nothing is written here: the caller writes ``Update.new`` (atomically) or shows the diff.
    With ``full`` every release block is rendered anew (hand edits of them are replaced);
    ``unreleased=False`` leaves the Unreleased section as it is. A file outside the
    repository is refused unless ``allow_outside`` (the user's command line, never the
    configuration); an update that would drop hand-written text from a section it replaces
    is refused (see :mod:`relnotes.changelog_guard`).
    """
    with _bulk():
        return _update(project, path, unreleased, full, allow_outside)


def _update(
    project: Project, path: str | None, unreleased: bool, full: bool | None, allow_outside: bool
) -> Update:
    from relnotes.changelog_guard import hand_written, refuse_losing

    config = project.config
    history = project.history
    target, name, old = _read_target(project, path, unreleased, allow_outside)
    removed: list[tuple[str, str]] = []  # sections this update drops: (which, their text)
    candidates: list[Commit] = []  # commits whose entries those sections may hold
    bom = "\ufeff" if old is not None and old.startswith("\ufeff") else ""  # kept, not parsed
    full = (not config.changelog_incremental) if full is None else full
    newline = "\r\n" if old is not None and old.split("\n", 1)[0].endswith("\r") else "\n"
    writer = Writer(project, newline)
    reader = Reader(history.tag_format.version_of, config.unreleased_version or UNRELEASED)
    blocks, footer = reader.blocks(
        old[len(bom) :] if old is not None else writer.render([], header=True)
    )
    in_file = {b.version for b in blocks if b.kind == "release" and b.version is not None}
    listed = Prereleases(
        _merge_prerelease(config), any(v.is_prerelease for v in in_file), bool(in_file)
    )
    with listed.folding(config):
        tags = _listed_tags(project, listed)
        if listed.merge is True and not full:
            # a pre-release whose final release is out now belongs to that release's block
            blocks, merged = _drop_merged(project, blocks, tags, removed, candidates)
            in_file -= merged
        if not full and in_file and _builtin_template(config):
            writer.style = _learn(project, writer, blocks, footer)
        if full:
            blocks = [b for b in blocks if b.kind != "release"]
        newer, gaps, since = _plan(project, tags, set() if full else in_file, listed)

        top: Objects | None = None
        if newer or unreleased:
            top = _newest(project, writer, listed, tags, newer, since, unreleased, candidates)
        if unreleased:
            removed.extend(
                ("the Unreleased section", b.text) for b in blocks if b.kind == "unreleased"
            )
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
        if writer.style is not None and footer:
            footer = _definitions(project, writer, footer, inserted[::-1], unreleased)
    added = [history.version_text(t) for t in inserted]
    new_text = bom + join(blocks, footer, newline)
    if removed and not full:
        refuse_losing(name, hand_written(removed, new_text, candidates))
    return Update(target, name, old, new_text, added[::-1], full)


def _newest(
    project: Project,
    writer: Writer,
    listed: Prereleases,
    tags: Sequence[Tag],
    newer: Sequence[Tag],
    since: Tag | None,
    unreleased: bool,
    candidates: list[Commit],
) -> Objects:
    """The objects of the Unreleased section (when asked) and of the releases above the
    file's newest, read in one pass of the log; every commit read goes into ``candidates``."""
    history = project.history
    pending, releases = history.all_releases(since)
    candidates.extend(pending)
    candidates.extend(c for r in releases for c in r.commits)
    if listed.skip_all and any(t.is_prerelease for t in history.tags):
        pending = _pending(project, tags)
        candidates.extend(pending)
        writer.latest = tags[-1].name if tags else None  # what Unreleased follows
        names = {t.name for t in tags}  # the pre-releases left out are pending, not released
        releases = [r for r in releases if r.tag in names]
    read = {r.tag: r for r in releases}
    if writer.credited:
        writer.credits = _credits(project, releases, pending if unreleased else None, since)
    wanted = [read.get(t.name) or history.release(t) for t in reversed(newer)]
    section = writer.unreleased(pending) if unreleased else None
    return Objects(section, wanted, writer.release)


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
            candidates.extend(history.release(tag).commits if tag else ())
    return [b for b in blocks if not (b.kind == "release" and b.version in merged)], merged


def _read_target(
    project: Project, path: str | None, unreleased: bool, allow_outside: bool
) -> tuple[str, str, str | None]:
    """The file to update (inside the repository), its name as the user knows it, its text."""
    from relnotes.changelog_guard import inside_repository, require_text, stale_unreleased_title

    target = inside_repository(project, changelog_path(project, path), allow_outside=allow_outside)
    old = read_text(target)
    name = path or project.config.changelog_file
    if old is not None:
        require_text(name, old)
    if unreleased:
        stale_unreleased_title(project)
    return target, name, old


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
    # a final release reads back to the last final one: it takes in its pre-releases
    bounds = [t for t in history.tags if not (listed.fold and t.is_prerelease)]
    return newer, gaps, _below(bounds, newest, inclusive=True)


@dataclass(frozen=True, slots=True)
class Prereleases:
    """Which pre-releases get a block of their own, and whether a final release takes in
    its pre-releases.

    ``changelog_merge_prerelease``, when set, decides: true folds pre-releases into their
    final release (and drops their blocks once it is out), false keeps them apart. Unset, a
    file that lists pre-releases gets them and one that lists none gets none (a new file:
    only those of a release still to come), and a final release takes in its pre-releases.
    """

    merge: bool | None  # the setting; None when it is not set
    in_file: bool  # the file lists a pre-release
    file_has_releases: bool

    @property
    def fold(self) -> bool:
        return self.merge is not False

    @property
    def skip_all(self) -> bool:
        """No pre-release gets a block (the file lists releases, no pre-release among them)."""
        return self.merge is None and self.file_has_releases and not self.in_file

    @property
    def keep_all(self) -> bool:
        """Every pre-release gets a block, even one whose final release is out."""
        return self.merge is False or (self.merge is None and self.in_file)

    @contextlib.contextmanager
    def folding(self, config: Config) -> Iterator[None]:
        """The history read as ``changelog_merge_prerelease = fold`` reads it (how history.py
        lets a final release's range take in its pre-releases today)."""
        before = config.changelog_merge_prerelease
        config.changelog_merge_prerelease = self.fold
        try:
            yield
        finally:
            config.changelog_merge_prerelease = before


def _merge_prerelease(config: Config) -> bool | None:
    """``changelog_merge_prerelease`` as the project set it, ``None`` when it is not set."""
    if "changelog_merge_prerelease" not in config.configured:
        return None
    return config.changelog_merge_prerelease


def _listed_tags(project: Project, listed: Prereleases) -> list[Tag]:
    """The tags that get a block, lowest first (from ``changelog_start_rev`` on, if set)."""
    history = project.history
    tags = history.changelog_tags()
    if listed.keep_all:
        speaking = {t.sha: t for t in history.tags}  # one block for the tags of one commit
        tags = [t for t in history.tags if speaking[t.sha] is t]
    elif listed.skip_all:  # a final release speaks for its commit, a pre-release there or not
        finals = {t.sha: t for t in history.tags if not t.is_prerelease}
        tags = [t for t in history.tags if finals.get(t.sha) is t]
    start = project.config.changelog_start_rev
    if start:
        first = history.tag(start)
        tags = [t for t in tags if t.version >= first.version]
    return tags


def _pending(project: Project, listed: Sequence[Tag]) -> list[Commit]:
    """The unreleased commits when pre-releases get no block: all since the last release
    with one (a pre-release's commits stay in the Unreleased section until its final)."""
    head = git.resolve_commit(project.root, "HEAD")
    names = {t.name for t in listed}
    kept = [t for t in project.history.tags if t.name in names or not t.is_prerelease]
    return project.history.commits([head], sorted({t.sha for t in kept})) if head else []


def _builtin_template(config: Config) -> bool:
    """Whether releases come from the built-in changelog template: a template of the user's
    own is used as it is, whatever the file looks like."""
    if config.changelog_template.removeprefix("relnotes:") != "changelog.md.jinja":
        return False
    if config.template_dir:
        folder = os.path.join(config.root or ".", config.template_dir)
        return not os.path.isfile(os.path.join(folder, "changelog.md.jinja"))
    return True


def _learn(project: Project, writer: Writer, blocks: Sequence[Block], footer: str) -> Style | None:
    """The file's style, or ``None`` when it is the built-in one (or cannot be learned)."""
    from relnotes.changelog_style import builtin, learn

    history = project.history
    config = project.config
    by_version: dict[Version, Tag] = {}
    for tag in history.tags:
        by_version.setdefault(tag.version, tag)
    found = [
        (b, by_version[b.version])
        for b in blocks
        if b.kind == "release" and b.version is not None and b.version in by_version
    ]
    found.sort(key=lambda pair: pair[1].version, reverse=True)
    releases = [(block.text, _known(project, tag)) for block, tag in found[:4]]
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
        return None
    if style.unreleased_title and not config.unreleased_version:
        writer.unreleased_title = style.unreleased_title
    return style


def _known(project: Project, tag: Tag) -> Known:
    from relnotes.changelog_style import Known

    history = project.history
    previous = history.previous(tag)
    name = previous.name if previous else None
    return Known(
        version=tag.version,
        tag=tag.name,
        version_text=history.version_text(tag),
        previous=name,
        date=tag.date[:10],
        link=_link(project.repository, tag.name, name),
    )


def _link(repository: str | None, tag: str | None, previous: str | None) -> str | None:
    """A release heading's link: the compare view, or the first release's history."""
    if not repository or not tag:
        return None
    if previous:
        return f"{repository}/compare/{previous}...{tag}"
    return f"{repository}/commits/{tag}"


def _definitions(
    project: Project, writer: Writer, footer: str, added: Sequence[Tag], unreleased: bool
) -> str:
    """The footer's link definitions for the new releases (Keep a Changelog), and the
    Unreleased one moved on to the latest tag."""
    if writer.style is None:
        return footer
    values: list[dict[str, str | None]] = []
    for tag in added:
        known = _known(project, tag)
        values.append(
            {
                "tag": known.tag,
                "previous": known.previous,
                "version": known.version_text,
                "link": known.link,
                "repository": project.repository,
            }
        )
    pending = {"previous": writer.latest, "repository": project.repository}
    return writer.style.definitions(footer, values, pending if unreleased else None)


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
