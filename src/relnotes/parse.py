"""The Conventional Commits 1.0.0 parser: text in, value out. Pure, and it never raises.

It knows nothing of git, configuration or templates, and imports only ``re``: it sits on the
commit-msg hook path, which runs on every commit.

Footers are read only from the trailer block, the last paragraph of the message, as git reads
trailers: a ``BREAKING CHANGE:`` line in the middle of a body is text, not a breaking change.
"""

from __future__ import annotations

import re

__all__ = ["SCISSORS", "Footer", "ParsedCommit", "clean_message", "parse"]

#: The line ``git commit -v`` writes above the diff; it and everything below are not message.
SCISSORS = "------------------------ >8 ------------------------"

HEADER_RE = re.compile(
    r"(?P<type>[A-Za-z][A-Za-z0-9_-]*)"
    r"(?:\((?P<scope>[^()\r\n]+)\))?"
    r"(?P<bang>!)?"
    r": (?P<description>.*)"
)
FOOTER_RE = re.compile(
    r"(?P<token>(?i:BREAKING[ -]CHANGE)|[A-Za-z][A-Za-z0-9-]*)"
    r"(?P<separator>:(?=[ \t\n]|$)| #(?=\S))[ \t]*(?P<value>.*)"
)
MERGE_RE = re.compile(r"Merge (?:(?:remote-tracking )?branch|branches|pull request|tag|commit) ")
REVERT_QUOTED_RE = re.compile(r'Revert "(?P<target>.*)"\s*$')
AUTOSQUASH_RE = re.compile(r"(?P<kind>fixup|squash|amend)! (?P<target>.*)")
REVERTS_SHA_RE = re.compile(r"This reverts commit (?P<sha>[0-9a-fA-F]{7,40})")
BREAKING_FOOTER_RE = re.compile(r"^BREAKING[ -]CHANGE:(?:[ \t]|$)", re.IGNORECASE | re.MULTILINE)
WHITE_LINE_RE = re.compile(r"\n[ \t]+(?=\n)")
PARAGRAPH_BREAK_RE = re.compile(r"\n(?:[ \t]*\n)+")
REFERENCE_RE = re.compile(r"(?<![\w/&])#(?P<number>[0-9]+)\b")

_SPECIAL_STARTS = frozenset("MRfsa")
#: The kinds of commit the parser tells apart.
KINDS = ("commit", "merge", "revert", "fixup", "squash", "amend")


class Footer:
    """One git trailer: ``Token: value`` or ``Token #value`` (value may span lines)."""

    __slots__ = ("separator", "token", "value")

    def __init__(self, token: str, value: str, separator: str = ":") -> None:
        self.token = token
        self.value = value
        self.separator = separator

    @property
    def is_breaking(self) -> bool:
        return self.token.upper().replace("-", " ") == "BREAKING CHANGE"

    def to_json(self) -> dict[str, str]:
        return {"token": self.token, "value": self.value}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Footer):
            return NotImplemented
        return (self.token, self.value, self.separator) == (
            other.token,
            other.value,
            other.separator,
        )

    def __hash__(self) -> int:
        return hash((self.token, self.value, self.separator))

    def __repr__(self) -> str:
        return f"Footer({self.token!r}, {self.value!r}, {self.separator!r})"


class ParsedCommit:
    """What a commit message says, in Conventional Commits terms.

    ``conventional`` tells whether the header follows ``type(scope)!: description`` at all;
    when it does not, ``type`` and ``scope`` are ``None`` and ``description`` is the header.
    ``kind`` is one of :data:`KINDS`; ``target`` is the header a revert or a ``fixup!`` names,
    and ``reverted_sha`` the commit that ``This reverts commit <sha>`` names.
    """

    FIELDS = (
        "body",
        "breaking",
        "conventional",
        "description",
        "footers",
        "header",
        "kind",
        "reverted_sha",
        "scope",
        "target",
        "type",
    )
    __slots__ = ("_footers", *(name for name in FIELDS if name != "footers"))

    def __init__(
        self,
        header: str,
        conventional: bool,
        type: str | None = None,
        scope: str | None = None,
        breaking: bool = False,
        description: str = "",
        body: str = "",
        footers: tuple[Footer, ...] | str = (),
        kind: str = "commit",
        target: str | None = None,
        reverted_sha: str | None = None,
    ) -> None:
        self.header = header
        self.conventional = conventional
        self.type = type
        self.scope = scope
        self.breaking = breaking
        self.description = description
        self.body = body
        self._footers = footers  # a str: the trailer block, read when first asked for
        self.kind = kind
        self.target = target
        self.reverted_sha = reverted_sha

    @property
    def footers(self) -> tuple[Footer, ...]:
        """The trailers of the message's last paragraph, in order."""
        if isinstance(self._footers, str):
            self._footers = parse_footers(self._footers.split("\n")) or ()
        return self._footers

    @property
    def breaking_notes(self) -> tuple[str, ...]:
        """The texts that explain the breaking change: its footers, else the description."""
        notes = tuple(f.value for f in self.footers if f.is_breaking and f.value.strip())
        if notes:
            return notes
        return (self.description,) if self.breaking else ()

    @property
    def references(self) -> tuple[str, ...]:
        """``#123`` references from the header and the footers, in order, without repeats."""
        raw = self._footers
        if "#" not in self.description and (not raw or (isinstance(raw, str) and "#" not in raw)):
            return ()  # nothing to find (and the footers need not be read)
        found: dict[str, None] = {}
        texts = [self.description, *(f"{f.separator}{f.value}" for f in self.footers)]
        for text in texts:
            if "#" not in text:
                continue
            for match in REFERENCE_RE.finditer(text):
                found["#" + match["number"]] = None
        return tuple(found)

    def footer(self, token: str) -> str | None:
        """The value of the first footer whose token matches, case-insensitively."""
        wanted = token.lower()
        return next((f.value for f in self.footers if f.token.lower() == wanted), None)

    def _key(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ParsedCommit):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS)
        return f"ParsedCommit({fields})"


def clean_message(message: str, comment_char: str | None = "#") -> str:
    """Do what ``git commit`` does to a message before it stores it (``--cleanup=strip``).

    Everything from the scissors line down goes, and so do comment lines, trailing white
    space, leading and trailing blank lines; runs of blank lines shrink to one.
    """
    lines: list[str] = []
    for raw in message.split("\n"):  # git splits on LF only (not on U+2028, U+0085, FF)
        if comment_char and raw.startswith(comment_char):
            if raw[len(comment_char) :].strip() == SCISSORS:
                break
            continue
        line = raw.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def parse_footers(paragraph: list[str]) -> tuple[Footer, ...] | None:
    """Read a paragraph as a trailer block, or return ``None`` when it is not one.

    The first line must be a trailer; a later line that is not one continues the value of
    the trailer above it (Conventional Commits lets a footer value span lines).
    """
    if not paragraph or FOOTER_RE.fullmatch(paragraph[0].rstrip()) is None:
        return None
    footers: list[Footer] = []
    for raw in paragraph:
        line = raw.rstrip()
        match = FOOTER_RE.fullmatch(line)
        if match is not None:
            separator = match["separator"]
            value = match["value"].strip()
            if separator == " #":
                value = "#" + value
            footers.append(Footer(match["token"], value, separator.strip() or "#"))
        else:
            last = footers[-1]
            text = line.strip()
            last.value = f"{last.value}\n{text}" if last.value else text
    return tuple(footers)


def _split_trailers(rest: str) -> tuple[str, str]:
    """Split what follows the header into the body and the trailer block (its last paragraph,
    when its first line is a trailer; the block is read into footers only when asked for)."""
    if not rest or rest.isspace():
        return "", ""
    if WHITE_LINE_RE.search(rest):
        # blank lines made of white space (a verbatim message): split the slow way
        parts = [p for p in PARAGRAPH_BREAK_RE.split(rest) if p.strip()]
        if FOOTER_RE.fullmatch(parts[-1].split("\n", 1)[0].rstrip()) is None:
            return "\n\n".join(parts), ""
        return "\n\n".join(parts[:-1]), parts[-1]
    last = rest.rfind("\n\n")
    paragraph = rest[last + 2 :] if last >= 0 else rest
    if FOOTER_RE.match(paragraph) is None:  # its first line (the value stops at the line's end)
        return rest, ""
    return (rest[:last].rstrip() if last >= 0 else ""), paragraph


def parse(message: str, *, comment_char: str | None = "#") -> ParsedCommit:
    """Parse a commit message. Never raises, whatever the string.

    Git comment lines (starting with ``comment_char``) and the scissors section are dropped
    first, as git drops them; pass ``comment_char=None`` for a message already stored in git.
    """
    if "\r" in message:
        message = message.replace("\r\n", "\n")
    text = clean_message(message, comment_char) if comment_char else message.strip()
    first, _, rest = text.partition("\n")
    header = first.strip()

    body, trailers = _split_trailers(rest.strip("\n"))
    breaking = bool(trailers) and BREAKING_FOOTER_RE.search(trailers) is not None

    match = HEADER_RE.fullmatch(header)
    if match is not None:
        type_, scope, bang, description = match.group("type", "scope", "bang", "description")
        description = description.strip()
        if description:
            type_ = type_.lower()
            revert = type_ == "revert"
            return ParsedCommit(
                header,
                True,
                type_,
                scope.strip() if scope else None,
                breaking or bang is not None,
                description,
                body,
                trailers,
                "revert" if revert else "commit",
                description if revert else None,
                _reverted_sha(text) if revert else None,
            )
    kind, target = _kind(header)
    return ParsedCommit(
        header,
        False,
        None,
        None,
        breaking,
        header,
        body,
        trailers,
        kind,
        target,
        _reverted_sha(text) if kind == "revert" else None,
    )


def _kind(header: str) -> tuple[str, str | None]:
    """Tell merges, reverts and autosquash commits apart: (kind, the header they name)."""
    if header[:1] not in _SPECIAL_STARTS:
        return "commit", None
    if MERGE_RE.match(header):
        return "merge", None
    squash = AUTOSQUASH_RE.match(header)
    if squash:
        return squash["kind"], squash["target"].strip()
    quoted = REVERT_QUOTED_RE.match(header)
    if quoted:
        return "revert", quoted["target"]
    return "commit", None


def _reverted_sha(text: str) -> str | None:
    match = REVERTS_SHA_RE.search(text)
    return match["sha"].lower() if match else None
