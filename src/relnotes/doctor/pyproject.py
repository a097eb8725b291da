"""The doctor's pyproject.toml rules, P01-P06: the version comes from the tags, and the tags
relnotes makes are the ones the build reads.

pyproject.toml is read by the :class:`~relnotes.doctor.context.Context`; lines are found with
:func:`~relnotes.doctor.toml_lines.toml_line`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from relnotes import git
from relnotes.doctor.toml_lines import toml_line
from relnotes.doctor.yaml_lines import YMap

if TYPE_CHECKING:
    from collections.abc import Iterator

    from relnotes.doctor.context import Check, Context
    from relnotes.doctor.findings import Finding

PYPROJECT = "pyproject.toml"
LOCAL_SCHEMES = ("no-local-version", "no-local-version-strict")
#: setuptools-scm's default tag regex (hatch-vcs uses it when no tag-pattern is set).
DEFAULT_TAG_REGEX = r"^(?:[\w-]+-)?(?P<version>[vV]?\d+(?:\.\d+){0,2}[^\+]*)(?:\+.*)?$"
_PYTHON_RE = re.compile(r"^3\.\d+$")
_CLASSIFIER_RE = re.compile(r"^Programming Language :: Python :: (3\.\d+)$")


def _table(data: object, *path: str) -> dict[str, Any]:
    node = data
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def requirement_names(requirements: object) -> set[str]:
    """The normalised project names of a list of requirements (``hatch_vcs>=0.4`` is hatch-vcs)."""
    items = requirements if isinstance(requirements, list) else []
    return {
        re.split(r"[\s<>=!~;\[(@]", str(r).strip(), maxsplit=1)[0].lower().replace("_", "-")
        for r in items
    }


class VcsSettings:
    """Where the version-from-git settings of this project live, and what they say."""

    def __init__(self, ctx: Context) -> None:
        data = ctx.pyproject or {}
        self.text = ctx.texts.get(PYPROJECT, "")
        requires = requirement_names(_table(data, "build-system").get("requires"))
        self.kind = (
            "hatch-vcs"
            if "hatch-vcs" in requires
            else "setuptools-scm"
            if "setuptools-scm" in requires
            else None
        )
        version = _table(data, "tool", "hatch", "version")
        raw = version.get("raw-options")
        raw = raw if isinstance(raw, dict) else {}
        scm = _table(data, "tool", "setuptools_scm")
        if self.kind == "setuptools-scm":
            self.options: list[tuple[str, str, dict[str, Any]]] = [("tool.setuptools_scm", "", scm)]
        else:
            self.options = [
                ("tool.hatch.version", "", version),
                ("tool.hatch.version.raw-options", "raw-options", raw),
            ]
        self.hook = _table(data, "tool", "hatch", "build", "hooks", "vcs")

    def get(self, *keys: str) -> tuple[object, int]:
        """The first of ``keys`` set in the settings tables, and its line (0: not set)."""
        for table, inline, values in self.options:
            for key in keys:
                if key in values:
                    line = toml_line(self.text, table, key)
                    if line is None and inline:
                        line = toml_line(self.text, table.rsplit(".", 1)[0], inline)
                    return values[key], line or self.line()
        return None, 0

    def line(self) -> int:
        table = self.options[0][0]
        return toml_line(self.text, table) or toml_line(self.text, "build-system") or 1


def version_from_git(ctx: Context) -> bool:
    return ctx.pyproject is not None and VcsSettings(ctx).kind is not None


def version_in_files(ctx: Context) -> str | None:
    """How commitizen keeps this project's version in files (``version_provider``,
    ``version_files``), in words; ``None`` when it does not (or the configuration is broken:
    P00 says so)."""
    if any(f.rule == "P00" for f in ctx.read_findings):
        return None
    from relnotes.config import load_config
    from relnotes.errors import ConfigError

    try:
        return load_config(ctx.root).version_in_files
    except ConfigError:
        return None


def version_from_tags(ctx: Context) -> Iterator[Finding]:
    """P01: the version comes from the tags (hatch-vcs)."""
    if ctx.pyproject is None:
        if ctx.publishing and PYPROJECT not in ctx.files:
            yield ctx.finding(
                "P01",
                PYPROJECT,
                1,
                "there is no pyproject.toml: the version cannot come from the tags",
            )
        return
    text = ctx.texts.get(PYPROJECT, "")
    data = ctx.pyproject
    build = _table(data, "build-system")
    names = requirement_names(build.get("requires"))
    settings = VcsSettings(ctx)
    line = toml_line(text, "build-system", "requires") or toml_line(text, "build-system") or 1
    in_files = version_in_files(ctx) if settings.kind is None else None
    if in_files is not None:
        ctx.notes.append(
            f"the version lives in files that `cz bump` updates ({in_files}), not in the tags: "
            "a choice P01 accepts; `relnotes preview` checks that the files hold the latest "
            "tag's version, and `relnotes verify` that the build matches the tag"
        )
        return
    if settings.kind is None:
        yield ctx.finding(
            "P01",
            PYPROJECT,
            line,
            "[build-system] requires neither hatch-vcs nor setuptools-scm: "
            "the version does not come from the tags",
        )
    elif settings.kind == "hatch-vcs":
        if "hatchling" not in names or build.get("build-backend") != "hatchling.build":
            yield ctx.finding(
                "P01",
                PYPROJECT,
                toml_line(text, "build-system", "build-backend") or line,
                "hatch-vcs is a hatchling plugin, but the build backend is not hatchling.build",
            )
        source = _table(data, "tool", "hatch", "version").get("source")
        if source != "vcs":
            yield ctx.finding(
                "P01",
                PYPROJECT,
                toml_line(text, "tool.hatch.version", "source") or settings.line(),
                f'[tool.hatch.version] source is {source!r}, not "vcs"',
            )
    project = _table(data, "project")
    dynamic = project.get("dynamic")
    if "version" in project or not (isinstance(dynamic, list) and "version" in dynamic):
        written = "version" in project
        yield ctx.finding(
            "P01",
            PYPROJECT,
            toml_line(text, "project", "version" if written else "dynamic")
            or toml_line(text, "project")
            or 1,
            "[project] writes the version by hand"
            if written
            else '[project] dynamic does not list "version"',
        )


def no_local_version(ctx: Context) -> Iterator[Finding]:
    """P02: no local version part."""
    settings = VcsSettings(ctx)
    if settings.kind is None:
        return
    scheme, line = settings.get("local_scheme")
    if scheme not in LOCAL_SCHEMES:
        what = f"local_scheme is {scheme!r}" if scheme else "no local_scheme is set"
        yield ctx.finding(
            "P02",
            PYPROJECT,
            line or settings.line(),
            f"{what}: builds between tags get a +g<hash> part that (Test)PyPI rejects",
        )


def no_fallback_version(ctx: Context) -> Iterator[Finding]:
    """P03: no fallback-version."""
    settings = VcsSettings(ctx)
    if settings.kind is None:
        return
    value, line = settings.get("fallback-version", "fallback_version")
    if value is not None:
        yield ctx.finding(
            "P03",
            PYPROJECT,
            line,
            f"a fallback version ({value!r}) hides a build without git metadata",
        )


def version_file_ignored(ctx: Context) -> Iterator[Finding]:
    """P04: a generated version file is ignored by git."""
    settings = VcsSettings(ctx)
    if settings.kind is None:
        return
    files: list[tuple[str, int]] = []
    for key in ("version-file", "version_file", "write_to"):
        value, line = settings.get(key)
        if isinstance(value, str):
            files.append((value, line))
    hook = settings.hook.get("version-file")
    if isinstance(hook, str):
        line = toml_line(settings.text, "tool.hatch.build.hooks.vcs", "version-file") or 1
        files.append((hook, line))
    for name, line in files:
        state = git.file_state(ctx.root, name)
        if state == "tracked":
            yield ctx.finding(
                "P04",
                PYPROJECT,
                line,
                f"the generated version file {name} is tracked by git: each build dirties the tree",
            )
        elif state == "untracked":
            yield ctx.finding(
                "P04",
                PYPROJECT,
                line,
                f"the generated version file {name} is not in .gitignore",
                severity="warning",
                fix=f"add {name} to .gitignore",
            )


def tag_version(pattern: str, tag: str) -> str | None:
    """The version text a tag pattern reads from ``tag`` (``None``: it does not match)."""
    try:
        match = re.search(pattern, tag)
    except re.error:
        return None
    if match is None:
        return None
    groups = match.groupdict()
    text = groups.get("version") or (match.group(1) if match.re.groups else match.group(0))
    return str(text or "")


def reads_version(pattern: str | None, tag: str, version: str = "1.2.3") -> bool:
    """Whether a tag pattern (``None``: the default) reads ``version`` from ``tag``."""
    from packaging.version import InvalidVersion, Version

    read = tag_version(pattern or DEFAULT_TAG_REGEX, tag)
    try:
        return read is not None and Version(read.lstrip("vV")) == Version(version)
    except InvalidVersion:
        return False


def tag_pattern_reads_tags(ctx: Context) -> Iterator[Finding]:
    """P05: hatch-vcs reads the tags relnotes makes."""
    settings = VcsSettings(ctx)
    if settings.kind is None:
        return
    pattern, line = settings.get("tag-pattern", "tag_regex")
    tag = ctx.sample_tag
    if not reads_version(str(pattern) if pattern else None, tag):
        what = f"tag-pattern {pattern!r}" if pattern else f"{settings.kind}'s default tag pattern"
        yield ctx.finding(
            "P05",
            PYPROJECT,
            line or settings.line(),
            f"{what} does not read version 1.2.3 from the tag {tag} "
            f"(tag_format {ctx.tag_format!r})",
        )


def _matrix_versions(ctx: Context) -> list[tuple[str, str, int]]:
    """Python versions the workflows' test matrices run: (version, workflow path, line)."""
    found: list[tuple[str, str, int]] = []
    for wf in ctx.workflows:
        for job in wf.jobs.values():
            matrix = job.node.map("strategy").get("matrix")
            if not isinstance(matrix, dict):
                continue
            rows: list[Any] = [matrix, *(matrix.get("include") or [])]
            for row in rows:
                if not isinstance(row, YMap):
                    continue
                for key in ("python-version", "python", "python_version", "py"):
                    values = row.get(key)
                    values = values if isinstance(values, list) else [values]
                    for value in values:
                        if isinstance(value, str) and _PYTHON_RE.match(value):
                            found.append((value, wf.path, row.line_of(key)))
    return found


def python_versions_match_matrix(ctx: Context) -> Iterator[Finding]:
    """P06: requires-python and classifiers match the test matrix."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    matrix = _matrix_versions(ctx)
    if ctx.pyproject is None or not matrix:
        return
    text = ctx.texts.get(PYPROJECT, "")
    project = _table(ctx.pyproject, "project")
    tested = {v for v, _, _ in matrix}
    lowest_tested = min(tested, key=lambda v: int(v.split(".")[1]))
    classifiers = project.get("classifiers")
    for item in classifiers if isinstance(classifiers, list) else []:
        match = _CLASSIFIER_RE.match(str(item))
        if match and match[1] not in tested:
            yield ctx.finding(
                "P06",
                PYPROJECT,
                _string_line(text, str(item)),
                f"the classifier promises Python {match[1]}, which no test matrix runs",
            )
    try:
        spec = SpecifierSet(str(project.get("requires-python", "")))
    except InvalidSpecifier:
        return
    for version, path, line in matrix:
        if not spec.contains(f"{version}.0") and not spec.contains(f"{version}.99"):
            yield ctx.finding(
                "P06",
                path,
                line,
                f"the matrix runs Python {version}, which requires-python {spec} excludes",
            )
    if not str(spec):
        return
    allowed = [m for m in range(40) if spec.contains(f"3.{m}.0") or spec.contains(f"3.{m}.99")]
    if allowed and allowed[0] < int(lowest_tested.split(".")[1]):
        yield ctx.finding(
            "P06",
            PYPROJECT,
            toml_line(text, "project", "requires-python") or 1,
            f"requires-python {spec} allows Python 3.{allowed[0]}, "
            f"but the test matrix starts at {lowest_tested}",
        )


def _string_line(text: str, value: str) -> int:
    for number, raw in enumerate(text.splitlines(), 1):
        if f'"{value}"' in raw or f"'{value}'" in raw:
            return number
    return 1


CHECKS: dict[str, Check] = {
    "P01": version_from_tags,
    "P02": no_local_version,
    "P03": no_fallback_version,
    "P04": version_file_ignored,
    "P05": tag_pattern_reads_tags,
    "P06": python_versions_match_matrix,
}
