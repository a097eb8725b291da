"""Rules that harden every workflow: no token left in .git (W15), actions pinned by commit
(W16), no caches where publishing happens (W17), no expressions pasted into scripts (W18), and
a timeout on every job (W30)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from relnotes.doctor.jobs import CHECKOUT, SHA_RE, uses_lines

if TYPE_CHECKING:
    from collections.abc import Iterator

    from relnotes.doctor.context import Check, Context
    from relnotes.doctor.findings import Finding

EXPRESSION_RE = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
UNTRUSTED_RE = re.compile(r"github\.event\.|github\.head_ref|\binputs\.")

#: Numbers from the event (a pull request's number, a run's id): nothing can be injected.
NUMERIC_RE = re.compile(
    r"github\.event\.(?:[a-z_]+\.)?(?:number|id|run_number|run_attempt)\b(?!\s*\.)"
)


def checkout_keeps_no_credentials(ctx: Context) -> Iterator[Finding]:
    """W15: checkout does not persist credentials."""
    for wf in ctx.workflows:
        for step in wf.steps():
            if step.is_action(CHECKOUT) and "persist-credentials" not in step.with_:
                yield ctx.finding(
                    "W15",
                    wf.path,
                    step.line,
                    f"actions/checkout in job {step.job.id} keeps the token in .git/config "
                    "(no `persist-credentials: false`)",
                )


def actions_pinned_by_commit(ctx: Context) -> Iterator[Finding]:
    """W16: actions pinned to a full commit, with the release as a comment."""
    for wf in ctx.workflows:
        for uses, line in uses_lines(wf):
            if uses.startswith("./"):
                continue
            if uses.startswith("docker://"):
                if "@sha256:" not in uses:
                    yield ctx.finding(
                        "W16", wf.path, line, f"{uses} is not pinned by its digest (@sha256:…)"
                    )
                continue
            name, _, ref = uses.partition("@")
            if not SHA_RE.fullmatch(ref):
                yield ctx.finding(
                    "W16",
                    wf.path,
                    line,
                    f"{name} is pinned to {ref or 'nothing'!r}, which can be moved",
                )
            elif not re.search(r"#\s*v?[0-9]", wf.raw_line(line)):
                yield ctx.finding(
                    "W16",
                    wf.path,
                    line,
                    f"{name} is pinned to a commit without its release as a comment (# vX.Y.Z)",
                    severity="warning",
                )


def no_caches_when_publishing(ctx: Context) -> Iterator[Finding]:
    """W17: no caches in the publishing workflow."""
    for wf in ctx.publishing:
        for step in wf.steps():
            line: int | None = None
            if step.is_action("actions/setup-python") and step.input("cache"):
                line = step.with_.line_of("cache")
            elif step.is_action("astral-sh/setup-uv"):
                enabled = step.input("enable-cache")
                if enabled is not False and str(enabled).lower() != "false":
                    line = step.with_.line_of("enable-cache") if enabled is not None else step.line
            elif step.is_action("actions/cache"):
                line = step.line
            if line is not None:
                yield ctx.finding(
                    "W17",
                    wf.path,
                    line,
                    f"{step.action} in job {step.job.id} caches in the workflow that publishes: "
                    "a poisoned cache reaches the release",
                )


def no_expressions_in_scripts(ctx: Context) -> Iterator[Finding]:
    """W18: no ${{ }} expressions inside run:."""
    for wf in ctx.workflows:
        for step in wf.steps():
            if step.run is None:
                continue
            seen: set[int] = set()
            for match in EXPRESSION_RE.finditer(step.run):
                line = step.run.line_at(match.start())
                if line in seen:
                    continue
                seen.add(line)
                untrusted = bool(UNTRUSTED_RE.search(NUMERIC_RE.sub("", match[1])))
                yield ctx.finding(
                    "W18",
                    wf.path,
                    line,
                    f"`${{{{ {match[1].strip()} }}}}` is pasted into the script of job "
                    f"{step.job.id}" + (": its value comes from outside" if untrusted else ""),
                    severity="error" if untrusted else None,
                )


def jobs_have_timeouts(ctx: Context) -> Iterator[Finding]:
    """W30: jobs have a timeout."""
    for wf in ctx.workflows:
        for job in wf.jobs.values():
            if job.uses is None and "timeout-minutes" not in job.node:
                yield ctx.finding(
                    "W30", wf.path, job.line, f"job {job.id} has no `timeout-minutes`"
                )


CHECKS: dict[str, Check] = {
    "W15": checkout_keeps_no_credentials,
    "W16": actions_pinned_by_commit,
    "W17": no_caches_when_publishing,
    "W18": no_expressions_in_scripts,
    "W30": jobs_have_timeouts,
}
