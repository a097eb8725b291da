"""`relnotes tag`: the changelog commit, then the tag whose message is what `notes` publishes.

Every refusal on a real repository (with a real remote), each leaving everything as it was.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from freezegun import freeze_time

from relnotes.git import tag_message

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Invoke
    from tests.helpers import GitRepo

PYPROJECT = """\
[project]
name = "demo"
dynamic = ["version"]

[tool.relnotes]
repository = "https://github.com/acme/demo"
"""


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    path = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True)
    return path


@pytest.fixture
def project(repo: GitRepo, origin: Path, invoke: Invoke) -> GitRepo:
    """v1.0.0 with its changelog, two commits to release, pushed: main level with origin."""
    repo.write("pyproject.toml", PYPROJECT)
    repo.commit("feat: read the settings")
    repo.tag("v1.0.0", annotated=True)
    invoke("-C", str(repo.path), "changelog")
    repo.git("add", "CHANGELOG.md")
    repo.commit("docs: the changelog")
    repo.commit("feat(cli): add --json\n\nCo-authored-by: Grace Hopper <grace@example.org>")
    repo.commit("fix: exit 2 on a missing file (#3)")
    repo.git("remote", "add", "origin", str(origin))
    repo.git("push", "-q", "-u", "origin", "main", "refs/tags/v1.0.0")
    repo.git("remote", "set-head", "origin", "main")
    return repo


def state(repo: GitRepo) -> tuple[str, str, str, str]:
    """Everything a refusal or a dry run must leave as it was."""
    changelog = repo.path / "CHANGELOG.md"
    return (
        repo.git("rev-parse", "HEAD"),
        repo.git("tag"),
        repo.git("status", "--porcelain"),
        changelog.read_text(encoding="utf-8") if changelog.exists() else "",
    )


def tag(invoke: Invoke, repo: GitRepo, *args: str, code: int = 0) -> tuple[str, str]:
    result = invoke("-C", str(repo.path), "tag", *args, code=code)
    return result.stdout, result.stderr


def side_commit(repo: GitRepo, parent: str, message: str) -> str:
    """A commit on no branch (as another clone would have made it)."""
    tree = repo.git("rev-parse", f"{parent}^{{tree}}").strip()
    return repo.git("commit-tree", tree, "-p", parent, "-m", message).strip()


def test_tag_commits_the_changelog_then_tags_with_the_notes(
    invoke: Invoke, project: GitRepo, origin: Path
) -> None:
    before = project.head()
    with freeze_time("2026-03-01 23:59:59"):  # one moment dates all three, even at midnight
        out, err = tag(invoke, project)
    assert err.splitlines()[0] == "next version: 1.1.0, tag v1.1.0 (MINOR) since v1.0.0"
    head = project.head()
    assert project.git("log", "-1", "--format=%s%n%P").split() == [
        "chore(release):",
        "v1.1.0",
        before,
    ]
    assert out.splitlines() == [
        f"CHANGELOG.md: added 1.1.0, committed as {head[:7]}",
        f"tagged v1.1.0 on {head[:7]} (annotated): its message is the body",
        "push it: git push --atomic origin main v1.1.0",
    ]
    changelog = (project.path / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [1.1.0](https://github.com/acme/demo/compare/v1.0.0...v1.1.0) - 2026-03-01\n" in (
        changelog
    )
    assert "Unreleased" not in changelog
    assert project.git("rev-parse", "v1.1.0^{commit}").strip() == head
    assert project.git("cat-file", "-t", "v1.1.0").strip() == "tag"
    assert project.git("tag", "-l", "--format=%(creatordate:short)", "v1.1.0").strip() == (
        "2026-03-01"
    )
    notes = invoke("-C", str(project.path), "notes", "v1.1.0").stdout
    assert notes.startswith("## 1.1.0 (2026-03-01)\n")
    assert tag_message(str(project.path), "v1.1.0") == notes  # byte for byte
    assert "- Grace Hopper (first contribution)\n" in notes
    assert "chore(release)" not in notes
    # the checks a tag run makes pass on it; nothing was pushed
    invoke("-C", str(project.path), "check", "--range", "HEAD~1..HEAD")
    invoke("-C", str(project.path), "changelog", "--check", "--no-unreleased")
    assert (
        "v1.1.0"
        not in subprocess.run(
            ["git", "-C", str(origin), "tag"], capture_output=True, text=True, check=True
        ).stdout
    )


def test_dry_run_shows_it_all_and_changes_nothing(invoke: Invoke, project: GitRepo) -> None:
    before = state(project)
    with freeze_time("2026-03-02 10:00:00"):
        out, _ = tag(invoke, project, "--dry-run")
    assert state(project) == before
    diff, _, rest = out.partition("\nwould commit CHANGELOG.md as: chore(release): v1.1.0\n")
    assert diff.startswith("--- a/CHANGELOG.md\n+++ b/CHANGELOG.md\n@@ ")
    assert (
        "\n+## [1.1.0](https://github.com/acme/demo/compare/v1.0.0...v1.1.0) - 2026-03-02" in diff
    )
    head, _, body = rest.partition("\n\n")
    assert head == "\nwould make the annotated tag v1.1.0 on that commit, its message:"
    body, _, tail = body.partition("\n\nthen push it: ")
    assert tail == "git push --atomic origin main v1.1.0\ndry run: nothing was changed\n"
    with freeze_time("2026-03-02 10:00:00"):
        tag(invoke, project)
    assert tag_message(str(project.path), "v1.1.0") == body + "\n"  # what the dry run showed


def test_no_changelog_tags_head(invoke: Invoke, project: GitRepo) -> None:
    head = project.head()
    changelog = (project.path / "CHANGELOG.md").read_text(encoding="utf-8")
    out, _ = tag(invoke, project, "--no-changelog")
    assert project.head() == head
    assert project.git("rev-parse", "v1.1.0^{commit}").strip() == head
    assert (project.path / "CHANGELOG.md").read_text(encoding="utf-8") == changelog
    assert out.startswith(f"tagged v1.1.0 on {head[:7]} (annotated)")


def test_a_project_without_a_changelog_gets_none(invoke: Invoke, repo: GitRepo) -> None:
    repo.commit("feat: one")
    out, err = tag(invoke, repo)
    assert err.splitlines()[1:] == [
        "warning: main has no upstream branch: it was not compared with a remote"
    ]
    assert not (repo.path / "CHANGELOG.md").exists()
    assert out.splitlines()[-1] == "push it: git push --atomic REMOTE main v0.1.0"
    assert tag_message(str(repo.path), "v0.1.0").startswith("## 0.1.0 (")


def test_push_sends_the_branch_and_the_tag(invoke: Invoke, project: GitRepo, origin: Path) -> None:
    out, _ = tag(invoke, project, "--push")
    assert out.splitlines()[-1] == "pushed: git push --atomic origin main v1.1.0"
    remote = ["git", "-C", str(origin), "rev-parse", "main", "v1.1.0^{commit}"]
    pushed = subprocess.run(remote, capture_output=True, text=True, check=True)
    assert pushed.stdout.split() == [project.head(), project.head()]


# -- refusals: one line, a hint, and nothing changed --------------------------------------


def refused(invoke: Invoke, repo: GitRepo, *args: str, code: int = 2) -> str:
    before = state(repo)
    _, err = tag(invoke, repo, *args, code=code)
    assert state(repo) == before
    lines = [line for line in err.splitlines() if not line.startswith(("warning:", "next "))]
    assert len(lines) == 2, err
    assert lines[1].startswith("  hint: "), err
    return "\n".join(lines)


def test_refuses_a_dirty_work_tree(invoke: Invoke, project: GitRepo) -> None:
    (project.path / "pyproject.toml").write_text(PYPROJECT + "# edited\n", encoding="utf-8")
    assert refused(invoke, project).startswith(
        "relnotes: error: the work tree has uncommitted changes"
    )


def test_refuses_a_detached_head(invoke: Invoke, project: GitRepo) -> None:
    project.git("checkout", "-q", "--detach")
    assert refused(invoke, project) == (
        f"relnotes: error: HEAD is detached (at {project.head()[:7]}): a release is tagged on "
        "a branch\n  hint: switch to the release branch (git switch main)"
    )


def test_refuses_another_branch_unless_allowed(invoke: Invoke, project: GitRepo) -> None:
    project.branch("maint/1.0")
    assert refused(invoke, project).startswith(
        "relnotes: error: HEAD is on maint/1.0, not on the release branch main\n"
        "  hint: switch to it (git switch main); for a maintenance branch, pass --allow-branch"
    )
    out, _ = tag(invoke, project, "--allow-branch")
    assert "tagged v1.1.0" in out


def test_the_release_branch_is_the_remotes_head_or_the_configured_one(
    invoke: Invoke, project: GitRepo
) -> None:
    project.git("update-ref", "refs/remotes/origin/trunk", "HEAD")
    project.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk")
    assert "not on the release branch trunk" in refused(invoke, project)
    config = PYPROJECT + 'release_branch = "main"\n'
    project.write("pyproject.toml", config)
    project.commit("chore: tag on main")
    project.git("push", "-q", "origin", "main")
    assert "tagged v1.1.0" in tag(invoke, project)[0]


def test_refuses_a_branch_behind_its_upstream(invoke: Invoke, project: GitRepo) -> None:
    newer = side_commit(project, "HEAD", "fix: pushed from elsewhere")
    project.git("update-ref", "refs/remotes/origin/main", newer)  # as `git fetch` would
    assert refused(invoke, project) == (
        "relnotes: error: main is 1 commit behind origin/main (as git last saw it: "
        "`git fetch origin` updates origin/main)\n"
        "  hint: pull first (git pull --ff-only): the release would leave those commits out"
    )


def test_refuses_a_branch_ahead_of_its_upstream(invoke: Invoke, project: GitRepo) -> None:
    project.commit("fix: not pushed")
    project.commit("fix: nor this")
    assert refused(invoke, project).startswith(
        "relnotes: error: main is 2 commits ahead of origin/main: not pushed, not checked by CI"
    )


def test_refuses_a_branch_diverged_from_its_upstream(invoke: Invoke, project: GitRepo) -> None:
    newer = side_commit(project, "HEAD", "fix: pushed from elsewhere")
    project.git("update-ref", "refs/remotes/origin/main", newer)
    project.commit("fix: not pushed")
    assert refused(invoke, project).startswith(
        "relnotes: error: main and origin/main have diverged (1 commit here, 1 commit there)"
    )


def test_refuses_a_version_whose_tag_exists_in_any_spelling(
    invoke: Invoke, project: GitRepo
) -> None:
    elsewhere = side_commit(project, "v1.0.0^{commit}", "feat: on a branch that was deleted")
    project.git("tag", "1.1.0", elsewhere)  # the same version, spelled without the v
    assert refused(invoke, project).startswith(
        "relnotes: error: version 1.1.0 is published already: tag 1.1.0 exists"
    )


def test_refuses_when_nothing_asks_for_a_release(invoke: Invoke, project: GitRepo) -> None:
    tag(invoke, project, "--no-changelog")
    project.commit("chore: tidy")
    project.git("push", "-q", "origin", "main")
    assert refused(invoke, project, code=1).startswith(
        "relnotes: error: nothing to release since v1.1.0: 1 commit, none a feat, fix"
    )


def test_refuses_a_release_message_the_check_refuses(invoke: Invoke, project: GitRepo) -> None:
    project.write("pyproject.toml", PYPROJECT + 'release_message = "Release $tag"\n')
    project.commit("chore: a release message")
    project.git("push", "-q", "origin", "main")
    assert refused(invoke, project).startswith(
        "relnotes: error: release_message 'Release v1.1.0' does not pass relnotes check:"
    )


def test_push_needs_a_remote(invoke: Invoke, repo: GitRepo) -> None:
    repo.commit("feat: one")
    assert refused(invoke, repo, "--push").startswith(
        "relnotes: error: --push: this repository has no remote to push to"
    )


def test_a_custom_release_message(invoke: Invoke, project: GitRepo) -> None:
    project.write(
        "pyproject.toml",
        PYPROJECT + 'release_message = "chore(release): $version after $previous_tag"\n',
    )
    project.commit("chore: a release message")
    project.git("push", "-q", "origin", "main")
    tag(invoke, project)
    assert project.git("log", "-1", "--format=%B") == "chore(release): 1.1.0 after v1.0.0\n\n"


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen signs the tag")
def test_signed_with_sign_or_as_git_is_set(
    invoke: Invoke, project: GitRepo, tmp_path: Path
) -> None:
    key = tmp_path / "signing-key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    project.git("config", "gpg.format", "ssh")
    project.git("config", "user.signingKey", str(key))
    out, _ = tag(invoke, project, "--sign", "--no-changelog")
    assert "(signed annotated)" in out
    raw = project.git("cat-file", "tag", "v1.1.0")
    assert "-----BEGIN SSH SIGNATURE-----" in raw
    notes = invoke("-C", str(project.path), "notes", "v1.1.0").stdout
    assert tag_message(str(project.path), "v1.1.0") == notes  # the signature aside
    # as git is set: tag.gpgSign
    project.git("tag", "-d", "v1.1.0")
    project.git("config", "tag.gpgSign", "true")
    out, _ = tag(invoke, project, "--no-changelog")
    assert "(signed annotated)" in out
    assert "-----BEGIN SSH SIGNATURE-----" in project.git("cat-file", "tag", "v1.1.0")


def test_a_changelog_in_its_own_style_gets_the_release_in_that_style(
    invoke: Invoke, repo: GitRepo
) -> None:
    repo.commit("feat: read the settings")
    repo.tag("v1.0.0", annotated=True)
    repo.write(
        "CHANGELOG.md",
        "## v1.0.0 (2026-01-01)\n\n### Feat\n\n- read the settings\n",  # as commitizen writes
    )
    repo.commit("chore: the changelog")
    repo.commit("fix: a bug")
    with freeze_time("2026-04-01 12:00:00"):
        tag(invoke, repo)
    assert (repo.path / "CHANGELOG.md").read_text(encoding="utf-8") == (
        "## v1.0.1 (2026-04-01)\n\n### Fix\n\n- a bug\n\n"
        "## v1.0.0 (2026-01-01)\n\n### Feat\n\n- read the settings\n"
    )


def test_a_prerelease_gets_its_section_then_folds_into_the_final(
    invoke: Invoke, project: GitRepo
) -> None:
    """The release being tagged gets its section, a pre-release too (as a new file would
    list it); once the final release is tagged, the final's section takes it in."""
    out, _ = tag(invoke, project, "--prerelease", "rc")
    assert out.splitlines()[0].startswith("CHANGELOG.md: added 1.1.0rc0, committed as ")
    changelog = (project.path / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [1.1.0rc0](https://github.com/acme/demo/compare/v1.0.0...v1.1.0rc0)" in changelog
    assert "Unreleased" not in changelog
    project.git("push", "-q", "origin", "main")
    out, _ = tag(invoke, project)
    assert out.splitlines()[0].startswith("CHANGELOG.md: added 1.1.0, committed as ")
    changelog = (project.path / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [1.1.0](https://github.com/acme/demo/compare/v1.0.0...v1.1.0)" in changelog
    assert "1.1.0rc0" not in changelog
    assert "Unreleased" not in changelog


def test_a_project_in_a_subfolder(invoke: Invoke, repo: GitRepo) -> None:
    repo.write("pkg/pyproject.toml", PYPROJECT + 'release_message = "chore(release): pkg $tag"\n')
    repo.commit("feat: one")
    repo.tag("v1.0.0")
    repo.write("pkg/CHANGELOG.md", "# Changelog\n")
    repo.commit("chore: a changelog")
    repo.commit("fix: two")
    result = invoke("-C", str(repo.path / "pkg"), "tag")
    head = repo.head()[:7]
    assert result.stdout.splitlines()[0] == f"CHANGELOG.md: added 1.0.1, 1.0.0, committed as {head}"
    assert repo.git("log", "-1", "--format=%s", "--name-only").split() == [
        "chore(release):", "pkg", "v1.0.1", "pkg/CHANGELOG.md"
    ]  # fmt: skip
    assert "## [1.0.1](https://github.com/acme/demo/compare/v1.0.0...v1.0.1)" in (
        repo.path / "pkg" / "CHANGELOG.md"
    ).read_text(encoding="utf-8")


# -- the branch, its upstream and the remotes, as GitPython reads them ---------------------


def dry_run(invoke: Invoke, repo: GitRepo, *args: str) -> tuple[str, str]:
    before = state(repo)
    out, err = tag(invoke, repo, "--dry-run", *args)
    assert state(repo) == before
    return out, err


def test_an_upstream_that_is_gone_is_a_warning(invoke: Invoke, project: GitRepo) -> None:
    project.git("update-ref", "-d", "refs/remotes/origin/main")  # as `git fetch --prune` would
    out, err = dry_run(invoke, project)
    assert (
        "warning: main's upstream origin/main is gone (as git last saw it: `git fetch origin` "
        "updates origin/main)"
    ) in err.splitlines()
    assert out.splitlines()[-2] == "then push it: git push --atomic origin main v1.1.0"


def test_an_upstream_in_packed_refs_or_a_local_one_is_compared(
    invoke: Invoke, project: GitRepo
) -> None:
    project.git("pack-refs", "--all")
    project.commit("fix: not pushed")
    assert refused(invoke, project).startswith(
        "relnotes: error: main is 1 commit ahead of origin/main: not pushed, not checked by CI"
    )
    project.branch("base")
    project.checkout("main")
    project.git("branch", "-q", "--set-upstream-to", "base")  # branch.main.remote = .
    project.commit("fix: not on base")
    assert refused(invoke, project).startswith(
        "relnotes: error: main is 1 commit ahead of base: not pushed, not checked by CI"
    )


def test_an_upstream_branch_of_another_name_is_pushed_to(invoke: Invoke, project: GitRepo) -> None:
    project.git("push", "-q", "origin", "main:trunk")
    project.git("branch", "-q", "--set-upstream-to", "origin/trunk")
    out, _ = dry_run(invoke, project, "--allow-branch")
    assert out.splitlines()[-2] == "then push it: git push --atomic origin main:trunk v1.1.0"


def test_without_a_remote_head_the_release_branch_is_main(invoke: Invoke, project: GitRepo) -> None:
    project.git("remote", "set-head", "origin", "--delete")
    project.git("switch", "-q", "-c", "trunk")
    assert "HEAD is on trunk, not on the release branch main" in refused(invoke, project)
    project.git("remote", "add", "mirror", str(project.path))  # a second remote, no HEAD either
    project.git("update-ref", "refs/remotes/mirror/trunk", "HEAD")
    project.git("symbolic-ref", "refs/remotes/mirror/HEAD", "refs/remotes/mirror/trunk")
    assert "HEAD is on trunk, not on the release branch main" in refused(invoke, project)


def test_a_linked_worktree_is_read_on_its_own_branch(
    invoke: Invoke, project: GitRepo, tmp_path: Path
) -> None:
    worktree = tmp_path / "linked"
    project.git("worktree", "add", "-q", "-b", "maint", str(worktree))
    result = invoke("-C", str(worktree), "tag", "--dry-run", code=2)
    assert result.stderr.startswith(
        "relnotes: error: HEAD is on maint, not on the release branch main\n"
    )


def test_a_hooks_git_dir_does_not_redirect_the_reads(
    invoke: Invoke, project: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    subprocess.run(["git", "init", "-q", "-b", "elsewhere", str(other)], check=True)
    with monkeypatch.context() as hook:  # what git exports into a hook, for another repository
        hook.setenv("GIT_DIR", str(other / ".git"))
        hook.setenv("GIT_WORK_TREE", str(other))
        hook.setenv("GIT_COMMON_DIR", str(other / ".git"))
        out, _ = tag(invoke, project, "--dry-run")
    assert out.splitlines()[-2] == "then push it: git push --atomic origin main v1.1.0"


def test_tag_gpgsign_is_read_as_git_reads_it(
    invoke: Invoke, project: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "global-config"  # not ~/.gitconfig: GIT_CONFIG_GLOBAL names it
    elsewhere.write_text("[tag]\n\tgpgSign = yes\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(elsewhere))
    assert "would make the signed annotated tag v1.1.0" in dry_run(invoke, project)[0]
    project.git("config", "tag.gpgSign", "false")  # the repository's own setting wins
    assert "would make the annotated tag v1.1.0" in dry_run(invoke, project)[0]


def test_a_configuration_gitpython_cannot_read_is_an_error(
    invoke: Invoke, project: GitRepo
) -> None:
    config = project.path / ".git" / "config"
    config.write_bytes(config.read_bytes() + b"[user]\n\tname = Jos\xe9\n")  # Latin-1: git reads it
    assert refused(invoke, project).startswith(
        f"relnotes: error: cannot read the branch and remotes of {project.path}: 'utf-8' codec"
    )


def test_a_broken_configuration_is_an_error(invoke: Invoke, project: GitRepo) -> None:
    config = project.path / ".git" / "config"
    config.write_text(config.read_text(encoding="utf-8") + "[broken\n", encoding="utf-8")
    _, err = tag(invoke, project, code=2)
    assert err.startswith("relnotes: error: ")
    assert "config" in err.splitlines()[0]
    assert "Traceback" not in err


def test_only_tag_imports_gitpython(project: GitRepo) -> None:
    probe = (
        "import sys; from relnotes.__main__ import main; code = main(sys.argv[1:]);"
        "print(code, 'git' in sys.modules, file=sys.stderr)"
    )
    seen = {}
    commands = (["notes"], ["preview"], ["changelog", "--check"], ["log"], ["tag", "--dry-run"])
    for command in commands:
        done = subprocess.run(
            [sys.executable, "-c", probe, "-C", str(project.path), *command],
            capture_output=True,
            text=True,
            check=False,
        )
        seen[command[0]] = done.stderr.splitlines()[-1]
    assert seen == {
        "notes": "0 False",
        "preview": "0 False",
        "changelog": "1 False",  # it is behind: two commits to release
        "log": "0 False",
        "tag": "0 True",
    }
