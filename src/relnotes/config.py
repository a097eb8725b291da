"""Configuration: ``[tool.relnotes]`` in pyproject.toml, over the keys commitizen defines.

Commitizen's own keys (``tag_format``, ``version_scheme``, ``major_version_zero``,
``changelog_file`` …) are read from the first of ``.cz.toml``, ``cz.toml``, ``.cz.json``,
``cz.json``, ``.cz.yaml``, ``cz.yaml`` and ``pyproject.toml`` that holds a commitizen section
(commitizen's own order), so a commitizen project needs no second configuration;
``[tool.relnotes]`` may set any key and wins. Unknown ``[tool.relnotes]`` keys are errors.

This module is on the commit-msg hook path: it imports ``tomllib`` (or PyYAML, for a
``.cz.yaml``) only when there is a file to read, which the hook does only when its cache is
stale, and nothing heavier.
"""

from __future__ import annotations

import os
import re

from relnotes.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

#: Files commitizen reads its configuration from, in its own order of preference (then
#: pyproject.toml's [tool.commitizen]); the first that holds a commitizen section is used.
CZ_FILES = (".cz.toml", "cz.toml", ".cz.json", "cz.json", ".cz.yaml", "cz.yaml")
#: commitizen's bump commit message when ``bump_message`` is not set (commitizen.defaults).
CZ_BUMP_MESSAGE = "bump: version $current_version \u2192 $new_version"

#: The release commit ``relnotes tag`` makes for the changelog ($tag, $version, $previous_tag).
RELEASE_MESSAGE = "chore(release): $tag"
#: Authors that are bots, not people (searched in the name and the e-mail, any case):
#: GitHub apps (``dependabot[bot]``), Renovate, the Actions bot, pre-commit.ci.
BOTS = (
    r"\[bot\]|[-_ ]bot$|^(dependabot|renovate|github-actions|pre-commit-ci)\b"
    r"|^(action@github\.com|bot@renovateapp\.com)$"
)

#: Every type that decides a bump has a section: a release never bumps for a reason its
#: notes do not show (``refactor`` too, as commitizen's changelog shows it).
DEFAULT_SECTIONS: dict[str, str] = {
    "feat": "Features",
    "fix": "Fixes",
    "perf": "Performance",
    "refactor": "Refactoring",
    "revert": "Reverts",
    "docs": "Documentation",
}
#: Conventional types every project may use (the Angular convention, as commitlint knows it).
STANDARD_TYPES = (
    "build",
    "chore",
    "ci",
    "docs",
    "feat",
    "fix",
    "perf",
    "refactor",
    "revert",
    "style",
    "test",
)

#: key -> (expected type(s), default, what it is for). The README's reference comes from here.
KEYS: dict[str, tuple[tuple[type, ...], object, str]] = {
    "tag_format": ((str,), "v$version", "how a version becomes a tag ($version, $major …)"),
    "legacy_tag_formats": ((list,), [], "older tag formats that still count as versions"),
    "ignored_tag_formats": (
        (list,),
        [],
        "tag formats that are not this project's versions (`*` for any text): no warning",
    ),
    "version_scheme": ((str,), "pep440", "pep440, semver or semver2 (commitizen's schemes)"),
    "major_version_zero": ((bool,), False, "a breaking change in 0.x bumps the minor"),
    "version": ((str,), None, "the current version while there is no version tag yet"),
    "initial_version": ((str,), "0.1.0", "the first release's version when there is no tag"),
    "changelog_file": ((str,), "CHANGELOG.md", "the changelog `relnotes changelog` writes"),
    "changelog_incremental": ((bool,), True, "update the changelog in place (false: rebuild)"),
    "unreleased_version": ((str,), None, "title of unreleased changes (default: Unreleased)"),
    "changelog_start_rev": ((str,), None, "the oldest tag the changelog lists"),
    "changelog_merge_prerelease": (
        (bool,),
        False,
        "the changelog folds pre-releases into their final release (true) or keeps their "
        "sections apart (false); unset: as the file already does",
    ),
    "package": ((str,), None, "the PyPI name (default: [project].name)"),
    "repository": ((str,), None, "repository URL (default: [project.urls], then origin)"),
    "sections": ((dict,), DEFAULT_SECTIONS, "type -> section title, in order; others hidden"),
    "breaking_title": ((str,), "Breaking changes", "title of the breaking-changes section"),
    "other_section": ((str,), "", "title for non-conventional commits (empty: not listed)"),
    "types": ((list,), [], "more commit types the linter accepts (besides the standard ones)"),
    "scopes": ((list,), [], "the scopes the linter accepts (empty: any)"),
    "scope_required": ((bool,), False, "the linter asks every commit for a scope"),
    "header_max_length": ((int,), 100, "the longest header the linter accepts (0: no limit)"),
    "template_dir": ((str,), None, "a folder whose templates override the built-in ones"),
    "notes_template": ((str,), "notes.md.jinja", "the release body template (name or path)"),
    "changelog_template": ((str,), "changelog.md.jinja", "the changelog's release blocks"),
    "bump_message": (
        (str,),
        None,
        "the message of commitizen's bump commits, which stay out of the notes",
    ),
    "version_provider": ((str,), None, "where commitizen keeps the version (pep621, poetry …)"),
    "release_branch": (
        (str,),
        None,
        "the branch `relnotes tag` tags on (default: the remote's HEAD branch, else main)",
    ),
    "release_message": (
        (str,),
        RELEASE_MESSAGE,
        "the message of the changelog commit `relnotes tag` makes ($tag, $version, $previous_tag)",
    ),
    "contributors": ((bool,), True, "each release lists who made it (false: no one)"),
    "contributors_exclude": (
        (str,),
        BOTS,
        "a regular expression: authors whose name or e-mail it matches are not credited",
    ),
    "version_files": ((list,), [], "files `cz bump` writes the version into (path[:regex])"),
}
CZ_KEYS = frozenset(
    {
        "tag_format",
        "legacy_tag_formats",
        "ignored_tag_formats",
        "version_scheme",
        "major_version_zero",
        "version",
        "changelog_file",
        "changelog_incremental",
        "unreleased_version",
        "changelog_start_rev",
        "changelog_merge_prerelease",
        "bump_message",
        "version_provider",
        "version_files",
    }
)


class Config:
    """The settings in force for one project (defaults, then commitizen's, then ours)."""

    tag_format: str
    legacy_tag_formats: list[str]
    ignored_tag_formats: list[str]
    version_scheme: str
    major_version_zero: bool
    version: str | None
    initial_version: str
    changelog_file: str
    changelog_incremental: bool
    unreleased_version: str | None
    changelog_start_rev: str | None
    changelog_merge_prerelease: bool
    package: str | None
    repository: str | None
    sections: dict[str, str]
    breaking_title: str
    other_section: str
    types: list[str]
    scopes: list[str]
    scope_required: bool
    header_max_length: int
    template_dir: str | None
    notes_template: str
    changelog_template: str
    bump_message: str | None
    version_provider: str | None
    version_files: list[str]
    release_branch: str | None
    release_message: str
    contributors: bool
    contributors_exclude: str

    def __init__(self, root: str | None = None, **values: object) -> None:
        #: the folder the configuration was read from (where pyproject.toml lives)
        self.root = root
        #: the package's [project.urls], for links
        self.project_urls: dict[str, str] = {}
        #: [project].version when the version is written in pyproject.toml (not from git)
        self.static_version: str | None = None
        #: git's core.commentChar (read with the hook's cached configuration)
        self.comment_char = "#"
        #: where commitizen's settings were read ("cz.toml", "pyproject.toml"), None: nowhere
        self.commitizen: str | None = None
        #: commitizen's settings for commit checks, in a project that configures commitizen
        self.commitizen_check: dict[str, object] | None = None
        #: the keys a configuration file set (the others are defaults)
        self.configured = frozenset(k for k in values if k in KEYS)
        for key, (_types, default, _doc) in KEYS.items():
            value = values.get(key, default)
            setattr(self, key, list(value) if isinstance(value, list) else value)
        self._bump_re: re.Pattern[str] | None = None
        self._release_re: re.Pattern[str] | None = None

    @property
    def allowed_types(self) -> tuple[str, ...]:
        extra = [t for t in (*self.sections, *self.types) if t not in STANDARD_TYPES]
        return (*STANDARD_TYPES, *extra)

    @property
    def bump_template(self) -> str | None:
        """The message commitizen's bump commits have here: ``bump_message``, else
        commitizen's default in a project with commitizen configuration, else ``None``."""
        if self.bump_message:
            return self.bump_message
        return CZ_BUMP_MESSAGE if self.commitizen else None

    def is_bump_commit(self, header: str) -> bool:
        """Whether a header is the first line of one of commitizen's bump commits
        (``bump: version 1.2.0 \u2192 1.3.0``); its versions may be any text without spaces."""
        template = self.bump_template
        if template is None:
            return False
        if self._bump_re is None:
            self._bump_re = bump_pattern(template)
        return self._bump_re.fullmatch(header.strip()) is not None

    def is_release_commit(self, header: str) -> bool:
        """Whether a header is the first line of the changelog commit ``relnotes tag`` makes
        (``release_message``: ``chore(release): v1.3.0``); its values may be any text without
        spaces."""
        if self._release_re is None:  # white space around it allowed: no strip() per commit
            found = template_pattern(self.release_message, RELEASE_VALUES).pattern
            self._release_re = re.compile(rf"\s*(?:{found})\s*")
        return self._release_re.fullmatch(header) is not None

    @property
    def version_in_files(self) -> str | None:
        """How `cz bump` keeps the version in files, in words, or ``None`` (from the tags).

        ``version_files``, a ``version_provider`` other than ``scm``, or commitizen's own
        provider with a ``version`` in the commitizen settings.
        """
        if self.version_files:
            return "version_files = [" + ", ".join(repr(f) for f in self.version_files) + "]"
        provider = self.version_provider
        if provider and provider != "scm":
            return f"version_provider = {provider!r}"
        if provider is None and self.commitizen and self.version:
            return f"version = {self.version!r} in {self.commitizen}"
        return None


#: The values a ``release_message`` may name (commitizen's two names mean the same).
RELEASE_VALUES = ("tag", "version", "previous_tag", "new_version", "current_version")


def bump_pattern(template: str) -> re.Pattern[str]:
    """A pattern for the first line of ``template`` with ``$current_version`` and
    ``$new_version`` (or ``${…}``) standing for any text without spaces."""
    return template_pattern(template, ("current_version", "new_version"))


def template_pattern(template: str, names: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern for the first line of ``template`` whose ``$name`` (or ``${name}``) values,
    for each of ``names``, stand for any text without spaces."""
    first = template.strip().splitlines()[0].strip() if template.strip() else ""
    parts: list[str] = []
    position = 0
    alternatives = "|".join(sorted(names, key=len, reverse=True))
    for match in re.finditer(rf"\$\{{?({alternatives})\b\}}?", first):
        parts.append(re.escape(first[position : match.start()]))
        parts.append(r"\S+")
        position = match.end()
    parts.append(re.escape(first[position:]))
    return re.compile("".join(parts))


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


def _read_bytes(path: str) -> bytes:
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


def _read_toml(path: str) -> dict[str, object]:
    return parse_toml(_read_bytes(path), path)


def _read_json(path: str) -> dict[str, object]:
    import json

    text = config_text(_read_bytes(path), path)
    try:
        data = json.loads(text)
    except RecursionError:
        raise _too_deep(path, "JSON") from None
    except ValueError as exc:
        raise ConfigError(
            f"{os.path.basename(path)} is not valid JSON: {exc}", hint=f"fix the syntax in {path}"
        ) from None
    return data if isinstance(data, dict) else {}


def _read_yaml(path: str) -> dict[str, object]:
    try:
        import yaml  # PyYAML arrives with commitizen; only a .cz.yaml needs it
    except ImportError:  # pragma: no cover - commitizen depends on it
        raise ConfigError(
            f"{os.path.basename(path)}: cannot read {path}: PyYAML is not installed",
            hint="pip install pyyaml",
        ) from None
    text = config_text(_read_bytes(path), path)
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


def _commitizen_settings(
    root: str, pyproject: Mapping[str, object]
) -> tuple[dict[str, object] | None, str]:
    """The commitizen section of the first file that has one, as commitizen picks it."""
    for name in CZ_FILES:
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            continue
        if name.endswith(".toml"):
            data = _read_toml(path)
            section = _table(data, "tool").get("commitizen", data.get("commitizen"))
        else:
            data = _read_json(path) if name.endswith(".json") else _read_yaml(path)
            section = data.get("commitizen")
        if isinstance(section, dict):
            return section, name
    section = _table(pyproject, "tool").get("commitizen")
    if isinstance(section, dict):
        return section, "pyproject.toml"
    return None, "pyproject.toml"


def _table(data: Mapping[str, object], *path: str) -> dict[str, object]:
    node: object = data
    for key in path:
        if not isinstance(node, dict):
            return {}
        node = node.get(key, {})
    return node if isinstance(node, dict) else {}


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
    values["@comment_char"] = _git_comment_char(root)
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
_CACHE_VERSION = 3


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


def _read_values(root: str) -> dict[str, object]:
    """Everything a Config is made of, as plain data (so that it can be cached)."""
    pyproject_path = os.path.join(root, "pyproject.toml")
    pyproject = _read_toml(pyproject_path) if os.path.isfile(pyproject_path) else {}

    commitizen, where = _commitizen_settings(root, pyproject)
    values: dict[str, object] = {}
    for key, value in (commitizen or {}).items():
        if key in CZ_KEYS:
            values[key] = _checked(key, value, f"{where} [tool.commitizen]")
    ours = _table(pyproject, "tool", "relnotes")
    for key, value in ours.items():
        if key not in KEYS:
            raise ConfigError(
                f"unknown key {key!r} in pyproject.toml [tool.relnotes]",
                hint=_did_you_mean(key, KEYS) or "see the configuration reference in README",
            )
        values[key] = _checked(key, value, "pyproject.toml [tool.relnotes]")

    if commitizen is not None:
        values["@commitizen"] = where
        check = _commitizen_check(commitizen, f"{where} [tool.commitizen]")
        values["@commitizen_check"] = check
        limit = check.get("message_length_limit")
        if isinstance(limit, int) and "header_max_length" not in ours:
            values["header_max_length"] = limit

    project = _table(pyproject, "project")
    package = project.get("name")
    if values.get("package") is None and isinstance(package, str):
        values["package"] = package
    static = project.get("version")
    if isinstance(static, str):
        values["@static_version"] = static
    urls = project.get("urls")
    if isinstance(urls, dict):
        values["@project_urls"] = {str(k): v for k, v in urls.items() if isinstance(v, str)}
    return values


#: commitizen settings that `relnotes check` follows, and their types.
CZ_CHECK_KEYS: dict[str, type] = {
    "name": str,
    "bump_message": str,
    "allowed_prefixes": list,
    "message_length_limit": int,
}


def _commitizen_check(table: dict[str, object], source: str) -> dict[str, object]:
    """What the check takes from commitizen: its rule set (``name``), the bump commit's
    message, the prefixes it lets through, its header limit and a ``customize`` schema."""
    found: dict[str, object] = {}
    for key, kind in CZ_CHECK_KEYS.items():
        if key not in table:
            continue
        value = table[key]
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
    pattern = _table(table, "customize").get("schema_pattern")
    if isinstance(pattern, str):
        found["schema_pattern"] = pattern
    return found


def _build(root: str, values: dict[str, object]) -> Config:
    plain = {k: v for k, v in values.items() if not k.startswith("@")}
    config = Config(root, **plain)
    static = values.get("@static_version")
    config.static_version = static if isinstance(static, str) else None
    urls = values.get("@project_urls")
    config.project_urls = dict(urls) if isinstance(urls, dict) else {}
    check = values.get("@commitizen_check")
    config.commitizen_check = dict(check) if isinstance(check, dict) else None
    comment = values.get("@comment_char")
    config.comment_char = comment if isinstance(comment, str) else "#"
    commitizen = values.get("@commitizen")
    config.commitizen = commitizen if isinstance(commitizen, str) else None
    return config


def _checked(key: str, value: object, source: str) -> object:
    types, _default, doc = KEYS[key]
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        wanted = " or ".join(
            {"str": "a string", "bool": "true or false", "int": "a number"}.get(
                t.__name__, f"a {t.__name__}"
            )
            for t in types
        )
        raise ConfigError(
            f"{source}: {key} must be {wanted}, not {_shown(value)}", hint=f"{key}: {doc}"
        )
    if key == "version_scheme" and value not in ("pep440", "semver", "semver2"):
        raise ConfigError(
            f"{source}: unknown version_scheme {value!r}",
            hint="use pep440, semver or semver2",
        )
    if key == "tag_format" and isinstance(value, str) and not _has_version(value):
        raise ConfigError(
            f"{source}: tag_format {value!r} has no $version",
            hint='write it like "v$version"',
        )
    if key == "contributors_exclude" and isinstance(value, str):
        try:
            re.compile(value)
        except re.error as exc:
            raise ConfigError(
                f"{source}: contributors_exclude is not a regular expression: {exc}",
                hint=doc,
            ) from None
    if key == "sections" and isinstance(value, dict):
        for type_, title in value.items():
            if not isinstance(title, str):
                raise ConfigError(
                    f"{source}: sections.{type_} must be a title string, not {_shown(title)}",
                    hint='sections = { feat = "Features", fix = "Fixes" }',
                )
        return {str(k).lower(): v for k, v in value.items()}
    listed = key in (
        "types",
        "scopes",
        "legacy_tag_formats",
        "ignored_tag_formats",
        "version_files",
    )
    if listed and not all(isinstance(item, str) for item in value):  # type: ignore[attr-defined]
        raise ConfigError(f"{source}: {key} must be a list of strings", hint=doc)
    if key == "types":
        odd = [t for t in value if not t.isascii() or not t.isalnum()]  # type: ignore[attr-defined]
        if odd:
            raise ConfigError(
                f"{source}: types {odd[0]!r} is no type: a type is letters and digits",
                hint="Conventional Commits types are single words (wip, deps, i18n)",
            )
    return value


def _shown(value: object) -> str:
    """A value as an error message shows it: short, whatever its size or nesting (a YAML
    alias bomb must not be written out)."""
    import reprlib

    shorter = reprlib.Repr()  # keyword arguments came in Python 3.12
    shorter.maxlevel, shorter.maxstring, shorter.maxother = 2, 60, 60
    shorter.maxlist = shorter.maxdict = shorter.maxtuple = shorter.maxset = 4
    return " ".join(shorter.repr(value).split())


def _has_version(tag_format: str) -> bool:
    return any(p in tag_format for p in ("$version", "${version}", "$major", "${major}"))


def _did_you_mean(word: str, choices: Mapping[str, object]) -> str | None:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean {close[0]!r}?" if close else None
