"""The parser: Conventional Commits 1.0.0, the spec's footer section; it never raises."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relnotes
from relnotes.parse import Footer, clean_message, parse, split_message


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
        ("2fa: add TOTP", "2fa", None, False, "add TOTP"),
        ("feat2(api v2): x", "feat2", "api v2", False, "x"),
        ("  feat: leading white space", "feat", None, False, "leading white space"),
        ("feat: a lone CR\ris no line break", "feat", None, False, "a lone CR\ris no line break"),
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
    [
        "feat add x",
        "feat:add x",
        "feat:",
        "feat: ",
        "(scope): x",
        "feat(): x",
        "feat( ): x",
        "feat(\t): x",
        "feat_x: y",
        "ci-cd: y",
        "BREAKING CHANGE: drop 3.8",
        "WIP",
        "",
        "   ",
    ],
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


def test_breaking_change_then_closes_paragraph_is_breaking() -> None:
    parsed = parse("feat: new config\n\nBREAKING CHANGE: the old file is gone\n\nCloses #12\n")
    assert parsed.breaking
    assert parsed.breaking_notes == ("the old file is gone",)
    assert parsed.references == ("#12",)
    assert parsed.body == ""


def test_breaking_change_explained_over_paragraphs() -> None:
    parsed = parse(
        "feat(api): v2\n\nWhy we did it.\n\nBREAKING CHANGE: the v1 routes are gone.\n\n"
        "Move to /v2 as follows:\n- a\n- b\n\nRefs: #3\nSigned-off-by: A <a@example.org>"
    )
    assert parsed.breaking
    assert parsed.body == "Why we did it."
    assert parsed.footers == (
        Footer("BREAKING CHANGE", "the v1 routes are gone.\n\nMove to /v2 as follows:\n- a\n- b"),
        Footer("Refs", "#3"),
        Footer("Signed-off-by", "A <a@example.org>"),
    )


def test_breaking_change_whose_text_starts_in_the_next_paragraph() -> None:
    for token in ("BREAKING CHANGE", "BREAKING-CHANGE"):
        parsed = parse(f"feat: x\n\nRefs: #1\n\n{token}:\n\nThe config moved.\n")
        assert parsed.breaking
        assert parsed.breaking_notes == ("The config moved.",)
        assert parsed.footer("refs") == "#1"


@pytest.mark.parametrize(
    "footer",
    ["breaking change: x", "Breaking Change: x", "breaking-change: x", "Breaking-Change: x"],
)
def test_breaking_change_counts_in_capitals_only(footer: str) -> None:
    parsed = parse(f"feat: x\n\n{footer}")
    assert not parsed.breaking
    assert parsed.breaking_notes == ()


def test_breaking_change_inside_a_sentence_is_text() -> None:
    parsed = parse("fix: x\n\nThis is not a BREAKING CHANGE: the old name still works.")
    assert not parsed.breaking
    assert parsed.footers == ()


def test_the_footer_section_runs_from_its_first_paragraph_to_the_end() -> None:
    """DESIGN.md's contract: prose after a footer continues that footer's value (kept)."""
    message = (
        "fix: retry timeouts\n\nThe client gave up.\n\nNote: the client used to give up.\n\n"
        "See: https://example.com/issue/4\n\nIt now retries three times.\n\n"
        "Closes #4\nCo-authored-by: Grace <g@example.org>"
    )
    parsed = parse(message)
    assert parsed.body == "The client gave up."
    assert parsed.footers == (
        Footer("Note", "the client used to give up."),
        Footer("See", "https://example.com/issue/4\n\nIt now retries three times."),
        Footer("Closes", "#4", "#"),
        Footer("Co-authored-by", "Grace <g@example.org>"),
    )
    assert not parsed.breaking
    parsed = parse("fix: x\n\nBody.\n\nNote: see below\n\nSee: https://example.com/docs")
    assert parsed.body == "Body."
    assert parsed.footers == (
        Footer("Note", "see below"),
        Footer("See", "https://example.com/docs"),
    )


def test_a_breaking_change_after_prose_in_the_footer_section_still_counts() -> None:
    parsed = parse("feat: x\n\nNote: a\n\nprose\n\nBREAKING CHANGE: y\nRefs: #2\n\nmore")
    assert parsed.body == ""
    assert parsed.breaking
    assert parsed.breaking_notes == ("y",)
    assert parsed.footers == (
        Footer("Note", "a\n\nprose"),
        Footer("BREAKING CHANGE", "y"),
        Footer("Refs", "#2\n\nmore"),
    )


@pytest.mark.parametrize(
    "last",
    [
        "https://example.com/docs",
        "See https://example.com/docs (the new page)",
        "This fixes the thing: now it works",
        "Changes:\n- one\n- two",
        "Token:value",
    ],
)
def test_a_last_paragraph_that_is_not_footers_is_body(last: str) -> None:
    parsed = parse(f"docs: x\n\n{last}")
    assert parsed.footers == ()
    assert parsed.body == last


def test_dependabot_body_keeps_its_yaml_in_the_body() -> None:
    message = (
        "build(deps): bump lodash from 4.17.15 to 4.17.21\n\n"
        "Bumps [lodash](https://github.com/lodash/lodash) from 4.17.15 to 4.17.21.\n"
        "- [Commits](https://github.com/lodash/lodash/compare/4.17.15...4.17.21)\n\n"
        "---\nupdated-dependencies:\n- dependency-name: lodash\n"
        "  dependency-type: direct:production\n  update-type: version-update:semver-patch\n"
        "...\n\nSigned-off-by: dependabot[bot] <support@github.com>\n"
    )
    parsed = parse(message, comment_char=None)
    assert "updated-dependencies:" in parsed.body
    assert parsed.footers == (Footer("Signed-off-by", "dependabot[bot] <support@github.com>"),)
    assert not parsed.breaking


def test_split_message_says_where_the_footers_begin() -> None:
    text = "feat: x\n\nbody\n\nRefs: #1\nCloses #2"
    header, body, footers, offset = split_message(text)
    assert (header, body, footers) == ("feat: x", "body", "Refs: #1\nCloses #2")
    assert text[offset:] == footers
    assert split_message("  feat: y\n\n\n  \nbody") == ("  feat: y", "body", "", -1)
    assert split_message("feat: y\rRefs: #1") == ("feat: y\rRefs: #1", "", "", -1)


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


def test_the_package_loads_nothing_and_names_the_function(monkeypatch: pytest.MonkeyPatch) -> None:
    """``import relnotes`` loads no module of its own (a fresh interpreter tells); the
    public names are there when asked for, ``relnotes.parse`` the function although the
    module ``relnotes.parse`` is imported, and a stand-in set on it is kept till undone."""
    code = (
        "import sys, relnotes; "
        "print(sorted(m for m in sys.modules if m.startswith('relnotes.') or m in ('re', 'enum')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"
    assert relnotes.parse is parse
    assert relnotes.Footer is Footer
    assert {"parse", "Footer", "ParsedCommit", "__version__"} <= set(dir(relnotes))
    with monkeypatch.context() as patched:
        patched.setattr(relnotes, "parse", len)
        assert relnotes.parse is len
    assert relnotes.parse is parse
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        relnotes.nothing  # noqa: B018


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
                "feat: x",
                "Note: a",
                "BREAKING CHANGE:",
                "BREAKING CHANGE: b",
                "Refs #3",
                "Signed-off-by: A",
                "prose",
                "  indented",
                "",
                "   ",
                "- bullet: y",
                "```",
                "~~~~",
                "<details>",
                "</details>",
                "  <blockquote>",
                "x </blockquote>",
                "> BREAKING CHANGE: quoted",
            ]
        ),
        max_size=12,
    )
)
def test_no_line_of_text_is_lost(lines: list[str]) -> None:
    """Every line is in the header, the body or a footer (token and value): never dropped."""
    message = "\n".join(["fix: start", *lines])
    parsed = parse(message, comment_char=None)
    kept = "\n".join(
        [
            parsed.header,
            parsed.body,
            *(f"{f.token}{':' if f.separator == ':' else ''} {f.value}" for f in parsed.footers),
        ]
    )
    for line in lines:
        assert line.strip() in kept
    assert parsed.breaking == any(f.is_breaking for f in parsed.footers)


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
                "```",
                "<details>",
                "</BLOCKQUOTE>",
                "~~~",
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


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "fix: #1",
                "\n",
                "\n\n",
                "Refs #2",
                "Refs: #3",
                "Refs:#4",
                "Closes ##5",
                "BREAKING CHANGE:",
                "BREAKING CHANGE: #6",
                "a#7",
                " #8",
                "\t",
                "\u00a0",
                "\u2028",
                "\x1c",
                "#9a",
                "/#10",
                "&#11;",
                "x: y",
                "Token #",
                "12",
                "-",
            ]
        ),
        max_size=24,
    )
)
def test_references_read_from_the_footer_section_as_written(parts: list[str]) -> None:
    """The references of a message whose footers are not read yet are those of its footers."""
    message = "".join(parts)
    unread = parse(message, comment_char=None)
    read = parse(message, comment_char=None)
    read.footers  # noqa: B018 (the footers read first)
    assert unread.references == read.references
