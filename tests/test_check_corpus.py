"""The commit check on messages in the forms real projects write (tests/corpus/messages.json).

Where commitlint (config-conventional; its verdicts are recorded by
tests/corpus/commitlint_verdicts.mjs) and commitizen (asked here) both accept a message,
relnotes gives no error, except where the message's breaking change would be lost; where both
refuse one, relnotes gives an error.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from relnotes.config import Config
from relnotes.lint import Checker, Finding, lint_message
from relnotes.parse import parse

ROOT = Path(__file__).resolve().parents[1]
CORPUS: list[dict[str, object]] = json.loads(
    (ROOT / "tests" / "corpus" / "messages.json").read_text(encoding="utf-8")
)
#: errors that stand even where both tools accept: the breaking change would be lost
LOST = {"breaking-change-case", "breaking-change-placement"}


def commitizen_accepts(message: str) -> bool:
    """`cz check` with commitizen's default rules, as it checks a commit of a range."""
    from commitizen import defaults
    from commitizen.config import BaseConfig
    from commitizen.cz.conventional_commits.conventional_commits import ConventionalCommitsCz

    cz = ConventionalCommitsCz(BaseConfig())
    result = cz.validate_commit_message(
        commit_msg=message,
        pattern=re.compile(cz.schema_pattern()),
        allow_abort=False,
        allowed_prefixes=defaults.DEFAULT_SETTINGS["allowed_prefixes"],
        max_msg_length=0,
        commit_hash="",
    )
    return bool(result.is_valid)


def errors(message: str, config: Config | None = None) -> list[Finding]:
    findings = lint_message(message, config or Config(), comment_char=None)
    return [f for f in findings if f.severity == "error"]


def verdicts() -> tuple[list[str], list[str], list[str], list[str]]:
    """(both accept, of those the ones relnotes errors on, both refuse, of those the ones
    relnotes lets through), by name."""
    accepted, blocked, refused, passed = [], [], [], []
    for entry in CORPUS:
        name, message = str(entry["name"]), str(entry["message"])
        found = errors(message)
        if entry["commitlint"] and commitizen_accepts(message):
            accepted.append(name)
            if found:
                blocked.append(name)
        elif not entry["commitlint"] and not commitizen_accepts(message):
            refused.append(name)
            if not found:
                passed.append(name)
    return accepted, blocked, refused, passed


def test_no_error_where_commitlint_and_commitizen_accept_but_a_lost_breaking_change() -> None:
    accepted, blocked, _, _ = verdicts()
    assert len(accepted) >= 90
    assert blocked == ["bad:breaking-lowercase", "bad:breaking-plural", "bad:breaking-glued"]
    for name in blocked:
        (entry,) = [e for e in CORPUS if e["name"] == name]
        assert {f.rule for f in errors(str(entry["message"]))} <= LOST


def test_an_error_where_both_refuse() -> None:
    _, _, refused, passed = verdicts()
    assert len(refused) >= 20
    assert passed == []


def test_the_readme_states_the_measured_rate() -> None:
    accepted, blocked, refused, _ = verdicts()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = " ".join(readme.split())
    assert f"On {len(CORPUS)} messages in the forms real projects write" in text
    assert (
        f"of the {len(accepted)} that commitlint (config-conventional) and commitizen both "
        f"accept, `relnotes check` gives an error on {len(blocked)}, each a breaking change"
    ) in text
    assert f"and on all {len(refused)} that both refuse" in text


def test_commitizen_bump_commits_pass_in_a_commitizen_project() -> None:
    bumps = [str(e["message"]) for e in CORPUS if str(e["name"]).startswith("release:cz-bump")]
    assert bumps
    cz_project = Config(commitizen="pyproject.toml", commitizen_check={})
    for message in bumps:
        assert commitizen_accepts(message)
        assert [f.rule for f in errors(message)] == ["type-unknown"]  # no commitizen there
        assert Checker(cz_project).lint(message, comment_char=None) == []


def test_the_parser_reads_the_corpus_breaking_changes() -> None:
    breaking = {
        str(e["name"]) for e in CORPUS if parse(str(e["message"]), comment_char=None).breaking
    }
    assert {
        "footer:breaking",
        "footer:breaking-hyphen",
        "footer:breaking-then-closes",
        "footer:breaking-explained",
        "footer:breaking-next-paragraph",
        "footer:breaking-multiline",
        "footer:breaking-signed",
        "squash:with-breaking-inner",
    } <= breaking
    assert not breaking & {
        "bad:breaking-lowercase",
        "bad:breaking-plural",
        "bad:breaking-glued",
        "body:breaking-none-template",
        "body:note-mid",
        "dependabot:pip",
        "renovate:full-pr-body",
    }
