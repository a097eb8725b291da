"""What the doctor's rules read: the project's files, read once.

:class:`Context` holds the workflows (with lines), pyproject.toml, tag_format and the Makefile's
rules, and answers the questions that need more than one workflow: what a step runs (its
script, with the make recipes and repository scripts it calls: :mod:`relnotes.doctor.scripts`),
how a job uploads to PyPI (:mod:`relnotes.doctor.uploads`), whether a job builds or tests.
The rules are in the theme modules (:mod:`relnotes.doctor.triggers`, ...), registered in
:mod:`relnotes.doctor.checks`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from relnotes.doctor.findings import Finding
from relnotes.doctor.jobs import BAIPP, BUILD_RE, TEST_RE
from relnotes.doctor.makefile import read_makefile
from relnotes.doctor.rules import RULES
from relnotes.doctor.scripts import Scripts
from relnotes.doctor.toml_lines import error_line, toml_line
from relnotes.doctor.uploads import find_uploads, only_uploads
from relnotes.doctor.workflow import read_workflow
from relnotes.doctor.yaml_lines import MAX_CHARS, TOO_LARGE, YamlError
from relnotes.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from relnotes.doctor.makefile import MakeRules
    from relnotes.doctor.rules import Severity
    from relnotes.doctor.scripts import Piece
    from relnotes.doctor.uploads import Upload
    from relnotes.doctor.workflow import Job, Step, Workflow

    #: A rule's check: every finding of that rule in the project.
    Check = Callable[["Context"], Iterator[Finding]]

PYPROJECT = "pyproject.toml"


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
        self.make_rules: MakeRules = {}
        self.scripts = Scripts(root, {})
        self._pieces: dict[int, list[Piece]] = {}
        self._uploads: dict[int, list[Upload]] = {}
        self._lines: dict[str, list[str]] = {}
        self._publishing: list[Workflow] | None = None

    @classmethod
    def read(cls, path: str) -> Context:
        context = cls(os.path.abspath(path))
        context.make_rules = read_makefile(context.root)
        context.scripts = Scripts(context.root, context.make_rules)
        context._read_workflows()
        context._read_pyproject()
        if context.workflows and not context.publishing:
            context.notes.append(
                "no workflow uploads to PyPI (pypa/gh-action-pypi-publish, PyO3/maturin-action, "
                "twine, uv, hatch, poetry, pdm, flit or maturin, in a step or in the make targets "
                "and scripts it runs; `id-token: write`): the publishing rules had nothing to check"
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
                if relative in self.files:  # not UTF-8, too large, unreadable: a W00 already
                    self.broken_workflows.append(relative)
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
        rule = "W00" if relative.startswith(".github/") else "P00"
        try:
            size = os.path.getsize(path)
            if size > MAX_CHARS:  # never read a file that large into memory
                message = f"{TOO_LARGE}: {size:,} bytes (the limit is {MAX_CHARS:,})"
                self.read_findings.append(self.finding(rule, relative, 1, message))
                return None
            with open(path, "rb") as handle:  # decoded whole: an error names the right line
                text = handle.read().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError as exc:
            line = exc.object.count(b"\n", 0, exc.start) + 1
            byte = exc.object[exc.start : exc.start + 1].hex()
            message = f"cannot read it: it is not UTF-8 text (byte 0x{byte} on line {line})"
            self.read_findings.append(self.finding(rule, relative, line, message))
            return None
        except OSError as exc:
            message = f"cannot read it: {exc.strerror or exc}"
            self.read_findings.append(self.finding(rule, relative, 1, message))
            return None
        self.texts[relative] = text
        return text

    def _readable(self, relative: str) -> bool:
        """Whether a file reads as text; if not, its finding is recorded (and it is listed)."""
        path = os.path.join(self.root, relative)
        try:
            if os.path.getsize(path) <= MAX_CHARS:
                with open(path, "rb") as handle:
                    handle.read().decode("utf-8")
                return True
        except (OSError, UnicodeDecodeError):
            pass
        return self.read_text(relative) is not None  # records why not

    def _read_pyproject(self) -> None:
        """Parse pyproject.toml (a P00 finding if it is not TOML), then the configuration."""
        import tomllib

        text = self.read_text(PYPROJECT)
        if text is None and PYPROJECT in self.files:
            return  # there, but not readable (a P00 already): neither is the configuration
        if text is not None:
            try:
                self.pyproject = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                message = f"pyproject.toml is not valid TOML: {exc}"
                self.read_findings.append(self.finding("P00", PYPROJECT, error_line(exc), message))
                return  # the P rules have nothing to read; neither has the configuration
            except RecursionError:  # tomllib reads nested arrays and tables recursively
                message = f"pyproject.toml: {TOO_LARGE}: it nests too deep"
                self.read_findings.append(self.finding("P00", PYPROJECT, 1, message))
                return
        self.config_tag_format()

    def config_tag_format(self) -> None:
        """Read tag_format from the configuration; a broken one is a P00 finding."""
        from relnotes.config import CZ_FILES, load_config

        present = [n for n in CZ_FILES if os.path.exists(os.path.join(self.root, n))]
        if not present and self.pyproject is None:
            return
        if not all(self._readable(name) for name in present):
            return  # a file that cannot be read is a P00 already
        try:
            self.tag_format = load_config(self.root).tag_format
        except ConfigError as exc:
            path = next((n for n in present if exc.message.startswith(n)), "pyproject.toml")
            table = "tool.relnotes" if "[tool.relnotes]" in exc.message else "tool.commitizen"
            text = self.texts.get(path) or self.read_text(path) or ""
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
        """Line ``line`` of a file read (each file is split into lines once)."""
        lines = self._lines.get(path)
        if lines is None:
            lines = self._lines[path] = self.texts.get(path, "").splitlines()
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
        """The workflows with a job that uploads, or holds `id-token: write` and so may."""
        if self._publishing is None:
            self._publishing = [
                wf for wf in self.workflows if any(self.may_upload(j) for j in wf.jobs.values())
            ]
        return self._publishing

    def pieces(self, step: Step) -> list[Piece]:
        """What the step runs: its ``run:``, then the make recipes and scripts it calls."""
        key = id(step)
        if key not in self._pieces:
            self._pieces[key] = self.scripts.pieces(str(step.run or ""), _folder(step))
        return self._pieces[key]

    def script(self, step: Step) -> str:
        """The step's shell script, with the recipes and scripts it runs appended."""
        return "\n".join(piece.text for piece in self.pieces(step))

    def uploads(self, job: Job) -> list[Upload]:
        """Every upload to PyPI or TestPyPI the job makes, in the order of its steps."""
        key = id(job)
        if key not in self._uploads:
            text = self.job_text(job)
            self._uploads[key] = [
                u for s in job.steps for u in find_uploads(s, self.pieces(s), text)
            ]
        return self._uploads[key]

    def publishes(self, job: Job) -> bool:
        return bool(self.uploads(job))

    def may_upload(self, job: Job) -> bool:
        """Whether the job uploads, or holds `id-token: write` (so any step of it could)."""
        return self.publishes(job) or job.holds("id-token")

    def only_uploads(self, step: Step) -> bool:
        """Whether the step does nothing but upload (in its script and what that calls)."""
        return step.run is not None and only_uploads(self.pieces(step), _folder(step))

    def publish_jobs(self, wf: Workflow) -> list[Job]:
        return [j for j in wf.jobs.values() if self.uploads(j)]

    def pypi_jobs(self, wf: Workflow) -> list[Job]:
        return [j for j in wf.jobs.values() if any(not u.testpypi for u in self.uploads(j))]

    def testpypi_jobs(self, wf: Workflow) -> list[Job]:
        return [j for j in wf.jobs.values() if any(u.testpypi for u in self.uploads(j))]

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

    def text_before(self, wf: Workflow, job: Job) -> str:
        """The scripts of ``job`` and of every job it waits for."""
        return "\n".join(self.job_text(j) for j in [*wf.ancestors(job), job])


def _folder(step: Step) -> str:
    """The step's working-directory, where the scripts it names are ("" for the root)."""
    folder = step.node.get("working-directory")
    return folder if isinstance(folder, str) and "${{" not in folder else ""
