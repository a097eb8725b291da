"""An existing changelog read as blocks: the preamble, the insertion marker, the Unreleased
section, one block per release (recognised by its version heading in the forms relnotes,
commitizen, git-cliff, git-changelog and Keep a Changelog write) and a footer of link
definitions; and the blocks joined back into the file's text, kept blocks byte for byte.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import TYPE_CHECKING, AnyStr, Literal

from packaging.version import InvalidVersion, Version

from relnotes.changelog.source import NARROW_BREAKS, WIDE_BREAKS, last_plain

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
#: A line that starts as a heading does (its title, trailing blanks and "\r" included), or
#: as a code fence does; after a "\n", whose literal first character lets the whole text be
#: looked through in one pass at C speed. Its end stays for the next line's match.
_LINE = r" {0,3}(?:(?P<hashes>#{1,6})[ \t]+(?P<title>[^\n]*)|(?:```|~~~)[^\n]*)"
_LINE_RE = re.compile(rf"\n(?P<line>{_LINE})")
_FIRST_LINE_RE = re.compile(rf"(?P<line>{_LINE})")
#: An HTML comment's marks, and the one character each is found by.
_TEXT_MARKS = ("<", "<!--", ">", "-->")
#: What :func:`_scan` looks for, in text and in a file's UTF-8 bytes (where each of these
#: ASCII characters is itself, never part of another character): the first line, every
#: other line, a line end, and the comment marks.
_TEXT_SYNTAX = (_FIRST_LINE_RE, _LINE_RE, "\n", _TEXT_MARKS)
_BYTES_SYNTAX = (
    re.compile(_FIRST_LINE_RE.pattern.encode()),
    re.compile(_LINE_RE.pattern.encode()),
    b"\n",
    (b"<", b"<!--", b">", b"-->"),
)


class Block:
    """A run of lines of the file: its kind, its text (as is) and the version it is about.

    A block kept from the file holds where its text lies in the file's (or in its UTF-8
    bytes): the text is cut out (and decoded) when read, so a file that nothing is written to
    (``changelog --check``) is neither copied nor decoded.
    """

    __slots__ = ("_end", "_source", "_start", "generated", "kind", "pieces", "version")

    def __init__(
        self,
        kind: Kind,
        text: str,
        version: Version | None = None,
        generated: bool = False,  # written by this run (the others are kept byte for byte)
        #: the text in pieces made as the file is written, read once (``text`` is empty
        #: then): a whole history's block need not be held whole
        pieces: Iterable[str] | None = None,
    ) -> None:
        self.kind = kind
        self.version = version
        self.generated = generated
        self.pieces = pieces
        self._source: str | bytes = text
        self._start, self._end = 0, len(text)

    @classmethod
    def kept(
        cls,
        kind: Kind,
        source: str | bytes,
        start: int,
        end: int,
        version: Version | None,
    ) -> Block:
        """The block of ``source[start:end]`` (text, or UTF-8 bytes), cut out when its text
        is read."""
        block = cls(kind, "", version)
        block._source, block._start, block._end = source, start, end
        return block

    @property
    def text(self) -> str:
        if self._start == 0 and self._end == len(self._source):
            text = self._source
        else:
            text = self._source[self._start : self._end]
        return text if isinstance(text, str) else text.decode("utf-8")

    def __repr__(self) -> str:
        return f"Block({self.kind!r}, {self.text!r}, {self.version!r}, {self.generated!r})"


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
        seen: dict[str, str | None] = {}  # each title read once ("Features" recurs)
        for text in headings:
            if text in seen:
                prefix = seen[text]
            else:
                prefix = seen[text] = self._prefix(text)
            if prefix is not None:
                counts[prefix] = counts.get(prefix, 0) + 1
        self.prefixes = tuple(
            p for p, n in counts.items() if n >= 2 or p.strip() in _KNOWN_PREFIXES
        )

    def _prefix(self, text: str) -> str | None:
        """The words before the version, when a heading is a release's behind words."""
        match = _PREFIX_RE.fullmatch(text)
        if match is None or self._named(text) is not None:
            return None
        found = self._named(match["tail"])
        return match["prefix"].lower() if found is not None and found[0] == "release" else None

    def blocks(self, text: str | bytes) -> tuple[list[Block], str]:
        """The file's blocks, and its footer (trailing link definitions and comments).

        ``text`` may be the UTF-8 bytes of a file whose only line ends are "\n" and "\r\n"
        (:attr:`FileText.plain`): then only what is kept is decoded."""
        marked = _marked(text)
        self.learn_prefixes(title for _at, _raw, level, title in marked if level)
        blocks: list[Block] = []
        kind: Kind = "text"
        version: Version | None = None
        start = 0  # where the open block starts (an offset in ``text``)
        level: int | None = None
        seen_marker = False

        def close(end: int) -> None:
            if end > start:
                blocks.append(Block.kept(kind, text, start, end, version))

        for at, raw, found_level, title in marked:
            if raw is not None and not seen_marker and raw.strip() == MARKER:
                close(at)
                seen_marker = True
                blocks.append(Block("marker", raw))
                # ``raw`` is decoded; ``text`` may be bytes, where it is as long as its UTF-8
                width = len(raw) if isinstance(text, str) or raw.isascii() else len(raw.encode())
                kind, version, start = "text", None, at + width
                continue
            if not found_level or (level is not None and not _same_level(found_level, level)):
                continue
            found = self.heading(title)
            if found is None:
                if kind == "unreleased":  # the Unreleased section ends at a heading of its level
                    close(at)
                    kind, version, start = "text", None, at
                continue
            close(at)
            level = found_level
            (kind, version), start = found, at
        close(len(text))
        return _split_footer(blocks)


#: A notable line: where it starts in the text; the line itself, end kept (for a line that
#: may open or close a code fence or an HTML comment, else ``None``); its heading level
#: (0: no heading) and title.
Line = tuple[int, "str | None", int, str]


def _marked(text: str | bytes) -> list[Line]:
    """The lines that may matter, in order, but those inside closed code fences and HTML
    comments: headings, and the lines that may open or close a fence or a comment (the
    insertion marker among them). Every other line is prose that no rule here looks at, so
    a long file is neither split into lines nor read line by line in Python.

    A fence or a comment that never closes is text, as if it were not there: the rest of
    the file must not vanish (each run would add the history again)."""
    if isinstance(text, bytes):
        headings, others = _scan(text, _BYTES_SYNTAX)
    elif _plain_line_ends(text):
        headings, others = _scan(text, _TEXT_SYNTAX)
    else:
        headings, others = _scan_lines(text)
    if not others:
        return headings
    marked: list[Line] = []
    done = 0  # the headings placed so far
    for line in others:  # few, as a rule: placed among the headings by a binary search
        at = line[0]
        index = bisect.bisect_left(headings, at, lo=done, key=_offset)
        marked.extend(itertools.islice(headings, done, index))
        done = index
        if index < len(headings) and headings[index][0] == at:  # a heading holding a mark
            marked.append((at, line[1], headings[index][2], headings[index][3]))
            done += 1
        else:
            marked.append(line)
    marked.extend(itertools.islice(headings, done, None))
    runs = _hidden_runs([raw or "" for _at, raw, _level, _title in others])
    if not runs:
        return marked
    spans = [(others[first][0], others[last][0]) for first, last in runs.items()]
    visible = []
    span = 0
    for line in marked:
        at = line[0]
        while span < len(spans) and spans[span][1] < at:
            span += 1
        if span == len(spans) or at < spans[span][0]:
            visible.append(line)
    return visible


def _offset(line: Line) -> int:
    return line[0]


def _scan(
    text: AnyStr,
    syntax: tuple[
        re.Pattern[AnyStr], re.Pattern[AnyStr], AnyStr, tuple[AnyStr, AnyStr, AnyStr, AnyStr]
    ],
) -> tuple[list[Line], list[Line]]:
    """The headings of a text whose lines end in "\n" (or "\r\n"), and its lines that may
    open or close a code fence or an HTML comment: one pass of a regular expression for the
    lines that start as headings and fences do, and a find for each comment mark. The text
    may be UTF-8 bytes (``syntax``: :data:`_BYTES_SYNTAX`): the titles and lines are decoded,
    the offsets are the bytes'."""
    first_line, line_re, newline, marks = syntax

    def readable(part: str | bytes) -> str:
        return part.decode("utf-8") if isinstance(part, bytes) else part

    headings: list[Line] = []
    add = headings.append
    fences: list[Line] = []
    first = first_line.match(text)
    size = len(text)
    for match in itertools.chain((first,) if first else (), line_re.finditer(text)):
        hashes, title = match.group(2, 3)
        if hashes is not None:  # HEADING_RE's title, once blanks and "\r" go at its end
            add((match.start(1), None, len(hashes), readable(title).rstrip(" \t\r")))
            continue
        line = readable(match[1])
        fences.append((match.start(1), line + "\n" if match.end() < size else line, 0, ""))
    starts = {text.rfind(newline, 0, at) + 1 for at in _comment_marks(text, marks)}
    if not starts:
        return headings, fences
    found: dict[int, Line] = {}
    for start in starts:
        end = text.find(newline, start) + 1
        found[start] = (start, readable(text[start : end or size]), 0, "")
    found.update((line[0], line) for line in fences)  # a line found either way is one line
    return headings, sorted(found.values(), key=_offset)


def _scan_lines(text: str) -> tuple[list[Line], list[Line]]:
    """:func:`_scan` for a text with line ends besides "\n" and "\r\n" (a lone "\r", a
    form feed, U+2028…): the text split as ``str.splitlines`` does."""
    lines = text.splitlines(keepends=True)
    starts = list(itertools.accumulate(map(len, lines), initial=0))
    notable = {index for index, line in enumerate(lines) if line.startswith(_OPENERS)}
    notable.update(bisect.bisect_right(starts, at) - 1 for at in _comment_marks(text, _TEXT_MARKS))
    headings: list[Line] = []
    others: list[Line] = []
    for index in sorted(notable):
        raw = lines[index]
        line = raw.rstrip("\r\n")
        heading = HEADING_RE.fullmatch(line)
        if heading is not None:
            headings.append((starts[index], None, len(heading[1]), heading[2]))
        if _FENCE_RE.match(line) or "<!--" in raw or "-->" in raw:
            others.append((starts[index], raw, 0, ""))
    return headings, others


def _plain_line_ends(text: str) -> bool:
    """Whether ``text`` ends its lines with "\n" (or "\r\n") only: then a line is what
    lies between two "\n". Known without reading the text again when :func:`read_text`
    read it (its bytes tell faster than a text of four bytes a character)."""
    if text is last_plain[0]:
        return True
    if not text.isascii() and any(end in text for end in WIDE_BREAKS):
        return False
    if any(end in text for end in NARROW_BREAKS):
        return False
    return "\r" not in text or text.count("\r") == text.count("\r\n")


def _comment_marks(text: AnyStr, marks: tuple[AnyStr, AnyStr, AnyStr, AnyStr]) -> list[int]:
    """Where ``<!--`` and ``-->`` occur in ``text`` (``marks``: :data:`_TEXT_MARKS`, or the
    same as bytes): found by their one character that prose rarely holds (``str.find`` of one
    character reads a long text several times faster than a regular expression of two
    alternatives, or a find of either string)."""
    lt, opener, gt, closer = marks
    found: list[int] = []
    at = text.find(lt)
    while at >= 0:
        if text.startswith(opener, at):
            found.append(at)
        at = text.find(lt, at + 1)
    at = text.find(gt, 2)
    while at >= 0:
        if text.startswith(closer, at - 2):
            found.append(at - 2)
        at = text.find(gt, at + 1)
    return found


def _hidden_runs(lines: Sequence[str]) -> dict[int, int]:
    """Where each closed code fence or multi-line HTML comment starts and ends (indexes in
    ``lines``, the notable lines: only they open or close one).

    Found in one pass with the closers looked up ahead of time, so a file of many unclosed
    fences costs no more than one of closed ones.
    """
    closers = _fence_closers(lines)
    comment_ends = [index for index, line in enumerate(lines) if "-->" in line]
    runs: dict[int, int] = {}
    resume = 0
    for index, raw in enumerate(lines):
        if index < resume:
            continue
        line = raw.rstrip("\r\n")
        opened = _FENCE_RE.match(line)
        end: int | None = None
        if opened:
            end = closers.get(index)
        else:
            start = line.find("<!--")
            if 0 <= start <= 3 and "-->" not in line[start + 4 :]:
                after = bisect.bisect_left(comment_ends, index + 1)  # the next line holding -->
                end = comment_ends[after] if after < len(comment_ends) else None
        if end is not None:
            runs[index] = end
            resume = end + 1
    return runs


def _fence_closers(lines: Sequence[str]) -> dict[int, int | None]:
    """The line that closes the fence opened at each fence line (``None``: none does).

    A closer is a fence line of the same character, at least as long, with nothing after it.
    One pass from the end, keeping per character the closers that no nearer closer at least
    as long hides: their lengths grow with their distance, so a binary search finds the
    nearest long enough one.
    """
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
    return answers


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
