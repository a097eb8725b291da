"""`relnotes init` on real sample projects: what it writes, what it keeps, what it refuses.

The scaffolded pipeline is checked by the real linters (relnotes doctor, actionlint,
zizmor --offline, check-jsonschema), and the scaffolded project is built with
`python -m build` and checked with `relnotes verify` after a real tag.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

import relnotes
from relnotes.doctor import diagnose
from relnotes.errors import ConfigError, RelnotesError
from relnotes.scaffold import apply, diff, plan_init
from tests.helpers import GitRepo

if TYPE_CHECKING:
    from tests.conftest import Invoke

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
# What `uv init --package` writes, with a comment and a command that answers --version.
PYPROJECT = """\
[project]
name = "sample"
version = "0.1.0"  # written by hand until now
description = "A sample package"
readme = "README.md"
requires-python = ">=3.11"
dependencies = []

[project.scripts]
sample = "sample:main"

# how it is built
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"""
MAIN = """\
import sys
from importlib.metadata import version


def main() -> None:
    print(version("sample") if "--version" in sys.argv else "hello")
"""
WRITTEN = [
    ".github/workflows/release.yml",
    ".github/workflows/ci.yml",
    ".github/dependabot.yml",
    ".github/build-requirements.in",
    ".github/build-requirements.txt",
    ".github/check-requirements.in",
    ".github/check-requirements.txt",
    ".cz.toml",
    "pyproject.toml",
    ".pre-commit-config.yaml",
    "MILESTONES.md",
    "RELEASING.md",
]


@pytest.fixture(autouse=True)
def released(monkeypatch: pytest.MonkeyPatch) -> None:
    """The relnotes that runs init is a release (the tests run a development build)."""
    monkeypatch.setattr(relnotes, "__version__", "1.4.0", raising=False)


def sample(
    path: Path, pyproject: str = PYPROJECT, origin: str | None = "git@github.com:octo/sample.git"
) -> GitRepo:
    repo = GitRepo(path)
    repo.write("pyproject.toml", pyproject)
    repo.write("README.md", "# sample\n")
    repo.write("src/sample/__init__.py", MAIN)
    if origin:
        repo.git("remote", "add", "origin", origin)
    repo.commit("feat: the first feature")
    return repo


def run(*argv: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_init_writes_a_pipeline_every_linter_passes(tmp_path: Path, invoke: Invoke) -> None:
    root = sample(tmp_path / "sample").path
    result = invoke("init", str(root), code=0)
    verbs = ("created", "updated")
    listed = [line.split() for line in result.stdout.splitlines()]
    assert [words[1] for words in listed if words[0] in verbs] == WRITTEN
    assert "[project] version = '0.1.0' removed" in result.stdout
    assert diagnose(str(root)).findings == []
    workflows = [root / ".github/workflows/release.yml", root / ".github/workflows/ci.yml"]
    dependabot = root / ".github/dependabot.yml"
    linters = [
        [BIN / "actionlint", "-shellcheck=", "-pyflakes=", *workflows],
        [
            BIN / "zizmor",
            "--offline",
            "--persona",
            "pedantic",
            "--no-progress",
            root / ".github/workflows",
        ],
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows],
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.dependabot", dependabot],
        [BIN / "zizmor", "--offline", "--persona", "pedantic", "--no-progress", dependabot],
    ]
    for argv in linters:
        done = run(*argv, cwd=root)
        assert done.returncode == 0, f"{argv[0]}:\n{done.stdout}\n{done.stderr}"
    release = (root / ".github/workflows/release.yml").read_text()
    assert "github.repository == 'octo/sample'" in release
    assert "run: python -m pip install . pytest && python -m pytest\n" in release  # no Makefile
    assert "https://pypi.org/p/sample" in release
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())
    assert hooks["default_install_hook_types"] == ["pre-commit", "commit-msg"]
    assert hooks["repos"][0]["repo"] == "https://github.com/relnotes/relnotes"
    assert hooks["repos"][0]["hooks"] == [{"id": "relnotes"}]
    updates = yaml.safe_load(dependabot.read_text())["updates"]
    assert [(u["package-ecosystem"], u.get("directories") or u["directory"]) for u in updates] == [
        ("github-actions", ["/"]),
        ("pip", "/.github"),
    ]
    requirements = (root / ".github/build-requirements.txt").read_text()
    assert requirements == (ROOT / "templates/scaffold/build-requirements.txt").read_text()
    assert "-r .github/build-requirements.txt\n" in release
    releasing = (root / "RELEASING.md").read_text()
    for step in ("Workflow name: `release.yml`", "Environment name: `pypi`", "Required reviewers"):
        assert step in releasing
    for section in (
        "       relnotes tag --dry-run\n       relnotes tag\n",  # release day
        "### PyPI took some files, then the upload failed",  # the recoveries
        "### PyPI succeeded but `github-release` failed",
        "### The run passed but nothing was published",
        "### When a release is bad",
        "### Emergency manual publish",
    ):
        assert section in releasing, section
    assert "Owner: `octo`, repository name: `sample`" in releasing


@pytest.mark.slow
def test_the_scaffolded_project_builds_and_verifies_after_a_tag(
    tmp_path: Path, invoke: Invoke
) -> None:
    repo = sample(tmp_path / "sample")
    invoke("init", str(repo.path), code=0)
    repo.git("add", "-A")
    repo.commit("build: the release pipeline")
    repo.tag("v0.1.0", annotated=True)
    dist = repo.path / "dist"
    done = run(
        sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, ".", cwd=repo.path
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in dist.iterdir()) == [
        "sample-0.1.0-py3-none-any.whl",
        "sample-0.1.0.tar.gz",
    ]
    result = invoke("-C", str(repo.path), "verify", str(dist), "--tag", "v0.1.0", code=0)
    assert result.stdout == "verified: sample 0.1.0, matching tag v0.1.0\n"


def test_pyproject_is_edited_in_place(tmp_path: Path) -> None:
    root = sample(tmp_path / "sample").path
    apply(plan_init(str(root)))
    text = (root / "pyproject.toml").read_text()
    assert (
        text.index("[project.scripts]")
        < text.index("# how it is built")
        < text.index("[build-system]")
    )
    data = tomllib.loads(text)
    assert "version" not in data["project"]
    assert data["project"]["dynamic"] == ["version"]
    assert data["build-system"]["requires"] == ["hatchling", "hatch-vcs"]
    assert data["tool"]["hatch"]["version"] == {
        "source": "vcs",
        "raw-options": {"local_scheme": "no-local-version"},
    }
    assert data["tool"]["relnotes"] == {"repository": "https://github.com/octo/sample"}


def test_dry_run_writes_nothing_and_a_second_run_keeps_everything(
    tmp_path: Path, invoke: Invoke
) -> None:
    root = sample(tmp_path / "sample").path
    result = invoke("init", str(root), "--dry-run", code=0)
    assert result.stdout.startswith("--- /dev/null\n+++ b/.github/workflows/release.yml\n")
    assert '-version = "0.1.0"  # written by hand until now\n' in result.stdout
    assert "would update    pyproject.toml" in result.stderr
    assert not (root / ".github").exists()
    assert 'version = "0.1.0"' in (root / "pyproject.toml").read_text()
    invoke("init", str(root), code=0)
    again = plan_init(str(root))
    assert {c.action for c in again.changes} == {"keep"}
    assert diff(again) == ""


def test_a_changed_file_is_replaced_only_with_force(tmp_path: Path, invoke: Invoke) -> None:
    root = sample(tmp_path / "sample").path
    invoke("init", str(root), code=0)
    release = root / ".github/workflows/release.yml"
    release.write_text("# mine\n")
    (root / "MILESTONES.md").unlink()
    result = invoke("init", str(root), code=2)
    assert result.stderr.splitlines() == [
        "relnotes: error: init would overwrite .github/workflows/release.yml: nothing was written",
        "  hint: see the changes with --dry-run, then rerun with --force to replace them",
    ]
    assert release.read_text() == "# mine\n"
    assert not (root / "MILESTONES.md").exists()
    result = invoke("init", str(root), "--force", code=0)
    assert "replaced  .github/workflows/release.yml" in result.stdout
    assert "publish-pypi" in release.read_text()
    assert (root / "MILESTONES.md").exists()


def test_an_existing_pre_commit_config_gets_the_hook_added(tmp_path: Path) -> None:
    existing = (
        "# my hooks\n"
        "repos:\n"
        "- repo: https://github.com/astral-sh/ruff-pre-commit\n"
        "  rev: v0.6.0\n"
        "  hooks:\n"
        "  - id: ruff  # lint\n"
    )
    root = sample(tmp_path / "sample").path
    (root / ".pre-commit-config.yaml").write_text(existing)
    plan = plan_init(str(root))
    change = next(c for c in plan.changes if c.path == ".pre-commit-config.yaml")
    assert change.action == "update"
    apply(plan)
    text = (root / ".pre-commit-config.yaml").read_text()
    assert text.startswith("# my hooks\ndefault_install_hook_types: [pre-commit, commit-msg]\n")
    assert "  - id: ruff  # lint\n" in text
    repos = yaml.safe_load(text)["repos"]
    assert [r["repo"] for r in repos] == [
        "https://github.com/relnotes/relnotes",
        "https://github.com/astral-sh/ruff-pre-commit",
    ]
    assert {c.action for c in plan_init(str(root)).changes} == {"keep"}


def test_commitizen_settings_are_kept_and_a_tag_prefix_is_followed(tmp_path: Path) -> None:
    pyproject = PYPROJECT + '\n[tool.commitizen]\ntag_format = "rel$version"\n'
    root = sample(tmp_path / "sample", pyproject).path
    plan = plan_init(str(root))
    assert ".cz.toml" not in [c.path for c in plan.changes]
    apply(plan)
    release = yaml.safe_load((root / ".github/workflows/release.yml").read_text())
    assert release[True]["push"]["tags"] == ["rel*"]  # PyYAML reads `on` as YAML 1.1's true
    hatch = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["hatch"]["version"]
    assert hatch["tag-pattern"] == "^rel(?P<version>.+)$"
    assert diagnose(str(root)).findings == []


def test_the_matrix_follows_requires_python(tmp_path: Path) -> None:
    pyproject = PYPROJECT.replace(">=3.11", ">=3.9,<3.13")
    root = sample(tmp_path / "sample", pyproject).path
    apply(plan_init(str(root)))
    ci = yaml.safe_load((root / ".github/workflows/ci.yml").read_text())
    assert ci["jobs"]["check"]["strategy"]["matrix"]["python"] == ["3.9", "3.10", "3.11", "3.12"]
    assert [f.rule for f in diagnose(str(root)).findings] == []
    other = sample(tmp_path / "other").path
    apply(plan_init(str(other), python_versions=["3.12", "3.13"]))
    assert '["3.12", "3.13"]' in (other / ".github/workflows/ci.yml").read_text()


def test_the_tests_run_as_the_project_runs_them(tmp_path: Path) -> None:
    repo = sample(tmp_path / "sample")
    repo.write("Makefile", "# the targets\ncheck: lint ## everything\n\tpytest\n")
    apply(plan_init(str(repo.path)))
    assert "run: make check\n" in (repo.path / ".github/workflows/ci.yml").read_text()
    other = sample(tmp_path / "other").path
    apply(plan_init(str(other), test_command="tox run"))
    assert "run: tox run\n" in (other / ".github/workflows/ci.yml").read_text()


def test_where_the_names_come_from(tmp_path: Path, invoke: Invoke) -> None:
    plain = sample(tmp_path / "plain", origin=None).path
    result = invoke("init", str(plain), code=2)
    assert "no repository URL was found" in result.stderr
    assert "--repository OWNER/NAME" in result.stderr
    lab = sample(tmp_path / "lab", origin="https://gitlab.com/octo/sample.git").path
    assert "https://gitlab.com/octo/sample" in invoke("init", str(lab), code=2).stderr
    result = invoke("init", str(plain), "--repository", "not a repo", code=2)
    assert "is not OWNER/NAME" in result.stderr
    invoke("init", str(plain), "--repository", "octo/other", "--package", "sample-x", code=0)
    data = tomllib.loads((plain / "pyproject.toml").read_text())
    assert data["tool"]["relnotes"] == {
        "repository": "https://github.com/octo/other",
        "package": "sample-x",
    }
    assert "https://pypi.org/p/sample-x" in (plain / ".github/workflows/release.yml").read_text()


def test_projects_init_cannot_work_on(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(RelnotesError, match=r"no pyproject\.toml"):
        plan_init(str(empty))
    nameless = sample(tmp_path / "nameless", PYPROJECT.replace('name = "sample"\n', "")).path
    with pytest.raises(ConfigError, match="no \\[project\\] name"):
        plan_init(str(nameless))
    other = PYPROJECT.replace('"hatchling.build"', '"setuptools.build_meta"')
    root = sample(tmp_path / "setuptools", other).path
    plan = plan_init(str(root))
    assert [c.path for c in plan.conflicts] == ["pyproject.toml"]
    assert "build-backend 'setuptools.build_meta' replaced" in plan.conflicts[0].notes[0]
    with pytest.raises(RelnotesError, match=r"would overwrite pyproject\.toml"):
        apply(plan)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ('requires = ["hatchling"]', 'requires = "hatchling"'),
            "pyproject.toml: [build-system] requires must be a list, not a string",
        ),
        (
            ("[project]\n", 'build-system = "x"\n[project]\n'),
            "pyproject.toml: [build-system] must be a table, not a string",
        ),
        (
            ("", "\n[tool]\nhatch = 5\n"),
            "pyproject.toml: [tool] hatch must be a table, not a number",
        ),
        (
            ("", '\n[tool.hatch]\nversion = "vcs"\n'),
            "pyproject.toml: [tool.hatch] version must be a table, not a string",
        ),
        (
            ("", '\n[tool.hatch.version]\nraw-options = "x"\n'),
            "pyproject.toml: [tool.hatch.version] raw-options must be a table, not a string",
        ),
        (
            ("", "\n[[tool.hatch]]\nx = 1\n"),
            "pyproject.toml: [tool] hatch must be a table, not an array of tables",
        ),
        (
            ('readme = "README.md"', 'readme = "README.md"\ndynamic = "version"'),
            "pyproject.toml: [project] dynamic must be a list, not a string",
        ),
    ],
)
@pytest.mark.parametrize("dry_run", [False, True])
def test_keys_of_the_wrong_type_are_config_errors(
    tmp_path: Path, invoke: Invoke, edit: tuple[str, str], message: str, dry_run: bool
) -> None:
    old, new = edit
    pyproject = PYPROJECT.replace(old, new) if old else PYPROJECT + new
    if old == "[project]\n":  # a key before any table; the table it clashes with goes
        pyproject = pyproject.split("# how it is built")[0]
    root = sample(tmp_path / "sample", pyproject).path
    result = invoke("init", str(root), *(["--dry-run"] if dry_run else []), code=2)
    lines = result.stderr.splitlines()
    assert lines[0] == f"relnotes: error: {message}"
    assert lines[1].startswith("  hint: fix it first")
    assert len(lines) == 2
    assert not (root / ".github").exists()


def test_init_refuses_a_subfolder_of_a_git_repository(tmp_path: Path, invoke: Invoke) -> None:
    repo = GitRepo(tmp_path / "mono")
    repo.git("remote", "add", "origin", "git@github.com:octo/mono.git")
    repo.write("pkg/pyproject.toml", PYPROJECT)
    repo.commit("feat: a package in a subfolder")
    result = invoke("init", str(repo.path / "pkg"), code=2)
    lines = result.stderr.splitlines()
    assert lines[0].startswith("relnotes: error: ")
    assert "is not the top level of its git repository" in lines[0]
    assert "run relnotes init at the repository's top level" in lines[1]
    assert not (repo.path / "pkg/.github").exists()
    assert not (repo.path / "pkg/.pre-commit-config.yaml").exists()
    assert invoke("init", str(repo.path / "pkg"), "--dry-run", code=2).stdout == ""
    plain = tmp_path / "plain"  # no git repository at all: allowed as before
    plain.mkdir()
    (plain / "pyproject.toml").write_text(PYPROJECT)
    invoke("init", str(plain), "--repository", "octo/plain", code=0)
    assert (plain / ".github/workflows/release.yml").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--python", "3.8,foo"], "relnotes: error: --python: 'foo' is not a Python version"),
        (["--python", "3"], "relnotes: error: --python: '3' is not a Python version"),
        (
            ["--package", 'a b"; rm -rf /'],
            "relnotes: error: --package 'a b\"; rm -rf /' is not a valid package name",
        ),
        (["--package", "-x"], "relnotes: error: --package '-x' is not a valid package name"),
    ],
)
def test_names_and_versions_are_validated(
    tmp_path: Path, invoke: Invoke, argv: list[str], message: str
) -> None:
    root = sample(tmp_path / "sample").path
    result = invoke("init", str(root), *argv, code=2)
    assert result.stderr.splitlines()[0] == message
    assert result.stderr.splitlines()[1].startswith("  hint: ")
    assert not (root / ".github").exists()
    bad = sample(tmp_path / "bad", PYPROJECT.replace('"sample"', '"sample pkg"', 1)).path
    assert "[project] name 'sample pkg' is not a valid" in invoke("init", str(bad), code=2).stderr
    invoke("init", str(root), "--package", "Sample_x.y-2", "--python", "3.12,3.13", code=0)


def test_a_crlf_pyproject_keeps_its_line_endings(tmp_path: Path) -> None:
    repo = sample(tmp_path / "sample")
    (repo.path / "pyproject.toml").write_bytes(PYPROJECT.replace("\n", "\r\n").encode())
    apply(plan_init(str(repo.path)))
    raw = (repo.path / "pyproject.toml").read_bytes()
    assert b"[tool.hatch.version]\r\n" in raw
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert {c.action for c in plan_init(str(repo.path)).changes} == {"keep"}


def test_dry_run_exits_as_the_real_run_would(tmp_path: Path, invoke: Invoke) -> None:
    root = sample(tmp_path / "sample").path
    invoke("init", str(root), code=0)
    (root / ".github/workflows/release.yml").write_text("# mine\n")
    result = invoke("init", str(root), "--dry-run", code=2)
    assert "-# mine\n" in result.stdout
    assert "would OVERWRITE .github/workflows/release.yml" in result.stderr
    assert result.stderr.splitlines()[-2:] == [
        "relnotes: error: init would overwrite .github/workflows/release.yml: nothing was written",
        "  hint: rerun with --force to replace them",
    ]
    assert (root / ".github/workflows/release.yml").read_text() == "# mine\n"
    invoke("init", str(root), "--dry-run", "--force", code=0)


def test_a_static_version_without_its_tag_gets_a_note(tmp_path: Path, invoke: Invoke) -> None:
    root = sample(tmp_path / "sample", PYPROJECT.replace('"0.1.0"', '"1.0.0"')).path
    result = invoke("init", str(root), code=0)
    assert "tag the current version so hatch-vcs finds it (git tag v1.0.0)" in result.stdout
    tagged = sample(tmp_path / "tagged", PYPROJECT.replace('"0.1.0"', '"1.0.0"'))
    tagged.tag("v1.0.0")
    assert "git tag" not in invoke("init", str(tagged.path), code=0).stdout


def test_major_version_zero_only_for_0x(tmp_path: Path) -> None:
    def cz(root: Path) -> dict[str, object]:
        apply(plan_init(str(root)))
        return tomllib.loads((root / ".cz.toml").read_text())["tool"]["commitizen"]

    assert cz(sample(tmp_path / "zero").path)["major_version_zero"] is True
    one = sample(tmp_path / "one", PYPROJECT.replace('"0.1.0"', '"1.0.0"')).path
    assert "major_version_zero" not in cz(one)
    tagged = sample(tmp_path / "tagged", PYPROJECT.replace('version = "0.1.0"', ""))
    tagged.tag("v2.3.0")
    assert "major_version_zero" not in cz(tagged.path)
    assert diagnose(str(one)).findings == []


def test_the_regex_source_keys_go_when_the_source_is_vcs(tmp_path: Path, invoke: Invoke) -> None:
    pyproject = PYPROJECT.replace('version = "0.1.0"', 'dynamic = ["version"]') + (
        '\n[tool.hatch.version]\nsource = "regex"\npath = "src/sample/__init__.py"\n'
        'pattern = "V = (?P<version>.+)"\n'
    )
    root = sample(tmp_path / "sample", pyproject).path
    result = invoke("init", str(root), "--force", code=0)
    assert "[tool.hatch.version] path = 'src/sample/__init__.py' removed" in result.stdout
    assert "[tool.hatch.version] pattern = 'V = (?P<version>.+)' removed" in result.stdout
    version = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["hatch"]["version"]
    assert version == {"source": "vcs", "raw-options": {"local_scheme": "no-local-version"}}


def test_relnotes_itself_is_pinned_to_the_version_that_wrote_the_files(
    tmp_path: Path, invoke: Invoke
) -> None:
    root = sample(tmp_path / "sample").path
    result = invoke("init", str(root), code=0)
    assert "development build" not in result.stdout
    release = (root / ".github/workflows/release.yml").read_text()
    ci = (root / ".github/workflows/ci.yml").read_text()
    assert release.count('python -m pip install "relnotes==1.4.0"\n') == 2  # verify, notes
    assert ci.count('python -m pip install "relnotes==1.4.0"\n') == 2  # commits, verify
    assert '"relnotes"' not in release + ci
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"][0]["rev"] == "v1.4.0"  # relnotes' own tags: v$version
    assert diagnose(str(root)).findings == []  # W33 included


@pytest.mark.parametrize("version", ["1.5.0.dev3", "1.4.0+g1a2b3c4", "0+unknown"])
def test_a_development_build_says_what_it_could_not_pin(
    tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch, version: str
) -> None:
    monkeypatch.setattr(relnotes, "__version__", version)
    root = sample(tmp_path / "sample").path
    lines = invoke("init", str(root), code=0).stdout.splitlines()
    why = f"relnotes {version} is a development build, which PyPI does not have"
    for path, what in (
        (".github/workflows/release.yml", "pin a release there"),
        (".github/workflows/ci.yml", "pin a release there"),
        (".pre-commit-config.yaml", "put a release tag there (`rev: vX.Y.Z`)"),
    ):
        note = lines[lines.index(f" created  {path}") + 1]
        assert note.startswith(f"          {why}: ")
        assert what in note
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"][0]["rev"] == "main"
    found = diagnose(str(root)).findings
    assert {f.rule for f in found} == {"W33"}  # what init could not pin, and nothing else
    assert all("installs relnotes without a version" in f.message for f in found)
    again = invoke("init", str(root), code=0).stdout  # kept files need no note
    assert "development build" not in again


# --- files that are not text, and links out of the project ------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pyproject.toml", PYPROJECT.replace("A sample package", "Un paquet d\udce9mo")),
        (".pre-commit-config.yaml", "repos: []\n# caf\udce9\n"),
        (".github/workflows/release.yml", "name: release\non: push\njobs: {}  # \udce9\n"),
        (".cz.toml", '[tool.commitizen]\nname = "cz_conventional_commits"\n\n# \udce9\n'),
    ],
)
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_file_init_reads_that_is_not_utf8_is_one_line(
    tmp_path: Path, invoke: Invoke, name: str, content: str, dry_run: bool
) -> None:
    root = sample(tmp_path / "sample").path
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_bytes(content.encode("utf-8", "surrogateescape"))
    before = sorted(p.relative_to(root) for p in root.rglob("*") if ".git" not in p.parts)
    result = invoke("init", str(root), *(["--dry-run"] if dry_run else []), code=2)
    line = content.encode("utf-8", "surrogateescape").split(b"\xe9")[0].count(b"\n") + 1
    assert result.stderr.splitlines() == [
        f"relnotes: error: {name} is not UTF-8 text (byte 0xe9 on line {line})",
        "  hint: save it as UTF-8 (or move it away), then run relnotes init again",
    ]
    assert result.stdout == ""
    after = sorted(p.relative_to(root) for p in root.rglob("*") if ".git" not in p.parts)
    assert after == before  # nothing written


def test_init_never_writes_through_a_link_out_of_the_project(
    tmp_path: Path, invoke: Invoke
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = sample(tmp_path / "sample").path
    (root / ".github").symlink_to(outside, target_is_directory=True)
    result = invoke("init", str(root), code=2)
    assert result.stderr.splitlines() == [
        f"relnotes: error: .github leads outside the project (to {outside.resolve()}): "
        f"relnotes init reads and writes only inside {root.resolve()}",
        "  hint: remove the link .github or point it inside the project, then run init again",
    ]
    assert invoke("init", str(root), "--dry-run", code=2).stdout == ""
    assert list(outside.iterdir()) == []
    (root / ".github").unlink()
    secret = outside / "notes.md"
    secret.write_text("mine\n")
    (root / "MILESTONES.md").symlink_to(secret)
    result = invoke("init", str(root), "--force", code=2)
    assert result.stderr.startswith("relnotes: error: MILESTONES.md leads outside the project")
    assert secret.read_text() == "mine\n"
    assert not (root / ".github").exists()  # nothing at all was written


def test_a_link_that_stays_inside_the_project_is_followed(tmp_path: Path, invoke: Invoke) -> None:
    root = sample(tmp_path / "sample").path
    (root / "config" / "github").mkdir(parents=True)
    (root / ".github").symlink_to(root / "config" / "github", target_is_directory=True)
    invoke("init", str(root), code=0)
    assert (root / "config" / "github" / "workflows" / "release.yml").is_file()
    assert (root / ".github").is_symlink()
