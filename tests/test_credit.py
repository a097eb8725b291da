"""Credit: each release lists who made it, first-timers marked, bots left out, no e-mail."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from relnotes.config import Config
from relnotes.credit import Contributor, People, Seen, credit, identity
from tests.helpers import LogReads

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pytest

    from tests.conftest import Invoke
    from tests.helpers import GitRepo

GRACE = ("Grace Hopper", "grace@example.org")
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")


def notes_json(invoke: Invoke, repo: GitRepo, *args: str) -> dict[str, Any]:
    return dict(json.loads(invoke("-C", str(repo.path), "notes", *args, "--format", "json").stdout))


def test_authors_and_co_authors_merged_bots_left_out(invoke: Invoke, repo: GitRepo) -> None:
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.commit("fix: two\n\nCo-authored-by: Margaret Hamilton <margaret@example.org>")
    repo.commit("feat: three", author=GRACE)
    repo.commit("fix: four", author=("Grace B. Hopper", GRACE[1]))  # the newest spelling shows
    repo.commit("build(deps): bump x from 1 to 2", author=BOT)
    repo.commit("fix: five\n\nCo-authored-by: renovate[bot] <bot@renovateapp.com>")
    repo.tag("v1.1.0")
    data = notes_json(invoke, repo)
    assert data["contributors"] == [
        {"name": "Ada Lovelace", "first_time": False},
        {"name": "Grace B. Hopper", "first_time": True},
        {"name": "Margaret Hamilton", "first_time": True},
    ]
    assert "@" not in json.dumps(data["contributors"])  # names only, never an e-mail


def test_first_timers_are_those_no_commit_before_the_previous_release_names(
    invoke: Invoke, repo: GitRepo
) -> None:
    repo.commit("feat: one", author=GRACE)
    repo.commit("docs: two\n\nCo-authored-by: Linus <linus@example.org>")
    repo.tag("v1.0.0")
    repo.commit("fix: three", author=("Linus Torvalds", "linus@example.org"))  # known by e-mail
    repo.commit("fix: four", author=("Grace Hopper", "grace@work.example"))  # known by name
    repo.commit("fix: five", author=("Ken", "ken@example.org"))
    repo.tag("v1.1.0")
    assert notes_json(invoke, repo)["contributors"] == [
        {"name": "Grace Hopper", "first_time": False},
        {"name": "Ken", "first_time": True},
        {"name": "Linus Torvalds", "first_time": False},
    ]
    # the first release marks no one: everyone would be new
    first = notes_json(invoke, repo, "v1.0.0")["contributors"]
    assert [c["first_time"] for c in first] == [False, False, False]
    assert [c["name"] for c in first] == ["Ada Lovelace", "Grace Hopper", "Linus"]


def test_merges_and_release_commits_credit_no_one(invoke: Invoke, repo: GitRepo) -> None:
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.branch("topic")
    repo.commit("fix: on a branch", author=GRACE)
    repo.checkout("main")
    repo.git("-c", "user.name=Merger", "-c", "user.email=m@example.org", "merge", "-q",
             "--no-ff", "-m", "Merge pull request #3 from x/topic", "topic")  # fmt: skip
    repo.commit("chore(release): v1.0.1", author=("Releaser", "r@example.org"))
    repo.tag("v1.0.1")
    names = [c["name"] for c in notes_json(invoke, repo)["contributors"]]
    assert names == ["Grace Hopper"]
    log = invoke("-C", str(repo.path), "log", "v1.0.0..v1.0.1").stdout
    assert "-> -: release commit: not listed" in log


def test_reading_stops_once_everyone_is_found(
    invoke: Invoke, repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(5):
        repo.commit(f"feat: old {n}", author=("Old", "old@example.org"))
    repo.commit("feat: by Ada, long ago")
    repo.tag("v1.0.0")
    repo.commit("fix: by Ada again")
    repo.tag("v1.0.1")
    reads = LogReads(monkeypatch)
    read = reads.authors
    notes_json(invoke, repo)
    assert read == ["Ada Lovelace"]  # the newest commit before v1.0.1 names her: done
    repo.commit("fix: a newcomer's", author=("New", "new@example.org"))
    repo.tag("v1.0.2")
    read.clear()
    assert notes_json(invoke, repo)["contributors"] == [{"name": "New", "first_time": True}]
    assert read == ["Ada Lovelace", "Ada Lovelace", *["Old"] * 5]  # a first-timer reads it all


def test_contributors_false_credits_no_one(invoke: Invoke, repo: GitRepo) -> None:
    repo.write("pyproject.toml", "[tool.relnotes]\ncontributors = false\n")
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    assert notes_json(invoke, repo)["contributors"] == []
    assert "Contributors" not in invoke("-C", str(repo.path), "notes").stdout


def test_the_bot_pattern_is_configurable(invoke: Invoke, repo: GitRepo) -> None:
    repo.write("pyproject.toml", '[tool.relnotes]\ncontributors_exclude = "^Ada "\n')
    repo.commit("feat: one")
    repo.commit("fix: two", author=BOT)
    repo.tag("v1.0.0")
    assert [c["name"] for c in notes_json(invoke, repo)["contributors"]] == ["dependabot[bot]"]
    repo.write("pyproject.toml", '[tool.relnotes]\ncontributors_exclude = "(["\n')
    result = invoke("-C", str(repo.path), "notes", code=2)
    assert "contributors_exclude is not a regular expression" in result.stderr


def test_names_are_escaped_in_markdown_and_raw_in_json(invoke: Invoke, repo: GitRepo) -> None:
    evil = "*Eve* [me](javascript:x) @octocat #1"  # git keeps no < > in an author's name
    repo.commit(
        "feat: one\n\nCo-authored-by: <img src=x onerror=alert(1)> Mal <mal@example.org>",
        author=(evil, "eve@example.org"),
    )
    repo.tag("v1.0.0")
    text = invoke("-C", str(repo.path), "notes").stdout
    assert text.endswith(  # md_text, as for commit text: no HTML, no javascript: link
        "\n### Contributors\n\n"
        "- *Eve* [me]\\(javascript:x) @octocat #1\n"
        "- &lt;img src=x onerror=alert(1)> Mal\n"
    )
    assert notes_json(invoke, repo)["contributors"] == [
        {"name": evil, "first_time": False},
        {"name": "<img src=x onerror=alert(1)> Mal", "first_time": False},
    ]
    assert "example.org" not in text


def test_people_merge_by_name_or_email() -> None:
    people = People("\\[bot\\]").update(
        [
            ("Ada L", "ada@example.org"),
            ("Ada Lovelace", "ADA@example.org"),  # the same e-mail, another spelling
            ("ada lovelace", "ada@home.example"),  # the same name, another address
            ("Octo", "1+octo@users.noreply.github.com"),
            ("Octo Cat", "octo@users.noreply.github.com"),  # GitHub's id prefix aside
            ("x[bot]", "x@example.org"),
        ]
    )
    assert [people.name(p) for p in people.persons()] == ["Ada L", "Octo"]
    assert identity("Margaret Hamilton <mh@example.org>") == ("Margaret Hamilton", "mh@example.org")
    assert identity("Just A Name") == ("Just A Name", "")
    assert identity("Jo <jo@example.org> (she/her)") == ("Jo (she/her)", "jo@example.org")
    named = People().update([("jo@example.org", "jo@example.org")])
    assert [named.name(p) for p in named.persons()] == ["jo"]  # an address as a name: not shown


def test_credit_reads_before_only_until_everyone_is_found() -> None:
    people = People().update([("Ada", "ada@x"), ("Grace", "grace@x")])
    consumed: list[str] = []

    def before() -> Iterator[tuple[str, str]]:
        for pair in [("Grace", "g@y"), ("Someone", "s@x"), ("Ada", "other@x"), ("Late", "l@x")]:
            consumed.append(pair[0])
            yield pair

    assert credit(people, before()) == [Contributor("Ada", False), Contributor("Grace", False)]
    assert consumed == ["Grace", "Someone", "Ada"]
    seen = Seen()
    seen.update([("Grace", "grace@x")])
    assert credit(people, None, seen) == [Contributor("Ada", True), Contributor("Grace", False)]
    assert credit(people, None) == [Contributor("Ada", False), Contributor("Grace", False)]


def test_release_commit_pattern() -> None:
    config = Config(release_message="chore(release): $tag [skip ci]")
    assert config.is_release_commit("chore(release): v1.2.0 [skip ci]")
    assert not config.is_release_commit("chore(release): prepare v1.2.0")


TRAILER_LINES = [
    "Co-authored-by: Grace Hopper <grace@example.org>", "co-authored-by:  Ada <ada@example.org>",
    "Co-Authored-By:Zed <zed@example.org>", "Refs: #4", "Signed-off-by: Me <me@example.org>",
    "(cherry picked from commit 0123abc)", "A plain paragraph.", "BREAKING CHANGE: gone",
    "  continued", "\tcontinued", "Note : spaced token", "# comment", "not: a trailer: ok",
    "a line with : a colon", "", "", "",
]  # fmt: skip


def test_co_authors_are_the_trailers_git_finds(repo: GitRepo) -> None:
    """Co-authors are read from the trailer block as git reads it (``%(trailers)``, what the
    log of the releases before gives and what GitHub credits): a ``Co-authored-by`` line that
    prose follows, or in a paragraph of other text, names no one. Compared with git itself
    over seeded messages (blank lines, comments, continuations, CRLF, git's own trailers)."""
    import random

    from relnotes.credit import CO_AUTHOR, trailer_values

    rnd = random.Random(7)
    messages = []
    for number in range(120):
        lines = [f"fix: subject {number}", ""]
        lines += [rnd.choice(TRAILER_LINES) for _ in range(rnd.randint(1, 7))]
        message = "\n".join(lines)
        messages.append(message.replace("\n", "\r\n") if number % 5 == 0 else message)
        repo.commit(message)
    fields = "%(trailers:key=Co-authored-by,valueonly,unfold,separator=%x02)"
    log = repo.git("log", "--reverse", f"--format=%x01{fields}")
    found = [
        [" ".join(v.split()) for v in record.strip("\n").split("\x02") if v.strip()]
        for record in log.split("\x01")[1:]
    ]
    mine = [[" ".join(v.split()) for v in trailer_values(m, CO_AUTHOR)] for m in messages]
    assert mine == found
    assert sum(map(bool, found)) > 10  # the comparison saw co-authors


def test_a_trailer_git_writes_is_known_in_its_own_case(repo: GitRepo) -> None:
    """git knows ``Signed-off-by: `` as its own trailer in that case only: a paragraph with a
    line of prose and a lower-case ``signed-off-by:`` is no trailer block for git."""
    from relnotes.credit import CO_AUTHOR, trailer_values

    message = "fix: parser\n\nFixed by pairing\nsigned-off-by: Ada <a@x>\nCo-authored-by: G <g@x>\n"
    repo.commit(message)
    found = repo.git("log", "-1", "--format=%(trailers:key=Co-authored-by,valueonly)").strip()
    assert found == ""
    assert trailer_values(message, CO_AUTHOR) == []
    signed = message.replace("signed-off-by", "Signed-off-by")
    assert trailer_values(signed, CO_AUTHOR) == ["G <g@x>"]
