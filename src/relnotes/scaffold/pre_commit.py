""".pre-commit-config.yaml as `relnotes init` edits it: relnotes' commit-msg hook added as the
first `repos:` item, and commit-msg among the hook types pre-commit installs."""

from __future__ import annotations

import re
from dataclasses import replace

from relnotes.scaffold.changes import Change, read_text
from relnotes.scaffold.templates import OwnPin, render_file

PRE_COMMIT = ".pre-commit-config.yaml"
HOOK_TYPES = "default_install_hook_types: [pre-commit, commit-msg]\n"


def pre_commit_change(root: str, pin: OwnPin) -> Change:
    """The hook added to the project's .pre-commit-config.yaml (or a new file with it)."""
    change = _change(root, render_file("pre-commit-entry.yaml.jinja", rev=pin.rev))
    if change.action == "keep" or not pin.hook_note:
        return change
    return replace(change, notes=(*change.notes, pin.hook_note))


def _change(root: str, entry: str) -> Change:
    old = read_text(root, PRE_COMMIT)
    if old is None:
        indented = "".join(f"  {line}" for line in entry.splitlines(keepends=True))
        return Change(
            PRE_COMMIT, "create", None, render_file("pre-commit-config.yaml.jinja", entry=indented)
        )
    if re.search(r"^\s*-?\s*id:\s*relnotes\s*(#.*)?$", old, re.MULTILINE):
        return Change(PRE_COMMIT, "keep", old, old)
    new = _insert_hook(old, entry)
    if new is None:
        return Change(
            PRE_COMMIT,
            "overwrite",
            old,
            render_file(
                "pre-commit-config.yaml.jinja",
                entry="".join(f"  {line}" for line in entry.splitlines(keepends=True)),
            ),
            ("its `repos:` could not be extended in place",),
        )
    return Change(PRE_COMMIT, "update", old, new, ("relnotes' commit-msg hook added",))


def _insert_hook(text: str, entry: str) -> str | None:
    """``text`` with ``entry`` as the first item of ``repos:`` (``None`` when unsure)."""
    import yaml

    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    index = next((i for i, line in enumerate(lines) if re.match(r"^repos:", line)), None)
    if index is None:
        lines.append("repos:\n")
        index = len(lines) - 1
    elif re.match(r"^repos:\s*\[\s*\]\s*(#.*)?$", lines[index]):
        lines[index] = "repos:\n"
    indent = "  "
    for line in lines[index + 1 :]:
        if line.strip() and not line.lstrip().startswith("#"):
            found = re.match(r"^(\s*)-", line)
            indent = found[1] if found else "  "
            break
    lines[index + 1 : index + 1] = [f"{indent}{line}" for line in entry.splitlines(keepends=True)]
    types = next(
        (i for i, line in enumerate(lines) if line.startswith("default_install_hook_types:")), None
    )
    if types is None:
        start = next((i for i, line in enumerate(lines) if not line.startswith("#")), 0)
        lines.insert(start, HOOK_TYPES)
    elif "commit-msg" not in lines[types]:
        listed = re.match(r"^default_install_hook_types:\s*\[(.*)\]\s*(#.*)?$", lines[types])
        if listed is None:
            return None
        items = [item.strip() for item in listed[1].split(",") if item.strip()]
        lines[types] = f"default_install_hook_types: [{', '.join([*items, 'commit-msg'])}]\n"
    new = "".join(lines)
    try:
        data = yaml.safe_load(new)
    except yaml.YAMLError:
        return None
    repos = data.get("repos") if isinstance(data, dict) else None
    if not isinstance(repos, list) or not any(
        isinstance(r, dict) and r.get("repo", "").endswith("/relnotes") for r in repos
    ):
        return None
    return new
