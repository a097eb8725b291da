"""`relnotes init`: what it detects in a project, edits and writes (the public API)."""

from __future__ import annotations

from relnotes.scaffold.plan import Change, Plan, apply, diff, plan_init, refuse_conflicts
from relnotes.scaffold.templates import (
    DEFAULTS,
    GITHUB_FILES,
    PINS,
    RELNOTES,
    build_requirements,
    github_files,
    read_pins,
    render_workflow,
)

__all__ = [
    "DEFAULTS",
    "GITHUB_FILES",
    "PINS",
    "RELNOTES",
    "Change",
    "Plan",
    "apply",
    "build_requirements",
    "diff",
    "github_files",
    "plan_init",
    "read_pins",
    "refuse_conflicts",
    "render_workflow",
]
