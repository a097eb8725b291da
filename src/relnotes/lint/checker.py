"""The checker: the rules in force for one project (its types, limits, commitizen's
settings), the header's rules, and one message linted whole."""

from __future__ import annotations

import re

from relnotes.lint.body import lint_body
from relnotes.lint.findings import WARNING, Finding
from relnotes.lint.spelling import HINTS, close_types, did_you_mean, distance
from relnotes.parse import BOM, HEADER_RE, clean_message, parse, split_message

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relnotes.config import Config

# Patterns for what a good message rarely needs: compiled on first use (``re`` caches them),
# so that the hook does not pay for them on every commit.
_LENIENT_HEADER = (
    r"(?P<type>[\w-]+)"
    r"(?:\s*\((?P<scope>[^()]*)\))?"
    r"(?P<bang>!)?"
    r"(?P<sep>\s*:\s*|\s+)"
    r"(?P<description>.*)"
)
_BREAKING_HEADER = r"(?i)breaking[ _-]?changes?\s*!?\s*:\s*(?P<description>.*)"
#: Headers that tools write and commitlint lets through: a bare version (``npm version``),
#: other hosts' merges.
_TOOL_HEADER = (
    r"v?\d+\.\d+\.\d+\S*|Merged (?:.*? )?(?:in|into) .+|Merged PR .+|Automatic merge.*"
    r"|Auto-merged .+ into .+"
)
_TOOL_STARTS = ("v", "M", "A", *"0123456789")
_EXAMPLE = "feat(parser): accept empty tables"


def _header(prefix: str, scope: str | None, bang: str | None, description: str) -> str:
    return f"{prefix}{f'({scope})' if scope else ''}{bang or ''}: {description}"


def _lower_first(text: str) -> str:
    """``Add login`` -> ``add login``; ``README`` and ``API`` stay as they are."""
    word = text.split(" ", 1)[0]
    if len(word) > 1 and word[0].isupper() and word[1:].islower():
        return text[0].lower() + text[1:]
    return text


class Checker:
    """The rules in force for one project: its types, limits and commitizen's settings."""

    def __init__(self, config: Config) -> None:
        self.config = config
        cz = config.commitizen_check
        #: the project configures commitizen: its bump commits and rules are the project's
        self.commitizen = cz is not None
        self.cz: dict[str, object] = cz or {}
        types = list(config.allowed_types)
        bump = config.bump_template
        if self.commitizen and self.cz.get("name", "cz_conventional_commits") == (
            "cz_conventional_commits"
        ):
            types.append("bump")  # commitizen's own schema allows it
        if bump:
            match = HEADER_RE.fullmatch(bump.split("\n", 1)[0])
            if match is not None:
                types.append(match["type"].lower())
        self.allowed = tuple(dict.fromkeys(types))
        pattern = self.cz.get("schema_pattern") if self.cz.get("name") == "cz_customize" else None
        self.schema_re: re.Pattern[str] | None = None
        if isinstance(pattern, str) and pattern:
            try:
                self.schema_re = re.compile(pattern)
            except re.error:
                self.schema_re = None  # commitizen would say so; not ours to judge

    def skips(self, text: str, header: str) -> bool:
        """Messages that tools write and the project's commitizen settings allow."""
        if header.startswith(_TOOL_STARTS) and re.fullmatch(_TOOL_HEADER, header):
            return True
        if not self.commitizen:
            return False
        prefixes = self.cz.get("allowed_prefixes")
        if not isinstance(prefixes, list):
            prefixes = list(_CZ_ALLOWED_PREFIXES)
        if any(isinstance(p, str) and p and text.startswith(p) for p in prefixes):
            return True
        return self.config.is_bump_commit(header)

    # the header ------------------------------------------------------------------------

    def lint_header(self, raw: str, text: str = "") -> list[Finding]:
        """The header's findings: its shape, then its type, length, scope and period."""
        header = raw.strip()
        findings: list[Finding] = []
        strict = HEADER_RE.fullmatch(header)
        if self.schema_re is not None and self.schema_re.match(text or header):
            pass  # the project's commitizen schema (customize.schema_pattern) takes it
        elif strict is not None and strict["description"].strip():
            findings.extend(self._conventional(header, strict))
        else:
            findings.append(self._diagnose(header))
        if raw != header:
            fixed = next((f.suggestion for f in findings if f.fixable), None) or header
            findings.insert(
                0,
                Finding(
                    "header-whitespace",
                    "start the header with its type: remove the white space before it",
                    text=raw,
                    suggestion=fixed,
                    fixable=True,
                ),
            )
        limit = self.config.header_max_length
        if limit > 0 and len(header) > limit:
            findings.append(
                Finding(
                    "header-length",
                    f"the header is {len(header)} characters long; the limit is {limit}: "
                    "move the detail to the body",
                    text=header,
                )
            )
        return findings

    def _conventional(self, header: str, match: re.Match[str]) -> list[Finding]:
        type_, scope, bang = match["type"], match["scope"], match["bang"]
        written = match["description"]
        description = written.strip()
        fixed_type = type_
        findings: list[Finding] = []
        fixes: list[Finding] = []  # their suggestion is the header with every safe fix made
        if type_.lower() not in self.allowed:
            close, sure = close_types(type_, self.allowed)
            if len(close) == 1:
                fixed_type = close[0]
            finding = Finding(
                "type-unknown",
                f"unknown type {type_!r}; {did_you_mean(close, self.allowed)}",
                text=header,
                suggestions=tuple(_header(t, scope, bang, description) for t in close),
                fixable=sure,
            )
            if sure:
                fixes.append(finding)
            findings.append(finding)
        elif type_ != type_.lower():
            fixed_type = type_.lower()
            finding = Finding(
                "type-case",
                f"write the type in lower case: {type_.lower()!r}, not {type_!r}",
                text=header,
                fixable=True,
            )
            findings.append(finding)
            fixes.append(finding)
        if written != description and written.startswith(" "):
            finding = Finding(
                "description-space",
                "write one space after the colon",
                text=header,
                severity=WARNING,
                fixable=True,
            )
            findings.append(finding)
            fixes.append(finding)
        fixed = _header(fixed_type, scope, bang, description)
        for finding in fixes:
            finding.suggestions = (fixed,)
        scopes = self.config.scopes
        if scope is None and self.config.scope_required:
            findings.append(
                Finding(
                    "scope-required",
                    "name a scope: type(scope): description"
                    + (f" (one of: {', '.join(scopes)})" if scopes else ""),
                    text=header,
                )
            )
        if scope is not None and scopes and scope.strip() not in scopes:
            near = [s for s in scopes if distance(scope.strip().lower(), s.lower()) <= 2]
            findings.append(
                Finding(
                    "scope-unknown",
                    f"unknown scope {scope!r}; use one of: {', '.join(scopes)}",
                    text=header,
                    suggestions=tuple(_header(fixed_type, s, bang, description) for s in near),
                )
            )
        if description.endswith(".") and not description.endswith(".."):
            findings.append(
                Finding(
                    "description-period",
                    "the description ends with a period",
                    text=header,
                    severity=WARNING,
                    suggestion=_header(fixed_type, scope, bang, description.rstrip(".")),
                )
            )
        return findings

    def _diagnose(self, header: str) -> Finding:
        """Why a header is not conventional, with the fix when there is exactly one."""
        breaking = re.fullmatch(_BREAKING_HEADER, header)
        if breaking is not None:
            description = breaking["description"].strip() or "describe the change"
            return Finding(
                "header-format",
                "BREAKING CHANGE is a footer, not a type: start the header with the type and "
                "mark the breaking change with '!'",
                text=header,
                suggestions=(f"feat!: {description}", f"fix!: {description}"),
            )
        match = re.fullmatch(_LENIENT_HEADER, header)
        if match is None:
            return Finding(
                "header-format",
                f"the header must look like 'type(scope): description', e.g. {_EXAMPLE!r}",
                text=header,
            )
        type_, scope, bang = match["type"], match["scope"], match["bang"]
        sep, description = match["sep"], match["description"].strip()
        if ":" not in sep:
            return self._no_type(header, type_, scope, bang, sep + description)
        close, sure = close_types(type_, self.allowed) if type_.isalnum() else ((), False)
        fixed_type = close[0] if len(close) == 1 else type_
        if not description:
            return Finding("description-empty", "write a description after the colon", text=header)
        if scope is not None and not scope.strip():
            return Finding(
                "scope-empty",
                "empty parentheses: name a scope or leave them out",
                text=header,
                suggestion=_header(fixed_type, None, bang, description),
                fixable=sure,
            )
        if not sure:
            return Finding(
                "type-unknown",
                f"unknown type {type_!r}; {did_you_mean(close, self.allowed)}",
                text=header,
                suggestions=tuple(_header(t, scope, bang, description) for t in close),
            )
        parts: list[str] = []
        if fixed_type == type_.lower() != type_:
            parts.append("the type in lower case")
        elif fixed_type != type_:
            parts.append(f"the type {fixed_type!r}")
        if scope is not None and header[len(type_) : len(type_) + 1].isspace():
            parts.append("no space before the parenthesis")
        colon = sep.index(":")
        if colon:
            parts.append("no space before the colon")
        if sep[colon + 1 :] != " ":
            parts.append("one space after the colon")
        return Finding(
            "header-format",
            "write " + ", ".join(parts),
            text=header,
            suggestion=_header(fixed_type, scope.strip() if scope else None, bang, description),
            fixable=True,
        )

    def _no_type(
        self, header: str, word: str, scope: str | None, bang: str | None, rest: str
    ) -> Finding:
        """A header without a colon: suggestions from its first word, never a fix (a verb is
        not a type: ``Remove old API`` is no revert)."""
        lowered = word.lower()
        description = _lower_first(header)
        if lowered not in self.allowed:
            scope = None  # "Add (optional) thing": no scope there
        candidates: tuple[str, ...] = ()
        typed = False  # the first word is a type ("feat add x"), or its verb ("Fixed typo")
        for cut in range(min(4, len(lowered) - 1)):  # add, adds, added, adding
            stem = lowered[: len(lowered) - cut]
            if stem in self.allowed and rest.strip():
                candidates, description, typed = (stem + (bang or ""),), rest.strip(), True
                break
            if stem in HINTS:
                candidates = HINTS[stem]
                break
        candidates = candidates or ("feat", "fix")
        if not typed and "readme" in header.lower():
            candidates = ("docs", *(c for c in candidates if c != "docs"))
        allowed = [c for c in candidates if c.rstrip("!") in self.allowed]
        if typed:
            message = "write a colon and a space after the type"
        else:
            message = (
                f"start the header with a type, as in 'type: {_lower_first(header)}'; "
                f"types: {', '.join(self.allowed)}"
            )
        return Finding(
            "header-format",
            message,
            text=header,
            suggestions=tuple(_header(c, scope, None, description) for c in allowed),
        )

    # the body and the footers -----------------------------------------------------------

    def lint(self, message: str, *, comment_char: str | None = "#") -> list[Finding]:
        """Every finding for one message (git comments and the scissors section ignored)."""
        text = clean_message(message.replace("\r\n", "\n").removeprefix(BOM), comment_char)
        if not text.strip():
            return [Finding("empty-message", "the commit message is empty", line=1)]
        parsed = parse(text, comment_char=None)
        if parsed.kind != "commit":
            return []  # merges, reverts and fixup!/squash!/amend! pass the hook
        header, _body, _footers, offset = split_message(text)
        if self.skips(text, header.strip()):
            return []
        return self.lint_header(header, text) + lint_body(text, offset)


#: commitizen's default (commitizen.defaults), kept here so the hook need not import it.
_CZ_ALLOWED_PREFIXES = ("Merge", "Revert", "Pull request", "fixup!", "squash!", "amend!")

_last: list[Checker] = []  # the checker of the last configuration (a range reuses it)


def lint_message(message: str, config: Config, *, comment_char: str | None = "#") -> list[Finding]:
    """Every finding for one message (git comments and the scissors section ignored)."""
    if not _last or _last[0].config is not config:
        _last[:] = [Checker(config)]
    return _last[0].lint(message, comment_char=comment_char)
