"""Versions: which tags are versions, and the next version, through commitizen's schemes.

Tags are matched against ``tag_format`` and read with ``packaging`` (PEP 440, which also reads
SemVer spellings: ``v1.2.0-rc.1`` and ``v1.2.0rc1`` are the same version). The bump itself is
commitizen's (``pep440``, ``semver``, ``semver2``), imported only when a bump is computed.
"""

from __future__ import annotations

import functools
import os
import re
from typing import TYPE_CHECKING, Literal

from packaging.version import InvalidVersion, Version

from relnotes.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Callable, Container, Iterable, Iterator, Sequence

    from relnotes.config import Config
    from relnotes.models import Commit

__all__ = [
    "INCREMENTS",
    "Bump",
    "Increment",
    "TagFormat",
    "Version",
    "next_version",
    "pep440",
    "version_like",
]

Increment = Literal["MAJOR", "MINOR", "PATCH"]
INCREMENTS: tuple[Increment, ...] = ("MAJOR", "MINOR", "PATCH")
#: Which commit types bump which part (commitizen's conventional_commits bump map).
BUMP_TYPES: dict[str, Increment] = {
    "feat": "MINOR",
    "fix": "PATCH",
    "refactor": "PATCH",
    "perf": "PATCH",
    "revert": "PATCH",  # undoing a released change is a change users see
}

_PLACEHOLDERS = {
    "version": r"(?P<version>[0-9][0-9A-Za-z.+_-]*)",
    "major": r"(?P<major>[0-9]+)",
    "minor": r"(?P<minor>[0-9]+)",
    "patch": r"(?P<patch>[0-9]+)",
    "prerelease": r"(?P<prerelease>[0-9A-Za-z.-]*)",
    "devrelease": r"(?P<devrelease>[0-9A-Za-z.]*)",
}
_PLACEHOLDER_RE = re.compile(r"\$\{(\w+)\}|\$(\w+)")


#: A tag that names a version in some convention: an optional prefix ending in a non-digit
#: (``release-``, ``pkg/``), an optional ``v``, and a dotted version (``1.2``, ``1.2.0-rc.1``).
_VERSION_LIKE_RE = re.compile(
    r"(?P<prefix>(?:.*?[^0-9.])?)(?P<version>[0-9]+\.[0-9][0-9A-Za-z.+_-]*)"
)


class TagFormat:
    """Matches tag names against one or more ``tag_format`` patterns.

    commitizen has the same logic in ``commitizen.tags.TagRules`` (issue 13 asked whether to
    read tags through it). Measured on 2,130 tags: TagRules takes 6.9 ms against 4.3 ms here,
    and importing ``commitizen.tags`` costs 145 ms (it imports all of commitizen, prompt_toolkit
    included), twice the whole budget of one release's notes, which otherwise never import
    commitizen. It also reads no ``.postN``/``.devN`` tag as a version. So the hand-written
    matcher stays; it reads commitizen's placeholders and keys (``tag_format``,
    ``legacy_tag_formats``, ``ignored_tag_formats`` with ``*``) the way TagRules does.
    """

    def __init__(self, tag_format: str, legacy: Iterable[str] = ()) -> None:
        self.tag_format = tag_format
        self.formats = [tag_format, *legacy]
        self.patterns = [self._compile(f) for f in self.formats]

    @staticmethod
    def _compile(tag_format: str, *, star: bool = False) -> re.Pattern[str]:
        parts: list[str] = []
        position = 0
        for match in _PLACEHOLDER_RE.finditer(tag_format):
            name = match[1] or match[2]
            if name not in _PLACEHOLDERS:
                raise ConfigError(
                    f"tag_format {tag_format!r}: unknown placeholder ${name}",
                    hint="use $version, or $major, $minor, $patch, $prerelease, $devrelease",
                )
            parts.append(_literal(tag_format[position : match.start()], star))
            parts.append(_PLACEHOLDERS[name])
            position = match.end()
        parts.append(_literal(tag_format[position:], star))
        return re.compile("".join(parts))

    @classmethod
    def ignoring(cls, formats: Iterable[str]) -> Callable[[str], bool]:
        """Whether a tag matches one of ``ignored_tag_formats`` (``*`` is any text)."""
        patterns = [cls._compile(f, star=True) for f in formats]
        return lambda tag: any(p.fullmatch(tag) for p in patterns)

    def version_of(self, tag: str) -> Version | None:
        """The version a tag names, or ``None`` when it is not a version tag."""
        found = self.match(tag)
        return found[1] if found else None

    def match(self, tag: str) -> tuple[int, Version] | None:
        """Which format (its index) reads a version from ``tag``, and the version."""
        for index, pattern in enumerate(self.patterns):
            found = _read(pattern, tag)
            if found is not None:
                return index, found[1]
        return None

    def version_text(self, tag: str) -> str | None:
        """The version as the tag spells it, or ``None`` when the tag does not match."""
        for pattern in self.patterns:
            found = _read(pattern, tag)
            if found is not None:
                return found[0]
        return None

    def tag_for(self, version: str) -> str:
        """The tag name for a version written in its scheme's spelling."""
        parsed = Version(version)
        pre = "".join(str(p) for p in parsed.pre) if parsed.pre else ""
        values = {
            "version": version,
            "major": str(parsed.major),
            "minor": str(parsed.minor),
            "patch": str(parsed.micro),
            "prerelease": pre,
            "devrelease": f"dev{parsed.dev}" if parsed.dev is not None else "",
        }
        return _PLACEHOLDER_RE.sub(lambda m: values[m[1] or m[2]], self.tag_format)


def _literal(text: str, star: bool) -> str:
    if not star:
        return re.escape(text)
    return ".*".join(re.escape(part) for part in text.split("*"))


def _read(pattern: re.Pattern[str], tag: str) -> tuple[str, Version] | None:
    """The version text a format's pattern reads from a tag, and the version."""
    match = pattern.fullmatch(tag)
    if match is None:
        return None
    groups = match.groupdict()
    text = groups.get("version") or "{}.{}.{}{}{}".format(
        groups.get("major") or "0",
        groups.get("minor") or "0",
        groups.get("patch") or "0",
        groups.get("prerelease") or "",
        groups.get("devrelease") or "",
    )
    found = _parsed(text)
    return None if found is None else (text, found)


@functools.lru_cache(maxsize=65536)
def _parsed(text: str) -> Version | None:
    """The version ``text`` names (``None``: none). Kept: a changelog's headings name the
    versions its tags name, and a history of 2,000 tags would parse each twice."""
    try:
        return Version(text)
    except InvalidVersion:
        return None


def final_of(version: Version) -> Version:
    """The final release a version is a pre-release of (``1.0.1rc1`` -> ``1.0.1``; a final
    release is its own)."""
    if not version.is_prerelease:
        return version
    return _parsed(version.base_version) or version


def folded(version: Version, finals: Container[Version]) -> bool:
    """Whether ``version`` is a pre-release folded into its own final release: that release
    (the same release version) is among ``finals``. Never because some higher final release
    exists (on another line of history, say): a pre-release whose final is not out stays a
    release of its own. The one rule the history, the notes and the changelog fold by."""
    return version.is_prerelease and final_of(version) in finals


def version_like(tag: str) -> tuple[str, Version] | None:
    """The format a tag that looks like a version follows (``release-$version``) and its
    version, whatever the configuration says; ``None`` for ``nightly`` or ``release-7``."""
    match = _VERSION_LIKE_RE.fullmatch(tag)
    if match is None:
        return None
    prefix, text = match["prefix"], match["version"]
    try:
        version = Version(text)
    except InvalidVersion:
        return None
    return prefix + "$version", version


def pep440(version: str) -> str:
    """The PEP 440 spelling of a version (what PyPI shows): ``1.2.0-rc.1`` -> ``1.2.0rc1``."""
    try:
        return str(Version(version))
    except InvalidVersion:
        return version


class Bump:
    """The increment that a set of commits asks for, and the commits that decided it."""

    def __init__(self, increment: Increment | None, deciding: list[Commit]) -> None:
        self.increment = increment
        self.deciding = deciding


def increment_for(commits: Sequence[Commit]) -> Bump:
    """The largest increment the listed commits ask for (breaking > feat > fix, perf, …).

    What the notes leave out decides nothing: merges, fixups, and a commit reverted in the
    same release (with its revert).
    """
    best: Increment | None = None
    deciding: list[Commit] = []
    for commit, wanted in _wanted(commits, None):
        if best is None or INCREMENTS.index(wanted) < INCREMENTS.index(best):
            best, deciding = wanted, [commit]
        elif wanted == best:
            deciding.append(commit)
    return Bump(best, deciding)


def asks_for_release(commits: Sequence[Commit], cancelled: Container[str] | None = None) -> bool:
    """Whether :func:`increment_for` finds an increment, read up to the first commit that
    asks for one. ``cancelled``: the reverts and reverted commits that cancel out, by sha, when
    the caller has them already (:attr:`~relnotes.classify.Classified.cancelled`)."""
    return next(_wanted(commits, cancelled), None) is not None


def _wanted(
    commits: Sequence[Commit], cancelled: Container[str] | None
) -> Iterator[tuple[Commit, Increment]]:
    """Each commit that asks for an increment, and the increment (``cancelled``: ``None``
    when they are to be found here)."""
    from relnotes.classify import AUTOSQUASH, cancelled_reverts

    if cancelled is None:
        cancelled = cancelled_reverts(commits)
    for commit in commits:
        parsed = commit.parsed
        if commit.is_merge or parsed.kind in AUTOSQUASH or commit.sha in cancelled:
            continue
        kind = "revert" if parsed.kind == "revert" else parsed.type
        wanted = "MAJOR" if parsed.breaking else BUMP_TYPES.get(kind or "")
        if wanted is not None:
            yield commit, wanted


#: How commitizen's SemVer schemes spell a pre-release (``1.1.0-rc.0``; ``1.1.0-rc0``).
_SEMVER2_PRE = re.compile(r"[0-9]+(?:\.[0-9]+)*-(?:alpha|beta|rc)\.[0-9]+")
_SEMVER_PRE = re.compile(r"[0-9]+(?:\.[0-9]+)*-(?:a|b|rc)[0-9]+")


def spelled_scheme(text: str) -> str:
    """The version scheme that spells a pre-release as ``text`` does (a tag's version as
    written): ``semver2`` for ``1.0.1-rc.1``, ``semver`` for ``1.0.1-rc1``, else ``pep440``."""
    if _SEMVER2_PRE.fullmatch(text):
        return "semver2"
    if _SEMVER_PRE.fullmatch(text):
        return "semver"
    return "pep440"


def next_version(
    current: str | None,
    increment: Increment | None,
    config: Config,
    prerelease: str | None = None,
    *,
    forced: bool = False,
    scheme_name: str | None = None,
) -> str | None:
    """The next version in the configured scheme, or ``None`` when nothing asks for one.

    ``current`` is the latest released version (``None`` before the first release: then the
    first version is ``config.version`` bumped, or ``config.initial_version``). From a
    pre-release, a release without ``prerelease`` is its final version (1.1.0rc1 -> 1.1.0).
    ``--prerelease`` alone is no reason for a release. A ``forced`` MAJOR is a major bump even
    under ``major_version_zero``. ``scheme_name``: the scheme to spell it in, for
    ``config.version_scheme`` (see :meth:`relnotes.history.History.version_scheme`).
    """
    from commitizen.version_schemes import get_version_scheme

    scheme = get_version_scheme({}, scheme_name or config.version_scheme)
    pre = _pre(prerelease) if prerelease else None
    if current is None:
        if config.version is None:
            first = scheme(_valid(config.initial_version, "initial_version"))
            return str(first.bump(None, prerelease=pre) if pre else first)
        current = _valid(config.version, "version")
    version = scheme(current)
    if increment is None:
        if not (version.is_prerelease and pre is None):
            return None
        increment = "PATCH"  # commitizen keeps the base: the final of this pre-release
    if increment == "MAJOR" and config.major_version_zero and version.major == 0 and not forced:
        increment = "MINOR"
    return str(version.bump(increment, prerelease=pre))


def _valid(text: str, key: str) -> str:
    try:
        Version(text)
    except InvalidVersion:
        raise ConfigError(
            f"{key} = {text!r} is not a version", hint=f'write it like {key} = "1.2.0"'
        ) from None
    return text


def _pre(name: str) -> Literal["alpha", "beta", "rc"]:
    if name == "alpha":
        return "alpha"
    if name == "beta":
        return "beta"
    if name == "rc":
        return "rc"
    raise ConfigError(f"unknown pre-release kind {name!r}", hint="use alpha, beta or rc")


#: Where each of commitizen's version providers keeps the version: (file, path of keys).
_PROVIDER_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "pep621": ("pyproject.toml", ("project", "version")),
    "uv": ("pyproject.toml", ("project", "version")),
    "poetry": ("pyproject.toml", ("tool", "poetry", "version")),
    "cargo": ("Cargo.toml", ("package", "version")),
    "npm": ("package.json", ("version",)),
    "composer": ("composer.json", ("version",)),
}
_TOKEN_RE = re.compile(r"[0-9]+(?:\.[0-9]+)+[0-9A-Za-z.+_-]*")


def declared_versions(root: str, config: Config, current: str) -> list[tuple[str, Version | None]]:
    """The versions that files say, where commitizen keeps the version (``version_provider``
    and ``version_files``): (where, the version found there or ``None``).

    A ``version_files`` entry (``path`` or ``path:regex``, a glob) is read as ``cz bump``
    reads it: the lines the regex finds (any line without one) that hold a version; the
    one equal to ``current`` wins, else the first found. A provider relnotes cannot read
    (``scm``, a plug-in) says nothing.
    """
    import glob
    import json
    import tomllib

    found: list[tuple[str, Version | None]] = []
    wanted = Version(current)
    provider = config.version_provider or ("commitizen" if config.commitizen else None)
    if provider == "commitizen" and config.version:
        where = config.commitizen or "the configuration"
        found.append((f"version in {where}", _version(config.version)))
    elif provider in _PROVIDER_FILES:
        name, keys = _PROVIDER_FILES[provider]
        value: object = None
        try:
            with open(os.path.join(root, name), "rb") as handle:
                data = json.load(handle) if name.endswith(".json") else tomllib.load(handle)
            value = data
            for key in keys:
                value = value.get(key) if isinstance(value, dict) else None
            if value is None and provider == "cargo":
                value = data.get("workspace", {}).get("package", {}).get("version")
        except (OSError, ValueError, RecursionError):  # not readable, not UTF-8, not data
            value = None
        found.append((f"{name} {'.'.join(keys)}", _version(value)))
    for entry in config.version_files:
        path, _, regex = entry.partition(":")
        try:
            pattern = re.compile(regex) if regex else None
        except re.error:
            pattern = None
        paths = sorted(glob.glob(os.path.join(root, path)))
        if not paths:
            found.append((f"{path} (version_files)", None))
        for full in paths:
            place = f"{os.path.relpath(full, root)} (version_files)"
            found.append((place, _version_in_file(full, pattern, wanted)))
    return found


def _version(value: object) -> Version | None:
    try:
        return Version(str(value)) if value is not None else None
    except InvalidVersion:
        return None


def _version_in_file(path: str, pattern: re.Pattern[str] | None, wanted: Version) -> Version | None:
    first: Version | None = None
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.readlines()
    except OSError:
        return None
    for line in lines:
        if pattern is not None and not pattern.search(line):
            continue
        for token in _TOKEN_RE.findall(line):
            version = _version(token)
            if version == wanted:
                return version
            first = first or version
    return first
