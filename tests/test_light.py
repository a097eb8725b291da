"""What runs before click (relnotes.light, relnotes.__main__): git started on the tags as
the process starts, and ``relnotes notes`` without click on a plain command line, with the
click command's own output, files, errors and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from relnotes import early, git
from relnotes.__main__ import main
from relnotes.cli import run as run_click
from relnotes.errors import GitError
from relnotes.history import History
from relnotes.light import plain_command, reads_history, split_command
from relnotes.project import Project

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.helpers import GitRepo


def released(repo: GitRepo) -> GitRepo:
    repo.commit("feat: first")
    repo.tag("v0.1.0", annotated=True)
    repo.commit("fix(core): a fix\n\nCloses #4", author=("Ada", "ada@example.org"))
    repo.commit("feat!: a break\n\nBREAKING CHANGE: the old way is gone")
    repo.tag("v0.2.0")
    repo.tag("release-0.1.5")  # looks like a version in no format: a warning on every command
    repo.git("remote", "add", "origin", "https://github.com/o/r.git")
    return repo


def outcome(
    run: Callable[[list[str]], int | None], args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int | None, str, str]:
    code = run(args)
    out, err = capsys.readouterr()
    return code, out, err


PLAIN = [
    ["notes"],
    ["notes", "v0.1.0"],
    ["notes", "v0.2.0", "--format", "json"],
    ["notes", "--format=json", "v0.2.0"],
    ["notes", "v0.2.0", "-o", "-"],
    ["notes", "v9.9.9"],  # unknown tag: exit 2, one line and a hint
    ["notes", "release-0.1.5"],  # not a version tag
    ["notes", "main"],
]


@pytest.mark.parametrize("args", PLAIN, ids=" ".join)
def test_plain_notes_run_without_click_as_click_runs_them(
    repo: GitRepo,
    args: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(released(repo).path)
    assert plain_command(args) is not None  # a plain command line: the light path takes it
    capsys.readouterr()
    light = outcome(main, args, capsys)
    clicked = outcome(run_click, args, capsys)
    assert light == clicked
    assert light[2].startswith("warning: tag release-0.1.5 looks like a version")


def test_notes_from_another_folder_and_into_a_file(
    repo: GitRepo,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    released(repo)
    (repo.path / "docs").mkdir()
    monkeypatch.chdir(tmp_path)
    written = []
    for run, name in ((main, "light.md"), (run_click, "click.md")):
        for form in (["-C", f"{repo.path}/docs"], [f"--repo={repo.path}"], [f"-C{repo.path}"]):
            target = tmp_path / name
            code, out, _err = outcome(run, [*form, "notes", "v0.2.0", "-o", str(target)], capsys)
            assert (code, out) == (0, "")
            written.append(target.read_text(encoding="utf-8"))
    assert len(set(written)) == 1
    assert "### Breaking changes\n\n- the old way is gone" in written[0]
    assert "[#4](https://github.com/o/r/issues/4)" in written[0]


@pytest.mark.parametrize(
    "args",
    [
        ["notes", "--help"],
        ["notes", "-h"],
        ["notes", "v0.1.0", "v0.2.0"],
        ["notes", "--format", "xml"],
        ["notes", "--format", "md", "--format", "json"],
        ["notes", "--output"],
        ["notes", "-x"],
        ["notes", "--", "v0.1.0"],
        ["changelog", "--full", "--incremental"],
        ["changelog", "--file"],
        ["changelog", "--file="],
        ["changelog", "--check=yes"],
        ["changelog", "CHANGES.md"],
        ["changelog", "--help"],
        ["--version"],
        ["-C"],
        ["preview"],
        [],
    ],
    ids=lambda a: " ".join(a) or "nothing",
)
def test_any_other_command_line_is_left_to_click(args: list[str]) -> None:
    assert plain_command(args) is None


CHANGELOG_RUNS = [
    ["changelog", "--check"],  # no file yet: out of date, exit 1
    ["changelog", "--dry-run"],
    ["changelog"],
    ["changelog", "--check", "--no-unreleased"],
    ["changelog"],  # up to date
    ["changelog", "--full", "--file", "docs/CHANGES.md"],
    ["changelog", "--incremental", "--no-unreleased", "--file=docs/CHANGES.md"],
    ["changelog", "--file", "../outside.md"],  # refused: exit 2
    ["changelog", "--file", "../outside.md", "--allow-outside", "--check"],
]


def test_plain_changelog_runs_without_click_as_click_runs_them(
    repo: GitRepo,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same runs, one after the other, through each path in its own copy of the
    repository: the same output, exit codes and files."""
    released(repo)
    (repo.path / "docs").mkdir()
    results = []
    for run, name in ((main, "light"), (run_click, "click")):
        copy = tmp_path / name / "repo"
        subprocess.run(["git", "clone", "-q", str(repo.path), str(copy)], check=True)
        (copy / "docs").mkdir()
        monkeypatch.chdir(copy)
        seen = []
        for args in CHANGELOG_RUNS:
            assert plain_command(args) is not None
            capsys.readouterr()
            seen.append(outcome(run, args, capsys))
        files = [
            (copy / f).read_text(encoding="utf-8") for f in ("CHANGELOG.md", "docs/CHANGES.md")
        ]
        results.append((seen, files))
    assert results[0] == results[1]
    codes = [code for code, _out, _err in results[0][0]]
    assert codes == [1, 0, 0, 0, 0, 0, 0, 2, 1]
    assert "## 0.2.0" in results[0][1][0]


def test_the_command_line_read_before_click() -> None:
    assert split_command(["-C", "x", "notes", "v1"]) == ("x", "notes", ["v1"])
    assert split_command(["--repo=x", "log", "--format", "json"]) == (
        "x",
        "log",
        ["--format", "json"],
    )
    assert split_command(["-Cx", "preview"]) == ("x", "preview", [])
    assert split_command(["--version"]) is None
    assert split_command(["--repo=", "notes"]) is None
    assert reads_history(["changelog", "--check"]) == "."
    assert reads_history(["changelog", "--help"]) is None
    assert reads_history(["check", "--message", "feat: x"]) is None
    assert reads_history(["init"]) is None


def test_a_plain_notes_run_never_imports_click(released_repo: GitRepo) -> None:
    probe = (
        "import sys\n"
        "from relnotes.__main__ import main\n"
        "code = main(sys.argv[1:])\n"
        "sys.stderr.write(f'\\nclick={\"click\" in sys.modules} code={code}\\n')\n"
    )
    runs = (
        (["notes", "v0.2.0"], False, 0),
        (["changelog", "--check"], False, 1),
        (["notes", "--help"], True, 0),
    )
    for args, clicked, code in runs:
        done = subprocess.run(
            [sys.executable, "-c", probe, *args],
            cwd=released_repo.path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.stderr.rstrip().endswith(f"click={clicked} code={code}"), done.stderr


@pytest.fixture
def released_repo(repo: GitRepo) -> GitRepo:
    return released(repo)


def test_prefetched_git_calls_serve_only_their_own_folder(repo: GitRepo, tmp_path: Path) -> None:
    released(repo)
    other = tmp_path / "other"
    other.mkdir()
    subprocess.run(["git", "init", "-q", str(other)], check=True)
    early.prefetch(str(repo.path / ".git" / ".."))
    try:
        root = git.open_repo(str(repo.path)).root
        assert git.tag_refs_prefetched(root)
        assert not git.tag_refs_prefetched(str(other))
        info = git.open_repo(str(other))  # not the prefetched answer: no commits there
        assert not info.has_commits
        listing = git.start_tag_refs(root)
        assert not git.tag_refs_prefetched(root)  # taken, once
        names = {name for name, *_rest in git.tag_refs(root, listing)}
        assert names == {"v0.1.0", "v0.2.0", "release-0.1.5"}
        early.prefetch(str(other))
        assert git.tag_refs_prefetched(os.path.abspath(other))
    finally:
        git.drop_prefetched()
    assert not git.tag_refs_prefetched(os.path.abspath(other))


def test_a_prefetch_where_there_is_no_folder_does_nothing(tmp_path: Path) -> None:
    early.prefetch(str(tmp_path / "missing"))
    assert not git.tag_refs_prefetched(str(tmp_path / "missing"))
    assert main(["-C", str(tmp_path / "missing"), "notes"]) == 2


def test_a_git_call_started_ahead_answers_as_one_started_later(repo: GitRepo) -> None:
    """What os.posix_spawn started (relnotes.early) reads as what subprocess starts: its
    output, its failure in one line, and an end when no one takes it."""
    released(repo)
    path = str(repo.path)
    ahead = git.Started.adopt(early.TAG_REFS, early.Spawned(path, early.TAG_REFS))
    assert ahead.output() == git.Started(path, early.TAG_REFS).output()
    failing = ("rev-parse", "--verify", "no-such-branch")
    code, out = git.Started.adopt(failing, early.Spawned(path, failing)).answer()
    assert (code, out) == (128, "")
    with pytest.raises(GitError, match="git rev-parse failed: Needed a single revision"):
        git.Started.adopt(failing, early.Spawned(path, failing)).output()
    slow = ("log", "--all", "--format=%H%n%B")
    git.Started.adopt(slow, early.Spawned(path, slow)).close()  # killed, then waited for


def test_a_listing_with_more_warnings_than_a_pipe_holds_is_read(repo: GitRepo) -> None:
    """2,000 broken refs: git warns of each on standard error (120 KB, more than a pipe
    holds) while it lists the tags; both pipes are read as they fill, or git would wait."""
    released(repo)
    for index in range(2000):
        (repo.path / ".git" / "refs" / "tags" / f"broken-{index:04d}").write_text("garbage\n")
    path = str(repo.path)
    code = (
        "from relnotes import early\n"
        f"process = early.Spawned({path!r}, early.TAG_REFS)\n"
        "out, err = process.communicate()\n"
        "print(process.returncode, len(err) > 1 << 16, out.count(b'\\n'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, check=True)
    assert done.stdout.split() == [b"0", b"True", b"3"]
    notes = subprocess.run(
        [sys.executable, "-m", "relnotes", "-C", path, "notes", "v0.2.0"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert notes.returncode == 0, notes.stderr
    assert notes.stdout.startswith(b"## 0.2.0")


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads /proc (Linux)")
def test_git_started_ahead_does_not_inherit_ignored_signals(repo: GitRepo) -> None:
    """Python ignores SIGXFSZ (and SIGPIPE); git started ahead gets them back at their
    default, as from subprocess: a shell that git runs shows none of them ignored."""
    released(repo)
    show = ("-c", "alias.ignored=!grep SigIgn /proc/self/status", "ignored")
    out, _err = early.Spawned(str(repo.path), show).communicate()
    mask = int(out.split()[-1], 16)
    assert mask & (1 << (25 - 1)) == 0  # SIGXFSZ
    assert mask & (1 << (13 - 1)) == 0  # SIGPIPE


def test_without_git_nothing_is_started_ahead(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    released(repo)
    monkeypatch.setenv("PATH", str(repo.path / "nowhere"))
    early.prefetch(str(repo.path))
    assert not early.started
    with pytest.raises(GitError, match="git is not installed"):
        git.open_repo(str(repo.path))


def test_a_release_below_thousands_of_tags_is_read_whole(repo: GitRepo) -> None:
    """git reads the revisions to leave out as it parses them: more than a pipe holds is fed
    while the command goes on, and the release still holds exactly its own commits."""
    count = 1800  # 1,799 tags to leave out: about 72 KB of revisions, more than a pipe holds
    stream = []
    for index in range(1, count + 1):
        stream += [
            "commit refs/heads/main",
            f"mark :{index}",
            f"committer T <t@example.org> {1_700_000_000 + index} +0000",
            f"data <<END\nfeat: change {index}\nEND",
        ]
        if index > 1:
            stream.append(f"from :{index - 1}")
        stream += [f"reset refs/tags/v0.{index}.0", f"from :{index}", ""]
    repo.git("fast-import", "--quiet", input=("\n".join(stream) + "\n").encode())
    repo.git("reset", "-q", "--hard", "main")
    project = Project(str(repo.path))
    release = project.history.notes_release(project.history.tag(f"v0.{count}.0"))
    assert [c.parsed.description for c in release.commits] == [f"change {count}"]
    assert release.previous_tag == f"v0.{count - 1}.0"


def test_a_log_that_git_refuses_is_an_error_not_a_hang(repo: GitRepo) -> None:
    released(repo)
    missing = [f"{n:040x}" for n in range(1, 3000)]  # 120 KB of revisions git cannot find
    history = History(str(repo.path), Project(str(repo.path)).config)
    with pytest.raises(GitError, match="git log failed"):
        history.commits([repo.head()], missing)


def test_the_console_script_exits_at_once_with_its_output_and_code(
    released_repo: GitRepo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``python -m relnotes`` (as the console script) leaves without tearing the interpreter
    down: what it printed is all there, and so is its exit code."""
    monkeypatch.chdir(released_repo.path)
    for args in (["notes", "v0.2.0"], ["notes", "v9.9.9"], ["changelog", "--dry-run"]):
        expected = outcome(main, args, capsys)
        done = subprocess.run(
            [sys.executable, "-m", "relnotes", *args], capture_output=True, text=True, check=False
        )
        assert (done.returncode, done.stdout, done.stderr) == expected
        assert expected[1] or expected[2]
    closed = subprocess.run(  # a reader that stops early: no hang, the start is there
        f"{sys.executable} -m relnotes changelog --dry-run | head -c 1",
        shell=True,
        capture_output=True,
        check=False,
    )
    assert closed.stdout == b"-"


@pytest.mark.parametrize("command", ["notes", "changelog", "preview"])
def test_an_empty_folder_name_is_refused_by_every_command(
    repo: GitRepo,
    command: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(released(repo).path)
    capsys.readouterr()
    code, out, err = outcome(main, ["-C", "", command], capsys)
    assert (code, out) == (2, "")
    assert err == "relnotes: error: no such folder: \n  hint: pass an existing folder with -C\n"
    assert not (repo.path / "CHANGELOG.md").exists()
