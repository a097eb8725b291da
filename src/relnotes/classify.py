"""Classify: the commits of one release into sections, breaking changes first.

Every commit gets a decision (its section or why it is left out), which ``relnotes log``
shows; the notes and the changelog are built from the same decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence

    from relnotes.config import Config
    from relnotes.models import Commit

AUTOSQUASH = ("fixup", "squash", "amend")


class Decision(NamedTuple):
    """Where one commit went, and why."""

    section: str | None  # the section title, or None when the commit is not listed
    reason: str
    breaking: bool = False


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    type: str
    commits: tuple[Commit, ...]


@dataclass(slots=True)
class Classified:
    """The sections of one release, in the configured order, with every decision."""

    breaking: list[Commit] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    nonconventional: list[Commit] = field(default_factory=list)
    decisions: dict[str, Decision] = field(default_factory=dict)


def cancelled_reverts(commits: Sequence[Commit]) -> dict[str, str]:
    """Reverts whose target is in the same release: both vanish (sha -> why).

    ``commits`` come newest first, children before parents, so a revert of a revert brings
    the original back. A revert names its target by sha (order does not matter then) or, failing
    that, by header (the target is then the nearest older commit with that header).
    """
    cancelled: dict[str, str] = {}
    if not any(c.parsed.kind == "revert" for c in commits):
        return cancelled  # most releases: no revert, nothing to look up
    position = {c.sha: i for i, c in enumerate(commits)}
    by_header: dict[str, list[Commit]] = {}
    for commit in commits:
        by_header.setdefault(commit.parsed.header, []).append(commit)
    for index, revert in enumerate(commits):
        parsed = revert.parsed
        if parsed.kind != "revert" or revert.sha in cancelled:
            continue
        target: Commit | None = None
        if parsed.reverted_sha:
            target = next(
                (
                    c
                    for c in commits
                    if c.sha.startswith(parsed.reverted_sha) and c.sha != revert.sha
                ),
                None,
            )
        elif parsed.target:
            older = (c for c in by_header.get(parsed.target, []) if position[c.sha] > index)
            target = next(older, None)
        if target is not None and target.sha not in cancelled:
            cancelled[revert.sha] = f"cancelled: reverts {target.short} in the same release"
            cancelled[target.sha] = f"cancelled: reverted by {revert.short} in the same release"
    return cancelled


def classify(commits: Sequence[Commit], config: Config) -> Classified:
    """Sort one release's commits (newest first) into sections."""
    result = Classified()
    cancelled = cancelled_reverts(commits)
    listed: dict[str, list[Commit]] = {t: [] for t in config.sections}
    other: list[Commit] = []
    for commit in commits:
        parsed = commit.parsed
        if commit.is_merge:
            result.decisions[commit.sha] = Decision(None, "merge commit: not listed")
            continue
        if parsed.kind in AUTOSQUASH:
            result.decisions[commit.sha] = Decision(
                None, f"{parsed.kind}! commit: folded into {parsed.target!r}"
            )
            continue
        if commit.sha in cancelled:
            result.decisions[commit.sha] = Decision(None, cancelled[commit.sha])
            continue
        if config.is_bump_commit(parsed.header) and not parsed.breaking:
            result.decisions[commit.sha] = Decision(None, "commitizen bump commit: not listed")
            continue
        if config.is_release_commit(parsed.header) and not parsed.breaking:
            result.decisions[commit.sha] = Decision(None, "release commit: not listed")
            continue
        if parsed.breaking:
            result.breaking.append(commit)
        commit_type = "revert" if parsed.kind == "revert" else parsed.type
        if commit_type is None:
            result.nonconventional.append(commit)
            if config.other_section:
                other.append(commit)
                result.decisions[commit.sha] = Decision(
                    config.other_section, "not a conventional commit", parsed.breaking
                )
            else:
                why = "not a conventional commit: not listed"
                if parsed.breaking:
                    why = "not a conventional commit; listed for its BREAKING CHANGE footer"
                result.decisions[commit.sha] = Decision(None, why, parsed.breaking)
            continue
        if commit_type in listed:
            listed[commit_type].append(commit)
            title = config.sections[commit_type]
            result.decisions[commit.sha] = Decision(
                title, f"type {commit_type} -> {title}", parsed.breaking
            )
        else:
            why = f"type {commit_type} is not shown (not in sections)"
            if parsed.breaking:
                why += "; listed as a breaking change"
            result.decisions[commit.sha] = Decision(None, why, parsed.breaking)
    for commit_type, title in config.sections.items():
        if listed[commit_type]:
            result.sections.append(Section(title, commit_type, tuple(listed[commit_type])))
    if other:
        result.sections.append(Section(config.other_section, "", tuple(other)))
    return result
