"""`relnotes check`: every rule with its exact message and fix, --fix, ranges, the real hook."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relnotes.config import Config
from relnotes.lint import RULES, Checker, fix_all, lint_message

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo

RELNOTES = str(Path(sys.executable).with_name("relnotes"))

TYPES = "build, chore, ci, docs, feat, fix, perf, refactor, revert, style, test"
NO_TYPE = "start the header with a type, as in 'type: {}'; types: " + TYPES
COLON = "write a colon and a space after the type"
BC_CASE = (
    "write the footer token as 'BREAKING CHANGE:' (capitals, singular): as it stands it breaks "
    "nothing"
)
ALMOST = "if this is a footer, write it 'Token: value' or 'Token #value' (one space)"

# (message, rule, severity, line, message text, suggestions, fixable)
CASES = [
    ("", "empty-message", "error", 1, "the commit message is empty", (), False),
    ("# only a comment\n", "empty-message", "error", 1, "the commit message is empty", (), False),
    (
        "feature: add login",
        "type-unknown",
        "error",
        1,
        "unknown type 'feature'; did you mean 'feat'?",
        ("feat: add login",),
        True,
    ),
    (
        "fxi: typo",
        "type-unknown",
        "error",
        1,
        "unknown type 'fxi'; did you mean 'fix'?",
        ("fix: typo",),
        True,
    ),
    (
        "refactr(api): x",
        "type-unknown",
        "error",
        1,
        "unknown type 'refactr'; did you mean 'refactor'?",
        ("refactor(api): x",),
        True,
    ),
    # one letter from a type, but a word of its own: suggested, never fixed
    (
        "cli: add a flag",
        "type-unknown",
        "error",
        1,
        "unknown type 'cli'; did you mean 'ci'?",
        ("ci: add a flag",),
        False,
    ),
    (
        "core: x",
        "type-unknown",
        "error",
        1,
        "unknown type 'core'; did you mean 'chore'?",
        ("chore: x",),
        False,
    ),
    (
        "fi: x",
        "type-unknown",
        "error",
        1,
        "unknown type 'fi'; did you mean one of: ci, fix?",
        ("ci: x", "fix: x"),
        False,
    ),
    (
        "Fix: typo",
        "type-case",
        "error",
        1,
        "write the type in lower case: 'fix', not 'Fix'",
        ("fix: typo",),
        True,
    ),
    ("feat add x", "header-format", "error", 1, COLON, ("feat: add x",), False),
    ("Fixed typo in README", "header-format", "error", 1, COLON, ("fix: typo in README",), False),
    (
        "feat:add x",
        "header-format",
        "error",
        1,
        "write one space after the colon",
        ("feat: add x",),
        True,
    ),
    (
        "Feat(api) : add x",
        "header-format",
        "error",
        1,
        "write the type in lower case, no space before the colon",
        ("feat(api): add x",),
        True,
    ),
    (
        "feat (api) :x",
        "header-format",
        "error",
        1,
        "write no space before the parenthesis, no space before the colon, one space after the "
        "colon",
        ("feat(api): x",),
        True,
    ),
    (
        "feat:  two spaces",
        "description-space",
        "warning",
        1,
        "write one space after the colon",
        ("feat: two spaces",),
        True,
    ),
    (
        "  feat: x",
        "header-whitespace",
        "error",
        1,
        "start the header with its type: remove the white space before it",
        ("feat: x",),
        True,
    ),
    ("feat: ", "description-empty", "error", 1, "write a description after the colon", (), False),
    (
        "feat(): x",
        "scope-empty",
        "error",
        1,
        "empty parentheses: name a scope or leave them out",
        ("feat: x",),
        True,
    ),
    (
        "feat( ): x",
        "scope-empty",
        "error",
        1,
        "empty parentheses: name a scope or leave them out",
        ("feat: x",),
        True,
    ),
    (
        "Update README.md",
        "header-format",
        "error",
        1,
        NO_TYPE.format("update README.md"),
        ("docs: update README.md", "chore: update README.md", "build: update README.md"),
        False,
    ),
    (
        "Add login page",
        "header-format",
        "error",
        1,
        NO_TYPE.format("add login page"),
        ("feat: add login page", "fix: add login page"),
        False,
    ),
    # a verb is not a type: Remove is no revert
    (
        "Remove old API",
        "header-format",
        "error",
        1,
        NO_TYPE.format("remove old API"),
        ("refactor: remove old API", "feat!: remove old API"),
        False,
    ),
    (
        "BREAKING CHANGE: drop 3.8",
        "header-format",
        "error",
        1,
        "BREAKING CHANGE is a footer, not a type: start the header with the type and mark the "
        "breaking change with '!'",
        ("feat!: drop 3.8", "fix!: drop 3.8"),
        False,
    ),
    (
        "WIP",
        "header-format",
        "error",
        1,
        "the header must look like 'type(scope): description', e.g. "
        "'feat(parser): accept empty tables'",
        (),
        False,
    ),
    (
        "wibble: x",
        "type-unknown",
        "error",
        1,
        "unknown type 'wibble'; use one of: " + TYPES,
        (),
        False,
    ),
    (
        "feat: " + "x" * 100,
        "header-length",
        "error",
        1,
        "the header is 106 characters long; the limit is 100: move the detail to the body",
        (),
        False,
    ),
    (
        "feat: add x.",
        "description-period",
        "warning",
        1,
        "the description ends with a period",
        ("feat: add x",),
        False,
    ),
    (
        "feat: x\nbody",
        "body-blank-line",
        "error",
        2,
        "leave one blank line between the header and the body",
        (),
        False,
    ),
    (
        "feat: x\n\nbody\n\nbreaking change: all gone",
        "breaking-change-case",
        "error",
        5,
        BC_CASE,
        ("BREAKING CHANGE: all gone",),
        True,
    ),
    (
        "feat: x\n\nBREAKING CHANGES: all gone",
        "breaking-change-case",
        "error",
        3,
        BC_CASE,
        ("BREAKING CHANGE: all gone",),
        True,
    ),
    (
        "feat: x\n\nRefs: #2\nBreaking-Change: all gone",
        "breaking-change-case",
        "error",
        4,
        BC_CASE,
        ("BREAKING CHANGE: all gone",),
        True,
    ),
    (
        "feat: x\n\nThe old file is gone.\nBREAKING CHANGE: move to pyproject.toml",
        "breaking-change-placement",
        "error",
        4,
        "put a blank line before it: inside a paragraph BREAKING CHANGE is body text and "
        "breaks nothing",
        (),
        False,
    ),
    (
        "feat: x\n\nThe guide says\nBREAKING CHANGE: quoted\n\nmore body",
        "breaking-change-placement",
        "warning",
        4,
        "BREAKING CHANGE inside a paragraph of the body is text, so it breaks nothing: start a "
        "paragraph with it if it is meant",
        (),
        False,
    ),
    (
        "fix: x\n\nRefs: #1\nCloses  #12",
        "footer-format",
        "warning",
        4,
        ALMOST,
        ("Closes #12",),
        False,
    ),
    ("fix: x\n\nRefs:#12", "footer-format", "warning", 3, ALMOST, ("Refs: #12",), False),
    (
        "fix: x\n\nRefs: #1\nCloses :#12",
        "footer-format",
        "warning",
        4,
        ALMOST,
        ("Closes: #12",),
        False,
    ),
]


@pytest.mark.parametrize(
    ("message", "rule", "severity", "line", "text", "suggestions", "fixable"),
    CASES,
    ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)],
)
def test_each_rule_reports_once_with_its_fix(
    message: str,
    rule: str,
    severity: str,
    line: int,
    text: str,
    suggestions: tuple[str, ...],
    fixable: bool,
) -> None:
    findings = lint_message(message, Config())
    assert [
        (f.rule, f.severity, f.line, f.message, f.suggestions, f.fixable) for f in findings
    ] == [(rule, severity, line, text, suggestions, fixable)]


def test_every_rule_has_a_case() -> None:
    covered = {c[1] for c in CASES} | {"scope-required", "scope-unknown", "fixup-left"}
    assert covered == set(RULES)


def test_scope_rules_from_configuration() -> None:
    config = Config(scopes=["api", "cli"], scope_required=True)
    (finding,) = lint_message("feat: x", config)
    assert (finding.rule, finding.message) == (
        "scope-required",
        "name a scope: type(scope): description (one of: api, cli)",
    )
    (finding,) = lint_message("feat(apii): x", config)
    assert (finding.rule, finding.suggestion, finding.fixable) == (
        "scope-unknown",
        "feat(api): x",
        False,  # a scope is the author's word: suggested, not rewritten
    )
    assert lint_message("feat(cli): x", config) == []
    (finding,) = lint_message("docs: xyz1", Config(header_max_length=8))
    assert finding.rule == "header-length"
    assert lint_message("wip: x", Config(types=["wip"])) == []
    assert lint_message("2fa: a type may begin with a digit", Config(types=["2fa"])) == []
    assert lint_message("docs: " + "x" * 200, Config(header_max_length=0)) == []


@pytest.mark.parametrize(
    "message",
    [
        "feat(parser): accept empty tables\n\nBody text.\n\nRefs: #3\nBREAKING CHANGE: x\n",
        "Merge branch 'main' into topic",
        "Merge pull request #4 from a/b",
        'Revert "feat: x"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.',
        "fixup! feat: x",
        "squash! feat: x",
        "amend! feat: x\n\nfeat: better x",
        "feat: x\n# Please enter the commit message for your changes.\n"
        "# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n",
        "chore(deps)!: drop Python 3.10\n\nBREAKING-CHANGE: 3.11 or newer",
        # a last paragraph that is no footer block is body: no error, no broken URL
        "docs: link the guide\n\nhttps://example.com/docs",
        "docs: link the guide\n\nSee https://example.com/docs (the new page)",
        "fix: x\n\nThis fixes the thing: now it works",
        "docs: x\n\nmailto:maintainers@example.org",
        "feat: x\n\nBREAKING CHANGE: gone\n\nMove to the new API.\n\nCloses #12",
        "feat: x\n\nBREAKING CHANGE:\n\nThe text comes in the next paragraph.",
        "feat(ui): x\n\nBreaking changes: none\n\nTested by hand.",
        "fix: x\n\nNote: this was slow.\n\nIt is fast now.\n\nRefs: #3",
        "1.2.3",
        "v2.0.0",
        "Merged in feature/x (pull request #12)",
        "feat(2fa): add TOTP",
    ],
)
def test_good_messages_pass(message: str) -> None:
    assert lint_message(message, Config()) == []


def hook(
    *args: str, cwd: Path, stdin: str | None = None, pre_commit: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PRE_COMMIT"}
    if pre_commit:
        env["PRE_COMMIT"] = "1"  # what pre-commit sets for its hooks
    return subprocess.run(
        [RELNOTES, "check", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        env=env,
        check=False,
    )


def test_fix_rewrites_only_the_header_byte_for_byte(tmp_path: Path) -> None:
    raw = (
        b"Feature(api)!:add login\r\n\r\nBody stays\r\n  exactly.\r\n\r\nRefs: #12\r\n"
        b"# Please enter the commit message for your changes.\r\n"
        b"# ------------------------ >8 ------------------------\r\ndiff --git a/x b/x\r\n"
    )
    message = tmp_path / "COMMIT_EDITMSG"
    message.write_bytes(raw)
    done = hook("--fix", "--message-file", str(message), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert message.read_bytes() == raw.replace(b"Feature(api)!:add login", b"feat(api)!: add login")
    assert done.stdout.splitlines() == [
        f"fixed {message}:1: 'Feature(api)!:add login' -> 'feat(api)!: add login'"
    ]


def test_fix_applies_every_safe_fix_and_says_what_it_changed(tmp_path: Path) -> None:
    message = tmp_path / "MSG"
    message.write_text(
        "  Feat(api) :add login\n\nWhy.\n\nbreaking change: the old login is gone\nRefs:#12\n",
        encoding="utf-8",
    )
    done = hook("--fix", str(message), cwd=tmp_path)  # the file as pre-commit passes it
    assert done.returncode == 0, done.stdout
    assert message.read_text(encoding="utf-8") == (
        "feat(api): add login\n\nWhy.\n\nBREAKING CHANGE: the old login is gone\nRefs:#12\n"
    )
    assert done.stdout.splitlines() == [
        f"fixed {message}:1: '  Feat(api) :add login' -> 'feat(api): add login'",
        f"fixed {message}:5: 'breaking change: the old login is gone' -> "
        "'BREAKING CHANGE: the old login is gone'",
        f"{message}:6: warning [footer-format] if this is a footer, write it 'Token: value' "
        "or 'Token #value' (one space)",
        "  | Refs:#12",
        "  = suggestion: Refs: #12",
        "0 errors, 1 warning",
    ]


@pytest.mark.parametrize(
    ("header", "suggestions"),
    [
        ("Add login page", ["feat: add login page", "fix: add login page"]),
        ("Remove old API", ["refactor: remove old API", "feat!: remove old API"]),
        ("Update README.md", ["docs: update README.md", "chore: update README.md"]),
        ("BREAKING CHANGE: drop 3.8", ["feat!: drop 3.8", "fix!: drop 3.8"]),
        ("cli: add a flag", ["ci: add a flag"]),
        ("feat add x", ["feat: add x"]),
    ],
)
def test_fix_leaves_a_header_with_no_sure_type_alone(
    tmp_path: Path, header: str, suggestions: list[str]
) -> None:
    message = tmp_path / "MSG"
    message.write_text(f"{header}\n\nBody.\n", encoding="utf-8")
    done = hook("--fix", "--message-file", str(message), cwd=tmp_path)
    assert done.returncode == 1
    assert message.read_text(encoding="utf-8") == f"{header}\n\nBody.\n"
    assert "fixed" not in done.stdout
    shown = [line.removeprefix("  = suggestion: ") for line in done.stdout.splitlines()]
    assert all(s in shown for s in suggestions)
    assert "  = fix:" not in done.stdout


def test_hook_output_shows_the_fix_and_how_to_edit_again(tmp_path: Path) -> None:
    message = tmp_path / "MSG"
    message.write_text("feature: add login\n", encoding="utf-8")
    done = hook("--message-file", str(message), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"{message}:1: error [type-unknown] unknown type 'feature'; did you mean 'feat'?",
        "  | feature: add login",
        "  = fix: feat: add login",
        "1 error, 0 warnings",
        f"  hint: apply the fix: relnotes check --fix {message}",
        f"  hint: edit the message again: git commit -e -F {message}",
    ]


def test_under_pre_commit_the_hint_names_the_config_not_the_command(tmp_path: Path) -> None:
    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text("Fix: typo\n", encoding="utf-8")
    done = hook(str(message), cwd=tmp_path, pre_commit=True)
    assert done.returncode == 1
    assert done.stdout.splitlines()[-2:] == [
        "  hint: to let the hook apply safe fixes, add `args: [--fix]` to the relnotes hook in "
        ".pre-commit-config.yaml",
        f"  hint: edit the message again: git commit -e -F {message}",
    ]
    message.write_text("Add login page\n", encoding="utf-8")  # nothing --fix could do
    done = hook(str(message), cwd=tmp_path, pre_commit=True)
    assert (
        done.stdout.splitlines()[-1]
        == f"  hint: edit the message again: git commit -e -F {message}"
    )
    assert "args: [--fix]" not in done.stdout
    message.write_text("feat: fine\n", encoding="utf-8")
    done = hook(str(message), cwd=tmp_path, pre_commit=True)
    assert (done.returncode, done.stdout) == (0, "")


def test_formats_and_inputs(tmp_path: Path, invoke: Invoke) -> None:
    done = hook("--format", "json", "--message", "Fix: x", cwd=tmp_path)
    data = json.loads(done.stdout)
    assert data["ok"] is False
    assert data["findings"][0]["rule"] == "type-case"
    done = hook("--format=github", "--message", "Fix: x", cwd=tmp_path)
    assert done.stdout.startswith("::error title=relnotes type-case message::write the type")
    result = invoke("-C", str(tmp_path), "check", input="feat: fine\n")
    assert result.stdout == ""
    result = invoke("-C", str(tmp_path), "check", input="nope\n", code=1)
    assert "[header-format]" in result.stdout


def test_usage_errors(tmp_path: Path, invoke: Invoke) -> None:
    done = hook("--message-file", str(tmp_path / "missing"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("relnotes: error: cannot read the message file")
    result = invoke("check", "--message", "x", "--range", "a..b", code=2)
    assert "give one of --message-file, --message and --range" in result.stderr
    result = invoke("check", "--fix", "--message", "x", code=2)
    assert "--fix rewrites a message file" in result.stderr
    result = invoke("check", "a", "--message-file", "b", code=2)
    assert "give the message file once" in result.stderr
    done = hook("--bogus", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "relnotes: error: No such option '--bogus'.",
        "  hint: see 'relnotes check --help'",
    ]


def test_config_is_read_and_cached_and_the_cache_follows_edits(repo: GitRepo) -> None:
    repo.write("pyproject.toml", "[tool.relnotes]\ntypes = ['wip']\n")
    assert hook("--message", "wip: x", cwd=repo.path).returncode == 0
    assert (repo.path / ".git" / "relnotes-config.cache").is_file()
    assert hook("--message", "wip: x", cwd=repo.path).returncode == 0
    repo.write("pyproject.toml", "[tool.relnotes]\ntypes = ['wop']\n")
    assert hook("--message", "wip: x", cwd=repo.path).returncode == 1
    repo.write("pyproject.toml", "[tool.relnotes]\ntpyes = ['wop']\n")
    done = hook("--message", "wip: x", cwd=repo.path)
    assert done.returncode == 2
    assert "did you mean 'types'?" in done.stderr


def test_a_configured_type_that_no_header_can_carry_is_a_config_error(repo: GitRepo) -> None:
    repo.write("pyproject.toml", "[tool.relnotes]\ntypes = ['wip', 'work-in-progress']\n")
    done = hook("--message", "wip: x", cwd=repo.path)
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (
        "relnotes: error: pyproject.toml [tool.relnotes]: types 'work-in-progress' is no type: "
        "a type is letters and digits"
    )


def test_the_cache_works_in_a_worktree_whose_git_is_a_file(repo: GitRepo) -> None:
    repo.write("pyproject.toml", "[tool.relnotes]\ntypes = ['wip']\n")
    repo.commit("build: the configuration")
    worktree = repo.path.parent / "worktree"
    repo.git("worktree", "add", "-q", str(worktree), "-b", "topic")
    assert (worktree / ".git").is_file()
    assert hook("--message", "wip: x", cwd=worktree).returncode == 0
    private = repo.path / ".git" / "worktrees" / "worktree"
    assert (private / "relnotes-config.cache").is_file()  # the worktree's own git folder
    (worktree / "pyproject.toml").write_text("[tool.relnotes]\ntypes = ['wop']\n")
    assert hook("--message", "wip: x", cwd=worktree).returncode == 1  # the edit is seen
    assert hook("--message", "wop: x\n# a comment", cwd=worktree).returncode == 0
    repo.git("config", "core.commentChar", ";")  # the shared config is part of the key
    assert hook("--message", "wop: x\n# not a comment now", cwd=worktree).returncode == 1


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("", "relnotes: error: --range is empty: no commit to check"),
        ("  ", "relnotes: error: --range is empty: no commit to check"),
        (
            "HEAD..HEAD",
            "relnotes: error: the range 'HEAD..HEAD' selects no commit: nothing was checked",
        ),
        ("HEAD..", "relnotes: error: the range 'HEAD..' selects no commit: nothing was checked"),
        ("^HEAD", "relnotes: error: the range '^HEAD' selects no commit: nothing was checked"),
    ],
)
def test_a_range_that_checks_nothing_is_an_error(
    repo: GitRepo, invoke: Invoke, given: str, says: str
) -> None:
    """An unset CI variable (`--range "$BASE..HEAD"`) must not pass a pull request unchecked."""
    repo.commit("feat: base")
    result = invoke("-C", str(repo.path), "check", "--range", given, code=2)
    assert result.stderr.splitlines()[0] == says
    assert result.stdout == ""


def test_text_output_shows_control_characters_instead_of_obeying_them(
    repo: GitRepo, invoke: Invoke
) -> None:
    base = repo.commit("feat: base")
    bad = repo.commit("Feat: x\r::error::forged annotation \x1b[2J\u2028 end")[:7]
    result = invoke("-C", str(repo.path), "check", "--range", f"{base}..HEAD", code=1)
    assert f"{bad}:1: error [type-case]" in result.stdout
    assert "\r" not in result.stdout
    assert "\x1b" not in result.stdout
    assert "\u2028" not in result.stdout
    assert "\\r::error::forged annotation \\x1b[2J\\u2028 end" in result.stdout
    assert all(not line.startswith("::") for line in result.stdout.splitlines())


def test_range_checks_each_commit_and_skips_merges(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: base")
    base = repo.head()
    repo.branch("topic")
    bad = repo.commit("Feat: capital")[:7]
    fixup = repo.commit("fixup! Feat: capital")[:7]
    repo.checkout("main")
    repo.commit("fix: on main")
    repo.merge("topic", "Merge branch 'topic'")
    result = invoke("-C", str(repo.path), "check", "--range", f"{base}..HEAD", code=1)
    assert result.stdout.splitlines()[0] == (
        f"{bad}:1: error [type-case] write the type in lower case: 'feat', not 'Feat'"
    )
    assert "Merge" not in result.stdout
    result = invoke("-C", str(repo.path), "check", "--no-fixup", "--range", f"{base}..HEAD", code=1)
    assert f"{fixup}:1: error [fixup-left]" in result.stdout
    result = invoke(
        "-C", str(repo.path), "check", "--format", "github", "--range", f"{base}..HEAD", code=1
    )
    assert result.stdout.startswith(f"::error title=relnotes type-case {bad}::")


def test_a_clean_range_says_how_many_commits_it_checked(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: base")
    base = repo.head()
    repo.commit("fix: one")
    repo.commit("docs: two.")
    repo.commit("Merge branch 'x'")  # a merge (by its message) is skipped, as merges are
    result = invoke("-C", str(repo.path), "check", "--range", f"{base}..HEAD")
    assert result.stderr == "checked 2 commits: no errors, 1 warning\n"
    assert "[description-period]" in result.stdout
    result = invoke("-C", str(repo.path), "check", "--range", "HEAD~3..HEAD~2")
    assert (result.stdout, result.stderr) == ("", "checked 1 commit: no errors\n")
    # a range of merges only selects commits (and skips them); an empty range is an error
    result = invoke("-C", str(repo.path), "check", "--format", "json", "--range", "HEAD~1..HEAD")
    assert json.loads(result.stdout)["checked"] == 0
    assert result.stderr == "checked 0 commits: no errors\n"


def cz_hook(repo: GitRepo, cz_toml: str, *messages: str) -> list[int]:
    repo.write(".cz.toml", cz_toml)
    return [hook("--message", m, cwd=repo.path).returncode for m in messages]


def test_commitizen_projects_pass_their_bump_commits(repo: GitRepo) -> None:
    bump = "bump: version 1.2.0 → 1.3.0"
    assert hook("--message", bump, cwd=repo.path).returncode == 1  # no commitizen here
    assert cz_hook(repo, '[tool.commitizen]\nname = "cz_conventional_commits"\n', bump) == [0]
    # a bump_message of its own, whatever its form
    custom = (
        '[tool.commitizen]\nbump_message = "release $current_version → ${new_version} [skip ci]"\n'
    )
    assert cz_hook(
        repo,
        custom,
        "release 1.2.0 → 1.3.0 [skip ci]",
        "release: 1.3.0",
        "bump: version 1.2.0 → 1.3.0",  # commitizen's own schema has the bump type
    ) == [0, 1, 0]
    typed = '[tool.commitizen]\nbump_message = "chore(release): $new_version"\n'
    assert cz_hook(repo, typed, "chore(release): 1.3.0") == [0]


def test_commitizen_settings_the_check_follows(repo: GitRepo) -> None:
    header = "feat: " + "x" * 60
    assert cz_hook(repo, "[tool.commitizen]\nmessage_length_limit = 50\n", header) == [1]
    done = hook("--message", header, cwd=repo.path)
    assert "the limit is 50" in done.stdout
    assert cz_hook(repo, "[tool.commitizen]\nmessage_length_limit = 0\n", "feat: " + "x" * 200) == [
        0
    ]
    repo.write("pyproject.toml", "[tool.relnotes]\nheader_max_length = 70\n")  # ours wins
    assert cz_hook(repo, "[tool.commitizen]\nmessage_length_limit = 50\n", header) == [0]
    prefixes = '[tool.commitizen]\nallowed_prefixes = ["WIP", "Merge"]\n'
    assert cz_hook(repo, prefixes, "WIP half done", "Pull request #3: x") == [0, 1]
    custom = (
        '[tool.commitizen]\nname = "cz_customize"\n[tool.commitizen.customize]\n'
        "schema_pattern = '(feature|bug fix):(\\s.*)'\n"
    )
    assert cz_hook(repo, custom, "bug fix: no crash", "feature: x", "nope: x") == [0, 0, 1]
    done = hook("--message", "x", cwd=repo.path)
    repo.write(".cz.toml", '[tool.commitizen]\nallowed_prefixes = "Merge"\n')
    done = hook("--message", "feat: x", cwd=repo.path)
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (
        "relnotes: error: .cz.toml [tool.commitizen]: allowed_prefixes must be a list of strings, "
        "not 'Merge'"
    )


def test_range_in_a_shallow_clone_is_refused(repo: GitRepo, tmp_path: Path, invoke: Invoke) -> None:
    for n in range(3):
        repo.commit(f"feat: {n}")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)], check=True
    )
    result = invoke("-C", str(clone), "check", "--range", "HEAD~1..HEAD", code=2)
    assert "shallow clone" in result.stderr


def test_hook_path_imports_nothing_heavy(repo: GitRepo, tmp_path: Path) -> None:
    repo.write("pyproject.toml", '[project]\nname = "x"\n[tool.relnotes]\ntypes = ["wip"]\n')
    repo.write(".cz.toml", '[tool.commitizen]\nbump_message = "release $new_version"\n')
    message = tmp_path / "MSG"
    message.write_text("feat: x\n", encoding="utf-8")
    probe = (
        "import sys; from relnotes.__main__ import main; sys.argv = ['relnotes', 'check', "
        f"'--message-file', {str(message)!r}]; code = main();"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('git', 'jinja2', 'commitizen', 'click', 'packaging', 'tomllib', 'yaml'));"
        "print(code, heavy)"
    )
    for _ in range(2):  # the first run writes the config cache, the second reads it
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, cwd=repo.path, check=True
        )
    assert done.stdout.strip() == "0 []"


def pre_commit_repo(repo: GitRepo, hook: dict[str, object]) -> dict[str, str]:
    """Install the project's own manifest hook into ``repo`` with the real pre-commit.

    The hook repository is a local path (a copy of the manifest in a git repository of its
    own), so pre-commit clones nothing from the network; its ``language`` becomes
    ``unsupported`` (``system`` before pre-commit 4.4) and its entry the installed relnotes,
    so pre-commit builds no environment (that would install relnotes from an index).
    """
    import yaml
    from pre_commit import all_languages

    root = Path(__file__).resolve().parents[1]
    pre_commit = shutil.which("pre-commit", path=os.path.dirname(sys.executable))
    assert pre_commit is not None
    manifest = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    language = "unsupported" if "unsupported" in all_languages.languages else "system"
    for entry in manifest:
        entry["entry"] = entry["entry"].replace("relnotes", RELNOTES, 1)
        entry["language"] = language
    from tests.helpers import GitRepo as Repo

    hooks = Repo(repo.path.parent / "hook-repo")
    hooks.write(".pre-commit-hooks.yaml", yaml.safe_dump(manifest))
    hooks.git("commit", "-q", "-m", "chore: the hooks")
    config = {
        "default_install_hook_types": ["commit-msg"],
        "repos": [{"repo": str(hooks.path), "rev": hooks.head(), "hooks": [hook]}],
    }
    repo.write(".pre-commit-config.yaml", yaml.safe_dump(config))
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.path.parent / "pre-commit-home")}
    subprocess.run([pre_commit, "install"], cwd=repo.path, check=True, env=env, capture_output=True)
    return env


def git_commit(repo: GitRepo, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "commit", "-q", "--allow-empty", *args],
        cwd=repo.path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def subjects(repo: GitRepo) -> list[str]:
    return repo.git("log", "--all", "--format=%s").splitlines()  # --all: none is no error


@pytest.mark.slow
def test_real_pre_commit_refuses_a_bad_commit_and_its_hint_works(repo: GitRepo) -> None:
    """The manifest's hook, installed by the real pre-commit as a commit-msg hook."""
    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "validate-manifest",
            str(root / ".pre-commit-hooks.yaml"),
        ],
        check=True,
        capture_output=True,
    )
    env = pre_commit_repo(repo, {"id": "relnotes"})
    refused = git_commit(repo, env, "-m", "feature: add login")
    assert refused.returncode != 0
    said = refused.stdout + refused.stderr
    assert "  = fix: feat: add login" in said
    assert "add `args: [--fix]` to the relnotes hook in .pre-commit-config.yaml" in said
    assert "  hint: edit the message again: git commit -e -F .git/COMMIT_EDITMSG" in said
    assert subjects(repo) == []
    # the hint's command, with an editor that corrects the saved message
    again = git_commit(
        repo,
        {**env, "GIT_EDITOR": "sed -i -e s/^feature:/feat:/"},
        "-e",
        "-F",
        ".git/COMMIT_EDITMSG",
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert subjects(repo) == ["feat: add login"]


@pytest.mark.slow
def test_real_pre_commit_with_fix_corrects_the_message_and_says_so(repo: GitRepo) -> None:
    env = pre_commit_repo(repo, {"id": "relnotes", "args": ["--fix"], "verbose": True})
    done = git_commit(repo, env, "-m", "Feat(auth):add login\n\nbreaking change: sessions end")
    assert done.returncode == 0, done.stdout + done.stderr
    said = done.stdout + done.stderr
    assert "fixed .git/COMMIT_EDITMSG:1: 'Feat(auth):add login' -> 'feat(auth): add login'" in said
    assert (
        "fixed .git/COMMIT_EDITMSG:3: 'breaking change: sessions end' -> "
        "'BREAKING CHANGE: sessions end'"
    ) in said
    assert repo.git("log", "-1", "--format=%B").strip() == (
        "feat(auth): add login\n\nBREAKING CHANGE: sessions end"
    )
    # a header with no type: suggestions, the message kept, the commit refused
    refused = git_commit(repo, env, "-m", "Add login page")
    assert refused.returncode != 0
    said = refused.stdout + refused.stderr
    assert "  = suggestion: feat: add login page" in said
    assert "fixed" not in said
    assert "args: [--fix]" not in said
    assert (repo.path / ".git" / "COMMIT_EDITMSG").read_text(encoding="utf-8") == "Add login page\n"
    assert subjects(repo) == ["feat(auth): add login"]


def test_fix_keeps_a_latin1_file_latin1_and_other_line_breaks_in_place(tmp_path: Path) -> None:
    message = tmp_path / "MSG"
    raw = b"Feature: caf\xe9 wait\x85 then more\n\nna\xefve body \xe9\x0c\n"
    message.write_bytes(raw)
    done = hook("--fix", "--message-file", str(message), cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert message.read_bytes() == raw.replace(b"Feature:", b"feat:")


def test_fix_needs_a_message_file_on_both_paths(tmp_path: Path) -> None:
    done = hook("--fix", "--message", "feature: x", cwd=tmp_path)
    assert done.returncode == 2
    assert "--fix rewrites a message file" in done.stderr


def test_the_comment_character_is_gits(repo: GitRepo) -> None:
    repo.git("config", "core.commentChar", ";")
    message = repo.path / "MSG"
    message.write_text(
        "#42 is fixed by this\n\n; Please enter the commit message\n"
        "; ------------------------ >8 ------------------------\ndiff\nBREAKING CHANGE: no\n",
        encoding="utf-8",
    )
    done = hook("--message-file", str(message), cwd=repo.path)
    assert "[empty-message]" not in done.stdout
    assert "[header-format]" in done.stdout
    assert "BREAKING" not in done.stdout


FRAGMENTS = [
    "feat",
    "Feat",
    "fxi",
    "feature",
    "(api)",
    "()",
    "!",
    ":",
    ": ",
    "  ",
    "x",
    "\n",
    "\n\n",
    "\r\n",
    "breaking change: ",
    "BREAKING CHANGE:",
    "Refs:#1",
    "Closes #2",
    "# comment",
    "https://example.com",
    "Add login",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=16))
def test_fix_is_complete_and_idempotent(parts: list[str]) -> None:
    """Never raises; after --fix nothing fixable is left, and a second --fix changes nothing."""
    raw = "".join(parts)
    checker = Checker(Config())
    findings = checker.lint(raw)
    fixed, changes, again = fix_all(raw, checker)
    if not changes:
        assert fixed == raw
        assert not any(f.fixable for f in findings)
        return
    assert [f for f in again if f.fixable] == []
    assert [(f.rule, f.line) for f in again] == [(f.rule, f.line) for f in checker.lint(fixed)]
    assert fix_all(fixed, checker)[:2] == (fixed, [])


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_lint_never_raises(message: str) -> None:
    findings = lint_message(message, Config(), comment_char=None)
    assert all(f.rule in RULES for f in findings)
