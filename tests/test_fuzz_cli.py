"""The command line over generated repositories: seeded property tests (issue 16).

Hypothesis draws a small history and the real git command builds it in a temporary folder
(fixed dates and authors): commit messages conventional and not (CRLF line ends, bytes that
are not UTF-8, empty and huge bodies, Markdown and raw HTML, footers, ``BREAKING CHANGE`` in
odd places, reverts, fixups, commitizen's bump and relnotes' release commits), tags in and out
of the tag format (``v1.2.3``, ``1.2.3``, ``release-1.2``, ``v1.2.3-rc.1``, ``v1.2.3rc1``, …),
lightweight and annotated, on merge commits and on branches never merged, and ``.mailmap``
files that change along the history (each release's people follow its own tag's). Each command runs
through the console script's own funnel, :func:`relnotes.__main__.main` (in-process, for speed:
the same code path, where an unexpected exception is exit 3 and a traceback file).

The properties, each a promise of README.md:

1. no command exits 3, whatever the repository: ``log --format json``, ``notes`` of every tag,
   ``notes --format json``, ``preview`` (Markdown and JSON), ``next-version``,
   ``check --range``, ``changelog`` (create, again, update after a new tag, ``--full``) and
   ``tag --dry-run``;
2. ``notes TAG`` tells a release as the fresh changelog's section of it does (see
   :func:`test_notes_and_changelog_tell_each_release_alike`);
3. ``changelog`` after a new tag writes what ``changelog --full`` writes on the same untouched
   file (one relnotes made and nobody edited);
4. ``log --format json`` lists every commit it reads exactly once: those HEAD or a version tag
   reaches (:func:`reachable`).

Bounded to stay within the suite's time: a few to about 20 commits per repository, a few dozen
repositories, seeded (``derandomize``), no example database.
"""

from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from packaging.version import InvalidVersion, Version

from relnotes.__main__ import main
from tests.helpers import AUTHOR, GitRepo, git_env

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

# --- what a repository is made of ----------------------------------------------------------

TYPES = ["feat", "fix", "perf", "refactor", "docs", "chore", "revert", "Feat", "FIX", "feature"]
SCOPES = [None, None, "cli", "a b", "<b>x</b>", "*", "`x`", "ü", "#12", "[x](javascript:alert(1))"]
DESCRIPTIONS = [
    "add a thing", "fix the thing", "add a thing", "<script>alert(1)</script>",
    "[click](javascript:alert(1))", "![x](https://example.org/x.png)", "# not a heading",
    "| a | b |", "closes #12 and #13", "**bold** _it_ `code` ~~s~~", "1. first", "- item",
    "> quote", "<!-- open", "```", "---", "[ref]: https://evil.example", "backslash \\",
    "emoji 🚀 ünïcödé", "a\u2028b", "&amp; &lt;", "@someone", "x" * 250, "", "  spaced  ",
]  # fmt: skip
#: Headers that are no plain conventional commit: reverts, fixups, merges, tools', odd forms.
SPECIAL_HEADERS = [
    'Revert "feat: add a thing"', 'Revert "fix(cli): fix the thing"', "fixup! feat: add a thing",
    "squash! fix: fix the thing", "amend! feat: add a thing", "Merge branch 'x' into main",
    "Merge pull request #7 from a/b", "bump: version 1.0.0 → 1.1.0", "chore(release): v1.0.0",
    "1.2.3", "WIP", "Update README.md", "BREAKING CHANGE: in the header", "feat!: drop Python 3.8",
    " feat: white space first", "feat:no space", "feat(): empty scope", "Feat(Scope)!:  two.",
    "feat(cli)\n: wrapped header",
]  # fmt: skip
BODIES = [
    "A plain paragraph of explanation.",
    "BREAKING CHANGE: the old API is gone",
    "BREAKING-CHANGE: also gone",
    "breaking change: lower case",
    "Text first\nBREAKING CHANGE: inside a paragraph",
    "BREAKING CHANGE:\n\nits text in the next paragraph\n\nCloses #12",
    "BREAKING CHANGE: <script>alert(1)</script>\n# heading\n[x]: javascript:alert(1)\n| a |\n  - x",
    "Closes #12",
    "Refs: #4\nCo-authored-by: Grace Hopper <grace@example.org>",
    "Co-authored-by: dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
    "Note: a footer-like line\n\nand prose after it",
    "This reverts commit 0123456789abcdef0123456789abcdef01234567.",
    "* feat: squashed one\n* fix: squashed two",
    "## A heading\n<details><summary>x</summary>y</details>\n```\ncode\n```",
    "@huge@",  # a huge body: Builder.commit writes HUGE in its place
    "\n\n\n",
]
HUGE = b"lorem ipsum dolor sit amet\n" * 4000  # about 100 KB
#: Bytes put into a message as they are: not UTF-8, Latin-1, a lone carriage return.
ODD_BYTES = [b"\xff\xfe", b"caf\xe9", b"\xc3\x28", b"\r"]
AUTHORS = [
    AUTHOR, AUTHOR, ("Grace Hopper", "grace@example.org"), ("Linus Ærø", "linus@example.org"),
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
    ("*Star* _Name_ [x](javascript:y)", "star@example.org"),
    ("mh", "123+mh@users.noreply.github.com"), ("Margaret Hamilton", "mh@users.noreply.github.com"),
]  # fmt: skip
#: How a tag spells a version: {v} is major.minor.patch, {n} a pre-release's number.
TAG_FORMS = [
    "v{v}", "v{v}", "{v}", "v{v}-rc.{n}", "v{v}rc{n}", "{v}-beta.{n}", "v{M}.{m}",
    "release-{M}.{m}", "V{v}", "v{v}.post1", "v{v}.dev{n}", "v{v}+local", "nightly",
    "v{v}-foo", "{v}a{n}",
]  # fmt: skip
#: How a tag's version follows the highest one so far (``chaos``: any version at all).
BUMPS = ["same", "patch", "patch", "minor", "minor", "major", "chaos"]
#: The release made after the first changelog: higher than any version drawn before it.
NEW_TAGS = ["v99.0.0", "99.0.0", "v99.0.0-rc.1", "v99.0.0rc1"]
CONFIGS = [
    "",
    '[project]\nname = "fuzzpkg"\n',
    '[tool.relnotes]\nother_section = "Other changes"\n',
    '[tool.relnotes]\ntag_format = "v$version"\n',
    "[tool.relnotes]\ncontributors = false\n",
]
#: What a .mailmap says: one person under two identities, a new name, nothing at all.
MAILMAPS = [
    "Ada Lovelace <ada@example.org> Grace Hopper <grace@example.org>\n",
    "# Linus, renamed\nLinus Torvalds <linus@example.org>\n",
    "Margaret Hamilton <mh@users.noreply.github.com> mh <123+mh@users.noreply.github.com>\n",
    "",
]
ORIGINS = [None, "https://github.com/example/fuzz.git", "git@github.com:example/fuzz.git"]


@dataclass(frozen=True)
class Commit:
    message: bytes
    author: tuple[str, str]


@dataclass(frozen=True)
class Tag:
    """A tag: its name, or how to name it from the versions tagged before (see Builder.name)."""

    annotated: bool
    name: str = ""
    bump: str = "patch"
    form: str = "v{v}"
    number: int = 1
    chaos: tuple[int, int, int] = (0, 0, 0)


@dataclass(frozen=True)
class Side:
    """A branch from HEAD: its steps, then (unless ``merge`` is None) a commit on main and the
    merge, with ``merge`` as its message, and maybe a tag on the merge commit."""

    steps: tuple[Commit | Tag, ...]
    merge: bytes | None
    main_commit: Commit | None
    tag: Tag | None


@dataclass(frozen=True)
class Mailmap:
    """A commit that writes ``.mailmap`` (each release's people follow its tag's)."""

    text: str


Step = Commit | Tag | Side | Mailmap


@dataclass(frozen=True)
class Plan:
    config: str
    origin: str | None
    steps: tuple[Step, ...]  # the history the first changelog is made from
    later: tuple[Step, ...]  # then these (tags only above those before, on new commits),
    new_commit: Commit  # this commit tagged with new_tag (a name of NEW_TAGS),
    new_tag: Tag
    after: Commit | None  # and maybe one more commit


@st.composite
def messages(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["conventional", "conventional", "special", "plain"]))
    if kind == "conventional":
        scope = draw(st.sampled_from(SCOPES))
        header = draw(st.sampled_from(TYPES))
        header += f"({scope})" if scope is not None else ""
        header += "!" if draw(st.integers(0, 5)) == 0 else ""
        header += ": " + draw(st.sampled_from(DESCRIPTIONS))
    elif kind == "special":
        header = draw(st.sampled_from(SPECIAL_HEADERS))
    else:
        header = draw(st.sampled_from(DESCRIPTIONS))
    bodies = draw(st.lists(st.sampled_from(BODIES), max_size=2))
    text = "\n\n".join([header, *bodies]) + draw(st.sampled_from(["", "\n"]))
    if draw(st.integers(0, 3)) == 0:
        text = text.replace("\n", "\r\n")  # a squash merge from the web: CRLF line ends
    data = text.encode("utf-8")
    if draw(st.integers(0, 3)) == 0:
        odd = draw(st.sampled_from(ODD_BYTES))
        at = draw(st.sampled_from([len(header.encode()), len(data)]))
        data = data[:at] + odd + data[at:]
    return data


commits = st.builds(Commit, messages(), st.sampled_from(AUTHORS))


tags = st.builds(
    Tag,
    annotated=st.booleans(),
    bump=st.sampled_from(BUMPS),
    form=st.sampled_from(TAG_FORMS),
    number=st.integers(1, 2),
    chaos=st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 2)),
)


@st.composite
def sides(draw: st.DrawFn) -> Side:
    steps = [draw(commits), *draw(st.lists(st.one_of(commits, tags), max_size=2))]
    merged = draw(st.integers(0, 3)) > 0
    return Side(
        tuple(steps),
        draw(messages()) if merged else None,
        draw(st.none() | commits) if merged else None,
        draw(st.none() | tags) if merged else None,
    )


def steps(max_size: int) -> st.SearchStrategy[list[Step]]:
    mailmaps = st.builds(Mailmap, st.sampled_from(MAILMAPS))
    step: st.SearchStrategy[Step] = st.one_of(commits, commits, tags, sides(), mailmaps)
    return st.lists(step, max_size=max_size)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    config = draw(st.sampled_from(CONFIGS))
    new_tags = [t for t in NEW_TAGS if t.startswith("v") or "tag_format" not in config]
    return Plan(
        config=config,
        origin=draw(st.sampled_from(ORIGINS)),
        steps=(draw(commits), *draw(steps(6))),
        later=tuple(draw(steps(2))),
        new_commit=draw(commits),
        new_tag=Tag(draw(st.booleans()), name=draw(st.sampled_from(new_tags))),
        after=draw(st.none() | commits),
    )


# --- building it with git ------------------------------------------------------------------


class Builder:
    """Makes a plan's history with the git command (fixed dates, the plan's authors)."""

    def __init__(self, path: Path, plan: Plan) -> None:
        self.repo = GitRepo(path)
        self.tags: set[str] = set()
        self.sides = 0
        self.highest = (0, 1, 0)  # the highest version tagged so far (chaos aside)
        self.config = plan.config
        self.tagged: set[str] = set()  # the commits that carry a tag
        #: after the first changelog: a tag only on an untagged commit, above every version
        self.floor: Version | None = None
        if plan.origin:
            self.repo.git("remote", "add", "origin", plan.origin)
        if plan.config:
            self.repo.write("pyproject.toml", plan.config)

    def later(self, plan: Plan) -> None:
        """The history after the first changelog: new releases, each on a commit of its own."""
        versions = [v for name in self.tags if (v := version_of(name, self.config))]
        self.floor = max(versions, default=Version("0"))
        self.apply(plan.later)
        self.commit(plan.new_commit)
        self.tag(plan.new_tag)
        if plan.after is not None:
            self.commit(plan.after)

    def apply(self, steps: Iterable[Step]) -> None:
        for step in steps:
            if isinstance(step, Commit):
                self.commit(step)
            elif isinstance(step, Tag):
                self.tag(step)
            elif isinstance(step, Mailmap):
                self.repo.write(".mailmap", step.text)
                self.commit(Commit(b"chore: who is who", AUTHOR))
            else:
                self.side(step)

    def commit(self, commit: Commit) -> None:
        self.repo.git(
            "commit",
            "-q",
            "--allow-empty",
            "--allow-empty-message",
            "--cleanup=verbatim",
            "-F",
            "-",
            epoch=self.repo.tick(),
            input=commit.message.replace(b"@huge@", HUGE),
            author=commit.author,
        )

    def tag(self, tag: Tag) -> None:
        name = tag.name or self.name(tag)
        if name in self.tags:  # a name drawn twice tags once
            return
        head = self.repo.head()
        if self.floor is not None:
            version = version_of(name, self.config)
            if head in self.tagged or (version is not None and version <= self.floor):
                return
        self.tags.add(name)
        self.tagged.add(head)
        self.repo.tag(name, annotated=tag.annotated)

    def name(self, tag: Tag) -> str:
        """Versions mostly grow along history, as releases do; now and then one does not."""
        major, minor, patch = self.highest
        version = {
            "same": (major, minor, patch),
            "patch": (major, minor, patch + 1),
            "minor": (major, minor + 1, 0),
            "major": (major + 1, 0, 0),
        }.get(tag.bump, tag.chaos)
        if tag.bump != "chaos":
            self.highest = max(self.highest, version)
        major, minor, patch = version
        return tag.form.format(v=f"{major}.{minor}.{patch}", M=major, m=minor, n=tag.number)

    def side(self, side: Side) -> None:
        self.sides += 1
        branch = f"side-{self.sides}"
        self.repo.branch(branch)
        self.apply(side.steps)
        self.repo.checkout("main")
        if side.merge is None:
            return  # never merged: its tags are a maintenance branch's
        if side.main_commit is not None:
            self.commit(side.main_commit)
        message = self.repo.path.parent / f"merge-{self.sides}.txt"
        message.write_bytes(side.merge)
        self.repo.git(
            "merge", "-q", "--no-ff", "--cleanup=verbatim", "-F", str(message), branch,
            epoch=self.repo.tick(),
        )  # fmt: skip
        if side.tag is not None:
            self.tag(side.tag)


# --- running the command line ----------------------------------------------------------------


@dataclass(frozen=True)
class Ran:
    args: tuple[str, ...]
    code: int
    out: str
    err: str


def relnotes(repo: Path, *args: str, codes: Iterable[int] = (0,)) -> Ran:
    """``relnotes -C REPO ARGS`` through the console script's entry, in-process; its exit
    code must be one of ``codes`` (3, a bug, never is: its traceback is shown)."""
    runner = CliRunner()
    collecting = gc.isenabled()  # the entry switches the collector off, as a process may
    with runner.isolation() as (out, err, _mixed):
        try:
            code = main(["-C", str(repo), *args])
        finally:
            if collecting:
                gc.enable()
        ran = Ran(args, code, out.getvalue().decode(), err.getvalue().decode())
    where = re.search(r"the traceback is in (\S+);", ran.err)
    trace = Path(where[1]).read_text(encoding="utf-8") if where else ""
    assert ran.code in codes, f"relnotes {' '.join(args)}: exit {ran.code}\n{ran.err}\n{trace}"
    assert "Traceback" not in ran.err, ran.err
    return ran


def version_of(name: str, config: str) -> Version | None:
    """The version a tag names when relnotes counts it (README, "Tags"): ``v$version`` or
    ``$version`` when no tag_format is set, the configured ``v$version`` otherwise."""
    text = name.removeprefix("v") if name.startswith("v") else None
    if text is None and "tag_format" not in config:
        text = name
    if text is None or not re.fullmatch(r"[0-9][0-9A-Za-z.+_-]*", text):
        return None
    try:
        version = Version(text)
    except InvalidVersion:
        return None
    return version if len(version.release) >= 2 else None  # `v1`: a moving major tag


def releases(repo: Path, names: Iterable[str], config: str) -> dict[str, Version]:
    """The tags relnotes reads as releases, with their versions: those that name a version,
    except a tag whose version a tag on an older commit (one it descends from) names first
    (README, "Tags"). Histories where neither commit descends from the other are left out."""
    counted = {name: v for name in names if (v := version_of(name, config))}
    commit = {name: git_out(repo, "rev-parse", f"{name}^{{commit}}").strip() for name in counted}
    for version in set(counted.values()):
        shas = {commit[n] for n, v in counted.items() if v == version}
        if len(shas) < 2:
            continue
        first = [a for a in shas if all(a in reachable(repo, [b]) for b in shas)]
        assume(len(first) == 1)
        for name in [n for n, v in counted.items() if v == version and commit[n] != first[0]]:
            del counted[name]
    return counted


def git_out(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, env=git_env()
    )
    return done.stdout


def reachable(repo: Path, revisions: Sequence[str]) -> list[str]:
    """Every commit the revisions reach, newest first (``git rev-list``)."""
    done = subprocess.run(
        ["git", "-C", str(repo), "rev-list", *revisions, "--"],
        capture_output=True,
        text=True,
        check=True,
        env=git_env(),
    )
    return done.stdout.split()


# --- comparing notes with the changelog ------------------------------------------------------

_RELEASE_HEADING_RE = re.compile(r"## \[?(?P<title>[^\]\s]+)")


def changelog_sections(text: str) -> dict[str, list[str]]:
    """The changelog's release sections by title (the version as the tag spells it): the
    lines under each ``## `` heading, up to the next one."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.split("\n"):
        if line.startswith("## "):
            match = _RELEASE_HEADING_RE.match(line)
            current = sections.setdefault(match["title"] if match else line, [])
            current.append("\x00heading")  # a title seen twice is not comparable
        elif current is not None:
            current.append(line)
    return sections


def body_of_changelog(lines: list[str]) -> str | None:
    if lines.count("\x00heading") != 1:
        return None
    return "\n".join(lines[1:]).strip("\n")


def body_of_notes(text: str) -> str:
    """The notes without their heading line and the links under ``---``."""
    body = text.split("\n", 1)[1]
    return body.rsplit("\n\n---\n\n", 1)[0].strip("\n")


# --- the properties ----------------------------------------------------------------------------


@settings(
    max_examples=int(os.environ.get("RELNOTES_FUZZ_EXAMPLES", "30")),
    deadline=None,
    derandomize=not os.environ.get("RELNOTES_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(plans())
def test_notes_and_changelog_tell_each_release_alike(plan: Plan) -> None:
    """No command exits 3, and the notes of each release are its section of a fresh changelog.

    Compared: the text between the heading and the end of a release, which both render with the
    ``body`` and ``credits`` macros of templates/_release.md.jinja (the sections, the breaking
    changes, the entries with their links, the contributors): in ``notes``, the lines below its
    ``## 1.2.0 (date)`` heading and above the links under ``---``; in CHANGELOG.md, the lines
    below its ``## [1.2.0](link) - date`` heading and above the next release's. The headings
    differ by design (the changelog links the compare view, the notes end with the links).
    Comparable: a release whose version (as its tag spells it) heads exactly one section of the
    fresh changelog. So a pre-release whose final release is out (the fresh changelog folds it
    into that release, README "Pre-releases") is not compared, nor a lower tag on the commit of a
    higher one (one release, under the higher version). A version tagged on two commits is
    one release, the older tag's (:func:`releases`).
    Then ``changelog`` again changes nothing; after more commits and a new tag the update writes
    what ``changelog --full`` writes on the same untouched file; and ``log --format json``
    accounts for every commit (:func:`reachable`) exactly once.
    """
    with tempfile.TemporaryDirectory() as folder:
        run_plan(Path(folder), plan)


def run_plan(folder: Path, plan: Plan) -> None:
    """Build the plan's repository in FOLDER and check every property on it."""
    root = folder / "repo"
    built = Builder(root, plan)
    built.apply(plan.steps)
    counted = releases(root, built.tags, plan.config)

    check_log(root, counted)
    head = built.repo.head()
    first = reachable(root, ["HEAD"])[-1]
    relnotes(root, "check", "--range", f"{first}..HEAD", codes=(0, 1) if head != first else (2,))
    for args in (("preview",), ("preview", "--format", "json"), ("next-version", "--explain")):
        relnotes(root, *args, codes=(0, 1, 2))
    relnotes(root, "notes", "--format", "json", codes=(0,) if counted else (2,))

    notes: dict[str, str] = {}  # the version as the tag spells it -> body of the notes
    for name in sorted(built.tags):
        ran = relnotes(root, "notes", name, codes=(0,) if name in counted else (2,))
        if name in counted:
            spelled = name.removeprefix("v") if name.startswith("v") else name
            notes.setdefault(spelled, body_of_notes(ran.out))

    relnotes(root, "changelog")
    path = root / "CHANGELOG.md"
    fresh = path.read_text(encoding="utf-8") if path.exists() else ""
    if grows_along_history(root, counted):
        for title, lines in changelog_sections(fresh).items():
            section = body_of_changelog(lines)
            if section is not None and title in notes:
                assert notes[title] == section, f"notes and changelog differ for {title}"
    relnotes(root, "changelog")
    assert (path.read_text(encoding="utf-8") if path.exists() else "") == fresh
    relnotes(root, "tag", "--dry-run", codes=(0, 1, 2))

    built.later(plan)
    relnotes(root, "notes", plan.new_tag.name)
    relnotes(root, "changelog")
    updated = path.read_text(encoding="utf-8")
    untouched = root / "UNTOUCHED.md"
    untouched.write_text(fresh, encoding="utf-8")
    if not fresh:
        untouched.unlink()
    relnotes(root, "changelog", "--full", "--file", str(untouched))
    assert updated == untouched.read_text(encoding="utf-8"), "update != --full"
    check_log(root, releases(root, built.tags, plan.config))


def grows_along_history(root: Path, counted: dict[str, Version]) -> bool:
    """Whether no version tag reaches the tag of a higher version on another commit."""
    listing = subprocess.run(
        [
            "git",
            "-C",
            str(root),
            "for-each-ref",
            "refs/tags",
            "--format=%(refname:short) %(objectname) %(*objectname)",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=git_env(),
    ).stdout
    commit = {}
    for line in listing.splitlines():
        name, sha, peeled = [*line.split(), ""][:3]
        commit[name] = peeled or sha
    for name, version in counted.items():
        merged = subprocess.run(
            ["git", "-C", str(root), "tag", "--merged", name],
            capture_output=True,
            text=True,
            check=True,
            env=git_env(),
        ).stdout.split()
        if any(counted.get(o, version) > version and commit[o] != commit[name] for o in merged):
            return False
    return True


def check_log(root: Path, counted: dict[str, Version]) -> None:
    """``log --format json`` lists each commit that HEAD or a version tag reaches once, each
    under a release whose tag reaches it (the unreleased ones under ``null``: HEAD's)."""
    data = json.loads(relnotes(root, "log", "--format", "json").out)
    listed = [c["sha"] for r in data["releases"] for c in r["commits"]]
    assert len(listed) == len(set(listed)), "a commit listed twice"
    assert sorted(listed) == sorted(reachable(root, ["HEAD", *counted])), "commits missing"
    for release in data["releases"]:
        tip = release["tag"] or "HEAD"
        assert release["tag"] is None or release["tag"] in counted
        assert {c["sha"] for c in release["commits"]} <= set(reachable(root, [tip]))
