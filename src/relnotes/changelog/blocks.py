"""An existing changelog read as blocks: the preamble, the insertion marker, the Unreleased
section, one block per release (recognised by its version heading in the forms relnotes,
commitizen, git-cliff, git-changelog and Keep a Changelog write) and a footer of link
definitions; and the blocks joined back into the file's text, kept blocks byte for byte.
"""

from __future__ import annotations

import bisect
import itertools
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from packaging.version import InvalidVersion, Version

from relnotes.errors import RelnotesError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

#: The line above the newest block; new blocks go right below it (git-changelog's marker).
MARKER = "<!-- insertion marker -->"
UNRELEASED = "Unreleased"

Kind = Literal["text", "marker", "unreleased", "release"]

HEADING_RE = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)[ \t]*")
#: The name a heading starts with: ``[1.2.0](link) - date``, ``v1.2.0 (date)``, ``[Unreleased]``
_NAME_RE = re.compile(r"\[?(?P<name>[^\]\[\s()]+)")
_VERSION_LIKE_RE = re.compile(r"[vV]?[0-9]+(?:\.[0-9]+)+\S*")
#: What may follow a release's version in its heading, once links, (…) and […] are gone:
#: a date in digits or with a month's name ("2024-01-01", "- March 3, 2024"), nothing else.
HEADING_REST_RE = re.compile(
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
#: How a line that may open a heading or a code fence starts (up to three spaces first).
_OPENERS = tuple(" " * n + mark for n in range(4) for mark in ("#", "```", "~~~"))


@dataclass(frozen=True, slots=True)
class Block:
    """A run of lines of the file: its kind, its text (as is) and the version it is about."""

    kind: Kind
    text: str
    version: Version | None = None
    generated: bool = False  # written by this run (the others are kept byte for byte)
    #: the text in pieces made as the file is written, read once (``text`` is empty then):
    #: a whole history's block need not be held whole
    pieces: Iterable[str] | None = None


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
        if not HEADING_REST_RE.fullmatch(rest):
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
        marked = list(_headings(lines, _notable(text, lines)))
        self.learn_prefixes(h[2] for _i, _raw, h in marked if h is not None)
        blocks: list[Block] = []
        kind: Kind = "text"
        version: Version | None = None
        start = 0
        level: int | None = None
        seen_marker = False

        def close(end: int) -> None:
            if end > start:
                blocks.append(Block(kind, "".join(lines[start:end]), version))

        for index, raw, heading in marked:
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


def _notable(text: str, lines: Sequence[str]) -> list[int]:
    """The indexes of the lines that may matter, in order (``lines``: ``text`` split with
    its line ends kept): those that may open a heading or a code fence, and those that hold
    an HTML comment's start or end (the insertion marker among them). Every other line is
    prose that no rule here looks at, so a long file is not read line by line in Python."""
    found = {index for index, line in enumerate(lines) if line.startswith(_OPENERS)}
    marks = _comment_marks(text)
    if marks:
        starts = list(itertools.accumulate(map(len, lines), initial=0))
        found.update(bisect.bisect_right(starts, at) - 1 for at in marks)
    return sorted(found)


def _comment_marks(text: str) -> list[int]:
    """Where ``<!--`` and ``-->`` occur in ``text``: found by their one character that
    prose rarely holds (``str.find`` of one character reads a long text several times
    faster than a regular expression of two alternatives, or a find of either string)."""
    found: list[int] = []
    at = text.find("<")
    while at >= 0:
        if text.startswith("<!--", at):
            found.append(at)
        at = text.find("<", at + 1)
    at = text.find(">", 2)
    while at >= 0:
        if text.startswith("-->", at - 2):
            found.append(at - 2)
        at = text.find(">", at + 1)
    return found


def _headings(
    lines: Sequence[str], notable: Sequence[int]
) -> Iterator[tuple[int, str, re.Match[str] | None]]:
    """Each notable line outside fenced code blocks and HTML comments, with its heading match
    (``None``: not one). A fence or a comment that never closes is text, as if it were not
    there: the rest of the file must not vanish (each run would add the history again)."""
    skip_to = _hidden_runs(lines, notable)
    resume = 0
    for index in notable:
        if index < resume:
            continue
        end = skip_to.get(index)
        if end is not None:
            resume = end + 1
            continue
        raw = lines[index]
        yield index, raw, HEADING_RE.fullmatch(raw.rstrip("\r\n"))


def _hidden_runs(lines: Sequence[str], notable: Sequence[int]) -> dict[int, int]:
    """Where each closed code fence or multi-line HTML comment starts and ends (line indexes).

    Found in one pass over the notable lines (only they open or close one) with the closers
    looked up ahead of time, so a file of many unclosed fences costs no more than one of
    closed ones.
    """
    closers = _fence_closers(lines, notable)
    comment_ends = [index for index in notable if "-->" in lines[index]]
    runs: dict[int, int] = {}
    resume = 0
    for index in notable:
        if index < resume:
            continue
        line = lines[index].rstrip("\r\n")
        opened = _FENCE_RE.match(line)
        end: int | None = None
        if opened:
            end = closers(index, opened[1])
        else:
            start = line.find("<!--")
            if 0 <= start <= 3 and "-->" not in line[start + 4 :]:
                after = bisect.bisect_left(comment_ends, index + 1)  # the next line holding -->
                end = comment_ends[after] if after < len(comment_ends) else None
        if end is not None:
            runs[index] = end
            resume = end + 1
    return runs


def _fence_closers(
    lines: Sequence[str], notable: Sequence[int]
) -> Callable[[int, str], int | None]:
    """A lookup: the line that closes the fence opened at a line (``None``: none does).

    A closer is a fence line of the same character, at least as long, with nothing after it.
    One pass from the end, keeping per character the closers that no nearer closer at least
    as long hides: their lengths grow with their distance, so a binary search finds the
    nearest long enough one.
    """
    kept: dict[str, tuple[list[int], list[int]]] = {"`": ([], []), "~": ([], [])}
    answers: dict[int, int | None] = {}
    for index in reversed(notable):
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
    return "".join(chunks(blocks, footer, newline))


def chunks(blocks: Iterable[Block], footer: str = "", newline: str = "\n") -> Iterator[str]:
    """:func:`join`'s text in pieces, a block made in pieces as it is made."""
    end = ""  # how the text so far ends: enough of it to tell a blank line
    previous: Block | None = None
    for block in blocks:
        if previous is not None and (block.generated or previous.generated):
            gap = ""
            if not end.endswith("\n"):
                gap = newline * 2
            elif not end.endswith(newline * 2) and previous.kind != "marker":
                gap = newline
            if gap:
                end = (end + gap)[-4:]
                yield gap
        for piece in (block.text,) if block.pieces is None else block.pieces:
            if piece:
                end = (end + piece[-4:])[-4:]
                yield piece
        previous = block
    if footer and previous is not None and previous.generated:
        yield newline
    yield footer


def read_text(path: str) -> str | None:
    """The file's text as it is (line endings kept), or ``None`` when there is no file."""
    if os.path.exists(path) and not os.path.isfile(path):
        kind = "a folder" if os.path.isdir(path) else "not a regular file"
        raise RelnotesError(
            f"cannot use {path} as the changelog: it is {kind}",
            hint="name a Markdown file with --file, or set changelog_file",
        )
    try:
        with open(path, "rb") as handle:  # one decode of the whole: faster than text mode
            return handle.read().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise RelnotesError(
            f"{path} is not UTF-8 text", hint="convert it to UTF-8, or pass --full --file NEW"
        ) from None
    except OSError as exc:
        raise RelnotesError(f"cannot read {path}: {exc.strerror}") from None
