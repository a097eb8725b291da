"""Text a commit message quotes from elsewhere: what :mod:`relnotes.parse` never reads as the
commit's own footers. Pure, and imports only ``re`` (the commit-msg hook path).

Bots quote other projects' release notes in their bodies: renovate inside ``<details>``
blocks, dependabot inside ``<blockquote>`` ones, and both with fenced code; a
``BREAKING CHANGE:`` line there is another project's, not this commit's.
"""

from __future__ import annotations

import re

__all__ = ["may_quote", "quoted_lines"]

#: A fence line: three or more backticks or tildes, indented at most three spaces (CommonMark).
FENCE_RE = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})(?P<info>.*)")
#: An HTML tag that opens or closes a block of quoted text.
QUOTE_TAG_RE = re.compile(r"<(?P<close>/?)(?P<tag>details|blockquote)(?=[\s>/]|$)", re.IGNORECASE)


def may_quote(text: str) -> bool:
    """Whether ``text`` may hold quoted text at all (a cheap test before :func:`quoted_lines`)."""
    return "```" in text or "~~~" in text or ("<" in text and QUOTE_TAG_RE.search(text) is not None)


def quoted_lines(lines: list[str]) -> set[int]:
    """The indexes of the lines that quote text from elsewhere, never this commit's footers.

    A fenced code block (from its opening fence to its closing one) and an HTML ``<details>``
    or ``<blockquote>`` block (from the line its tag starts to the line it closes on, nested
    blocks counted) are quoted. A block that is never closed quotes nothing, so a stray fence or
    tag cannot hide a ``BREAKING CHANGE`` footer below it. Linear in the text: whether a fence
    is ever closed is looked up, not searched for.
    """
    count = len(lines)
    closers = [_closer(line) for line in lines]
    # the longest closing fence of each character at or below each line
    longest = {"`": [0] * (count + 1), "~": [0] * (count + 1)}
    ticks, tildes = longest["`"], longest["~"]
    for index in range(count - 1, -1, -1):
        ticks[index], tildes[index] = ticks[index + 1], tildes[index + 1]
        closer = closers[index]
        if closer is not None:
            below = longest[closer[0]]
            below[index] = max(below[index], closer[1])
    starts: list[int] = []
    ends: list[int] = []
    open_tags: dict[str, list[int]] = {"details": [], "blockquote": []}
    index = 0
    while index < count:
        line = lines[index]
        fence = FENCE_RE.match(line) if ("``" in line or "~~" in line) else None
        if fence is not None:
            mark = fence["fence"]
            char, size = mark[0], len(mark)
            if longest[char][index + 1] >= size and not (char == "`" and "`" in fence["info"]):
                close = index + 1
                while not _closes(closers[close], char, size):
                    close += 1  # found before the end: ``longest`` says one is there
                starts.append(index)
                ends.append(close)
                index = close + 1
                continue
        if "<" in line:
            for tag in QUOTE_TAG_RE.finditer(line):
                stack = open_tags[tag["tag"].lower()]
                if not tag["close"]:
                    # a tag after other text on its line leaves that line out of the block
                    at_start = not line[: tag.start()].strip()
                    stack.append(index if at_start else index + 1)
                elif stack:
                    start = stack.pop()
                    if start <= index:
                        starts.append(start)
                        ends.append(index)
        index += 1
    if not starts:
        return set()
    depth = [0] * (count + 1)
    for start, end in zip(starts, ends, strict=True):
        depth[start] += 1
        depth[end + 1] -= 1
    quoted: set[int] = set()
    level = 0
    for position in range(count):
        level += depth[position]
        if level:
            quoted.add(position)
    return quoted


def _closes(closer: tuple[str, int] | None, char: str, size: int) -> bool:
    return closer is not None and closer[0] == char and closer[1] >= size


def _closer(line: str) -> tuple[str, int] | None:
    """The (character, length) of the closing fence ``line`` can be: three or more backticks
    or tildes and nothing else, indented at most three spaces; ``None`` when it is none."""
    if "``" not in line and "~~" not in line:
        return None
    text = line.rstrip()
    body = text.lstrip(" ")
    if len(text) - len(body) > 3 or len(body) < 3 or body[0] not in "`~":
        return None
    return (body[0], len(body)) if body.count(body[0]) == len(body) else None
