"""`relnotes init`: plan and write a release pipeline into an existing Python project.

:func:`plan_init` reads the project and returns every file it would write (created, updated,
kept, or overwritten) without touching anything; :func:`apply` writes the plan, refusing to
overwrite a file whose content differs unless forced. pyproject.toml is edited in place with
tomlkit (comments and order kept); the workflows come from :mod:`relnotes.scaffold`, the other
files from ``templates/scaffold/*.jinja``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from relnotes.errors import ConfigError, RelnotesError

if TYPE_CHECKING:
    from packaging.version import Version

    from relnotes.config import Config

Action = Literal["create", "update", "keep", "overwrite"]
PYPROJECT = "pyproject.toml"
PRE_COMMIT = ".pre-commit-config.yaml"
HOOK_TYPES = "default_install_hook_types: [pre-commit, commit-msg]\n"
LOCAL_SCHEMES = ("no-local-version", "no-local-version-strict")
DEFAULT_TEST_COMMAND = "python -m pip install . pytest && python -m pytest"
_GITHUB_RE = re.compile(r"^https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?$")
_OWNER_NAME_RE = re.compile(r"^[\w.-]+/[\w.-]+$")
_KNOWN_MINORS = range(8, 14)  # 3.8 .. 3.13: what a matrix may run today
# PEP 508 names (PEP 503 normalises them): what may stand in a workflow and a PyPI URL.
_PACKAGE_RE = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_PYTHON_RE = re.compile(r"^[0-9]+\.[0-9]+$")
# The keys init reads or edits in pyproject.toml, and the type each must have.
_SHAPES: tuple[tuple[tuple[str, ...], type, str], ...] = (
    (("project",), dict, "table"),
    (("project", "dynamic"), list, "list"),
    (("build-system",), dict, "table"),
    (("build-system", "requires"), list, "list"),
    (("tool",), dict, "table"),
    (("tool", "hatch"), dict, "table"),
    (("tool", "hatch", "version"), dict, "table"),
    (("tool", "hatch", "version", "raw-options"), dict, "table"),
    (("tool", "relnotes"), dict, "table"),
    (("tool", "commitizen"), dict, "table"),
)
# Keys of hatch's regex version source, meaningless once the source is vcs.
_REGEX_SOURCE_KEYS = ("path", "pattern")


@dataclass(frozen=True, slots=True)
class Change:
    path: str  # relative to the project
    action: Action
    old: str | None
    new: str
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class Plan:
    root: str
    package: str
    repository: str  # owner/name
    changes: list[Change] = field(default_factory=list)

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.action == "overwrite"]


def plan_init(
    path: str = ".",
    *,
    package: str | None = None,
    repository: str | None = None,
    python_versions: list[str] | None = None,
    test_command: str | None = None,
) -> Plan:
    """Every file ``relnotes init`` would write into the project at ``path``, and how."""
    from relnotes.config import CZ_FILES, load_config

    root = os.path.abspath(path)
    text = _read(root, PYPROJECT, newline="")  # as it is: its line endings are kept
    if text is None:
        raise RelnotesError(
            f"no pyproject.toml in {root}",
            hint="relnotes init works on an existing Python project (uv init --package makes one)",
        )
    raw, text = text, text.replace("\r\n", "\n")
    data = _parse_toml(text)
    _check_shapes(data)
    _require_top_level(root)
    config = load_config(root)
    project = data.get("project", {})
    name = package or project.get("name")
    if not isinstance(name, str) or not name:
        raise ConfigError(
            "pyproject.toml has no [project] name", hint="add one, or pass --package NAME"
        )
    _check_package(name, given=package is not None)
    if python_versions is not None:
        _check_python_versions(python_versions)
    slug = _repository(root, config, repository)
    versions = python_versions or _python_versions(project.get("requires-python"))
    tag_format = config.tag_format
    tagged = _tagged_versions(root, tag_format)
    static = _static_version(project.get("version"))
    known = [*tagged, *([static] if static is not None else [])]
    prefix = tag_format.split("$", 1)[0]
    tag_pattern = f"{prefix}*" if prefix else "[0-9]*"
    values: dict[str, Any] = {
        "package": name,
        "repository": slug,
        "python_versions": versions,
        "tag_pattern": tag_pattern,
        "test_command": test_command or _test_command(root),
    }
    plan = Plan(root, name, slug)
    from relnotes.scaffold.templates import build_requirements, github_files

    for relative, rendered in {**github_files(**values), **build_requirements()}.items():
        plan.changes.append(_whole(root, relative, rendered))
    cz_file = next((n for n in CZ_FILES if os.path.isfile(os.path.join(root, n))), None)
    if cz_file is not None:  # commitizen's settings stay as they are
        kept = _read(root, cz_file) or ""
        plan.changes.append(Change(cz_file, "keep", kept, kept))
    elif not _has_table(data, "tool", "commitizen"):
        plan.changes.append(
            _whole(
                root,
                ".cz.toml",
                _render(
                    "cz.toml.jinja",
                    tag_format=tag_format,
                    major_version_zero=all(v.major == 0 for v in known),
                ),
            )
        )
    change = _pyproject(text, data, config, name, slug, tag_format, tagged)
    if raw != text:  # CRLF: the file keeps its line endings
        new = change.new.replace("\n", "\r\n")
        change = Change(change.path, change.action, raw, new, change.notes)
    plan.changes.append(change)
    plan.changes.append(_pre_commit(root))
    owner, short = slug.split("/")
    context = {
        "package": name,
        "owner": owner,
        "name": short,
        "repository_url": f"https://github.com/{slug}",
        "tag_pattern": tag_pattern,
        "example_tag": _example_tag(tag_format),
    }
    for file in ("MILESTONES.md", "RELEASING.md"):
        plan.changes.append(_whole(root, file, _render(f"{file}.jinja", **context)))
    return plan


def refuse_conflicts(plan: Plan, *, force: bool = False, dry_run: bool = False) -> None:
    """Stop (exit 2) where the plan would overwrite a file and ``force`` is not given.

    ``--dry-run`` calls it too, after the diff, so that it exits as the real run would.
    """
    if plan.conflicts and not force:
        names = ", ".join(c.path for c in plan.conflicts)
        see = "" if dry_run else "see the changes with --dry-run, then "
        raise RelnotesError(
            f"init would overwrite {names}: nothing was written",
            hint=f"{see}rerun with --force to replace them",
        )


def apply(plan: Plan, *, force: bool = False) -> None:
    """Write the plan; without ``force``, nothing is written if a file would be overwritten."""
    from relnotes.output import write_atomic

    refuse_conflicts(plan, force=force)
    for change in plan.changes:
        if change.action == "keep":
            continue
        target = os.path.join(plan.root, change.path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        write_atomic(target, change.new)


def diff(plan: Plan) -> str:
    """The plan as unified diffs (new files against /dev/null)."""
    import difflib

    out: list[str] = []
    for change in plan.changes:
        if change.action == "keep":
            continue
        before = change.old.splitlines(keepends=True) if change.old is not None else []
        out.extend(
            difflib.unified_diff(
                before,
                change.new.splitlines(keepends=True),
                "/dev/null" if change.old is None else f"a/{change.path}",
                f"b/{change.path}",
            )
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)


# --- reading the project -------------------------------------------------------------------


def _read(root: str, relative: str, *, newline: str | None = None) -> str | None:
    path = os.path.join(root, relative)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8", newline=newline) as handle:
        return handle.read()


def _parse_toml(text: str) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"pyproject.toml is not valid TOML: {exc}", hint="fix it first") from None


def _check_shapes(data: dict[str, Any]) -> None:
    """Stop (exit 2) where a key init reads or edits has another type than TOML requires."""
    for keys, kind, noun in _SHAPES:
        node: Any = data
        for key in keys[:-1]:
            node = node.get(key, {})
        value = node.get(keys[-1])
        if value is None or isinstance(value, kind):
            continue
        where = f"[{'.'.join(keys[:-1])}] {keys[-1]}" if keys[:-1] else f"[{keys[0]}]"
        found = "an array of tables" if _is_table_list(value) else f"a {_toml_type(value)}"
        if noun == "list":
            example = '["hatchling"]' if keys[-1] == "requires" else '["version"]'
            hint = f"fix it first, e.g. {keys[-1]} = {example}"
        else:
            hint = f"fix it first: make it a [{'.'.join(keys)}] section"
        raise ConfigError(f"pyproject.toml: {where} must be a {noun}, not {found}", hint=hint)


def _is_table_list(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _toml_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "table"
    return "date"


def _require_top_level(root: str) -> None:
    """Stop (exit 2) in a subfolder of a git repository: .github/ is read only at the top."""
    from relnotes import git
    from relnotes.errors import GitError

    try:
        top = git.run(root, "rev-parse", "--show-toplevel", check=False).strip()
    except GitError:  # no git: nothing to compare with
        return
    if top and os.path.realpath(top) != os.path.realpath(root):
        raise RelnotesError(
            f"{root} is not the top level of its git repository ({top})",
            hint="GitHub and pre-commit read .github/ and .pre-commit-config.yaml only there: "
            "run relnotes init at the repository's top level",
        )


def _check_package(name: str, *, given: bool) -> None:
    if _PACKAGE_RE.match(name):
        return
    where = f"--package {name!r}" if given else f"pyproject.toml: [project] name {name!r}"
    raise ConfigError(
        f"{where} is not a valid package name",
        hint="a PyPI name has letters, digits, '.', '_' and '-', "
        "and starts and ends with a letter or digit (PEP 508)",
    )


def _check_python_versions(versions: list[str]) -> None:
    for version in versions:
        if not _PYTHON_RE.match(version):
            raise ConfigError(
                f"--python: {version!r} is not a Python version",
                hint="give major.minor versions, comma-separated, e.g. --python 3.12,3.13",
            )


def _tagged_versions(root: str, tag_format: str) -> list[Version]:
    """The versions the repository's tags name (none outside a repository)."""
    from relnotes import git
    from relnotes.errors import GitError
    from relnotes.version import TagFormat

    try:
        refs = git.tag_refs(root)
    except GitError:
        return []
    tags = TagFormat(tag_format)
    return [v for v in (tags.version_of(name) for name, *_ in refs) if v is not None]


def _static_version(value: object) -> Version | None:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(value) if isinstance(value, str) else None
    except InvalidVersion:
        return None


def _has_table(data: dict[str, Any], *keys: str) -> bool:
    node: Any = data
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def _repository(root: str, config: Config, given: str | None) -> str:
    """``owner/name`` of the GitHub repository: the option, the configuration, then origin."""
    if given is not None:
        slug = given.removeprefix("https://github.com/").removesuffix(".git").strip("/")
        if not _OWNER_NAME_RE.match(slug):
            raise RelnotesError(
                f"--repository {given!r} is not OWNER/NAME", hint="e.g. --repository octo/sample"
            )
        return slug
    from relnotes import git
    from relnotes.notes import repository_url

    url = repository_url(config, git.remote_url(root)) or ""
    match = _GITHUB_RE.match(url)
    if match is None:
        where = f"the repository is {url}" if url else "no repository URL was found"
        raise RelnotesError(
            f"relnotes init writes GitHub Actions workflows, but {where}",
            hint="pass --repository OWNER/NAME (the GitHub repository that publishes)",
        )
    return f"{match[1]}/{match[2]}"


def _python_versions(requires: object) -> list[str]:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    from relnotes.scaffold.templates import DEFAULTS

    default: list[str] = list(DEFAULTS["python_versions"])
    try:
        spec = SpecifierSet(str(requires or ""))
    except InvalidSpecifier:
        return default
    versions = [
        f"3.{m}" for m in _KNOWN_MINORS if spec.contains(f"3.{m}.0") or spec.contains(f"3.{m}.99")
    ]
    return versions or default


def _test_command(root: str) -> str:
    """``make check`` where the Makefile has that target, else pytest on the installed package."""
    from relnotes.doctor import parse_makefile

    for name in ("GNUmakefile", "makefile", "Makefile"):
        text = _read(root, name)
        if text is not None:
            if "check" in parse_makefile(text):
                return "make check"
            break
    return DEFAULT_TEST_COMMAND


def _example_tag(tag_format: str) -> str:
    from relnotes.version import TagFormat

    return TagFormat(tag_format).tag_for("0.1.0")


def _render(template: str, /, **context: Any) -> str:
    from relnotes.config import Config
    from relnotes.render import environment

    return environment(Config()).get_template(f"scaffold/{template}").render(**context)


def _whole(root: str, relative: str, new: str) -> Change:
    old = _read(root, relative)
    if old is None:
        return Change(relative, "create", None, new)
    if old == new:
        return Change(relative, "keep", old, new)
    return Change(relative, "overwrite", old, new, ("it exists with other content",))


# --- pyproject.toml, in place --------------------------------------------------------------


def _pyproject(
    text: str,
    data: dict[str, Any],
    config: Config,
    package: str,
    slug: str,
    tag_format: str,
    tagged: list[Version],
) -> Change:
    import tomlkit

    from relnotes.version import TagFormat

    doc = tomlkit.parse(text)
    notes: list[str] = []
    conflicts: list[str] = []
    _build_system(doc, notes, conflicts)
    project = doc.get("project")
    if project is not None:
        if "version" in project:
            notes.append(f"[project] version = {project['version']!r} removed: tags give it now")
            static = _static_version(str(project["version"]))
            if static is not None and static not in tagged:
                tag = TagFormat(tag_format).tag_for(str(project["version"]))
                notes.append(
                    f"no tag names {static} yet: tag the current version so hatch-vcs finds it"
                    f" (git tag {tag})"
                )
            del project["version"]
        dynamic = project.get("dynamic")
        if dynamic is None:
            project["dynamic"] = tomlkit.array('["version"]')
        elif "version" not in dynamic:
            dynamic.append("version")
    _hatch_version(doc, tag_format, conflicts, notes)
    tool = _super_table(doc, "tool")
    relnotes = tool.get("relnotes")
    url = f"https://github.com/{slug}"
    if relnotes is None:
        relnotes = tomlkit.table()
        tool["relnotes"] = relnotes
    if "repository" not in relnotes and config.repository is None:
        relnotes["repository"] = url
    if "package" not in relnotes and package != (data.get("project") or {}).get("name"):
        relnotes["package"] = package
    new = tomlkit.dumps(doc)
    new = new if new.endswith("\n") else new + "\n"
    if new == text:
        return Change(PYPROJECT, "keep", text, new)
    if conflicts:
        return Change(PYPROJECT, "overwrite", text, new, tuple(conflicts + notes))
    return Change(PYPROJECT, "update", text, new, tuple(notes))


def _super_table(parent: Any, key: str) -> Any:
    import tomlkit

    table = parent.get(key)
    if table is None:
        table = tomlkit.table(is_super_table=True)
        parent[key] = table
    return table


def _build_system(doc: Any, notes: list[str], conflicts: list[str]) -> None:
    import tomlkit

    build = doc.get("build-system")
    if build is None:
        build = tomlkit.table()
        build["requires"] = tomlkit.array('["hatchling", "hatch-vcs"]')
        build["build-backend"] = "hatchling.build"
        doc["build-system"] = build
        return
    backend = build.get("build-backend")
    if backend != "hatchling.build":
        conflicts.append(f"[build-system] build-backend {backend!r} replaced by hatchling.build")
        build["build-backend"] = "hatchling.build"
    requires = build.get("requires")
    if requires is None:
        build["requires"] = tomlkit.array('["hatchling", "hatch-vcs"]')
        return
    names = {
        re.split(r"[\s<>=!~;\[(@]", str(r), maxsplit=1)[0].lower().replace("_", "-")
        for r in requires
    }
    for wanted in ("hatchling", "hatch-vcs"):
        if wanted not in names:
            requires.append(wanted)
    extra = sorted(names - {"hatchling", "hatch-vcs", ""})
    if extra:
        notes.append(
            f"[build-system] requires {', '.join(extra)} too: the release build installs only "
            ".github/build-requirements.txt (by hash); add them to build-requirements.in and "
            "run pip-compile --generate-hashes (the command is at the top of the .txt file)"
        )


def _hatch_version(doc: Any, tag_format: str, conflicts: list[str], notes: list[str]) -> None:
    import tomlkit

    from relnotes.doctor import reads_version
    from relnotes.version import TagFormat

    hatch = _super_table(_super_table(doc, "tool"), "hatch")
    version = hatch.get("version")
    if version is None:
        version = tomlkit.table()
        hatch["version"] = version
    source = version.get("source")
    if source is not None and source != "vcs":
        conflicts.append(f"[tool.hatch.version] source {source!r} replaced by 'vcs'")
    version["source"] = "vcs"
    for key in _REGEX_SOURCE_KEYS:
        if key in version:
            notes.append(
                f"[tool.hatch.version] {key} = {version[key]!r} removed: "
                "it belongs to the regex source, not vcs"
            )
            del version[key]
    raw = version.get("raw-options")
    if raw is None:
        raw = tomlkit.inline_table()
        version["raw-options"] = raw
    scheme = raw.get("local_scheme")
    if scheme not in LOCAL_SCHEMES:
        if scheme is not None:
            conflicts.append(f"local_scheme {scheme!r} replaced by 'no-local-version'")
        raw["local_scheme"] = "no-local-version"
    sample = TagFormat(tag_format).tag_for("1.2.3")
    if "tag-pattern" not in version and not reads_version(None, sample):
        prefix = re.escape(tag_format.split("$", 1)[0])
        version["tag-pattern"] = f"^{prefix}(?P<version>.+)$"


# --- .pre-commit-config.yaml ---------------------------------------------------------------


def _hook_rev() -> str:
    from packaging.version import InvalidVersion, Version

    import relnotes

    try:
        version = Version(str(relnotes.__version__))
    except InvalidVersion:
        return "main"
    return "main" if version.is_devrelease or version.local else f"v{version}"


def _pre_commit(root: str) -> Change:
    entry = _render("pre-commit-entry.yaml.jinja", rev=_hook_rev())
    old = _read(root, PRE_COMMIT)
    if old is None:
        indented = "".join(f"  {line}" for line in entry.splitlines(keepends=True))
        return Change(
            PRE_COMMIT, "create", None, _render("pre-commit-config.yaml.jinja", entry=indented)
        )
    if re.search(r"^\s*-?\s*id:\s*relnotes\s*(#.*)?$", old, re.MULTILINE):
        return Change(PRE_COMMIT, "keep", old, old)
    new = _insert_hook(old, entry)
    if new is None:
        return Change(
            PRE_COMMIT,
            "overwrite",
            old,
            _render(
                "pre-commit-config.yaml.jinja",
                entry="".join(f"  {line}" for line in entry.splitlines(keepends=True)),
            ),
            ("its `repos:` could not be extended in place",),
        )
    return Change(PRE_COMMIT, "update", old, new, ("relnotes' commit-msg hook added",))


def _insert_hook(text: str, entry: str) -> str | None:
    """``text`` with ``entry`` as the first item of ``repos:`` (``None`` when unsure)."""
    import yaml

    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    index = next((i for i, line in enumerate(lines) if re.match(r"^repos:", line)), None)
    if index is None:
        lines.append("repos:\n")
        index = len(lines) - 1
    elif re.match(r"^repos:\s*\[\s*\]\s*(#.*)?$", lines[index]):
        lines[index] = "repos:\n"
    indent = "  "
    for line in lines[index + 1 :]:
        if line.strip() and not line.lstrip().startswith("#"):
            found = re.match(r"^(\s*)-", line)
            indent = found[1] if found else "  "
            break
    lines[index + 1 : index + 1] = [f"{indent}{line}" for line in entry.splitlines(keepends=True)]
    types = next(
        (i for i, line in enumerate(lines) if line.startswith("default_install_hook_types:")), None
    )
    if types is None:
        start = next((i for i, line in enumerate(lines) if not line.startswith("#")), 0)
        lines.insert(start, HOOK_TYPES)
    elif "commit-msg" not in lines[types]:
        listed = re.match(r"^default_install_hook_types:\s*\[(.*)\]\s*(#.*)?$", lines[types])
        if listed is None:
            return None
        items = [item.strip() for item in listed[1].split(",") if item.strip()]
        lines[types] = f"default_install_hook_types: [{', '.join([*items, 'commit-msg'])}]\n"
    new = "".join(lines)
    try:
        data = yaml.safe_load(new)
    except yaml.YAMLError:
        return None
    repos = data.get("repos") if isinstance(data, dict) else None
    if not isinstance(repos, list) or not any(
        isinstance(r, dict) and r.get("repo", "").endswith("/relnotes") for r in repos
    ):
        return None
    return new
