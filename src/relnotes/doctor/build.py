"""Rules on the build and its version: full history where the version is read (W14), the
dist artifact from the build to the upload (W19, W20), the checks before PyPI (W25-W27), and
only pinned tools touching dist/ before it is uploaded (W32), and pinned tools wherever the
release is built, published or written (W33)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from relnotes.doctor.installs import INSTALLER_RE, unpinned_tools
from relnotes.doctor.jobs import (
    BAIPP,
    BUILD_RE,
    CHECKOUT,
    DOWNLOAD,
    HASHED_RE,
    INSTALL_RE,
    SHA_RE,
    UPLOAD,
    artifact_name,
    artifact_uploads,
    command_at,
    dist_folder,
    line_in,
    truthy,
)
from relnotes.doctor.pyproject import version_from_git

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from relnotes.doctor.context import Check, Context
    from relnotes.doctor.findings import Finding
    from relnotes.doctor.workflow import Job, Step, Workflow

DIST_WRITE_RE = re.compile(
    r"(?:>>?|\s-o|\s--output(?:-file)?[=\s])\s*[\"']?(?:\./)?dist/([^\s\"';|&)]*)"
)
HISTORY_RE = re.compile(
    r"\brelnotes\s+(?:-C\s+\S+\s+)?(?:notes|preview|changelog|next-version|log)\b"
    r"|\brelnotes\s+check\s+--range\b"
)

#: A build that fetches its backend itself (build isolation), unpinned.
ISOLATED_BUILD_RE = re.compile(
    r"(?:-m\s+build|\bpyproject-build|\buv\s+build)\b(?![^\n]*(?:--no-isolation|\s-n\b"
    r"|--no-build-isolation))"
)


def unchecked(
    ctx: Context, rule: str, checks: Callable[[str], bool], message: str
) -> Iterator[Finding]:
    """A finding at each PyPI job whose jobs before it run no script that ``checks``."""
    for wf in ctx.publishing:
        for job in ctx.pypi_jobs(wf):
            if not checks(ctx.text_before(wf, job)):
                yield ctx.finding(rule, wf.path, job.line, message.replace("{job}", job.id))


def full_history_for_versions(ctx: Context) -> Iterator[Finding]:
    """W14: full history where hatch-vcs or relnotes read it."""

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


def dist_artifact_reaches_publish_job(ctx: Context) -> Iterator[Finding]:
    """W19: the dist artifact reaches the publish job intact."""
    for wf in ctx.publishing:
        for job in ctx.publish_jobs(wf):
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
            target = ctx.uploads(job)[0].folder
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
    sources = [(j, u) for j in wf.ancestors(job) for u in artifact_uploads(j, name)]
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


def dist_holds_only_distributions(ctx: Context) -> Iterator[Finding]:
    """W20: dist/ holds only wheels and sdists."""
    for wf in ctx.publishing:
        builders: dict[str, Job] = {}
        names: set[str] = set()
        for job in ctx.publish_jobs(wf):
            builders.update((a.id, a) for a in wf.ancestors(job))
            target = ctx.uploads(job)[0].folder
            uploaded = {artifact_name(s) for a in wf.ancestors(job) for s in a.steps} - {None}
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


def tag_commit_on_main(ctx: Context) -> Iterator[Finding]:
    """W25: the tag's commit is on main."""
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


def built_version_is_tag(ctx: Context) -> Iterator[Finding]:
    """W26: the built version is the tag."""
    yield from unchecked(
        ctx,
        "W26",
        _checks_version,
        "nothing before PyPI job {job} checks that the built version is the tag",
    )


def build_checked_before_upload(ctx: Context) -> Iterator[Finding]:
    """W27: the build is checked before upload."""
    for wf in ctx.publishing:
        for job in ctx.publish_jobs(wf):
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


def only_pinned_tools_before_dist_upload(ctx: Context) -> Iterator[Finding]:
    """W32: only pinned tools touch dist/ before it is uploaded."""
    for wf in ctx.publishing:
        for job in wf.jobs.values():
            checked = _before_dist_upload(ctx, job)
            for step in (s for s in job.steps if id(s) in checked):
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
                        line_in(step, match.start()),
                        f"job {job.id} installs unpinned code (`{command.strip()}`) before "
                        "dist/ is uploaded",
                    )
                for match in ISOLATED_BUILD_RE.finditer(run):
                    yield ctx.finding(
                        "W32",
                        wf.path,
                        line_in(step, match.start()),
                        f"the build in job {job.id} fetches its build backend unpinned "
                        "(build isolation)",
                    )


#: A job that writes the release notes (relnotes, git-cliff, towncrier, commitizen, scriv).
NOTES_RE = re.compile(
    r"\brelnotes\s+(?:-C\s+\S+\s+)?(?:notes|preview|changelog)\b|\bgit-cliff\b"
    r"|\btowncrier\s+build\b|\bcz\s+(?:bump|changelog)\b|\bscriv\s+(?:collect|github-release)\b"
)


def tools_pinned_where_releasing(ctx: Context) -> Iterator[Finding]:
    """W33: tools are pinned where the release is built, published or written."""
    for wf in ctx.workflows:
        for job in wf.jobs.values():
            releasing = ctx.builds(job) or ctx.publishes(job) or NOTES_RE.search(ctx.job_text(job))
            if not releasing:
                continue
            seen = set(_before_dist_upload(ctx, job))  # W32's: hashes, not only versions
            env = str(job.node.get("env") or "")
            for step in job.steps:
                if id(step) in seen or HASHED_RE.search(env + str(step.node.get("env") or "")):
                    continue
                script = ctx.script(step)
                for match in INSTALLER_RE.finditer(script):
                    command = command_at(script, match.start()).strip()
                    names = unpinned_tools(command)
                    if names:
                        yield ctx.finding(
                            "W33",
                            wf.path,
                            line_in(step, match.start()),
                            f"job {job.id} installs {', '.join(names)} without a version "
                            f"(`{command}`)",
                        )


def _before_dist_upload(ctx: Context, job: Job) -> list[int]:
    """The steps W32 checks: a build job's, before it uploads dist/ (as ``id``)."""
    if not ctx.builds(job) or ctx.publishes(job):
        return []
    dist = [s for s in job.steps if s.is_action(UPLOAD) and "dist" in str(s.input("path") or "")]
    return [id(s) for s in job.steps[: job.steps.index(dist[0])]] if dist else []


CHECKS: dict[str, Check] = {
    "W14": full_history_for_versions,
    "W19": dist_artifact_reaches_publish_job,
    "W20": dist_holds_only_distributions,
    "W25": tag_commit_on_main,
    "W26": built_version_is_tag,
    "W27": build_checked_before_upload,
    "W32": only_pinned_tools_before_dist_upload,
    "W33": tools_pinned_where_releasing,
}
