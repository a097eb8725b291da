#!/usr/bin/env python3
"""relnotes against `git log`, its peers and a bare start-up, all measured in one run.

Speed is measured here, never asserted in tests. Repositories come from
../shared/bench/make_repo.py (seed 1) and are cached in --cache. Every time is the best of
--runs runs (a peer's whole history: one run), and a command that takes a fraction of a second
(one release, ``changelog --check``: ours and the peers' alike) the best of QUICK_RUNS, whose
minimum a busy moment moves less. Ratios are to a baseline measured in the same run (`git log`
printing every commit's hash, parents, author, date, refs and message; a bare `python -c pass`
for the hook), so machines compare. Peak memory is each process's own ru_maxrss (os.wait4).
The peers (git-cliff, commitizen, git-changelog) run from a venv of their own (--peers), never
from the project's dependencies, each capped at --timeout seconds.

It prints one table per repository and, last, the rows of issue 14's table with their targets.
The 1,000,000-commit repository takes minutes to build and to read: it is measured only with
--million, for relnotes and git log alone.

Usage: python tests/bench.py [--cache .work/bench] [--sizes 10000,100000] [--runs 3] [--million]
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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GIT_LOG = ["git", "log", "--format=%H%x00%P%x00%an%x00%aI%x00%D%x00%B%x00", "-z"]
HOOK_MESSAGE = (
    "feat(parser): accept empty tables\n\n"
    "The parser took an empty table for an error.\n\nRefs: #12\n"
)
CZ_CONFIG = '[tool.commitizen]\nname = "cz_conventional_commits"\ntag_format = "v$version"\n'


@dataclass
class Run:
    seconds: float
    peak_mb: float | None
    timed_out: bool = False
    failed: str | None = None

    @property
    def ok(self) -> bool:
        return not self.timed_out and self.failed is None


@dataclass
class Row:
    name: str
    run: Run | None  # None: the tool is not installed
    peer: bool = False


@dataclass
class Table:
    title: str
    base: float
    rows: list[Row] = field(default_factory=list)

    def ratio(self, name: str) -> tuple[float, float | None] | None:
        for row in self.rows:
            if row.name == name and row.run is not None and row.run.ok:
                return row.run.seconds / self.base, row.run.peak_mb
        return None


#: How many times a command that takes a fraction of a second is run (the best counts).
QUICK_RUNS = 10


def measure(argv: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None) -> Run:
    """One run: wall time and this process's own peak memory; killed at ``timeout``."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            os.wait4(process.pid, 0)
            return Run(timeout, None, timed_out=True)
        time.sleep(0.002)
    seconds = time.perf_counter() - start
    err = process.stderr.read().decode(errors="replace") if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    run = Run(seconds, usage.ru_maxrss / scale)
    if process.returncode != 0:
        run.failed = (err.strip().splitlines() or [f"exit {process.returncode}"])[-1][:80]
    return run


def best(argv: list[str], cwd: Path, timeout: float, runs: int, **kw: object) -> Run:
    results = [measure(argv, cwd, timeout, **kw) for _ in range(runs)]  # type: ignore[arg-type]
    ok = [r for r in results if r.ok]
    return min(ok, key=lambda r: r.seconds) if ok else results[0]


def label(size: int) -> str:
    return f"{size // 1_000_000}M" if size % 1_000_000 == 0 else f"{size // 1000}k"


def ensure_repo(cache: Path, size: int, make_repo: Path) -> Path:
    dest = cache / f"repo-{label(size)}"
    if not (dest / ".git").is_dir():
        print(f"building {dest} ({size} commits) …", file=sys.stderr, flush=True)
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


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


def relnotes() -> list[str]:
    found = shutil.which("relnotes", path=str(BIN))
    return [found] if found else [sys.executable, "-m", "relnotes"]


def drop_newest_release(text: str) -> str:
    """The changelog without its newest release block (an update then adds it back)."""
    headings = list(re.finditer(r"^## \[?[0-9]", text, re.MULTILINE))
    if not headings:
        raise SystemExit("bench: the changelog has no release heading")
    end = headings[1].start() if len(headings) > 1 else len(text)
    return text[: headings[0].start()] + text[end:]


def repo_table(
    repo: Path, peers: Path | None, timeout: float, runs: int, with_peers: bool = True
) -> Table:
    quick = max(runs, QUICK_RUNS)
    tags = git(repo, "tag").count("\n")
    commits = int(git(repo, "rev-list", "--count", "--all").strip())
    base = best(GIT_LOG, repo, timeout, runs)
    table = Table(f"{commits:,} commits, {tags:,} tags ({repo.name})", base.seconds)
    table.rows.append(Row("git log (the limit)", base))
    latest = git(repo, "describe", "--tags", "--abbrev=0", "HEAD").strip()
    previous = git(repo, "describe", "--tags", "--abbrev=0", f"{latest}^").strip()
    ours = relnotes()
    peer_env = None
    if peers is not None:
        peer_env = {**os.environ, "PATH": f"{peers}{os.pathsep}{os.environ.get('PATH', '')}"}
    cz_config = repo.parent / f"{repo.name}.cz.toml"
    cz_config.write_text(CZ_CONFIG, encoding="utf-8")

    def peer(name: str, argv: list[str], tries: int = 1) -> None:
        if not with_peers:
            return
        executable = peers / argv[0] if peers is not None else None
        if executable is None or not executable.exists():
            table.rows.append(Row(name, None, peer=True))
            return
        run = best([str(executable), *argv[1:]], repo, timeout, tries, env=peer_env)
        table.rows.append(Row(name, run, peer=True))

    # one release
    table.rows.append(
        Row(f"relnotes notes {latest}", best([*ours, "notes", latest], repo, timeout, quick))
    )
    peer("git-cliff --latest (one release)", ["git-cliff", "--latest", "--output", "-"], quick)
    peer(
        f"cz changelog --dry-run {latest} (one release)",
        ["cz", "--config", str(cz_config), "changelog", "--dry-run", latest],
        quick,
    )
    peer(
        f"git-changelog -F {previous}..{latest} (one release)",
        [
            "git-changelog",
            "--convention",
            "conventional",
            "-F",
            f"{previous}..{latest}",
            "-o",
            "/dev/stdout",  # git-changelog writes "-" as a file of that name
            ".",
        ],
        quick,
    )
    # the whole history
    with tempfile.TemporaryDirectory(prefix="relnotes-bench-") as folder:
        path = Path(folder) / "CHANGELOG.md"
        full = [*ours, "changelog", "--file", str(path), "--allow-outside"]
        runs_full = []
        for _ in range(runs):
            path.unlink(missing_ok=True)
            runs_full.append(measure(full, repo, timeout))
        done = [r for r in runs_full if r.ok]
        table.rows.append(
            Row(
                "relnotes changelog (full)",
                min(done, key=lambda r: r.seconds) if done else runs_full[0],
            )
        )
        table.rows.append(
            Row(
                "relnotes log --format json",
                best([*ours, "log", "--format", "json"], repo, timeout, runs),
            )
        )
        if path.exists():
            text = path.read_text(encoding="utf-8")
            check = best([*full, "--check", "--no-unreleased"], repo, timeout, quick)
            table.rows.append(Row("relnotes changelog --check (up to date)", check))
            path.write_text(drop_newest_release(text), encoding="utf-8")
            update = measure(full, repo, timeout)
            if path.read_text(encoding="utf-8") != text:
                update.failed = "the update differs from the full changelog"
            table.rows.append(Row("relnotes changelog (update: one new release)", update))
        out = Path(folder)
        peer("git-cliff (full)", ["git-cliff", "--output", str(out / "cliff.md")])
        peer(
            "cz changelog (full)",
            ["cz", "--config", str(cz_config), "changelog", "--file-name", str(out / "cz.md")],
        )
        peer(
            "git-changelog (full)",
            [
                "git-changelog",
                "--convention",
                "conventional",
                "--template",
                "keepachangelog",
                "--output",
                str(out / "gcl.md"),
                ".",
            ],
        )
    return table


def hook_table(runs: int) -> Table:
    with tempfile.TemporaryDirectory() as folder:
        message = Path(folder) / "COMMIT_EDITMSG"
        message.write_text(HOOK_MESSAGE, encoding="utf-8")
        bare = best([sys.executable, "-c", "pass"], ROOT, 30, runs)
        table = Table("commit-msg hook (target: within 3x of a bare start-up)", bare.seconds)
        table.rows.append(Row("python -c pass (the baseline)", bare))
        hook = [*relnotes(), "check", "--message-file", str(message)]
        subprocess.run(hook, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # warm the cache
        table.rows.append(Row("relnotes check --message-file", best(hook, ROOT, 30, runs)))
        cz = shutil.which("cz", path=str(BIN))
        if cz:
            argv = [cz, "check", "--message", HOOK_MESSAGE]
            table.rows.append(
                Row("cz check --message (peer)", best(argv, ROOT, 30, runs), peer=True)
            )
    return table


def show(table: Table, timeout: float) -> None:
    print(f"\n### {table.title}\n")
    print("| command | seconds | ratio | peak MB |")
    print("|---|---:|---:|---:|")
    for row in table.rows:
        run = row.run
        if run is None:
            print(f"| {row.name} | not installed | | |")
        elif run.timed_out:
            print(f"| {row.name} | > {timeout:.0f} (stopped) | > {timeout / table.base:.0f} | |")
        else:
            note = f" (failed: {run.failed})" if run.failed else ""
            peak = f"{run.peak_mb:.0f}" if run.peak_mb is not None else ""
            ratio = run.seconds / table.base
            print(f"| {row.name}{note} | {run.seconds:.3f} | {ratio:.2f} | {peak} |")
    sys.stdout.flush()


def target(what: str, measured: str, goal: str, met: bool) -> None:
    print(f"| {what} | {measured} | {goal} | {'yes' if met else 'no'} |")


def targets(big: Table | None, million: Table | None, hook: Table) -> None:
    """Issue 14's table: each row, the target, and whether this run meets it."""
    print("\n### Targets (issue 14), this run\n")
    print("| | measured | target | met |")
    print("|---|---:|---:|:---:|")
    found = hook.ratio("relnotes check --message-file")
    if found:
        target("commit-msg hook", f"{found[0]:.2f}x start-up", "<= 3x", found[0] <= 3)
    if big is not None:
        notes = next((r.name for r in big.rows if r.name.startswith("relnotes notes")), "")
        found = big.ratio(notes)
        if found:
            target("one release", f"{found[0]:.2f}xL", "<= 0.10xL", found[0] <= 0.10)
        found = big.ratio("relnotes changelog --check (up to date)")
        if found:
            target(
                "changelog --check, up to date", f"{found[0]:.2f}xL", "<= 0.15xL", found[0] <= 0.15
            )
        for name in ("relnotes changelog (full)", "relnotes log --format json"):
            found = big.ratio(name)
            if found and found[1] is not None:
                measured = f"{found[0]:.2f}xL, {found[1]:.0f} MB"
                target(name, measured, "<= 3xL, <= 150 MB", found[0] <= 3 and found[1] <= 150)
    if million is not None:
        found = million.ratio("relnotes changelog (full)")
        if found and found[1] is not None:
            measured = f"{found[0]:.2f}xL, {found[1]:.0f} MB"
            target(
                "changelog, 1M commits",
                measured,
                "<= 3xL, < 1 GB",
                found[0] <= 3 and found[1] < 1024,
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=ROOT / ".work" / "bench")
    parser.add_argument("--sizes", default="10000,100000", help="commit counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per command (best kept)")
    parser.add_argument("--peers", type=Path, default=None, help="the peers venv")
    parser.add_argument("--timeout", type=float, default=120.0, help="cap per command (s)")
    parser.add_argument(
        "--million", action="store_true", help="also 1,000,000 commits (relnotes and git log)"
    )
    parser.add_argument(
        "--make-repo", type=Path, default=ROOT.parent / "shared" / "bench" / "make_repo.py"
    )
    args = parser.parse_args()
    if not args.make_repo.is_file():
        print(f"bench: {args.make_repo} not found; pass --make-repo PATH", file=sys.stderr)
        return 2
    cache = args.cache.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    venv = (args.peers or cache / "peers-venv").resolve()
    peers = venv / "bin" if (venv / "bin").is_dir() else None
    if peers is None:
        print(f"bench: no peers venv at {venv} (make bench makes it)", file=sys.stderr)
    when = time.strftime("%Y-%m-%d %H:%M")
    print(
        f"relnotes bench, {when}, {os.cpu_count()} cores, best of {args.runs} "
        f"(one release and --check: best of {max(args.runs, QUICK_RUNS)})"
    )
    hook = hook_table(args.runs * 5)
    show(hook, args.timeout)
    big: Table | None = None
    for size in (int(s) for s in args.sizes.split(",")):
        table = repo_table(ensure_repo(cache, size, args.make_repo), peers, args.timeout, args.runs)
        show(table, args.timeout)
        if size == 100_000:
            big = table
    million = None
    if args.million:
        repo = ensure_repo(cache, 1_000_000, args.make_repo)
        million = repo_table(repo, peers, args.timeout * 10, 1, with_peers=False)
        show(million, args.timeout * 10)
    targets(big, million, hook)
    return 0


if __name__ == "__main__":
    sys.exit(main())
