"""A release read past its nearest boundaries first (relnotes.ranges): the same commits as
one read past every lower tag, on histories where a low tag reaches into the range."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from relnotes import git
from relnotes.models import Tag
from relnotes.project import Project
from relnotes.ranges import NEAREST, SKEW, RangeLog, reaching
from relnotes.version import Version

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo


def full_read(root: str, sha: str, bounds: list[Tag]) -> set[str]:
    """The range as one ``git log`` past every boundary reads it."""
    return {f[0] for f in git.Log(root, [sha], sorted({t.sha for t in bounds})).records()}


def check_every_release(repo: GitRepo) -> list[int]:
    """Each release read by RangeLog is the full read's; returns how many reads each took."""
    project = Project(str(repo.path))
    history = project.history
    taken = []
    for tag in history.tags:
        bounds = history.boundaries(tag, merge=True)
        log = RangeLog(str(repo.path), [tag.sha], bounds)
        got = {f[0] for f in log.records()}
        assert got == full_read(str(repo.path), tag.sha, bounds), tag.name
        taken.append(log.reads)
    return taken


def releases(repo: GitRepo, versions: range, prefix: str = "v1.", every: int = 0) -> None:
    for minor in versions:
        repo.tick(every)
        repo.commit(f"feat: feature {minor}")
        repo.tag(f"{prefix}{minor}.0")


def test_a_linear_history_is_read_once_per_release(repo: GitRepo) -> None:
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    releases(repo, range(1, NEAREST + 5), every=2 * SKEW)
    assert set(check_every_release(repo)) == {1}  # a read per release, never a second


def test_releases_made_within_hours_are_read_right(repo: GitRepo) -> None:
    """Releases an hour apart: the tags beyond the nearest may count (a day of skew), and
    a second read leaves out what they reach."""
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    releases(repo, range(1, NEAREST + 5))
    assert 2 in check_every_release(repo)


def maintenance_merged(repo: GitRepo) -> None:
    """1.0.1 on a maintenance branch, nine minor releases on main, then 1.x merged into main
    (a merge-forward) and released as 2.0.0: 1.0.1 is not among the nearest boundaries."""
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    repo.branch("1.x")
    repo.commit("fix: on 1.x")
    repo.tag("v1.0.1")
    repo.checkout("main")
    releases(repo, range(1, NEAREST + 2))
    repo.merge("1.x")
    repo.commit("feat!: two")


def test_a_merged_maintenance_release_is_left_out(repo: GitRepo, invoke: Invoke) -> None:
    maintenance_merged(repo)
    preview = invoke("-C", str(repo.path), "preview").stdout
    assert "on 1.x" not in preview
    assert "two" in preview
    repo.tag("v2.0.0")
    notes = invoke("-C", str(repo.path), "notes", "v2.0.0").stdout
    assert "on 1.x" not in notes
    assert "two" in notes
    assert notes.split("\n", 1)[1] == preview.split("\n", 1)[1]  # the heading has the date
    taken = check_every_release(repo)
    assert taken[-1] == 2  # 2.0.0 read the 1.0.1 fix first: a second read left it out


def test_a_tag_on_a_branch_from_inside_the_range_is_left_out(repo: GitRepo, invoke: Invoke) -> None:
    """0.1.0; 1.1.0 to 1.9.0 on a line of their own; ``c`` on main, and 1.0.1 on a branch
    from ``c`` that is never merged; 2.0.0 merges the 1.x line into main. 1.0.1 released ``c``
    (its commit is not in 2.0.0's history, but ``c`` is): only its date tells the first read."""
    repo.commit("feat: root")
    repo.tag("v0.1.0")
    repo.branch("line")
    releases(repo, range(1, NEAREST + 2))
    repo.checkout("main")
    repo.commit("feat: c on main")
    repo.branch("side")
    repo.commit("fix: d on the side")
    repo.tag("v1.0.1")
    repo.checkout("main")
    repo.merge("line")
    repo.tag("v2.0.0")
    notes = invoke("-C", str(repo.path), "notes", "v2.0.0").stdout
    assert "c on main" not in notes
    assert "d on the side" not in notes
    assert check_every_release(repo)[-1] == 2


def record(sha: str, when: int) -> list[str]:
    return [sha, "", "A", "a@example.org", "", str(when), "feat: x"]


def tag(sha: str, committed: int, date: str = "2000-01-01T00:00:00+00:00") -> Tag:
    return Tag("v1.0.0", sha, Version("1.0.0"), date, annotated=True, committed=committed)


OLDEST = 1767225600 + SKEW  # 2026-01-02T00:00:00Z: the oldest commit read


@pytest.mark.parametrize(
    ("committed", "reaches"),
    [
        (OLDEST - SKEW, True),  # its commit made a day before the oldest commit read
        (OLDEST - SKEW - 1, False),  # a second earlier: it cannot contain one of them
        (OLDEST + 3600, True),
        (0, True),  # its commit's time not known: read past it
    ],
)
def test_a_tag_reaches_in_from_a_day_before_the_oldest_commit(
    committed: int, reaches: bool
) -> None:
    records = [record("a" * 40, OLDEST + 7200), record("b" * 40, OLDEST)]
    assert (reaching([tag("c" * 40, committed)], records) != []) is reaches


def test_a_tag_on_a_commit_read_reaches_in_whatever_its_date() -> None:
    records = [record("a" * 40, OLDEST + 10 * SKEW)]
    assert reaching([tag("a" * 40, OLDEST - 100 * SKEW)], records) != []
    assert reaching([tag("a" * 40, OLDEST - 100 * SKEW)], []) == []


def test_a_backdated_tag_on_a_branch_from_inside_the_range_is_left_out(
    repo: GitRepo, invoke: Invoke
) -> None:
    """An annotated tag dated long before its commit (git tag's "On Backdating Tags"), on a
    line from inside 2.0.0's range, below the nearest versions: its commit's time counts,
    not the tag's, and 2.0.0 leaves out what it released."""
    repo.commit("feat: root")
    repo.tag("v0.1.0")
    releases(repo, range(3, NEAREST + 4), prefix="v0.", every=2 * SKEW)
    repo.commit("feat: shared commit")
    repo.branch("side")
    repo.commit("fix: on the side")
    repo.git("tag", "-a", "v0.2.0", "-m", "backdated", epoch=1_700_000_000)  # 2023
    repo.checkout("main")
    repo.commit("feat: x")
    repo.tag("v1.0.0")
    notes = invoke("-C", str(repo.path), "notes", "v1.0.0").stdout
    assert "- x (" in notes
    assert "shared commit" not in notes
    assert check_every_release(repo)[-1] == 2
