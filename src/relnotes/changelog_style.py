"""A changelog's own style, learned from the file, so that new releases look like the old ones.

An update writes new releases in the shape of the file's NEWEST release: its heading (level,
``v`` or not, brackets, link, date and its format, words before the version), the lines
between the heading and the first section that link to the release (git-changelog's
``<small>[Compare with …]``), the section titles per commit type (``### Feat``,
``### 🐛 Bug Fixes``, ``### Fixed``), the entries (``-`` or ``*``, ``**scope**:`` or
``*(scope)*``, a commit link or none, capitals, a final period), the blank lines, and the link
definitions at the end of a Keep a Changelog.

Learning works by substitution: in the newest release's lines, the values relnotes knows for
that release (its tag, version, date, the tag before it, the repository, the built-in link)
become slots, and a line is kept only when nothing of that one release is left in it (no
digit; in a heading, no word after the version). What cannot be learned comes from the
built-in shape (:func:`builtin`, what ``templates/changelog.md.jinja`` writes): section titles
first from the tool the file's titles come from (commitizen, git-cliff, Angular, Keep a
Changelog), then from the configuration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date as Date
from datetime import datetime
from typing import TYPE_CHECKING, Any

from relnotes.markdown import md_text
from relnotes.notes import NO_CHANGES
from relnotes.render import link_refs, unwrap

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from packaging.version import Version

HEADING_RE = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)[ \t]*")
_BULLET_RE = re.compile(r"(?P<marker>[-*+])[ \t]+(?P<rest>\S.*?)[ \t]*")
_DEFINITION_RE = re.compile(r" {0,3}\[(?P<label>[^\]]+)\]:[ \t]*\S.*")
_DIGIT_RE = re.compile(r"[0-9]")
_LINK_TARGET_RE = re.compile(r"\]\([^)]*\)|<[^>]*>")
_HEADER_RE = re.compile(r"[A-Za-z][\w-]*(?:\([^()]*\))?!?: \S")
_BARE_REF_RE = re.compile(r"(?<![\[\w/&])#[0-9]+\b(?!\]\()")
_LETTER_RE = re.compile(r"[^\W\d_]")
#: The name in an Unreleased heading: ``[Unreleased](…)``, ``unreleased``, ``What's Changed``.
_NAME_RE = re.compile(
    r" {0,3}#{1,6}[ \t]+\[?(?P<name>[^\]\[()]*?[^\]\[()\s-])\]?(?=[ \t]*(?:[(\[]|-[ \t]|$))"
)

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

#: Scope shapes seen in real changelogs: relnotes/Angular, commitizen, git-cliff, others.
_SCOPES = (
    ("**", ":** "),
    ("**", "**: "),
    ("*(", ")* "),
    ("**(", ")** "),
    ("**(", "):** "),
    ("_(", ")_ "),
)
#: A commit link at the end of an entry: `` ([abc1234](…/commit/…))``, `` - ([…](…))``,
#: git-changelog's `` ([abc1234](…) by Ada).``; the references relnotes adds may follow it.
_SUFFIX_RE = re.compile(
    r"(?P<pre>[ \t]+(?:-[ \t]+)?\(?)"
    r"\[(?P<short>[0-9a-f]{7,40})\]\((?P<url>[^()\s]*?)(?P<sha>[0-9a-f]{7,40})\)"
    r"(?P<by>[ \t]+by[ \t]+[^()\[\]]+?)?"
    r"(?:,[ \t]*\[#[0-9]+\]\([^()\s]*\))*"
    r"(?P<post>\)?\.?)$"
)
#: ``(abc1234)``, and the references the built-in shape adds: ``(abc1234, #12)``
_BARE_SHA_RE = re.compile(
    r"(?P<pre>[ \t]+\()(?P<short>[0-9a-f]{7,40})(?:,[ \t]*[^,()\s]+)*(?P<post>\)\.?)$"
)

#: Section titles as tools write them, by commit type ("breaking": the breaking changes).
FAMILIES: dict[str, dict[str, str]] = {
    "commitizen": {
        "breaking": "BREAKING CHANGE",
        "feat": "Feat",
        "fix": "Fix",
        "refactor": "Refactor",
        "perf": "Perf",
        "docs": "Docs",
        "revert": "Revert",
        "style": "Style",
        "test": "Test",
        "build": "Build",
        "ci": "Ci",
        "chore": "Chore",
    },
    "git-cliff": {
        "feat": "🚀 Features",
        "fix": "🐛 Bug Fixes",
        "refactor": "🚜 Refactor",
        "docs": "📚 Documentation",
        "perf": "⚡ Performance",
        "style": "🎨 Styling",
        "test": "🧪 Testing",
        "chore": "⚙️ Miscellaneous Tasks",
        "ci": "⚙️ Miscellaneous Tasks",
        "revert": "◀️ Revert",
    },
    "angular": {
        "breaking": "BREAKING CHANGES",
        "feat": "Features",
        "fix": "Bug Fixes",
        "perf": "Performance Improvements",
        "refactor": "Code Refactoring",
        "revert": "Reverts",
        "docs": "Documentation",
        "style": "Styles",
        "test": "Tests",
        "build": "Build System",
        "ci": "Continuous Integration",
        "chore": "Chores",
    },
    "keep-a-changelog": {
        "feat": "Added",
        "fix": "Fixed",
        "perf": "Changed",
        "refactor": "Changed",
        "docs": "Changed",
        "style": "Changed",
        "build": "Changed",
        "revert": "Removed",
    },
}
#: How entries look where the file shows none to learn from, by the tool its titles come from.
_FAMILY_BULLETS: dict[str, dict[str, Any]] = {
    "commitizen": {"scope": ("**", "**: "), "link_refs": False, "suffix": False},
    "git-cliff": {"scope": ("*(", ")* "), "upper": True, "link_refs": False, "suffix": False},
    "keep-a-changelog": {"upper": True, "link_refs": False, "suffix": False},
}
#: Titles recognised by their words (lower case, letters only), besides the families' own.
_WORDS: dict[str, tuple[str, ...]] = {
    "breaking": ("breaking", "breaking change", "breaking changes"),
    "feat": ("feat", "feature", "features", "new features", "new feature", "added"),
    "fix": ("fix", "fixes", "bug fixes", "bugfixes", "bug fix", "fixed", "bugs fixed"),
    "perf": ("perf", "performance", "performance improvements", "performance improvement"),
    "refactor": ("refactor", "refactoring", "refactors", "code refactoring"),
    "docs": ("docs", "doc", "documentation"),
    "revert": ("revert", "reverts", "reverted"),
    "style": ("style", "styles", "styling"),
    "test": ("test", "tests", "testing"),
    "build": ("build", "build system", "builds"),
    "ci": ("ci", "continuous integration"),
    "chore": ("chore", "chores", "miscellaneous tasks", "miscellaneous"),
}


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


# -- what a style is --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bullet:
    """How one entry is written (the defaults are the built-in template's)."""

    marker: str = "-"
    scope: tuple[str, str] = ("**", ":** ")
    header: bool = False  # the commit's header as it is (``feat(cli): add x``)
    upper: bool = False  # the first letter in capitals (git-cliff's ``upper_first``)
    link_refs: bool = True  # ``#12`` becomes a link to the issue
    period: bool = False  # a final ``.`` (entries written by hand), when there is no link
    suffix: bool = True  # a commit link at the end: pre, ``[short](url)``, `` by author``, post
    pre: str = " ("
    url: Pattern | None = Pattern(("", "repository@url", "/commit/", "sha", ""))
    by: bool = False
    post: str = ")"

    def render(self, entry: Mapping[str, Any], repository: str | None) -> str:
        """One entry (a commit as the JSON output has it) as a Markdown list item."""
        raw = entry["header"] if self.header else entry["description"]
        text = md_text(unwrap(raw))  # commit text is data, as in the built-in template
        if self.link_refs:
            text = link_refs(text, repository)
        if self.upper:
            text = text[:1].upper() + text[1:]
        scope = None if self.header else entry["scope"]
        scope = md_text(scope) if scope else scope
        line = f"{self.marker} " + (f"{self.scope[0]}{scope}{self.scope[1]}" if scope else "")
        line += text
        if self.suffix:
            return line + self._suffix(entry, raw, repository)
        if self.period and not line.endswith((".", "!", "?")):
            line += "."
        return line

    def _suffix(self, entry: Mapping[str, Any], raw: str, repository: str | None) -> str:
        short = entry["short_sha"]
        values = {"sha": entry["sha"], "short": short, "repository": repository}
        url = self.url.render(values) if self.url is not None else None
        commit = f"[{short}]({url})" if url else short
        by = f" by {md_text(entry['author'])}" if self.by else ""
        refs = ""
        if self.pre == " (" and self.post == ")" and not self.by:  # the built-in shape
            refs = "".join(
                f", {link_refs(ref, repository) if self.link_refs else ref}"
                for ref in entry["references"]
                if ref not in raw
            )
        return f"{self.pre}{commit}{by}{refs}{self.post}"


@dataclass(frozen=True, slots=True)
class Shape:
    """How one release block is written, from its heading to its last line."""

    heading: Pattern
    lead: tuple[Pattern, ...] = (Pattern(("",)),)  # lines after the heading (blank: "")
    title_level: int = 3
    title_gap: bool = True  # a blank line after a section title
    section_gap: int = 1  # blank lines before the next section title
    flat: bool = False  # no section titles: one list
    trail: tuple[Pattern, ...] = ()  # lines after the last entry
    titles: tuple[tuple[str, str], ...] = ()  # (type, title); "breaking" among them
    bullet: Bullet = field(default_factory=Bullet)
    credits: str | None = None  # the title of a Contributors section, where the file has one


#: The heading templates/changelog.md.jinja writes (a test keeps the two the same).
BUILTIN_HEADING = Pattern(("## [", "version", "](", "link@url", ") - ", "date", ""))


@dataclass(frozen=True, slots=True)
class Style:
    """A changelog's style: its releases' shape, its dates, its Unreleased heading."""

    shape: Shape
    date: DateFormat = field(default_factory=DateFormat)
    #: (is a patch release, heading) where patch releases' headings differ (conventional-changelog
    #: writes ``# [1.1.0]`` but ``## [1.1.1]``)
    other_heading: tuple[bool, Pattern] | None = None
    unreleased: Pattern | None = None  # the file's own Unreleased heading
    unreleased_title: str | None = None  # and its name there (``unreleased``, ``Next``)
    definition: Pattern | None = None  # ``[1.2.0]: url`` at the end of the file
    unreleased_definition: Pattern | None = None

    def same_releases(self, other: Style) -> bool:
        """Whether new releases come out the same in both (the Unreleased heading aside, and
        the contributors: a file written before the template credited anyone is in its style)."""
        mine = replace(self, shape=replace(self.shape, credits=None))
        theirs = replace(other, shape=replace(other.shape, credits=None))
        mine = replace(mine, unreleased=None, unreleased_title=None)
        return mine == replace(theirs, unreleased=None, unreleased_title=None)

    # -- rendering ----------------------------------------------------------------------------

    def release(self, notes: Mapping[str, Any], values: Mapping[str, str | None]) -> str:
        """A release block; ``values``: tag, previous, version, date (ISO), link, repository."""
        values = {**values, "date": self.date.render(values.get("date"))}
        return _render(self.shape, self._heading(values), notes, values)

    def unreleased_block(
        self, notes: Mapping[str, Any], title: str, values: Mapping[str, str | None]
    ) -> str:
        """The Unreleased section; ``values``: previous (the latest tag), date, link, repository."""
        values = {
            **values,
            "title": title,
            "date": self.date.render(values.get("date")),
            "tag@url": "HEAD",
            "version@url": "HEAD",
        }
        heading = None
        if self.unreleased is not None:
            heading = self.unreleased.render(values)
        if heading is None:
            heading = _unreleased_heading(self.shape.heading).render(values)
        if heading is None:
            heading = f"{'#' * _level(self.shape.heading)} {title}"
        lead = tuple(
            p
            for p in self.shape.lead
            if not (p.in_url & {"tag", "version"} and "previous" not in p.slots)
        )
        shape = replace(self.shape, lead=lead, trail=())
        return _render(shape, heading, notes, values)

    def _heading(self, values: Mapping[str, str | None]) -> str:
        pattern = self.shape.heading
        if (
            self.other_heading is not None
            and _is_patch(values.get("version")) == self.other_heading[0]
        ):
            pattern = self.other_heading[1]
        if values.get("date") is None:
            pattern = pattern.without("date")
        heading = pattern.render(values)
        if heading is None:  # a slot with nothing here (no tag before this release)
            heading = _plain_heading(_level(pattern), values)
        return heading

    def definitions(
        self,
        footer: str,
        added: Sequence[Mapping[str, str | None]],
        unreleased: Mapping[str, str | None] | None,
    ) -> str:
        """The footer with a link definition for each release ``added`` (newest first), above
        the newest one there, and the Unreleased definition pointing past the latest tag
        (``unreleased``: its values, or ``None`` to leave it). Line endings as the footer's."""
        if self.definition is None and self.unreleased_definition is None:
            return footer
        lines = footer.splitlines(keepends=True)
        newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
        new: list[str] = []
        for values in added if self.definition is not None else ():
            line = self.definition.render(values) if self.definition else None
            if line is not None:
                new.append(line + newline)
        at = None
        last = 0
        for index, line in enumerate(lines):
            found = _DEFINITION_RE.fullmatch(line.rstrip("\r\n"))
            if found is None:
                continue
            last = index + 1
            if _DIGIT_RE.search(found["label"]):
                at = index if at is None else at
            elif self.unreleased_definition is not None and unreleased is not None:
                values = {**unreleased, "title": found["label"]}
                rendered = self.unreleased_definition.render(values)
                if rendered is not None:
                    lines[index] = rendered + newline
        position = at if at is not None else last
        lines[position:position] = new
        return "".join(lines)


def builtin(sections: Mapping[str, str], breaking_title: str, *, linked: bool = True) -> Style:
    """The built-in template's style: a file in it is updated by the template itself.
    ``linked``: the repository's URL is known (the heading and the commits link to it)."""
    titles = (("breaking", breaking_title), *sections.items())
    if linked:
        return Style(Shape(BUILTIN_HEADING, titles=titles))
    heading = Pattern(("## ", "version", " - ", "date", ""))
    return Style(Shape(heading, titles=titles, bullet=Bullet(url=None)))


def _plain_heading(level: int, values: Mapping[str, str | None]) -> str:
    """The built-in heading at the file's level: ``## [1.2.0](link) - date``."""
    version = values.get("version") or ""
    link = values.get("link")
    date = values.get("date")
    text = f"[{version}]({link})" if link else version
    return f"{'#' * level} {text}" + (f" - {date}" if date else "")


def _level(pattern: Pattern) -> int:
    head = pattern.parts[0].lstrip(" ")
    return len(head) - len(head.lstrip("#")) or 2


def _is_patch(version: str | None) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(version or "").micro != 0
    except InvalidVersion:
        return False


def _unreleased_heading(heading: Pattern) -> Pattern:
    """A release heading made the Unreleased one: the title for the version, HEAD in compare
    links, no date; a link that only a tag can have is dropped."""
    pattern = heading.without("date")
    if pattern.in_url and not pattern.in_url & {"previous", "link"}:
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", pattern.marked())
        parts = re.split(r"\x01([^\x02]*)\x02", text)
        pattern = Pattern(tuple(parts))
    parts = list(pattern.parts)
    first = True
    for index in range(1, len(parts), 2):
        if parts[index] in ("tag", "version"):
            parts[index] = "title"
            if first:  # "## Release 1.2.0" but "## Unreleased"
                parts[index - 1] = re.sub(r"[^\W\d_][^\s\[(]*[ \t]+", "", parts[index - 1])
            first = False
    return Pattern(tuple(parts))


def _render(
    shape: Shape, heading: str, notes: Mapping[str, Any], values: Mapping[str, str | None]
) -> str:
    repository = values.get("repository")
    lines = [heading]
    lines += [line for p in shape.lead if (line := p.render(values)) is not None]
    titles = dict(shape.titles)
    groups: dict[str, list[Mapping[str, Any]]] = {}
    if notes["breaking_changes"]:
        groups[titles.get("breaking", "Breaking changes")] = list(notes["breaking_changes"])
    for section in notes["sections"]:
        title = titles.get(section["type"], section["title"])
        groups.setdefault(title, []).extend(section["commits"])
    if shape.flat:
        entries = [e for group in groups.values() for e in group]
        if shape.bullet.header:
            entries = [e for s in notes["sections"] for e in s["commits"]]
        groups = {"": entries} if entries else {}
    if not groups:
        lines.append(notes.get("empty_text") or NO_CHANGES)
    for index, (title, entries) in enumerate(groups.items()):
        if not shape.flat:
            if index:
                lines += [""] * shape.section_gap
            lines.append(f"{'#' * shape.title_level} {title}")
            if shape.title_gap:
                lines.append("")
        lines += [shape.bullet.render(e, repository) for e in entries]
    if shape.credits and notes.get("contributors"):
        lines += [""] * max(shape.section_gap, 1)
        lines.append(f"{'#' * shape.title_level} {shape.credits}")
        lines += [""] if shape.title_gap else []
        for person in notes["contributors"]:
            new = " (first contribution)" if person["first_time"] else ""
            lines.append(f"{shape.bullet.marker} {md_text(person['name'])}{new}")
    lines += [line for p in shape.trail if (line := p.render(values)) is not None]
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n"


# -- learning ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Known:
    """What relnotes knows about a release in the file, to find it in the text."""

    version: Version
    tag: str
    version_text: str
    previous: str | None
    date: str  # YYYY-MM-DD
    link: str | None


@dataclass(slots=True)
class _Block:
    """A release block's lines, taken apart."""

    heading: str
    level: int
    lead: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    title_level: int | None = None
    title_gap: bool | None = None
    section_gap: int | None = None
    trail: list[str] = field(default_factory=list)
    flat: bool = False


def _take_apart(text: str) -> _Block | None:
    """A release block's heading, its lead (the lines up to the first title or entry), titles,
    entries and the blank lines between them, and its trail (the lines after the last entry).
    A block of its own inside the release, like git-cliff's ``## New Contributors``, gives
    no titles or entries."""
    lines = text.splitlines()
    heading = HEADING_RE.fullmatch(lines[0]) if lines else None
    if heading is None:
        return None
    level = len(heading[1])
    block = _Block(lines[0], level)
    last: int | None = None  # the index of the last title or entry
    blanks = 0
    inner = False
    for index, line in enumerate(lines[1:], 1):
        title = HEADING_RE.fullmatch(line)
        inner = inner or (title is not None and len(title[1]) <= level)
        if inner:
            continue
        if title is not None:
            if block.titles and block.section_gap is None:
                block.section_gap = blanks
            block.titles.append(title[2])
            block.title_level = block.title_level or len(title[1])
            if block.title_gap is None:
                block.title_gap = index + 1 < len(lines) and not lines[index + 1].strip()
            last, blanks = index, 0
        elif _BULLET_RE.fullmatch(line):
            block.flat = block.flat or last is None
            if not block.titles or _title_type(block.titles[-1]) is not None:
                block.entries.append(line)  # not under "### New Contributors", say
            last, blanks = index, 0
        elif last is None:
            block.lead.append(line)
        elif not line.strip():
            blanks += 1
    block.trail = lines[last + 1 :] if last is not None else []
    while block.trail and not block.trail[-1].strip():
        block.trail.pop()
    while last is None and block.lead and not block.lead[-1].strip():
        block.lead.pop()
    return block


def _title_type(title: str) -> str | None:
    """The commit type a section title names (``Bug Fixes`` -> fix), or ``None``."""
    words = " ".join(re.findall(r"[^\W\d_]+", re.sub(r"<!--.*?-->", "", title).lower()))
    for name, spellings in _WORDS.items():
        if words in spellings:
            return name
    return words if words in ("changed", "removed", "deprecated", "security") else None


def _values(
    known: Known, repository: str | None, line: str, tags: Iterable[str]
) -> list[tuple[str, str | None]]:
    values: list[tuple[str, str | None]] = [("link", known.link), ("repository", repository)]
    values.append(("tag", known.tag))
    values += [("previous", name) for name in tags if name in line and name != known.tag]
    values += [("version", known.version_text), ("version", str(known.version))]
    return values


def _learn_line(
    line: str, known: Known, repository: str | None, tags: Iterable[str]
) -> tuple[Pattern, DateFormat | None]:
    values = _values(known, repository, line, tags)
    found = find_date(line, known.date)
    if found is not None:
        values.insert(2, ("date", found[0]))
    pattern = substitute(line, values)
    if known.tag == known.version_text:
        # A tag spelled as its version (``0.2.0``) names the version in text, as the built-in
        # heading does (so relnotes' own file is known as such); link targets keep the tag.
        parts = [("version" if i % 2 and p == "tag" else p) for i, p in enumerate(pattern.parts)]
        pattern = Pattern(tuple(parts))
    return pattern, (found[1] if found else None)


def _heading_safe(pattern: Pattern) -> bool:
    """Words may stand before the version (``Release 1.2.0``), none after it outside link
    targets, and no digit anywhere (it would be one release's)."""
    if not pattern.slots & {"tag", "version"} or _DIGIT_RE.search(pattern.literal):
        return False
    text = _LINK_TARGET_RE.sub("", pattern.marked())
    starts = [text.find(f"\x01{s}") for s in ("tag", "version") if f"\x01{s}" in text]
    rest = re.sub(r"\x01[^\x02]*\x02", "", text[min(starts) :]) if starts else text
    return not _LETTER_RE.search(rest)


def _line_safe(pattern: Pattern) -> bool:
    """A lead or trail line is learned when it links to the release (a slot in a link target)
    and holds nothing else of one release: ``<small>[Compare with …](…)</small>``."""
    return bool(pattern.in_url) and not _DIGIT_RE.search(pattern.literal)


def _lines(
    lines: Sequence[str], known: Known, repository: str | None, tags: Sequence[str], *, lead: bool
) -> tuple[Pattern, ...]:
    """The lines that can be learned, blank lines kept; a line not learned goes with the
    blank line after it in a lead (``Plugins at last!``), the one before it in a trail."""
    blank = Pattern(("",))
    out: list[Pattern] = []
    dropped = False
    for line in lines:
        if not line.strip():
            if not (lead and dropped):
                out.append(blank)
            dropped = False
            continue
        pattern = _learn_line(line, known, repository, tags)[0]
        dropped = not _line_safe(pattern)
        if not dropped:
            out.append(pattern)
        elif not lead and out and out[-1] == blank:
            out.pop()
    return tuple(out)


def _family(
    titles: Mapping[str, str], sections: Mapping[str, str], breaking: str
) -> dict[str, str]:
    """The titles of the tool the file's titles come from (the configuration's on a tie)."""
    own = {"breaking": breaking, **sections}
    best, score = own, float(sum(own.get(k) == v for k, v in titles.items()))
    for name, family in FAMILIES.items():
        found = float(sum(family.get(k) == v for k, v in titles.items()))
        if name == "git-cliff":  # its titles start with an emoji, whichever the user chose
            found += sum(0.5 for v in titles.values() if v[:1] and not v[:1].isalnum())
        if found > score:
            best, score = family, found
    return best


def _bullet(entries: Sequence[str], fallback: Bullet) -> Bullet:
    """The entries' shape; what none of them shows comes from ``fallback``."""
    items = [m for m in (_BULLET_RE.fullmatch(e) for e in entries) if m is not None]
    if not items:
        return fallback
    rests = [m["rest"] for m in items]
    header = all(_HEADER_RE.match(r) for r in rests)
    bullet = replace(fallback, marker=items[0]["marker"], header=header)
    texts: list[str] = []
    suffixes: list[re.Match[str] | None] = []
    scope: tuple[str, str] | None = None
    for rest in rests:
        text = rest
        for opening, closing in () if header else _SCOPES:
            found = re.match(rf"{re.escape(opening)}[^\s*()_]+?{re.escape(closing)}", rest)
            if found:
                scope = scope or (opening, closing)
                text = rest[found.end() :]
                break
        suffix = _SUFFIX_RE.search(text) or _BARE_SHA_RE.search(text)
        suffixes.append(suffix)
        texts.append(text[: suffix.start()] if suffix else text)
    if scope is not None:
        bullet = replace(bullet, scope=scope)
    starts = [t.lstrip("[*_`")[:1] for t in texts]
    letters = [s for s in starts if s.isalpha()]
    if letters and not header:
        bullet = replace(bullet, upper=all(s.isupper() for s in letters))
    if any(_BARE_REF_RE.search(t) for t in texts):
        bullet = replace(bullet, link_refs=False)
    elif any("[#" in t for t in texts):
        bullet = replace(bullet, link_refs=True)
    first = next((s for s in suffixes if s is not None), None)
    if first is None:
        return replace(bullet, suffix=False, period=all(t.rstrip().endswith(".") for t in texts))
    if "url" not in first.re.groupindex:
        return replace(bullet, suffix=True, pre=first["pre"], post=first["post"], url=None)
    full = len(first["sha"]) == 40 and first["sha"] != first["short"]
    url = substitute(first["url"], [("repository", _repository_of(first["url"]))])
    url = Pattern((*url.parts, "sha" if full else "short", ""))
    return replace(
        bullet, suffix=True, pre=first["pre"], post=first["post"], url=url, by=bool(first["by"])
    )


def _repository_of(url: str) -> str | None:
    found = re.match(r"(.*?)/(?:-/)?commits?/$", url)
    return found[1] if found else None


def learn(
    releases: Sequence[tuple[str, Known]],
    *,
    unreleased: str | None,
    footer: str,
    repository: str | None,
    tags: Sequence[str],
    sections: Mapping[str, str],
    breaking_title: str,
) -> Style | None:
    """The style of a file from its release blocks (text and what relnotes knows of each),
    newest first, its Unreleased heading and its footer; ``None`` when nothing can be learned
    (the built-in template is used then)."""
    parsed = [(b, k) for b, k in ((_take_apart(text), known) for text, known in releases) if b]
    heading = date = None
    newest: tuple[_Block, Known] | None = None
    for block, known in parsed[:3]:
        pattern, found = _learn_line(block.heading, known, repository, tags)
        if _heading_safe(pattern):
            heading, date, newest = pattern, found, (block, known)
            break
    if heading is None or newest is None:
        return None
    block, known = newest
    if "date" not in heading.slots:
        date = None

    seen: dict[str, str] = {}
    for other, _known in parsed[:3]:
        for title in other.titles:
            kind = _title_type(title)
            if kind is not None:
                seen.setdefault(kind, title)
    family = _family(seen, sections, breaking_title)
    titles = {"breaking": seen.get("breaking") or family.get("breaking") or breaking_title}
    for kind, title in sections.items():
        titles[kind] = seen.get(kind) or family.get(kind) or title
    family_name = next((n for n, f in FAMILIES.items() if f is family), "")
    fallback = Bullet(**_FAMILY_BULLETS.get(family_name, {}))
    entries = block.entries or next((b.entries for b, _k in parsed[1:4] if b.entries), [])
    bullet = _bullet(entries, fallback)
    if repository is None:  # no issue links can be made: whether the file shows any is moot
        bullet = replace(bullet, link_refs=True)

    shape = Shape(
        heading=heading,
        lead=_lines(block.lead, known, repository, tags, lead=True),
        title_level=block.title_level or 3,
        title_gap=block.title_gap if block.title_gap is not None else True,
        section_gap=block.section_gap if block.section_gap is not None else 1,
        flat=block.flat and not block.titles,
        trail=_lines(block.trail, known, repository, tags, lead=False),
        titles=tuple(titles.items()),
        bullet=bullet,
        credits=next((t for t in block.titles if t.strip().casefold() == "contributors"), None),
    )
    style = Style(shape, date or DateFormat())
    style = replace(style, other_heading=_other_heading(parsed, newest, repository, tags))
    name = _NAME_RE.match(unreleased or "")
    return replace(
        style,
        unreleased=_learn_unreleased(unreleased, repository, tags),
        unreleased_title=name["name"] if name else None,
        definition=_definition(heading, footer, known, repository, tags),
        unreleased_definition=_unreleased_definition(footer, repository, tags),
    )


def _other_heading(
    parsed: Sequence[tuple[_Block, Known]],
    newest: tuple[_Block, Known],
    repository: str | None,
    tags: Sequence[str],
) -> tuple[bool, Pattern] | None:
    """The heading of the other kind of release (patch or not), where its level differs."""
    patch = newest[1].version.micro != 0
    for block, known in parsed:
        if (known.version.micro != 0) == patch:
            continue
        if block.level == newest[0].level:
            return None
        pattern = _learn_line(block.heading, known, repository, tags)[0]
        return (not patch, pattern) if _heading_safe(pattern) else None
    return None


def _learn_unreleased(
    line: str | None, repository: str | None, tags: Sequence[str]
) -> Pattern | None:
    if not line:
        return None
    found = _NAME_RE.match(line)
    values: list[tuple[str, str | None]] = [("repository", repository)]
    values += [("previous", name) for name in tags if name in line]
    date = find_date(line)
    if date is not None:
        values.append(("date", date[0]))
    values.append(("title", found["name"] if found else None))
    pattern = substitute(line, values)
    if "title" not in pattern.slots or _DIGIT_RE.search(pattern.literal):
        return None
    return pattern


def _definition(
    heading: Pattern, footer: str, known: Known, repository: str | None, tags: Sequence[str]
) -> Pattern | None:
    """``[1.2.0]: url`` for a heading ``## [1.2.0]`` that has no link of its own."""
    if heading.in_url or not footer:
        return None
    label = re.search(r"\[\x01(tag|version)\x02\](?!\()", heading.marked())
    if label is None:
        return None
    for line in footer.splitlines():
        found = _DEFINITION_RE.fullmatch(line)
        if found and found["label"].lower() in (
            known.tag.lower(),
            known.version_text.lower(),
            str(known.version),
        ):
            pattern = _learn_line(line, known, repository, tags)[0]
            if pattern.in_url and not _DIGIT_RE.search(pattern.literal):
                return pattern
    return None


def _unreleased_definition(
    footer: str, repository: str | None, tags: Sequence[str]
) -> Pattern | None:
    """``[unreleased]: …/compare/v1.2.0...HEAD``, with the latest tag as a slot."""
    for line in footer.splitlines():
        found = _DEFINITION_RE.fullmatch(line)
        if found is None or _DIGIT_RE.search(found["label"]):
            continue
        values: list[tuple[str, str | None]] = [("title", found["label"])]
        values += [("repository", repository)]
        values += [("previous", name) for name in tags if name in line]
        pattern = substitute(line, values)
        if "previous" in pattern.slots and not _DIGIT_RE.search(pattern.literal):
            return pattern
    return None
