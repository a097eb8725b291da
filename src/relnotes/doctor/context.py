"""What the doctor's rules read: the project's files, read once, and small questions about them.

:class:`Context` holds the workflows (with lines), pyproject.toml, tag_format and the Makefile's
rules (so that `make dist` in a `run:` is seen to build); the functions below answer what the
rules keep asking: which jobs publish, whether a job is guarded by a condition, what an upload
is named. The rules themselves are in :mod:`relnotes.doctor.checks`.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from relnotes.doctor import Finding
from relnotes.doctor.rules import RULES
from relnotes.doctor.workflow import (
    YamlError,
    is_testpypi,
    read_workflow,
)
from relnotes.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from relnotes.doctor.rules import Severity
    from relnotes.doctor.workflow import Job, Step, Workflow

    Check = Callable[["Context"], Iterator[Finding]]

UPLOAD = "actions/upload-artifact"
CHECKOUT = "actions/checkout"
BAIPP = "hynek/build-and-inspect-python-package"
RELEASE_ACTIONS = (
    "softprops/action-gh-release",
    "ncipollo/release-action",
    "actions/create-release",
)

RELEASE_EVENT = re.compile(
    r"github\.event_name\s*==\s*'release'|github\.event\.action\s*==\s*'published'"
)
ESCAPES_SKIP = re.compile(r"\b(always|failure|cancelled)\(\)")
BUILD_RE = re.compile(
    r"-m\s+build\b|\bpyproject-build\b|\bhatch\s+build\b|\buv\s+build\b|\bpip3?\s+wheel\b"
)
TEST_RE = re.compile(r"\b(pytest|tox|nox|make\s+(check|test)|hatch\s+test|unittest)\b")
GH_RELEASE_RE = re.compile(r"\bgh\s+release\s+create\b")
MAKE_RE = re.compile(r"(?:^|[;&|(\s])(?:\$\(MAKE\)|make)((?:[ \t]+[^\s;&|)#]+)*)", re.MULTILINE)
MAKE_RULE_RE = re.compile(r"^([A-Za-z0-9_.%/ -]+?)\s*::?(?!=)(.*)$")


class Context:
    """Everything the rules read, read once: workflows, pyproject.toml, configuration, Makefile."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.workflows: list[Workflow] = []
        self.broken_workflows: list[str] = []
        self.read_findings: list[Finding] = []
        self.texts: dict[str, str] = {}
        self.files: list[str] = []
        self.notes: list[str] = []
        self.pyproject: dict[str, object] | None = None
        self.tag_format = "v$version"
        self.make_rules: dict[str, tuple[list[str], list[str]]] = {}
        self._scripts: dict[int, str] = {}

    @classmethod
    def read(cls, path: str) -> Context:
        context = cls(os.path.abspath(path))
        context._read_workflows()
        from relnotes.doctor.pyproject import read_pyproject

        read_pyproject(context)
        context._read_makefile()
        if context.workflows and not context.publishing:
            context.notes.append(
                "no workflow uploads to PyPI (pypa/gh-action-pypi-publish, `uv publish`, "
                "`twine upload`, `id-token: write`): the publishing rules had nothing to check"
            )
        return context

    def _read_workflows(self) -> None:
        folder = os.path.join(self.root, ".github", "workflows")
        names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
        for name in names:
            if not name.endswith((".yml", ".yaml")):
                continue
            relative = f".github/workflows/{name}"
            text = self.read_text(relative)
            if text is None:
                continue
            try:
                self.workflows.append(read_workflow(relative, text))
            except YamlError as exc:
                self.broken_workflows.append(relative)
                self.read_findings.append(self.finding("W00", relative, exc.line, exc.message))

    def read_text(self, relative: str) -> str | None:
        """A project file's text (also kept for inline ignores); ``None`` if it is missing."""
        path = os.path.join(self.root, relative)
        if not os.path.isfile(path):
            return None
        if relative not in self.files:
            self.files.append(relative)
        rule = "P00" if relative == "pyproject.toml" else "W00"
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            self.read_findings.append(self.finding(rule, relative, 1, f"cannot read it: {exc}"))
            return None
        self.texts[relative] = text
        return text

    def _read_makefile(self) -> None:
        for name in ("GNUmakefile", "makefile", "Makefile"):
            path = os.path.join(self.root, name)
            if os.path.isfile(path):
                with open(path, encoding="utf-8", errors="replace") as handle:
                    self.make_rules = parse_makefile(handle.read())
                return

    def config_tag_format(self) -> None:
        """Read tag_format from the configuration; a broken one is a P00 finding."""
        from relnotes.config import CZ_FILES, load_config

        present = [n for n in CZ_FILES if os.path.exists(os.path.join(self.root, n))]
        if not present and self.pyproject is None:
            return
        try:
            self.tag_format = load_config(self.root).tag_format
        except ConfigError as exc:
            path = next((n for n in present if exc.message.startswith(n)), "pyproject.toml")
            table = "tool.relnotes" if "[tool.relnotes]" in exc.message else "tool.commitizen"
            text = self.texts.get(path) or self.read_text(path) or ""
            from relnotes.doctor.pyproject import toml_line

            line = toml_line(text, table) or 1
            self.read_findings.append(self.finding("P00", path, line, exc.message))

    def finding(
        self,
        rule: str,
        path: str,
        line: int,
        message: str,
        *,
        severity: Severity | None = None,
        fix: str | None = None,
    ) -> Finding:
        spec = RULES[rule]
        return Finding(rule, severity or spec.severity, path, line, message, fix or spec.fix)

    def line_text(self, path: str, line: int) -> str:
        lines = self.texts.get(path, "").splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""

    @property
    def sample_tag(self) -> str:
        from relnotes.version import TagFormat

        try:
            return TagFormat(self.tag_format).tag_for("1.2.3")
        except ConfigError:
            return "v1.2.3"

    @property
    def publishing(self) -> list[Workflow]:
        return [wf for wf in self.workflows if wf.upload_jobs]

    def script(self, step: Step) -> str:
        """The step's shell script, with the recipes of the make targets it runs appended."""
        key = id(step)
        if key not in self._scripts:
            text = str(step.run or "")
            self._scripts[key] = text + "".join(self._recipes(text, set()))
        return self._scripts[key]

    def _recipes(self, text: str, seen: set[str]) -> Iterator[str]:
        for match in MAKE_RE.finditer(text):
            for word in match[1].split():
                if word.startswith("-") or "=" in word or word in seen:
                    continue
                yield from self._target(word, seen)

    def _target(self, target: str, seen: set[str]) -> Iterator[str]:
        if target in seen or target not in self.make_rules:
            return
        seen.add(target)
        prerequisites, recipe = self.make_rules[target]
        for name in prerequisites:
            yield from self._target(name, seen)
        body = "\n".join(recipe)
        yield "\n" + body
        yield from self._recipes(body, seen)

    def job_text(self, job: Job) -> str:
        return "\n".join(self.script(s) for s in job.steps)

    def runs_tests(self, job: Job) -> bool:
        """Whether a job runs tests (or calls one of this repository's workflows)."""
        local = job.uses is not None and job.uses.startswith("./")
        return local or bool(TEST_RE.search(self.job_text(job)))

    def builds(self, job: Job) -> bool:
        return any(s.is_action(BAIPP) for s in job.steps) or bool(
            BUILD_RE.search(self.job_text(job))
        )


def parse_makefile(text: str) -> dict[str, tuple[list[str], list[str]]]:
    """Rules of a Makefile: target -> (prerequisites, recipe lines); variables are not expanded."""
    rules: dict[str, tuple[list[str], list[str]]] = {}
    current: list[str] = []
    for raw in text.splitlines():
        if raw.startswith("\t"):
            for target in current:
                rules[target][1].append(raw.strip())
            continue
        current = []
        match = MAKE_RULE_RE.match(raw)
        if match is None or raw.lstrip().startswith("#"):
            continue
        current = match[1].split()
        prerequisites = match[2].split("##")[0].split(";")[0].split()
        for target in current:
            rules.setdefault(target, ([], []))[0].extend(prerequisites)
    return rules


# --- small questions about jobs ------------------------------------------------------------


def pypi_jobs(wf: Workflow) -> list[Job]:
    return [j for j in wf.publish_jobs if any(not is_testpypi(s) for s in j.publish_steps)]


def testpypi_jobs(wf: Workflow) -> list[Job]:
    return [j for j in wf.publish_jobs if any(is_testpypi(s) for s in j.publish_steps)]


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


def upload_name(step: Step) -> str | None:
    """The artifact a step uploads: upload-artifact's ``name``, or BAIPP's ``Packages``."""
    if step.is_action(UPLOAD):
        return str(step.input("name") or "artifact")
    if step.is_action(BAIPP):
        return "Packages" + str(step.input("upload-name-suffix") or "")
    return None


def uploads(job: Job, name: str) -> list[Step]:
    return [s for s in job.steps if upload_name(s) == name]


def text_before(ctx: Context, wf: Workflow, job: Job) -> str:
    return "\n".join(ctx.job_text(j) for j in [*wf.ancestors(job), job])
