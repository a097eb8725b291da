"""Histories in the shapes real projects have: bots' squash merges, GitHub's own merges,
``.mailmap``, commitizen's habits, and the messages the hook must let through.

Each message is committed as the tool that writes it writes it (tests/fixtures/messages),
and the commands are run as users run them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from freezegun import freeze_time

from relnotes.mailmap import Mailmap
from relnotes.parse import parse, split_message
from relnotes.quoted import quoted_lines
from tests.test_check import hook
from tests.test_notes import golden

if TYPE_CHECKING:
    import pytest

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


def test_a_fence_closes_only_on_its_own_character_and_length() -> None:
    lines = ["~~~~", "```", "~~~", "BREAKING CHANGE: code", "~~~~~", "after"]
    assert quoted_lines(lines) == {0, 1, 2, 3, 4}
    # no fence where the info string holds a backtick: the next two lines pair up instead
    assert quoted_lines(["``` a`b", "x", "```", "y", "```"]) == {2, 3, 4}


def test_quoting_is_read_in_time_linear_in_the_text() -> None:
    """Fences that never close, each shorter than the last, and deep nests of tags: each
    line is looked at a bounded number of times (quadratic would not end in the suite)."""
    fences = ["`" * n for n in range(3000, 2, -1)]
    assert quoted_lines(fences) == set()
    tags = ["<details>"] * 50_000 + ["BREAKING CHANGE: x"] + ["</details>"] * 50_000
    assert len(quoted_lines(tags)) == len(tags)
    parsed = parse("fix: x\n\n" + "\n\n".join(fences) + "\n\nBREAKING CHANGE: y")
    assert parsed.breaking_notes == ("y",)


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
    expected = {  # a warning at each BREAKING CHANGE line in quoted text, by its file line
        "renovate-major.txt": [28, 35],
        "dependabot-major.txt": [14],
        "dependabot-marked-major.txt": [14],
    }
    for name, lines in expected.items():
        path = MESSAGES / name
        done = hook("--message-file", str(path), cwd=tmp_path)
        assert (done.returncode, done.stderr) == (0, ""), name
        found = [line for line in done.stdout.splitlines() if line.startswith(str(path))]
        assert [int(line.split(":")[1]) for line in found] == lines, name
        assert all("warning [breaking-change-placement] BREAKING CHANGE inside quoted" in line
                   for line in found)  # fmt: skip
        numbered = path.read_text(encoding="utf-8").splitlines()
        assert all(numbered[n - 1].startswith("BREAKING CHANGE: ") for n in lines)
    bot_history(repo)
    result = invoke("-C", str(repo.path), "check", "--range", "v1.0.0..HEAD")
    assert result.stdout.endswith("0 errors, 3 warnings\n")


def test_a_fenced_breaking_change_line_does_not_block_the_commit(tmp_path: Path) -> None:
    file = tmp_path / "MSG"
    file.write_text(
        "docs: show how to mark a breaking change\n\nWrite it so:\n\n```\n"
        "feat!: drop x\n\nBreaking change: x is gone\n```\n",
        encoding="utf-8",
    )
    done = hook("--message-file", str(file), cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "")


def test_the_hook_names_the_line_of_the_file_not_of_the_message_git_keeps(
    tmp_path: Path,
) -> None:
    """Comment lines above the message (a commit template's) are not counted out of the
    ``path:line`` an editor jumps to."""
    file = tmp_path / "COMMIT_EDITMSG"
    file.write_text("# Why:\n# What:\nfeat: x\n\n# a note\nbreaking change: y\n", encoding="utf-8")
    done = hook("--message-file", str(file), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith(f"{file}:6: error [breaking-change-case]")
    done = hook("--message-file", str(file), "--format", "json", cwd=tmp_path)
    assert '"line": 6' in done.stdout


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


# --- .mailmap: one person under two identities ----------------------------------------------

OLD_ADA = ("ada", "ada@home.org")
GRACE = ("Grace Hopper", "grace@example.org")
MAILMAP = "# who is who\nAda Lovelace <ada@example.org> ada <ada@home.org>\n"


def mailmapped_history(repo: GitRepo) -> None:
    """Ada's first release under her home identity; a ``.mailmap`` that says it is her; then
    a release with her work identity and a real newcomer."""
    repo.commit("feat: start", author=OLD_ADA, file="a.txt")
    repo.tag("v1.0.0")
    repo.write(".mailmap", MAILMAP)
    repo.commit("docs: who is who")
    repo.commit("fix: by Ada at work")
    repo.commit("feat: by Grace\n\nCo-authored-by: ada <ada@home.org>", author=GRACE)


def test_a_known_contributor_under_a_mailmapped_identity_is_no_first_timer(
    repo: GitRepo, invoke: Invoke
) -> None:
    mailmapped_history(repo)
    notes = release(repo, invoke, "v1.1.0")
    golden("mailmap-v1.1.0.md", notes)
    data = json.loads(invoke("-C", str(repo.path), "notes", "v1.1.0", "--format", "json").stdout)
    assert data["contributors"] == [
        {"name": "Ada Lovelace", "first_time": False},
        {"name": "Grace Hopper", "first_time": True},
    ]
    changelog = invoke("-C", str(repo.path), "changelog", "--dry-run").stdout
    section = notes.split("### Fixes", 1)[1]
    assert section.replace("\n\n", "\n") in changelog.replace("\n+", "\n").replace("\n\n", "\n")


def test_a_release_follows_the_mailmap_its_own_tag_holds(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: start", author=OLD_ADA, file="a.txt")
    repo.commit("fix: at work", file="a.txt")
    repo.tag("v1.0.0")
    repo.write(".mailmap", MAILMAP)
    repo.commit("fix: now mapped")
    repo.commit("fix: from home again", author=OLD_ADA)
    repo.tag("v1.0.1")
    path = str(repo.path)
    first = invoke("-C", path, "notes", "v1.0.0").stdout
    assert first.endswith("### Contributors\n\n- ada\n- Ada Lovelace\n")  # no .mailmap then
    assert invoke("-C", path, "notes", "v1.0.1").stdout.endswith("Contributors\n\n- Ada Lovelace\n")
    changelog = invoke("-C", path, "changelog", "--full", "--dry-run").stdout
    assert changelog.count("+- ada\n") == 1  # the v1.0.0 section, as its notes say


def test_the_mailmap_read_is_the_committed_one_whatever_the_users_settings(
    repo: GitRepo, invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailmapped_history(repo)
    path = str(repo.path)
    day = dt.datetime.fromtimestamp(repo.clock, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    with freeze_time(day):
        expected = invoke("-C", path, "preview").stdout
    # the user's own mailmap, git's mailmap settings, and an uncommitted edit of .mailmap
    other = tmp_path / "my-mailmap"
    other.write_text("Someone Else <ada@example.org>\nGrace H. <grace@example.org>\n")
    config = Path(os.environ["GIT_CONFIG_GLOBAL"])
    config.write_text(
        config.read_text(encoding="utf-8")
        + f"[mailmap]\n\tfile = {other}\n\tblob = HEAD:.nothing\n[log]\n\tmailmap = true\n",
        encoding="utf-8",
    )
    (repo.path / ".mailmap").write_text("Nobody <ada@home.org>\n", encoding="utf-8")
    with freeze_time(day):
        assert invoke("-C", path, "preview").stdout == expected
    repo.git("checkout", "--", ".mailmap")
    repo.tag("v1.1.0")
    assert invoke("-C", path, "notes", "v1.1.0").stdout == expected


MAILMAP_LINES = """\
# a comment
Proper Name <proper@example.org>
<canonical@example.org> <Old@Example.org>
Both New <both@example.org> <two@example.org>
Named Only <named@example.org> Commit Name <shared@example.org>
Fallback <fallback@example.org> <shared@example.org>
Later Wins <proper@example.org>
Name # not a comment <hash@example.org>
Empty <> <empty@example.org>
  Spaced   Name   <  spaced@example.org  >
"""
CONTACTS = [
    ("Someone", "proper@example.org"),
    ("Someone", "PROPER@example.org"),
    ("Old", "old@example.org"),
    ("X", "two@example.org"),
    ("Commit Name", "shared@example.org"),
    ("commit name", "SHARED@example.org"),
    ("Other Name", "shared@example.org"),
    ("Y", "hash@example.org"),
    ("Z", "empty@example.org"),
    ("W", "spaced@example.org"),
    ("Nobody", "nobody@example.org"),
]


def test_mailmap_maps_as_git_does(repo: GitRepo, tmp_path: Path) -> None:
    """git check-mailmap is the oracle, each contact looked up in the same file."""
    file = tmp_path / "mailmap"
    file.write_text(MAILMAP_LINES, encoding="utf-8")
    repo.commit("chore: a repository for git to run in")
    mailmap = Mailmap(MAILMAP_LINES)
    for name, email in CONTACTS:
        out = repo.git("-c", f"mailmap.file={file}", "check-mailmap", f"{name} <{email}>")
        expected_name, _, rest = out.strip().rpartition(" <")
        assert mailmap(name, email) == (expected_name, rest.removesuffix(">")), (name, email)


def test_many_revisions_mailmaps_are_read_in_one_batch_as_one_by_one(tmp_path: Path) -> None:
    """``git.FilesAt`` (what a whole history's changelog reads while the log is parsed)
    answers as ``git.files_at`` does: each revision's committed text, ``None`` where there
    is none; and a failure of git is raised where the answer is taken."""
    import pytest

    from relnotes import git
    from relnotes.errors import GitError
    from tests.helpers import GitRepo

    repo = GitRepo(tmp_path / "r")
    first = repo.commit("feat: first")
    (repo.path / ".mailmap").write_text("Ada <ada@x> <old@x>\n", encoding="utf-8")
    repo.git("add", ".mailmap")
    second = repo.commit("docs: map Ada")
    revisions = [first, second, "HEAD"]
    assert git.FilesAt(str(repo.path), revisions, ".mailmap").result() == {
        first: None,
        second: "Ada <ada@x> <old@x>\n",
        "HEAD": "Ada <ada@x> <old@x>\n",
    }
    assert git.files_at(str(repo.path), revisions, ".mailmap") == {
        second: "Ada <ada@x> <old@x>\n",
        "HEAD": "Ada <ada@x> <old@x>\n",
    }
    (tmp_path / "plain").mkdir()
    with pytest.raises(GitError):
        git.FilesAt(str(tmp_path / "plain"), ["HEAD"], ".mailmap").result()
