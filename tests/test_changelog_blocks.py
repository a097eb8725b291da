"""Reading a changelog into blocks: the reader finds the notable lines by offsets in the
whole text; the line-by-line reader it replaced is kept here as the oracle, and both must
cut every text into the same blocks, byte for byte."""

from __future__ import annotations

import bisect
import itertools
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relnotes.changelog import MARKER, Reader, join
from relnotes.changelog.blocks import (
    _FENCE_RE,
    _KNOWN_PREFIXES,
    _OPENERS,
    _PREFIX_RE,
    _TEXT_MARKS,
    HEADING_RE,
    Block,
    _comment_marks,
    _same_level,
    _split_footer,
)
from relnotes.changelog.source import FileText, read_text
from relnotes.errors import RelnotesError
from relnotes.version import TagFormat

if TYPE_CHECKING:
    import re
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from pathlib import Path

    from packaging.version import Version

    from relnotes.changelog.blocks import Kind


class Oracle(Reader):
    """The reader as it was: every line split out, the notable ones read in turn."""

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
    marks = _comment_marks(text, _TEXT_MARKS)
    if marks:
        starts = list(itertools.accumulate(map(len, lines), initial=0))
        found.update(bisect.bisect_right(starts, at) - 1 for at in marks)
    return sorted(found)


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


def readers() -> tuple[Reader, Reader]:
    version_of = TagFormat("v$version").version_of
    return Reader(version_of, "Unreleased"), Oracle(version_of, "Unreleased")


def shape(blocks: list[Block], footer: str) -> list[tuple[str, str, Version | None]]:
    return [(b.kind, b.text, b.version) for b in blocks] + [("footer", footer, None)]


def same(text: str) -> list[Block]:
    new, old = readers()
    got = new.blocks(text)
    assert shape(*got) == shape(*old.blocks(text))
    assert join(*got) == text
    source = FileText(text.encode("utf-8"))
    if source.plain:  # read through its bytes, as an update reads a file: the same blocks
        read = readers()[0].blocks(source.data)
        assert shape(*read) == shape(*got)
    return got[0]


HEADINGS = [
    "# Changelog",
    "## [Unreleased]",
    "## Unreleased",
    "## [1.2.0](https://x/compare/v1.1.0...v1.2.0) - 2026-01-02",
    "## v1.1.0 (2026-01-01)",
    "# [1.1.0]",
    "### 1.0.1 was broken",
    "## 2.0 migration guide",
    "## Release 3.0.0",
    "## Release 2.9.0",
    "## What's Changed in 4.0.0",
    "### Features",
    "### Bug Fixes",
    "#### Deep",
    "####### seven",
    "#no space",
    "##\t1.0.5\t",
    "## ",
    "#",
    "## 0.9.0 <!-- hidden? -->",
    "## 0.8.0 -->",
    "## <!-- 0.7.0",
    "## 1.3.0 \u2014 M\u00e4rz 3, 2026",
    "## Release 2.1.0 \U0001f389",
    "## Vers\u00efon 2.2.0",
    "## Vers\u00efon 2.3.0",
    "### Fonctionnalit\u00e9s",
]
PIECES = [
    *HEADINGS,
    *(" " * n + h for n in (1, 2, 3, 4) for h in ("## 5.0.0", "```", "~~~~")),
    MARKER,
    "  " + MARKER + " ",
    MARKER + "\u2003",  # a marker line that is not ASCII: found by its bytes, cut by them
    "\u00a0" + MARKER,
    "```",
    "```python",
    "```\u00a0",
    "~~~ \u00e9t\u00e9",
    "````",
    "~~~",
    "``` `",
    "<!--",
    "<!-- a comment -->",
    "text <!-- starts late",
    "-->",
    "end -->",
    "<!-->",
    "--->",
    "- **scope:** an entry ([abc1234](https://x/commit/abc1234), [#12](https://x/issues/12))",
    "- Jane <jane@example.com>",
    "[1.2.0]: https://x/compare/v1.1.0...v1.2.0",
    "[unreleased]: https://x/compare/v1.2.0...HEAD",
    "Zoë \U0001f389 \u0131",
    "",
    "   ",
]
ENDS = ["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@st.composite
def changelogs(draw: st.DrawFn) -> str:
    """Changelog-like texts: headings of every kind, fences, comments, the marker, link
    definitions, blank and indented lines, mostly "\n" or "\r\n" line ends, sometimes any
    line end ``str.splitlines`` knows, a BOM-less text that may end without a line end."""
    lines = draw(
        st.lists(
            st.sampled_from(PIECES) | st.text(alphabet="#`~<!->\t x1.", max_size=8), max_size=40
        )
    )
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    mixed = draw(st.booleans())
    out = []
    for line in lines:
        end = draw(st.sampled_from(ENDS)) if mixed and draw(st.booleans()) else newline
        out.append(line + end)
    text = "".join(out)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


@settings(max_examples=1500, deadline=None)
@given(changelogs())
def test_blocks_as_the_line_by_line_reader_cut_them(text: str) -> None:
    same(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="#`~<!-> \t\n\r\x0c\u2028a1.[]v"))
def test_any_text_is_cut_as_before(text: str) -> None:
    same(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "## 1.0.0",  # no line end at all
        "## 1.0.0\n- x",
        "# Log\r\n\r\n## [Unreleased]\r\n- a\r\n\r\n## 1.0.0\r\n- b\r\n",  # CRLF
        "# Log\r## 1.0.0\r- b\r",  # old Mac line ends
        "# Log\n\x0c## 1.0.0\n- b\n",  # a form feed starts a line
        "# Log\n- a\u2028## 1.0.0\n- b\n",  # so does U+2028
        "## 1.0.0\x85## 0.9.0\n",
        "## 1.1.0\n```\n## 1.0.0\n```\n## 0.9.0\n",  # a heading in a fence is text
        "## 1.1.0\n```\n## 1.0.0\n",  # an unclosed fence hides nothing
        "## 1.1.0\n````\n```\n## 1.0.0\n````\n",  # a shorter fence closes nothing
        "## 1.1.0\n~~~\n```\n## 1.0.0\n~~~\n## 0.9.0\n",
        "## 1.1.0\n```\n## 1.0.0\n``` info\n## 0.9.0\n```\n",  # a closer has no info
        "## 1.1.0\n<!--\n## 1.0.0\n-->\n## 0.9.0\n",  # a heading in a comment is text
        "## 1.1.0\n<!--\n## 1.0.0\n",  # an unclosed comment hides nothing
        "## 1.1.0\n    <!--\n## 1.0.0\n-->\n",  # four spaces: no comment start
        "## 1.1.0\n<!-- a --> <!--\n## 1.0.0\n-->\n",
        "## 1.1.0\n## <!--\n## 1.0.0\n-->\n## 0.9.0\n",  # a heading opening a comment
        "# Log\n\n<!-- insertion marker -->\n## 1.0.0\n" + MARKER + "\n- x\n",  # one marker
        "# Log\n```\n<!-- insertion marker -->\n```\n## 1.0.0\n",  # a fenced marker
        "# Log\n" + MARKER + "\u2003\n## 1.0.0\n- x\n",  # a wide space after the marker
        "# Log\n\u00a0" + MARKER + "\r\n## 1.0.0\n- x\n",  # a no-break space before it
        "\ufeff# Log\n## 1.0.0\n",  # a BOM (update.py strips it first; kept as text here)
        "## [Unreleased]\n### Features\n## 1.0.0\n[1.0.0]: https://x\n<!-- end -->\n",
        "   ## 1.0.0   \n    ## 0.9.0\n",  # three spaces: a heading; four: code
        "## Release 1.0.0\n## Release 0.9.0\n## 0.8.0\n",  # words before the version
        "## 1.0.0 \t\r\n## 0.9.0\t \n",
        "- Jane <jane@example.com> -> Bob <bob@example.com>\n## 1.0.0\n<br> -->\n",
    ],
)
def test_tricky_texts(text: str) -> None:
    same(text)


def test_headings_in_fences_and_comments_are_text() -> None:
    text = "## 1.1.0\n```\n## 1.0.0\n```\n<!--\n## 0.9.5\n-->\n## 0.9.0\n"
    blocks = same(text)
    assert [(b.kind, str(b.version)) for b in blocks] == [
        ("release", "1.1.0"),
        ("release", "0.9.0"),
    ]
    assert blocks[0].text == "## 1.1.0\n```\n## 1.0.0\n```\n<!--\n## 0.9.5\n-->\n"


def test_other_line_ends_are_lines_as_splitlines_cuts_them() -> None:
    blocks = same("# Log\r## 1.0.0\x0c- a\u2028## 0.9.0\r\n- b\n")
    assert [b.text for b in blocks] == ["# Log\r", "## 1.0.0\x0c- a\u2028", "## 0.9.0\r\n- b\n"]


def test_the_first_marker_only_is_the_marker() -> None:
    text = "# Log\n" + MARKER + "\r\n## 1.0.0\n" + MARKER + "\n"
    blocks = same(text)
    assert [b.kind for b in blocks] == ["text", "marker", "release"]
    assert blocks[1].text == MARKER + "\r\n"


def test_a_kept_block_is_cut_from_the_file_when_read() -> None:
    source = "# Log\n## 1.0.0\n- a\n"
    block = Block.kept("release", source, 6, len(source), None)
    assert block.text == "## 1.0.0\n- a\n"
    assert Block("text", source).text is source


def test_a_file_is_read_as_utf8_and_refused_with_a_nul(tmp_path: Path) -> None:
    path = tmp_path / "CHANGELOG.md"
    path.write_bytes("# Log \U0001f389\r\n## 1.0.0 (2026-01-02)\r\n".encode())
    text = read_text(str(path))
    assert text == "# Log \U0001f389\r\n## 1.0.0 (2026-01-02)\r\n"
    assert same(text or "")[1].version is not None
    path.write_bytes(b"# Log\n\n## 1.0.0\x00\n")
    with pytest.raises(
        RelnotesError, match=r"^CHANGELOG.md is not a text file \(a NUL byte on line 3\)"
    ):
        read_text(str(path), "CHANGELOG.md")
    for end in ENDS[2:]:  # read with other line ends: cut as splitlines cuts them
        path.write_bytes(f"# Log{end}## 1.0.0\n".encode())
        text = read_text(str(path))
        assert text is not None
        assert len(same(text)) == 2


@pytest.mark.parametrize("shift", range(-4, 5))
def test_a_character_across_the_pieces_the_utf8_check_reads_is_checked_whole(
    tmp_path: Path, shift: int
) -> None:
    """The UTF-8 check reads the file in pieces: a character cut by a piece's end is one
    character (valid), and a character cut short there, or a lone continuation byte, is not."""
    from relnotes.changelog import source

    path = tmp_path / "CHANGELOG.md"
    head = b"# Log\n" + b"a" * (source._PIECE - 6 + shift)
    path.write_bytes(head + "\U0001f389 \u00e9\n".encode())
    assert read_text(str(path)) == (head + "\U0001f389 \u00e9\n".encode()).decode()
    for bad in (b"\xf0\x9f\x8e", b"\x89", b"\xc3", b"\xed\xa0\x80"):  # cut short, lone, surrogate
        path.write_bytes(head + bad + b"\n## 1.0.0\n")
        with pytest.raises(RelnotesError, match="is not UTF-8 text"):
            read_text(str(path))
        path.write_bytes(head + bad)  # at the very end of the file
        with pytest.raises(RelnotesError, match="is not UTF-8 text"):
            read_text(str(path))
