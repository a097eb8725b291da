"""Why: how each commit was classified (``relnotes log``) and which commits decided the bump
(``relnotes next-version --explain``), as the text and JSON those commands print."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from relnotes.classify import classify
from relnotes.models import Release
from relnotes.notes import one_line

if TYPE_CHECKING:
    from collections.abc import Sequence

    from relnotes.classify import Decision
    from relnotes.models import Commit
    from relnotes.project import NextVersion, Project


@dataclass(frozen=True, slots=True)
class LogGroup:
    """Commits as ``relnotes log`` shows them: one release or one range."""

    tag: str | None
    version: str | None
    commits: tuple[Commit, ...]
    decisions: dict[str, Decision]


def log(project: Project, revision_range: str | None) -> list[LogGroup]:
    """How each commit was classified, and why: the whole history by release, or a range."""
    history = project.history
    if revision_range is None:
        unreleased, releases = history.all_releases()
        groups = [Release(None, None, None, None, tuple(unreleased)), *releases]
    else:
        include, exclude = history.split_range(revision_range)
        commits = history.commits(include, exclude)
        groups = [Release(None, None, None, None, tuple(commits))]
    return [
        LogGroup(r.tag, r.version, r.commits, classify(r.commits, project.config).decisions)
        for r in groups
        if r.commits or r.tag
    ]


def log_text(groups: Sequence[LogGroup], revision_range: str | None) -> str:
    """``relnotes log``: each release (or the range) and, per commit, where it went and why."""
    lines: list[str] = []
    for group in groups:
        title = group.tag or ("Unreleased" if revision_range is None else revision_range)
        lines.append(f"{title} ({len(group.commits)} commits)")
        for commit in group.commits:
            decision = group.decisions[commit.sha]
            where = decision.section or "-"
            if decision.breaking:
                where += ", breaking"
            lines.append(f"  {commit.short}  {one_line(commit.parsed.header)}")
            lines.append(f"           -> {where}: {decision.reason}")
    return "\n".join(lines) + "\n"


def log_json(groups: Sequence[LogGroup]) -> dict[str, Any]:
    """``relnotes log --format json``: the releases, each commit with its section and why."""
    return {
        "releases": [
            {
                "tag": g.tag,
                "version": g.version,
                "commits": [_commit_json(c, g.decisions[c.sha]) for c in g.commits],
            }
            for g in groups
        ]
    }


def _commit_json(commit: Commit, decision: Decision) -> dict[str, Any]:
    parsed = commit.parsed
    return {
        "sha": commit.sha,
        "header": parsed.header,
        "kind": parsed.kind,
        "conventional": parsed.conventional,
        "type": parsed.type,
        "scope": parsed.scope,
        "breaking": parsed.breaking,
        "section": decision.section,
        "reason": decision.reason,
    }


def bump_lines(nxt: NextVersion) -> list[str]:
    """``relnotes next-version --explain``: the version it starts from, the bump and the
    commits that decided it, and the next version."""
    base = nxt.current.name if nxt.current else "no version tag yet"
    lines = [f"current: {base}; {len(nxt.commits)} commit(s) since"]
    if nxt.current is None and nxt.version:
        lines.append(f"first release: {nxt.version} (initial_version, or version in config)")
    elif nxt.version and nxt.increment is None:
        lines.append(f"no commit asks for more: the final release of {base}")
    elif nxt.forced:
        lines.append(f"bump: {nxt.increment} (forced with --increment)")
    elif nxt.increment:
        lines.append(f"bump: {nxt.increment}, decided by:")
        for commit in nxt.deciding:
            why = "breaking change" if commit.parsed.breaking else f"type {commit.parsed.type}"
            lines.append(f"  {commit.short} {one_line(commit.parsed.header)}  ({why})")
    if nxt.version:
        lines.append(f"next: {nxt.version} (tag {nxt.tag})")
    return lines
