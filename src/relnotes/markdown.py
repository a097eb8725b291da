"""Commit text as data in Markdown: the filters of :mod:`relnotes.render` (``md_text``,
``unwrap``, ``link_refs``, ``unmentioned``), used by :mod:`relnotes.native` too.

md_text keeps a commit's words readable (inline code, **bold**, _emphasis_, http(s) links,
#123, punctuation) and takes away every way they could act on the file: raw HTML and
autolinks (``<`` becomes ``&lt;``), link and image targets other than http(s) or a relative
path (``](`` becomes ``]\\(``: the brackets stay text), and block structure at the start of
any line (headings, quotes, lists, thematic breaks, fences, tables, link definitions,
indented code). Code spans are kept as written only where every CommonMark/GFM reader must
see the same span: a backtick that a link's target or a bare URL could swallow is escaped.
One pass, linear in the text (bisect over precomputed positions), for 100,000 commits; the
common case (nothing to escape) is one regular expression search.

Pure string work: no Jinja2, so that it can be used and tested on its own.
"""

from __future__ import annotations

import re

from relnotes.parse import REFERENCE

#: The characters that send a text through the escaper (besides "](" and its first one).
_MD_SPECIAL_RE = re.compile(r"[<`|\\\n]")
#: What the escaper looks at; text between two matches is copied as it is.
_MD_TOKEN_RE = re.compile(r"\\[!-/:-@\[-`{-~]|\\|`+|<|\||\]\(|\n")
#: A line start that would open a block: (pattern, what to write, characters it replaces).
_BLOCK_STARTS: tuple[tuple[re.Pattern[str], str, int], ...] = (
    (re.compile(r"#{1,6}(?:[ \t]|$)"), "\\", 0),  # ATX heading
    (re.compile(r">|:(?:[ \t]|$)"), "\\", 0),  # block quote; a definition list's ":"
    (re.compile(r"([-*_=])[ \t]*(?:\1[ \t]*)*$"), "\\", 0),  # thematic break, setext line
    (re.compile(r"[-:][-: \t]*$"), "\\", 0),  # a table's delimiter row (GFM needs no pipe)
    (re.compile(r"[-+*](?:[ \t]|$)"), "\\", 0),  # bullet list item
    (re.compile(r"~{3,}"), "\\", 0),  # fenced code
    (re.compile(r"`{3,}"), "\\`", 1),  # fenced code: the first backtick, escaped
    (re.compile(r"\[[ xX]\](?:[ \t]|$)"), "\\[", 1),  # a task list's check box
)
#: The characters a line that opens a block starts with (indentation included).
_BLOCK_FIRST = frozenset("#>:-+*_=~`[0123456789 \t(")
_ORDERED_RE = re.compile(r"[0-9]{1,9}(?=[.)](?:[ \t]|$))")
#: A link reference definition's label: ``[label]:`` (at most 999 characters, no ``[``).
_LABEL_RE = re.compile(r"\[(?:[^\[\]\\]|\\.){0,999}\]:", re.DOTALL)
_URL_RUN_RE = re.compile(r"://|www\.", re.IGNORECASE)
_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):")
_BACKSLASH_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f-\x9f]")
_SAFE_SCHEMES = ("http", "https")
#: Parentheses nested deeper than this in a link target neutralise the link (cmark follows
#: 32, CommonMark asks for 3; a lower limit only turns more links into text).
_MAX_NESTING = 8


def md_text(text: str) -> str:
    """Text from a commit, safe to put into Markdown: it reads the same and acts as text.

    See the comment above for what is escaped; JSON output keeps the raw text.
    """
    if not text:
        return text
    if not text.isprintable():
        from relnotes.notes import plain_lines

        text = plain_lines(text)
    if (
        _MD_SPECIAL_RE.search(text) is None
        and "](" not in text
        and (
            text[0] not in _BLOCK_FIRST
            or (text[0] not in "( \t" and not _line_start(text, 0, len(text))[0])
        )
    ):
        return text  # the common case: nothing to escape
    return _Escaper(text).run()


def _line_start(text: str, start: int, end: int) -> tuple[str, int]:
    """What to write before the line ``text[start:end]`` so that it opens no block, and how
    many of its characters that replaces."""
    line = text[start:end]
    for pattern, prefix, replaced in _BLOCK_STARTS:
        if pattern.match(line):
            return prefix, replaced
    ordered = _ORDERED_RE.match(line)
    if ordered:
        return ordered[0] + "\\", len(ordered[0])
    if line.startswith("[") and _LABEL_RE.match(text, start):
        return "\\[", 1
    return "", 0


class _Escaper:
    """One pass over a text with something to escape (see :func:`md_text`)."""

    def __init__(self, text: str) -> None:
        import bisect

        self.text = text
        self.bisect = bisect.bisect_left
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        #: backtick runs by length: the starts, ascending (a closer is the next of a length)
        self.runs: dict[int, list[int]] = {}
        for run in re.finditer("`+", text):
            self.runs.setdefault(run.end() - run.start(), []).append(run.start())
        #: bare URLs (whitespace-delimited words holding :// or www.), as (start, end)
        self.urls: list[tuple[int, int]] = []
        if "`" in text:
            self.urls = self._url_runs()
        #: backticks before this index are part of a link's target or title
        self.plain_until = -1

    def _url_runs(self) -> list[tuple[int, int]]:
        text = self.text
        spaces = [m.start() for m in re.finditer(r"\s", text)]
        found: list[tuple[int, int]] = []
        for hit in _URL_RUN_RE.finditer(text):
            if found and hit.start() < found[-1][1]:
                continue
            after = self.bisect(spaces, hit.start())
            start = spaces[after - 1] + 1 if after else 0
            end = spaces[after] if after < len(spaces) else len(text)
            found.append((start, end))
        return found

    def _in_url(self, index: int) -> bool:
        at = self.bisect(self.urls, (index, len(self.text) + 1)) - 1
        return at >= 0 and self.urls[at][0] <= index < self.urls[at][1]

    def _line_end(self, index: int) -> int:
        at = self.bisect(self.newlines, index)
        return self.newlines[at] if at < len(self.newlines) else len(self.text)

    def _start_line(self, index: int, out: list[str]) -> int:
        """Skip a line's indentation and write what keeps it from opening a block."""
        text = self.text
        end = self._line_end(index)
        while index < end and text[index] in " \t":
            index += 1
        prefix, replaced = _line_start(text, index, end)
        out.append(prefix)
        return index + replaced

    def run(self) -> str:
        text = self.text
        size = len(text)
        out: list[str] = []
        pos = self._start_line(0, out)
        if text.startswith("(", pos):  # it may follow a "]" that another field ended with
            out.append(self._link(pos + 1)[1:])
            pos += 1
        while (token := _MD_TOKEN_RE.search(text, pos)) is not None:
            at = token.start()
            out.append(text[pos:at])
            kind = token[0]
            pos = token.end()
            if kind == "\n":
                out.append("\n")
                pos = self._start_line(pos, out)
            elif kind[0] == "\\":
                if kind == "\\<":
                    out.append("&lt;")  # not every Markdown reader knows the escape \<
                elif kind == "\\" and pos == size:
                    out.append("\\\\")  # a last backslash would escape what follows
                else:
                    out.append(kind)
            elif kind[0] == "`":
                pos = self._backticks(at, pos, out)
            elif kind == "<":
                out.append("&lt;")
            elif kind == "|":
                out.append("\\|")
            elif kind == "](":
                out.append(self._link(pos))
            else:
                out.append("]")
        out.append(text[pos:])
        return "".join(out)

    def _backticks(self, start: int, end: int, out: list[str]) -> int:
        """A backtick run: a code span kept as written, or escaped backticks."""
        length = end - start
        if start >= self.plain_until and not (self.urls and self._in_url(start)):
            starts = self.runs.get(length, [])
            at = self.bisect(starts, end)
            line_end = self._line_end(end)
            if at < len(starts) and starts[at] < line_end:
                close = starts[at] + length
                out.append(self.text[start:close])
                return close
        out.append("\\`" * length)
        return end

    def _link(self, target: int) -> str:
        """``](`` and the link target after it: neutralised when the target is not http(s)
        or relative; otherwise its target and title are kept from opening code spans."""
        destination, end = _link_target(self.text, target)
        if end < 0 or not _safe_target(destination):
            return "]\\("  # unsafe, or left open for the text after it to finish
        self.plain_until = max(self.plain_until, end)
        return "]("


def _link_target(text: str, start: int) -> tuple[str, int]:
    """The destination of an inline link whose ``(`` ends at ``start``, and where the link
    ends (after its ``)``; -1 when it does not close within the text)."""
    size = len(text)
    i = _skip_space(text, start)
    begin = i
    depth = 0
    while i < size:
        char = text[i]
        if char == "\\" and i + 1 < size and text[i + 1] in _PUNCTUATION:
            i += 2
            continue
        if char <= " " or char == "\x7f":
            break
        if char == "(":
            depth += 1
            if depth > _MAX_NESTING:
                return text[begin:i], -1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    destination = text[begin:i]
    j = _skip_space(text, i)
    if j < size and text[j] in "\"'(" and j > i:
        close = ")" if text[j] == "(" else text[j]
        k = j + 1
        while k < size and text[k] != close:
            if text[k] == "\\":
                k += 1
            elif text[k] == "(" and close == ")":
                return destination, -1
            k += 1
        if k >= size:
            return destination, -1
        j = _skip_space(text, k + 1)
    if j < size and text[j] == ")":
        return destination, j + 1
    return destination, -1


def _skip_space(text: str, index: int) -> int:
    """Past spaces and tabs, and at most one line break among them."""
    size = len(text)
    while index < size and text[index] in " \t":
        index += 1
    if index < size and text[index] == "\n":
        index += 1
        while index < size and text[index] in " \t":
            index += 1
    return index


_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _safe_target(destination: str) -> bool:
    """Whether a link target is http(s) or relative, as a browser would read it (escapes and
    entities decoded, invisible characters dropped)."""
    if ":" not in destination and "&" not in destination:
        return True  # no scheme: relative (the common case)
    import html

    plain = html.unescape(_BACKSLASH_ESCAPE_RE.sub(r"\1", destination))
    plain = _INVISIBLE_RE.sub("", plain).lstrip("<").lower()
    scheme = _SCHEME_RE.match(plain)
    return scheme is None or scheme[1] in _SAFE_SCHEMES


#: A ``#123`` that is not a link's text already (``[#123]``).
_REFERENCE_RE = re.compile(r"(?<!\[)" + REFERENCE)
_MENTION_RE = re.compile(r"#([0-9]+)")


def unwrap(text: str) -> str:
    """Join a wrapped paragraph into one line (a footer value spans lines in git)."""
    if text.isprintable():  # no line break of any kind: one line already (the common case)
        return text.strip()
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def link_refs(text: str, repository: str | None) -> str:
    """Turn ``#123`` into a Markdown link to the repository's issue (GitHub redirects PRs).

    One regular expression pass: linear in the text, whatever it holds.
    """
    if not repository or "#" not in text:
        return text
    return _REFERENCE_RE.sub(lambda m: f"[#{m[1]}]({repository}/issues/{m[1]})", text)


def unmentioned(references: list[str], text: str) -> list[str]:
    """The references (``#12``) that ``text`` does not name itself (one pass over it)."""
    if not references:
        return references
    named = {f"#{number}" for number in _MENTION_RE.findall(text)} if "#" in text else set()
    return [ref for ref in references if ref not in named]
