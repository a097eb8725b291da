"""Workflow files from the built-in templates: the project's own and those `relnotes init` writes.

``templates/scaffold/<name>.jinja`` is rendered in the one Jinja2 environment of
:mod:`relnotes.render` (strict, byte-stable). The action pins live in one file,
``scaffold/pins/action.yml`` (read here, kept current by Dependabot); the build and check tools
in ``build-requirements.txt`` and ``check-requirements.txt``, by hash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from relnotes.errors import TemplateError

#: Where the pins live: a composite action's metadata, so Dependabot keeps them current (W16).
PINS_FILE = "scaffold/pins/action.yml"
_PIN_RE = re.compile(
    r"^\s*-\s*uses:\s*(?P<action>[\w.-]+/[\w.-]+)@(?P<sha>[0-9a-f]{40})"
    r"\s*#\s*(?P<release>\S+)\s*$",
    re.MULTILINE,
)


def _key(action: str) -> str:
    """The key of an action: ``setup_python``, ``pypi_publish`` (``gh-action-`` dropped)."""
    name = action.split("/", 1)[1].removeprefix("gh-action-")
    return name.replace("-", "_")


def read_pins(text: str) -> dict[str, tuple[str, str, str]]:
    """``{key: (action, release, sha)}`` from the ``- uses: owner/name@sha # vX`` lines."""
    return {
        _key(m["action"]): (m["action"], m["release"], m["sha"]) for m in _PIN_RE.finditer(text)
    }


def _builtin_text(name: str) -> str:
    return resources.files("relnotes").joinpath("templates", *name.split("/")).read_text("utf-8")


#: Every action the workflows use, pinned to a full commit with its release as a comment.
PINS: dict[str, tuple[str, str, str]] = read_pins(_builtin_text(PINS_FILE))
#: The workflow templates, by the file name they are written as (``_build.yml.jinja`` is a
#: partial both include, not a workflow of its own).
WORKFLOWS = ("release.yml", "ci.yml")
#: Every file of ``.github/`` rendered from ``templates/scaffold/<name>.jinja``, by where it goes.
GITHUB_FILES = {
    "release.yml": ".github/workflows/release.yml",
    "ci.yml": ".github/workflows/ci.yml",
    "dependabot.yml": ".github/dependabot.yml",
}
#: The hash-pinned tools, copied as they are (``.in`` the request, ``.txt`` the pins): the build
#: tools (before dist/ is uploaded, W32) and the check tools (after it, W33).
REQUIREMENT_FILES = (
    "scaffold/build-requirements.in",
    "scaffold/build-requirements.txt",
    "scaffold/check-requirements.in",
    "scaffold/check-requirements.txt",
)
#: Values every caller may leave out.
DEFAULTS: dict[str, Any] = {
    "python_versions": ["3.11", "3.12", "3.13"],
    "tag_pattern": "v*",
    "test_command": "make check",
    "dogfood": False,  # True only for relnotes itself: run relnotes from the wheel just built
    "relnotes_requirement": "relnotes",
    # the hash-pinned build tools (W32) and check tools (W33): init writes the built-in files here
    "build_requirements": ".github/build-requirements.txt",
    "check_requirements": ".github/check-requirements.txt",
}
#: relnotes' own values: .github/workflows/*.yml are these templates rendered with them.
RELNOTES = {
    "package": "relnotes",
    "repository": "relnotes/relnotes",
    "dogfood": True,
    # relnotes builds with the very files init copies (one place for Dependabot to keep current)
    "build_requirements": "templates/scaffold/build-requirements.txt",
    "check_requirements": "templates/scaffold/check-requirements.txt",
}
_GLOB = "*?[{"


@dataclass(frozen=True, slots=True)
class OwnPin:
    """How the files init writes pin relnotes itself: the version that wrote them."""

    requirement: str  # relnotes==1.4.0 in the workflows ("relnotes" from a development build)
    rev: str  # v1.4.0 for the pre-commit hook ("main" from a development build)
    workflows_note: str = ""  # what could not be pinned, and what to put instead
    hook_note: str = ""


def own_pin() -> OwnPin:
    """relnotes pinned to the running version; from a development or local build, a note."""
    from packaging.version import InvalidVersion, Version

    import relnotes

    text = str(relnotes.__version__)
    try:
        version: Version | None = Version(text)
    except InvalidVersion:
        version = None
    if version is not None and not version.is_devrelease and not version.local:
        return OwnPin(f"relnotes=={version}", f"v{version}")  # relnotes' tags: v$version
    why = f"relnotes {text} is a development build, which PyPI does not have"
    return OwnPin(
        "relnotes",
        "main",
        f"{why}: the workflows install relnotes unpinned (W33); pin a release there "
        '("relnotes==X.Y.Z", see https://pypi.org/project/relnotes/#history)',
        f"{why}: the hook follows `rev: main`; put a release tag there (`rev: vX.Y.Z`)",
    )


def uses(key: str) -> str:
    """``owner/action@<sha> # vX.Y.Z`` for one of :data:`PINS`."""
    action, release, sha = PINS[key]
    return f"{action}@{sha} # {release}"


def render_workflow(name: str, **values: Any) -> str:
    """Render ``templates/scaffold/<name>.jinja`` (a key of :data:`GITHUB_FILES`).

    Required: ``package`` (the PyPI name) and ``repository`` (``owner/name``); see
    :data:`DEFAULTS` for the rest. ``tag_prefix`` and ``python`` are derived unless given.
    """
    import jinja2

    from relnotes.config import Config
    from relnotes.render import environment

    if name not in GITHUB_FILES:
        raise TemplateError(
            f"no workflow template {name!r}", hint=f"use one of {', '.join(GITHUB_FILES)}"
        )
    context = {**DEFAULTS, **values}
    pattern = str(context["tag_pattern"])
    cut = min((i for i, ch in enumerate(pattern) if ch in _GLOB), default=len(pattern))
    context.setdefault("tag_prefix", pattern[:cut])
    context.setdefault("python", context["python_versions"][-1])
    context["actions"] = {key: uses(key) for key in PINS}
    try:
        template = environment(Config()).get_template(f"scaffold/{name}.jinja")
        return template.render(**context)
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"workflow template {name}: {exc.message}",
            hint="pass package= and repository= (owner/name)",
        ) from None


def github_files(**values: Any) -> dict[str, str]:
    """Every rendered file of ``.github/``, by its path in the project."""
    return {path: render_workflow(name, **values) for name, path in GITHUB_FILES.items()}


def requirement_files(folder: str = ".github") -> dict[str, str]:
    """The hash-pinned build and check tools the build job installs, by their path in the
    project."""
    return {f"{folder}/{name.rsplit('/', 1)[1]}": _builtin_text(name) for name in REQUIREMENT_FILES}


def render_file(template: str, /, **context: Any) -> str:
    """Render ``templates/scaffold/<template>`` (a file init writes as it is rendered)."""
    from relnotes.config import Config
    from relnotes.render import environment

    return environment(Config()).get_template(f"scaffold/{template}").render(**context)
