"""What `relnotes tag` reads of a repository's refs and remotes, through GitPython.

Short reads of files (HEAD, the remote-tracking refs, packed-refs, ``.git/config``) that
GitPython answers in Python: no git process runs here (nothing that resolves an object, which
GitPython would hand to ``git cat-file``; importing GitPython runs ``git version`` once).
Imported by :mod:`relnotes.tagging` only, and GitPython inside :func:`read_refs`, so no other
command imports it. Everything that runs a command stays in :mod:`relnotes.git` (the split is
said in its docstring).
"""

from __future__ import annotations

import configparser
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from relnotes.early import HOOK_VARIABLES
from relnotes.errors import GitError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from git import Repo


@dataclass(frozen=True, slots=True)
class Upstream:
    """The branch a local branch tracks (``branch.<name>.remote`` and ``.merge``)."""

    name: str  # origin/main
    remote: str  # origin ("." for a local branch)
    branch: str  # main (on the remote)
    sha: str | None  # where its ref points, as git last saw it; None: the ref is gone


@dataclass(frozen=True, slots=True)
class Refs:
    """The branch HEAD is on (``None``: detached), its upstream, the remotes and their HEADs."""

    branch: str | None
    upstream: Upstream | None
    remotes: list[str]
    remote_heads: dict[str, str] = field(default_factory=dict)  # origin -> main


def read_refs(root: str) -> Refs:
    """Read the refs and remotes of the repository at ``root`` (nothing is run or fetched).

    Errors (a configuration or a ref GitPython cannot read): :class:`GitError`.
    """
    try:
        from git.exc import GitError as GitPythonError

        with _opened(root) as repo:
            return _read(repo)
    except ImportError as exc:  # GitPython runs `git version` on import: no git, no GitPython
        raise GitError(
            f"GitPython cannot be loaded: {exc}", hint="install git, and GitPython (pip)"
        ) from None
    except (GitPythonError, configparser.Error, ValueError, TypeError, OSError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GitError(
            f"cannot read the branch and remotes of {root}: {detail}",
            hint="GitPython reads .git/config as UTF-8: `git config --local --list` shows it",
        ) from None


@contextmanager
def _opened(root: str) -> Iterator[Repo]:
    """``git.Repo(root)`` exactly there: no search upwards, no ``$VAR`` in the path expanded,
    and none of the variables git exports into hooks, which it would read instead
    (``GIT_WORK_TREE``, ``GIT_COMMON_DIR``; ``GIT_DIR`` where no path is given)."""
    from git import Repo

    saved = {name: os.environ.pop(name) for name in HOOK_VARIABLES if name in os.environ}
    try:
        repo = Repo(root, search_parent_directories=False, expand_vars=False)
    finally:
        os.environ.update(saved)
    try:
        yield repo
    finally:
        repo.close()


def _read(repo: Repo) -> Refs:
    from git import SymbolicReference

    remotes = [remote.name for remote in repo.remotes]
    heads: dict[str, str] = {}
    for name in remotes:
        prefix = f"refs/remotes/{name}/"
        try:
            target = SymbolicReference(repo, f"{prefix}HEAD").reference.path
        except (TypeError, ValueError):  # no such ref, or not a symbolic one
            continue
        if target.startswith(prefix):
            heads[name] = target.removeprefix(prefix)
    if repo.head.is_detached:
        return Refs(None, None, remotes, heads)
    head = repo.active_branch  # ValueError on a reftable repository's placeholder HEAD
    return Refs(head.name, _upstream(repo, head.name), remotes, heads)


def _upstream(repo: Repo, branch: str) -> Upstream | None:
    """``branch.<name>.remote`` and ``.merge`` in the repository's configuration: a remote's
    branch is its remote-tracking ref under the remote's name, ``.`` names a local branch."""
    from git import SymbolicReference

    section = f'branch "{branch}"'
    reader = repo.config_reader("repository")  # where git writes them, as the remotes
    if not (reader.has_option(section, "remote") and reader.has_option(section, "merge")):
        return None
    remote = reader.get(section, "remote")  # as written: get_value would read "1" as 1
    merged = reader.get(section, "merge").removeprefix("refs/heads/")
    if remote == ".":
        name, ref = merged, f"refs/heads/{merged}"
    else:
        name, ref = f"{remote}/{merged}", f"refs/remotes/{remote}/{merged}"
    try:
        sha: str | None = SymbolicReference.dereference_recursive(repo, ref)
    except ValueError:
        sha = None
    return Upstream(name, remote, merged, sha)
