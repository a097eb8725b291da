"""`relnotes doctor`: static checks of a project's release pipeline (workflows + pyproject.toml).

The rules are data (:data:`~relnotes.doctor.rules.RULES`); each has one small check function in
:mod:`relnotes.doctor.checks` or :mod:`relnotes.doctor.pyproject`, over what
:mod:`relnotes.doctor.context` reads. Here: the findings, :func:`diagnose` (read, check, filter
by --select/--ignore and inline comments), ``--explain`` and the three output formats.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from relnotes.doctor.rules import RULES, Rule, Severity
from relnotes.errors import RelnotesError

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["RULES", "Finding", "Report", "Rule", "Severity", "diagnose", "explain"]
FORMATS = ("text", "json", "github")


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    path: str  # relative to the project
    line: int
    message: str  # one sentence: what is wrong
    fix: str

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "title": RULES[self.rule].title,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass(slots=True)
class Report:
    findings: list[Finding]
    files: list[str]
    notes: list[str] = field(default_factory=list)
    suppressed: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")


_IGNORE_RE = re.compile(r"#\s*relnotes:\s*ignore\[([A-Za-z0-9_,\s]+)\]")


def rule_ids(selection: Iterable[str]) -> set[str]:
    """The rules a ``--select``/``--ignore`` list names (ids or prefixes, comma-separated)."""
    chosen: set[str] = set()
    for item in selection:
        for token in item.split(","):
            prefix = token.strip().upper()
            if not prefix:
                continue
            matched = {rid for rid in RULES if rid.startswith(prefix)}
            if not matched:
                raise RelnotesError(
                    f"unknown rule {token.strip()!r}",
                    hint="rules are W00-W32 and P00-P06 (a prefix like W1 selects W10-W19)",
                )
            chosen |= matched
    return chosen


def diagnose(path: str, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Report:
    """Check the project at ``path``: every finding of the selected rules, minus ignored ones."""
    from relnotes.doctor.checks import CHECKS
    from relnotes.doctor.context import Context

    if not os.path.isdir(path):
        raise RelnotesError(f"no such folder: {path}", hint="name the project's folder")
    select = list(select)
    active = rule_ids(select) if select else set(RULES)
    if select and not active:
        raise RelnotesError(
            f"--select {' '.join(repr(s) for s in select)} names no rule",
            hint="name rules or prefixes, comma-separated (W14,P or W1); leave --select out "
            "for every rule",
        )
    active -= rule_ids(ignore)
    context = Context.read(path)
    if not context.workflows and not context.broken_workflows and context.pyproject is None:
        raise RelnotesError(
            f"nothing to check in {os.path.abspath(path)}: no .github/workflows/*.yml "
            "and no pyproject.toml",
            hint="run it in a project's folder, or write a pipeline with `relnotes init`",
        )
    findings: list[Finding] = list(context.read_findings)
    for check in CHECKS.values():
        findings.extend(check(context))
    kept: list[Finding] = []
    suppressed = 0
    for finding in findings:
        if finding.rule not in active:
            continue
        if finding.rule in _ignored_on(context.line_text(finding.path, finding.line)):
            suppressed += 1
            continue
        kept.append(finding)
    unique = sorted(set(kept), key=lambda f: (f.path, f.line, f.rule, f.message))
    return Report(unique, context.files, context.notes, suppressed)


def _ignored_on(line: str) -> set[str]:
    match = _IGNORE_RE.search(line)
    if match is None:
        return set()
    return {token.strip().upper() for token in match[1].split(",")}


def explain(rule_id: str) -> str:
    """The rule's title, severity, rationale and fix, as ``--explain`` prints them."""
    rule = RULES.get(rule_id.strip().upper())
    if rule is None:
        raise RelnotesError(f"unknown rule {rule_id!r}", hint="see `relnotes doctor --list-rules`")
    import textwrap

    paragraphs = [
        f"{rule.id} ({rule.severity}): {rule.title}",
        f"Why: {rule.rationale}",
        f"Fix: {rule.fix}",
    ]
    if rule.covered_by:
        paragraphs.append(f"Also seen by: {rule.covered_by}")
    paragraphs.append(
        f"Silence one finding with a comment on its line: # relnotes: ignore[{rule.id}]"
    )
    wrapped = (
        textwrap.fill(p, 88, subsequent_indent="     ", break_on_hyphens=False) for p in paragraphs
    )
    return "\n\n".join(wrapped) + "\n"


def list_rules() -> str:
    return "".join(f"{r.id}  {r.severity:<7}  {r.title}\n" for r in RULES.values())


# --- output --------------------------------------------------------------------------------


def format_report(report: Report, fmt: str) -> str:
    if fmt == "json":
        from relnotes.output import to_json

        return to_json(
            {
                "findings": [f.to_json() for f in report.findings],
                "summary": {
                    "errors": report.errors,
                    "warnings": report.warnings,
                    "suppressed": report.suppressed,
                    "files": report.files,
                },
                "notes": report.notes,
            }
        )
    if fmt == "github":
        return "".join(_github(f) for f in report.findings)
    lines: list[str] = []
    for f in report.findings:
        lines.append(f"{f.path}:{f.line}: {f.rule} {f.severity}: {f.message}")
        lines.append(f"    fix: {f.fix}")
    return "\n".join(lines) + "\n" if lines else ""


def summary(report: Report) -> str:
    """One line: how many findings of which severity, in how many files."""
    files = f"{len(report.files)} file{'s' if len(report.files) != 1 else ''}"
    if not report.findings:
        quiet = f" ({report.suppressed} ignored inline)" if report.suppressed else ""
        return f"relnotes doctor: no findings in {files}{quiet}"
    parts = [
        f"{n} {word}{'s' if n != 1 else ''}"
        for n, word in ((report.errors, "error"), (report.warnings, "warning"))
        if n
    ]
    return f"relnotes doctor: {', '.join(parts)} in {files}"


def _escape(text: str, *, property_: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _github(f: Finding) -> str:
    level = "error" if f.severity == "error" else "warning"
    title = _escape(f"relnotes {f.rule}: {RULES[f.rule].title}", property_=True)
    where = f"file={_escape(f.path, property_=True)},line={f.line}"
    return f"::{level} {where},title={title}::{_escape(f'{f.message} Fix: {f.fix}')}\n"
