"""The commit message linter behind ``relnotes check``: findings with a rule id, and fixes that
keep the author's meaning.

It cuts a message with :func:`relnotes.parse.split_message`, as the parser does, so a message
the hook accepts is read the same way in the notes. An *error* means the message breaks the
convention or its meaning would be lost (a breaking change that would not count); what only
might be a mistake is a *warning*. A finding is ``fixable`` only when the fix keeps what the
author wrote: a type's case, a type misspelled with exactly one close known type, the spaces
around the colon, white space before the type, empty parentheses, the spelling of a
``BREAKING CHANGE`` footer. A header with no type gets suggestions, never a fix.

It sits on the commit-msg hook path: it imports ``re`` and the parser only.
"""

from __future__ import annotations

import re

from relnotes.parse import (
    FOOTER_RE,
    HEADER_RE,
    clean_message,
    cleaned_lines,
    footer_match,
    parse,
    split_message,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from relnotes.config import Config

ERROR = "error"
WARNING = "warning"

#: rule id -> what it checks (README's table is made from this)
RULES: dict[str, str] = {
    "empty-message": "the message has no text",
    "header-format": "the header has the form type(scope)!: description",
    "header-whitespace": "the header starts with its type, not with white space",
    "type-case": "the type is written in lower case",
    "type-unknown": "the type is one the project knows",
    "description-empty": "the header has a description after the colon",
    "description-space": "one space separates the colon and the description (warning)",
    "header-length": "the header is no longer than header_max_length (100)",
    "scope-empty": "parentheses hold a scope",
    "scope-required": "every commit names a scope (scope_required)",
    "scope-unknown": "the scope is one of scopes (when configured)",
    "description-period": "the description does not end with a period (warning)",
    "body-blank-line": "one blank line separates the header from the body",
    "footer-format": "a line that is almost a footer is written Token: value (warning)",
    "breaking-change-case": "a BREAKING CHANGE footer is spelled so, in capitals",
    "breaking-change-placement": "BREAKING CHANGE starts a footer, not a line inside a paragraph",
    "fixup-left": "no fixup!/squash!/amend! commit is left in a pull request (--no-fixup)",
}

#: Other spellings of a standard type: the same word, so the fix keeps the meaning.
SPELLINGS = {
    "feature": "feat",
    "features": "feat",
    "feats": "feat",
    "bugfix": "fix",
    "bugfixes": "fix",
    "fixes": "fix",
    "fixed": "fix",
    "doc": "docs",
    "documentation": "docs",
    "tests": "test",
    "testing": "test",
    "refactoring": "refactor",
    "refactors": "refactor",
    "chores": "chore",
    "performance": "perf",
    "styles": "style",
    "builds": "build",
    "reverts": "revert",
}
#: Words that say what a change is without being its type: suggestions only, never a fix.
HINTS = {
    "add": ("feat", "fix"),
    "new": ("feat",),
    "implement": ("feat",),
    "introduce": ("feat",),
    "support": ("feat",),
    "allow": ("feat",),
    "create": ("feat",),
    "enable": ("feat",),
    "bug": ("fix",),
    "hotfix": ("fix",),
    "correct": ("fix",),
    "repair": ("fix",),
    "resolve": ("fix",),
    "handle": ("fix",),
    "prevent": ("fix",),
    "avoid": ("fix",),
    "update": ("chore", "build", "docs"),
    "upgrade": ("build", "chore"),
    "bump": ("build", "chore"),
    "deps": ("build", "chore"),
    "remove": ("refactor", "feat!"),
    "delete": ("refactor", "feat!"),
    "drop": ("feat!", "refactor"),
    "rename": ("refactor",),
    "move": ("refactor",),
    "clean": ("refactor", "chore"),
    "cleanup": ("refactor", "chore"),
    "simplify": ("refactor",),
    "improve": ("perf", "refactor"),
    "optimize": ("perf",),
    "optimise": ("perf",),
    "speed": ("perf",),
    "document": ("docs",),
    "readme": ("docs",),
    "release": ("chore",),
    "wip": ("chore",),
}

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
#: A line that starts like a BREAKING CHANGE footer, in any spelling.
_BREAKING_ANY = r"(?i)breaking[ _-]?changes?[ \t]*:[ \t]*(?P<value>.*)"
_ALMOST_FOOTER = (
    r"(?P<token>[A-Za-z][A-Za-z0-9-]*)(?P<sep>[ \t]*:[ \t]*|[ \t]+#[ \t]*)(?P<value>\S.*)"
)
#: Headers that tools write and commitlint lets through: a bare version (``npm version``),
#: other hosts' merges.
_TOOL_HEADER = (
    r"v?\d+\.\d+\.\d+\S*|Merged (?:.*? )?(?:in|into) .+|Merged PR .+|Automatic merge.*"
    r"|Auto-merged .+ into .+"
)
_TOOL_STARTS = ("v", "M", "A", *"0123456789")
_EXAMPLE = "feat(parser): accept empty tables"
_URI_SCHEMES = frozenset({"http", "https", "ftp", "mailto", "file", "ssh", "git", "urn", "tel"})
#: What a pull-request template's "Breaking changes:" line says when nothing breaks.
_NOTHING_BREAKS = frozenset({"none", "no", "n/a", "na", "-", "nope", "nothing", "false", "0"})


class Finding:
    """One problem in one message, with the text at fault and, where there is one, the fix.

    ``suggestion`` is the whole line as it could be written (the first of ``suggestions``);
    ``fixable`` says that ``--fix`` may write it, because it keeps the author's meaning.
    """

    __slots__ = ("fixable", "line", "message", "rule", "severity", "suggestions", "text")

    def __init__(
        self,
        rule: str,
        message: str,
        *,
        text: str = "",
        line: int = 1,
        severity: str = ERROR,
        suggestion: str | None = None,
        suggestions: tuple[str, ...] = (),
        fixable: bool = False,
    ) -> None:
        self.rule = rule
        self.message = message
        self.text = text
        self.line = line
        self.severity = severity
        self.suggestions = (suggestion, *suggestions) if suggestion else suggestions
        self.fixable = fixable

    @property
    def suggestion(self) -> str | None:
        return self.suggestions[0] if self.suggestions else None

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "line": self.line,
            "message": self.message,
            "text": self.text,
            "suggestion": self.suggestion,
            "suggestions": list(self.suggestions),
            "fixable": self.fixable,
        }


def _distance(a: str, b: str) -> int:
    """Edit distance with adjacent swaps (``fxi`` is one step from ``fix``)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


def close_types(word: str, allowed: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """The known types ``word`` may be a spelling of, and whether the fix is sure.

    Sure: the type in another case, another spelling of the same word (``feature``), or one
    typo away when that cannot be another word (two letters swapped, as ``fxi``, or a slip in a
    word of five letters or more). ``cli`` is one letter from ``ci`` and ``core`` from
    ``chore``, but they are words of their own: suggested, never fixed.
    """
    lowered = word.lower()
    if lowered in allowed:
        return (lowered,), True
    spelling = SPELLINGS.get(lowered)
    if spelling is not None and spelling in allowed:
        return (spelling,), True
    limit = 1 if len(lowered) <= 6 else 2
    close = tuple(t for t in allowed if _distance(lowered, t) <= limit)
    if len(close) != 1:
        return close, False
    swapped = len(lowered) == len(close[0]) and sorted(lowered) == sorted(close[0])
    return close, swapped or len(lowered) >= 5


def _did_you_mean(close: tuple[str, ...], allowed: tuple[str, ...]) -> str:
    if len(close) == 1:
        return f"did you mean {close[0]!r}?"
    if close:
        return f"did you mean one of: {', '.join(close)}?"
    return f"use one of: {', '.join(allowed)}"


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
                f"unknown type {type_!r}; {_did_you_mean(close, self.allowed)}",
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
            near = [s for s in scopes if _distance(scope.strip().lower(), s.lower()) <= 2]
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
                f"unknown type {type_!r}; {_did_you_mean(close, self.allowed)}",
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

    def lint_body(self, text: str, footer_offset: int) -> list[Finding]:
        """Findings below the header: the blank line, BREAKING CHANGE lines, almost-footers."""
        lines = text.split("\n")
        findings: list[Finding] = []
        if len(lines) > 1 and lines[1].strip():
            findings.append(
                Finding(
                    "body-blank-line",
                    "leave one blank line between the header and the body",
                    text=lines[1],
                    line=2,
                )
            )
        first_footer = text.count("\n", 0, footer_offset) if footer_offset >= 0 else len(lines)
        # the last body paragraph: where footers would have to be for BREAKING CHANGE to count
        last_start = first_footer
        while last_start > 1 and lines[last_start - 1].strip() == "":
            last_start -= 1
        while last_start > 1 and lines[last_start - 1].strip():
            last_start -= 1
        for index in range(1, len(lines)):
            line = lines[index]
            if not line:
                continue
            in_footers = index >= first_footer
            starts_paragraph = not lines[index - 1].strip() or index == 1
            breaking = re.match(_BREAKING_ANY, line) if line[0] in "bB" else None
            if breaking is not None:
                findings.extend(
                    _lint_breaking(
                        line,
                        index + 1,
                        breaking["value"].strip(),
                        placed=in_footers or starts_paragraph,
                        last_paragraph=last_start <= index < first_footer,
                    )
                )
            elif (in_footers or (index == last_start and first_footer == len(lines))) and (
                footer_match(line) is None
            ):
                finding = _almost_footer(line, index + 1)
                if finding is not None:
                    findings.append(finding)
        return findings

    def lint(self, message: str, *, comment_char: str | None = "#") -> list[Finding]:
        """Every finding for one message (git comments and the scissors section ignored)."""
        text = clean_message(message.replace("\r\n", "\n"), comment_char)
        if not text.strip():
            return [Finding("empty-message", "the commit message is empty", line=1)]
        parsed = parse(text, comment_char=None)
        if parsed.kind != "commit":
            return []  # merges, reverts and fixup!/squash!/amend! pass the hook
        header, _body, _footers, offset = split_message(text)
        if self.skips(text, header.strip()):
            return []
        return self.lint_header(header, text) + self.lint_body(text, offset)


#: commitizen's default (commitizen.defaults), kept here so the hook need not import it.
_CZ_ALLOWED_PREFIXES = ("Merge", "Revert", "Pull request", "fixup!", "squash!", "amend!")


def _lint_breaking(
    line: str, number: int, value: str, *, placed: bool, last_paragraph: bool
) -> list[Finding]:
    """A line that starts like BREAKING CHANGE: is it a footer, and is it spelled so?"""
    spelled = line.startswith(("BREAKING CHANGE:", "BREAKING-CHANGE:")) and (
        FOOTER_RE.match(line) is not None
    )
    if placed:
        if spelled or value.lower().rstrip(".") in _NOTHING_BREAKS:
            return []  # a footer; or "Breaking changes: none", which says nothing breaks
        return [
            Finding(
                "breaking-change-case",
                "write the footer token as 'BREAKING CHANGE:' (capitals, singular): as it "
                "stands it breaks nothing",
                text=line,
                line=number,
                suggestion=f"BREAKING CHANGE: {value}" if value else "BREAKING CHANGE:",
                fixable=True,
            )
        ]
    if last_paragraph:
        return [
            Finding(
                "breaking-change-placement",
                "put a blank line before it: inside a paragraph BREAKING CHANGE is body text "
                "and breaks nothing",
                text=line,
                line=number,
            )
        ]
    return [
        Finding(
            "breaking-change-placement",
            "BREAKING CHANGE inside a paragraph of the body is text, so it breaks nothing: "
            "start a paragraph with it if it is meant",
            text=line,
            line=number,
            severity=WARNING,
        )
    ]


def _almost_footer(line: str, number: int) -> Finding | None:
    """A footer written almost right (``Refs:#12``, ``Closes  #12``): a warning."""
    almost = re.fullmatch(_ALMOST_FOOTER, line)
    if almost is None:
        return None
    token, sep, value = almost["token"], almost["sep"], almost["value"]
    if ":" in sep:
        if value.startswith("//") or token.lower() in _URI_SCHEMES:
            return None  # a URL
        fixed = f"{token}: {value}"
    else:
        fixed = f"{token} #{value}"
    if fixed == line:
        return None
    return Finding(
        "footer-format",
        "if this is a footer, write it 'Token: value' or 'Token #value' (one space)",
        text=line,
        line=number,
        severity=WARNING,
        suggestion=fixed,
    )


_last: list[Checker] = []  # the checker of the last configuration (a range reuses it)


def lint_message(message: str, config: Config, *, comment_char: str | None = "#") -> list[Finding]:
    """Every finding for one message (git comments and the scissors section ignored)."""
    if not _last or _last[0].config is not config:
        _last[:] = [Checker(config)]
    return _last[0].lint(message, comment_char=comment_char)


def fix_all(
    raw: str, checker: Checker, comment_char: str | None = "#"
) -> tuple[str, list[tuple[int, str, str]], list[Finding]]:
    """Fix until nothing fixable is left (a fix can make a later line's finding fixable: a
    respelled ``BREAKING CHANGE:`` opens the footer section the next line is in).

    Returns the message, every change made (line, before, after) and its findings now.
    """
    changes: list[tuple[int, str, str]] = []
    findings = checker.lint(raw, comment_char=comment_char)
    for _ in range(4):  # each pass fixes every line it can; more than two is never needed
        done = fix_message(raw, findings, comment_char)
        if done is None:
            break
        raw, made = done
        changes.extend(made)
        findings = checker.lint(raw, comment_char=comment_char)
    return raw, changes, findings


def fix_message(
    raw: str, findings: list[Finding], comment_char: str | None = "#"
) -> tuple[str, list[tuple[int, str, str]]] | None:
    """The raw message with every fixable finding's line rewritten, and what changed
    (line, before, after); ``None`` when there is nothing to fix.

    Only those lines change: every other byte (comments, line endings, other lines) stays.
    """
    wanted: dict[int, str] = {}
    for finding in findings:
        if finding.fixable and finding.suggestion is not None:
            wanted[finding.line] = finding.suggestion  # the last one on a line carries all
    if not wanted:
        return None
    kept = cleaned_lines(raw.replace("\r\n", "\n"), comment_char)
    lines = raw.split("\n")  # LF only, as git: every other byte stays where it was
    changes: list[tuple[int, str, str]] = []
    for number, suggestion in sorted(wanted.items()):
        if not 0 < number <= len(kept):
            continue
        index = kept[number - 1][0]
        before = lines[index].removesuffix("\r")
        if before.rstrip() == suggestion:
            continue
        lines[index] = suggestion + lines[index][len(before) :]
        changes.append((number, before.rstrip(), suggestion))
    if not changes:
        return None
    return "\n".join(lines), changes
