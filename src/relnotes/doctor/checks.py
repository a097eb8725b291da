"""The doctor's workflow rules, W01-W32: one small function each, over a :class:`Context`.

A check yields :class:`~relnotes.doctor.Finding` values; it never prints and never raises on a
workflow of an unexpected shape (a missing key is simply not there). What they read is in
:mod:`relnotes.doctor.context`; the pyproject rules P01-P06 are in
:mod:`relnotes.doctor.pyproject`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from relnotes.doctor.context import (
    BAIPP,
    BUILD_RE,
    CHECKOUT,
    GH_RELEASE_RE,
    RELEASE_ACTIONS,
    RELEASE_EVENT,
    UPLOAD,
    command_at,
    describe,
    dist_folder,
    guarded,
    packages_dir,
    push_branches,
    pypi_jobs,
    release_steps,
    testpypi_jobs,
    text_before,
    truthy,
    upload_name,
    uploads,
    uses_lines,
)
from relnotes.doctor.workflow import (
    PUBLISH_ACTION,
    PUBLISH_CLI_RE,
    YMap,
    YStr,
    grants,
    is_testpypi,
    push_fires,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from relnotes.doctor import Finding
    from relnotes.doctor.context import Context
    from relnotes.doctor.workflow import Job, Step, Workflow

    Check = Callable[["Context"], Iterator[Finding]]

ATTEST = ("actions/attest", "actions/attest-build-provenance", "actions/attest-sbom")
DEPRECATED_INPUTS = {
    "repository_url": "repository-url",
    "packages_dir": "packages-dir",
    "verify_metadata": "verify-metadata",
    "skip_existing": "skip-existing",
    "print_hash": "print-hash",
}
DIST_WRITE_RE = re.compile(
    r"(?:>>?|\s-o|\s--output(?:-file)?[=\s])\s*[\"']?(?:\./)?dist/([^\s\"';|&)]*)"
)
DOWNLOAD = "actions/download-artifact"
EXPRESSION_RE = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
HISTORY_RE = re.compile(
    r"\brelnotes\s+(?:-C\s+\S+\s+)?(?:notes|preview|changelog|next-version|log)\b"
    r"|\brelnotes\s+check\s+--range\b"
)
MAIN_CONDITION = re.compile(
    r"github\.ref\s*==\s*'refs/heads/(main|master)'|github\.ref_name\s*==\s*'(main|master)'"
)
PR_ONLY = re.compile(r"github\.event_name\s*==\s*'pull_request'")
REPOSITORY_CONDITION = re.compile(r"github\.repository(_owner)?\s*==")
SHA_RE = re.compile(r"[0-9a-f]{40}")
TAG_CONDITION = re.compile(
    r"(?<!!)startsWith\(\s*github\.ref\s*,\s*'refs/tags/|github\.ref_type\s*==\s*'tag'"
    rf"|github\.ref\s*==\s*'refs/tags/|{RELEASE_EVENT.pattern}",
    re.IGNORECASE,
)
TOKEN_UPLOAD_RE = re.compile(
    r"\b(twine\s+upload|uv\s+publish|hatch\s+publish|flit\s+publish|poetry\s+publish)\b"
)
#: A ``run:`` line that only uploads (``uv publish``, ``twine upload dist/*``): the upload itself.
UPLOAD_ONLY_RE = re.compile(
    r"\s*(?:python3?\s+-m\s+)?"
    r"(?:uv\s+publish|twine\s+upload|hatch\s+publish|flit\s+publish|poetry\s+publish)"
    r"\b[^;&|`()<>]*"
)
#: What gives ``uv publish`` a token or password (without one it uses Trusted Publishing).
UV_CREDENTIALS_RE = re.compile(
    r"(?:^|\s)(?:--token|-t|--password|-p)(?:[=\s]|$)|UV_PUBLISH_(?:TOKEN|PASSWORD)"
    r"|--trusted-publishing[=\s]+never"
)
UNTRUSTED_RE = re.compile(r"github\.event\.|github\.head_ref|\binputs\.")
#: Numbers from the event (a pull request's number, a run's id): nothing can be injected.
NUMERIC_RE = re.compile(
    r"github\.event\.(?:[a-z_]+\.)?(?:number|id|run_number|run_attempt)\b(?!\s*\.)"
)


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


def unchecked(
    ctx: Context, rule: str, checks: Callable[[str], bool], message: str
) -> Iterator[Finding]:
    """A finding at each PyPI job whose jobs before it run no script that ``checks``."""
    for wf in ctx.publishing:
        for job in pypi_jobs(wf):
            if not checks(text_before(ctx, wf, job)):
                yield ctx.finding(rule, wf.path, job.line, message.replace("{job}", job.id))


# --- the rules -----------------------------------------------------------------------------


def w01(ctx: Context) -> Iterator[Finding]:
    tag = ctx.sample_tag
    for wf in ctx.publishing:
        pypi, test = pypi_jobs(wf), testpypi_jobs(wf)
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


def w02(ctx: Context) -> Iterator[Finding]:
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


def w03(ctx: Context) -> Iterator[Finding]:
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


def upload_only(step: Step) -> bool:
    """Whether a ``run:`` step only uploads (every line an upload command, nothing else)."""
    if step.run is None:
        return False
    lines = [ln for ln in step.run.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    return bool(lines) and all(UPLOAD_ONLY_RE.fullmatch(ln) for ln in lines)


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


def w04(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.publishing:
        top = grants(wf.root.get("permissions"), "id-token")
        for job in wf.jobs.values():
            yield from _other_writes(ctx, wf, job)
            if job.publishes:
                inherited = "permissions" not in job.node and top
                if not (job.holds("id-token") or inherited):
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
                if not (step.is_action(DOWNLOAD, *ATTEST) or upload_only(step)):
                    yield ctx.finding(
                        "W04",
                        wf.path,
                        step.line,
                        f"job {job.id} holds `id-token: write` and {describe(step)}: "
                        "that step can mint a PyPI token",
                    )


def w05(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.publishing:
        for job in wf.jobs.values():
            if not (job.publishes or any(PUBLISH_CLI_RE.search(s.run or "") for s in job.steps)):
                continue
            for step in job.steps:
                if not (step.is_action(PUBLISH_ACTION, DOWNLOAD, *ATTEST) or upload_only(step)):
                    yield ctx.finding(
                        "W05",
                        wf.path,
                        step.line,
                        f"publish job {job.id} also {describe(step)}: "
                        "the job that uploads must not build or run project code",
                    )


def w06(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.workflows:
        for step in wf.steps():
            if step.is_action(PUBLISH_ACTION):
                for key in ("password", "user"):
                    if key in step.with_:
                        yield ctx.finding(
                            "W06",
                            wf.path,
                            step.with_.line_of(key),
                            f"pypi-publish gets `{key}`: it uploads with a token "
                            "instead of Trusted Publishing",
                        )
            elif step.run is not None:
                for match in TOKEN_UPLOAD_RE.finditer(step.run):
                    if match[1].startswith("uv") and not _uv_credentials(step, match.start()):
                        continue  # uv publish without a token uses Trusted Publishing
                    yield ctx.finding(
                        "W06",
                        wf.path,
                        step.run.line_at(match.start()),
                        f"`{match[1]}` uploads with a token instead of Trusted Publishing",
                    )
                    break


def _uv_credentials(step: Step, start: int) -> bool:
    """Whether the ``uv publish`` at ``start`` gets a token or password (command or ``env:``)."""
    command = re.split(r"[;&|]", command_at(str(step.run or ""), start), maxsplit=1)[0]
    if UV_CREDENTIALS_RE.search(command):
        return True
    for node in (step.node, step.job.node, step.job.workflow.root):
        env = node.get("env")
        if isinstance(env, YMap) and {"UV_PUBLISH_TOKEN", "UV_PUBLISH_PASSWORD"} & set(env):
            return True
    return False


def w07(ctx: Context) -> Iterator[Finding]:
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


def w08(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.publishing:
        names: set[str] = set()
        for job in pypi_jobs(wf):
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
        for job in testpypi_jobs(wf):
            name, line = _environment(job)
            if name is not None and (name in names or name == "pypi") and job not in pypi_jobs(wf):
                yield ctx.finding(
                    "W08",
                    wf.path,
                    line,
                    f"TestPyPI job {job.id} uses the PyPI environment {name!r}: give it its own "
                    "(`testpypi`)",
                )


def w09(ctx: Context) -> Iterator[Finding]:
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
            pypi_jobs(wf),
            TAG_CONDITION,
            f"PyPI job {{job}} has no tag condition, and the workflow also runs for {also}",
        )


def w10(ctx: Context) -> Iterator[Finding]:
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
            testpypi_jobs(wf),
            MAIN_CONDITION,
            "TestPyPI job {job} is not limited to pushes to main "
            "(`github.ref == 'refs/heads/main'`)",
        )


def w11(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.workflows:
        for step in wf.steps():
            if step.is_action(PUBLISH_ACTION) and not is_testpypi(step):
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


def w12(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.workflows:
        for job in wf.publish_jobs:
            if len(job.publish_steps) > 1:
                yield ctx.finding(
                    "W12",
                    wf.path,
                    job.publish_steps[1].line,
                    f"job {job.id} uploads twice: the attestation files of the first upload "
                    "collide with the second",
                )


def w13(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.publishing:
        publishers = wf.publish_jobs
        downstream = {d.id for p in publishers for d in wf.descendants(p)}
        checks = [
            j
            for j in wf.jobs.values()
            if not j.uploads
            and j.id not in downstream
            and not PR_ONLY.search(j.condition)
            and not release_steps(j)
        ]
        for job in publishers:
            ancestors = wf.ancestors(job)
            waited = {a.id for a in ancestors}
            dev_only = job in testpypi_jobs(wf) and job not in pypi_jobs(wf)
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


def w14(ctx: Context) -> Iterator[Finding]:
    from relnotes.doctor.pyproject import version_from_git

    from_git = version_from_git(ctx)
    for wf in ctx.workflows:
        for job in wf.jobs.values():
            checkout: Step | None = None
            for step in job.steps:
                if step.is_action(CHECKOUT):
                    checkout = step
                    continue
                script = ctx.script(step)
                why = None
                if from_git and (step.is_action(BAIPP) or BUILD_RE.search(script)):
                    why = "builds with hatch-vcs"
                elif HISTORY_RE.search(script):
                    why = "runs relnotes on the history"
                if why is None or checkout is None:
                    continue
                depth = checkout.input("fetch-depth")
                if depth != 0 and str(depth).strip() != "0":
                    yield ctx.finding(
                        "W14",
                        wf.path,
                        checkout.line,
                        f"job {job.id} {why} ({step.label}) but checks out without "
                        "`fetch-depth: 0`: no tags, no history",
                    )
                break


def w15(ctx: Context) -> Iterator[Finding]:
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


def w16(ctx: Context) -> Iterator[Finding]:
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


def w17(ctx: Context) -> Iterator[Finding]:
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


def w18(ctx: Context) -> Iterator[Finding]:
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


def w19(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.publishing:
        for job in wf.publish_jobs:
            downloads = [s for s in job.steps if s.is_action(DOWNLOAD)]
            if not downloads:
                yield ctx.finding(
                    "W19",
                    wf.path,
                    job.line,
                    f"publish job {job.id} downloads no artifact: nothing built elsewhere "
                    "reaches it",
                )
                continue
            target = packages_dir(job.publish_steps[0])
            for download in downloads:
                name = download.input("name")
                if name is None:
                    continue  # W20: every artifact in its own folder
                if dist_folder(download.input("path")) != target:
                    yield ctx.finding(
                        "W19",
                        wf.path,
                        download.with_.line_of("path"),
                        f"job {job.id} downloads {str(name)!r} to "
                        f"{str(download.input('path') or 'the workspace')!r}, not {target}/ "
                        "where pypi-publish reads",
                    )
                yield from _upload_findings(ctx, wf, job, download, str(name))


def _upload_findings(
    ctx: Context, wf: Workflow, job: Job, download: Step, name: str
) -> Iterator[Finding]:
    sources = [(j, u) for j in wf.ancestors(job) for u in uploads(j, name)]
    if not sources:
        yield ctx.finding(
            "W19",
            wf.path,
            download.with_.line_of("name"),
            f"no job that {job.id} needs uploads an artifact named {name!r}",
        )
    for source, upload in sources:
        quiet = str(upload.input("if-no-files-found") or "").lower() != "error"
        if upload.is_action(UPLOAD) and quiet:
            yield ctx.finding(
                "W19",
                wf.path,
                upload.line,
                f"the upload of {name!r} in job {source.id} does not fail when it finds no "
                "files (`if-no-files-found: error`)",
            )
        matrix = source.node.map("strategy").get("matrix")
        given = upload.input("name" if upload.is_action(UPLOAD) else "upload-name-suffix")
        if matrix is not None and "${{" not in str(given or ""):
            yield ctx.finding(
                "W19",
                wf.path,
                upload.line,
                f"every leg of matrix job {source.id} uploads {name!r}: "
                "the second upload fails (409 Conflict)",
            )


def w20(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.publishing:
        builders: dict[str, Job] = {}
        names: set[str] = set()
        for job in wf.publish_jobs:
            builders.update((a.id, a) for a in wf.ancestors(job))
            target = packages_dir(job.publish_steps[0])
            uploaded = {upload_name(s) for a in wf.ancestors(job) for s in a.steps} - {None}
            for download in (s for s in job.steps if s.is_action(DOWNLOAD)):
                name = download.input("name")
                folder = dist_folder(download.input("path"))
                inside = {dist_folder(f"{folder}/{n}") for n in uploaded}
                if name is not None or download.input("artifact-ids") is not None:
                    names.add(str(name))
                elif target not in inside and not (
                    download.input("pattern") and truthy(download.input("merge-multiple"))
                ):
                    yield ctx.finding(
                        "W20",
                        wf.path,
                        download.line,
                        f"job {job.id} downloads artifacts without a `name`: each lands in "
                        "its own dist/<name>/ folder",
                    )
        for job in builders.values():
            for step in job.steps:
                yield from _dist_writes(ctx, wf, job, step, names)


def _dist_writes(
    ctx: Context, wf: Workflow, job: Job, step: Step, names: set[str]
) -> Iterator[Finding]:
    if step.run is not None:
        for match in DIST_WRITE_RE.finditer(step.run):
            target = match[1]
            if target and not target.endswith(("/", ".whl", ".tar.gz")) and "*" not in target:
                yield ctx.finding(
                    "W20",
                    wf.path,
                    step.run.line_at(match.start()),
                    f"job {job.id} writes dist/{target}: the upload rejects anything "
                    "but wheels and sdists",
                )
    if step.is_action(UPLOAD) and str(step.input("name") or "artifact") in names:
        for raw in str(step.input("path") or "").splitlines():
            entry = raw.strip()
            if entry and not entry.startswith("!") and not dist_folder(entry).startswith("dist"):
                yield ctx.finding(
                    "W20",
                    wf.path,
                    step.with_.line_of("path"),
                    f"the artifact the publish job uploads also carries {entry!r}",
                )


def w21(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.publishing:
        pypi = pypi_jobs(wf)
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
            if not steps or job.publishes:
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


def w22(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.publishing:
        if "workflow_call" in wf.events:
            yield ctx.finding(
                "W22",
                wf.path,
                wf.event_lines.get("workflow_call", wf.on_line),
                "the workflow that publishes can be called as a reusable workflow: "
                "PyPI and attestations reject uploads from one",
            )


def w23(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.publishing:
        yield from unguarded(
            ctx,
            "W23",
            wf.publish_jobs,
            REPOSITORY_CONDITION,
            "publish job {job} also runs in forks (no `github.repository ==` condition)",
        )


def w24(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.publishing:
        blocks = [("the workflow", wf.root)] + [(f"job {j.id}", j.node) for j in wf.publish_jobs]
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


def w25(ctx: Context) -> Iterator[Finding]:
    yield from unchecked(
        ctx,
        "W25",
        lambda text: bool(re.search(r"merge-base\s+--is-ancestor|--contains\b", text)),
        "nothing before PyPI job {job} checks that the tag's commit is on main",
    )


def _checks_version(text: str) -> bool:
    """`relnotes verify`, or a line that compares the tag with a version."""
    if re.search(r"\brelnotes\s+verify\b", text):
        return True
    return any(
        re.search(r"GITHUB_REF_NAME|github\.ref_name", line) and "version" in line.lower()
        for line in text.splitlines()
    )


def w26(ctx: Context) -> Iterator[Finding]:
    yield from unchecked(
        ctx,
        "W26",
        _checks_version,
        "nothing before PyPI job {job} checks that the built version is the tag",
    )


def w27(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.publishing:
        for job in wf.publish_jobs:
            ancestors = wf.ancestors(job)
            builders = [a for a in ancestors if ctx.builds(a)]
            if not builders:
                continue
            text = "\n".join(ctx.job_text(a) for a in ancestors)
            baipp = any(s.is_action(BAIPP) for a in ancestors for s in a.steps)
            verify = bool(re.search(r"\brelnotes\s+verify\b", text))
            missing = []
            twine = re.findall(r"twine\s+check(?![-\w])[^\n]*", text)
            if not (baipp or twine):
                missing.append("`twine check --strict`")
            elif twine and not any("--strict" in command for command in twine):
                missing.append("--strict for twine check")
            if not (baipp or verify or "check-wheel-contents" in text):
                missing.append("check-wheel-contents")
            if not (verify or re.search(r"install[^\n]*dist/[^\n]*\.whl", text)):
                missing.append("an install of the wheel")
            if missing:
                yield ctx.finding(
                    "W27",
                    wf.path,
                    builders[0].line,
                    f"the build in job {builders[0].id} is published without {', '.join(missing)}",
                )


def w28(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.publishing:
        jobs: dict[str, Job] = {}
        for job in wf.jobs.values():
            if job.publishes or release_steps(job):
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


def w29(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.publishing:
        for job in wf.publish_jobs:
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


def w30(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.workflows:
        for job in wf.jobs.values():
            if job.uses is None and "timeout-minutes" not in job.node:
                yield ctx.finding(
                    "W30", wf.path, job.line, f"job {job.id} has no `timeout-minutes`"
                )


#: A shell line that installs or fetches code to run: package managers, ``curl … | sh``.
INSTALL_RE = re.compile(
    r"\b(?:pip3?\s+install|python3?\s+-m\s+pip\s+install|uv\s+(?:pip\s+install|tool\s+install"
    r"|tool\s+run|sync|add)|uvx|pipx\s+(?:install|run)|npm\s+(?:install|ci|exec)|npx|yarn|pnpm"
    r"|gem\s+install|cargo\s+install|go\s+(?:install|run)|brew\s+install|apt(?:-get)?\s+install)\b"
    r"|\b(?:curl|wget)\b[^\n|]*\|\s*(?:sudo\s+)?(?:ba|z)?sh\b"
)
#: What makes an install pinned: every requirement checked against its hash.
HASHED_RE = re.compile(r"--require-hashes\b|PIP_REQUIRE_HASHES")
#: A build that fetches its backend itself (build isolation), unpinned.
ISOLATED_BUILD_RE = re.compile(
    r"(?:-m\s+build|\bpyproject-build|\buv\s+build)\b(?![^\n]*(?:--no-isolation|\s-n\b"
    r"|--no-build-isolation))"
)
#: ``gh`` run by its name (not by an absolute path such as /usr/bin/gh).
GH_BY_NAME_RE = re.compile(r"(?:^|[;&|(`]|\s)gh\s+(?:release|api|pr|issue|repo|workflow)\b", re.M)
TOKEN_RE = re.compile(r"github\.token|secrets\.GITHUB_TOKEN|GH_TOKEN|GITHUB_TOKEN", re.IGNORECASE)
#: Actions whose code GitHub itself ships (``actions/…``, ``github/…``).
FIRST_PARTY = ("actions", "github")


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


def w31(ctx: Context) -> Iterator[Finding]:
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


def w32(ctx: Context) -> Iterator[Finding]:
    for wf in ctx.publishing:
        for job in wf.jobs.values():
            if not ctx.builds(job) or job.publishes:
                continue
            dist = [
                s for s in job.steps if s.is_action(UPLOAD) and "dist" in str(s.input("path") or "")
            ]
            if not dist:
                continue
            for step in job.steps[: job.steps.index(dist[0])]:
                ref = (step.uses or "").partition("@")[2]
                local = (step.uses or "").startswith(("./", "docker://"))
                if step.uses and not local and not SHA_RE.fullmatch(ref):
                    yield ctx.finding(
                        "W32",
                        wf.path,
                        step.line,
                        f"{step.action} runs unpinned in job {job.id} before dist/ is uploaded",
                    )
                run = ctx.script(step)
                env = str(step.node.get("env") or "") + str(job.node.get("env") or "")
                for match in INSTALL_RE.finditer(run):
                    command = command_at(run, match.start())
                    if HASHED_RE.search(command) or HASHED_RE.search(env):
                        continue
                    yield ctx.finding(
                        "W32",
                        wf.path,
                        _line_in(step, match.start()),
                        f"job {job.id} installs unpinned code (`{command.strip()}`) before "
                        "dist/ is uploaded",
                    )
                for match in ISOLATED_BUILD_RE.finditer(run):
                    yield ctx.finding(
                        "W32",
                        wf.path,
                        _line_in(step, match.start()),
                        f"the build in job {job.id} fetches its build backend unpinned "
                        "(build isolation)",
                    )


def _line_in(step: Step, index: int) -> int:
    """The line of ``index`` in the step's script (a make recipe's text points at the step)."""
    run = step.run
    if run is None or index >= len(run):
        return step.line
    return run.line_at(index)


def _checks() -> dict[str, Check]:
    from relnotes.doctor.pyproject import CHECKS as PYPROJECT

    workflow: dict[str, Check] = {
        name.upper(): check for name, check in globals().items() if re.fullmatch(r"w\d\d", name)
    }
    return {**workflow, **PYPROJECT}


CHECKS = _checks()
