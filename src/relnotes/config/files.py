"""Reading the files a project keeps its settings in: pyproject.toml, commitizen's files
(TOML, JSON or YAML). Every way one can be unreadable (too large, not UTF-8, not TOML/JSON/YAML,
nested past what a parser follows) is one :class:`~relnotes.errors.ConfigError`; the doctor and
``relnotes init`` read TOML through :func:`parse_toml` too.

On the commit-msg hook path: ``tomllib`` and PyYAML are imported only when a file is read.
"""

from __future__ import annotations

import os

from relnotes.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

#: Files commitizen reads its configuration from, in its own order of preference (then
#: pyproject.toml's [tool.commitizen]); the first that holds a commitizen section is used.
CZ_FILES = (".cz.toml", "cz.toml", ".cz.json", "cz.json", ".cz.yaml", "cz.yaml")


def find_root(start: str) -> str:
    """The nearest folder at or above ``start`` that holds pyproject.toml, a cz file or .git."""
    here = os.path.abspath(start)
    markers = ("pyproject.toml", *CZ_FILES, ".git")
    while True:
        if any(os.path.exists(os.path.join(here, m)) for m in markers):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return os.path.abspath(start)
        here = parent


#: A configuration file larger than this is not one (pyproject.toml files are a few KiB).
MAX_CONFIG_BYTES = 16 << 20


def read_bytes(path: str) -> bytes:
    """A configuration file's bytes, at most :data:`MAX_CONFIG_BYTES` of them."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(
            f"{os.path.basename(path)}: cannot read {path}: {exc.strerror}",
            hint="make the file readable, or remove it",
        ) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"{os.path.basename(path)} is larger than {MAX_CONFIG_BYTES >> 20} MiB: "
            "not a configuration file relnotes reads",
            hint=f"check what {path} holds",
        )
    return data


def config_text(data: bytes, path: str) -> str:
    """The text of a configuration file; a ConfigError when it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{os.path.basename(path)} is not UTF-8 text "
            f"(byte {exc.object[exc.start]:#04x} at offset {exc.start})",
            hint=f"save {path} as UTF-8",
        ) from None


def _too_deep(path: str, kind: str) -> ConfigError:
    return ConfigError(
        f"{os.path.basename(path)} nests too deeply to read as {kind}",
        hint=f"a configuration file needs a few levels of tables: fix {path}",
    )


def parse_toml(data: bytes | str, path: str) -> dict[str, object]:
    """A TOML file's content as data; every way it can be unreadable is a ConfigError
    (not UTF-8, not TOML, nested past what the parser can follow)."""
    import tomllib

    text = config_text(data, path) if isinstance(data, bytes) else data
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{os.path.basename(path)} is not valid TOML: {exc}",
            hint=f"fix the syntax in {path}",
        ) from None
    except RecursionError:
        raise _too_deep(path, "TOML") from None


def read_toml(path: str) -> dict[str, object]:
    """A TOML file read and parsed (:func:`parse_toml`)."""
    return parse_toml(read_bytes(path), path)


def read_json(path: str) -> dict[str, object]:
    """A JSON file's object (anything else reads as empty)."""
    import json

    text = config_text(read_bytes(path), path)
    try:
        data = json.loads(text)
    except RecursionError:
        raise _too_deep(path, "JSON") from None
    except ValueError as exc:
        raise ConfigError(
            f"{os.path.basename(path)} is not valid JSON: {exc}", hint=f"fix the syntax in {path}"
        ) from None
    return data if isinstance(data, dict) else {}


def read_yaml(path: str) -> dict[str, object]:
    """A YAML file's mapping, read safely (anything else reads as empty)."""
    try:
        import yaml  # PyYAML arrives with commitizen; only a .cz.yaml needs it
    except ImportError:  # pragma: no cover - commitizen depends on it
        raise ConfigError(
            f"{os.path.basename(path)}: cannot read {path}: PyYAML is not installed",
            hint="pip install pyyaml",
        ) from None
    text = config_text(read_bytes(path), path)
    try:
        data = yaml.safe_load(text)
    except RecursionError:
        raise _too_deep(path, "YAML") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = getattr(exc, "problem", None) or str(exc).split("\n", 1)[0] or "invalid"
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ConfigError(
            f"{os.path.basename(path)} is not valid YAML: {detail}{where}",
            hint=f"fix the syntax in {path}",
        ) from None
    return data if isinstance(data, dict) else {}


def table(data: Mapping[str, object], *path: str) -> dict[str, object]:
    """The table at ``path`` (``"tool", "relnotes"``), empty where there is none."""
    node: object = data
    for key in path:
        if not isinstance(node, dict):
            return {}
        node = node.get(key, {})
    return node if isinstance(node, dict) else {}
