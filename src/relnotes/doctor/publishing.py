"""Rules on the jobs that upload: what they run (W05, W12, W29), how they authenticate (W06),
the action's inputs (W07, W11), their environments (W08), what they wait for (W13, W28), and
the GitHub release that follows them (W21)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from relnotes.doctor.jobs import (
    ATTEST,
    DOWNLOAD,
    GH_RELEASE_RE,
    RELEASE_EVENT,
    TAG_CONDITION,
    command_at,
    describe,
    guarded,
    release_steps,
    truthy,
)
from relnotes.doctor.uploads import PUBLISH_ACTION
from relnotes.doctor.workflow import grants
from relnotes.doctor.yaml_lines import YMap, YStr

if TYPE_CHECKING:
    from collections.abc import Iterator

    from relnotes.doctor.context import Check, Context
    from relnotes.doctor.findings import Finding
    from relnotes.doctor.workflow import Job

DEPRECATED_INPUTS = {
    "repository_url": "repository-url",
    "packages_dir": "packages-dir",
    "verify_metadata": "verify-metadata",
    "skip_existing": "skip-existing",
    "print_hash": "print-hash",
}

PR_ONLY = re.compile(r"github\.event_name\s*==\s*'pull_request'")


def publish_jobs_only_upload(ctx: Context) -> Iterator[Finding]:
    """W05: publish jobs only download and upload."""
    for wf in ctx.publishing:
        for job in ctx.publish_jobs(wf):
            actions = {id(u.step) for u in ctx.uploads(job) if u.step.uses}  # pypi-publish, maturin
            for step in job.steps:
                if not (
                    step.is_action(DOWNLOAD, *ATTEST)
                    or id(step) in actions
                    or ctx.only_uploads(step)
                ):
                    yield ctx.finding(
                        "W05",
                        wf.path,
                        step.line,
                        f"publish job {job.id} also {describe(step)}: "
                        "the job that uploads must not build or run project code",
                    )
            for upload in ctx.uploads(job):
                if upload.builds:
                    yield ctx.finding(
                        "W05",
                        wf.path,
                        upload.line,
                        f"publish job {job.id} builds with {upload.name} before it uploads: "
                        "the job that uploads must not build or run project code",
                    )


def trusted_publishing(ctx: Context) -> Iterator[Finding]:
    """W06: Trusted Publishing, not a password or token."""
    for wf in ctx.workflows:
        for job in wf.jobs.values():
            for upload in ctx.uploads(job):
                step = upload.step
                if upload.by_action:
                    for key in ("password", "user"):
                        if key in step.with_:
                            yield ctx.finding(
                                "W06",
                                wf.path,
                                step.with_.line_of(key),
                                f"pypi-publish gets `{key}`: it uploads with a token "
                                "instead of Trusted Publishing",
                            )
                elif upload.credentials:
                    yield ctx.finding(
                        "W06",
                        wf.path,
                        upload.line,
                        f"{upload.name} uploads with a token ({upload.credentials}) instead of "
                        "Trusted Publishing",
                    )
                elif not upload.trusted:
                    yield ctx.finding(
                        "W06",
                        wf.path,
                        upload.line,
                        f"{upload.name} cannot use Trusted Publishing: it uploads with a token",
                    )


def current_publish_inputs(ctx: Context) -> Iterator[Finding]:
    """W07: no deprecated snake_case inputs of pypi-publish."""
    for wf in ctx.workflows:
        for step in wf.steps():
            if not step.is_action(PUBLISH_ACTION):
                continue
            for key, new in DEPRECATED_INPUTS.items():
                if key in step.with_:
                    yield ctx.finding(
                        "W07",
                        wf.path,
                        step.with_.line_of(key),
                        f"pypi-publish input `{key}` is deprecated: write `{new}`",
                    )


def _environment(job: Job) -> tuple[str | None, int]:
    """The job's environment name and the line that names it."""
    env = job.node.get("environment")
    if isinstance(env, YMap):
        name = env.get("name")
        return (None if name is None else str(name)), env.line_of("name")
    return (None if env is None else str(env)), job.line_of("environment")


def publish_environments(ctx: Context) -> Iterator[Finding]:
    """W08: PyPI job in environment `pypi`, TestPyPI in another."""
    for wf in ctx.publishing:
        names: set[str] = set()
        for job in ctx.pypi_jobs(wf):
            name, line = _environment(job)
            if name is None:
                yield ctx.finding(
                    "W08",
                    wf.path,
                    job.line,
                    f"PyPI job {job.id} has no `environment`: no approval gate, and PyPI's "
                    "publisher (which names one) rejects the upload",
                )
                continue
            names.add(name)
            if name != "pypi" and "${{" not in name:
                yield ctx.finding(
                    "W08",
                    wf.path,
                    line,
                    f"PyPI job {job.id} runs in environment {name!r}: PyPI's Trusted Publisher "
                    "must name the same one (relnotes uses `pypi`)",
                    severity="warning",
                )
        for job in ctx.testpypi_jobs(wf):
            name, line = _environment(job)
            if (
                name is not None
                and (name in names or name == "pypi")
                and job not in ctx.pypi_jobs(wf)
            ):
                yield ctx.finding(
                    "W08",
                    wf.path,
                    line,
                    f"TestPyPI job {job.id} uses the PyPI environment {name!r}: give it its own "
                    "(`testpypi`)",
                )


def skip_existing_only_on_testpypi(ctx: Context) -> Iterator[Finding]:
    """W11: skip-existing only on TestPyPI."""
    for wf in ctx.workflows:
        for job in wf.jobs.values():
            for upload in ctx.uploads(job):
                if upload.testpypi:
                    continue
                if not upload.by_action:
                    if re.search(r"(?:^|\s)--skip-existing\b", upload.command):
                        yield ctx.finding(
                            "W11",
                            wf.path,
                            upload.line,
                            f"the PyPI upload in job {job.id} passes --skip-existing to "
                            f"{upload.name}: a version that exists already passes silently",
                        )
                    continue
                step = upload.step
                for key in ("skip-existing", "skip_existing"):
                    value = step.input(key)
                    if isinstance(value, str) and "github.run_attempt" in value:
                        continue  # only a re-run skips what the first attempt uploaded
                    if truthy(value):
                        yield ctx.finding(
                            "W11",
                            wf.path,
                            step.with_.line_of(key),
                            f"the PyPI upload in job {step.job.id} sets `{key}: true`: "
                            "a version that exists already passes silently",
                        )


def one_upload_per_job(ctx: Context) -> Iterator[Finding]:
    """W12: PyPI and TestPyPI in different jobs."""
    for wf in ctx.workflows:
        for job in ctx.publish_jobs(wf):
            uploads = ctx.uploads(job)
            actions = [u for u in uploads if u.by_action]
            if len(actions) > 1:
                yield ctx.finding(
                    "W12",
                    wf.path,
                    actions[1].line,
                    f"job {job.id} uploads twice: the attestation files of the first upload "
                    "collide with the second",
                )
            elif len({u.testpypi for u in uploads}) > 1:
                second = next(u for u in uploads if u.testpypi != uploads[0].testpypi)
                yield ctx.finding(
                    "W12",
                    wf.path,
                    second.line,
                    f"job {job.id} uploads to both TestPyPI and PyPI ({second.name}): "
                    "each needs a job of its own, with its own environment",
                )


def publishing_waits_for_checks(ctx: Context) -> Iterator[Finding]:
    """W13: publishing waits for the build and every check."""
    for wf in ctx.publishing:
        publishers = ctx.publish_jobs(wf)
        downstream = {d.id for p in publishers for d in wf.descendants(p)}
        checks = [
            j
            for j in wf.jobs.values()
            if not ctx.may_upload(j)
            and j.id not in downstream
            and not PR_ONLY.search(j.condition)
            and not release_steps(j)
        ]
        for job in publishers:
            ancestors = wf.ancestors(job)
            waited = {a.id for a in ancestors}
            dev_only = job in ctx.testpypi_jobs(wf) and job not in ctx.pypi_jobs(wf)
            missing = [
                c.id
                for c in checks
                if c.id not in waited
                # a tag-only job (the release notes) never runs with a TestPyPI upload of main
                and not (dev_only and guarded(wf, c, TAG_CONDITION))
            ]
            if missing:
                yield ctx.finding(
                    "W13",
                    wf.path,
                    job.line_of("needs"),
                    f"publish job {job.id} does not wait for {', '.join(missing)}: "
                    "it can publish before they pass",
                )
            elif not any(ctx.runs_tests(a) for a in ancestors):
                yield ctx.finding(
                    "W13",
                    wf.path,
                    job.line_of("needs"),
                    f"no job that {job.id} waits for runs the tests "
                    "(pytest, tox, nox, make check, or a reusable workflow)",
                    severity="warning",
                )


def github_release_after_pypi(ctx: Context) -> Iterator[Finding]:
    """W21: the GitHub release comes after PyPI."""
    for wf in ctx.publishing:
        pypi = ctx.pypi_jobs(wf)
        for job in pypi:
            if "release" in wf.events and (
                set(wf.events) == {"release"} or guarded(wf, job, RELEASE_EVENT)
            ):
                yield ctx.finding(
                    "W21",
                    wf.path,
                    job.line_of("if"),
                    f"PyPI job {job.id} publishes when a GitHub release is published: "
                    "the release is public before PyPI has the files",
                    severity="warning",
                )
        if not pypi:
            continue
        for job in wf.jobs.values():
            steps = release_steps(job)
            if not steps or ctx.publishes(job):
                continue
            after = any(p in wf.ancestors(job) for p in pypi)
            draft = False
            for step in steps:
                run = step.run if step.run is not None else YStr()
                for match in GH_RELEASE_RE.finditer(run):
                    command = command_at(run, match.start())
                    draft = draft or "--draft" in command
                    if "--verify-tag" not in command:
                        yield ctx.finding(
                            "W21",
                            wf.path,
                            run.line_at(match.start()),
                            f"`gh release create` in job {job.id} has no --verify-tag: "
                            "it would create a missing tag",
                        )
                draft = draft or truthy(step.input("draft"))
            if not after and not draft:
                yield ctx.finding(
                    "W21",
                    wf.path,
                    job.line_of("needs"),
                    f"job {job.id} creates the GitHub release without waiting for "
                    f"PyPI job {pypi[0].id}",
                )
            permissions = job.permissions
            extra = (
                [k for k, v in permissions.items() if v == "write" and k != "contents"]
                if isinstance(permissions, dict)
                else []
            )
            if not grants(permissions, "contents") or extra or permissions == "write-all":
                yield ctx.finding(
                    "W21",
                    wf.path,
                    permissions.line_of(extra[0])
                    if extra and isinstance(permissions, YMap)
                    else job.line_of("permissions"),
                    f"job {job.id} should hold `contents: write` and nothing else",
                )


def no_continue_on_error(ctx: Context) -> Iterator[Finding]:
    """W28: no continue-on-error on the way to PyPI."""
    for wf in ctx.publishing:
        jobs: dict[str, Job] = {}
        for job in wf.jobs.values():
            if ctx.publishes(job) or release_steps(job):
                jobs[job.id] = job
                jobs.update((a.id, a) for a in wf.ancestors(job))
        for job in jobs.values():
            nodes = [(f"job {job.id}", job.node)] + [
                (f"step {s.label!r} of job {job.id}", s.node) for s in job.steps
            ]
            for where, node in nodes:
                if truthy(node.get("continue-on-error")):
                    yield ctx.finding(
                        "W28",
                        wf.path,
                        node.line_of("continue-on-error"),
                        f"{where} continues on error on the way to PyPI: "
                        "a failure leaves a green run",
                    )


def publish_on_linux(ctx: Context) -> Iterator[Finding]:
    """W29: publish jobs run on Linux."""
    for wf in ctx.publishing:
        for job in ctx.publish_jobs(wf):
            if not any(u.by_action for u in ctx.uploads(job)):
                continue  # the commands run on any runner; pypi-publish is a Docker action
            runs_on = job.node.get("runs-on")
            if isinstance(runs_on, dict):
                runs_on = runs_on.get("labels")
            labels = runs_on if isinstance(runs_on, list) else [runs_on]
            if any(str(x).lower().startswith(("windows", "macos")) for x in labels):
                yield ctx.finding(
                    "W29",
                    wf.path,
                    job.line_of("runs-on"),
                    f"publish job {job.id} runs on {runs_on}: pypi-publish runs on Linux only",
                )


CHECKS: dict[str, Check] = {
    "W05": publish_jobs_only_upload,
    "W06": trusted_publishing,
    "W07": current_publish_inputs,
    "W08": publish_environments,
    "W11": skip_existing_only_on_testpypi,
    "W12": one_upload_per_job,
    "W13": publishing_waits_for_checks,
    "W21": github_release_after_pypi,
    "W28": no_continue_on_error,
    "W29": publish_on_linux,
}
