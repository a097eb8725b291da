"""The lines below the header: the blank line after it, ``BREAKING CHANGE`` lines (spelled
and placed so that they count), and footers written almost right."""

from __future__ import annotations

import re

from relnotes.lint.findings import WARNING, Finding
from relnotes.parse import FOOTER_RE, footer_match
from relnotes.quoted import may_quote, quoted_lines

#: A line that starts like a BREAKING CHANGE footer, in any spelling.
_BREAKING_ANY = r"(?i)breaking[ _-]?changes?[ \t]*:[ \t]*(?P<value>.*)"
_ALMOST_FOOTER = (
    r"(?P<token>[A-Za-z][A-Za-z0-9-]*)(?P<sep>[ \t]*:[ \t]*|[ \t]+#[ \t]*)(?P<value>\S.*)"
)
_URI_SCHEMES = frozenset({"http", "https", "ftp", "mailto", "file", "ssh", "git", "urn", "tel"})
#: What a pull-request template's "Breaking changes:" line says when nothing breaks.
_NOTHING_BREAKS = frozenset({"none", "no", "n/a", "na", "-", "nope", "nothing", "false", "0"})


def lint_body(text: str, footer_offset: int) -> list[Finding]:
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
    # text quoted from elsewhere (fenced code, <details>, <blockquote>) is not this commit's
    # footers, so it is not checked as footers either; read below the header, as the parser does
    quoted = {i + 1 for i in quoted_lines(lines[1:])} if may_quote(text) else ()
    for index in range(1, len(lines)):
        line = lines[index]
        if not line:
            continue
        if index in quoted:
            if line.startswith(("BREAKING CHANGE:", "BREAKING-CHANGE:")):
                findings.append(_quoted_breaking(line, index + 1))
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


def _quoted_breaking(line: str, number: int) -> Finding:
    """A ``BREAKING CHANGE:`` line in quoted text: another text's, unless it was meant."""
    return Finding(
        "breaking-change-placement",
        "BREAKING CHANGE inside quoted text (a code fence, <details> or <blockquote>) is that "
        "text's, not this commit's, so it breaks nothing: move it out of the block if it is meant",
        text=line,
        line=number,
        severity=WARNING,
    )


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
