"""Rules on when publishing runs: the events (W01, W02, W22), the conditions of the publish jobs
(W09, W10, W23) and their concurrency (W24)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from relnotes.doctor.jobs import (
    TAG_CONDITION,
    guarded,
    push_branches,
)
from relnotes.doctor.workflow import push_fires
from relnotes.doctor.yaml_lines import YMap

if TYPE_CHECKING:
    from collections.abc import Iterator

    from relnotes.doctor.context import Check, Context
    from relnotes.doctor.findings import Finding
    from relnotes.doctor.workflow import Job

MAIN_CONDITION = re.compile(
    r"github\.ref\s*==\s*'refs/heads/(main|master)'|github\.ref_name\s*==\s*'(main|master)'"
)
REPOSITORY_CONDITION = re.compile(r"github\.repository(_owner)?\s*==")


def unguarded(
    ctx: Context,
    rule: str,
    jobs: list[Job],
    condition: re.Pattern[str],
    message: str,
) -> Iterator[Finding]:
    """A finding at the ``if:`` of each job that lacks ``condition`` (its own or inherited).

    ``message`` names the job as ``{job}``.
    """
    for job in jobs:
        if not guarded(job.workflow, job, condition):
            yield ctx.finding(
                rule, job.workflow.path, job.line_of("if"), message.replace("{job}", job.id)
            )


def release_triggers(ctx: Context) -> Iterator[Finding]:
    """W01: triggers: release tags, main and pull requests."""
    tag = ctx.sample_tag
    for wf in ctx.publishing:
        pypi, test = ctx.pypi_jobs(wf), ctx.testpypi_jobs(wf)
        if "release" in wf.events:
            pypi = []  # published from a GitHub release: W21's concern, not the tag filter
        if "push" not in wf.events:
            for job in pypi + test:
                yield ctx.finding(
                    "W01",
                    wf.path,
                    wf.on_line,
                    f"the workflow does not run on push, so publish job {job.id} never runs",
                )
            continue
        push = wf.events["push"]
        line = wf.event_lines.get("push", wf.on_line)
        tags_line = push.line_of("tags") if isinstance(push, YMap) and "tags" in push else line
        if pypi and not push_fires(push, tag=tag):
            yield ctx.finding(
                "W01",
                wf.path,
                tags_line,
                f"on.push does not fire for the tag {tag} (tag_format {ctx.tag_format!r}), "
                f"so PyPI job {pypi[0].id} never runs",
            )
        if test and not (push_fires(push, branch="main") or push_fires(push, branch="master")):
            yield ctx.finding(
                "W01",
                wf.path,
                line,
                f"on.push does not fire for pushes to main, so TestPyPI job {test[0].id} "
                "never runs",
            )
    runs_on_prs = any("pull_request" in wf.events for wf in ctx.workflows)
    if ctx.publishing and not runs_on_prs and not ctx.broken_workflows:
        wf = ctx.publishing[0]
        yield ctx.finding(
            "W01",
            wf.path,
            wf.on_line,
            "no workflow runs on pull_request: changes are tested only after they land",
            severity="warning",
        )


def no_privileged_triggers(ctx: Context) -> Iterator[Finding]:
    """W02: no pull_request_target or workflow_run where publishing happens."""
    for wf in ctx.publishing:
        for event in ("pull_request_target", "workflow_run"):
            if event in wf.events:
                yield ctx.finding(
                    "W02",
                    wf.path,
                    wf.event_lines.get(event, wf.on_line),
                    f"the workflow that publishes runs on {event}, with privileges, "
                    "on input a fork controls",
                )


def pypi_only_on_tags(ctx: Context) -> Iterator[Finding]:
    """W09: PyPI job runs only for tag pushes."""
    for wf in ctx.publishing:
        others = [e for e in wf.events if e != "push"]
        if "push" in wf.events and push_branches(wf.events["push"]):
            others.insert(0, "branch pushes")
        if not others:
            continue
        also = ", ".join(others)
        yield from unguarded(
            ctx,
            "W09",
            ctx.pypi_jobs(wf),
            TAG_CONDITION,
            f"PyPI job {{job}} has no tag condition, and the workflow also runs for {also}",
        )


def testpypi_only_on_main(ctx: Context) -> Iterator[Finding]:
    """W10: TestPyPI job runs only for pushes to main."""
    for wf in ctx.publishing:
        push = wf.events.get("push")
        config = push if isinstance(push, dict) else {}
        only_main = (
            set(wf.events) == {"push"}
            and [str(b) for b in config.get("branches") or []] in (["main"], ["master"])
            and "tags" not in config
        )
        if only_main:
            continue
        yield from unguarded(
            ctx,
            "W10",
            ctx.testpypi_jobs(wf),
            MAIN_CONDITION,
            "TestPyPI job {job} is not limited to pushes to main "
            "(`github.ref == 'refs/heads/main'`)",
        )


def not_a_reusable_workflow(ctx: Context) -> Iterator[Finding]:
    """W22: publishing is not in a reusable workflow."""
    for wf in ctx.publishing:
        if "workflow_call" in wf.events:
            yield ctx.finding(
                "W22",
                wf.path,
                wf.event_lines.get("workflow_call", wf.on_line),
                "the workflow that publishes can be called as a reusable workflow: "
                "PyPI and attestations reject uploads from one",
            )


def publish_only_upstream(ctx: Context) -> Iterator[Finding]:
    """W23: publish jobs only in the upstream repository."""
    for wf in ctx.publishing:
        yield from unguarded(
            ctx,
            "W23",
            ctx.publish_jobs(wf),
            REPOSITORY_CONDITION,
            "publish job {job} also runs in forks (no `github.repository ==` condition)",
        )


def publishing_never_cancelled(ctx: Context) -> Iterator[Finding]:
    """W24: publishing runs are never cancelled half-way."""
    for wf in ctx.publishing:
        blocks = [("the workflow", wf.root)] + [
            (f"job {j.id}", j.node) for j in ctx.publish_jobs(wf)
        ]
        for where, node in blocks:
            concurrency = node.get("concurrency")
            if not isinstance(concurrency, YMap):
                continue
            if concurrency.get("cancel-in-progress") is not True:
                continue
            group = str(concurrency.get("group", ""))
            per_ref = re.search(r"github\.(ref|ref_name|head_ref|sha|run_id)\b", group)
            yield ctx.finding(
                "W24",
                wf.path,
                concurrency.line_of("cancel-in-progress"),
                f"{where} cancels runs in progress"
                + (
                    ": a second push of the same ref stops a publish half-way"
                    if per_ref
                    else " in a group that publish runs of different refs share"
                ),
                severity="warning" if per_ref else None,
            )


CHECKS: dict[str, Check] = {
    "W01": release_triggers,
    "W02": no_privileged_triggers,
    "W09": pypi_only_on_tags,
    "W10": testpypi_only_on_main,
    "W22": not_a_reusable_workflow,
    "W23": publish_only_upstream,
    "W24": publishing_never_cancelled,
}
