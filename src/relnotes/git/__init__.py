"""The only package that runs git: :mod:`relnotes.git.runner` runs one command,
:mod:`relnotes.git.log` streams the history, and this module asks and does the rest.

Every short call goes through :func:`run` (its one runner, :func:`_call`; :class:`Started`
for one the caller waits for later) and the history through :class:`Log`, with an
argument list (never a shell), and every revision a user gives reaches git after
``--end-of-options`` or through ``--stdin``, so it can never act as an option. Bulk history
is read by ONE streamed ``git log`` process.

Whatever the user's or the repository's configuration says, what git prints is pinned
(:data:`PINNED` on every call, explicit flags on ``git log``: no signatures, colours,
decorations, notes or mailmap) and nothing that a configuration names is run: relnotes
only reads, so no hook, no gpg, no fsmonitor, and the dirty check runs no clean filter
that the repository's own ``.git/config`` names (:func:`is_dirty`).

shared/DESIGN.md's split, as it stands: bulk history is ONE streamed ``git log`` process
(:class:`Log`). The short reads of ``relnotes tag`` (the branch HEAD is on, its
upstream, the remotes and their HEADs) are GitPython's, in :mod:`relnotes.repository`: files
read in Python (no git process but the ``git version`` GitPython runs once on import),
imported there only (``import git`` alone takes
60-80 ms, about 10x a bare interpreter start-up, so notes, preview, changelog, log and the
commit-msg hook never import it), the repository opened at the root found here, never from
the ``GIT_DIR`` a hook exports. Everything that runs a git command stays here, through this
runner with :data:`PINNED`: GitPython's commands would run without it, and its ``is_dirty``
runs ``git diff``, which runs a clean filter that ``.git/config`` names (:func:`is_dirty`
does not); so do the writes (commit, tag, push), the ahead/behind count (one ``rev-list``,
never a walk of commit objects in Python), and the settings git itself acts on
(``tag.gpgSign``: GitPython's reader knows neither ``GIT_CONFIG_GLOBAL`` nor
``GIT_CONFIG_NOSYSTEM`` nor ``git -c``, so it could say "unsigned" of a tag git signs).
"""

from __future__ import annotations

import os

from relnotes import early
from relnotes.early import PINNED
from relnotes.errors import GitError
from relnotes.git.log import LOG_FIELDS, LOG_FLAGS, LOG_FORMAT, Log
from relnotes.git.runner import Started, _call, _failed, decode, run

__all__ = [
    "LOG_FIELDS",
    "LOG_FLAGS",
    "LOG_FORMAT",
    "PINNED",
    "Log",
    "Started",
    "decode",
    "run",
]

SHALLOW_HINT = (
    "fetch the whole history: `git fetch --unshallow --tags` "
    "(GitHub Actions: actions/checkout with `fetch-depth: 0`)"
)


class RepoInfo:
    """Where a repository is, and whether its history can be trusted."""

    def __init__(self, root: str, shallow: bool, has_commits: bool, bare: bool = False) -> None:
        self.root = root
        self.shallow = shallow
        self.has_commits = has_commits
        self.bare = bare


_OPEN_QUERY = early.OPEN_QUERY
_TAG_REFS = early.TAG_REFS


def path_of(root: str, *args: str) -> str:
    """The path a git command prints (``rev-parse --show-toplevel``), as the file system
    names it: a folder whose name is not UTF-8 keeps its bytes (``os.fsdecode``), where the
    text of :func:`run` would spell another folder."""
    done = _call(root, args)
    if done.returncode != 0:
        raise _failed(args, done.returncode, done.stderr)
    return os.fsdecode(done.stdout.rstrip(b"\n"))


def _take(path: str, args: tuple[str, ...]) -> Started | None:
    """The call :func:`relnotes.early.prefetch` started (or :func:`open_repo` set aside)."""
    process = early.take(path, args)
    if process is not None:
        return Started.adopt(args, process)
    return _early.pop((os.path.abspath(path), args), None) if _early else None


#: the tag listing of a repository that another folder of it started
_early: dict[tuple[str, tuple[str, ...]], Started] = {}


def drop_prefetched() -> None:
    """End the calls started ahead that no one took."""
    early.drop()
    while _early:
        _key, started = _early.popitem()
        started.close()


def open_repo(path: str) -> RepoInfo:
    """Find the repository at or above ``path`` (errors: not a repository, no git).

    One git call in the common case: a work tree with commits.
    """
    if not os.path.isdir(path):
        raise GitError(f"no such folder: {path}", hint="pass an existing folder with -C")
    early = _take(path, _OPEN_QUERY)
    if early is not None:
        out, _err = early.process.communicate()
        code = early.process.returncode
    else:
        done = _call(path, _OPEN_QUERY)
        out, code = done.stdout, done.returncode
    fields = out.split(b"\n")
    lines = [decode(field) for field in fields]
    top = os.fsdecode(fields[2]) if len(fields) >= 3 else ""  # a path: its bytes as they are
    info: RepoInfo | None = None
    if code == 0 and len(lines) >= 4:
        info = RepoInfo(top, lines[1] == "true", has_commits=True)
    elif len(lines) >= 3 and lines[0] == "false" and top:
        info = RepoInfo(top, lines[1] == "true", has_commits=False)  # no commit yet
    elif len(lines) >= 2 and lines[0] == "true":  # a bare repository: no work tree
        root = path_of(path, "rev-parse", "--absolute-git-dir")
        has_commits = resolve_commit(root, "HEAD") is not None
        info = RepoInfo(root, lines[1] == "true", has_commits, bare=True)
    listing = _take(path, _TAG_REFS)
    if info is None:
        if listing is not None:
            listing.close()
        raise GitError(
            f"not a git repository: {os.path.abspath(path)}",
            hint="run relnotes inside a git repository, or point at one with -C PATH",
        )
    if listing is not None:  # the tags of the same repository, whichever folder asked
        _early[(os.path.abspath(info.root), _TAG_REFS)] = listing
    return info


def require_history(info: RepoInfo) -> None:
    """Stop (exit 2) where history is missing or cut short."""
    if not info.has_commits:
        raise GitError(
            f"the repository at {info.root} has no commits yet",
            hint="commit something first",
        )
    if info.shallow:
        raise GitError("this is a shallow clone: its history is cut short", hint=SHALLOW_HINT)


def start_tag_refs(root: str) -> Started:
    """The listing of :func:`tag_refs`, started (pass it to :func:`tag_refs`), or the one
    :func:`relnotes.early.prefetch` started already."""
    return _take(root, _TAG_REFS) or Started(root, _TAG_REFS)


def tag_refs_prefetched(root: str) -> bool:
    """Whether the tag listing of ``root`` was started ahead and no one took it yet."""
    key = (os.path.abspath(root), _TAG_REFS)
    return key in early.started or key in _early


def tag_refs(root: str, started: Started | None = None) -> list[tuple[str, str, str, bool, int]]:
    """Every tag as (name, commit sha, its own ISO date, annotated, its commit's time in
    seconds, 0 if unreadable); ``started``: the listing :func:`start_tag_refs` began."""
    out = started.output() if started is not None else run(root, *_TAG_REFS)
    tags = []
    for line in out.splitlines():
        name, kind, sha, peeled, peeled_kind, date, time, peeled_time = line.split("\0")
        if kind == "tag":
            if peeled_kind != "commit":
                continue  # a tag of a tree or blob names no release
            tags.append((name, peeled, date, True, _seconds(peeled_time)))
        elif kind == "commit":
            tags.append((name, sha, date, False, _seconds(time)))
    return tags


def _seconds(text: str) -> int:
    return int(text) if text.isdigit() else 0


def resolve_commit(root: str, revision: str) -> str | None:
    """The commit a revision names, or ``None``."""
    sha = run(
        root,
        "rev-parse",
        "-q",
        "--verify",
        "--end-of-options",
        f"{revision}^{{commit}}",
        check=False,
    )
    return sha.strip() or None


def is_ancestor(root: str, ancestor: str, descendant: str) -> bool:
    """Whether commit ``ancestor`` is in the history of ``descendant`` (both shas)."""
    return _call(root, ("merge-base", "--is-ancestor", ancestor, descendant)).returncode == 0


def path_exists_at(root: str, revision: str, path: str, started: Started | None = None) -> bool:
    """Whether ``path`` is in the tree of ``revision`` (``started``: the question
    :func:`start_path_exists_at` asked)."""
    return (started or start_path_exists_at(root, revision, path)).answer()[0] == 0


def start_path_exists_at(root: str, revision: str, path: str) -> Started:
    """:func:`path_exists_at`'s question, asked now and answered later."""
    return Started(root, ("cat-file", "-e", f"{revision}:{path}"))


def files_at(root: str, revisions: list[str], path: str) -> dict[str, str]:
    """The text of ``path`` as each revision's tree holds it (committed: never the working
    tree's), through one ``git cat-file --batch``; a revision without it is left out."""
    wanted = list(dict.fromkeys(revisions))
    if not wanted:
        return {}
    request = "".join(f"{revision}:{path}\n" for revision in wanted)
    done = _call(root, ("cat-file", "--batch"), input=request)
    if done.returncode != 0:
        raise _failed(("cat-file",), done.returncode, done.stderr)
    out = done.stdout
    found: dict[str, str] = {}
    position = 0
    for revision in wanted:
        end = out.find(b"\n", position)
        if end < 0:
            break
        header = out[position:end].split(b" ")
        position = end + 1
        if len(header) != 3 or not header[2].isdigit():
            continue  # "<name> missing", "<name> ambiguous": no such file
        size = int(header[2])
        if header[1] == b"blob":
            found[revision] = decode(out[position : position + size])
        position += size + 1
    return found


class FilesAt:
    """:func:`files_at` started now and waited for by a thread (git works on another core;
    the thread waits without holding the interpreter): :meth:`result` takes the answer."""

    def __init__(self, root: str, revisions: list[str], path: str) -> None:
        import threading

        self.revisions = revisions
        self._texts: dict[str, str | None] = {}
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._read, args=(root, path), daemon=True)
        self._thread.start()

    def _read(self, root: str, path: str) -> None:
        try:
            found = files_at(root, self.revisions, path)
        except Exception as exc:  # raised where the answer is taken (result)
            self._error = exc
            return
        self._texts = {r: found.get(r) for r in self.revisions}

    def result(self) -> dict[str, str | None]:
        """Each revision's text of the file (``None``: it has none); git's error, if any."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._texts


def is_dirty(root: str) -> bool:
    """Whether tracked files (or the commits of submodules) have uncommitted changes.

    Read without running what the repository's configuration names: no fsmonitor (pinned),
    no index write (``--no-optional-locks``: a write could call a hook), and no clean or
    process filter driver that the repository's own configuration defines (a file whose
    timestamp changed is compared as it is, so such a file may count as changed); the
    user's own drivers (git-lfs) still run. A submodule's work tree is not entered.
    """
    out = run(
        root,
        "--no-optional-locks",
        "status",
        "--porcelain",
        "-z",
        "--untracked-files=no",
        "--ignore-submodules=dirty",
        config=_without_local_filters(root),
    )
    return bool(out)


def _without_local_filters(root: str) -> list[str]:
    """Settings that switch off every filter driver the repository's configuration names."""
    out = run(
        root,
        "config",
        "--show-scope",
        "-z",
        "--get-regexp",
        r"^filter\..+\.(clean|smudge|process)$",
        check=False,
    )
    drivers: dict[str, None] = {}
    fields = out.split("\0")
    for scope, entry in zip(fields[::2], fields[1::2], strict=False):
        if scope in ("local", "worktree"):
            key = entry.partition("\n")[0]
            drivers[key[len("filter.") :].rpartition(".")[0]] = None
    settings: list[str] = []
    for name in drivers:
        settings += [f"filter.{name}.{key}=" for key in ("clean", "smudge", "process")]
        settings.append(f"filter.{name}.required=false")
    return settings


def comment_char(root: str) -> str:
    """git's ``core.commentChar`` (``auto`` reads as ``#``); ``#`` when git cannot say."""
    try:
        value = run(root, "config", "--get", "core.commentChar", check=False).strip()
    except GitError:  # git is not installed: the message is read as git would write it
        return "#"
    return value if value and value != "auto" else "#"


def remote_url(root: str, started: Started | None = None) -> str | None:
    """The ``origin`` remote's URL, if there is one (``started``: the question
    :func:`start_remote_url` asked)."""
    return (started or start_remote_url(root)).answer()[1].strip() or None


def start_remote_url(root: str) -> Started:
    """:func:`remote_url`'s question, asked now and answered later."""
    return Started(root, ("config", "--get", "remote.origin.url"))


def file_state(root: str, path: str) -> str | None:
    """``"tracked"``, ``"ignored"`` or ``"untracked"``; ``None`` outside a repository."""
    inside = run(root, "rev-parse", "--is-inside-work-tree", check=False).strip()
    if inside != "true":
        return None
    if run(root, "ls-files", "--", path, check=False).strip():
        return "tracked"
    if run(root, "check-ignore", "--no-index", "--", path, check=False):
        return "ignored"
    return "untracked"


# -- what `relnotes tag` asks and does ------------------------------------------------------


def ahead_behind(root: str, upstream: str) -> tuple[int, int]:
    """How many commits HEAD has that the commit ``upstream`` has not, and the other way."""
    out = run(root, "rev-list", "--left-right", "--count", "--end-of-options", f"HEAD...{upstream}")
    ahead, behind = out.split()
    return int(ahead), int(behind)


def config_flag(root: str, key: str) -> bool:
    """A boolean setting of git's (``tag.gpgSign``); unset is false."""
    value = run(root, "config", "--type=bool", "--get", key, check=False).strip()
    return value == "true"


def commit_file(root: str, path: str, message: str) -> str:
    """Commit the file at ``path`` alone with ``message`` (hooks run); the new commit."""
    run(root, "add", "--", path)
    run(root, "commit", "-q", "--cleanup=verbatim", "-F", "-", "--", path, input=message)
    return run(root, "rev-parse", "HEAD").strip()


def make_tag(root: str, name: str, sha: str, message: str, date: str, *, sign: bool | None) -> None:
    """An annotated tag with ``message`` kept as it is, dated ``date`` (ISO 8601); signed
    with ``sign``, not with ``sign=False``, else as git's ``tag.gpgSign`` says."""
    signing = {True: ["--sign"], False: ["--no-sign"], None: []}[sign]
    run(
        root,
        "tag",
        "--annotate",
        *signing,
        "--cleanup=verbatim",
        "--file=-",
        "--end-of-options",
        name,
        sha,
        input=message,
        env={"GIT_COMMITTER_DATE": date},
    )


def tag_message(root: str, name: str) -> str:
    """An annotated tag's message as stored, its signature (if any) left out."""
    stored = run(root, "cat-file", "tag", f"refs/tags/{name}").partition("\n\n")[2]
    signature = run(root, "for-each-ref", "--format=%(contents:signature)", f"refs/tags/{name}")
    return stored.removesuffix(signature[:-1]) if signature.strip() else stored


def push(root: str, remote: str, refs: list[str]) -> None:
    """``git push --atomic REMOTE REFS…``: all of them, or none."""
    run(root, "push", "--atomic", "--quiet", remote, *refs)
