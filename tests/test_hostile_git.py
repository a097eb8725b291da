"""Git settings and repositories that change what git prints or runs.

Every command reads the same history under a user configuration full of settings that change
git's output (signatures, colour, decorations, log.*, format.pretty, encodings) as under a
clean one; and no read-only command runs a program that a repository's own .git/config names
(gpg, fsmonitor, external diff, textconv, clean and process filters, hooks, pager, editor).
"""

from __future__ import annotations

import io
import json
import stat
import subprocess
import tarfile
import zipfile
from typing import TYPE_CHECKING

import pytest

from relnotes.cli import cli
from tests.helpers import GitRepo, isolate_git
from tests.sample_repo import build as build_sample

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Invoke

#: A gpg stand-in: it "signs" (what `git commit -S` asks) and "verifies" with chatter on
#: standard error, which `git log --show-signature` copies into its output.
FAKE_GPG = """\
#!/bin/sh
case " $* " in
  *" -bsau "*)
    cat >/dev/null
    echo "[GNUPG:] SIG_CREATED D 1 8 00 1767225600 ABCDEF0123456789" >&2
    printf -- '-----BEGIN PGP SIGNATURE-----\\n\\nZmFrZQ==\\n-----END PGP SIGNATURE-----\\n'
    ;;
  *)
    cat >/dev/null
    echo "gpg: Signature made Thu Jan  1 00:00:00 2026 UTC" >&2
    echo "gpg: Good signature from \\"Mallory <m@example.org>\\"" >&2
    echo "[GNUPG:] GOODSIG ABCDEF0123456789 Mallory <m@example.org>"
    ;;
esac
exit 0
"""


def script(path: Path, body: str) -> str:
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def marker_script(folder: Path, name: str, *, filter_like: bool = False) -> str:
    """A program that leaves ``folder/markers/name`` behind when it runs (and fails, or
    passes its input through when ``filter_like``)."""
    markers = folder / "markers"
    markers.mkdir(exist_ok=True)
    tail = "cat\n" if filter_like else "exit 1\n"
    return script(folder / name, f'touch "{markers / name}"\n{tail}')


def dist_files(folder: Path, name: str, version: str) -> Path:
    """A wheel and an sdist of ``name`` ``version`` (metadata only: enough for --no-install)."""
    folder.mkdir()
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    with zipfile.ZipFile(folder / f"{name}-{version}-py3-none-any.whl", "w") as wheel:
        wheel.writestr(f"{name}-{version}.dist-info/METADATA", metadata)
    with tarfile.open(folder / f"{name}-{version}.tar.gz", "w:gz") as sdist:
        data = metadata.encode()
        info = tarfile.TarInfo(f"{name}-{version}/PKG-INFO")
        info.size = len(data)
        sdist.addfile(info, io.BytesIO(data))
    return folder


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample repository plus a signed commit, a .mailmap, git notes and a file whose
    name git would quote, with its tree left dirty."""
    base = tmp_path_factory.mktemp("hostile")
    with pytest.MonkeyPatch.context() as mp:
        isolate_git(mp, base)
        dest = base / "sampleproj"
        build_sample(dest)
        repo = GitRepo.__new__(GitRepo)
        repo.path, repo.clock = dest, 1767225600 + 400 * 3600
        gpg = script(base / "fake-gpg", FAKE_GPG.removeprefix("#!/bin/sh\n"))
        repo.write(".mailmap", "Mapped Name <mapped@example.org> <ada@example.org>\n")
        repo.write("caf\u00e9 \u00fcber.txt", "quoted by core.quotePath\n")
        repo.commit("fix: a name git quotes (#30)")
        repo.git(
            "-c", f"gpg.program={gpg}", "-c", "user.signingKey=ABCDEF", "commit", "-q", "-S",
            "--allow-empty", "-m", "feat(sign): a signed commit",
        )  # fmt: skip
        repo.git("notes", "add", "-m", "a note that must not be read", "HEAD")
        (dest / "README.md").write_text("changed, not committed\n", encoding="utf-8")
    return dest


def hostile_config(base: Path, gpg: str) -> Path:
    """A user configuration with every setting that changes what git prints or runs."""
    config = base / "hostile.gitconfig"
    pager = marker_script(base, "pager")
    config.write_text(
        "[user]\n\tname = Test\n\temail = test@example.org\n\tsigningKey = ABCDEF\n"
        "[init]\n\tdefaultBranch = main\n"
        f"[gpg]\n\tprogram = {gpg}\n"
        "[commit]\n\tgpgSign = true\n"
        "[log]\n\tshowSignature = true\n\tabbrevCommit = true\n\tdecorate = full\n"
        "\tdate = relative\n\tfollow = true\n\tmailmap = true\n\tshowRoot = false\n"
        "\tinitialDecorationSet = all\n"
        "[format]\n\tpretty = format:%h %s%d\n"
        "[pretty]\n\tshort = format:%h\n"
        "[color]\n\tui = always\n\tdiff = always\n\tstatus = always\n\tbranch = always\n"
        "[core]\n\tquotePath = false\n\tabbrev = 5\n"
        f"\tpager = {pager}\n"
        "[i18n]\n\tlogOutputEncoding = ISO-8859-1\n\tcommitEncoding = ISO-8859-1\n"
        "[notes]\n\tdisplayRef = refs/notes/*\n"
        "[status]\n\tshort = true\n\tbranch = true\n\tshowUntrackedFiles = all\n"
        "\tsubmoduleSummary = true\n\trenames = copies\n"
        f"[pager]\n\tlog = {pager}\n\tstatus = {pager}\n"
        "[diff]\n\tnoprefix = true\n\tmnemonicPrefix = true\n\trenames = copies\n"
        "[tag]\n\tsort = -version:refname\n"
        "[versionsort]\n\tsuffix = -rc\n"
        "[column]\n\tui = always\n"
        "[grep]\n\tpatternType = perl\n",
        encoding="utf-8",
    )
    return config


def every_command(invoke: Invoke, repo: Path, dist: Path) -> dict[str, tuple[int, str, str]]:
    """Each read-only command once: command -> (exit code, stdout, stderr)."""
    at = ("-C", str(repo))
    commands: list[tuple[str, ...]] = [
        (*at, "preview", "--date", "2026-06-01"),
        (*at, "preview", "--date", "2026-06-01", "--format", "json"),
        (*at, "notes", "v0.3.0"),
        (*at, "notes", "v0.3.0", "--format", "json"),
        (*at, "log"),
        (*at, "log", "v0.2.0..HEAD", "--format", "json"),
        (*at, "next-version", "--explain"),
        (*at, "changelog", "--dry-run"),
        (*at, "changelog", "--check"),
        (*at, "check", "--range", "v0.1.0..HEAD"),
        (*at, "check", "--range", "v0.3.0..HEAD", "--format", "json"),
        (*at, "verify", str(dist), "--tag", "v0.3.0", "--no-install"),
        ("doctor", str(repo)),
        ("init", str(repo), "--dry-run"),
    ]
    results = {}
    for args in commands:
        result = invoke.runner.invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code in (0, 1, 2), f"relnotes {args}: exit {result.exit_code}"
        results[" ".join(args[2:] if args[0] == "-C" else args[:1])] = (
            result.exit_code,
            result.stdout,
            result.stderr,
        )
    return results


def test_every_command_reads_the_same_under_a_hostile_user_config(
    signed: Path, tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist = dist_files(tmp_path / "dist", "sampleproj", "0.3.1.dev0")
    clean = every_command(invoke, signed, dist)

    gpg = script(tmp_path / "fake-gpg", FAKE_GPG.removeprefix("#!/bin/sh\n"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(hostile_config(tmp_path, gpg)))
    hostile = every_command(invoke, signed, dist)

    assert list(hostile) == list(clean)
    for command, (code, out, err) in clean.items():
        assert hostile[command] == (code, out, err), f"relnotes {command} differs"
    assert list((tmp_path / "markers").iterdir()) == [], "a pager ran"

    # what was read is the history itself, not gpg's words
    notes = json.loads(clean["preview --date 2026-06-01 --format json"][1])
    commits = [c for s in notes["sections"] for c in s["commits"]]
    assert commits[0]["description"] == "a signed commit"
    assert all(len(c["sha"]) == 40 and int(c["sha"], 16) for c in commits)
    assert {c["author"] for c in commits} == {"Ada Lovelace", "Grace Hopper", "Linus Ærø"}
    assert "a name git quotes ([#30](" in clean["preview --date 2026-06-01"][1]
    assert "uncommitted changes" in clean["preview --date 2026-06-01"][2]
    assert "not the tag's commit" in clean[f"verify {dist} --tag v0.3.0 --no-install"][2]
    assert not any("gpg" in out + err for _, out, err in clean.values())
    mapped = {
        line.strip()
        for _, out, err in clean.values()
        for line in (out + err).splitlines()
        if "Mapped" in line
    }
    # the committed .mailmap names the contributors, as git shortlog would (and the same under
    # the user's log.mailmap): nothing else, and the commits' own authors stay as git has them
    assert mapped == {'"name": "Mapped Name",', "+- Mapped Name", "- Mapped Name"}


def test_nothing_the_repository_config_names_is_run(
    tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = GitRepo(tmp_path / "repo")
    gpg = script(tmp_path / "fake-gpg", FAKE_GPG.removeprefix("#!/bin/sh\n"))
    repo.write(".gitattributes", "*.txt filter=evil diff=evil\n*.dat filter=evilproc\n")
    repo.write("a.txt", "text\n")
    repo.write("b.dat", "data\n")
    repo.write("pyproject.toml", '[project]\nname = "evil"\n')
    repo.commit("feat: first")
    repo.tag("v0.1.0", annotated=True)
    repo.git("-c", f"gpg.program={gpg}", "commit", "-q", "-S", "--allow-empty", "-m", "fix: signed")
    repo.commit("feat: second")

    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("post-index-change", "post-checkout", "reference-transaction"):
        marker_script(tmp_path, hook)
        (hooks / hook).symlink_to(tmp_path / hook)
        (repo.path / ".git" / "hooks" / hook).symlink_to(tmp_path / hook)
    settings = {
        "gpg.program": marker_script(tmp_path, "gpg"),
        "gpg.ssh.program": marker_script(tmp_path, "gpg-ssh"),
        "log.showSignature": "true",
        "core.fsmonitor": marker_script(tmp_path, "fsmonitor"),
        "core.hooksPath": str(hooks),
        "core.pager": marker_script(tmp_path, "pager"),
        "core.editor": marker_script(tmp_path, "editor"),
        "diff.external": marker_script(tmp_path, "external-diff"),
        "diff.evil.textconv": marker_script(tmp_path, "textconv"),
        "diff.evil.command": marker_script(tmp_path, "diff-command"),
        "filter.evil.clean": marker_script(tmp_path, "clean", filter_like=True),
        "filter.evil.smudge": marker_script(tmp_path, "smudge", filter_like=True),
        "filter.evil.required": "true",
        "filter.evilproc.process": marker_script(tmp_path, "process"),
        "filter.evilproc.required": "true",
    }
    for key, value in settings.items():
        repo.git("config", key, value)
    dist = dist_files(tmp_path / "dist", "evil", "0.2.0.dev0")
    markers = tmp_path / "markers"
    every = [
        ("preview",),
        ("notes",),
        ("log",),
        ("next-version",),
        ("changelog", "--dry-run"),
        ("check", "--range", "v0.1.0..HEAD"),
        ("verify", str(dist), "--tag", "v0.1.0", "--no-install"),
    ]
    for args in every:
        for name in ("a.txt", "b.dat"):  # a changed timestamp: git must look at the content
            path = repo.path / name
            path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        result = invoke("-C", str(repo.path), *args, code=1 if args[0] == "verify" else 0)
        assert sorted(p.name for p in markers.iterdir()) == [], f"relnotes {args[0]} ran them"
        if args[0] == "preview":
            assert "signed" in result.stdout
    invoke.runner.invoke(cli, ["doctor", str(repo.path)], catch_exceptions=False)
    invoke("init", str(repo.path), "--dry-run", "--repository", "example/evil")
    assert sorted(p.name for p in markers.iterdir()) == []
    # the trap is real: git's own porcelain runs them
    repo.git("log", "-2")
    (repo.path / "a.txt").write_text("text\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(repo.path), "status"], capture_output=True, check=False)
    assert {"gpg", "fsmonitor", "clean", "process"} <= {p.name for p in markers.iterdir()}


def test_a_repository_whose_folder_name_is_not_utf8_is_read(tmp_path: Path, invoke: Invoke) -> None:
    """git prints the top level's path as the file system names it: a Latin-1 byte in a
    folder's name stays that byte (the folder is found, the changelog is inside it)."""
    import os
    import sys

    repo = GitRepo(tmp_path / os.fsdecode(b"caf\xe9"))
    repo.commit("feat: first")
    repo.tag("v1.0.0")
    repo.commit("fix: second")
    path = str(repo.path)
    for args in (("preview",), ("notes", "v1.0.0"), ("log",), ("next-version",)):
        result = invoke("-C", path, *args)
        assert "1.0" in result.stdout, args
    invoke("-C", path, "changelog")
    assert "### Fixes" in (repo.path / "CHANGELOG.md").read_text(encoding="utf-8")
    # and the console script's own path (no click) for notes and changelog --check
    for args in (("notes", "v1.0.0"), ("changelog", "--check")):
        done = subprocess.run(
            [sys.executable, "-m", "relnotes", "-C", path, *args],
            capture_output=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode(errors="replace")
