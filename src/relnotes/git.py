"""The only module that runs git.

Every short call goes through :func:`run` (its one runner, :func:`_call`; :class:`Started`
for one the caller waits for later) and the history through :func:`stream_log`, with an
argument list (never a shell), and every revision a user gives reaches git after
``--end-of-options`` or through ``--stdin``, so it can never act as an option. Bulk history
is read by ONE streamed ``git log`` process.

Whatever the user's or the repository's configuration says, what git prints is pinned
(:data:`PINNED` on every call, explicit flags on ``git log``: no signatures, colours,
decorations, notes or mailmap) and nothing that a configuration names is run: relnotes
only reads, so no hook, no gpg, no fsmonitor, and the dirty check runs no clean filter
that the repository's own ``.git/config`` names (:func:`is_dirty`).

shared/DESIGN.md's split, as it stands: bulk history is ONE streamed ``git log`` process
(:func:`stream_log`). The short reads of ``relnotes tag`` (the branch HEAD is on, its
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
import queue
import subprocess
import threading
from typing import IO, TYPE_CHECKING

from relnotes.errors import GitError

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable, Iterator

SHALLOW_HINT = (
    "fetch the whole history: `git fetch --unshallow --tags` "
    "(GitHub Actions: actions/checkout with `fetch-depth: 0`)"
)
#: Variables git exports into hooks; they would point our git calls at the wrong place.
_HOOK_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR")
#: Settings given with ``-c`` to every git call, over any configuration file: the text of
#: messages in UTF-8, paths quoted as git quotes them by default, no colour, no signature
#: checks (``log.showSignature`` puts gpg's output into the log stream), no fsmonitor
#: process, and no hooks (relnotes only reads; an index refresh may call one).
PINNED = (
    "i18n.logOutputEncoding=UTF-8",
    "core.quotePath=true",
    "color.ui=never",
    "log.showSignature=false",
    "core.fsmonitor=false",
    f"core.hooksPath={os.devnull}",
)
#: Fields of one commit in the log stream, each ended by NUL. No %G placeholder: they run
#: gpg (``gpg.program``) to check signatures.
LOG_FORMAT = "%H%x00%P%x00%an%x00%ae%x00%aI%x00%ct%x00%B"
LOG_FIELDS = 7
#: ``git log``'s own flags for the settings that ``log.*`` and ``format.*`` may change.
LOG_FLAGS = (
    "--no-show-signature",
    "--no-color",
    "--no-decorate",
    "--no-notes",
    "--no-abbrev-commit",
    "--no-use-mailmap",
    "--no-expand-tabs",
)
_CHUNK = 1 << 20


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _HOOK_VARIABLES}
    env["GIT_TERMINAL_PROMPT"] = "0"
    # Into a pipe git flushes after every commit unless told not to: 100,000 small writes
    # made `git log` 0.25 s slower on a 100k-commit history (as fast as into a file now).
    env["GIT_FLUSH"] = "0"
    env.setdefault("LC_ALL", "C")
    return env


def _git_argv(cwd: str, args: Iterable[str], config: Iterable[str] = ()) -> list[str]:
    pinned = [part for setting in (*PINNED, *config) for part in ("-c", setting)]
    return ["git", "--no-pager", "-C", cwd, *pinned, *args]


def run(
    cwd: str,
    *args: str,
    input: str | None = None,
    check: bool = True,
    env: dict[str, str] | None = None,
    config: Iterable[str] = (),
) -> str:
    """Run one git command and return its standard output (decoded, never failing).

    ``env``: variables to set for this command (a date to record, say); ``config``: more
    ``key=value`` settings for this call, over :data:`PINNED`.
    """
    done = _call(cwd, args, input=input, env=env, config=config)
    if check and done.returncode != 0:
        raise _failed(args, done.returncode, done.stderr)
    return decode(done.stdout)


def _failed(args: Iterable[str], code: int, stderr: bytes) -> GitError:
    message = decode(stderr).strip().splitlines()
    detail = message[-1] if message else f"exit {code}"
    return GitError(f"git {next(iter(args))} failed: {detail.removeprefix('fatal: ')}")


class Started:
    """A git command started now and waited for later (:meth:`output`), so that a command
    prepares what it needs next (imports, a template) while git works on another core."""

    def __init__(self, cwd: str, args: tuple[str, ...]) -> None:
        self.args = args
        try:
            self.process = subprocess.Popen(
                _git_argv(cwd, args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env()
            )
        except FileNotFoundError:
            raise _no_git() from None

    def output(self) -> str:
        """What the command printed, once it is done (its failure, as :func:`run` says it)."""
        out, err = self.process.communicate()
        if self.process.returncode != 0:
            raise _failed(self.args, self.process.returncode, err)
        return decode(out)


def _call(
    cwd: str,
    args: Iterable[str],
    *,
    input: str | None = None,
    env: dict[str, str] | None = None,
    config: Iterable[str] = (),
) -> subprocess.CompletedProcess[bytes]:
    """The one way a git command is started and waited for (:func:`stream_log` streams)."""
    try:
        return subprocess.run(
            _git_argv(cwd, args, config),
            input=input.encode() if input is not None else None,
            capture_output=True,
            env=_env() | (env or {}),
            check=False,
        )
    except FileNotFoundError:
        raise _no_git() from None


def _no_git() -> GitError:
    return GitError("git is not installed", hint="install git and try again")


def decode(data: bytes) -> str:
    """UTF-8, else Latin-1: a message in a legacy encoding is shown, never dropped."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


class RepoInfo:
    """Where a repository is, and whether its history can be trusted."""

    def __init__(self, root: str, shallow: bool, has_commits: bool, bare: bool = False) -> None:
        self.root = root
        self.shallow = shallow
        self.has_commits = has_commits
        self.bare = bare


def open_repo(path: str) -> RepoInfo:
    """Find the repository at or above ``path`` (errors: not a repository, no git).

    One git call in the common case: a work tree with commits.
    """
    if not os.path.isdir(path):
        raise GitError(f"no such folder: {path}", hint="pass an existing folder with -C")
    query = ["rev-parse", "--is-bare-repository", "--is-shallow-repository", "--show-toplevel"]
    done = _call(path, [*query, "HEAD"])
    lines = decode(done.stdout).split("\n")
    if done.returncode == 0 and len(lines) >= 4:
        return RepoInfo(lines[2], lines[1] == "true", has_commits=True)
    if len(lines) >= 3 and lines[0] == "false" and lines[2]:
        return RepoInfo(lines[2], lines[1] == "true", has_commits=False)  # no commit yet
    if len(lines) >= 2 and lines[0] == "true":  # a bare repository: no work tree
        root = run(path, "rev-parse", "--absolute-git-dir").strip()
        has_commits = resolve_commit(root, "HEAD") is not None
        return RepoInfo(root, lines[1] == "true", has_commits, bare=True)
    raise GitError(
        f"not a git repository: {os.path.abspath(path)}",
        hint="run relnotes inside a git repository, or point at one with -C PATH",
    )


def require_history(info: RepoInfo) -> None:
    """Stop (exit 2) where history is missing or cut short."""
    if not info.has_commits:
        raise GitError(
            f"the repository at {info.root} has no commits yet",
            hint="commit something first",
        )
    if info.shallow:
        raise GitError("this is a shallow clone: its history is cut short", hint=SHALLOW_HINT)


_TAG_REFS = (
    "for-each-ref",
    "--format=%(refname:lstrip=2)%00%(objecttype)%00%(objectname)%00%(*objectname)"
    "%00%(*objecttype)%00%(creatordate:iso-strict)",
    "refs/tags",
)


def start_tag_refs(root: str) -> Started:
    """The listing of :func:`tag_refs`, started (pass it to :func:`tag_refs`)."""
    return Started(root, _TAG_REFS)


def tag_refs(root: str, started: Started | None = None) -> list[tuple[str, str, str, bool]]:
    """Every tag as (name, commit sha, its own ISO date, annotated); ``started``: the
    listing :func:`start_tag_refs` began."""
    out = started.output() if started is not None else run(root, *_TAG_REFS)
    tags = []
    for line in out.splitlines():
        name, kind, sha, peeled, peeled_kind, date = line.split("\0")
        if kind == "tag":
            if peeled_kind != "commit":
                continue  # a tag of a tree or blob names no release
            tags.append((name, peeled, date, True))
        elif kind == "commit":
            tags.append((name, sha, date, False))
    return tags


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


def path_exists_at(root: str, revision: str, path: str) -> bool:
    """Whether ``path`` is in the tree of ``revision``."""
    return _call(root, ["cat-file", "-e", f"{revision}:{path}"]).returncode == 0


def stream_log(
    root: str,
    include: Iterable[str],
    exclude: Iterable[str] = (),
    *,
    fields: tuple[str, ...] | None = None,
    merges: bool = True,
    eager: bool = False,
) -> Generator[list[str], None, None]:
    """Yield the fields of each commit reachable from ``include`` and not from ``exclude``.

    One ``git log -z`` process; revisions go through ``--stdin`` (never parsed as options);
    output is read in chunks so memory follows the history, not twice the history. ``fields``:
    other placeholders than LOG_FORMAT's (none may print a NUL); ``merges=False`` leaves merge
    commits out. A consumer that stops early ends the process; ``eager`` hands on what git
    wrote at once instead of 1 MiB at a time, for a consumer that may stop after a few.
    """
    revisions = [*include, *(f"^{sha}" for sha in exclude)]
    if not revisions:
        return
    log_format = LOG_FORMAT if fields is None else "%x00".join(fields)
    width = LOG_FIELDS if fields is None else len(fields)
    options = [] if merges else ["--no-merges"]
    argv = _git_argv(root, ["log", *LOG_FLAGS, "-z", f"--format={log_format}", *options, "--stdin"])
    try:
        process = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env()
        )
    except FileNotFoundError:
        raise _no_git() from None
    if process.stdin is None or process.stdout is None:  # pragma: no cover - Popen contract
        raise GitError("git log could not be started")
    process.stdin.write(("\n".join(revisions) + "\n").encode())
    process.stdin.close()
    # A reader thread drains the pipe as fast as git writes (reading releases the GIL), so
    # git never waits for the parser: the two run side by side on two cores.
    chunks: queue.SimpleQueue[bytes] = queue.SimpleQueue()
    stdout = process.stdout
    _widen_pipe(stdout)
    reader = threading.Thread(target=_drain, args=(stdout, chunks, eager), daemon=True)
    reader.start()
    finished = False
    try:
        yield from _records(chunks, width)
        finished = True
    finally:
        if not finished:
            process.kill()  # the consumer stopped early
        reader.join()
        stdout.close()
        stderr = b""
        if process.stderr is not None:
            stderr = process.stderr.read()
            process.stderr.close()
        code = process.wait()
    if code != 0:
        lines = decode(stderr).strip().splitlines()
        raise GitError(f"git log failed: {lines[-1].removeprefix('fatal: ') if lines else code}")


def _widen_pipe(stream: IO[bytes]) -> None:
    """Let git write 1 MiB ahead (Linux): while the parser holds the interpreter lock the
    reader thread cannot drain the pipe, and a 64 KiB pipe would make git wait."""
    try:
        import fcntl

        fcntl.fcntl(stream.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), _CHUNK)
    except (ImportError, OSError):  # pragma: no cover - not Linux, or a smaller limit
        pass


def _records(chunks: queue.SimpleQueue[bytes], width: int = LOG_FIELDS) -> Iterator[list[str]]:
    """Cut the NUL-separated stream into commits of ``width`` fields (b"" ends it)."""
    pending = b""
    carry: list[str] = []
    while chunk := chunks.get():
        data = pending + chunk
        end = data.rfind(b"\0")
        if end < 0:
            pending = data
            continue
        pending = data[end + 1 :]
        complete = data[:end]
        try:  # the common case: the whole chunk is UTF-8
            fields = complete.decode("utf-8").split("\0")
        except UnicodeDecodeError:
            fields = [decode(part) for part in complete.split(b"\0")]
        if carry:
            fields = carry + fields
        usable = len(fields) - len(fields) % width
        for start in range(0, usable, width):
            yield fields[start : start + width]
        carry = fields[usable:]


def _drain(stream: IO[bytes], chunks: queue.SimpleQueue[bytes], eager: bool = False) -> None:
    read = stream.read1 if eager and hasattr(stream, "read1") else stream.read
    try:
        while chunk := read(_CHUNK):
            chunks.put(chunk)
    except (OSError, ValueError):  # pragma: no cover - the pipe closed under us
        pass
    finally:
        chunks.put(b"")


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


def remote_url(root: str) -> str | None:
    """The ``origin`` remote's URL, if there is one."""
    return run(root, "config", "--get", "remote.origin.url", check=False).strip() or None


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
