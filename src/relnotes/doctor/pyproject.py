"""The doctor's pyproject.toml rules, P01-P06, and the reading of pyproject.toml with lines.

tomllib gives values, not lines; :func:`toml_line` finds the line of a table or key by
scanning the text, which is enough to point at ``[tool.hatch.version]`` or ``requires-python``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from relnotes import git
from relnotes.doctor.workflow import YMap

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from relnotes.doctor import Finding
    from relnotes.doctor.context import Context

PYPROJECT = "pyproject.toml"
LOCAL_SCHEMES = ("no-local-version", "no-local-version-strict")
#: setuptools-scm's default tag regex (hatch-vcs uses it when no tag-pattern is set).
DEFAULT_TAG_REGEX = r"^(?:[\w-]+-)?(?P<version>[vV]?\d+(?:\.\d+){0,2}[^\+]*)(?:\+.*)?$"
_TOML_LINE_RE = re.compile(r"at line (\d+)")
_HEADER_RE = re.compile(r"^\[\[?\s*([^\]]+?)\s*\]\]?")
_PYTHON_RE = re.compile(r"^3\.\d+$")
_CLASSIFIER_RE = re.compile(r"^Programming Language :: Python :: (3\.\d+)$")


def read_pyproject(ctx: Context) -> None:
    """Parse pyproject.toml into ``ctx.pyproject`` (a P00 finding if it is not TOML)."""
    import tomllib

    text = ctx.read_text(PYPROJECT)
    if text is not None:
        try:
            ctx.pyproject = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            match = _TOML_LINE_RE.search(str(exc))
            line = int(match[1]) if match else 1
            ctx.read_findings.append(
                ctx.finding("P00", PYPROJECT, line, f"pyproject.toml is not valid TOML: {exc}")
            )
            return  # the P rules have nothing to read; neither has the configuration
    ctx.config_tag_format()


def toml_line(text: str, table: str, key: str | None = None) -> int | None:
    """The line of ``key`` in ``[table]`` (or of the table header when ``key`` is None)."""
    current = ""
    header: int | None = None
    pattern = re.compile(rf"^[\"']?{re.escape(key)}[\"']?\s*=") if key else None
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        match = _HEADER_RE.match(stripped)
        if match:
            current = re.sub(r"[\"'\s]", "", match[1])
            if current == table and header is None:
                header = number
            continue
        if pattern is not None and current == table and pattern.match(stripped):
            return number
    return header if key is None else None


def _table(data: object, *path: str) -> dict[str, Any]:
    node = data
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def _names(requirements: object) -> set[str]:
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
        requires = _names(_table(data, "build-system").get("requires"))
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


def p01(ctx: Context) -> Iterator[Finding]:
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
    names = _names(build.get("requires"))
    settings = VcsSettings(ctx)
    line = toml_line(text, "build-system", "requires") or toml_line(text, "build-system") or 1
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


def p02(ctx: Context) -> Iterator[Finding]:
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


def p03(ctx: Context) -> Iterator[Finding]:
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


def p04(ctx: Context) -> Iterator[Finding]:
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


def p05(ctx: Context) -> Iterator[Finding]:
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


def p06(ctx: Context) -> Iterator[Finding]:
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


CHECKS: dict[str, Callable[[Context], Iterator[Finding]]] = {
    "P01": p01,
    "P02": p02,
    "P03": p03,
    "P04": p04,
    "P05": p05,
    "P06": p06,
}
