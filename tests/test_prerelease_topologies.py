"""Pre-releases and tags on more than one line of history: a maintenance branch's pending
pre-release stays a release of its own, a compare link starts at the release a release
continues, and a pre-release tagged after its final release releases nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import pytest
from freezegun import freeze_time

from tests.test_changelog import changelog_of, run
from tests.test_changelog_prereleases import section
from tests.test_notes import golden

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo

URL = "https://github.com/example/proj"
#: a pre-release's two spellings: SemVer's and PEP 440's
SPELLINGS = [("v1.0.1-rc.1", "1.0.1-rc.1"), ("1.0.1rc1", "1.0.1rc1")]


def tag(repo: GitRepo, name: str, annotated: bool) -> None:
    repo.tag(name, annotated=annotated)


def maintenance_rc(repo: GitRepo, rc: str, annotated: bool) -> None:
    """main: 1.0.0, 2.0.0; ``1.x`` from 1.0.0: a fix, the pre-release ``rc``, one more fix."""
    final = "1.0.0" if rc[0].isdigit() else "v1.0.0"
    repo.git("remote", "add", "origin", f"{URL}.git")
    repo.commit("feat: a")
    tag(repo, final, annotated)
    repo.commit("feat: b on main")
    repo.commit("feat!: c breaking on main")
    tag(repo, final.replace("1.0.0", "2.0.0"), annotated)
    repo.branch("1.x", final)
    repo.commit("fix: d on 1.x")
    tag(repo, rc, annotated)
    repo.commit("fix: e on 1.x after the candidate")


def preview_then_tag(repo: GitRepo, invoke: Invoke, annotated: bool, *args: str) -> str:
    """``preview`` now, then the tag it proposes made at once; checks that the notes of the
    tag are what was previewed, byte for byte, and returns them."""
    path = str(repo.path)
    epoch = repo.tick(60)
    day = dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    with freeze_time(day):
        preview = invoke("-C", path, "preview", *args)
        data = json.loads(invoke("-C", path, "preview", "--format", "json", *args).stdout)
    if annotated:
        repo.git("tag", "-a", data["tag"], "-m", "release", epoch=epoch)
    else:
        repo.tag(data["tag"])
    notes = invoke("-C", path, "notes", data["tag"]).stdout
    assert notes == preview.stdout
    return preview.stderr


# -- 1. a pending pre-release on a maintenance branch ----------------------------------------


@pytest.mark.parametrize("annotated", [True, False])
@pytest.mark.parametrize(("rc", "version"), SPELLINGS)
def test_a_maintenance_branch_pre_release_is_not_folded_by_a_higher_final_elsewhere(
    repo: GitRepo, invoke: Invoke, rc: str, version: str, annotated: bool
) -> None:
    maintenance_rc(repo, rc, annotated)
    path = str(repo.path)
    prefix = "" if rc[0].isdigit() else "v"
    run(invoke, repo)
    text = changelog_of(repo)
    assert f"## [{version}]({URL}/compare/{prefix}1.0.0...{rc}) - " in text
    assert "- d on 1.x (" in section(text, f"## [{version}](")
    unreleased = section(text, "## [Unreleased](")
    assert unreleased.startswith(f"{URL}/compare/{rc}...HEAD)")  # what HEAD continues
    assert "- e on 1.x after the candidate (" in unreleased
    assert "- d on 1.x (" not in unreleased
    assert text.count("- d on 1.x (") == 1
    assert f"## [2.0.0]({URL}/compare/{prefix}1.0.0...{prefix}2.0.0) - " in text
    log = invoke("-C", path, "log").stdout
    assert f"{rc} (1 commits)\n" in log
    assert "Unreleased (1 commits)\n" in log
    # the next pre-release lists what came since this one; the final release, everything
    # since 1.0.0 (the candidate folded in): preview == notes, and the changelog agrees
    nxt = invoke("-C", path, "next-version", "--prerelease", "rc").stdout.strip()
    assert nxt == ("1.0.1-rc.2" if "-rc." in rc else "1.0.1rc2")  # spelled as the last one
    assert invoke("-C", path, "next-version").stdout.strip() == "1.0.1"
    said = preview_then_tag(repo, invoke, annotated)
    assert said.splitlines()[0].endswith(f"(the final release of {rc}) since {prefix}1.0.0")
    notes = invoke("-C", path, "notes", f"{prefix}1.0.1").stdout
    assert "- d on 1.x (" in notes
    assert "- e on 1.x after the candidate (" in notes
    assert f"{URL}/compare/{prefix}1.0.0...{prefix}1.0.1" in notes
    _, err = run(invoke, repo)
    assert err == "CHANGELOG.md: added 1.0.1\n"
    text = changelog_of(repo)
    assert version not in text  # folded into its own final release, now that it is out
    assert "Unreleased" not in text
    v101 = section(text, f"## [1.0.1]({URL}/compare/{prefix}1.0.0...{prefix}1.0.1) - ")
    assert "- d on 1.x (" in v101
    assert "- e on 1.x after the candidate (" in v101
    assert text == changelog_of_full(repo, invoke)


def changelog_of_full(repo: GitRepo, invoke: Invoke) -> str:
    """What ``changelog --full`` writes into a copy (the file itself is left as it is)."""
    copy = repo.path / "FULL.md"
    copy.write_text(changelog_of(repo), encoding="utf-8")
    run(invoke, repo, "--full", "--file", str(copy))
    text = copy.read_text(encoding="utf-8")
    copy.unlink()
    return text


def test_a_pre_release_on_main_while_the_maintenance_branch_gets_finals(
    repo: GitRepo, invoke: Invoke
) -> None:
    """The mirror case: ``v2.1.0-rc.1`` on main, then 1.0.1 and 1.0.2 on ``1.x``."""
    repo.git("remote", "add", "origin", f"{URL}.git")
    repo.commit("feat: a")
    repo.tag("v1.0.0")
    repo.commit("feat!: b breaking")
    repo.tag("v2.0.0", annotated=True)
    repo.commit("feat: c for 2.1")
    repo.tag("v2.1.0-rc.1", annotated=True)
    repo.commit("fix: d on main")
    repo.branch("1.x", "v1.0.0")
    repo.commit("fix: e on 1.x")
    repo.tag("v1.0.1", annotated=True)
    repo.commit("fix: f on 1.x")
    repo.tag("v1.0.2")
    repo.checkout("main")
    path = str(repo.path)
    data = json.loads(invoke("-C", path, "notes", "v2.1.0-rc.1", "--format", "json").stdout)
    assert data["previous_tag"] == "v2.0.0"
    run(invoke, repo)
    text = changelog_of(repo)
    assert f"## [2.1.0-rc.1]({URL}/compare/v2.0.0...v2.1.0-rc.1) - " in text
    assert f"## [1.0.2]({URL}/compare/v1.0.1...v1.0.2) - " in text
    assert section(text, "## [Unreleased](").startswith(f"{URL}/compare/v2.1.0-rc.1...HEAD)")
    said = preview_then_tag(repo, invoke, True)
    assert said.splitlines()[0] == (
        "next version: 2.1.0, tag v2.1.0 (the final release of v2.1.0-rc.1) since v2.0.0"
    )
    notes = invoke("-C", path, "notes", "v2.1.0").stdout
    for entry in ("- c for 2.1 (", "- d on main ("):
        assert entry in notes
    assert "on 1.x" not in notes
    run(invoke, repo)
    assert "2.1.0-rc.1" not in changelog_of(repo)
    assert changelog_of(repo) == changelog_of_full(repo, invoke)


# -- 2. a maintenance tag does not move compare links ---------------------------------------


def maintenance_releases(repo: GitRepo) -> None:
    """main: 1.0.0, 1.1.0, then 1.2.0 and 2.0.0; ``1.1.x`` gets 1.1.1 after 1.1.0 (before
    1.2.0); ``1.0.x`` (from 1.0.0) gets 1.0.5, tagged after 1.1.0, and 1.0.6."""
    repo.git("remote", "add", "origin", f"{URL}.git")
    repo.commit("feat: a")
    repo.tag("v1.0.0", annotated=True)
    repo.commit("feat: b")
    repo.tag("v1.1.0", annotated=True)
    repo.branch("1.1.x")
    repo.commit("fix: c on 1.1.x")
    repo.tag("v1.1.1")
    repo.branch("1.0.x", "v1.0.0")
    repo.commit("fix: d on 1.0.x")
    repo.tag("v1.0.5", annotated=True)
    repo.commit("fix: e on 1.0.x")
    repo.tag("v1.0.6", annotated=True)
    repo.checkout("main")
    repo.commit("feat: f on main")
    repo.tag("v1.2.0", annotated=True)
    repo.commit("feat!: g breaking")
    repo.tag("v2.0.0")


def test_a_release_compares_with_the_release_it_continues(repo: GitRepo, invoke: Invoke) -> None:
    maintenance_releases(repo)
    path = str(repo.path)
    expected = {  # each release, and the release its history continues
        "v1.2.0": "v1.1.0",  # not v1.1.1, the higher version on 1.1.x
        "v1.1.1": "v1.1.0",
        "v1.0.6": "v1.0.5",
        "v1.0.5": "v1.0.0",
        "v2.0.0": "v1.2.0",
    }
    for name, previous in expected.items():
        data = json.loads(invoke("-C", path, "notes", name, "--format", "json").stdout)
        assert data["previous_tag"] == previous, name
        assert data["links"]["compare"] == f"{URL}/compare/{previous}...{name}"
    v106 = invoke("-C", path, "notes", "v1.0.6").stdout
    assert "- e on 1.0.x (" in v106
    assert "- d on 1.0.x (" not in v106
    v120 = invoke("-C", path, "notes", "v1.2.0").stdout
    assert "- f on main (" in v120
    assert "1.1.x" not in v120
    run(invoke, repo)
    text = changelog_of(repo)
    for name, previous in expected.items():
        version = name.removeprefix("v")
        assert f"## [{version}]({URL}/compare/{previous}...{name}) - " in text
    golden("maintenance-changelog.md", text)


def test_an_update_after_a_maintenance_tag_equals_a_rebuild(repo: GitRepo, invoke: Invoke) -> None:
    """The compare links of an update (which reads only the new releases) are those of a
    rebuild, whichever line the new tags are on."""
    repo.git("remote", "add", "origin", f"{URL}.git")
    repo.commit("feat: a")
    repo.tag("v1.0.0")
    repo.commit("feat: b")
    repo.tag("v1.1.0")
    run(invoke, repo)
    repo.branch("1.1.x")
    repo.commit("fix: c on 1.1.x")
    repo.tag("v1.1.1")
    run(invoke, repo)
    repo.checkout("main")
    repo.commit("feat: d on main")
    repo.tag("v1.2.0")
    _, err = run(invoke, repo)
    assert err == "CHANGELOG.md: added 1.2.0\n"
    text = changelog_of(repo)
    assert f"## [1.2.0]({URL}/compare/v1.1.0...v1.2.0) - " in text
    assert f"## [1.1.1]({URL}/compare/v1.1.0...v1.1.1) - " in text
    assert text == changelog_of_full(repo, invoke)


# -- 3. a pre-release tagged after its final release ----------------------------------------


@pytest.mark.parametrize("annotated", [True, False])
@pytest.mark.parametrize(("rc", "final"), [("v2.0.0-rc.2", "v2.0.0"), ("2.0.0rc2", "2.0.0")])
def test_a_pre_release_tagged_after_its_final_release(
    repo: GitRepo, invoke: Invoke, rc: str, final: str, annotated: bool
) -> None:
    repo.git("remote", "add", "origin", f"{URL}.git")
    first = final.replace("2.0.0", "1.0.0")
    repo.commit("feat: a")
    repo.tag(first, annotated=annotated)
    repo.commit("feat!: b breaking")
    repo.tag(rc.replace("2", "1").replace("1.0.0", "2.0.0", 1), annotated=annotated)
    repo.commit("fix: c")
    repo.tag(final, annotated=annotated)
    repo.commit("fix: d after the final release")
    repo.tag(rc, annotated=annotated)  # by mistake: the final release is out
    repo.commit("feat: e")
    path = str(repo.path)
    result = invoke("-C", path, "notes", rc)
    assert f"warning: tag {rc} is a pre-release made after {final}, on a commit" in result.stderr
    assert "- d after the final release (" in result.stdout
    for entry in ("- b breaking (", "- c (", "- a ("):
        assert entry not in result.stdout
    assert f"{URL}/compare/{final}...{rc}" in result.stdout
    log = invoke("-C", path, "log").stdout
    assert f"{rc} (" not in log  # a release of nothing: its commit is unreleased
    assert "Unreleased (2 commits)\n" in log
    assert log.count("d after the final release") == 1
    for merge in ("", "[tool.relnotes]\nchangelog_merge_prerelease = false\n"):
        (repo.path / "pyproject.toml").write_text(merge, encoding="utf-8")
        run(invoke, repo, "--full")
        text = changelog_of(repo)
        assert text.count("- d after the final release (") == 1
        assert "- d after the final release (" in section(text, "## [Unreleased](")
        assert "- c (" in section(text, f"## [{final.removeprefix('v')}](")
        assert f"[{rc.removeprefix('v')}]" not in text
    repo.tag(final.replace("2.0.0", "2.1.0"))
    notes = invoke("-C", path, "notes", final.replace("2.0.0", "2.1.0")).stdout
    assert "- d after the final release (" in notes
    assert f"{URL}/compare/{final}...{final.replace('2.0.0', '2.1.0')}" in notes
