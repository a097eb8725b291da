"""Histories in the shapes real projects have: bots' squash merges, GitHub's own merges,
``.mailmap``, commitizen's habits, and the messages the hook must let through.

Each message is committed as the tool that writes it writes it (tests/fixtures/messages),
and the commands are run as users run them.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

from freezegun import freeze_time

from relnotes.parse import parse, quoted_lines, split_message
from tests.test_check import hook
from tests.test_notes import golden

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo

MESSAGES = Path(__file__).parent / "fixtures" / "messages"


def message(name: str) -> str:
    return (MESSAGES / name).read_text(encoding="utf-8")


def release(repo: GitRepo, invoke: Invoke, tag: str, *, annotated: bool = False) -> str:
    """Preview on the day of the last commit, tag, and return the published notes, which
    must be the preview byte for byte."""
    day = dt.datetime.fromtimestamp(repo.clock, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    with freeze_time(day):
        preview = invoke("-C", str(repo.path), "preview").stdout
    repo.tag(tag, annotated=annotated)
    notes = invoke("-C", str(repo.path), "notes", tag).stdout
    assert notes == preview
    return notes


# --- renovate and dependabot: release notes quoted from another project ----------------------


def test_quoted_release_notes_are_not_this_commits_breaking_change() -> None:
    for name in ("renovate-major.txt", "dependabot-major.txt"):
        parsed = parse(message(name), comment_char=None)
        assert not parsed.breaking, name
        assert [f.token for f in parsed.footers] in (
            ["Co-authored-by"],
            ["Signed-off-by", "Co-authored-by"],
        ), name
        assert "BREAKING CHANGE: " in parsed.body


def test_a_breaking_change_footer_a_bot_or_its_config_adds_still_counts() -> None:
    parsed = parse(message("dependabot-marked-major.txt"), comment_char=None)
    assert parsed.breaking
    assert parsed.breaking_notes == ("actions/setup-python 5 needs node20 runners",)


def test_what_counts_as_quoted() -> None:
    lines = [
        "intro",  # 0
        "```python",  # 1 a fence ...
        "BREAKING CHANGE: code",
        "```",  # 3 ... closed
        "<details><summary>x</summary>",  # 4
        "  <blockquote>",
        "BREAKING CHANGE: quoted",  # 6
        "  </blockquote>",
        "</details>",  # 8
        "see <details>",  # 9: the text before the tag is not quoted
        "inside",  # 10
        "</details>",  # 11
        "~~~~",  # 12: never closed (a ``~~~`` is too short to close it)
        "~~~",
        "BREAKING CHANGE: after a stray fence",  # 14
        "<blockquote>",  # 15: never closed
        "BREAKING CHANGE: after a stray tag",
    ]
    assert quoted_lines(lines) == {1, 2, 3, 4, 5, 6, 7, 8, 10, 11}


def test_an_unclosed_quote_hides_no_breaking_change() -> None:
    for opener in ("```", "<details>", "<blockquote>"):
        parsed = parse(f"feat: x\n\n{opener}\nlog\n\nBREAKING CHANGE: real", comment_char=None)
        assert parsed.breaking, opener
        assert parsed.breaking_notes == ("real",), opener


def test_a_quoted_block_inside_the_footer_section_starts_no_footer() -> None:
    text = (
        "fix: x\n\nRefs: #12\n\n<details>\n\nBREAKING CHANGE: upstream's\n\n</details>\n\n"
        "Signed-off-by: Ada <ada@example.org>"
    )
    parsed = parse(text, comment_char=None)
    assert not parsed.breaking
    assert [f.token for f in parsed.footers] == ["Refs", "Signed-off-by"]
    assert split_message(text)[2].startswith("Refs: #12")


def bot_history(repo: GitRepo) -> None:
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    repo.commit("fix: handle empty input (#44)")
    repo.commit(
        message("renovate-major.txt"),
        author=("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com"),
    )
    repo.commit(
        message("dependabot-major.txt"),
        author=("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
    )


def test_a_dependency_update_quoting_a_major_release_is_no_major_release(
    repo: GitRepo, invoke: Invoke
) -> None:
    bot_history(repo)
    path = str(repo.path)
    assert invoke("-C", path, "next-version").stdout == "1.0.1\n"
    golden("bots-v1.0.1.md", release(repo, invoke, "v1.0.1"))
    data = json.loads(invoke("-C", path, "notes", "v1.0.1", "--format", "json").stdout)
    assert data["breaking_changes"] == []
    assert not any(c["breaking"] for section in data["sections"] for c in section["commits"])
    log = invoke("-C", path, "log", "v1.0.0..v1.0.1").stdout
    assert "breaking" not in log


def test_a_dependency_update_marked_breaking_is_a_major_release(
    repo: GitRepo, invoke: Invoke
) -> None:
    bot_history(repo)
    repo.commit(message("dependabot-marked-major.txt"))
    path = str(repo.path)
    assert invoke("-C", path, "next-version").stdout == "2.0.0\n"
    golden("bots-v2.0.0.md", release(repo, invoke, "v2.0.0"))


def test_the_hook_and_the_range_check_pass_bot_messages(
    repo: GitRepo, tmp_path: Path, invoke: Invoke
) -> None:
    for name in ("renovate-major.txt", "dependabot-major.txt", "dependabot-marked-major.txt"):
        done = hook("--message-file", str(MESSAGES / name), cwd=tmp_path)
        assert (done.returncode, done.stdout, done.stderr) == (0, "", ""), name
    bot_history(repo)
    result = invoke("-C", str(repo.path), "check", "--range", "v1.0.0..HEAD")
    assert result.stdout + result.stderr == "checked 3 commits: no errors\n"


def test_a_fenced_breaking_change_line_does_not_block_the_commit(tmp_path: Path) -> None:
    file = tmp_path / "MSG"
    file.write_text(
        "docs: show how to mark a breaking change\n\nWrite it so:\n\n```\n"
        "feat!: drop x\n\nBreaking change: x is gone\n```\n",
        encoding="utf-8",
    )
    done = hook("--message-file", str(file), cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "")


# --- messages the hook must let through ------------------------------------------------------

VERBOSE = (
    "feat: add x\n\nbody\n\n# Please enter the commit message for your changes. Lines starting\n"
    "# with '#' will be ignored.\n#\n# ------------------------ >8 ------------------------\n"
    "# Do not modify or remove the line above.\n# Everything below it will be ignored.\n"
    "diff --git a/x b/x\n+Breaking change: x\n+BREAKING CHANGE:foo\n"
)
PASSING = {
    "revert": b'Revert "feat: x"\n\nThis reverts commit 0123456789abcdef01234567.\n',
    "revert-revert": b'Revert "Revert "feat: x""\n\nThis reverts commit 0123456.\n',
    "fixup": b"fixup! feat: x\n",
    "squash": b"squash! feat: x\n\nmore words\n",
    "amend": b"amend! feat: x\n\nfeat: x, better said\n",
    "merge": b"Merge branch 'main' into feature\n\n# Conflicts:\n#\tsrc/a.py\n",
    "merge-remote": b"Merge remote-tracking branch 'origin/main' into feature\n",
    "merge-pr": b"Merge pull request #12 from user/branch\n\nfeat: the title\n",
    "verbose": VERBOSE.encode(),
    "header-only": b"feat: only a header",
    "emoji": "feat: ✨ add sparkles 🎉\n".encode(),
    "latin-1": b"fix: caf\xe9 au lait\n\nLatin-1 body \xe9\n",
    "crlf": (
        b"feat(api): search (#123)\r\n\r\n* feat: search\r\n\r\n"
        b"Closes: https://github.com/o/r/issues/5\r\nCo-authored-by: Grace <g@example.org>\r\n"
    ),
    "bom": b"\xef\xbb\xbffeat: a message file an editor began with a byte-order mark\n",
}


def test_the_hook_lets_through_what_git_and_its_users_write(tmp_path: Path) -> None:
    for name, data in PASSING.items():
        file = tmp_path / name
        file.write_bytes(data)
        done = hook("--message-file", str(file), cwd=tmp_path)
        assert (done.returncode, done.stdout, done.stderr) == (0, "", ""), name
        assert file.read_bytes() == data, name  # and leaves it as it was


def test_a_byte_order_mark_is_no_part_of_the_header(repo: GitRepo, invoke: Invoke) -> None:
    parsed = parse("\ufefffeat(ui): dark mode", comment_char=None)
    assert (parsed.conventional, parsed.type, parsed.header) == (
        True,
        "feat",
        "feat(ui): dark mode",
    )
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    repo.commit(PASSING["bom"])
    data = json.loads(invoke("-C", str(repo.path), "preview", "--format", "json").stdout)
    assert (data["version"], data["nonconventional"]) == ("1.1.0", [])
