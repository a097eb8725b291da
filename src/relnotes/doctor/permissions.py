"""Rules on what the token of each job may do: read-only by default (W03), `id-token: write`
only where the upload happens (W04), no third-party code beside `contents: write` (W31), and
the release preview of a pull request read-only, on the merge result (W34)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from relnotes.doctor.jobs import (
    ATTEST,
    DOWNLOAD,
    INSTALL_RE,
    RELEASE_ACTIONS,
    command_at,
    describe,
)
from relnotes.doctor.uploads import PUBLISH_ACTION
from relnotes.doctor.workflow import grants
from relnotes.doctor.yaml_lines import YMap, YStr

if TYPE_CHECKING:
    from collections.abc import Iterator

    from relnotes.doctor.context import Check, Context
    from relnotes.doctor.findings import Finding
    from relnotes.doctor.workflow import Job, Step, Workflow

#: ``gh`` run by its name (not by an absolute path such as /usr/bin/gh).
GH_BY_NAME_RE = re.compile(r"(?:^|[;&|(`]|\s)gh\s+(?:release|api|pr|issue|repo|workflow)\b", re.M)
TOKEN_RE = re.compile(r"github\.token|secrets\.GITHUB_TOKEN|GH_TOKEN|GITHUB_TOKEN", re.IGNORECASE)

#: Actions whose code GitHub itself ships (``actions/…``, ``github/…``).
FIRST_PARTY = ("actions", "github")


def top_level_permissions(ctx: Context) -> Iterator[Finding]:
    """W03: top-level permissions are empty or read-only."""
    for wf in ctx.workflows:
        if "permissions" not in wf.root:
            bare = [j for j in wf.jobs.values() if "permissions" not in j.node]
            if bare:
                yield ctx.finding(
                    "W03",
                    wf.path,
                    wf.root.line,
                    f"no top-level `permissions`: job {bare[0].id} gets the repository's "
                    "default token permissions",
                    severity="warning",
                )
            continue
        permissions = wf.root["permissions"]
        line = wf.root.line_of("permissions")
        if permissions == "write-all":
            yield ctx.finding(
                "W03", wf.path, line, "top-level `permissions: write-all` reaches every job"
            )
        elif isinstance(permissions, YMap):
            for scope, level in permissions.items():
                if level == "write":
                    yield ctx.finding(
                        "W03",
                        wf.path,
                        permissions.line_of(scope),
                        f"top-level `permissions` grants `{scope}: write` to every job",
                    )


def _other_writes(ctx: Context, wf: Workflow, job: Job) -> Iterator[Finding]:
    """A finding for each write scope beside ``id-token: write`` (attestations with attest*)."""
    permissions = job.permissions
    if not job.holds("id-token"):
        return
    if isinstance(permissions, str):  # write-all
        yield ctx.finding(
            "W04",
            wf.path,
            job.line_of("permissions"),
            f"job {job.id} holds `permissions: {permissions}`: the job that can mint a PyPI "
            "token should hold `id-token: write` and nothing else (contents: read at most)",
        )
        return
    if not isinstance(permissions, YMap):
        return
    attests = any(s.is_action(*ATTEST) for s in job.steps)
    for scope, level in permissions.items():
        if level != "write" or scope == "id-token" or (scope == "attestations" and attests):
            continue
        yield ctx.finding(
            "W04",
            wf.path,
            permissions.line_of(scope),
            f"job {job.id} holds `{scope}: write` beside `id-token: write`: the job that can "
            "mint a PyPI token should hold nothing else (contents: read at most)",
        )


def id_token_only_for_uploads(ctx: Context) -> Iterator[Finding]:
    """W04: id-token: write only where the upload happens."""
    for wf in ctx.publishing:
        top = grants(wf.root.get("permissions"), "id-token")
        for job in wf.jobs.values():
            yield from _other_writes(ctx, wf, job)
            uploads = ctx.uploads(job)
            if uploads:
                inherited = "permissions" not in job.node and top
                # an upload with a token needs no OIDC token (W06 sees the token)
                trusted = [u for u in uploads if u.trusted and not u.credentials]
                if trusted and not (job.holds("id-token") or inherited):
                    yield ctx.finding(
                        "W04",
                        wf.path,
                        job.line_of("permissions"),
                        f"publish job {job.id} does not hold `id-token: write`: "
                        "Trusted Publishing cannot get a token",
                    )
                continue
            if not job.holds("id-token"):
                continue
            for step in job.steps:
                if not (step.is_action(DOWNLOAD, *ATTEST) or ctx.only_uploads(step)):
                    yield ctx.finding(
                        "W04",
                        wf.path,
                        step.line,
                        f"job {job.id} holds `id-token: write` and {describe(step)}: "
                        "that step can mint a PyPI token",
                    )


def _third_party(step: Step) -> bool:
    return (
        bool(step.uses)
        and not step.action.startswith("./")
        and (step.action.split("/", 1)[0] not in FIRST_PARTY)
    )


def _token_steps(job: Job) -> list[Step]:
    """The steps that use the job's token: a release action, or the token in env/with/run."""
    return [
        s
        for s in job.steps
        if s.is_action(*RELEASE_ACTIONS)
        or TOKEN_RE.search(str(s.node.get("env") or ""))
        or TOKEN_RE.search(str(s.with_ or ""))
        or (s.run is not None and TOKEN_RE.search(s.run))
    ]


def release_writer_runs_no_third_party_code(ctx: Context) -> Iterator[Finding]:
    """W31: the job that writes the release runs no third-party code."""
    for wf in ctx.workflows:
        for job in wf.jobs.values():
            permissions = (
                job.permissions if job.permissions is not None else wf.root.get("permissions")
            )
            if job.uses is not None or not grants(permissions, "contents"):
                continue
            tokens = _token_steps(job)
            last = job.steps.index(tokens[-1]) if tokens else len(job.steps) - 1
            shadowed = False  # a step before could have put another `gh` first on PATH
            for step in job.steps[: last + 1]:
                if _third_party(step) and not step.is_action(*RELEASE_ACTIONS, PUBLISH_ACTION):
                    yield ctx.finding(
                        "W31",
                        wf.path,
                        step.line,
                        f"job {job.id} holds `contents: write` and runs {step.action}, "
                        "third-party code, before it uses its token",
                    )
                if step.uses and step.action.split("/", 1)[-1].startswith("setup-"):
                    shadowed = True
                run = step.run if step.run is not None else YStr()
                install = INSTALL_RE.search(run)
                if install:
                    shadowed = True
                    yield ctx.finding(
                        "W31",
                        wf.path,
                        run.line_at(install.start()),
                        f"job {job.id} holds `contents: write` and installs code "
                        f"(`{command_at(run, install.start()).strip()}`) before it uses its token",
                    )
                by_name = GH_BY_NAME_RE.search(run)
                if by_name and shadowed:
                    yield ctx.finding(
                        "W31",
                        wf.path,
                        run.line_at(by_name.start()),
                        f"job {job.id} runs `gh` by its name after a step that can put another "
                        "`gh` first on PATH",
                    )
                shadowed = shadowed or "GITHUB_PATH" in run


#: `relnotes preview` in a step: the release a pull request would make.
PREVIEW_RE = re.compile(r"\brelnotes\s+(?:-C\s+\S+\s+)?preview\b")
#: A checkout of the pull request's own head instead of its merge with the base.
HEAD_REF_RE = re.compile(r"pull_request\.head\.(?:sha|ref)|github\.head_ref")


def release_preview_is_read_only(ctx: Context) -> Iterator[Finding]:
    """W34: the release preview of a pull request runs read-only, on the merge result."""
    for wf in ctx.workflows:
        for job in wf.jobs.values():
            steps = [s for s in job.steps if PREVIEW_RE.search(ctx.script(s))]
            if not steps:
                continue
            label = steps[0].label
            if "pull_request_target" in wf.events:
                yield ctx.finding(
                    "W34",
                    wf.path,
                    wf.event_lines.get("pull_request_target", wf.on_line),
                    f"job {job.id} previews the release ({label}) on pull_request_target: the "
                    "pull request's code would run with the base repository's token and secrets",
                )
            permissions = (
                job.permissions if "permissions" in job.node else wf.root.get("permissions")
            )
            writes = permissions in ("write-all",) or (
                isinstance(permissions, dict) and any(v == "write" for v in permissions.values())
            )
            if writes or permissions is None:
                yield ctx.finding(
                    "W34",
                    wf.path,
                    job.line_of("permissions"),
                    f"job {job.id} previews the release ({label}) "
                    + ("with write access" if writes else "with the default token permissions")
                    + ": it needs `contents: read` and nothing else",
                )
            secret = next((s for s in job.steps if "secrets." in str(s.node)), None)
            if secret is not None:
                yield ctx.finding(
                    "W34",
                    wf.path,
                    secret.line,
                    f"job {job.id} previews the release ({label}) and hands a secret to "
                    f"{secret.label}: a preview needs no token",
                )
            for step in job.steps:
                if step.is_action("actions/checkout") and HEAD_REF_RE.search(
                    str(step.input("ref") or "")
                ):
                    yield ctx.finding(
                        "W34",
                        wf.path,
                        step.with_.line_of("ref"),
                        f"job {job.id} previews the pull request's head, not its merge with "
                        "the base: the version and notes miss what the base has since",
                        severity="warning",
                    )


CHECKS: dict[str, Check] = {
    "W03": top_level_permissions,
    "W04": id_token_only_for_uploads,
    "W31": release_writer_runs_no_third_party_code,
    "W34": release_preview_is_read_only,
}
