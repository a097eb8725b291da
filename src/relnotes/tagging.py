"""Making a release: ``relnotes tag``.

First the checks, each a refusal with one line and a hint: a clean work tree, HEAD on the
release branch and level with its upstream as git last saw it (nothing is fetched), a version
to release whose tag exists in no spelling. Then the changelog, when the project keeps one, is
brought up to date for the new version (its section is the release being tagged) and committed
with ``release_message``; then the annotated tag, whose message is the body ``relnotes notes``
will publish for it. One moment dates the changelog's heading, the body and the tag itself, so
the three cannot disagree, even across midnight. Nothing is pushed unless asked.

:func:`plan` decides everything and changes nothing (what ``--dry-run`` shows); :func:`make`
does it.
"""

from __future__ import annotations

import datetime as dt
import os
import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from relnotes import git
from relnotes.errors import ConfigError, GitError
from relnotes.project import (
    Project,
    compute_next,
    headline,
    notes_for_tag,
    nothing_to_release,
    preview_warnings,
    release_notes,
)

if TYPE_CHECKING:
    from relnotes.changelog import Update
    from relnotes.models import Tag
    from relnotes.project import NextVersion
    from relnotes.version import Increment

#: The release branch when neither release_branch nor the remote's HEAD names one.
DEFAULT_BRANCH = "main"


@dataclass(frozen=True, slots=True)
class Plan:
    """A release about to be made: what will be committed, tagged and pushed."""

    next: NextVersion
    tag: Tag  # the tag to make, on HEAD (the release commit, once made), with its date
    branch: str
    remote: str | None  # where to push (the upstream's remote, else origin)
    remote_branch: str  # the branch there
    changelog: Update | None  # None: no changelog kept, --no-changelog, or up to date
    message: str  # the release commit's message (made only with a changelog to commit)
    body: str  # the tag's message: the release body (the release commit changes nothing in it)
    signed: bool  # the tag will be signed
    sign: bool | None = None  # --sign / --no-sign; None: as git's tag.gpgSign says
    warnings: list[str] = field(default_factory=list)
    headline: str = ""  # as preview says it: next version: 1.3.0, tag v1.3.0 (MINOR) since …

    @property
    def push_refs(self) -> list[str]:
        branch = self.branch
        if self.remote_branch != branch:
            branch = f"{branch}:{self.remote_branch}"
        return [branch, self.tag.name]

    @property
    def push_command(self) -> str:
        return " ".join(["git", "push", "--atomic", self.remote or "REMOTE", *self.push_refs])

    @property
    def kind(self) -> str:
        return "signed annotated" if self.signed else "annotated"

    def dry_run(self, *, push: bool) -> str:
        """What ``--dry-run`` prints: the changelog diff and the release commit, the tag and
        its message, the push."""
        from relnotes.output import unified_diff

        update = self.changelog
        text = ""
        if update is not None:
            text += unified_diff(update.old or "", update.new, update.name)
            text += f"\nwould commit {update.name} as: {self.message}"
        on = "that commit" if update is not None else f"{self.tag.sha[:7]} (HEAD)"
        text += f"\nwould make the {self.kind} tag {self.tag.name} on {on}, its message:\n\n"
        text += self.body
        push_line = "would push" if push else "then push it"
        return text + f"\n{push_line}: {self.push_command}\ndry run: nothing was changed\n"

    def done(self, made: Made) -> str:
        """What was done: the release commit, the tag, the push (or how to push)."""
        lines: list[str] = []
        update = self.changelog
        if made.committed and update is not None:
            what = f"added {', '.join(update.added)}" if update.added else "brought up to date"
            lines.append(f"{update.name}: {what}, committed as {made.committed[:7]}")
        tag = made.tag
        lines.append(f"tagged {tag.name} on {tag.sha[:7]} ({self.kind}): its message is the body")
        lines.append(f"{'pushed' if made.pushed else 'push it'}: {self.push_command}")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class Made:
    """What :func:`make` did."""

    tag: Tag  # the tag, on the commit it names
    committed: str | None  # the release commit, if one was made
    pushed: bool


def plan(
    project: Project,
    *,
    increment: Increment | None = None,
    prerelease: str | None = None,
    allow_branch: bool = False,
    changelog: bool = True,
    sign: bool | None = None,
    push: bool = False,
    now: dt.datetime | None = None,
) -> Plan:
    """Check that a release may be made here and now, and decide it all (nothing changes).

    Refusals (exit 2 unless said): a bare repository, uncommitted changes, a detached HEAD or
    a branch other than the release branch (unless ``allow_branch``), a branch behind, ahead
    of or diverged from its upstream, a version whose tag exists in any spelling, nothing to
    release (exit 1), a ``release_message`` that ``relnotes check`` would refuse, ``push``
    with no remote.
    """
    root = project.root
    if project.bare:
        raise GitError(
            "this is a bare repository: there is no work tree to release from",
            hint="run relnotes tag in a clone",
        )
    if git.is_dirty(root):
        raise GitError(
            "the work tree has uncommitted changes: the tag would not name what you tested",
            hint="commit or stash them (git status), then tag",
        )
    branch, remote, remote_branch, warnings = _where(project, allow_branch)
    if push and remote is None:
        raise GitError(
            "--push: this repository has no remote to push to",
            hint="add one (git remote add origin URL), or tag without --push",
        )
    nxt = compute_next(project, increment=increment, prerelease=prerelease)
    if nxt.version is None:
        raise nothing_to_release(nxt)
    moment = (now or dt.datetime.now().astimezone()).replace(microsecond=0)
    head = git.resolve_commit(root, "HEAD") or "HEAD"
    tag = project.history.pending(nxt.version, head, moment.isoformat())
    notes, body, release = release_notes(project, tag)
    message = release_message(project, tag, notes["previous_tag"])
    update = None
    if changelog:
        from relnotes.changelog import changelog_path, upcoming

        if os.path.isfile(changelog_path(project)):
            update = upcoming(project, tag)
            update = update if update.changed else None
    warnings += preview_warnings(project, nxt, notes, release)
    signed = sign if sign is not None else git.config_flag(root, "tag.gpgSign")
    return Plan(
        nxt,
        tag,
        branch,
        remote,
        remote_branch,
        update,
        message,
        body,
        signed,
        sign,
        warnings,
        headline(nxt, notes["previous_tag"]),
    )


def _where(project: Project, allow_branch: bool) -> tuple[str, str | None, str, list[str]]:
    """The branch to release from, where it is pushed, and what to say about it."""
    from relnotes.repository import read_refs

    root = project.root
    refs = read_refs(root)
    branch, upstream, names = refs.branch, refs.upstream, refs.remotes
    remote = upstream.remote if upstream and upstream.remote in names else None
    if remote is None and names:
        remote = "origin" if "origin" in names else names[0]
    wanted = project.config.release_branch
    if wanted is None:
        wanted = (refs.remote_heads.get(remote) if remote else None) or DEFAULT_BRANCH
    if branch is None:
        short = (git.resolve_commit(root, "HEAD") or "")[:7]
        raise GitError(
            f"HEAD is detached (at {short}): a release is tagged on a branch",
            hint=f"switch to the release branch (git switch {wanted})",
        )
    if branch != wanted and not allow_branch:
        raise GitError(
            f"HEAD is on {branch}, not on the release branch {wanted}",
            hint=f"switch to it (git switch {wanted}); for a maintenance branch, pass "
            "--allow-branch (release_branch in [tool.relnotes] names the release branch)",
        )
    warnings: list[str] = []
    if upstream is None:
        warnings.append(f"{branch} has no upstream branch: it was not compared with a remote")
        return branch, remote, branch, warnings
    fetch = f"(as git last saw it: `git fetch {upstream.remote}` updates {upstream.name})"
    ahead, behind = git.ahead_behind(root, upstream.sha) if upstream.sha else (0, 0)
    if upstream.sha is None:
        warnings.append(f"{branch}'s upstream {upstream.name} is gone {fetch}")
    elif ahead and behind:
        raise GitError(
            f"{branch} and {upstream.name} have diverged ({_commits(ahead)} here, "
            f"{_commits(behind)} there) {fetch}",
            hint=f"bring {branch} level with {upstream.name} (git pull --rebase, push, let CI "
            "pass), then tag",
        )
    elif behind:
        raise GitError(
            f"{branch} is {_commits(behind)} behind {upstream.name} {fetch}",
            hint="pull first (git pull --ff-only): the release would leave those commits out",
        )
    elif ahead:
        raise GitError(
            f"{branch} is {_commits(ahead)} ahead of {upstream.name}: "
            "not pushed, not checked by CI",
            hint="push them and let CI pass, then tag",
        )
    return branch, remote, upstream.branch or branch, warnings


def _commits(count: int) -> str:
    return f"{count} commit{'s' if count != 1 else ''}"


def release_message(project: Project, tag: Tag, previous_tag: str | None) -> str:
    """``release_message`` for this release; it must pass ``relnotes check``."""
    from relnotes.lint import lint_message

    config = project.config
    history = project.history
    version = history.version_text(tag)
    previous = history.version_text(history.tag(previous_tag)) if previous_tag else ""
    values = {
        "tag": tag.name,
        "version": version,
        "previous_tag": previous_tag or "",
        "new_version": version,
        "current_version": previous,
    }
    try:
        message = string.Template(config.release_message).substitute(values)
    except (KeyError, ValueError) as exc:
        raise ConfigError(
            f"release_message {config.release_message!r}: no value for {exc}",
            hint="it may name $tag, $version and $previous_tag",
        ) from None
    errors = [f for f in lint_message(message, config, comment_char=None) if f.severity == "error"]
    if errors:
        raise ConfigError(
            f"release_message {message!r} does not pass relnotes check: {errors[0].message}",
            hint='set release_message in [tool.relnotes] (default "chore(release): $tag")',
        )
    return message if message.endswith("\n") else message + "\n"


def make(project: Project, plan: Plan, *, push: bool = False) -> Made:
    """Commit the changelog, make the tag, push if asked.

    The tag's message is rendered again once the release commit exists, from the tag as it
    will be, and read back as the release job will read it: if the two differ the tag is
    removed again and that is a bug (it never should).
    """
    from relnotes.output import write_atomic

    root = project.root
    sha = plan.tag.sha
    committed = None
    if plan.changelog is not None:
        update = plan.changelog
        write_atomic(update.path, update.new)
        try:
            committed = sha = git.commit_file(root, update.path, plan.message)
        except GitError as exc:
            raise GitError(
                f"{exc.message}; {update.name} is updated but not committed, nothing is tagged",
                hint=f"fix what stopped the commit, or undo the change: git checkout -- "
                f"{update.name}",
            ) from None
    tag = plan.tag._replace(sha=sha)
    body = release_notes(project, tag)[1] if committed else plan.body
    git.make_tag(root, tag.name, sha, body, tag.date, sign=plan.sign)
    published = notes_for_tag(Project(project.config.root or root), tag.name)[1]  # as new
    if published != body or git.tag_message(root, tag.name) != body:
        git.run(root, "tag", "--delete", tag.name)
        raise RuntimeError(
            f"the message of tag {tag.name} differs from what `relnotes notes {tag.name}` says: "
            "the tag was removed again"
        )
    if push:
        assert plan.remote is not None  # plan() refuses --push without a remote
        try:
            git.push(root, plan.remote, plan.push_refs)
        except GitError as exc:
            raise GitError(
                f"{exc.message}; {tag.name} is made here, not pushed",
                hint=f"push it yourself: {plan.push_command}",
            ) from None
    return Made(tag, committed, push)
