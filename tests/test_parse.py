"""The parser: Conventional Commits 1.0.0 with git's trailer rules; it never raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relnotes
from relnotes.parse import Footer, clean_message, parse


@pytest.mark.parametrize(
    ("message", "type_", "scope", "breaking", "description"),
    [
        ("feat: add x", "feat", None, False, "add x"),
        ("fix(api): handle y", "fix", "api", False, "handle y"),
        ("feat(api)!: drop z", "feat", "api", True, "drop z"),
        ("refactor!: rename", "refactor", None, True, "rename"),
        ("Feat: capitalised type", "feat", None, False, "capitalised type"),
        ("FIX(Core): shouting", "fix", "Core", False, "shouting"),
        ("build(deps-dev): bump a from 1 to 2", "build", "deps-dev", False, "bump a from 1 to 2"),
        ("feat:  extra space", "feat", None, False, "extra space"),
    ],
)
def test_conventional_headers(
    message: str, type_: str, scope: str | None, breaking: bool, description: str
) -> None:
    parsed = parse(message)
    assert parsed.conventional
    assert (parsed.type, parsed.scope, parsed.breaking, parsed.description) == (
        type_,
        scope,
        breaking,
        description,
    )


@pytest.mark.parametrize(
    "message",
    ["feat add x", "feat:add x", "feat:", "feat: ", "(scope): x", "feat(): x", "WIP", "", "   "],
)
def test_not_conventional(message: str) -> None:
    parsed = parse(message)
    assert not parsed.conventional
    assert parsed.type is None
    assert parsed.description == message.strip()


def test_body_and_trailers_are_apart() -> None:
    parsed = parse(
        "feat(cli): add --json\n\nFirst paragraph.\nStill first.\n\nSecond paragraph.\n\n"
        "Refs: #12\nCloses #45\nCo-authored-by: Grace <g@example.org>\n"
    )
    assert parsed.body == "First paragraph.\nStill first.\n\nSecond paragraph."
    assert parsed.footers == (
        Footer("Refs", "#12", ":"),
        Footer("Closes", "#45", "#"),
        Footer("Co-authored-by", "Grace <g@example.org>", ":"),
    )
    assert parsed.references == ("#12", "#45")
    assert parsed.footer("co-authored-by") == "Grace <g@example.org>"


def test_breaking_footer_spans_lines_and_both_spellings() -> None:
    parsed = parse(
        "feat: new config\n\nBREAKING CHANGE: the old file is\nno longer read.\n"
        "BREAKING-CHANGE: second note\nRefs: #3"
    )
    assert parsed.breaking
    assert parsed.breaking_notes == ("the old file is\nno longer read.", "second note")


def test_breaking_in_the_middle_of_a_body_is_text() -> None:
    parsed = parse(
        "fix: quote the docs\n\nThe guide says:\nBREAKING CHANGE: this is only quoted here\n\n"
        "And goes on.\n"
    )
    assert not parsed.breaking
    assert parsed.footers == ()
    assert "BREAKING CHANGE: this is only quoted here" in parsed.body


def test_bang_without_footer_explains_itself_with_the_description() -> None:
    assert parse("feat!: drop Python 3.10").breaking_notes == ("drop Python 3.10",)
    assert parse("feat: nothing breaks").breaking_notes == ()


def test_a_body_paragraph_that_is_not_a_trailer_block_stays_body() -> None:
    parsed = parse("fix: x\n\nThis fixes the thing: now it works\nRefs: #1")
    assert parsed.footers == ()
    assert parsed.body == "This fixes the thing: now it works\nRefs: #1"


def test_no_blank_line_after_header_keeps_the_rest_as_body() -> None:
    parsed = parse("feat: x\nsecond line\n\nRefs: #9")
    assert parsed.body == "second line"
    assert parsed.references == ("#9",)


@pytest.mark.parametrize(
    ("message", "kind", "target"),
    [
        ("Merge pull request #15 from grace/plugins", "merge", None),
        ("Merge branch 'main' into feature", "merge", None),
        ("Merge remote-tracking branch 'origin/main'", "merge", None),
        ('Revert "feat: add x"\n\nThis reverts commit 0123456789abcdef.', "revert", "feat: add x"),
        ("revert: feat: add x\n\nThis reverts commit ABCDEF1.", "revert", "feat: add x"),
        ("fixup! feat: add x", "fixup", "feat: add x"),
        ("squash! fix(api): y", "squash", "fix(api): y"),
        ("amend! feat: add x\n\nfeat: add x, better", "amend", "feat: add x"),
        ("feat: merge two lists", "commit", None),
    ],
)
def test_kinds(message: str, kind: str, target: str | None) -> None:
    parsed = parse(message)
    assert (parsed.kind, parsed.target) == (kind, target)


def test_revert_names_the_reverted_sha() -> None:
    assert parse('Revert "x"\n\nThis reverts commit 0123456789ABCDEF.').reverted_sha == (
        "0123456789abcdef"
    )
    assert parse("feat: x\n\nThis reverts commit 0123456.").reverted_sha is None


def test_git_comments_and_scissors_are_dropped() -> None:
    message = (
        "feat: add x\n# Please enter the commit message\n\nBody.\n"
        "# ------------------------ >8 ------------------------\n"
        "diff --git a/x b/x\nBREAKING CHANGE: not part of the message\n"
    )
    parsed = parse(message)
    assert parsed.body == "Body."
    assert not parsed.breaking
    # a message already stored in git keeps lines that start with '#'
    assert parse("fix: y\n\n#123 is the issue", comment_char=None).body == "#123 is the issue"


def test_clean_message_is_what_git_stores() -> None:
    assert clean_message("\n\nfeat: x  \n\n\n\nbody\t\n# comment\n\n") == "feat: x\n\nbody"


def test_crlf_messages() -> None:
    parsed = parse("fix(io): crlf\r\n\r\nBody line.\r\n\r\nRefs: #4\r\n")
    assert (parsed.type, parsed.body, parsed.references) == ("fix", "Body line.", ("#4",))


def test_verbatim_blank_lines_with_spaces() -> None:
    parsed = parse("feat: x\n\nbody\n   \nRefs: #5", comment_char=None)
    assert parsed.body == "body"
    assert parsed.references == ("#5",)


def test_public_api_and_equality() -> None:
    assert relnotes.parse is parse
    assert parse("feat: x\n\nRefs: #1") == parse("feat: x\n\nRefs: #1")
    assert parse("feat: x") != parse("feat: y")
    assert "type='feat'" in repr(parse("feat: x"))


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(message: str) -> None:
    parsed = parse(message)
    assert isinstance(parsed.header, str)
    assert isinstance(parsed.footers, tuple)
    assert isinstance(parsed.references, tuple)
    assert parsed.conventional == (parsed.type is not None)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "feat",
                "fix(x)!",
                ": ",
                "\n",
                "\n\n",
                "BREAKING CHANGE: ",
                "Refs #",
                "# c",
                'Revert "',
                "fixup! ",
                " ",
                "\r\n",
                "a",
                "------------------------ >8 ------------------------",
            ]
        ),
        max_size=30,
    )
)
def test_never_raises_on_grammar_fragments(parts: list[str]) -> None:
    message = "".join(parts)
    for comment_char in ("#", None):
        parsed = parse(message, comment_char=comment_char)
        assert parsed.breaking_notes is not None
