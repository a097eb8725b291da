"""`relnotes doctor`'s run: read the project, apply the selected rules, drop what an inline
``# relnotes: ignore[W16]`` comment silences."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from relnotes.doctor.checks import CHECKS
from relnotes.doctor.context import Context
from relnotes.doctor.findings import Finding, Report
from relnotes.doctor.rules import RULES
from relnotes.errors import RelnotesError

if TYPE_CHECKING:
    from collections.abc import Iterable

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
                    hint=f"rules are {_ranges()} (a prefix like W1 selects W10-W19)",
                )
            chosen |= matched
    return chosen


def _ranges() -> str:
    """``W00-W34 and P00-P06``: the rule ids, from the rules' data."""
    ids = sorted(RULES)
    kinds = sorted({rid[0] for rid in ids}, reverse=True)
    spans = [[r for r in ids if r[0] == kind] for kind in kinds]
    return " and ".join(f"{span[0]}-{span[-1]}" for span in spans)


def diagnose(path: str, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Report:
    """Check the project at ``path``: every finding of the selected rules, minus ignored ones."""
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
