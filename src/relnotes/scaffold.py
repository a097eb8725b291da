"""Workflow files from the built-in templates: the project's own and those `relnotes init` writes.

``templates/scaffold/<name>.jinja`` is rendered in the one Jinja2 environment of
:mod:`relnotes.render` (strict, byte-stable). The action pins live here and only here (W16).
"""

from __future__ import annotations

from typing import Any

from relnotes.errors import TemplateError

#: Every action the workflows use, pinned to a full commit with its release as a comment.
PINS: dict[str, tuple[str, str, str]] = {
    "checkout": ("actions/checkout", "v7.0.1", "3d3c42e5aac5ba805825da76410c181273ba90b1"),
    "setup_python": ("actions/setup-python", "v7.0.0", "5fda3b95a4ea91299a34e894583c3862153e4b97"),
    "upload_artifact": (
        "actions/upload-artifact",
        "v7.0.0",
        "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f",
    ),
    "download_artifact": (
        "actions/download-artifact",
        "v8.0.1",
        "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c",
    ),
    "pypi_publish": (
        "pypa/gh-action-pypi-publish",
        "v1.13.0",
        "ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e",
    ),
}
#: The workflow templates, by the file name they are written as (``_build.yml.jinja`` is a
#: partial both include, not a workflow of its own).
WORKFLOWS = ("release.yml", "ci.yml")
#: Values every caller may leave out.
DEFAULTS: dict[str, Any] = {
    "python_versions": ["3.11", "3.12", "3.13"],
    "tag_pattern": "v*",
    "test_command": "make check",
    "dogfood": False,  # True only for relnotes itself: run relnotes from the wheel just built
    "relnotes_requirement": "relnotes",
}
#: relnotes' own values: .github/workflows/*.yml are these templates rendered with them.
RELNOTES = {"package": "relnotes", "repository": "relnotes/relnotes", "dogfood": True}
_GLOB = "*?[{"


def uses(key: str) -> str:
    """``owner/action@<sha> # vX.Y.Z`` for one of :data:`PINS`."""
    action, release, sha = PINS[key]
    return f"{action}@{sha} # {release}"


def render_workflow(name: str, **values: Any) -> str:
    """Render ``templates/scaffold/<name>.jinja`` (``release.yml`` or ``ci.yml``).

    Required: ``package`` (the PyPI name) and ``repository`` (``owner/name``); see
    :data:`DEFAULTS` for the rest. ``tag_prefix`` and ``python`` are derived unless given.
    """
    import jinja2

    from relnotes.config import Config
    from relnotes.render import environment

    if name not in WORKFLOWS:
        raise TemplateError(f"no workflow template {name!r}", hint=f"use one of {WORKFLOWS}")
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
