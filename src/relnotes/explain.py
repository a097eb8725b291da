"""Why: how each commit was classified (``relnotes log``) and which commits decided the bump
(``relnotes next-version --explain``), as the text and JSON those commands print."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from relnotes.classify import classify
from relnotes.models import Release
from relnotes.notes import one_line

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from relnotes.classify import Decision
    from relnotes.config import Config
    from relnotes.models import Commit
    from relnotes.project import NextVersion, Project


@dataclass(frozen=True, slots=True)
class LogGroup:
    """Commits as ``relnotes log`` shows them: one release or one range."""

    tag: str | None
    version: str | None
    commits: tuple[Commit, ...]
    decisions: dict[str, Decision]


def log(project: Project, revision_range: str | None) -> Iterator[LogGroup]:
    """How each commit was classified, and why: the whole history by release, or a range.

    History is read here; each group is classified when the caller reaches it, and the
    caller that lets it go lets its commits go: a whole history is printed release by
    release, never held as parsed messages all at once.
    """
    history = project.history
    if revision_range is None:
        unreleased, releases = history.all_releases()
        groups = [Release(None, None, None, None, tuple(unreleased)), *releases]
        del unreleased, releases
    else:
        include, exclude = history.split_range(revision_range)
        groups = [Release(None, None, None, None, tuple(history.commits(include, exclude)))]
    return _classified(groups, project.config)


def _classified(groups: list[Release], config: Config) -> Iterator[LogGroup]:
    """The groups in order, each classified when reached, each dropped once handed on."""
    groups.reverse()
    while groups:
        release = groups.pop()
        if release.commits or release.tag:
            decisions = classify(release.commits, config).decisions
            yield LogGroup(release.tag, release.version, release.commits, decisions)


def log_text(groups: Iterable[LogGroup], revision_range: str | None) -> Iterator[str]:
    """``relnotes log``: each release (or the range) and, per commit, where it went and why;
    the text of one release at a time."""
    empty = True
    for group in groups:
        empty = False
        title = group.tag or ("Unreleased" if revision_range is None else revision_range)
        lines = [f"{title} ({len(group.commits)} commits)"]
        for commit in group.commits:
            decision = group.decisions[commit.sha]
            where = decision.section or "-"
            if decision.breaking:
                where += ", breaking"
            lines.append(f"  {commit.short}  {one_line(commit.parsed.header)}")
            lines.append(f"           -> {where}: {decision.reason}")
        yield "\n".join(lines) + "\n"
    if empty:
        yield "\n"


def log_json(groups: Iterable[LogGroup]) -> Iterator[str]:
    """``relnotes log --format json``: the releases, each commit with its section and why,
    as the compact JSON text of ``{"releases": [...]}`` one release at a time (the same
    bytes as the whole object dumped at once)."""
    yield '{"releases":['
    separator = ""
    for g in groups:
        release = {
            "tag": g.tag,
            "version": g.version,
            "commits": [_commit_json(c, g.decisions[c.sha]) for c in g.commits],
        }
        yield separator + json.dumps(release, separators=(",", ":"))
        separator = ","
    yield "]}\n"


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
