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

from relnotes.config import Config
from relnotes.lint import RULES, lint_message

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo

RELNOTES = str(Path(sys.executable).with_name("relnotes"))

# (message, rule, severity, line, message text, suggestion)
CASES = [
    ("", "empty-message", "error", 1, "the commit message is empty", None),
    ("# only a comment\n", "empty-message", "error", 1, "the commit message is empty", None),
    (
        "feature: add login",
        "type-unknown",
        "error",
        1,
        "unknown type 'feature'; did you mean 'feat'?",
        "feat: add login",
    ),
    (
        "fxi: typo",
        "type-unknown",
        "error",
        1,
        "unknown type 'fxi'; did you mean 'fix'?",
        "fix: typo",
    ),
    (
        "Fix: typo",
        "type-case",
        "error",
        1,
        "write the type in lower case: 'fix', not 'Fix'",
        "fix: typo",
    ),
    (
        "feat add x",
        "header-format",
        "error",
        1,
        "write a colon and a space after the type",
        "feat: add x",
    ),
    (
        "feat:add x",
        "header-format",
        "error",
        1,
        "write exactly ': ' (colon, space) between the type and the description",
        "feat: add x",
    ),
    (
        "Feat(api) : add x",
        "header-format",
        "error",
        1,
        "write exactly ': ' (colon, space) between the type and the description",
        "feat(api): add x",
    ),
    ("feat: ", "description-empty", "error", 1, "write a description after the colon", None),
    (
        "feat(): x",
        "scope-empty",
        "error",
        1,
        "empty parentheses: name a scope or leave them out",
        "feat: x",
    ),
    (
        "Update README.md",
        "header-format",
        "error",
        1,
        "start the header with a type, as in 'type: update README.md'; types: build, chore, "
        "ci, docs, feat, fix, perf, refactor, revert, style, test",
        None,
    ),
    (
        "wibble: x",
        "type-unknown",
        "error",
        1,
        "unknown type 'wibble'; use one of: build, chore, ci, docs, feat, fix, perf, refactor, "
        "revert, style, test",
        None,
    ),
    (
        "feat: " + "x" * 100,
        "header-length",
        "error",
        1,
        "the header is 106 characters long; the limit is 100: move the detail to the body",
        None,
    ),
    (
        "feat: add x.",
        "description-period",
        "warning",
        1,
        "the description ends with a period",
        "feat: add x",
    ),
    (
        "feat: x\nbody",
        "body-blank-line",
        "error",
        2,
        "leave one blank line between the header and the body",
        None,
    ),
    (
        "feat: x\n\nbody\n\nbreaking change: all gone",
        "breaking-change-case",
        "error",
        5,
        "write the footer token as 'BREAKING CHANGE:' (capitals, singular)",
        "BREAKING CHANGE: all gone",
    ),
    (
        "feat: x\n\nBREAKING CHANGES: all gone",
        "breaking-change-case",
        "error",
        3,
        "write the footer token as 'BREAKING CHANGE:' (capitals, singular)",
        "BREAKING CHANGE: all gone",
    ),
    (
        "feat: x\n\nThe old file is gone.\nBREAKING CHANGE: move to pyproject.toml",
        "breaking-change-placement",
        "error",
        4,
        "put a blank line before the footers: as it stands BREAKING CHANGE is body text and "
        "breaks nothing",
        None,
    ),
    (
        "fix: x\n\nRefs: #1\nCloses  #12",
        "footer-format",
        "error",
        4,
        "write a footer as 'Token: value' or 'Token #value' (one space)",
        "Closes #12",
    ),
    (
        "feat: x\n\nBREAKING CHANGE: in the body\n\nmore body",
        "breaking-change-placement",
        "warning",
        3,
        "BREAKING CHANGE in the body is not a footer, so it breaks nothing: move it to the "
        "last paragraph",
        None,
    ),
    (
        "fix: x\n\nRefs:#12",
        "footer-format",
        "error",
        3,
        "write a footer as 'Token: value' or 'Token #value' (one space)",
        "Refs: #12",
    ),
    (
        "fix: x\n\nRefs: #1\nCloses :#12",
        "footer-format",
        "error",
        4,
        "write a footer as 'Token: value' or 'Token #value' (one space)",
        "Closes: #12",
    ),
]


@pytest.mark.parametrize(
    ("message", "rule", "severity", "line", "text", "suggestion"),
    CASES,
    ids=[f"{c[1]}-{i}" for i, c in enumerate(CASES)],
)
def test_each_rule_reports_once_with_its_fix(
    message: str, rule: str, severity: str, line: int, text: str, suggestion: str | None
) -> None:
    findings = lint_message(message, Config())
    assert [(f.rule, f.severity, f.line, f.message, f.suggestion) for f in findings] == [
        (rule, severity, line, text, suggestion)
    ]


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
    assert (finding.rule, finding.suggestion) == ("scope-unknown", "feat(api): x")
    assert lint_message("feat(cli): x", config) == []
    (finding,) = lint_message("docs: xyz1", Config(header_max_length=8))
    assert finding.rule == "header-length"
    assert lint_message("wip: x", Config(types=["wip"])) == []


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
    ],
)
def test_good_messages_pass(message: str) -> None:
    assert lint_message(message, Config()) == []


def hook(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [RELNOTES, "check", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
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
    assert done.stdout.splitlines()[0] == f"fixed the header of {message}"


def test_fix_leaves_an_ambiguous_message_alone(tmp_path: Path) -> None:
    message = tmp_path / "MSG"
    message.write_text("Update README.md\n", encoding="utf-8")
    done = hook("--fix", "--message-file", str(message), cwd=tmp_path)
    assert done.returncode == 1
    assert message.read_text(encoding="utf-8") == "Update README.md\n"
    assert "[header-format]" in done.stdout


def test_hook_output_shows_the_fix_command(tmp_path: Path) -> None:
    message = tmp_path / "MSG"
    message.write_text("feature: add login\n", encoding="utf-8")
    done = hook("--message-file", str(message), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"{message}:1: error [type-unknown] unknown type 'feature'; did you mean 'feat'?",
        "  | feature: add login",
        "  = suggestion: feat: add login",
        f"1 error, 0 warnings; apply the suggestion with: relnotes check --fix --message-file "
        f"{message}",
    ]


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


@pytest.mark.slow
def test_real_pre_commit_refuses_a_bad_commit_and_accepts_a_good_one(repo: GitRepo) -> None:
    """The manifest's hook, installed by the real pre-commit as a commit-msg hook."""
    root = Path(__file__).resolve().parents[1]
    pre_commit = shutil.which("pre-commit", path=os.path.dirname(sys.executable))
    assert pre_commit is not None
    manifest_path = str(root / ".pre-commit-hooks.yaml")
    subprocess.run([pre_commit, "validate-manifest", manifest_path], check=True)
    import yaml

    (manifest,) = [
        h
        for h in yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())
        if h["id"] == "relnotes"
    ]
    entry = manifest["entry"].replace("relnotes", RELNOTES, 1)
    config = {
        "default_install_hook_types": ["commit-msg"],
        "repos": [
            {
                "repo": "local",
                "hooks": [{**manifest, "entry": entry, "language": "system"}],
            }
        ],
    }
    repo.write(".pre-commit-config.yaml", yaml.safe_dump(config))
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.path.parent / "pre-commit-home")}
    subprocess.run([pre_commit, "install"], cwd=repo.path, check=True, env=env, capture_output=True)
    refused = subprocess.run(
        ["git", "commit", "-q", "--allow-empty", "-m", "feature: add login"],
        cwd=repo.path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert refused.returncode != 0
    assert "suggestion: feat: add login" in refused.stdout + refused.stderr
    accepted = subprocess.run(
        ["git", "commit", "-q", "--allow-empty", "-m", "feat: add login"],
        cwd=repo.path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    log = subprocess.run(
        ["git", "log", "--format=%s"], cwd=repo.path, capture_output=True, text=True, check=True
    )
    assert log.stdout.splitlines() == ["feat: add login"]


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
