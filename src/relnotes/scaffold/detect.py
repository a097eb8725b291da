"""What `relnotes init` finds out about a project: the GitHub repository, the Python versions
to test, the test command, the tags, and whether it stands at the top of its repository."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from relnotes.doctor import read_makefile
from relnotes.errors import ConfigError, RelnotesError

if TYPE_CHECKING:
    from packaging.version import Version

    from relnotes.config import Config

DEFAULT_TEST_COMMAND = "python -m pip install . pytest && python -m pytest"
_GITHUB_RE = re.compile(r"^https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?$")
_OWNER_NAME_RE = re.compile(r"^[\w.-]+/[\w.-]+$")
_KNOWN_MINORS = range(8, 14)  # 3.8 .. 3.13: what a matrix may run today
# PEP 508 names (PEP 503 normalises them): what may stand in a workflow and a PyPI URL.
_PACKAGE_RE = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_PYTHON_RE = re.compile(r"^[0-9]+\.[0-9]+$")


def require_top_level(root: str) -> None:
    """Stop (exit 2) in a subfolder of a git repository: .github/ is read only at the top."""
    from relnotes import git
    from relnotes.errors import GitError

    try:
        top = git.path_of(root, "rev-parse", "--show-toplevel")
    except GitError:  # no git, or no repository: nothing to compare with
        return
    if top and os.path.realpath(top) != os.path.realpath(root):
        raise RelnotesError(
            f"{root} is not the top level of its git repository ({top})",
            hint="GitHub and pre-commit read .github/ and .pre-commit-config.yaml only there: "
            "run relnotes init at the repository's top level",
        )


def check_package(name: str, *, given: bool) -> None:
    if _PACKAGE_RE.match(name):
        return
    where = f"--package {name!r}" if given else f"pyproject.toml: [project] name {name!r}"
    raise ConfigError(
        f"{where} is not a valid package name",
        hint="a PyPI name has letters, digits, '.', '_' and '-', "
        "and starts and ends with a letter or digit (PEP 508)",
    )


def check_python_versions(versions: list[str]) -> None:
    for version in versions:
        if not _PYTHON_RE.match(version):
            raise ConfigError(
                f"--python: {version!r} is not a Python version",
                hint="give major.minor versions, comma-separated, e.g. --python 3.12,3.13",
            )


def tagged_versions(root: str, tag_format: str) -> list[Version]:
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


def static_version(value: object) -> Version | None:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(value) if isinstance(value, str) else None
    except InvalidVersion:
        return None


def github_repository(root: str, config: Config, given: str | None) -> str:
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


def supported_pythons(requires: object) -> list[str]:
    """The Python versions ``requires-python`` allows (of those a matrix may run today)."""
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


def project_test_command(root: str) -> str:
    """``make check`` where the Makefile has that target, else pytest on the installed package."""
    return "make check" if "check" in read_makefile(root) else DEFAULT_TEST_COMMAND


def example_tag(tag_format: str) -> str:
    from relnotes.version import TagFormat

    return TagFormat(tag_format).tag_for("0.1.0")
