"""The settings: every key with its type and what it is for, their defaults, and
:class:`Config`, the settings in force for one project, each a typed attribute.

On the commit-msg hook path: it imports ``re`` and nothing heavier (no ``dataclasses``, no
``typing``: each costs a hook run a tenth of its time).
"""

from __future__ import annotations

import re

from relnotes.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

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

#: key -> (its type, what it is for). The README's reference comes from here; the defaults
#: are :class:`Config`'s.
KEYS: dict[str, tuple[type, str]] = {
    "tag_format": (str, "how a version becomes a tag ($version, $major …)"),
    "legacy_tag_formats": (list, "older tag formats that still count as versions"),
    "ignored_tag_formats": (
        list,
        "tag formats that are not this project's versions (`*` for any text): no warning",
    ),
    "version_scheme": (str, "pep440, semver or semver2 (commitizen's schemes)"),
    "major_version_zero": (bool, "a breaking change in 0.x bumps the minor"),
    "version": (str, "the current version while there is no version tag yet"),
    "initial_version": (str, "the first release's version when there is no tag"),
    "changelog_file": (str, "the changelog `relnotes changelog` writes"),
    "changelog_incremental": (bool, "update the changelog in place (false: rebuild)"),
    "unreleased_version": (str, "title of unreleased changes (default: Unreleased)"),
    "changelog_start_rev": (str, "the oldest tag the changelog lists"),
    "changelog_merge_prerelease": (
        bool,
        "the changelog folds pre-releases into their final release (true) or keeps their "
        "sections apart (false); unset: as the file already does",
    ),
    "package": (str, "the PyPI name (default: [project].name)"),
    "repository": (str, "repository URL (default: [project.urls], then origin)"),
    "sections": (dict, "type -> section title, in order; others hidden"),
    "breaking_title": (str, "title of the breaking-changes section"),
    "other_section": (str, "title for non-conventional commits (empty: not listed)"),
    "types": (list, "more commit types the linter accepts (besides the standard ones)"),
    "scopes": (list, "the scopes the linter accepts (empty: any)"),
    "scope_required": (bool, "the linter asks every commit for a scope"),
    "header_max_length": (int, "the longest header the linter accepts (0: no limit)"),
    "template_dir": (str, "a folder whose templates override the built-in ones"),
    "notes_template": (str, "the release body template (name or path)"),
    "changelog_template": (str, "the changelog's release blocks"),
    "bump_message": (str, "the message of commitizen's bump commits, which stay out of the notes"),
    "version_provider": (str, "where commitizen keeps the version (pep621, poetry …)"),
    "release_branch": (
        str,
        "the branch `relnotes tag` tags on (default: the remote's HEAD branch, else main)",
    ),
    "release_message": (
        str,
        "the message of the changelog commit `relnotes tag` makes ($tag, $version, $previous_tag)",
    ),
    "contributors": (bool, "each release lists who made it (false: no one)"),
    "contributors_exclude": (
        str,
        "a regular expression: authors whose name or e-mail it matches are not credited",
    ),
    "version_files": (list, "files `cz bump` writes the version into (path[:regex])"),
}
#: The keys commitizen defines too: read from its settings, [tool.relnotes] wins.
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
    """The settings in force for one project (defaults, then commitizen's, then ours), and
    what else the configuration files say (the package's URLs, a version written in
    pyproject.toml, where commitizen's settings are). Read-only once made.

    ``configured`` names the keys a configuration file set (the others are defaults); made
    by hand, a Config counts the keys that differ from their defaults as set.
    """

    __slots__ = (
        "_bump_re",
        "_release_re",
        "breaking_title",
        "bump_message",
        "changelog_file",
        "changelog_incremental",
        "changelog_merge_prerelease",
        "changelog_start_rev",
        "changelog_template",
        "comment_char",
        "commitizen",
        "commitizen_check",
        "configured",
        "contributors",
        "contributors_exclude",
        "header_max_length",
        "ignored_tag_formats",
        "initial_version",
        "legacy_tag_formats",
        "major_version_zero",
        "notes_template",
        "other_section",
        "package",
        "project_urls",
        "release_branch",
        "release_message",
        "repository",
        "root",
        "scope_required",
        "scopes",
        "sections",
        "static_version",
        "tag_format",
        "template_dir",
        "types",
        "unreleased_version",
        "version",
        "version_files",
        "version_provider",
        "version_scheme",
    )

    def __init__(
        self,
        root: str | None = None,
        *,
        tag_format: str = "v$version",
        legacy_tag_formats: Sequence[str] = (),
        ignored_tag_formats: Sequence[str] = (),
        version_scheme: str = "pep440",
        major_version_zero: bool = False,
        version: str | None = None,
        initial_version: str = "0.1.0",
        changelog_file: str = "CHANGELOG.md",
        changelog_incremental: bool = True,
        unreleased_version: str | None = None,
        changelog_start_rev: str | None = None,
        changelog_merge_prerelease: bool = False,
        package: str | None = None,
        repository: str | None = None,
        sections: Mapping[str, str] = DEFAULT_SECTIONS,
        breaking_title: str = "Breaking changes",
        other_section: str = "",
        types: Sequence[str] = (),
        scopes: Sequence[str] = (),
        scope_required: bool = False,
        header_max_length: int = 100,
        template_dir: str | None = None,
        notes_template: str = "notes.md.jinja",
        changelog_template: str = "changelog.md.jinja",
        bump_message: str | None = None,
        version_provider: str | None = None,
        version_files: Sequence[str] = (),
        release_branch: str | None = None,
        release_message: str = RELEASE_MESSAGE,
        contributors: bool = True,
        contributors_exclude: str = BOTS,
        project_urls: Mapping[str, str] | None = None,
        static_version: str | None = None,
        comment_char: str = "#",
        commitizen: str | None = None,
        commitizen_check: Mapping[str, object] | None = None,
        configured: Iterable[str] | None = None,
    ) -> None:
        set_ = object.__setattr__
        #: the folder the configuration was read from (where pyproject.toml lives)
        set_(self, "root", root)
        set_(self, "tag_format", tag_format)
        set_(self, "legacy_tag_formats", list(legacy_tag_formats))
        set_(self, "ignored_tag_formats", list(ignored_tag_formats))
        set_(self, "version_scheme", version_scheme)
        set_(self, "major_version_zero", major_version_zero)
        set_(self, "version", version)
        set_(self, "initial_version", initial_version)
        set_(self, "changelog_file", changelog_file)
        set_(self, "changelog_incremental", changelog_incremental)
        set_(self, "unreleased_version", unreleased_version)
        set_(self, "changelog_start_rev", changelog_start_rev)
        set_(self, "changelog_merge_prerelease", changelog_merge_prerelease)
        set_(self, "package", package)
        set_(self, "repository", repository)
        set_(self, "sections", dict(sections))
        set_(self, "breaking_title", breaking_title)
        set_(self, "other_section", other_section)
        set_(self, "types", list(types))
        set_(self, "scopes", list(scopes))
        set_(self, "scope_required", scope_required)
        set_(self, "header_max_length", header_max_length)
        set_(self, "template_dir", template_dir)
        set_(self, "notes_template", notes_template)
        set_(self, "changelog_template", changelog_template)
        set_(self, "bump_message", bump_message)
        set_(self, "version_provider", version_provider)
        set_(self, "version_files", list(version_files))
        set_(self, "release_branch", release_branch)
        set_(self, "release_message", release_message)
        set_(self, "contributors", contributors)
        set_(self, "contributors_exclude", contributors_exclude)
        #: the package's [project.urls], for links
        set_(self, "project_urls", dict(project_urls or {}))
        #: [project].version when the version is written in pyproject.toml (not from git)
        set_(self, "static_version", static_version)
        #: git's core.commentChar (read with the hook's cached configuration)
        set_(self, "comment_char", comment_char)
        #: where commitizen's settings were read ("cz.toml", "pyproject.toml"), None: nowhere
        set_(self, "commitizen", commitizen)
        #: commitizen's settings for commit checks, in a project that configures commitizen
        set_(self, "commitizen_check", dict(commitizen_check) if commitizen_check else None)
        if commitizen_check is not None and not commitizen_check:
            set_(self, "commitizen_check", {})
        set_(self, "_bump_re", None)
        set_(self, "_release_re", None)
        if configured is None:
            default = Config.__init__.__kwdefaults__ or {}
            configured = (k for k in KEYS if getattr(self, k) != _plain(default.get(k)))
        set_(self, "configured", frozenset(configured))

    # The attributes, typed for mypy (the values are set in __init__).
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
    root: str | None
    project_urls: dict[str, str]
    static_version: str | None
    comment_char: str
    commitizen: str | None
    commitizen_check: dict[str, object] | None
    configured: frozenset[str]
    _bump_re: re.Pattern[str] | None
    _release_re: re.Pattern[str] | None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Config is read-only: {name} cannot be set")

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={getattr(self, k)!r}" for k in sorted(self.configured))
        return f"Config({self.root!r}{', ' if shown else ''}{shown})"

    @property
    def allowed_types(self) -> tuple[str, ...]:
        extra = [t for t in (*self.sections, *self.types) if t not in STANDARD_TYPES]
        return (*STANDARD_TYPES, *extra)

    @property
    def merge_prerelease_set(self) -> bool | None:
        """``changelog_merge_prerelease`` as the project set it, ``None`` when it is not set
        (then the changelog file decides, and pre-releases fold by default)."""
        if "changelog_merge_prerelease" not in self.configured:
            return None
        return self.changelog_merge_prerelease

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
        pattern = self._bump_re
        if pattern is None:
            pattern = bump_pattern(template)
            object.__setattr__(self, "_bump_re", pattern)
        return pattern.fullmatch(header.strip()) is not None

    def is_release_commit(self, header: str) -> bool:
        """Whether a header is the first line of the changelog commit ``relnotes tag`` makes
        (``release_message``: ``chore(release): v1.3.0``); its values may be any text without
        spaces."""
        pattern = self._release_re
        if pattern is None:  # white space around it allowed: no strip() per commit
            found = template_pattern(self.release_message, RELEASE_VALUES).pattern
            pattern = re.compile(rf"\s*(?:{found})\s*")
            object.__setattr__(self, "_release_re", pattern)
        return pattern.fullmatch(header) is not None

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


def _plain(value: object) -> object:
    """A default as the attribute holds it (a tuple default is kept as a list)."""
    if isinstance(value, tuple):
        return list(value)
    return dict(value) if isinstance(value, dict) else value


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


def checked(key: str, value: object, source: str) -> object:
    """``value`` for ``key`` as read from ``source``, or a ConfigError saying what is wrong
    (its type, an unknown scheme, a tag format without a version, …)."""
    kind, doc = KEYS[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        wanted = {str: "a string", bool: "true or false", int: "a number"}.get(
            kind, f"a {kind.__name__}"
        )
        raise ConfigError(
            f"{source}: {key} must be {wanted}, not {shown(value)}", hint=f"{key}: {doc}"
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
                    f"{source}: sections.{type_} must be a title string, not {shown(title)}",
                    hint='sections = { feat = "Features", fix = "Fixes" }',
                )
        return {str(k).lower(): v for k, v in value.items()}
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{source}: {key} must be a list of strings", hint=doc)
        if key == "types":
            odd = [t for t in value if not t.isascii() or not t.isalnum()]
            if odd:
                raise ConfigError(
                    f"{source}: types {odd[0]!r} is no type: a type is letters and digits",
                    hint="Conventional Commits types are single words (wip, deps, i18n)",
                )
    return value


def shown(value: object) -> str:
    """A value as an error message shows it: short, whatever its size or nesting (a YAML
    alias bomb must not be written out)."""
    import reprlib

    shorter = reprlib.Repr()  # keyword arguments came in Python 3.12
    shorter.maxlevel, shorter.maxstring, shorter.maxother = 2, 60, 60
    shorter.maxlist = shorter.maxdict = shorter.maxtuple = shorter.maxset = 4
    return " ".join(shorter.repr(value).split())


def _has_version(tag_format: str) -> bool:
    return any(p in tag_format for p in ("$version", "${version}", "$major", "${major}"))


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """``did you mean 'tag_format'?`` for a key written almost right."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean {close[0]!r}?" if close else None
