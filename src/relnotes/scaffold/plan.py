"""`relnotes init`: plan and write a release pipeline into an existing Python project.

:func:`plan_init` reads the project and returns every file it would write (created, updated,
kept, or overwritten) without touching anything; :func:`apply` writes the plan, refusing to
overwrite a file whose content differs unless forced. What it detects is in
:mod:`~relnotes.scaffold.detect`, the edits in :mod:`~relnotes.scaffold.pyproject` and
:mod:`~relnotes.scaffold.pre_commit`, the rendered files in :mod:`~relnotes.scaffold.templates`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any

from relnotes.errors import ConfigError, RelnotesError
from relnotes.scaffold.changes import Change, inside, read_text, whole_file
from relnotes.scaffold.detect import (
    check_package,
    check_python_versions,
    example_tag,
    github_repository,
    project_test_command,
    require_top_level,
    static_version,
    supported_pythons,
    tagged_versions,
)
from relnotes.scaffold.pre_commit import pre_commit_change
from relnotes.scaffold.pyproject import (
    PYPROJECT,
    check_shapes,
    edit_pyproject,
    has_table,
)
from relnotes.scaffold.templates import github_files, own_pin, render_file, requirement_files


@dataclass(slots=True)
class Plan:
    root: str
    package: str
    repository: str  # owner/name
    changes: list[Change] = field(default_factory=list)

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.action == "overwrite"]


def plan_init(
    path: str = ".",
    *,
    package: str | None = None,
    repository: str | None = None,
    python_versions: list[str] | None = None,
    test_command: str | None = None,
) -> Plan:
    """Every file ``relnotes init`` would write into the project at ``path``, and how."""
    from relnotes.config import CZ_FILES, load_config, parse_toml

    root = os.path.abspath(path)
    text = read_text(root, PYPROJECT, newline="")  # as it is: its line endings are kept
    if text is None:
        raise RelnotesError(
            f"no pyproject.toml in {root}",
            hint="relnotes init works on an existing Python project (uv init --package makes one)",
        )
    raw, text = text, text.replace("\r\n", "\n")
    data: dict[str, Any] = parse_toml(text, os.path.join(root, PYPROJECT))
    check_shapes(data)
    require_top_level(root)
    for settings in CZ_FILES:  # what the configuration reads: UTF-8, inside the project
        read_text(root, settings)
    config = load_config(root)
    project = data.get("project", {})
    name = package or project.get("name")
    if not isinstance(name, str) or not name:
        raise ConfigError(
            "pyproject.toml has no [project] name", hint="add one, or pass --package NAME"
        )
    check_package(name, given=package is not None)
    if python_versions is not None:
        check_python_versions(python_versions)
    slug = github_repository(root, config, repository)
    versions = python_versions or supported_pythons(project.get("requires-python"))
    tag_format = config.tag_format
    tagged = tagged_versions(root, tag_format)
    static = static_version(project.get("version"))
    known = [*tagged, *([static] if static is not None else [])]
    prefix = tag_format.split("$", 1)[0]
    tag_pattern = f"{prefix}*" if prefix else "[0-9]*"
    pin = own_pin()  # relnotes itself, pinned to the version writing the files
    values: dict[str, Any] = {
        "package": name,
        "repository": slug,
        "python_versions": versions,
        "tag_pattern": tag_pattern,
        "test_command": test_command or project_test_command(root),
        "relnotes_requirement": pin.requirement,
    }
    plan = Plan(root, name, slug)
    for relative, rendered in {**github_files(**values), **requirement_files()}.items():
        change = whole_file(root, relative, rendered)
        workflow = relative.startswith(".github/workflows/")
        if workflow and pin.workflows_note and change.action != "keep":
            change = replace(change, notes=(*change.notes, pin.workflows_note))
        plan.changes.append(change)
    cz_file = next((n for n in CZ_FILES if os.path.isfile(os.path.join(root, n))), None)
    if cz_file is not None:  # commitizen's settings stay as they are
        kept = read_text(root, cz_file) or ""
        plan.changes.append(Change(cz_file, "keep", kept, kept))
    elif not has_table(data, "tool", "commitizen"):
        plan.changes.append(
            whole_file(
                root,
                ".cz.toml",
                render_file(
                    "cz.toml.jinja",
                    tag_format=tag_format,
                    major_version_zero=all(v.major == 0 for v in known),
                ),
            )
        )
    change = edit_pyproject(text, data, config, name, slug, tag_format, tagged)
    if raw != text:  # CRLF: the file keeps its line endings
        new = change.new.replace("\n", "\r\n")
        change = Change(change.path, change.action, raw, new, change.notes)
    plan.changes.append(change)
    plan.changes.append(pre_commit_change(root, pin))
    owner, short = slug.split("/")
    context = {
        "package": name,
        "owner": owner,
        "name": short,
        "repository_url": f"https://github.com/{slug}",
        "tag_pattern": tag_pattern,
        "example_tag": example_tag(tag_format),
    }
    for file in ("MILESTONES.md", "RELEASING.md"):
        plan.changes.append(whole_file(root, file, render_file(f"{file}.jinja", **context)))
    return plan


def refuse_conflicts(plan: Plan, *, force: bool = False, dry_run: bool = False) -> None:
    """Stop (exit 2) where the plan would overwrite a file and ``force`` is not given.

    ``--dry-run`` calls it too, after the diff, so that it exits as the real run would.
    """
    if plan.conflicts and not force:
        names = ", ".join(c.path for c in plan.conflicts)
        see = "" if dry_run else "see the changes with --dry-run, then "
        raise RelnotesError(
            f"init would overwrite {names}: nothing was written",
            hint=f"{see}rerun with --force to replace them",
        )


def apply(plan: Plan, *, force: bool = False) -> None:
    """Write the plan; without ``force``, nothing is written if a file would be overwritten."""
    from relnotes.output import write_atomic

    refuse_conflicts(plan, force=force)
    for change in plan.changes:
        if change.action == "keep":
            continue
        target = inside(plan.root, change.path)  # checked again just before writing
        os.makedirs(os.path.dirname(target), exist_ok=True)
        write_atomic(target, change.new)


def diff(plan: Plan) -> str:
    """The plan as unified diffs (new files against /dev/null)."""
    from relnotes.output import unified_diff

    return "".join(
        unified_diff(change.old, change.new, change.path)
        for change in plan.changes
        if change.action != "keep"
    )
