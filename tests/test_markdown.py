"""Commit text is data in Markdown: md_text, checked with the renderers people publish with.

GitHub's own renderer (cmark-gfm, with its autolink, table, strikethrough and task list
extensions, raw HTML allowed so that an injection would show) and the CommonMark reference
(markdown-it-py, its own link check switched off) read what md_text wrote. Whatever the text,
no tag but those Markdown makes from text comes out, no link or image points anywhere but
http(s) or a relative path, and the list item stays one list item.
"""

from __future__ import annotations

import html
import json
import random
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from relnotes.markdown import link_refs, md_text, unmentioned
from tests.test_notes import golden

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo

#: Pieces of hostile and ordinary commit text, joined at random.
PIECES = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<!--", "-->", "<b>", "</b>",
    "<http://evil.example>", "<javascript:alert(1)>", "&lt;", "&#60;", "&colon;", "&", ";",
    "`", "``", "```", "~~~", "\\", "\\`", "[", "]", "(", ")", "](", "![", "[x]", "[ref]: ",
    "[ ] ", "[^1]: ", "javascript:alert(1)", "JaVa&#x53;cript:", "java\tscript:",
    "data:text/html,x", "vbscript:x", "file:///etc/passwd", "mailto:a@b.c", "http://x.example/",
    "https://x.example/a_b", "www.x.example/", "//x.example", "#", "## ", "# ", "#12", "&#12",
    "> ", ">", "- ", "+ ", "* ", "1. ", "2) ", "|", "| a | b |", "---", "===", "***", "___",
    ":---", ": ", "-:", ":-:", "    ", "\t", " ", "\n", "\n\n", "\r", "\r\n", "\u2028",
    "\u2029", "\x85", "\x0c", "\x0b", "\x1b[31m", "\x00", "**", "_", "~~", "a", "word", "fix",
    "\"", "'", "title", "=", "!", ".", ":",
]  # fmt: skip
TAGS_FROM_TEXT = {"a", "code", "strong", "em", "del", "img", "br"}
GFM = ["table", "autolink", "strikethrough", "tasklist"]


def gfm(text: str) -> str:
    return cmarkgfm.markdown_to_html_with_extensions(
        text, options=Options.CMARK_OPT_UNSAFE, extensions=GFM
    )


_COMMONMARK = MarkdownIt("commonmark", {"html": True})
_COMMONMARK.validateLink = lambda url: True  # type: ignore[method-assign]


def commonmark(text: str) -> str:
    return _COMMONMARK.render(text)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [value or "" for name, value in attrs if name in ("href", "src")]

    def handle_comment(self, data: str) -> None:
        self.tags.append("<!--")


def read(html_text: str) -> Tags:
    tags = Tags()
    tags.feed(html_text)
    tags.close()
    return tags


def safe_url(url: str) -> bool:
    """http(s) or relative; or the link GitHub's autolinker makes of a plain e-mail address
    (``a@b.c``, ``mailto:a@b.c``, even ``word-mailto:a@b.c``: text it links, not markup)."""
    plain = re.sub(r"[\x00-\x20\x7f-\x9f]", "", html.unescape(url)).lower()
    scheme = re.match(r"([a-z][a-z0-9+.\-]*):", plain)
    if re.fullmatch(r"[\w.+-]*(?:mailto|xmpp):[\w.+-]+@[\w.-]+(?:/[\w.-]*)?", plain):
        return True
    return scheme is None or scheme[1] in ("http", "https")


def assert_inert(
    document: str, *, list_items: int | None, renderers: tuple = (gfm, commonmark)
) -> None:
    for render in renderers:
        found = read(render(document))
        blocks = [t for t in found.tags if t not in TAGS_FROM_TEXT | {"p", "ul", "li"}]
        assert blocks == [], (render.__name__, document, found.tags)
        assert all(safe_url(u) for u in found.urls), (render.__name__, document, found.urls)
        if list_items is not None:
            assert found.tags.count("li") == list_items, (render.__name__, document, found.tags)
            assert found.tags.count("ul") == 1, (render.__name__, document, found.tags)


def contexts(a: str, b: str) -> list[tuple[str, int | None]]:
    """md_text as the built-in templates and user templates use it: (document, list items).

    Two fields are kept apart by white space or template text (a bare URL at the end of one
    would run on into the next: GitHub's autolinks end only at white space or "<")."""
    one_a, one_b = md_text(" ".join(a.split())), md_text(" ".join(b.split()))
    return [
        (f"- {one_a} ([abc1234](https://x.example/commit/abc1234))\n- next\n", 2),
        (f"- **{one_b}:** {one_a} (abc1234)\n- next\n", 2),
        (f"- {md_text(a)}\n", None),
        (f"before\n\n{md_text(a)}\n\nafter\n", None),
        (f"{md_text(a)} {md_text(b)}\n", None),
        (f"[{md_text(b)}](https://x.example/) {md_text(a)}\n", None),
    ]


text = st.lists(st.sampled_from(PIECES), max_size=24).map("".join)


@settings(max_examples=600, derandomize=True, deadline=None)
@given(text, text)
def test_no_commit_text_acts_as_markup(a: str, b: str) -> None:
    for document, items in contexts(a, b):
        assert_inert(document, list_items=items)


@pytest.mark.parametrize(
    "written",
    [
        "add `--verbose` and **bold** output (#12)",
        "use `a<b>` and `x | y` in code",
        "support _emphasis_, ~~strike~~, & ampersands; 50% faster: yes!",
        "see [the docs](https://docs.example/a_(b)) and [notes](../NOTES.md)",
        "parse `[x](javascript:y)` literally",
        "#123 first, then v1.2.3 - done",
        "a [skip ci] tag [bot]",
        "www.example.org and https://example.org/x?a=1&b=2 `code`",
    ],
)
def test_ordinary_text_reads_as_it_did(written: str) -> None:
    """What authors write renders exactly as before."""
    assert gfm(md_text(written)) == gfm(written)
    assert commonmark(md_text(written)) == commonmark(written)


@pytest.mark.parametrize(
    ("written", "escaped"),
    [
        ("add `--verbose` and **bold** output (#12)", "add `--verbose` and **bold** output (#12)"),
        ("a [skip ci] tag", "a [skip ci] tag"),
        ("<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"),
        ("[x](javascript:alert(1))", "[x]\\(javascript:alert(1))"),
        ("![x](data:image/png;base64,AAAA)", "![x]\\(data:image/png;base64,AAAA)"),
        ("[ok](https://example.org)", "[ok](https://example.org)"),
        ("# heading", "\\# heading"),
        ("first\n## Unreleased\n- item\n> quote", "first\n\\## Unreleased\n\\- item\n\\> quote"),
        ("[ref]: http://evil", "\\[ref]: http://evil"),
        ("| a | b |", "\\| a \\| b \\|"),
        ("a\u2028## Unreleased", "a\n\\## Unreleased"),
        ("1. first\n    indented", "1\\. first\nindented"),
        ("unclosed `tick", "unclosed \\`tick"),
        ("ends in a backslash\\", "ends in a backslash\\\\"),
    ],
)
def test_what_is_escaped(written: str, escaped: str) -> None:
    assert md_text(written) == escaped


def test_large_inputs_take_linear_time_and_stay_correct() -> None:
    """200,000 characters of the worst pieces for each pass (no timing: a quadratic pass
    would not finish within the suite's time)."""
    rng = random.Random(18)
    refs = "".join(rng.choice(["#", "1", "23", "&#", "a", " ", "[", "/"]) for _ in range(200_000))
    assert link_refs(refs, "https://r.example") == _link_refs_by_hand(refs, "https://r.example")
    assert unmentioned(["#1", "#99999999"], refs) == ["#99999999"]

    pieces = ["`", "``", "](", "(", ")", "[", "]", "\\", "<", "|", "\n", "http://x/", "a", " "]
    hostile = "".join(rng.choice(pieces) for _ in range(200_000))
    one_line = " ".join(hostile.split())
    assert_inert(f"- {md_text(one_line)}\n- next\n", list_items=2, renderers=(gfm,))
    assert_inert(md_text(hostile), list_items=None, renderers=(gfm,))
    for worst in ("](" * 100_000, "`" * 1000 + "[x](" * 50_000, "[x](a " + '"' * 100_000):
        assert_inert(f"- {md_text(worst)}\n", list_items=1, renderers=(gfm,))


def _link_refs_by_hand(text: str, repository: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        before = text[i - 1] if i else ""
        if char == "#" and not (before.isalnum() or before in "_/&["):
            j = i + 1
            while j < len(text) and text[j] in "0123456789":
                j += 1
            after = text[j] if j < len(text) else ""
            if j > i + 1 and not (after.isalnum() or after == "_"):
                number = text[i + 1 : j]
                out.append(f"[#{number}]({repository}/issues/{number})")
                i = j
                continue
        out.append(char)
        i += 1
    return "".join(out)


# -- a release whose commits carry markup: golden files ------------------------------------

HOSTILE_COMMITS = [
    "feat: run <script>alert(1)</script> in the page",
    "fix: show <img src=x onerror=alert(1)> safely",
    "feat(ui): a [x](javascript:alert(1)) link and [docs](https://docs.example/ui)",
    "fix: an ![x](data:text/html;base64,PHNjcmlwdD4=) image",
    "feat(api)!: drop the v1 API\n\nBREAKING CHANGE: the v1 API is gone.\n# Heading\n"
    "[ref]: http://evil.example\n| a | b |\n|---|---|\n- item\n<details open>",
    "fix(core\u2028## Unreleased): a scope that holds a line separator",
    "feat: keep `inline <code>` and **bold** as written (#12)",
    "docs: [ref]: http://evil.example",
    "fix: a | b | c\rd is one line",
    "perf: fast\u2029## [9.9.9] - 2099-01-01\u2029- fake release",
]


@pytest.fixture
def hostile(repo: GitRepo) -> GitRepo:
    repo.write("pyproject.toml", '[project]\nname = "widget"\n\n[project.urls]\n'
               'Repository = "https://github.com/example/widget"\n')  # fmt: skip
    repo.commit("feat: first")
    repo.tag("v1.0.0", annotated=True)
    for message in HOSTILE_COMMITS:
        repo.commit(message)
    repo.tag("v1.1.0", annotated=True)
    return repo


def test_hostile_release_notes_golden(hostile: GitRepo, invoke: Invoke) -> None:
    at = ("-C", str(hostile.path))
    notes = invoke(*at, "notes", "v1.1.0").stdout
    golden("hostile-v1.1.0.md", notes)
    page = read(gfm(notes))
    assert page.tags.count("h2") == 1
    # Breaking changes, Features, Fixes, Performance, Docs, Contributors
    assert page.tags.count("h3") == 6
    assert page.tags.count("hr") == 1  # the template's, above the links
    assert not {"script", "table", "blockquote", "details", "h1", "h4"} & set(page.tags)
    assert all(safe_url(u) for u in page.urls)
    assert "https://docs.example/ui" in page.urls
    assert len(notes.splitlines()) == len(notes.split("\n")) - 1  # no other line breaks

    data = json.loads(invoke(*at, "notes", "v1.1.0", "--format", "json").stdout)
    commits = {c["header"]: c for s in data["sections"] for c in s["commits"]}
    assert commits["feat: run <script>alert(1)</script> in the page"]["description"] == (
        "run <script>alert(1)</script> in the page"
    )
    scoped = next(c for c in commits.values() if c["scope"] and "\u2028" in c["scope"])
    assert scoped["scope"] == "core\u2028## Unreleased"
    assert data["breaking_changes"][0]["description"].startswith("the v1 API is gone.\n# Heading")


def test_hostile_changelog_golden_and_stable(hostile: GitRepo, invoke: Invoke) -> None:
    at = ("-C", str(hostile.path))
    invoke(*at, "changelog")
    text = (hostile.path / "CHANGELOG.md").read_text(encoding="utf-8")
    golden("hostile-changelog.md", text)
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## [1.1.0](https://github.com/example/widget/compare/v1.0.0...v1.1.0) - 2026-01-01",
        "## [1.0.0](https://github.com/example/widget/commits/v1.0.0) - 2026-01-01",
    ]
    assert "is up to date" in invoke(*at, "changelog").stderr
    hostile.commit("fix(x\u2028## Unreleased): after the release")
    hostile.tag("v1.1.1", annotated=True)
    invoke(*at, "changelog")
    updated = (hostile.path / "CHANGELOG.md").read_text(encoding="utf-8")
    (hostile.path / "CHANGELOG.md").unlink()
    invoke(*at, "changelog")
    assert updated == (hostile.path / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = [line.split("]")[0] for line in updated.splitlines() if line.startswith("## ")]
    assert releases == ["## [1.1.1", "## [1.1.0", "## [1.0.0"]
