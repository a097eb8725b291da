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
    tag cannot hide a ``BREAKING CHANGE`` footer below it. Linear in the text, give or take
    the look for a fence's end (once per fence length that has none).
    """
    starts: list[int] = []
    ends: list[int] = []
    no_close = {"`": 1 << 62, "~": 1 << 62}  # the shortest fence known to have no closing one
    open_tags: dict[str, list[int]] = {"details": [], "blockquote": []}
    count = len(lines)
    index = 0
    while index < count:
        line = lines[index]
        fence = FENCE_RE.match(line) if ("`" in line or "~" in line) else None
        if fence is not None:
            mark = fence["fence"]
            char = mark[0]
            if len(mark) < no_close[char] and not (char == "`" and "`" in fence["info"]):
                close = next(
                    (j for j in range(index + 1, count) if _closes_fence(lines[j], mark)), -1
                )
                if close >= 0:
                    starts.append(index)
                    ends.append(close)
                    index = close + 1
                    continue
                no_close[char] = len(mark)
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


def _closes_fence(line: str, mark: str) -> bool:
    """Whether ``line`` closes the fence ``mark`` opened: its character, at least as many."""
    text = line.rstrip()
    body = text.lstrip(" ")
    return (
        len(text) - len(body) <= 3 and len(body) >= len(mark) and body.count(mark[0]) == len(body)
    )
