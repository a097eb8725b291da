#!/usr/bin/env python3
"""Time `relnotes changelog` against `git log` and its peers on synthetic repositories.

For each repository size (built with ../shared/bench/make_repo.py if missing, reused when
present) it measures, in the same run:

* the limit: `git log` printing hash, parents, author, date, refs and message of every commit;
* `relnotes changelog` written in full to a new file (git log and this: best of --repeat);
* `relnotes changelog` updating that file after its newest release was deleted (incremental:
  it reads only the commits after the newest release left in the file), and checks that the
  update gives back the full file byte for byte;
* `relnotes changelog --check` on the up-to-date file (best of --repeat);
* git-cliff, `cz changelog` and git-changelog, when installed in the peers venv
  (--peers, default .work/bench/peers-venv: never project dependencies), each capped
  at --timeout seconds.

It prints seconds, the ratio to `git log` and each process's peak memory (ru_maxrss of that
child alone, read with os.wait4). Standard library only; Linux or macOS.

--million adds the 1,000,000-commit repository (relnotes and git log only: the peers take
too long there).

Usage: python tests/bench_changelog.py [--cache .work/bench] [--sizes 10000,100000] [--million]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GIT_LOG = ["git", "log", "--format=%H%x00%P%x00%an%x00%aI%x00%D%x00%B%x00", "-z"]
#: Peers: the command (run in the repository) given the output file.
PEERS = {
    "git-cliff": lambda out: ["git-cliff", "--output", out],
    "cz changelog": lambda out: ["cz", "changelog", "--file-name", out],
    "git-changelog": lambda out: [
        "git-changelog",
        "--convention",
        "conventional",
        "--template",
        "keepachangelog",
        "--output",
        out,
        ".",
    ],
}


@dataclass
class Run:
    seconds: float
    peak_mb: float | None
    timed_out: bool = False
    failed: str | None = None


def measure(argv: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None) -> Run:
    """Run once, output to /dev/null; wall time and this child's own peak memory."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink, tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(argv, cwd=cwd, stdout=sink, stderr=errors, env=env)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            elapsed = time.perf_counter() - start
            if pid:
                process.returncode = os.waitstatus_to_exitcode(status)
                break
            if elapsed > timeout:
                process.send_signal(signal.SIGKILL)
                os.wait4(process.pid, 0)
                process.returncode = -9
                return Run(timeout, None, timed_out=True)
            time.sleep(0.005 if elapsed < 1 else 0.05)
        errors.seek(0)
        message = errors.read().decode(errors="replace").strip().splitlines()
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    run = Run(elapsed, usage.ru_maxrss / scale)
    if process.returncode != 0:
        run.failed = message[-1] if message else f"exit {process.returncode}"
    return run


def ensure_repo(cache: Path, commits: int, make_repo: Path) -> Path:
    label = f"{commits // 1000}k" if commits % 1000 == 0 else str(commits)
    if commits % 1_000_000 == 0:
        label = f"{commits // 1_000_000}M"
    repo = cache / f"repo-{label}"
    if not (repo / ".git").exists():
        print(f"building {repo} ({commits} commits) ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, str(make_repo), str(repo), "--commits", str(commits), "--seed", "1"],
            check=True,
        )
    return repo


def drop_newest_release(text: str) -> tuple[str, str]:
    """The changelog without its newest release block, and that release's version."""
    headings = list(re.finditer(r"^## \[?([0-9][^\]\s]*)", text, re.MULTILINE))
    if not headings:
        raise SystemExit("bench: the changelog has no release heading")
    first = headings[0]
    end = headings[1].start() if len(headings) > 1 else len(text)
    return text[: first.start()] + text[end:], first[1]


def relnotes_command() -> list[str]:
    found = shutil.which("relnotes", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "relnotes"]


def bench(repo: Path, peers_bin: Path | None, timeout: float, repeat: int) -> list[tuple]:
    rows: list[tuple] = []
    baseline = min(
        (measure(GIT_LOG, repo, timeout) for _ in range(repeat)), key=lambda r: r.seconds
    )
    rows.append(("git log (the limit)", baseline))
    relnotes = relnotes_command()
    changelog = ["changelog", "--allow-outside", "--file"]  # a temporary file: outside the repo
    with tempfile.TemporaryDirectory(prefix="relnotes-bench-") as folder:
        full_path = Path(folder) / "CHANGELOG.md"
        fulls = []
        for _ in range(repeat):  # the best of --repeat runs, as for git log
            full_path.unlink(missing_ok=True)
            fulls.append(measure([*relnotes, *changelog, str(full_path)], repo, timeout))
        full = min(fulls, key=lambda r: r.seconds)
        rows.append(("relnotes changelog (full)", full))
        if full.failed is None and not full.timed_out:
            text = full_path.read_text(encoding="utf-8")
            shorter, version = drop_newest_release(text)
            full_path.write_text(shorter, encoding="utf-8")
            update = measure([*relnotes, *changelog, str(full_path)], repo, timeout)
            same = full_path.read_text(encoding="utf-8") == text
            if not same:
                update.failed = "the update differs from the full changelog"
            rows.append((f"relnotes changelog (update: add {version})", update))
            again = measure([*relnotes, *changelog, str(full_path)], repo, timeout)
            rows.append(("relnotes changelog (up to date)", again))
            checks = [
                measure([*relnotes, *changelog, str(full_path), "--check"], repo, timeout)
                for _ in range(repeat)
            ]
            rows.append(
                ("relnotes changelog --check (up to date)", min(checks, key=lambda r: r.seconds))
            )
        for name, command in PEERS.items() if peers_bin else ():
            executable = peers_bin / command("x")[0]
            if not executable.exists():
                rows.append((name, None))
                continue
            out = str(Path(folder) / f"{name.split()[0]}.md")
            argv = command(out)
            env = {**os.environ, "PATH": f"{peers_bin}{os.pathsep}{os.environ.get('PATH', '')}"}
            rows.append((name, measure([str(executable), *argv[1:]], repo, timeout, env)))
    return rows


def table(label: str, rows: list[tuple], timeout: float) -> str:
    base = rows[0][1].seconds
    lines = [
        f"### {label}",
        "",
        "| command | seconds | ratio to git log | peak MB |",
        "|---|---:|---:|---:|",
    ]
    for name, run in rows:
        if run is None:
            lines.append(f"| {name} | not installed | | |")
        elif run.timed_out:
            lines.append(f"| {name} | > {timeout:.0f} (cap) | > {timeout / base:.0f} | |")
        else:
            note = f" (failed: {run.failed})" if run.failed else ""
            peak = f"{run.peak_mb:.0f}" if run.peak_mb is not None else ""
            lines.append(
                f"| {name}{note} | {run.seconds:.2f} | {run.seconds / base:.2f} | {peak} |"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=ROOT / ".work" / "bench")
    parser.add_argument("--sizes", default="10000,100000", help="commit counts, comma-separated")
    parser.add_argument("--peers", type=Path, default=None, help="the peers venv")
    parser.add_argument("--timeout", type=float, default=300.0, help="cap per command (s)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of git log and the full changelog (best kept)"
    )
    parser.add_argument(
        "--make-repo", type=Path, default=ROOT.parent / "shared" / "bench" / "make_repo.py"
    )
    parser.add_argument(
        "--million", action="store_true", help="also the 1,000,000-commit repository"
    )
    args = parser.parse_args()
    args.cache = args.cache.resolve()
    args.cache.mkdir(parents=True, exist_ok=True)
    peers = args.peers or args.cache / "peers-venv"
    peers_bin = peers / "bin" if (peers / "bin").is_dir() else None
    if peers_bin is None:
        print(
            f"bench: no peers venv at {peers}; to compare, run: python3 -m venv {peers} && "
            f"{peers}/bin/pip install git-cliff commitizen git-changelog",
            file=sys.stderr,
        )
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in [*sizes, *([1_000_000] if args.million else [])]:
        repo = ensure_repo(args.cache, size, args.make_repo)
        tags = subprocess.run(
            ["git", "tag"], cwd=repo, capture_output=True, text=True, check=True
        ).stdout.count("\n")
        rows = bench(repo, peers_bin if size < 1_000_000 else None, args.timeout, args.repeat)
        print(table(f"{size} commits, {tags} tags ({repo.name})", rows, args.timeout))
        print(flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
