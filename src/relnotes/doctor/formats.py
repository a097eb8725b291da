"""A doctor report as text, one JSON object, or GitHub Actions annotations; and its summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from relnotes.doctor.rules import RULES
from relnotes.errors import annotation_escape

if TYPE_CHECKING:
    from relnotes.doctor.findings import Finding, Report

FORMATS = ("text", "json", "github")


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


def _github(f: Finding) -> str:
    level = "error" if f.severity == "error" else "warning"
    title = annotation_escape(f"relnotes {f.rule}: {RULES[f.rule].title}", property_=True)
    where = f"file={annotation_escape(f.path, property_=True)},line={f.line}"
    return f"::{level} {where},title={title}::{annotation_escape(f'{f.message} Fix: {f.fix}')}\n"
