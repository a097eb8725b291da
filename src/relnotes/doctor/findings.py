"""The doctor's records: one :class:`Finding` per problem, and the :class:`Report` of a run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from relnotes.doctor.rules import RULES, Severity


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
