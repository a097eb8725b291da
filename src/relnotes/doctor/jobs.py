"""Small questions the rules ask about jobs and steps: whether a job is guarded by a condition,
which steps create a GitHub release, what an artifact is named, what a script installs.

Pure functions of the workflow model (:mod:`relnotes.doctor.workflow`); what needs the rest of
the project (make recipes, pyproject.toml) is a method of :class:`~relnotes.doctor.context.Context`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from relnotes.doctor.workflow import Job, Step, Workflow

UPLOAD = "actions/upload-artifact"
DOWNLOAD = "actions/download-artifact"

CHECKOUT = "actions/checkout"
BAIPP = "hynek/build-and-inspect-python-package"

ATTEST = ("actions/attest", "actions/attest-build-provenance", "actions/attest-sbom")
RELEASE_ACTIONS = (
    "softprops/action-gh-release",
    "ncipollo/release-action",
    "actions/create-release",
)

RELEASE_EVENT = re.compile(
    r"github\.event_name\s*==\s*'release'|github\.event\.action\s*==\s*'published'"
)
TAG_CONDITION = re.compile(
    r"(?<!!)startsWith\(\s*github\.ref\s*,\s*'refs/tags/|github\.ref_type\s*==\s*'tag'"
    rf"|github\.ref\s*==\s*'refs/tags/|{RELEASE_EVENT.pattern}",
    re.IGNORECASE,
)

ESCAPES_SKIP = re.compile(r"\b(always|failure|cancelled)\(\)")
BUILD_RE = re.compile(
    r"-m\s+build\b|\bpyproject-build\b|\bhatch\s+build\b|\buv\s+build\b|\bpip3?\s+wheel\b"
)

TEST_RE = re.compile(r"\b(pytest|tox|nox|make\s+(check|test)|hatch\s+test|unittest)\b")
GH_RELEASE_RE = re.compile(r"\bgh\s+release\s+create\b")

SHA_RE = re.compile(r"[0-9a-f]{40}")
#: A shell line that installs or fetches code to run: package managers, ``curl … | sh``.
INSTALL_RE = re.compile(
    r"\b(?:pip3?\s+install|python3?\s+-m\s+pip\s+install|uv\s+(?:pip\s+install|tool\s+install"
    r"|tool\s+run|sync|add)|uvx|pipx\s+(?:install|run)|npm\s+(?:install|ci|exec)|npx|yarn|pnpm"
    r"|gem\s+install|cargo\s+install|go\s+(?:install|run)|brew\s+install|apt(?:-get)?\s+install)\b"
    r"|\b(?:curl|wget)\b[^\n|]*\|\s*(?:sudo\s+)?(?:ba|z)?sh\b"
)
#: What makes an install pinned: every requirement checked against its hash.
HASHED_RE = re.compile(r"--require-hashes\b|PIP_REQUIRE_HASHES")


def guarded(wf: Workflow, job: Job, condition: re.Pattern[str]) -> bool:
    """Whether the job (or a job it needs, whose skip skips it too) has the condition."""
    if condition.search(job.condition):
        return True
    if ESCAPES_SKIP.search(job.condition):
        return False
    return any(condition.search(a.condition) for a in wf.ancestors(job))


def release_steps(job: Job) -> list[Step]:
    return [
        s
        for s in job.steps
        if s.is_action(*RELEASE_ACTIONS) or (s.run is not None and GH_RELEASE_RE.search(s.run))
    ]


def truthy(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def command_at(text: str, index: int) -> str:
    """The shell command starting at ``index``, with backslash continuations joined."""
    end = index
    while True:
        newline = text.find("\n", end)
        if newline == -1:
            return text[index:]
        if text[:newline].rstrip().endswith("\\"):
            end = newline + 1
            continue
        return text[index:newline]


def push_branches(push: object) -> bool:
    """Whether ``on.push`` fires for some branch."""
    config = push if isinstance(push, dict) else {}
    if "branches" in config or "branches-ignore" in config:
        return True
    return "tags" not in config and "tags-ignore" not in config


def uses_lines(wf: Workflow) -> Iterator[tuple[str, int]]:
    for job in wf.jobs.values():
        if job.uses is not None:
            yield job.uses, job.line_of("uses")
        for step in job.steps:
            if step.uses is not None:
                yield step.uses, step.node.line_of("uses")


def describe(step: Step) -> str:
    if step.is_action(CHECKOUT):
        return "checks out the repository"
    if step.run is not None:
        first = step.run.strip().splitlines()
        return f"runs `{first[0] if first else ''}`"
    return f"uses {step.action}"


def dist_folder(path: object) -> str:
    return str(path or "").strip().removeprefix("./").rstrip("/") or "."


def packages_dir(publish: Step) -> str:
    """The folder pypi-publish uploads from (``dist`` unless told)."""
    return dist_folder(publish.input("packages-dir") or publish.input("packages_dir") or "dist")


def artifact_name(step: Step) -> str | None:
    """The artifact a step uploads: upload-artifact's ``name``, or BAIPP's ``Packages``."""
    if step.is_action(UPLOAD):
        return str(step.input("name") or "artifact")
    if step.is_action(BAIPP):
        return "Packages" + str(step.input("upload-name-suffix") or "")
    return None


def artifact_uploads(job: Job, name: str) -> list[Step]:
    return [s for s in job.steps if artifact_name(s) == name]


def line_in(step: Step, index: int) -> int:
    """The line of ``index`` in the step's script (a make recipe's or script's text points at
    the step)."""
    run = step.run
    if run is None or index >= len(run):
        return step.line
    return run.line_at(index)
