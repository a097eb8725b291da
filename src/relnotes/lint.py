"""The commit message linter behind ``relnotes check``: findings with a rule id and a fix.

It reads messages with :func:`relnotes.parse.parse`, so a message the hook accepts is classified
the same way in the notes. It sits on the commit-msg hook path: it imports ``re`` and the
parser only (``difflib`` only when a type is unknown).
"""

from __future__ import annotations

import re

from relnotes.parse import FOOTER_RE, HEADER_RE, clean_message, parse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relnotes.config import Config

ERROR = "error"
WARNING = "warning"

#: rule id -> what it checks (README's table is made from this)
RULES: dict[str, str] = {
    "empty-message": "the message has no text",
    "header-format": "the header has the form type(scope)!: description",
    "type-case": "the type is written in lower case",
    "type-unknown": "the type is one the project knows",
    "description-empty": "the header has a description after the colon",
    "header-length": "the header is no longer than header_max_length (100)",
    "scope-empty": "parentheses hold a scope",
    "scope-required": "every commit names a scope (scope_required)",
    "scope-unknown": "the scope is one of scopes (when configured)",
    "description-period": "the description does not end with a period (warning)",
    "body-blank-line": "one blank line separates the header from the body",
    "footer-format": "footers are written Token: value or Token #value",
    "breaking-change-case": "BREAKING CHANGE is written in capitals",
    "breaking-change-placement": "BREAKING CHANGE starts a line of the footers, not the body",
    "fixup-left": "no fixup!/squash!/amend! commit is left in a pull request (--no-fixup)",
}

#: Common ways of spelling a standard type, for "did you mean".
ALIASES = {
    "feature": "feat",
    "features": "feat",
    "feats": "feat",
    "new": "feat",
    "add": "feat",
    "bugfix": "fix",
    "bug": "fix",
    "fixes": "fix",
    "fixed": "fix",
    "hotfix": "fix",
    "doc": "docs",
    "documentation": "docs",
    "tests": "test",
    "testing": "test",
    "refactoring": "refactor",
    "chores": "chore",
    "performance": "perf",
    "styles": "style",
    "builds": "build",
    "deps": "build",
}

_LENIENT_HEADER_RE = re.compile(
    r"(?P<type>[A-Za-z][A-Za-z0-9_-]*)"
    r"(?:\s*\((?P<scope>[^()]*)\))?"
    r"(?P<bang>!)?"
    r"(?P<sep>\s*:\s*|\s+)"
    r"(?P<description>.*)"
)
_ALMOST_FOOTER_RE = re.compile(
    r"(?P<token>[A-Za-z][A-Za-z0-9-]*|(?i:BREAKING[ -]CHANGES?))"
    r"(?P<sep>\s*:\s*|\s+#)(?P<value>\S.*)"
)
_BREAKING_ANY_CASE_RE = re.compile(r"(?i)^breaking[ -]changes?\s*:")


class Finding:
    """One problem in one message, with the text at fault and, where there is one, the fix."""

    __slots__ = ("fixable", "line", "message", "rule", "severity", "suggestion", "text")

    def __init__(
        self,
        rule: str,
        message: str,
        *,
        text: str = "",
        line: int = 1,
        severity: str = ERROR,
        suggestion: str | None = None,
        fixable: bool = False,
    ) -> None:
        self.rule = rule
        self.message = message
        self.text = text
        self.line = line
        self.severity = severity
        self.suggestion = suggestion
        self.fixable = fixable

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "line": self.line,
            "message": self.message,
            "text": self.text,
            "suggestion": self.suggestion,
        }


def _close_type(word: str, allowed: tuple[str, ...]) -> str | None:
    lowered = word.lower()
    if lowered in allowed:
        return lowered
    alias = ALIASES.get(lowered)
    if alias in allowed:
        return alias
    import difflib

    close = difflib.get_close_matches(lowered, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def _header(type_: str, scope: str | None, bang: str | None, description: str) -> str:
    return f"{type_}{f'({scope})' if scope else ''}{bang or ''}: {description}"


def lint_header(header: str, config: Config) -> list[Finding]:
    """At most one finding about the header's shape, then its length, scope and period."""
    allowed = config.allowed_types
    strict = HEADER_RE.fullmatch(header)
    if strict is None or not strict["description"].strip():
        return [_diagnose(header, allowed)]
    type_, scope, bang = strict["type"], strict["scope"], strict["bang"]
    description = strict["description"].strip()
    # each fix builds on the ones before it, so the last fixable suggestion carries them all
    fixed = {"type": type_, "scope": scope}

    def suggestion(**change: str) -> str:
        fixed.update(change)
        return _header(fixed["type"], fixed["scope"], bang, description)

    findings: list[Finding] = []
    if type_.lower() not in allowed:
        guess = _close_type(type_, allowed)
        findings.append(
            Finding(
                "type-unknown",
                f"unknown type {type_!r}; "
                + (f"did you mean {guess!r}?" if guess else f"use one of: {', '.join(allowed)}"),
                text=header,
                suggestion=suggestion(type=guess) if guess else None,
                fixable=guess is not None,
            )
        )
    elif type_ != type_.lower():
        findings.append(
            Finding(
                "type-case",
                f"write the type in lower case: {type_.lower()!r}, not {type_!r}",
                text=header,
                suggestion=suggestion(type=type_.lower()),
                fixable=True,
            )
        )
    if len(header) > config.header_max_length:
        findings.append(
            Finding(
                "header-length",
                f"the header is {len(header)} characters long; the limit is "
                f"{config.header_max_length}: move the detail to the body",
                text=header,
            )
        )
    if scope is None and config.scope_required:
        findings.append(
            Finding(
                "scope-required",
                "name a scope: type(scope): description"
                + (f" (one of: {', '.join(config.scopes)})" if config.scopes else ""),
                text=header,
            )
        )
    if scope is not None and config.scopes and scope not in config.scopes:
        import difflib

        close = difflib.get_close_matches(scope, config.scopes, n=1)
        findings.append(
            Finding(
                "scope-unknown",
                f"unknown scope {scope!r}; use one of: {', '.join(config.scopes)}",
                text=header,
                suggestion=suggestion(scope=close[0]) if close else None,
                fixable=bool(close),
            )
        )
    if description.endswith(".") and not description.endswith(".."):
        findings.append(
            Finding(
                "description-period",
                "the description ends with a period",
                text=header,
                severity=WARNING,
                suggestion=_header(fixed["type"], fixed["scope"], bang, description.rstrip(".")),
            )
        )
    return findings


def _diagnose(header: str, allowed: tuple[str, ...]) -> Finding:
    """Why a header is not conventional, with the fix when there is exactly one."""
    example = "feat(parser): accept empty tables"
    match = _LENIENT_HEADER_RE.fullmatch(header)
    if match is None:
        return Finding(
            "header-format",
            f"the header must look like 'type(scope): description', e.g. {example!r}",
            text=header,
        )
    type_, scope, bang = match["type"], match["scope"], match["bang"]
    sep, description = match["sep"], match["description"].strip()
    guess = _close_type(type_, allowed)
    if ":" in sep and not description:
        return Finding(
            "description-empty",
            "write a description after the colon",
            text=header,
        )
    if scope is not None and not scope.strip():
        fixed = _header(guess or type_, None, bang, description)
        return Finding(
            "scope-empty",
            "empty parentheses: name a scope or leave them out",
            text=header,
            suggestion=fixed,
            fixable=guess is not None,
        )
    if guess is None and ":" not in sep:
        lowered = header[:1].lower() + header[1:]
        return Finding(
            "header-format",
            f"start the header with a type, as in 'type: {lowered}'; types: {', '.join(allowed)}",
            text=header,
        )
    if guess is None:
        return Finding(
            "type-unknown",
            f"unknown type {type_!r}; use one of: {', '.join(allowed)}",
            text=header,
        )
    fixed = _header(guess, scope.strip() if scope else None, bang, description)
    if ":" not in sep:
        what = "a colon and a space after the type"
    elif sep != ": ":
        what = "exactly ': ' (colon, space) between the type and the description"
    else:
        what = "a lower-case known type"
    return Finding(
        "header-format",
        f"write {what}",
        text=header,
        suggestion=fixed,
        fixable=True,
    )


def lint_message(message: str, config: Config, *, comment_char: str | None = "#") -> list[Finding]:
    """Every finding for one message (git comments and the scissors section ignored)."""
    text = clean_message(message.replace("\r\n", "\n"), comment_char)
    if not text.strip():
        return [Finding("empty-message", "the commit message is empty", line=1)]
    parsed = parse(text, comment_char=None)
    lines = text.split("\n")
    if parsed.kind != "commit":
        return []  # merges, reverts and fixup!/squash!/amend! pass the hook
    findings = lint_header(parsed.header, config)
    if len(lines) > 1 and lines[1].strip():
        findings.append(
            Finding(
                "body-blank-line",
                "leave one blank line between the header and the body",
                text=lines[1],
                line=2,
            )
        )
    findings.extend(_lint_footers(lines))
    return findings


def _lint_footers(lines: list[str]) -> list[Finding]:
    findings: list[Finding] = []
    start = len(lines)
    while start > 1 and lines[start - 1].strip():
        start -= 1
    last_paragraph = range(start, len(lines)) if start > 1 else range(0)
    block_starts_with_footer = start < len(lines) and FOOTER_RE.fullmatch(lines[start]) is not None
    for number, line in enumerate(lines[1:], start=2):
        index = number - 1
        in_block = index in last_paragraph and (index == start or block_starts_with_footer)
        if _BREAKING_ANY_CASE_RE.match(line):
            findings.extend(_lint_breaking(line, number, index in last_paragraph, in_block))
        elif in_block and FOOTER_RE.fullmatch(line) is None:
            almost = _ALMOST_FOOTER_RE.fullmatch(line)
            if almost is None:
                continue  # a footer value that goes on over several lines
            token, sep, value = almost["token"], almost["sep"], almost["value"]
            if ":" in sep:
                fixed = f"{token}: {value}"
            elif sep.strip() == "#" and sep != " #":
                fixed = f"{token} #{value}"
            else:
                continue
            findings.append(
                Finding(
                    "footer-format",
                    "write a footer as 'Token: value' or 'Token #value' (one space)",
                    text=line,
                    line=number,
                    suggestion=fixed,
                )
            )
    return findings


def _lint_breaking(line: str, number: int, last_paragraph: bool, in_block: bool) -> list[Finding]:
    """A BREAKING CHANGE line: where it stands decides whether it breaks anything."""
    if not last_paragraph:
        return [
            Finding(
                "breaking-change-placement",
                "BREAKING CHANGE in the body is not a footer, so it breaks nothing: "
                "move it to the last paragraph",
                text=line,
                line=number,
                severity=WARNING,
            )
        ]
    if not in_block:
        return [
            Finding(
                "breaking-change-placement",
                "put a blank line before the footers: as it stands BREAKING CHANGE is body "
                "text and breaks nothing",
                text=line,
                line=number,
            )
        ]
    if not line.startswith(("BREAKING CHANGE:", "BREAKING-CHANGE:")):
        value = line.split(":", 1)[1].strip()
        return [
            Finding(
                "breaking-change-case",
                "write the footer token as 'BREAKING CHANGE:' (capitals, singular)",
                text=line,
                line=number,
                suggestion=f"BREAKING CHANGE: {value}",
            )
        ]
    return []


def fix_header(raw: str, findings: list[Finding], comment_char: str | None = "#") -> str | None:
    """The raw message with its header replaced by the one unambiguous fix, or ``None``.

    Only the header line changes: body, footers, comments and line endings stay byte for byte.
    """
    fixes = [f.suggestion for f in findings if f.fixable and f.suggestion and f.line == 1]
    if not fixes or fixes[-1] is None:
        return None
    suggestion = fixes[-1]
    lines = raw.split("\n")  # LF only, as git: every other byte stays where it was
    for index, line in enumerate(lines):
        text = line.removesuffix("\r")
        if not text.strip() or (comment_char and text.startswith(comment_char)):
            continue
        lines[index] = suggestion + line[len(text) :]
        return "\n".join(lines)
    return None
