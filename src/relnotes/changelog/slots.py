"""Lines with slots, and dates: the pieces a changelog's style is learned and written with.

A :class:`Pattern` is a line in which the values of one release (its tag, version, date, the
tag before it, the repository, a link) are slots; it renders the same line for another
release. :class:`DateFormat` is how a file writes a date, read back from one it wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_DATE_RE = re.compile(
    r"(?<![0-9])(?:[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}"
    r"|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}"
    rf"|(?:{_MONTHS})[a-z]*\.?[ \t]+[0-9]{{1,2}},?[ \t]+[0-9]{{4}}"
    rf"|[0-9]{{1,2}}[ \t]+(?:{_MONTHS})[a-z]*\.?,?[ \t]+[0-9]{{4}})(?![0-9])",
    re.IGNORECASE,
)
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d.%m.%Y",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d-%m-%Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d %B, %Y",
)


# -- lines with slots -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pattern:
    """A line with slots: literal text at even indexes of ``parts``, slot names at odd ones.

    Slots: ``link`` (the built-in heading link), ``repository``, ``tag``, ``previous`` (the
    tag before), ``version``, ``date``, ``title`` (the Unreleased section's name), and in a
    commit link ``sha`` or ``short``. A slot inside a link target is named ``NAME@url``.
    """

    parts: tuple[str, ...]

    @property
    def slots(self) -> set[str]:
        return {p.removesuffix("@url") for p in self.parts[1::2]}

    @property
    def literal(self) -> str:
        return "".join(self.parts[0::2])

    @property
    def in_url(self) -> set[str]:
        return {p.removesuffix("@url") for p in self.parts[1::2] if p.endswith("@url")}

    def render(self, values: Mapping[str, str | None]) -> str | None:
        """The line, or ``None`` when a slot has no value (``NAME@url`` falls back to NAME)."""
        out: list[str] = []
        for index, part in enumerate(self.parts):
            if index % 2 == 0:
                out.append(part)
                continue
            value = values.get(part)
            if value is None and part.endswith("@url"):
                value = values.get(part.removesuffix("@url"))
            if value is None:
                return None
            out.append(value)
        return "".join(out)

    def marked(self) -> str:
        """The line with each slot written ``\\x01name\\x02`` (for the safety checks)."""
        return "".join(p if i % 2 == 0 else f"\x01{p}\x02" for i, p in enumerate(self.parts))

    def without(self, slot: str) -> Pattern:
        """Less a slot and what joins it to the line: `` - {date}``, `` ({date})``."""
        parts = list(self.parts)
        while slot in parts:
            index = parts.index(slot)
            before = re.sub(r"[ \t]*(?:[-\u2013\u2014:,|][ \t]*)?[(\[]?$", "", parts[index - 1])
            after = re.sub(r"^[)\]]", "", parts[index + 1])
            parts[index - 1 : index + 2] = [before + after]
        return Pattern(tuple(parts))


def _boundary(text: str) -> str:
    return rf"(?<![0-9])(?<![0-9]\.){re.escape(text)}(?![0-9A-Za-z])(?![.+\-][0-9A-Za-z])"


def substitute(line: str, values: Iterable[tuple[str, str | None]]) -> Pattern:
    """``line`` with each known value made a slot. The first name given for a text wins, and
    longer texts go first, so the tag ``v1.0.0rc1`` is never read as ``v1.0.0`` + ``rc1``."""
    names: dict[str, str] = {}
    for name, text in values:
        if text and text in line and text not in names:
            names[text] = name
    if not names:
        return Pattern((line,))
    ordered = sorted(names, key=len, reverse=True)
    regex = re.compile("|".join(_boundary(t) for t in ordered))
    parts: list[str] = []
    last = 0
    for match in regex.finditer(line):
        parts += [line[last : match.start()], names[match[0]]]
        last = match.end()
    parts.append(line[last:])
    return _mark_urls(parts)


def _mark_urls(parts: list[str]) -> Pattern:
    """Slots in a link target ``](…)``, a link definition or a bare URL get ``@url``."""
    text = ""
    for index, part in enumerate(parts):
        if index % 2 == 0:
            text += part
            continue
        opened = text.rfind("](")
        inside = opened >= 0 and ")" not in text[opened:]
        definition = re.match(r" {0,3}\[[^\]]+\]:[ \t]*", text) is not None
        bare = part in ("link", "repository") or re.search(r"https?://\S*$", text) is not None
        if (inside or definition or bare) and not part.endswith("@url"):
            parts[index] = f"{part}@url"
        text += "\x01"
    return Pattern(tuple(parts))


# -- dates ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateFormat:
    """How the file writes a date: a strftime format, with or without leading zeros."""

    format: str = "%Y-%m-%d"
    unpadded: bool = False

    def render(self, iso: str | None) -> str | None:
        day = _day(iso)
        if day is None:
            return None
        text = day.strftime(self.format)
        return re.sub(r"(?<![0-9])0([0-9])(?![0-9])", r"\1", text) if self.unpadded else text


def find_date(text: str, near: str | None = None) -> tuple[str, DateFormat] | None:
    """The first date in ``text`` and its format (of two readings, the closest to ``near``:
    ``03/04/2026`` near 2026-04-03 is day/month)."""
    match = _DATE_RE.search(text)
    if match is None:
        return None
    target = _day(near)
    best: tuple[int, DateFormat] | None = None
    for fmt in _DATE_FORMATS:
        try:
            day = datetime.strptime(match[0], fmt).date()
        except ValueError:
            continue
        style = DateFormat(fmt, day.strftime(fmt) != match[0])
        if style.render(day.isoformat()) != match[0]:
            continue
        distance = abs((day - target).days) if target else 0
        if best is None or distance < best[0]:
            best = (distance, style)
    return (match[0], best[1]) if best is not None else None


def _day(text: str | None) -> Date | None:
    try:
        return Date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None
