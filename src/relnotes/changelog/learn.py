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
from typing import TYPE_CHECKING, Any

from relnotes.changelog.blocks import HEADING_RE
from relnotes.changelog.slots import DateFormat, Pattern, find_date, substitute
from relnotes.changelog.style import DEFINITION_RE, DIGIT_RE, Bullet, Shape, Style
from relnotes.changelog.titles import FAMILIES, family_of, title_type
from relnotes.parse import REFERENCE

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence, Set

    from packaging.version import Version

_BULLET_RE = re.compile(r"(?P<marker>[-*+])[ \t]+(?P<rest>\S.*?)[ \t]*")
_LINK_TARGET_RE = re.compile(r"\]\([^)]*\)|<[^>]*>")
_HEADER_RE = re.compile(r"[A-Za-z][\w-]*(?:\([^()]*\))?!?: \S")
_BARE_REF_RE = re.compile(r"(?<!\[)" + REFERENCE + r"(?!\]\()")
_LETTER_RE = re.compile(r"[^\W\d_]")
#: The name in an Unreleased heading: ``[Unreleased](…)``, ``unreleased``, ``What's Changed``.
_NAME_RE = re.compile(
    r" {0,3}#{1,6}[ \t]+\[?(?P<name>[^\]\[()]*?[^\]\[()\s-])\]?(?=[ \t]*(?:[(\[]|-[ \t]|$))"
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
#: How entries look where the file shows none to learn from, by the tool its titles come from.
_FAMILY_BULLETS: dict[str, dict[str, Any]] = {
    "commitizen": {"scope": ("**", "**: "), "link_refs": False, "suffix": False},
    "git-cliff": {"scope": ("*(", ")* "), "upper": True, "link_refs": False, "suffix": False},
    "keep-a-changelog": {"upper": True, "link_refs": False, "suffix": False},
}


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
    #: the entries under a title of reverts: what they show is a reverted commit's header
    reverted: set[int] = field(default_factory=set)
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
            kind = title_type(block.titles[-1]) if block.titles else ""
            if kind is not None:  # not under "### New Contributors", say
                if kind == "revert":
                    block.reverted.add(len(block.entries))
                block.entries.append(line)
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
    if not pattern.slots & {"tag", "version"} or DIGIT_RE.search(pattern.literal):
        return False
    text = _LINK_TARGET_RE.sub("", pattern.marked())
    starts = [text.find(f"\x01{s}") for s in ("tag", "version") if f"\x01{s}" in text]
    rest = re.sub(r"\x01[^\x02]*\x02", "", text[min(starts) :]) if starts else text
    return not _LETTER_RE.search(rest)


def _line_safe(pattern: Pattern) -> bool:
    """A lead or trail line is learned when it links to the release (a slot in a link target)
    and holds nothing else of one release: ``<small>[Compare with …](…)</small>``."""
    return bool(pattern.in_url) and not DIGIT_RE.search(pattern.literal)


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


def _bullet(entries: Sequence[str], fallback: Bullet, reverted: Set[int] = frozenset()) -> Bullet:
    """The entries' shape; what none of them shows comes from ``fallback``. Whether entries
    are whole headers is read from those that are not reverts (a revert's entry is the
    reverted commit's header in the built-in template too)."""
    matched = [(i, _BULLET_RE.fullmatch(e)) for i, e in enumerate(entries)]
    items = [m for _i, m in matched if m is not None]
    if not items:
        return fallback
    rests = [m["rest"] for m in items]
    telling = [m["rest"] for i, m in matched if m is not None and i not in reverted]
    header = bool(telling) and all(_HEADER_RE.match(r) for r in telling)
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
            kind = title_type(title)
            if kind is not None:
                seen.setdefault(kind, title)
    family = family_of(seen, sections, breaking_title)
    titles = {"breaking": seen.get("breaking") or family.get("breaking") or breaking_title}
    for kind, title in sections.items():
        titles[kind] = seen.get(kind) or family.get(kind) or title
    family_name = next((n for n, f in FAMILIES.items() if f is family), "")
    fallback = Bullet(**_FAMILY_BULLETS.get(family_name, {}))
    source = block if block.entries else next((b for b, _k in parsed[1:4] if b.entries), block)
    bullet = _bullet(source.entries, fallback, source.reverted)
    if repository is None:  # no issue links can be made: whether the file shows any is moot
        bullet = replace(bullet, link_refs=True)
        if bullet.url is not None and "repository@url" in bullet.url.parts[1::2]:
            bullet = replace(bullet, url=None)  # nor commit links from the repository's URL

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
    if "title" not in pattern.slots or DIGIT_RE.search(pattern.literal):
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
        found = DEFINITION_RE.fullmatch(line)
        if found and found["label"].lower() in (
            known.tag.lower(),
            known.version_text.lower(),
            str(known.version),
        ):
            pattern = _learn_line(line, known, repository, tags)[0]
            if pattern.in_url and not DIGIT_RE.search(pattern.literal):
                return pattern
    return None


def _unreleased_definition(
    footer: str, repository: str | None, tags: Sequence[str]
) -> Pattern | None:
    """``[unreleased]: …/compare/v1.2.0...HEAD``, with the latest tag as a slot."""
    for line in footer.splitlines():
        found = DEFINITION_RE.fullmatch(line)
        if found is None or DIGIT_RE.search(found["label"]):
            continue
        values: list[tuple[str, str | None]] = [("title", found["label"])]
        values += [("repository", repository)]
        values += [("previous", name) for name in tags if name in line]
        pattern = substitute(line, values)
        if "previous" in pattern.slots and not DIGIT_RE.search(pattern.literal):
            return pattern
    return None
