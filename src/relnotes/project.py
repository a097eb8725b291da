"""The library behind the commands: a project (repository + configuration) and what it answers.

The CLI calls these functions and only prints what they return; they never print or exit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from relnotes import git
from relnotes.config import load_config
from relnotes.errors import CheckFailed, GitError
from relnotes.history import History
from relnotes.models import Release
from relnotes.version import Version, increment_for, next_version

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Sequence

    from relnotes.authors import Identities
    from relnotes.config import Config
    from relnotes.credit import Contributor
    from relnotes.hook import Report
    from relnotes.mailmap import Mailmap
    from relnotes.models import Commit, Tag
    from relnotes.notes import ReleaseJSON
    from relnotes.version import Increment

MILESTONES = "MILESTONES.md"
MAILMAP = ".mailmap"


class Project:
    """A repository with its configuration and version tags."""

    def __init__(self, path: str = ".", meanwhile: Callable[[Project], None] | None = None) -> None:
        """``meanwhile``: what the command prepares while git lists the tags (the project
        has its root and configuration then, not its history); it must raise nothing."""
        info = git.open_repo(path)
        git.require_history(info)
        self.root = info.root
        self.bare = info.bare
        self.config: Config = load_config(path)
        listing = git.start_tag_refs(self.root)  # or the listing started with the process
        if meanwhile is not None:
            meanwhile(self)
        self.history = History(self.root, self.config, listing)
        self._repository: str | bool | None = False
        self._origin: git.Started | None = None  # the origin URL, asked already
        self._mailmaps: dict[str, Mailmap] = {}
        self._mailmap_reads: list[git.FilesAt] = []  # asked for, not taken yet

    @property
    def repository(self) -> str | None:
        """The repository's browsable URL (config, [project.urls], origin), looked up once."""
        if self._repository is False:
            from relnotes.notes import repository_url

            origin = None
            if not self.config.repository:
                origin = git.remote_url(self.root, self._origin)
            self._origin = None
            self._repository = repository_url(self.config, origin)
        return self._repository if isinstance(self._repository, str) else None

    def look_up_repository(self) -> None:
        """Have git read the ``origin`` URL now, for :attr:`repository` to take later."""
        if self._repository is False and self._origin is None and not self.config.repository:
            self._origin = git.start_remote_url(self.root)

    @property
    def warnings(self) -> list[str]:
        """What every command says once about this project (tags that count for nothing)."""
        return self.history.warnings

    def mailmaps(self, revisions: Sequence[str]) -> dict[str, Mailmap]:
        """The ``.mailmap`` committed in each revision's tree (an empty one where there is
        none): the working tree's file and the user's ``mailmap.*`` settings never count (see
        :mod:`relnotes.mailmap`). What :meth:`look_up_mailmaps` asked for is taken here."""
        from relnotes.mailmap import NO_MAILMAP, Mailmap

        self._read_mailmaps(revisions)
        reads, self._mailmap_reads = self._mailmap_reads, []
        for read in reads:
            for revision, text in read.result().items():
                self._mailmaps[revision] = Mailmap(text) if text else NO_MAILMAP
        return {r: self._mailmaps[r] for r in revisions}

    def look_up_mailmaps(self, revisions: Sequence[str]) -> None:
        """Have git read these revisions' ``.mailmap`` now, while the command does other work
        (a whole history's 2,000 releases: while the log is parsed), for :meth:`mailmaps`."""
        if self.config.contributors:
            self._read_mailmaps(revisions)

    def _read_mailmaps(self, revisions: Sequence[str]) -> None:
        asked = {r for read in self._mailmap_reads for r in read.revisions}
        wanted = [r for r in dict.fromkeys(revisions) if r not in self._mailmaps and r not in asked]
        if wanted:  # one git cat-file --batch, waited for by a thread
            self._mailmap_reads.append(git.FilesAt(self.root, wanted, MAILMAP))

    def contributors(
        self,
        commits: Sequence[Commit],
        bounds: Sequence[Tag],
        before: Identities | None = None,
        *,
        at: str = "HEAD",
    ) -> list[Contributor]:
        """Who made a release of these commits (the release made at commit ``at``, whose
        ``.mailmap`` says who is who); first-timers are those whom no commit that the release
        leaves out (those ``bounds`` reach) names. Read only as far as needed (``before``:
        :meth:`History.authors_before` of ``bounds``, started already)."""
        from relnotes.credit import release_contributors

        if not self.config.contributors:
            return release_contributors(commits, self.config, before)
        mailmap = self.mailmaps([at])[at]
        if before is None and bounds:
            before = self.history.authors_before(bounds)
        return release_contributors(commits, self.config, before, mailmap=mailmap)

    def render_notes(
        self,
        release: Release,
        *,
        milestones: bool,
        bump: str | None = None,
        contributors: Sequence[Contributor] = (),
    ) -> str:
        """The release body: the notes template over the release's object as built for
        rendering (its commit text normalised for a file; the JSON keeps it raw)."""
        from relnotes.notes import release_context
        from relnotes.render import render

        context = release_context(
            release,
            self.config,
            repository=self.repository,
            milestones=milestones,
            bump=bump,
            contributors=contributors,
        )
        return render(self.config.notes_template, context, self.config)


class NextVersion(NamedTuple):
    """The next version, and why."""

    current: Tag | None
    version: str | None  # None: nothing asks for a release
    tag: str | None
    increment: Increment | None
    deciding: tuple[Commit, ...]
    commits: tuple[Commit, ...]
    forced: bool = False


class Preview(NamedTuple):
    notes: ReleaseJSON
    body: str
    headline: str
    warnings: list[str]
    next: NextVersion | None = None

    def to_json(self) -> dict[str, Any]:
        """``preview --format json``: the notes' object and the warnings."""
        return {**self.notes, "warnings": self.warnings}  # README: preview's JSON


def prepare_notes(project: Project) -> None:
    """``Project``'s ``meanwhile`` for the notes: their modules imported and their template
    compiled (:func:`relnotes.render.prepare`) while git lists the tags."""
    from relnotes import credit, notes  # noqa: F401
    from relnotes.render import prepare

    prepare(project.config.notes_template, project.config)


def notes_for_tag(
    project: Project, name: str | None, meanwhile: Callable[[], None] | None = None
) -> tuple[ReleaseJSON, str]:
    """The notes of one tagged release: (JSON object, rendered body). ``meanwhile``: what
    the command prepares while git reads the release (see :func:`release_notes`)."""
    history = project.history
    if name is None:
        if not history.tags:
            raise GitError(
                "there is no version tag yet",
                hint="name a tag, or see what the first release would say with `relnotes preview`",
            )
        tag = history.tags[-1]
    else:
        tag = history.tag(name)
    notes, body, _release = release_notes(project, tag, meanwhile)
    return notes, body


def release_notes(
    project: Project, tag: Tag, meanwhile: Callable[[], None] | None = None
) -> tuple[ReleaseJSON, str, Release]:
    """The notes of a tag, made already or about to be (:meth:`History.pending` with its
    date): what ``relnotes notes`` publishes, read from the tag's own range only. Returns
    the JSON object, the rendered body and the release. ``meanwhile`` runs while git reads
    the release's commits."""
    from relnotes.notes import build_notes

    history = project.history
    bounds = history.boundaries(tag, merge=True)
    asked: list[git.Started] = []
    before: list[Identities] = []

    def alongside() -> None:
        # while git reads the release: earlier authors, origin URL, .mailmap, MILESTONES.md
        if bounds and project.config.contributors:
            before.append(history.authors_before(bounds))
        project.look_up_repository()
        project.look_up_mailmaps([tag.sha])
        asked.append(git.start_path_exists_at(project.root, tag.sha, MILESTONES))
        if meanwhile is not None:
            meanwhile()

    try:
        release = history.notes_release(tag, alongside)
        found = git.path_exists_at(project.root, tag.sha, MILESTONES, asked[0])
        milestones = bool(project.repository) and found
    except BaseException:
        for started in asked:
            started.close()
        for identities in before:
            identities.close()
        raise
    credited = project.contributors(release.commits, bounds, *before, at=tag.sha)
    notes = build_notes(
        release,
        project.config,
        repository=project.repository,
        milestones=milestones,
        contributors=credited,
    )
    body = project.render_notes(release, milestones=milestones, contributors=credited)
    return notes, body, release


def compute_next(
    project: Project,
    *,
    increment: Increment | None = None,
    prerelease: str | None = None,
) -> NextVersion:
    """The version the unreleased commits ask for (``--increment`` overrides the bump)."""
    current, commits = project.history.unreleased()
    bump = increment_for(commits)
    wanted = increment or bump.increment
    version = next_version(
        str(current.version) if current else None,
        wanted,
        project.config,
        prerelease=prerelease,
        forced=increment is not None,
        scheme_name=project.history.version_scheme(current),
    )
    if current is None and version is not None:
        wanted = None  # the first release is initial_version, not a bump
    tag = project.history.tag_format.tag_for(version) if version else None
    if version is not None:
        refuse_published(project, version, current)
    return NextVersion(
        current=current,
        version=version,
        tag=tag,
        increment=wanted,
        deciding=tuple(bump.deciding) if increment is None else (),
        commits=tuple(commits),
        forced=increment is not None,
    )


def refuse_published(project: Project, version: str, current: Tag | None) -> None:
    """Stop (exit 2) before proposing a version whose tag exists in any spelling."""
    found = project.history.published(version)
    if not found:
        return
    tag = found[0]
    names = ", ".join(t.name for t in found)
    exists = f"tag {names} exists" if len(found) == 1 else f"tags {names} exist"
    unmatched = {t.name: f for t, f in project.history.unmatched}
    if tag.name in unmatched:
        wanted = unmatched[tag.name]
        hint = f'count tags like {tag.name} as releases: legacy_tag_formats = ["{wanted}"]'
    else:
        base = f"the newest it reaches is {current.name}" if current else "it reaches none"
        hint = (
            f"HEAD does not contain {tag.name} ({base}): run this on the branch the "
            "releases are made from, or choose another version with --increment or --prerelease"
        )
    raise GitError(f"version {version} is published already: {exists}", hint=hint)


def describe(nxt: NextVersion) -> str:
    """Why this version, in a few words: the bump, a first release, or a promotion."""
    if nxt.current is None:
        return "first release"
    current = nxt.current
    final = nxt.version is not None and Version(nxt.version) == Version(
        current.version.base_version
    )
    if nxt.increment is None or (current.is_prerelease and final and not nxt.forced):
        return f"the final release of {current.name}"
    return nxt.increment + (" (forced)" if nxt.forced else "")


def nothing_to_release(nxt: NextVersion) -> CheckFailed:
    since = f"since {nxt.current.name}" if nxt.current else "yet"
    count = len(nxt.commits)
    return CheckFailed(
        f"nothing to release {since}: {count} commit{'s' if count != 1 else ''}, "
        "none a feat, fix, perf, refactor or breaking change",
        hint="release anyway with --increment PATCH",
    )


def preview(
    project: Project,
    *,
    increment: Increment | None = None,
    prerelease: str | None = None,
    date: dt.date | None = None,
    nxt: NextVersion | None = None,
) -> Preview:
    """What tagging HEAD now would publish: the next version and its exact release body
    (``nxt``: the next version, when the caller has it already)."""
    from relnotes.notes import build_notes

    if nxt is None:
        nxt = compute_next(project, increment=increment, prerelease=prerelease)
    if nxt.version is None:
        raise nothing_to_release(nxt)
    history = project.history
    head = git.resolve_commit(project.root, "HEAD") or "HEAD"
    pending = history.pending(nxt.version, head)
    bounds = history.boundaries(pending, merge=True)  # as notes_release will read it
    commits = nxt.commits
    if {t.sha for t in bounds} != {t.sha for t in history.tags}:
        # the tag would leave out other tags than "every tag" (a promoted pre-release, a
        # higher version elsewhere): read exactly what notes will read
        commits = tuple(history.commits([head], sorted({t.sha for t in bounds})))
    if date is None:
        import datetime as dt  # here: only a preview needs today's date

        date = dt.date.today()
    release = Release(
        version=nxt.version,
        tag=nxt.tag,
        previous_tag=bounds[-1].name if bounds else None,
        date=date.isoformat(),
        commits=commits,
    )
    milestones = bool(project.repository) and git.path_exists_at(project.root, "HEAD", MILESTONES)
    credited = project.contributors(commits, bounds, at=head)
    notes = build_notes(
        release,
        project.config,
        repository=project.repository,
        milestones=milestones,
        bump=nxt.increment,
        contributors=credited,
    )
    warnings = preview_warnings(project, nxt, notes, release)
    body = project.render_notes(
        release, milestones=milestones, bump=nxt.increment, contributors=credited
    )
    return Preview(notes, body, headline(nxt, release.previous_tag), warnings, nxt)


def headline(nxt: NextVersion, previous_tag: str | None) -> str:
    """``next version: 1.3.0, tag v1.3.0 (MINOR) since v1.2.0``."""
    since = f" since {previous_tag}" if previous_tag else ""
    return f"next version: {nxt.version}, tag {nxt.tag} ({describe(nxt)}){since}"


def preview_warnings(
    project: Project, nxt: NextVersion, notes: ReleaseJSON, release: Release
) -> list[str]:
    from relnotes.notes import one_line

    warnings: list[str] = []
    odd = notes["nonconventional"]
    if odd:
        shown = ", ".join(f'{c["short_sha"]} "{one_line(c["header"])}"' for c in odd[:3])
        more = f" and {len(odd) - 3} more" if len(odd) > 3 else ""
        warnings.append(
            f"{len(odd)} commit{'s' if len(odd) != 1 else ''} not in Conventional Commits form "
            f"(left out of the notes): {shown}{more}"
        )
    if not project.bare and git.is_dirty(project.root):
        warnings.append(
            "the work tree has uncommitted changes: a build now would not be the tagged version"
        )
    hidden = hidden_bump(release, project.config)
    if hidden:
        warnings.append(hidden)
    warnings.extend(version_warnings(project, nxt))
    return warnings


def hidden_bump(release: Release, config: Config) -> str | None:
    """A warning when every commit that decides the bump is left out of the notes."""
    from relnotes.classify import classify
    from relnotes.notes import one_line

    bump = increment_for(release.commits)
    if bump.increment is None:
        return None
    decisions = classify(release.commits, config).decisions
    shown = [c for c in bump.deciding if decisions[c.sha].section or decisions[c.sha].breaking]
    if shown:
        return None
    types = sorted({c.parsed.type or c.parsed.kind for c in bump.deciding})
    first = bump.deciding[0]
    more = f" and {len(bump.deciding) - 1} more" if len(bump.deciding) > 1 else ""
    hidden = f"type {types[0]} is" if len(types) == 1 else f"types {', '.join(types)} are"
    return (
        f"the notes list none of the commits that decide the {bump.increment} bump "
        f'({first.short} "{one_line(first.parsed.header)}"{more}): {hidden} not in sections '
        "(add to sections what should show why this release is made)"
    )


def version_warnings(project: Project, nxt: NextVersion) -> list[str]:
    """Whether the version written in files agrees with the tags.

    With commitizen keeping the version in files (``version_provider``, ``version_files``),
    those files must hold the latest tag's version, which ``cz bump`` then replaces. Without
    it, a version written in pyproject.toml is a build that will not match the tag.
    """
    config = project.config
    where = config.version_in_files
    if where is None:
        static = config.static_version
        if static is not None and nxt.version is not None and static != nxt.version:
            return [
                f"pyproject.toml says version = {static!r} but the tag would be {nxt.tag}: "
                'the build would not match the tag (use hatch-vcs: dynamic = ["version"], '
                "or let commitizen keep it: version_provider)"
            ]
        return []
    if nxt.current is None or project.bare:
        return []
    from relnotes.version import declared_versions

    latest = nxt.current.version
    warnings: list[str] = []
    for place, found in declared_versions(config.root or project.root, config, str(latest)):
        if found is None:
            warnings.append(f"{place}: no version found ({where})")
        elif found != latest:
            warnings.append(
                f"{place} holds version {found} but the latest tag {nxt.current.name} is "
                f"{latest}: the version in files and the tags disagree"
            )
    return warnings


def check_range(
    project: Project, revision_range: str, report: Report, *, fixup: bool, merges: bool
) -> None:
    """Lint every commit of BASE..HEAD (merges skipped unless asked; fixups with --no-fixup)."""
    from relnotes.lint import Finding, lint_message

    if not revision_range.strip():
        raise GitError(
            "--range is empty: no commit to check",
            hint="give BASE..HEAD; in CI, check that the variable naming the base is set",
        )
    include, exclude = project.history.split_range(revision_range)
    commits = project.history.commits(include, exclude)
    if not commits:  # an unset variable must not pass a pull request unchecked
        raise GitError(
            f"the range {revision_range!r} selects no commit: nothing was checked",
            hint="give BASE..HEAD where HEAD has commits BASE has not",
        )
    for commit in reversed(commits):
        if commit.is_merge and not merges:
            continue
        where = commit.short
        if commit.parsed.kind in ("fixup", "squash", "amend") and not fixup:
            report.add(
                where,
                [
                    Finding(
                        "fixup-left",
                        f"{commit.parsed.kind}! commit left in the range: squash it "
                        "(git rebase -i --autosquash) before merging",
                        text=commit.parsed.header,
                    )
                ],
            )
            continue
        report.add(where, lint_message(commit.message, project.config, comment_char=None))
