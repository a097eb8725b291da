"""What ``relnotes doctor --explain RULE`` and ``--list-rules`` print, from the rules' data."""

from __future__ import annotations

import textwrap

from relnotes.doctor.rules import RULES
from relnotes.errors import RelnotesError


def explain(rule_id: str) -> str:
    """The rule's title, severity, rationale and fix, as ``--explain`` prints them."""
    rule = RULES.get(rule_id.strip().upper())
    if rule is None:
        raise RelnotesError(f"unknown rule {rule_id!r}", hint="see `relnotes doctor --list-rules`")
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
    """One line per rule: id, severity, title."""
    return "".join(f"{r.id}  {r.severity:<7}  {r.title}\n" for r in RULES.values())
