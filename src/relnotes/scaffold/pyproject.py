"""pyproject.toml as `relnotes init` reads and edits it: checked for the shapes it edits, then
edited in place with tomlkit (comments and order kept) so the version comes from the tags."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from relnotes.doctor import LOCAL_SCHEMES, reads_version, requirement_names
from relnotes.errors import ConfigError
from relnotes.scaffold.changes import Change
from relnotes.scaffold.detect import static_version

if TYPE_CHECKING:
    from packaging.version import Version

    from relnotes.config import Config

PYPROJECT = "pyproject.toml"
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


def check_shapes(data: dict[str, Any]) -> None:
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


def has_table(data: dict[str, Any], *keys: str) -> bool:
    node: Any = data
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def edit_pyproject(
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
            static = static_version(str(project["version"]))
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
    names = requirement_names(list(requires))
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
