"""Configuration: ``[tool.relnotes]`` in pyproject.toml, over the keys commitizen defines.

Commitizen's own keys (``tag_format``, ``version_scheme``, ``major_version_zero``,
``changelog_file`` …) are read from the first of ``.cz.toml``, ``cz.toml``, ``.cz.json``,
``cz.json``, ``.cz.yaml``, ``cz.yaml`` and ``pyproject.toml`` that holds a commitizen section
(commitizen's own order), so a commitizen project needs no second configuration;
``[tool.relnotes]`` may set any key and wins. Unknown ``[tool.relnotes]`` keys are errors.

- :mod:`~relnotes.config.keys`: every key, its type, default and meaning, and :class:`Config`;
- :mod:`~relnotes.config.files`: reading pyproject.toml and commitizen's files;
- here: :func:`load_config`, which puts them together (and the hook's cache of it).

This package is on the commit-msg hook path: it imports ``tomllib`` (or PyYAML, for a
``.cz.yaml``) only when there is a file to read, which the hook does only when its cache is
stale, and nothing heavier.
"""

from __future__ import annotations

import os

from relnotes.config.files import (
    CZ_FILES,
    MAX_CONFIG_BYTES,
    config_text,
    find_root,
    parse_toml,
    read_json,
    read_toml,
    read_yaml,
    table,
)
from relnotes.config.keys import (
    BOTS,
    CZ_BUMP_MESSAGE,
    CZ_KEYS,
    DEFAULT_SECTIONS,
    KEYS,
    RELEASE_MESSAGE,
    RELEASE_VALUES,
    STANDARD_TYPES,
    Config,
    bump_pattern,
    checked,
    did_you_mean,
    template_pattern,
)
from relnotes.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "BOTS",
    "CZ_BUMP_MESSAGE",
    "CZ_FILES",
    "CZ_KEYS",
    "DEFAULT_SECTIONS",
    "KEYS",
    "MAX_CONFIG_BYTES",
    "RELEASE_MESSAGE",
    "RELEASE_VALUES",
    "STANDARD_TYPES",
    "Config",
    "bump_pattern",
    "config_text",
    "find_root",
    "load_config",
    "parse_toml",
    "template_pattern",
]


def load_config(start: str = ".", *, cached: bool = False) -> Config:
    """Read the configuration of the project at or above ``start``.

    ``cached`` (the commit-msg hook) keeps what was read in ``.git/relnotes-config.cache``,
    keyed by the configuration files' sizes and times, so that the hook, which runs on every
    commit, does not import a TOML parser each time.
    """
    root = find_root(start)
    if not cached:
        return _build(root, _read_values(root))
    import marshal

    git_dirs = _git_dirs(root)
    key = _cache_key(root, git_dirs)
    cache = os.path.join(git_dirs[0], "relnotes-config.cache")
    try:
        with open(cache, "rb") as handle:
            stored_key, values = marshal.load(handle)
        if stored_key == key:
            return _build(root, values)
    except (OSError, ValueError, EOFError, TypeError):
        pass
    values = _read_values(root)
    values["comment_char"] = _git_comment_char(root)
    if os.path.isdir(os.path.dirname(cache)):
        try:
            temp = f"{cache}.{os.getpid()}"
            with open(temp, "wb") as handle:
                marshal.dump((key, values), handle)  # type: ignore[arg-type]
            os.replace(temp, cache)
        except (OSError, ValueError):
            pass  # a read-only .git: no cache, no harm
    return _build(root, values)


#: Bumped when what the cache holds changes shape.
_CACHE_VERSION = 4


def _git_dirs(root: str) -> list[str]:
    """The repository's git folder, then its common folder if it differs.

    ``.git`` is a folder, or in a worktree or a submodule a file saying ``gitdir: PATH``;
    a worktree's folder names the shared one in its ``commondir`` file.
    """
    dot_git = os.path.join(root, ".git")
    if not os.path.isfile(dot_git):
        return [dot_git]
    try:
        with open(dot_git, encoding="utf-8") as handle:
            line = handle.readline().strip()
    except (OSError, UnicodeDecodeError):
        return [dot_git]
    if not line.startswith("gitdir:"):
        return [dot_git]
    git_dir = os.path.join(root, line.removeprefix("gitdir:").strip())
    try:
        with open(os.path.join(git_dir, "commondir"), encoding="utf-8") as handle:
            common = os.path.join(git_dir, handle.readline().strip())
    except (OSError, UnicodeDecodeError):
        return [git_dir]
    return [git_dir, common]


def _cache_key(root: str, git_dirs: list[str]) -> tuple[object, ...]:
    """The size, time and inode of every file the cached values come from."""
    home = os.path.expanduser("~")
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    paths = [os.path.join(root, name) for name in ("pyproject.toml", *CZ_FILES)]
    names = ("config", "config.worktree")  # core.commentChar
    paths += [os.path.join(folder, name) for folder in git_dirs for name in names]
    paths += [
        os.environ.get("GIT_CONFIG_GLOBAL") or os.path.join(home, ".gitconfig"),
        os.path.join(xdg, "git", "config"),
    ]
    stamps: list[object] = [_CACHE_VERSION, os.environ.get("GIT_CONFIG_GLOBAL")]
    for path in paths:
        try:
            info = os.stat(path)
            stamps.append((path, info.st_mtime_ns, info.st_size, info.st_ino))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def _git_comment_char(root: str) -> str:
    """git's core.commentChar, asked only when the cache is stale (git runs in git.py)."""
    from relnotes import git

    return git.comment_char(root)


def _commitizen_settings(
    root: str, pyproject: Mapping[str, object]
) -> tuple[dict[str, object] | None, str]:
    """The commitizen section of the first file that has one, as commitizen picks it."""
    for name in CZ_FILES:
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            continue
        if name.endswith(".toml"):
            data = read_toml(path)
            section = table(data, "tool").get("commitizen", data.get("commitizen"))
        else:
            data = read_json(path) if name.endswith(".json") else read_yaml(path)
            section = data.get("commitizen")
        if isinstance(section, dict):
            return section, name
    section = table(pyproject, "tool").get("commitizen")
    if isinstance(section, dict):
        return section, "pyproject.toml"
    return None, "pyproject.toml"


def _read_values(root: str) -> dict[str, object]:
    """Everything a Config is made of, as plain data (so that it can be cached): the
    keyword arguments of :class:`Config` but its root."""
    pyproject_path = os.path.join(root, "pyproject.toml")
    pyproject = read_toml(pyproject_path) if os.path.isfile(pyproject_path) else {}

    commitizen, where = _commitizen_settings(root, pyproject)
    values: dict[str, object] = {}
    for key, value in (commitizen or {}).items():
        if key in CZ_KEYS:
            values[key] = checked(key, value, f"{where} [tool.commitizen]")
    ours = table(pyproject, "tool", "relnotes")
    for key, value in ours.items():
        if key not in KEYS:
            raise ConfigError(
                f"unknown key {key!r} in pyproject.toml [tool.relnotes]",
                hint=did_you_mean(key, KEYS) or "see the configuration reference in README",
            )
        values[key] = checked(key, value, "pyproject.toml [tool.relnotes]")

    check: dict[str, object] | None = None
    if commitizen is not None:
        check = _commitizen_check(commitizen, f"{where} [tool.commitizen]")
        limit = check.get("message_length_limit")
        if isinstance(limit, int) and "header_max_length" not in ours:
            values["header_max_length"] = limit

    project = table(pyproject, "project")
    package = project.get("name")
    if values.get("package") is None and isinstance(package, str):
        values["package"] = package
    values["configured"] = list(values)
    values["commitizen"] = where if commitizen is not None else None
    values["commitizen_check"] = check
    static = project.get("version")
    values["static_version"] = static if isinstance(static, str) else None
    urls = project.get("urls")
    if isinstance(urls, dict):
        values["project_urls"] = {str(k): v for k, v in urls.items() if isinstance(v, str)}
    return values


#: commitizen settings that `relnotes check` follows, and their types.
CZ_CHECK_KEYS: dict[str, type] = {
    "name": str,
    "bump_message": str,
    "allowed_prefixes": list,
    "message_length_limit": int,
}


def _commitizen_check(settings: dict[str, object], source: str) -> dict[str, object]:
    """What the check takes from commitizen: its rule set (``name``), the bump commit's
    message, the prefixes it lets through, its header limit and a ``customize`` schema."""
    found: dict[str, object] = {}
    for key, kind in CZ_CHECK_KEYS.items():
        if key not in settings:
            continue
        value = settings[key]
        if (
            not isinstance(value, kind)
            or isinstance(value, bool)
            or (isinstance(value, list) and not all(isinstance(i, str) for i in value))
        ):
            wanted = "a list of strings" if kind is list else f"a {kind.__name__}"
            raise ConfigError(
                f"{source}: {key} must be {wanted}, not {value!r}",
                hint="commitizen reads this key too: see its configuration reference",
            )
        found[key] = value
    pattern = table(settings, "customize").get("schema_pattern")
    if isinstance(pattern, str):
        found["schema_pattern"] = pattern
    return found


def _build(root: str, values: dict[str, object]) -> Config:
    """A Config from what :func:`_read_values` read (checked there, or cached from it)."""
    return Config(root, **values)  # type: ignore[arg-type]
