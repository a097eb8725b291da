"""A changelog's style and how it writes a release: heading, lead lines, section titles,
entries, contributors and the link definitions at the end of the file.

:func:`builtin` is the built-in template's style (what ``templates/changelog.md.jinja``
writes); :func:`relnotes.changelog.learn.learn` reads a file's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from relnotes.changelog.slots import DateFormat, Pattern
from relnotes.markdown import link_refs, md_text, unwrap
from relnotes.notes import NO_CHANGES

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

DEFINITION_RE = re.compile(r" {0,3}\[(?P<label>[^\]]+)\]:[ \t]*\S.*")
DIGIT_RE = re.compile(r"[0-9]")


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
            found = DEFINITION_RE.fullmatch(line.rstrip("\r\n"))
            if found is None:
                continue
            last = index + 1
            if DIGIT_RE.search(found["label"]):
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
