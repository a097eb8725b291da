#!/usr/bin/env python3
"""Build the sample repository that `make demo` runs relnotes on (standard library + git).

A small hatch-vcs Python project with three releases and unreleased work: features, fixes,
a breaking change, a merged pull request (its release tagged on the merge commit), a revert
inside one release, a fixup!, a commit outside the convention, annotated and lightweight tags,
and after the last tag a dependabot update and a commit with a first-time co-author.
Dates and authors are fixed, so the same command always makes the same hashes.

Usage: python tests/sample_repo.py DEST
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

START = 1767225600  # 2026-01-01T00:00:00Z
PEOPLE = {
    "ada": ("Ada Lovelace", "ada@example.org"),
    "grace": ("Grace Hopper", "grace@example.org"),
    "linus": ("Linus Ærø", "linus@example.org"),
    "dependabot": (
        "dependabot[bot]",
        "49699333+dependabot[bot]@users.noreply.github.com",
    ),
}
PYPROJECT = """\
[build-system]
requires = ["hatchling", "hatch-vcs"]
build-backend = "hatchling.build"

[project]
name = "sampleproj"
dynamic = ["version"]
requires-python = ">=3.11"

[project.urls]
Repository = "https://github.com/example/sampleproj"

[tool.hatch.version]
source = "vcs"
raw-options = { local_scheme = "no-local-version" }
"""


class Builder:
    def __init__(self, dest: Path) -> None:
        self.dest = dest
        self.clock = START
        self.env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }

    def git(self, *args: str, who: str = "ada", data: bytes | None = None) -> str:
        self.clock += 3600
        name, email = PEOPLE[who]
        env = {
            **self.env,
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_AUTHOR_DATE": f"@{self.clock} +0000",
            "GIT_COMMITTER_DATE": f"@{self.clock} +0000",
        }
        done = subprocess.run(
            [
                "git",
                "-C",
                str(self.dest),
                "-c",
                "commit.gpgSign=false",
                "-c",
                "tag.gpgSign=false",
                *args,
            ],
            env=env,
            input=data,
            capture_output=True,
            check=True,
        )
        return done.stdout.decode().strip()

    def commit(self, message: str, path: str | None = None, who: str = "ada") -> str:
        if path:
            target = self.dest / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("a", encoding="utf-8") as handle:
                handle.write(f"{message.splitlines()[0]}\n")
            self.git("add", path)
        self.git("commit", "-q", "--allow-empty", "-F", "-", who=who, data=message.encode())
        return self.git("rev-parse", "HEAD")


def build(dest: Path) -> None:
    dest.mkdir(parents=True)
    b = Builder(dest)
    b.git("init", "-q", "-b", "main")
    b.git("remote", "add", "origin", "git@github.com:example/sampleproj.git")
    (dest / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (dest / "MILESTONES.md").write_text("# Milestones\n\n- 0.1: parse\n", encoding="utf-8")
    (dest / ".gitignore").write_text("dist/\n", encoding="utf-8")
    b.git("add", ".")
    b.commit("feat: parse settings files\n\nReads sample.toml from the working folder.")
    b.commit("docs: explain the settings format", "README.md")
    b.commit("fix(parser): accept empty tables (#3)", "src/parser.py", who="grace")
    b.git("tag", "-a", "v0.1.0", "-m", "Release v0.1.0")

    b.commit("feat(cli): add --verbose\n\nRefs: #7", "src/cli.py")
    b.commit("Update README.md", "README.md", who="linus")
    b.commit("feat(cli): colour output", "src/cli.py", who="grace")
    colour = b.git("rev-parse", "HEAD")
    b.commit(f'Revert "feat(cli): colour output"\n\nThis reverts commit {colour}.', "src/cli.py")
    b.commit("perf(parser): cache compiled patterns", "src/parser.py")
    b.git("tag", "v0.2.0")

    b.git("checkout", "-q", "-b", "feature/plugins")
    b.commit(
        "feat(plugins): load plugins from entry points\n\nCloses #12", "src/plugins.py", who="grace"
    )
    b.commit("fixup! feat(plugins): load plugins from entry points", "src/plugins.py", who="grace")
    b.commit("test(plugins): cover the loader", "tests/test_plugins.py", who="grace")
    b.git("checkout", "-q", "main")
    b.commit("fix(cli): exit 2 on a missing file (#14)", "src/cli.py", who="linus")
    b.git(
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge pull request #15 from grace/feature/plugins",
        "feature/plugins",
    )
    b.git("tag", "-a", "v0.3.0", "-m", "Release v0.3.0")

    b.commit(
        "feat(config)!: read [tool.sample] from pyproject.toml\n\n"
        "The separate sample.toml file is no longer read.\n\n"
        "BREAKING CHANGE: move your settings from sample.toml to [tool.sample] in\n"
        "pyproject.toml.\n"
        "Refs: #20",
        "src/config.py",
    )
    b.commit("fix(parser): report the line of a syntax error", "src/parser.py", who="grace")
    b.commit("chore: tidy imports", "src/cli.py")
    b.commit(
        "build(deps): bump tomli from 2.0.1 to 2.0.2\n\n"
        "Bumps [tomli](https://github.com/hukkin/tomli) from 2.0.1 to 2.0.2.\n\n"
        "Signed-off-by: dependabot[bot] <support@github.com>",
        "requirements.txt",
        who="dependabot",
    )
    b.commit(
        "docs: describe the [tool.sample] table\n\n"
        "Co-authored-by: Margaret Hamilton <margaret@example.org>",
        "README.md",
        who="linus",
    )
    b.git("pack-refs", "--all")


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    dest = Path(sys.argv[1])
    if dest.exists():
        print(f"sample_repo: {dest} exists already; remove it first", file=sys.stderr)
        return 2
    build(dest)
    print(f"sample repository written to {dest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
