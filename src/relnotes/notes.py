r"""One release as data: the object that ``--format json`` prints and the templates render.

The JSON shape lives here and nowhere else (documented in README, "JSON output"); the Markdown
is rendered from the same object built for rendering (``lazy``), whose text differs in one
way only: what would break a line in a file (``\r``, U+2028, U+2029, U+0085, form feed,
vertical tab, the other separators ``str.splitlines()`` knows) is normalised out of every
text taken from a commit, and control characters show as U+FFFD. JSON keeps the raw text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypedDict

from relnotes.classify import classify
from relnotes.version import asks_for_release, pep440

if TYPE_CHECKING:
    from collections.abc import Container, Sequence

    from relnotes.classify import Classified
    from relnotes.config import Config
    from relnotes.credit import Contributor
    from relnotes.models import Commit, Release

#: Bumped whenever the JSON shape changes in a way a consumer could notice.
SCHEMA_VERSION = 1
_FORGE_HOSTS = ("github.com", "gitlab.com", "codeberg.org", "bitbucket.org")
_URL_KEYS = ("repository", "source", "source code", "code", "github", "gitlab", "homepage")
_SCP_RE = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+):(?P<path>(?!/)[^\s]+)$")
#: Everything ``str.splitlines()`` ends a line at, "\r\n" first.
_BREAKS_RE = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
#: Control characters that are no line break and no tab.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
#: Anything but printable text, tabs and "\n".
_ODD_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """A text that must stay on one line (a header, a scope): every line break a space."""
    if text.isprintable():  # the common case: nothing to do
        return text
    return _CONTROL_RE.sub("\ufffd", _BREAKS_RE.sub(" ", text))


def plain_lines(text: str) -> str:
    r"""A text of several lines with "\n" as its only line break (``\r\n``, ``\r``, U+2028,
    U+2029, U+0085, form feeds … become "\n"), control characters shown as U+FFFD."""
    if text.isprintable():
        return text
    if "\n" in text and _ODD_RE.search(text) is None:  # ordinary lines
        return text
    return _CONTROL_RE.sub("\ufffd", _BREAKS_RE.sub("\n", text))


def normalize_repo_url(url: str | None) -> str | None:
    """A browsable https URL from an https, ssh or scp-style remote, else ``None``."""
    if not url:
        return None
    url = url.strip()
    scp = _SCP_RE.match(url)
    if scp and "://" not in url:
        host, path = scp["host"], scp["path"]
    else:
        match = re.match(
            r"^(?:https?|ssh|git)://(?:[^@/]+@)?(?P<host>[^/:]+)(?::\d+)?/(?P<path>.+)$", url
        )
        if match is None:
            return None
        host, path = match["host"], match["path"]
    path = path.strip("/").removesuffix(".git").strip("/")
    if not path:
        return None
    return f"https://{host}/{path}"


def repository_url(config: Config, origin: str | None) -> str | None:
    """The repository's URL: config, then [project.urls], then the ``origin`` remote."""
    if config.repository:
        return config.repository.rstrip("/")
    urls = {k.lower(): v for k, v in config.project_urls.items()}
    for key in _URL_KEYS:
        url = urls.get(key)
        if url and (key != "homepage" or any(h in url for h in _FORGE_HOSTS)):
            return normalize_repo_url(url) or url.rstrip("/")
    return normalize_repo_url(origin)


class CommitEntry(dict[str, Any]):
    """One commit as the release object holds it: every key of README's "JSON output", raw;
    or, built for rendering (``lazy``), its text normalised (:func:`one_line`,
    :func:`plain_lines`) and the body, footers, author and date read on first use.

    A changelog of 100,000 commits names few footers; reading them all costs a fifth of the
    run. A name no commit has is a KeyError (a template's undefined variable).
    """

    __slots__ = ("commit",)
    commit: Commit

    def __missing__(self, key: str) -> Any:
        parsed = self.commit.parsed
        value: Any
        if key == "body":
            value = plain_lines(parsed.body)
        elif key == "footers":
            value = [
                {"token": one_line(f.token), "value": plain_lines(f.value)} for f in parsed.footers
            ]
        elif key == "author":
            value = one_line(self.commit.author)
        elif key == "date":
            value = self.commit.date
        else:
            raise KeyError(key)
        self[key] = value
        return value


def commit_entry(commit: Commit, *, lazy: bool = False) -> CommitEntry:
    """The one mapping of a commit for the JSON (raw, every key) and for templates
    (``lazy``: normalised text, the late keys read when asked for)."""
    parsed = commit.parsed
    scope = parsed.scope
    type_ = parsed.type
    description = parsed.description
    if parsed.kind == "revert":
        type_ = type_ or "revert"
        description = parsed.target or description
    if lazy:
        header = parsed.header
        entry = CommitEntry(
            sha=commit.sha,
            short_sha=commit.short,
            type=type_,
            scope=one_line(scope) if scope else scope,
            description=description if description.isprintable() else one_line(description),
            header=header if header.isprintable() else one_line(header),
            breaking=parsed.breaking,
            references=list(parsed.references),
        )
        entry.commit = commit
        return entry
    entry = CommitEntry(
        sha=commit.sha,
        short_sha=commit.short,
        type=type_,
        scope=scope,
        description=description,
        header=parsed.header,
        breaking=parsed.breaking,
        body=parsed.body,
        footers=[f.to_json() for f in parsed.footers],
        author=commit.author,
        date=commit.date,
        references=list(parsed.references),
    )
    entry.commit = commit
    return entry


class Links(TypedDict):
    repository: str | None
    pypi: str | None
    milestones: str | None
    compare: str | None


class Section(TypedDict):
    title: str
    type: str | None
    commits: list[CommitEntry]


class Nonconventional(TypedDict):
    sha: str
    short_sha: str
    header: str
    author: str


class ReleaseJSON(TypedDict):
    """One release as ``--format json`` prints it (README, "JSON output")."""

    schema: int
    version: str | None
    tag: str | None
    previous_tag: str | None
    date: str | None
    bump: str | None
    breaking_changes: list[CommitEntry]
    sections: list[Section]
    links: Links
    nonconventional: list[Nonconventional]
    contributors: list[dict[str, Any]]


class ReleaseContext(ReleaseJSON):
    """One release as a template receives it (the notes, each release of the changelog):
    the JSON object built for rendering, plus what the text around it needs."""

    #: the release's heading: its version, or the Unreleased section's title
    title: str | None
    #: where the heading links: the compare view, the first release's history, or the
    #: Unreleased section's compare view with HEAD
    link: str | None
    #: the title of the breaking changes' section (configuration)
    breaking_title: str
    #: what a body with no entry reads (:func:`empty_text`)
    empty_text: str


def build_notes(
    release: Release,
    config: Config,
    *,
    repository: str | None,
    milestones: bool,
    bump: str | None = None,
    contributors: Sequence[Contributor] = (),
) -> ReleaseJSON:
    """The release as one JSON-ready object (see README, "JSON output"). ``contributors``:
    who made it (relnotes.credit), never an e-mail."""
    classified = classify(release.commits, config, why=False)
    return _build(
        release, classified, config, repository, milestones, bump, contributors, lazy=False
    )


def release_context(
    release: Release,
    config: Config,
    *,
    repository: str | None,
    milestones: bool = False,
    bump: str | None = None,
    contributors: Sequence[Contributor] = (),
    title: str | None = None,
) -> ReleaseContext:
    r"""The release as a template receives it: the JSON object with the text taken from
        commits normalised for a file (one line where one line is meant, "
    " as the only line
        break; each commit's body and footers read when a template asks), and ``title`` (default:
        the version), ``link``, ``breaking_title`` and ``empty_text``.

        A release with no tag (the changelog's Unreleased section) compares with HEAD.
    """
    classified = classify(release.commits, config, why=False)
    notes = _build(
        release, classified, config, repository, milestones, bump, contributors, lazy=True
    )
    links = notes["links"]
    if release.tag is None:
        previous = release.previous_tag
        links["compare"] = (
            f"{repository}/compare/{previous}...HEAD" if repository and previous else None
        )
        link = links["compare"]
    else:
        link = links["compare"] or (f"{repository}/commits/{release.tag}" if repository else None)
    return ReleaseContext(
        **notes,
        title=release.version if title is None else title,
        link=link,
        breaking_title=config.breaking_title,
        empty_text=empty_text(release, classified.cancelled),
    )


def _build(
    release: Release,
    classified: Classified,
    config: Config,
    repository: str | None,
    milestones: bool,
    bump: str | None,
    contributors: Sequence[Contributor],
    *,
    lazy: bool,
) -> ReleaseJSON:
    version = release.version
    links = Links(
        repository=repository,
        pypi=(
            f"https://pypi.org/project/{config.package}/{pep440(version)}/"
            if config.package and version
            else None
        ),
        milestones=(
            f"{repository}/blob/{release.tag}/MILESTONES.md"
            if repository and release.tag and milestones
            else None
        ),
        compare=(
            f"{repository}/compare/{release.previous_tag}...{release.tag}"
            if repository and release.tag and release.previous_tag
            else None
        ),
    )
    breaking = []
    for commit in classified.breaking:
        for text in commit.parsed.breaking_notes:
            entry = commit_entry(commit, lazy=lazy)
            entry["description"] = plain_lines(text) if lazy else text
            breaking.append(entry)
    return ReleaseJSON(
        schema=SCHEMA_VERSION,
        version=version,
        tag=release.tag,
        previous_tag=release.previous_tag,
        date=release.date,
        bump=bump,
        breaking_changes=breaking,
        sections=[
            Section(
                title=section.title,
                type=section.type,
                commits=[commit_entry(c, lazy=lazy) for c in section.commits],
            )
            for section in classified.sections
        ],
        links=links,
        nonconventional=[
            Nonconventional(
                sha=c.sha,
                short_sha=c.short,
                header=one_line(c.parsed.header) if lazy else c.parsed.header,
                author=one_line(c.author) if lazy else c.author,
            )
            for c in classified.nonconventional
        ],
        contributors=[
            {"name": one_line(c.name), "first_time": c.first_time} if lazy else c.to_json()
            for c in contributors
        ],
    )


NO_CHANGES = "No user-facing changes."
#: A release that bumps for commits the configured sections hide (preview warns about it).
HIDDEN_CHANGES = "The changes in this release are of types these notes do not list."


def empty_text(release: Release, cancelled: Container[str] | None = None) -> str:
    """What a release body with no entry reads: "No user-facing changes." only when no
    commit of the release asks for a new version. ``cancelled``: the release's reverts that
    cancel out, when the caller has them already
    (:attr:`~relnotes.classify.Classified.cancelled`)."""
    if asks_for_release(release.commits, cancelled):
        return HIDDEN_CHANGES
    return NO_CHANGES
