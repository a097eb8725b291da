"""Classify: the commits of one release into sections, breaking changes first.

Every commit gets a decision (its section or why it is left out), which ``relnotes log``
shows; the notes and the changelog are built from the same decisions.
"""

from __future__ import annotations

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


class Section(NamedTuple):
    title: str
    type: str
    commits: tuple[Commit, ...]


class Classified:
    """The sections of one release, in the configured order, with every decision.

    (A plain class, not a dataclass: ``dataclasses`` imports ``inspect``, which would cost
    ``relnotes notes`` more than its classifying.)"""

    __slots__ = ("breaking", "cancelled", "decisions", "nonconventional", "sections")

    def __init__(self, cancelled: dict[str, str] | None = None) -> None:
        self.breaking: list[Commit] = []
        self.sections: list[Section] = []
        self.nonconventional: list[Commit] = []
        self.decisions: dict[str, Decision] = {}
        #: the reverts and reverted commits that cancel out (sha -> why):
        #: :func:`cancelled_reverts`
        self.cancelled: dict[str, str] = {} if cancelled is None else cancelled


def cancelled_reverts(commits: Sequence[Commit]) -> dict[str, str]:
    """Reverts whose target is in the same release: both vanish (sha -> why).

    ``commits`` come newest first, children before parents, so a revert of a revert brings
    the original back. A revert names its target by sha (order does not matter then) or, failing
    that, by header (the target is then the nearest older commit with that header).
    """
    cancelled: dict[str, str] = {}
    if "revert" not in [c.parsed.kind for c in commits]:
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


def classify(commits: Sequence[Commit], config: Config, *, why: bool = True) -> Classified:
    """Sort one release's commits (newest first) into sections. ``why``: record each
    commit's decision (``relnotes log`` shows them; the notes, made for every release of a
    whole history, need only the sections)."""
    result = Classified(cancelled=cancelled_reverts(commits))
    cancelled = result.cancelled
    listed: dict[str, list[Commit]] = {t: [] for t in config.sections}
    other: list[Commit] = []
    bump = config.is_bump_commit if config.bump_template is not None else None
    release = config.is_release_commit
    for commit in commits:  # one pass, no call per commit: a whole history goes through here
        parsed = commit.parsed
        kind = parsed.kind
        breaking = parsed.breaking
        left_out: str | None = None  # why the commit is not listed at all
        if len(commit.parents) > 1 or kind == "merge":  # Commit.is_merge
            left_out = "merge commit: not listed"
        elif kind in AUTOSQUASH:
            left_out = f"{kind}! commit: folded into {parsed.target!r}"
        elif commit.sha in cancelled:
            left_out = cancelled[commit.sha]
        elif breaking:
            pass  # a bump or release commit that breaks something is listed
        elif bump is not None and bump(parsed.header):
            left_out = "commitizen bump commit: not listed"
        elif release(parsed.header):
            left_out = "release commit: not listed"
        if left_out is not None:
            if why:
                result.decisions[commit.sha] = Decision(None, left_out)
            continue
        if breaking:
            result.breaking.append(commit)
        commit_type = "revert" if kind == "revert" else parsed.type
        if commit_type is None:
            result.nonconventional.append(commit)
            if config.other_section:
                other.append(commit)
            if why:
                result.decisions[commit.sha] = _nonconventional(breaking, config.other_section)
        elif commit_type in listed:
            listed[commit_type].append(commit)
            if why:
                title = config.sections[commit_type]
                result.decisions[commit.sha] = Decision(
                    title, f"type {commit_type} -> {title}", breaking
                )
        elif why:
            reason = f"type {commit_type} is not shown (not in sections)"
            if breaking:
                reason += "; listed as a breaking change"
            result.decisions[commit.sha] = Decision(None, reason, breaking)
    result.sections = [
        Section(title, commit_type, tuple(listed[commit_type]))
        for commit_type, title in config.sections.items()
        if listed[commit_type]
    ]
    if other:
        result.sections.append(Section(config.other_section, "", tuple(other)))
    return result


def _nonconventional(breaking: bool, other_section: str) -> Decision:
    """The decision on a commit that is not conventional."""
    if other_section:
        return Decision(other_section, "not a conventional commit", breaking)
    if breaking:
        return Decision(
            None, "not a conventional commit; listed for its BREAKING CHANGE footer", True
        )
    return Decision(None, "not a conventional commit: not listed", False)
