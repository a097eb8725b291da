#!/usr/bin/env python3
"""relnotes against `git log` (and the commit-msg hook against a bare start-up), in one run.

Speed is measured here, never asserted in tests. Repositories come from
../shared/bench/make_repo.py (seed 1) and are cached in --cache. Every figure is the median of
--runs runs; ratios are to a baseline measured in the same run, so machines compare.

Peers (git-cliff, commitizen, git-changelog) run from their own venv (--peers, default
.work/bench/peers-venv), never from the project's: each makes one release's notes too.
--million adds the 1,000,000-commit repository (relnotes and git log only).

Usage: python tests/bench.py [--cache .work/bench] [--sizes 10000,100000] [--runs 3] [--million]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GIT_LOG = ["git", "log", "--format=%H%x00%P%x00%an%x00%aI%x00%D%x00%B%x00", "-z"]
HOOK_MESSAGE = (
    "feat(parser): accept empty tables\n\n"
    "The parser took an empty table for an error.\n\nRefs: #12\n"
)


def label(size: int) -> str:
    """``10k``, ``100k``, ``1M``: how the cached repositories are named."""
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def ensure_repo(cache: Path, size: int, make_repo: Path) -> Path:
    dest = cache / f"repo-{label(size)}"
    if not (dest / ".git").is_dir():
        print(f"building {dest} ({size} commits) …", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                str(make_repo),
                str(dest),
                "--commits",
                str(size),
                "--seed",
                "1",
                "--force",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return dest


def timed(argv: list[str], runs: int, cwd: Path | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory_mb(argv: list[str], cwd: Path | None = None) -> float:
    """The peak resident memory of one run (a helper process waits for it alone)."""
    probe = (
        "import resource, subprocess, sys;"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv], cwd=cwd, capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip()) / 1024


def latest_tag(repo: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "describe", "--tags", "--abbrev=0", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def previous_tag(repo: Path, tag: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "describe", "--tags", "--abbrev=0", f"{tag}^"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def history_bench(
    repo: Path, runs: int, peers: Path | None
) -> list[tuple[str, float, float, float | None]]:
    relnotes = str(BIN / "relnotes")
    base = timed([*GIT_LOG], runs, cwd=repo)
    tag = latest_tag(repo)
    rows: list[tuple[str, float, float, float | None]] = [("git log (baseline)", base, 1.0, None)]
    for name, argv in (
        (f"relnotes notes {tag}", [relnotes, "notes", tag]),
        ("relnotes log --format json (full history)", [relnotes, "log", "--format", "json"]),
    ):
        seconds = timed(argv, runs, cwd=repo)
        rows.append((name, seconds, seconds / base, peak_memory_mb(argv, cwd=repo)))
    if peers is None:
        return rows
    config = repo.parent / f"{repo.name}.cz.toml"
    config.write_text(
        '[tool.commitizen]\nname = "cz_conventional_commits"\ntag_format = "v$version"\n',
        encoding="utf-8",
    )
    previous = previous_tag(repo, tag)
    for name, argv in (
        (f"git-cliff --latest (peer, {tag})", [str(peers / "git-cliff"), "--latest"]),
        (
            f"git-changelog -F {previous}..{tag} (peer)",
            [
                str(peers / "git-changelog"),
                "--convention",
                "conventional",
                "--filter-commits",
                f"{previous}..{tag}",
                ".",
            ],
        ),
        (
            f"cz changelog --dry-run {tag} (peer)",
            [str(peers / "cz"), "--config", str(config), "changelog", "--dry-run", tag],
        ),
    ):
        if not Path(argv[0]).exists():
            rows.append((f"{name}: not installed", 0, 0, None))
            continue
        try:
            seconds = timed(argv, runs, cwd=repo)
        except subprocess.CalledProcessError:
            rows.append((f"{name}: failed to run here", 0, 0, None))
        else:
            rows.append((name, seconds, seconds / base, peak_memory_mb(argv, cwd=repo)))
    return rows


def hook_bench(runs: int, peers: Path | None) -> list[tuple[str, float, float, float | None]]:
    with tempfile.TemporaryDirectory() as folder:
        message = Path(folder) / "COMMIT_EDITMSG"
        message.write_text(HOOK_MESSAGE, encoding="utf-8")
        bare = timed([sys.executable, "-c", "pass"], runs, cwd=ROOT)
        rows: list[tuple[str, float, float, float | None]] = [
            ("python -c pass (baseline)", bare, 1.0, None)
        ]
        hook = [str(BIN / "relnotes"), "check", "--message-file", str(message)]
        subprocess.run(hook, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # warm the cache
        seconds = timed(hook, runs, cwd=ROOT)
        rows.append(("relnotes check --message-file (hook)", seconds, seconds / bare, None))
        cz = shutil.which("cz", path=str(peers)) if peers else None
        if cz:
            peer = timed([cz, "check", "--message", HOOK_MESSAGE], runs, cwd=ROOT)
            rows.append(("cz check --message (peer)", peer, peer / bare, None))
            rows.append((f"  relnotes is {peer / seconds:.1f}x faster than cz check", 0, 0, None))
    return rows


def show(title: str, rows: list[tuple[str, float, float, float | None]]) -> None:
    print(f"\n{title}")
    print(f"  {'command':<56} {'seconds':>9} {'ratio':>7} {'peak MB':>8}")
    for name, seconds, ratio, memory in rows:
        if not seconds:
            print(f"  {name}")
            continue
        mem = f"{memory:8.0f}" if memory is not None else f"{'':8}"
        print(f"  {name:<56} {seconds:9.3f} {ratio:6.2f}x {mem}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=str(ROOT / ".work" / "bench"))
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peers", default=None, help="the peers venv (default: CACHE/peers-venv)")
    parser.add_argument(
        "--million", action="store_true", help="also the 1,000,000-commit repository"
    )
    parser.add_argument(
        "--make-repo", default=str(ROOT.parent / "shared" / "bench" / "make_repo.py")
    )
    args = parser.parse_args()
    make_repo = Path(args.make_repo)
    if not make_repo.is_file():
        print(f"bench: {make_repo} not found; pass --make-repo PATH", file=sys.stderr)
        return 2
    cache = Path(args.cache).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    peers_venv = Path(args.peers) if args.peers else cache / "peers-venv"
    peers = peers_venv / "bin" if (peers_venv / "bin").is_dir() else None
    when = time.strftime("%Y-%m-%d %H:%M")
    print(f"relnotes bench — {when} — {os.cpu_count()} cores, median of {args.runs}")
    show(
        "commit-msg hook (target: within 3x of a bare start-up, 5x faster than cz check)",
        hook_bench(args.runs * 5, peers),
    )
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in [*sizes, *([1_000_000] if args.million else [])]:
        repo = ensure_repo(cache, size, make_repo)
        tags = subprocess.run(
            ["git", "tag"], cwd=repo, capture_output=True, text=True, check=True
        ).stdout.count("\n")
        show(
            f"{label(size)} commits, {tags} tags (targets: one release within 0.10x of git log;"
            " the full history within 3x, 150 MB at 100k)",
            history_bench(repo, args.runs, peers if size < 1_000_000 else None),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
