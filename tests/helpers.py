"""Real git repositories in temporary folders, with fixed dates and authors."""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

BASE_EPOCH = 1767225600  # 2026-01-01T00:00:00Z
AUTHOR = ("Ada Lovelace", "ada@example.org")


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

    def git(self, *args: str, epoch: int | None = None, input: bytes | None = None) -> str:
        done = subprocess.run(
            ["git", "-C", str(self.path), *args],
            capture_output=True,
            env=git_env(epoch),
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
            "-c",
            f"user.name={author[0]}",
            "-c",
            f"user.email={author[1]}",
            "commit",
            "-q",
            "--allow-empty",
            "--cleanup=verbatim",
            "-F",
            "-",
            epoch=epoch,
            input=data,
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
