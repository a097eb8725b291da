"""Versions: which tags are versions, and the next version, through commitizen's schemes.

Tags are matched against ``tag_format`` and read with ``packaging`` (PEP 440, which also reads
SemVer spellings: ``v1.2.0-rc.1`` and ``v1.2.0rc1`` are the same version). The bump itself is
commitizen's (``pep440``, ``semver``, ``semver2``), imported only when a bump is computed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from packaging.version import InvalidVersion, Version

from relnotes.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from relnotes.config import Config
    from relnotes.models import Commit

__all__ = ["INCREMENTS", "Bump", "Increment", "TagFormat", "Version", "next_version", "pep440"]

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


class TagFormat:
    """Matches tag names against one or more ``tag_format`` patterns."""

    def __init__(self, tag_format: str, legacy: Iterable[str] = ()) -> None:
        self.tag_format = tag_format
        self.patterns = [self._compile(f) for f in (tag_format, *legacy)]

    @staticmethod
    def _compile(tag_format: str) -> re.Pattern[str]:
        parts: list[str] = []
        position = 0
        for match in _PLACEHOLDER_RE.finditer(tag_format):
            name = match[1] or match[2]
            if name not in _PLACEHOLDERS:
                raise ConfigError(
                    f"tag_format {tag_format!r}: unknown placeholder ${name}",
                    hint="use $version, or $major, $minor, $patch, $prerelease, $devrelease",
                )
            parts.append(re.escape(tag_format[position : match.start()]))
            parts.append(_PLACEHOLDERS[name])
            position = match.end()
        parts.append(re.escape(tag_format[position:]))
        return re.compile("".join(parts))

    def version_of(self, tag: str) -> Version | None:
        """The version a tag names, or ``None`` when it is not a version tag."""
        text = self.version_text(tag)
        if text is None:
            return None
        try:
            return Version(text)
        except InvalidVersion:
            return None

    def version_text(self, tag: str) -> str | None:
        """The version as the tag spells it, or ``None`` when the tag does not match."""
        for pattern in self.patterns:
            match = pattern.fullmatch(tag)
            if match is None:
                continue
            groups = match.groupdict()
            text = groups.get("version") or "{}.{}.{}{}{}".format(
                groups.get("major") or "0",
                groups.get("minor") or "0",
                groups.get("patch") or "0",
                groups.get("prerelease") or "",
                groups.get("devrelease") or "",
            )
            try:
                Version(text)
            except InvalidVersion:
                continue
            return text
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
    from relnotes.classify import AUTOSQUASH, cancelled_reverts

    cancelled = cancelled_reverts(commits)
    best: Increment | None = None
    deciding: list[Commit] = []
    for commit in commits:
        parsed = commit.parsed
        if commit.is_merge or parsed.kind in AUTOSQUASH or commit.sha in cancelled:
            continue
        kind = "revert" if parsed.kind == "revert" else parsed.type
        wanted = "MAJOR" if parsed.breaking else BUMP_TYPES.get(kind or "")
        if wanted is None:
            continue
        if best is None or INCREMENTS.index(wanted) < INCREMENTS.index(best):
            best, deciding = wanted, [commit]
        elif wanted == best:
            deciding.append(commit)
    return Bump(best, deciding)


def next_version(
    current: str | None,
    increment: Increment | None,
    config: Config,
    prerelease: str | None = None,
    *,
    forced: bool = False,
) -> str | None:
    """The next version in the configured scheme, or ``None`` when nothing asks for one.

    ``current`` is the latest released version (``None`` before the first release: then the
    first version is ``config.version`` bumped, or ``config.initial_version``). From a
    pre-release, a release without ``prerelease`` is its final version (1.1.0rc1 -> 1.1.0).
    ``--prerelease`` alone is no reason for a release. A ``forced`` MAJOR is a major bump even
    under ``major_version_zero``.
    """
    from commitizen.version_schemes import get_version_scheme

    scheme = get_version_scheme({}, config.version_scheme)
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
