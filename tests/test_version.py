"""The next version: which commits bump what, through commitizen's schemes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from relnotes.config import bump_pattern
from relnotes.version import TagFormat, pep440, spelled_scheme, version_like

if TYPE_CHECKING:
    from tests.conftest import Invoke
    from tests.helpers import GitRepo


def next_version(repo: GitRepo, invoke: Invoke, *args: str, code: int = 0) -> str:
    return invoke("-C", str(repo.path), "next-version", *args, code=code).stdout.strip()


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        (["fix: a"], "1.2.4"),
        (["perf: a", "refactor: b"], "1.2.4"),
        (["fix: a", "feat: b"], "1.3.0"),
        (["feat: a", "fix!: b"], "2.0.0"),
        (["docs: a\n\nBREAKING CHANGE: the docs moved"], "2.0.0"),
        (["chore!: drop support"], "2.0.0"),
    ],
)
def test_bumps(repo: GitRepo, invoke: Invoke, messages: list[str], expected: str) -> None:
    repo.commit("feat: base")
    repo.tag("v1.2.3")
    for message in messages:
        repo.commit(message)
    assert next_version(repo, invoke) == expected


def test_nothing_to_release_exits_1_with_a_hint(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: base")
    repo.tag("v1.2.3")
    repo.commit("docs: a")
    repo.commit("fixup! docs: a")
    result = invoke("-C", str(repo.path), "next-version", code=1)
    assert result.stdout == ""
    assert "nothing to release since v1.2.3: 2 commits" in result.stderr
    assert "--increment PATCH" in result.stderr
    assert next_version(repo, invoke, "--increment", "patch") == "1.2.4"


def test_major_version_zero(repo: GitRepo, invoke: Invoke) -> None:
    repo.write(".cz.toml", "[tool.commitizen]\nmajor_version_zero = true\n")
    repo.commit("feat: base")
    repo.tag("v0.4.1")
    repo.commit("feat!: break")
    assert next_version(repo, invoke) == "0.5.0"


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [("pep440", "1.3.0rc0"), ("semver", "1.3.0-rc0"), ("semver2", "1.3.0-rc.0")],
)
def test_prerelease_in_each_scheme(
    repo: GitRepo, invoke: Invoke, scheme: str, expected: str
) -> None:
    repo.write("pyproject.toml", f'[tool.relnotes]\nversion_scheme = "{scheme}"\n')
    repo.commit("feat: base")
    repo.tag("v1.2.0")
    repo.commit("feat: more")
    assert next_version(repo, invoke, "--prerelease", "rc") == expected


def test_final_release_after_a_prerelease(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: base")
    repo.tag("v1.3.0rc0")
    repo.commit("fix: last fix")
    assert next_version(repo, invoke) == "1.3.0"
    assert next_version(repo, invoke, "--prerelease", "rc") == "1.3.0rc1"


@pytest.mark.parametrize(
    ("candidate", "after", "beta"),
    [
        ("v1.0.1-rc.1", "1.0.1-rc.2", "1.1.0-beta.0"),  # SemVer 2
        ("v1.0.1-rc1", "1.0.1-rc2", "1.1.0-b0"),  # commitizen's semver
        ("v1.0.1rc1", "1.0.1rc2", "1.1.0b0"),  # PEP 440
        ("1.0.1-rc.1", "1.0.1-rc.2", "1.1.0-beta.0"),  # no "v": the convention holds too
    ],
)
def test_the_next_prerelease_is_spelled_as_the_last(
    repo: GitRepo, invoke: Invoke, candidate: str, after: str, beta: str
) -> None:
    """Without a configured version_scheme, a pre-release is spelled as the newest
    pre-release tag spells it, and so is its tag; the final release is plain."""
    repo.commit("feat: base")
    repo.tag(candidate.replace("1.0.1", "1.0.0").split("-")[0].split("rc")[0])
    repo.commit("fix: a fix")
    repo.tag(candidate)
    repo.commit("fix: another")
    assert next_version(repo, invoke, "--prerelease", "rc") == after
    preview = invoke("-C", str(repo.path), "preview", "--prerelease", "rc")
    prefix = "v" if candidate.startswith("v") else ""
    assert f"tag {prefix}{after} " in preview.stderr
    assert next_version(repo, invoke) == "1.0.1"
    repo.commit("feat: a feature")
    assert next_version(repo, invoke, "--prerelease", "beta") == beta


@pytest.mark.parametrize(
    ("maintenance", "main", "after"),
    [("v1.0.1rc1", "v1.1.0-rc.1", "1.0.1rc2"), ("v1.0.1-rc.1", "v1.1.0rc1", "1.0.1-rc.2")],
)
def test_a_maintenance_branch_keeps_its_own_series_spelling(
    repo: GitRepo, invoke: Invoke, maintenance: str, main: str, after: str
) -> None:
    """The pre-release HEAD continues speaks, not a higher one on another line."""
    repo.commit("feat: base")
    repo.tag("v1.0.0")
    repo.commit("feat: on main")
    repo.tag(main)
    repo.branch("1.0.x", "v1.0.0")
    repo.commit("fix: on 1.0.x")
    repo.tag(maintenance)
    repo.commit("fix: more on 1.0.x")
    assert next_version(repo, invoke, "--prerelease", "rc") == after
    repo.checkout("main")
    repo.commit("feat: more on main")
    spelled = "1.1.0-rc.2" if "-" in main else "1.1.0rc2"
    assert next_version(repo, invoke, "--prerelease", "rc") == spelled


def test_a_development_release_does_not_decide_the_spelling(repo: GitRepo, invoke: Invoke) -> None:
    """``1.1.0.dev1`` has one spelling in every scheme: the rc before it still speaks."""
    repo.commit("feat: base")
    repo.tag("v1.0.0-rc.1")
    repo.commit("fix: a fix")
    repo.tag("v1.0.0")
    repo.commit("feat: next")
    repo.tag("v1.1.0.dev1")
    repo.commit("feat: more")
    assert next_version(repo, invoke, "--prerelease", "rc") == "1.1.0-rc.0"


def test_a_configured_scheme_wins_over_the_tags_spelling(repo: GitRepo, invoke: Invoke) -> None:
    repo.write("pyproject.toml", '[tool.relnotes]\nversion_scheme = "pep440"\n')
    repo.commit("feat: base")
    repo.tag("v1.0.0")
    repo.commit("fix: a fix")
    repo.tag("v1.0.1-rc.1")
    repo.commit("fix: another")
    assert next_version(repo, invoke, "--prerelease", "rc") == "1.0.1rc2"


@pytest.mark.parametrize(
    ("text", "scheme"),
    [
        ("1.0.1-rc.1", "semver2"),
        ("2.0.0-alpha.3", "semver2"),
        ("1.0.1-rc1", "semver"),
        ("1.0.1-b2", "semver"),
        ("1.0.1rc1", "pep440"),
        ("1.0.1-rc", "pep440"),
        ("1.0.1", "pep440"),
        ("1.0.1.post1", "pep440"),
    ],
)
def test_the_scheme_a_version_is_spelled_in(text: str, scheme: str) -> None:
    assert spelled_scheme(text) == scheme


def test_first_release(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: one")
    assert next_version(repo, invoke) == "0.1.0"
    repo.write("pyproject.toml", '[tool.relnotes]\ninitial_version = "1.0.0"\n')
    repo.commit("chore: config")
    assert next_version(repo, invoke) == "1.0.0"


def test_current_version_from_config_before_the_first_tag(repo: GitRepo, invoke: Invoke) -> None:
    repo.write(".cz.toml", '[tool.commitizen]\nversion = "2.4.0"\n')
    repo.commit("fix: one")
    assert next_version(repo, invoke) == "2.4.1"


def test_explain_names_the_deciding_commits(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: base")
    repo.tag("v1.0.0")
    fix = repo.commit("fix: small")[:7]
    feat = repo.commit("feat(cli): add --json")[:7]
    feat2 = repo.commit("feat: another")[:7]
    result = invoke("-C", str(repo.path), "next-version", "--explain")
    assert result.stdout == "1.1.0\n"
    assert result.stderr.splitlines() == [
        "current: v1.0.0; 3 commit(s) since",
        "bump: MINOR, decided by:",
        f"  {feat2} feat: another  (type feat)",
        f"  {feat} feat(cli): add --json  (type feat)",
        "next: 1.1.0 (tag v1.1.0)",
    ]
    assert fix not in result.stderr


def test_base_is_the_highest_tag_head_reaches(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: base")
    repo.tag("v1.0.0")
    repo.branch("maint")
    repo.checkout("main")
    repo.commit("feat!: big")
    repo.tag("v2.0.0")
    repo.checkout("maint")
    repo.commit("fix: backport")
    assert next_version(repo, invoke) == "1.0.1"


def test_tag_format_and_pep440() -> None:
    fmt = TagFormat("v$version", ["$version"])
    assert str(fmt.version_of("v1.2.0-rc.1")) == "1.2.0rc1"
    assert str(fmt.version_of("1.2.0")) == "1.2.0"
    assert fmt.version_of("vnext") is None
    assert fmt.tag_for("1.2.0") == "v1.2.0"
    assert pep440("1.2.0-rc.1") == "1.2.0rc1"
    assert pep440("not a version") == "not a version"
    assert fmt.match("1.2.0") == (1, fmt.version_of("v1.2.0"))  # the second format read it


@pytest.mark.parametrize(
    ("tag", "seen"),
    [
        ("v1.2.0", "v$version"),
        ("1.2.0", "$version"),
        ("release-0.3.0", "release-$version"),
        ("pkg/v1.2.0-rc.1", "pkg/v$version"),
        ("V1.2", "V$version"),
        ("nightly", None),
        ("release-7", None),
        ("v-not-a-version", None),
        ("v1.2.x", None),
    ],
)
def test_tags_that_look_like_versions(tag: str, seen: str | None) -> None:
    found = version_like(tag)
    assert (found[0] if found else None) == seen


def test_ignored_tag_formats_use_a_star_for_any_text() -> None:
    ignored = TagFormat.ignoring(["other-*", "ci-$version"])
    assert [ignored(t) for t in ("other-1.2.0", "ci-1.0", "v1.0", "ci-x")] == [
        True,
        True,
        False,
        False,
    ]


def test_bump_message_pattern() -> None:
    default = bump_pattern("bump: version $current_version \u2192 $new_version")
    assert default.fullmatch("bump: version 1.2.0 \u2192 1.3.0rc0")
    assert not default.fullmatch("bump: version 1.2.0")
    custom = bump_pattern("release(${new_version}): from $current_version [skip ci]\n\nbody")
    assert custom.fullmatch("release(2.0.0): from 1.9.0 [skip ci]")
    assert not custom.fullmatch("release(2.0.0): from 1.9.0")


def test_a_reverted_commit_decides_nothing(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("fix: one")
    repo.tag("v1.0.0")
    tmp = repo.commit("feat!: tmp")
    repo.commit(f'Revert "feat!: tmp"\n\nThis reverts commit {tmp}.')
    repo.commit("fix: real")
    assert next_version(repo, invoke) == "1.0.1"


def test_reverts_made_in_the_same_second_still_cancel(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    epoch = repo.tick()
    for n in range(4):
        repo.git("commit", "-q", "--allow-empty", "-m", f"feat: tmp{n}", epoch=epoch)
        sha = repo.head()
        repo.git(
            "commit", "-q", "--allow-empty", "-m", f'Revert "feat: tmp{n}"',
            "-m", f"This reverts commit {sha}.", epoch=epoch,
        )  # fmt: skip
    repo.git("commit", "-q", "--allow-empty", "-m", "fix: kept", epoch=epoch)
    assert next_version(repo, invoke) == "1.0.1"
    log = invoke("-C", str(repo.path), "log", "v1.0.0..HEAD").stdout.splitlines()
    headers = [line.split("  ", 2)[2] for line in log[1::2]]
    assert headers[0] == "fix: kept"
    assert headers[-1] == "feat: tmp0"


def test_a_revert_of_a_released_change_is_a_patch(repo: GitRepo, invoke: Invoke) -> None:
    sha = repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.commit(f'Revert "feat: one"\n\nThis reverts commit {sha}.')
    assert next_version(repo, invoke) == "1.0.1"
    notes = invoke("-C", str(repo.path), "preview").stdout
    assert "### Reverts\n\n- feat: one (" in notes


def test_prerelease_alone_is_no_reason_to_release(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("fix: one")
    repo.tag("v1.0.0")
    repo.commit("docs: d")
    result = invoke("-C", str(repo.path), "next-version", "--prerelease", "rc", code=1)
    assert "nothing to release since v1.0.0" in result.stderr


def test_promoting_a_prerelease(repo: GitRepo, invoke: Invoke) -> None:
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.commit("fix: two")
    repo.commit("feat: three")
    repo.tag("v1.1.0rc1")
    result = invoke("-C", str(repo.path), "next-version", "--explain")
    assert result.stdout == "1.1.0\n"
    assert "the final release of v1.1.0rc1" in result.stderr
    preview = invoke("-C", str(repo.path), "preview")
    assert preview.stderr.splitlines()[0] == (
        "next version: 1.1.0, tag v1.1.0 (the final release of v1.1.0rc1) since v1.0.0"
    )
    assert "- three (" in preview.stdout
    assert "- two (" in preview.stdout


def test_a_forced_major_is_major_even_in_0x(repo: GitRepo, invoke: Invoke) -> None:
    repo.write("pyproject.toml", "[tool.relnotes]\nmajor_version_zero = true\n")
    repo.commit("feat: x")
    repo.tag("v0.3.0")
    repo.commit("fix: y")
    assert next_version(repo, invoke, "--increment", "MAJOR") == "1.0.0"


@pytest.mark.parametrize("key", ["version", "initial_version"])
def test_a_version_in_config_that_is_not_one(repo: GitRepo, invoke: Invoke, key: str) -> None:
    repo.write("pyproject.toml", f'[tool.relnotes]\n{key} = "banana"\n')
    repo.commit("fix: x")
    result = invoke("-C", str(repo.path), "next-version", code=2)
    assert f"{key} = 'banana' is not a version" in result.stderr
