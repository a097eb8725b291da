"""`relnotes init`: what it detects in a project, edits and writes (the public API).

- :mod:`~relnotes.scaffold.detect`: the GitHub repository, the Python versions, the test
  command, the tags; whether the folder is the repository's top level;
- :mod:`~relnotes.scaffold.pyproject`: pyproject.toml checked and edited in place (tomlkit);
- :mod:`~relnotes.scaffold.pre_commit`: the commit-msg hook added to .pre-commit-config.yaml;
- :mod:`~relnotes.scaffold.templates`: the workflows, Dependabot's settings and the other files
  rendered from ``templates/scaffold/``, with the action pins and the hash-pinned build tools;
- :mod:`~relnotes.scaffold.changes`: one file's :class:`Change`, and the project's files read;
- :mod:`~relnotes.scaffold.plan`: :func:`plan_init` (every change, nothing written),
  :func:`apply`, :func:`diff`.
"""

from __future__ import annotations

from relnotes.scaffold.changes import Change
from relnotes.scaffold.plan import Plan, apply, diff, plan_init, refuse_conflicts
from relnotes.scaffold.templates import (
    DEFAULTS,
    GITHUB_FILES,
    PINS,
    RELNOTES,
    github_files,
    read_pins,
    render_workflow,
    requirement_files,
)

__all__ = [
    "DEFAULTS",
    "GITHUB_FILES",
    "PINS",
    "RELNOTES",
    "Change",
    "Plan",
    "apply",
    "diff",
    "github_files",
    "plan_init",
    "read_pins",
    "refuse_conflicts",
    "render_workflow",
    "requirement_files",
]
