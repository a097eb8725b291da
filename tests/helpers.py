"""Real git repositories in temporary folders, with fixed dates and authors."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Generator
    from pathlib import Path

    import pytest

BASE_EPOCH = 1767225600  # 2026-01-01T00:00:00Z
AUTHOR = ("Ada Lovelace", "ada@example.org")


def isolate_git(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """A private HOME and git configuration, fixed identities, UTC, no hook variables."""
    config = home / ".gitconfig"
    config.write_text(
        "[user]\n\tname = Test\n\temail = test@example.org\n"
        "[commit]\n\tgpgSign = false\n[tag]\n\tgpgSign = false\n"
        "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", AUTHOR[0])
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", AUTHOR[1])
    monkeypatch.setenv("GIT_COMMITTER_NAME", AUTHOR[0])
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", AUTHOR[1])
    monkeypatch.setenv("TZ", "UTC")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)


def git_env(epoch: int | None = None) -> dict[str, str]:
    env = dict(os.environ)
    if epoch is not None:
        stamp = f"@{epoch} +0000"
        env["GIT_AUTHOR_DATE"] = stamp
        env["GIT_COMMITTER_DATE"] = stamp
    return env


class GitRepo:
    """A repository made with the git command: commits, tags, branches, merges."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.clock = BASE_EPOCH
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def tick(self, seconds: int = 3600) -> int:
        self.clock += seconds
        return self.clock

    def git(
        self,
        *args: str,
        epoch: int | None = None,
        input: bytes | None = None,
        author: tuple[str, str] | None = None,
    ) -> str:
        env = git_env(epoch)
        if author is not None:  # the variables isolate_git sets win over user.name
            env["GIT_AUTHOR_NAME"], env["GIT_AUTHOR_EMAIL"] = author
        done = subprocess.run(
            ["git", "-C", str(self.path), *args],
            capture_output=True,
            env=env,
            input=input,
            check=False,
        )
        if done.returncode != 0:
            error = done.stderr.decode(errors="replace")
            raise AssertionError(f"git {' '.join(args)} failed ({done.returncode}): {error}")
        return done.stdout.decode("utf-8", errors="replace")

    def write(self, name: str, text: str) -> None:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self.git("add", name)

    def commit(
        self, message: str | bytes, *, author: tuple[str, str] = AUTHOR, file: str | None = None
    ) -> str:
        """Commit (empty unless ``file`` is given) with a fixed date; returns the sha."""
        epoch = self.tick()
        if file is not None:
            self.write(file, f"{file} at {epoch}\n")
        data = message if isinstance(message, bytes) else message.encode("utf-8")
        self.git(
            "commit",
            "-q",
            "--allow-empty",
            "--cleanup=verbatim",
            "-F",
            "-",
            epoch=epoch,
            input=data,
            author=author,
        )
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def tag(
        self, name: str, *, annotated: bool = False, ref: str = "HEAD", message: str | None = None
    ) -> None:
        if annotated:
            epoch = self.tick(60)
            self.git("tag", "-a", name, "-m", message or f"Release {name}", ref, epoch=epoch)
        else:
            self.git("tag", name, ref)

    def branch(self, name: str, start: str = "HEAD") -> None:
        self.git("checkout", "-q", "-b", name, start)

    def checkout(self, name: str) -> None:
        self.git("checkout", "-q", name)

    def merge(self, branch: str, message: str | None = None) -> str:
        epoch = self.tick()
        self.git(
            "merge",
            "-q",
            "--no-ff",
            "--no-edit",
            "-m",
            message or f"Merge branch '{branch}'",
            branch,
            epoch=epoch,
        )
        return self.head()


SAMPLE_PYPROJECT = """\
[build-system]
requires = ["hatchling", "hatch-vcs"]
build-backend = "hatchling.build"

[project]
name = "sampleproj"
dynamic = ["version"]
description = "A sample project for relnotes' release rehearsal."
readme = "README.md"
requires-python = ">=3.11"

[project.scripts]
sampleproj = "sampleproj:main"

[project.urls]
Repository = "https://github.com/example/sampleproj"

[tool.hatch.version]
source = "vcs"
raw-options = { local_scheme = "no-local-version" }

[tool.hatch.build.targets.wheel]
packages = ["src/sampleproj"]
"""
SAMPLE_MODULE = '''\
"""A sample command: `sampleproj --version`."""

import sys
from importlib.metadata import version


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print("sampleproj", version("sampleproj"))
    else:
        print("hello from sampleproj")
'''


def sample_project(
    repo: GitRepo, *, tag: str = "v1.2.0", github: dict[str, str] | None = None
) -> GitRepo:
    """A buildable hatch-vcs project with a console script, two releases, the last ``tag``.

    ``github``: files to add in the first commit (path → text), e.g. what ``relnotes init``
    writes into ``.github/``.
    """
    for path, text in (github or {}).items():
        repo.write(path, text)
    repo.write("pyproject.toml", SAMPLE_PYPROJECT)
    repo.write("README.md", "# sampleproj\n\nA sample project.\n")
    repo.write("MILESTONES.md", "# Milestones\n\n- 1.x: say hello\n")
    repo.write(".gitignore", "dist/\n")
    repo.write("src/sampleproj/__init__.py", SAMPLE_MODULE)
    repo.commit("feat: the sampleproj command")
    repo.tag("v0.1.0", annotated=True)
    repo.commit("feat(cli): greet the user", file="src/sampleproj/greeting.txt")
    repo.commit("fix: say hello politely (#12)", file="src/sampleproj/polite.txt")
    repo.tick(3 * 86400)  # tagged three days later: the release is dated by its tag
    repo.tag(tag, annotated=True)
    return repo


def build(project: Path, outdir: Path) -> list[str]:
    """``python -m build`` (no isolation: the build tools of this environment, offline)."""
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(outdir), str(project)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return sorted(p.name for p in outdir.iterdir())


class LogReads:
    """What the ``git log`` processes of a run hand to relnotes, as they are read: the first
    line of each commit's message, and the author of each commit read for first-timers."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from relnotes import git

        self.headers: list[str] = []
        self.authors: list[str] = []
        real = git.Log.records

        def counting(log: git.Log) -> Generator[list[str], None, None]:
            for fields in real(log):
                if log.width == git.LOG_FIELDS:
                    self.headers.append(fields[-1].splitlines()[0])
                else:  # relnotes.authors: who made the releases before
                    self.authors.append(fields[0])
                yield fields

        monkeypatch.setattr(git.Log, "records", counting)
