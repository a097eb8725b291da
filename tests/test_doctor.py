"""Every doctor rule breaks on a small edit of a passing project, at the right line.

The fixture project in tests/fixtures/doctor passes every rule (its twin test says so); each
case copies it into tmp_path, makes one edit, and expects findings of exactly that rule, the
first one at the line the case names.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relnotes.doctor import RULES, diagnose, format_report, rule_ids, summary
from relnotes.errors import RelnotesError

FIXTURES = Path(__file__).parent / "fixtures" / "doctor"
FILES = {
    "release": ".github/workflows/release.yml",
    "ci": ".github/workflows/ci.yml",
    "pyproject": "pyproject.toml",
    "cz": ".cz.toml",
}
SOURCES = {"release": "release.yml", "ci": "ci.yml", "pyproject": "pyproject.toml", "cz": "cz.toml"}
CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"
PUBLISH = "pypa/gh-action-pypi-publish@ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e # v1.13.0"
PYPI_IF = (
    "if: github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v') "
    "&& github.repository == 'o/sample'\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n"
    "    environment:\n      name: pypi"
)


def make_project(root: Path, edits: tuple[tuple[str, str, str], ...] = ()) -> Path:
    for key, relative in FILES.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / SOURCES[key], target)
    for key, old, new in edits:
        target = root / FILES[key]
        text = target.read_text(encoding="utf-8")
        if old == "*":  # the whole file
            text = old
        assert text.count(old) == 1, f"{old!r} is not once in {key}"
        target.write_text(text.replace(old, new), encoding="utf-8")
    return root


def line_of(root: Path, relative: str, fragment: str) -> int:
    """The line on which the first occurrence of ``fragment`` (maybe several lines) ends."""
    text = (root / relative).read_text(encoding="utf-8")
    index = text.find(fragment)
    assert index != -1, f"{fragment!r} not in {relative}"
    return text.count("\n", 0, index + len(fragment.rstrip("\n"))) + 1


@dataclass(frozen=True)
class Case:
    rule: str
    name: str
    edits: tuple[tuple[str, str, str], ...]
    file: str  # which file the first finding is in (a FILES key)
    at: str  # a fragment of the line the first finding points at
    severity: str = "error"


def case(rule: str, name: str, file: str, old: str, new: str, at: str, **kw: str) -> Case:
    return Case(rule, name, ((file, old, new),), kw.pop("where", file), at, **kw)


CASES = [
    case("W00", "bad-yaml", "release", "\nname: release", "\nname: release: x", "name: release: x"),
    case("W00", "not-a-mapping", "ci", "*", "- a list\n", "- a list"),
    case("W01", "tag-filter", "release", 'tags: ["v*"]', 'tags: ["release-*"]', "tags:"),
    case("W01", "no-main", "release", "    branches: [main]\n", "", "push:"),
    case(
        "W01",
        "no-pull-request",
        "ci",
        "  pull_request:\n",
        "",
        "on:",
        where="release",
        severity="warning",
    ),
    Case("W01", "tag-format", (("cz", '"v$version"', '"$version"'),), "release", "tags:"),
    case(
        "W02",
        "pull-request-target",
        "release",
        "on:\n",
        "on:\n  pull_request_target:\n",
        "pull_request_target",
    ),
    case(
        "W03",
        "top-level-write",
        "release",
        "permissions: {}",
        "permissions:\n  contents: write",
        "contents: write",
    ),
    Case(
        "W03",
        "missing",
        (
            ("ci", "permissions: {}\n", ""),
            ("ci", "    permissions:\n      contents: read\n", ""),
        ),
        "ci",
        "name: ci",
        "warning",
    ),
    case(
        "W04",
        "extra-job",
        "release",
        "    permissions:\n      contents: read\n    strategy",
        "    permissions:\n      contents: read\n      id-token: write\n    strategy",
        "- uses: actions/checkout",
    ),
    case(
        "W04",
        "publisher-without-token",
        "release",
        "      name: pypi\n      url: https://pypi.org/p/sample\n    permissions:\n"
        "      id-token: write\n",
        "      name: pypi\n      url: https://pypi.org/p/sample\n    permissions:\n"
        "      contents: read\n",
        "url: https://pypi.org/p/sample\n    permissions:",
    ),
    case(
        "W04",
        "write-all",
        "release",
        "      url: https://pypi.org/p/sample\n    permissions:\n      id-token: write\n",
        "      url: https://pypi.org/p/sample\n    permissions: write-all\n",
        "permissions: write-all",
    ),
    case(
        "W04",
        "contents-write-beside-id-token",
        "release",
        "      url: https://pypi.org/p/sample\n    permissions:\n      id-token: write\n",
        "      url: https://pypi.org/p/sample\n    permissions:\n      id-token: write\n"
        "      contents: write\n",
        "contents: write",
    ),
    case(
        "W04",
        "actions-write-beside-id-token",
        "release",
        "      url: https://pypi.org/p/sample\n    permissions:\n      id-token: write\n",
        "      url: https://pypi.org/p/sample\n    permissions:\n      actions: write\n"
        "      id-token: write\n",
        "actions: write",
    ),
    case(
        "W04",
        "attestations-without-attest",
        "release",
        "      url: https://pypi.org/p/sample\n    permissions:\n      id-token: write\n",
        "      url: https://pypi.org/p/sample\n    permissions:\n      id-token: write\n"
        "      attestations: write\n",
        "attestations: write",
    ),
    case(
        "W05",
        "build-in-publish",
        "release",
        f"      - uses: {PUBLISH}\n        with:\n          print-hash",
        f"      - run: ls dist/\n      - uses: {PUBLISH}\n        with:\n          print-hash",
        "- run: ls dist/",
    ),
    case(
        "W06",
        "password",
        "release",
        "          print-hash: true",
        "          print-hash: true\n          password: ${{ secrets.PYPI_TOKEN }}",
        "password:",
    ),
    case(
        "W06",
        "twine-upload",
        "release",
        "  github-release:\n",
        "  upload:\n    needs: [check, build]\n    runs-on: ubuntu-latest\n"
        "    timeout-minutes: 5\n    permissions: {}\n    steps:\n"
        "      - run: twine upload dist/*\n\n  github-release:\n",
        "twine upload",
    ),
    case(
        "W06",
        "uv-publish-token",
        "release",
        "  github-release:\n",
        "  upload:\n    needs: [check, build]\n    runs-on: ubuntu-latest\n"
        "    timeout-minutes: 5\n    permissions: {}\n    steps:\n"
        '      - run: uv publish --token "$PYPI_TOKEN"\n\n  github-release:\n',
        "uv publish",
    ),
    case(
        "W07",
        "snake-case",
        "release",
        "print-hash: true",
        "print_hash: true",
        "print_hash",
        severity="warning",
    ),
    case(
        "W08",
        "no-environment",
        "release",
        "    environment:\n      name: pypi\n      url: https://pypi.org/p/sample\n",
        "",
        "  publish-pypi:",
    ),
    case(
        "W08",
        "other-name",
        "release",
        "name: pypi\n",
        "name: release\n",
        "  name: release",
        severity="warning",
    ),
    case("W08", "shared", "release", "name: testpypi", "name: pypi", "name: pypi"),
    Case(
        "W09",
        "no-tag-condition",
        (
            ("release", PYPI_IF, PYPI_IF.replace("startsWith(github.ref, 'refs/tags/v') && ", "")),
            # the notes job it needs runs for tags only: without that, nothing limits it
            (
                "release",
                "if: github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')\n",
                "if: github.event_name == 'push'\n",
            ),
            ("release", "needs: [check, build]\n", "needs: [check, build, notes]\n"),
        ),
        "release",
        "if: github.event_name == 'push' && github.repository",
    ),
    case(
        "W10",
        "no-main-condition",
        "release",
        "github.ref == 'refs/heads/main' && ",
        "",
        "if: github.event_name == 'push' && github.rep",
    ),
    case(
        "W11",
        "skip-existing",
        "release",
        "print-hash: true",
        "skip-existing: true",
        "        with:\n          skip-existing: true",
        severity="warning",
    ),
    case(
        "W12",
        "two-uploads",
        "release",
        "          skip-existing: true\n",
        "          skip-existing: true\n"
        f"      - uses: {PUBLISH}\n        with:\n"
        "          repository-url: https://test.pypi.org/legacy/\n",
        "skip-existing: true\n      - uses: pypa/gh-action",
    ),
    case(
        "W13",
        "publish-before-tests",
        "release",
        "  publish-pypi:\n    needs: [check, build, notes]",
        "  publish-pypi:\n    needs: [build, notes]",
        "needs: [build, notes]",
    ),
    case(
        "W13",
        "no-tests",
        "release",
        "      - run: make check\n",
        "      - run: ruff check .\n",
        "needs: [check, build]",
        severity="warning",
    ),
    case(
        "W14",
        "shallow-build",
        "release",
        "      with:\n          fetch-depth: 0\n          persist-credentials: false\n"
        "      - uses: actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0\n"
        '        with:\n          python-version: "3.13"',
        "      with:\n          persist-credentials: false\n"
        "      - uses: actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0\n"
        '        with:\n          python-version: "3.13"',
        "      contents: read\n    steps:\n      - uses: actions/checkout",
    ),
    case(
        "W15",
        "persisted",
        "ci",
        "        with:\n          persist-credentials: false\n",
        "",
        "- uses: actions/checkout",
        severity="warning",
    ),
    case("W16", "tag-ref", "ci", CHECKOUT, "actions/checkout@v7", "actions/checkout@v7"),
    case(
        "W16",
        "no-comment",
        "ci",
        CHECKOUT,
        CHECKOUT.split(" #", maxsplit=1)[0],
        "actions/checkout@",
        severity="warning",
    ),
    case(
        "W17",
        "cache",
        "release",
        'python-version: "3.13"',
        'python-version: "3.13"\n          cache: pip',
        "cache: pip",
    ),
    case(
        "W18",
        "expression",
        "release",
        'relnotes verify dist --tag "$GITHUB_REF_NAME"',
        'relnotes verify dist --tag "${{ github.ref_name }}"',
        "relnotes verify",
        severity="warning",
    ),
    case(
        "W18",
        "untrusted",
        "release",
        "python -m pip install twine",
        'echo "${{ github.event.head_commit.message }}"',
        "head_commit",
    ),
    case(
        "W19",
        "name",
        "release",
        "          name: dist\n          path: dist/\n      - uses: pypa/"
        "gh-action-pypi-publish@ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e # v1.13.0\n        with:\n"
        "          print-hash",
        "          name: dists\n          path: dist/\n      - uses: pypa/"
        "gh-action-pypi-publish@ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e # v1.13.0\n        with:\n"
        "          print-hash",
        "name: dists",
    ),
    case(
        "W19",
        "path",
        "release",
        "          name: dist\n          path: dist/\n      - uses: pypa/"
        "gh-action-pypi-publish@ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e # v1.13.0\n        with:\n"
        "          print-hash",
        "          name: dist\n          path: out/\n      - uses: pypa/"
        "gh-action-pypi-publish@ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e # v1.13.0\n        with:\n"
        "          print-hash",
        "path: out/",
    ),
    case(
        "W19",
        "empty-upload",
        "release",
        "          path: dist/\n          if-no-files-found: error\n",
        "          path: dist/\n",
        "- uses: actions/upload-artifact",
    ),
    case(
        "W20",
        "checksums",
        "release",
        "python -m twine check --strict dist/*",
        "python -m twine check --strict dist/*\n          sha256sum dist/* > dist/SHA256SUMS",
        "SHA256SUMS",
    ),
    case(
        "W20",
        "unnamed-download",
        "release",
        "          name: dist\n          path: dist/\n"
        "      - uses: pypa/gh-action-pypi-publish@ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e"
        " # v1.13.0\n        with:\n          print-hash",
        "          path: dist/\n"
        "      - uses: pypa/gh-action-pypi-publish@ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e"
        " # v1.13.0\n        with:\n          print-hash",
        "url: https://pypi.org/p/sample\n    permissions:\n      id-token: write\n    steps:\n"
        "      - uses: actions/download-artifact",
    ),
    case(
        "W21",
        "before-pypi",
        "release",
        "needs: [publish-pypi, notes]",
        "needs: [check, build, notes]",
        "  github-release:\n    needs: [check, build, notes]",
    ),
    case("W21", "no-verify-tag", "release", "--verify-tag ", "", "gh release create"),
    case(
        "W21",
        "permissions",
        "release",
        "      contents: write\n",
        "      contents: write\n      packages: write\n",
        "packages: write",
    ),
    Case(
        "W21",
        "release-event",
        (
            ("release", "on:\n", "on:\n  release:\n    types: [published]\n"),
            (
                "release",
                PYPI_IF,
                PYPI_IF.replace(
                    "github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')",
                    "github.event_name == 'release'",
                ),
            ),
        ),
        "release",
        "if: github.event_name == 'release'",
        "warning",
    ),
    case("W22", "reusable", "release", "on:\n", "on:\n  workflow_call:\n", "workflow_call"),
    case(
        "W23",
        "forks",
        "release",
        PYPI_IF,
        PYPI_IF.replace(" && github.repository == 'o/sample'", ""),
        "  publish-pypi:\n    needs: [check, build, notes]\n    if:",
        severity="warning",
    ),
    case(
        "W24",
        "cancel",
        "release",
        "cancel-in-progress: false",
        "cancel-in-progress: true",
        "cancel-in-progress",
        severity="warning",
    ),
    case(
        "W24",
        "shared-group",
        "release",
        "  group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: false",
        "  group: release\n  cancel-in-progress: true",
        "cancel-in-progress",
    ),
    case(
        "W25",
        "not-on-main",
        "release",
        '        run: git merge-base --is-ancestor "$GITHUB_SHA" origin/main',
        "        run: echo tagged",
        "  publish-pypi:",
        severity="warning",
    ),
    case(
        "W26",
        "no-verify",
        "release",
        'relnotes verify dist --tag "$GITHUB_REF_NAME"',
        "check-wheel-contents dist/*.whl",
        "  publish-pypi:",
    ),
    case(
        "W27",
        "no-twine",
        "release",
        "          python -m twine check --strict dist/*\n",
        "",
        "  build:",
        severity="warning",
    ),
    case(
        "W27",
        "not-strict",
        "release",
        "twine check --strict dist/*",
        "twine check dist/*",
        "  build:",
        severity="warning",
    ),
    case(
        "W28",
        "continue",
        "release",
        "  publish-pypi:\n",
        "  publish-pypi:\n    continue-on-error: true\n",
        "continue-on-error",
    ),
    case(
        "W29",
        "windows",
        "release",
        PYPI_IF,
        PYPI_IF.replace("ubuntu-latest", "windows-latest"),
        "windows-latest",
    ),
    case("W30", "timeout", "ci", "    timeout-minutes: 30\n", "", "  check:", severity="warning"),
    case(
        "W31",
        "install-before-token",
        "release",
        "      - name: release\n",
        "      - run: python -m pip install relnotes\n      - name: release\n",
        "python -m pip install relnotes",
    ),
    case(
        "W31",
        "third-party-action",
        "release",
        "      - name: release\n",
        "      - uses: someone/render-notes@0123456789abcdef0123456789abcdef01234567 # v1.0.0\n"
        "      - name: release\n",
        "someone/render-notes",
    ),
    case(
        "W31",
        "gh-by-name-after-setup",
        "release",
        "      - name: release\n        env:\n          GH_TOKEN: ${{ github.token }}\n"
        "        run: /usr/bin/gh release",
        "      - uses: actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0\n"
        "      - name: release\n        env:\n          GH_TOKEN: ${{ github.token }}\n"
        "        run: gh release",
        "run: gh release",
    ),
    case(
        "W32",
        "unpinned-build-tool",
        "release",
        "python -m pip install --require-hashes -r build-requirements.txt",
        "python -m pip install build",
        "python -m pip install build",
        severity="warning",
    ),
    case(
        "W32",
        "build-isolation",
        "release",
        "python -m build --no-isolation",
        "python -m build",
        "python -m build",
        severity="warning",
    ),
    Case(
        "W32",
        "checks-before-upload",
        (
            ("release", "          python -m pip install twine\n", ""),
            (
                "release",
                "python -m build --no-isolation\n",
                "python -m build --no-isolation\n          python -m pip install twine\n",
            ),
        ),
        "release",
        "python -m pip install twine",
        "warning",
    ),
    case("P00", "bad-toml", "pyproject", 'name = "sample"', 'name = "sample', 'name = "sample'),
    case(
        "P00",
        "unknown-key",
        "pyproject",
        "}\n",
        "}\n[tool.relnotes]\ncolour = 1\n",
        "[tool.relnotes]",
    ),
    case(
        "P01", "no-hatch-vcs", "pyproject", '"hatchling", "hatch-vcs"', '"hatchling"', "requires ="
    ),
    case(
        "P01",
        "static-version",
        "pyproject",
        'dynamic = ["version"]',
        'version = "1.0"',
        'version = "1.0"',
    ),
    case(
        "P02",
        "local-version",
        "pyproject",
        'raw-options = { local_scheme = "no-local-version" }',
        "",
        "[tool.hatch.version]",
    ),
    case(
        "P03",
        "fallback",
        "pyproject",
        'source = "vcs"',
        'source = "vcs"\nfallback-version = "0.0.0"',
        "fallback-version",
        severity="warning",
    ),
    case(
        "P05",
        "tag-pattern",
        "pyproject",
        'source = "vcs"',
        'source = "vcs"\ntag-pattern = "^release-(?P<version>.*)$"',
        "tag-pattern",
    ),
    case(
        "P06",
        "classifier",
        "pyproject",
        '"Programming Language :: Python :: 3.11",',
        '"Programming Language :: Python :: 3.10",\n  "Programming Language :: Python :: 3.11",',
        ":: 3.10",
        severity="warning",
    ),
    case(
        "P06",
        "requires-python",
        "pyproject",
        '">=3.11"',
        '">=3.9"',
        "requires-python",
        severity="warning",
    ),
    case(
        "P06",
        "matrix",
        "ci",
        '["3.11", "3.12", "3.13"]',
        '["3.10", "3.11", "3.12", "3.13"]',
        "python-version: [",
        severity="warning",
    ),
]


def test_the_fixture_project_passes_every_rule(tmp_path: Path) -> None:
    report = diagnose(str(make_project(tmp_path)))
    assert report.findings == []
    assert report.files == [FILES["ci"], FILES["release"], FILES["pyproject"]]


def test_every_rule_has_a_case_that_breaks_it() -> None:
    assert {c.rule for c in CASES} | {"P04"} == set(RULES)  # P04 needs git: its own tests


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}-{c.name}" for c in CASES])
def test_rule_breaks(case: Case, tmp_path: Path) -> None:
    root = make_project(tmp_path, case.edits)
    report = diagnose(str(root))
    shown = format_report(report, "text")
    assert {f.rule for f in report.findings} == {case.rule}, shown
    first = report.findings[0]
    path = FILES[case.file]
    assert (first.path, first.line, first.severity) == (
        path,
        line_of(root, path, case.at),
        case.severity,
    ), shown
    assert first.message
    assert first.fix
    assert report.errors == sum(f.severity == "error" for f in report.findings)


# --- accepted variants: other spellings of a safe pipeline stay silent --------------------

BAIPP = "hynek/build-and-inspect-python-package@0123456789abcdef0123456789abcdef01234567 # v2.12"
UPLOAD_STEP = (
    "      - uses: actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0\n"
    "        with:\n          name: dist\n          path: dist/\n"
    "          if-no-files-found: error\n"
)
DOWNLOAD = f"name: dist\n          path: dist/\n      - uses: {PUBLISH}\n        with:\n"
TO_PYPI = DOWNLOAD + "          print-hash"
TO_TESTPYPI = DOWNLOAD + "          repository-url"
TAG_IF = "github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')"
ATTEST = "actions/attest-build-provenance@0123456789abcdef0123456789abcdef01234567 # v3.0.0"
PYPI_PERMISSIONS = "      url: https://pypi.org/p/sample\n    permissions:\n      id-token: write\n"
VARIANTS = [
    (
        "gh by its name where nothing before could shadow it",
        {"W31"},
        (("release", "run: /usr/bin/gh release", "run: gh release"),),
    ),
    (
        "the release job checks out the repository (first-party code) before it writes",
        {"W31"},
        (
            (
                "release",
                "    permissions:\n      contents: write\n    steps:\n",
                f"    permissions:\n      contents: write\n    steps:\n      - uses: {CHECKOUT}\n",
            ),
        ),
    ),
    (
        "installs after the last use of the token",
        {"W31"},
        (
            (
                "release",
                "notes/notes.md dist/*\n",
                "notes/notes.md dist/*\n      - run: pip install x\n",
            ),
        ),
    ),
    (
        "hashes required through the environment",
        {"W32"},
        (
            (
                "release",
                "      - name: build\n        run: |\n"
                "          python -m pip install --require-hashes -r build-requirements.txt\n",
                "      - name: build\n        env:\n          PIP_REQUIRE_HASHES: 1\n"
                "        run: |\n          python -m pip install -r build-requirements.txt\n",
            ),
        ),
    ),
    (
        "a PyPI re-run skips what the first attempt uploaded",
        {"W11"},
        (
            (
                "release",
                "          print-hash: true\n",
                "          print-hash: true\n"
                "          skip-existing: ${{ github.run_attempt != '1' }}\n",
            ),
        ),
    ),
    (
        "the publish job may read contents beside id-token",
        {"W04", "W05"},
        (("release", PYPI_PERMISSIONS, PYPI_PERMISSIONS + "      contents: read\n"),),
    ),
    (
        "attestations: write with an actions/attest* step",
        {"W04", "W05"},
        (
            ("release", PYPI_PERMISSIONS, PYPI_PERMISSIONS + "      attestations: write\n"),
            (
                "release",
                f"      - uses: {PUBLISH}\n        with:\n          print-hash",
                f"      - uses: {ATTEST}\n        with:\n          subject-path: dist/*\n"
                f"      - uses: {PUBLISH}\n        with:\n          print-hash",
            ),
        ),
    ),
    (
        "a job that only runs `uv publish` (Trusted Publishing) beside the download",
        {"W04", "W05", "W06"},
        (
            (
                "release",
                f"      - uses: {PUBLISH}\n        with:\n          print-hash: true\n",
                "      - run: uv publish dist/*\n",
            ),
        ),
    ),
    (
        "build-and-inspect-python-package uploads `Packages`",
        {"W19", "W20", "W27"},
        (
            ("release", UPLOAD_STEP, f"      - uses: {BAIPP}\n"),
            ("release", TO_PYPI, TO_PYPI.replace("name: dist", "name: Packages")),
            ("release", TO_TESTPYPI, TO_TESTPYPI.replace("name: dist", "name: Packages")),
        ),
    ),
    (
        "an unnamed download read from its artifact folder",
        {"W19", "W20"},
        (
            (
                "release",
                TO_PYPI,
                TO_PYPI.replace("name: dist\n          path: dist/", "path: .").replace(
                    "with:\n", "with:\n          packages-dir: dist/\n"
                ),
            ),
        ),
    ),
    (
        "a script that compares the tag with the built version",
        {"W26"},
        (
            (
                "release",
                'relnotes verify dist --tag "$GITHUB_REF_NAME"',
                'test "${GITHUB_REF_NAME#v}" = "$(cat dist/version.txt)"',
            ),
        ),
    ),
    (
        "a tags-only workflow needs no tag condition",
        {"W09"},
        (
            ("release", "    branches: [main]\n", ""),
            ("release", PYPI_IF, PYPI_IF.replace(f"{TAG_IF} && ", "")),
        ),
    ),
    (
        "a condition on a needed job counts for the jobs after it",
        {"W09", "W23"},
        (
            (
                "release",
                "  build:\n    runs-on",
                "  build:\n    if: startsWith(github.ref, 'refs/tags/') "
                "&& github.repository == 'o/sample'\n    runs-on",
            ),
            (
                "release",
                PYPI_IF,
                PYPI_IF.replace(
                    f"{TAG_IF} && github.repository == 'o/sample'", "github.event_name == 'push'"
                ),
            ),
        ),
    ),
]


@pytest.mark.parametrize(
    ("silent", "edits"), [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS]
)
def test_accepted_variants_pass(
    tmp_path: Path, silent: set[str], edits: tuple[tuple[str, str, str], ...]
) -> None:
    report = diagnose(str(make_project(tmp_path, edits)))
    assert not {f.rule for f in report.findings} & silent, format_report(report, "text")


# --- publishing without pypa/gh-action-pypi-publish --------------------------------------

CLI_RELEASE = """name: release
on:
  push:
    tags: ["v*"]
permissions: {}
jobs:
  publish:
    if: github.repository == 'o/sample'
    runs-on: ubuntu-latest
    timeout-minutes: 10
    environment:
      name: pypi
    permissions:
      id-token: write
    steps:
STEPS"""
BUILD_AND_UPLOAD = "      - run: pip install uv && uv build && UPLOAD\n"
DOWNLOAD_AND_UPLOAD = (
    "      - uses: actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c # v8.0.1\n"
    "        with:\n          name: dist\n          path: dist/\n      - run: UPLOAD\n"
)


@pytest.mark.parametrize(
    ("upload", "rules"),
    [
        ("uv publish", {"W04", "W05"}),
        ("twine upload dist/*", {"W04", "W05", "W06"}),
        ("poetry publish", {"W04", "W05", "W06"}),
    ],
)
def test_a_job_that_publishes_without_pypi_publish_is_checked(
    tmp_path: Path, upload: str, rules: set[str]
) -> None:
    failing = CLI_RELEASE.replace("STEPS", BUILD_AND_UPLOAD.replace("UPLOAD", upload))
    report = diagnose(str(make_project(tmp_path / "bad", (("release", "*", failing),))))
    found = {f.rule for f in report.findings}
    assert rules <= found, format_report(report, "text")
    assert "W06" in rules or "W06" not in found  # uv publish without a token: Trusted Publishing
    assert not any("nothing to check" in note for note in report.notes)
    # its twin: the build happens elsewhere, the job only downloads and uploads
    passing = CLI_RELEASE.replace("STEPS", DOWNLOAD_AND_UPLOAD.replace("UPLOAD", upload))
    report = diagnose(str(make_project(tmp_path / "good", (("release", "*", passing),))))
    assert not {f.rule for f in report.findings} & ({"W04", "W05", "W06"} - rules)


def test_a_job_holding_id_token_is_a_publishing_job(tmp_path: Path) -> None:
    steps = "      - run: make release\n"
    failing = CLI_RELEASE.replace("STEPS", steps)
    report = diagnose(str(make_project(tmp_path / "bad", (("release", "*", failing),))))
    assert "W04" in {f.rule for f in report.findings}, format_report(report, "text")
    passing = failing.replace("      id-token: write\n", "      contents: read\n")
    report = diagnose(str(make_project(tmp_path / "good", (("release", "*", passing),))))
    assert "W04" not in {f.rule for f in report.findings}


@pytest.mark.parametrize(
    "given",
    [
        '--token "$PYPI_TOKEN"',
        '-t "$PYPI_TOKEN"',
        '--username __token__ --password "$PYPI_TOKEN"',
        "--trusted-publishing never",
    ],
)
def test_uv_publish_with_a_token_uploads_with_a_token(tmp_path: Path, given: str) -> None:
    steps = DOWNLOAD_AND_UPLOAD.replace("UPLOAD", f"uv publish {given}")
    text = CLI_RELEASE.replace("STEPS", steps)
    report = diagnose(str(make_project(tmp_path, (("release", "*", text),))))
    w06 = [f for f in report.findings if f.rule == "W06"]
    assert [f.message for f in w06] == [
        "`uv publish` uploads with a token instead of Trusted Publishing"
    ]


def test_uv_publish_with_a_token_in_env(tmp_path: Path) -> None:
    steps = DOWNLOAD_AND_UPLOAD.replace("UPLOAD", "uv publish").replace(
        "      - run: uv publish",
        "      - env:\n          UV_PUBLISH_TOKEN: x\n        run: uv publish",
    )
    text = CLI_RELEASE.replace("STEPS", steps)
    report = diagnose(str(make_project(tmp_path, (("release", "*", text),))))
    assert "W06" in {f.rule for f in report.findings}


# --- W18 and numbers, W05 and a non-text run: ----------------------------------------------


@pytest.mark.parametrize(
    ("expression", "severity"),
    [
        ("github.event.number", "warning"),
        ("github.event.pull_request.number", "warning"),
        ("github.event.issue.number", "warning"),
        ("github.run_id", "warning"),
        ("github.run_number", "warning"),
        ("github.event.pull_request.title", "error"),
        ("github.event.pull_request.head.ref", "error"),
    ],
)
def test_w18_numbers_from_the_event_are_not_injectable(
    tmp_path: Path, expression: str, severity: str
) -> None:
    edit = ("release", "python -m pip install twine", f'echo "${{{{ {expression} }}}}"')
    report = diagnose(str(make_project(tmp_path, (edit,))))
    assert [(f.rule, f.severity) for f in report.findings] == [("W18", severity)]


def test_w05_names_a_numeric_run_step(tmp_path: Path) -> None:
    edit = (
        "release",
        f"      - uses: {PUBLISH}\n        with:\n          print-hash",
        f"      - run: 5\n      - uses: {PUBLISH}\n        with:\n          print-hash",
    )
    report = diagnose(str(make_project(tmp_path, (edit,))))
    messages = [f.message for f in report.findings if f.rule == "W05"]
    assert messages == [
        "publish job publish-pypi also runs `5`: the job that uploads must not build or run "
        "project code"
    ]


def test_an_empty_select_is_a_usage_error(tmp_path: Path) -> None:
    root = str(make_project(tmp_path))
    for select in ([""], [" , "]):
        with pytest.raises(RelnotesError, match="names no rule"):
            diagnose(root, select=select)
    assert diagnose(root, ignore=[""]).findings == []


# --- P04: the version file, against a real repository ------------------------------------


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@pytest.mark.parametrize(
    ("state", "severity"), [("tracked", "error"), ("untracked", "warning"), ("ignored", None)]
)
def test_p04_version_file(tmp_path: Path, state: str, severity: str | None) -> None:
    root = make_project(
        tmp_path,
        (
            (
                "pyproject",
                "}\n",
                '}\n[tool.hatch.build.hooks.vcs]\nversion-file = "src/sample/_version.py"\n',
            ),
        ),
    )
    _git(root, "init", "-q")
    (root / "src" / "sample").mkdir(parents=True)
    (root / "src" / "sample" / "_version.py").write_text("version = '1'\n")
    if state == "tracked":
        _git(root, "add", "src/sample/_version.py")
    if state == "ignored":
        (root / ".gitignore").write_text("_version.py\n")
    report = diagnose(str(root))
    found = [(f.rule, f.severity, f.line) for f in report.findings]
    if severity is None:
        assert found == []
    else:
        assert found == [("P04", severity, line_of(root, "pyproject.toml", "version-file"))]


# --- selection, inline ignores, formats --------------------------------------------------

BROKEN = (
    ("ci", CHECKOUT, "actions/checkout@v7"),  # W16 error
    ("ci", "    timeout-minutes: 30\n", ""),  # W30 warning
)


def test_select_and_ignore_by_id_and_prefix(tmp_path: Path) -> None:
    root = str(make_project(tmp_path, BROKEN))
    assert {f.rule for f in diagnose(root).findings} == {"W16", "W30"}
    assert {f.rule for f in diagnose(root, select=["W16"]).findings} == {"W16"}
    assert {f.rule for f in diagnose(root, select=["w3"]).findings} == {"W30"}
    assert {f.rule for f in diagnose(root, ignore=["W16,W30"]).findings} == set()
    assert {f.rule for f in diagnose(root, select=["P"]).findings} == set()
    assert rule_ids(["W1"]) == {f"W1{n}" for n in range(10)}
    with pytest.raises(RelnotesError, match="unknown rule 'X9'"):
        rule_ids(["W16,X9"])


def test_an_inline_comment_silences_that_rule_on_that_line(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, (("ci", CHECKOUT, "actions/checkout@v7  # relnotes: ignore[W15, W16]"),)
    )
    report = diagnose(str(root))
    assert report.findings == []
    assert report.suppressed == 1
    assert "1 ignored inline" in summary(report)
    other = make_project(
        tmp_path / "other", (("ci", CHECKOUT, "actions/checkout@v7 # relnotes: ignore[W30]"),)
    )
    assert [f.rule for f in diagnose(str(other)).findings] == ["W16"]


def test_formats(tmp_path: Path) -> None:
    report = diagnose(str(make_project(tmp_path, BROKEN)))
    text = format_report(report, "text").splitlines()
    assert text[0].startswith(f"{FILES['ci']}:11: W30 warning: job check has no `timeout-minutes`")
    assert text[1].startswith("    fix: Add `timeout-minutes:`")
    data = json.loads(format_report(report, "json"))
    assert [(f["rule"], f["severity"], f["line"]) for f in data["findings"]] == [
        ("W30", "warning", 11),
        ("W16", "error", 19),
    ]
    assert data["summary"]["errors"] == 1
    github = format_report(report, "github").splitlines()
    assert github[1].startswith(
        f"::error file={FILES['ci']},line=19,title=relnotes W16%3A actions pinned to a full commit"
    )
    assert summary(report) == "relnotes doctor: 1 error, 1 warning in 3 files"


def test_a_folder_with_nothing_to_check_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(RelnotesError, match="nothing to check"):
        diagnose(str(tmp_path))
    with pytest.raises(RelnotesError, match="no such folder"):
        diagnose(str(tmp_path / "missing"))


# --- no crash on any shape ------------------------------------------------------------------

_KEYS = [
    "on", "push", "tags", "branches", "pull_request", "workflow_call", "jobs", "steps", "uses",
    "run", "with", "needs", "if", "permissions", "id-token", "contents", "environment", "name",
    "url", "strategy", "matrix", "python", "include", "concurrency", "cancel-in-progress",
    "group", "runs-on", "continue-on-error", "timeout-minutes", "fetch-depth", "path",
    "pattern", "repository-url", "skip-existing", "password", "draft",
]  # fmt: skip
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1, 2),
    st.sampled_from(
        [
            "v*", "main", "write", "write-all", "3.10", "dist/", "windows-latest",
            "pypa/gh-action-pypi-publish@v1", "actions/checkout@v7", "actions/cache@v4",
            "actions/upload-artifact@v7", "actions/download-artifact@v8", "astral-sh/setup-uv@v6",
            "docker://alpine", "./local", "https://test.pypi.org/legacy/",
            "python -m build\nsha256sum dist/* > dist/SUMS", "gh release create v1 \\\n --draft",
            "echo ${{ github.event.issue.title }}", "make check", "twine upload dist/*",
            "github.ref_type == 'tag' && always()",
        ]
    ),
)  # fmt: skip
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(_KEYS), inner, max_size=4)
    ),
    max_leaves=24,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["on", "jobs", "permissions", "concurrency"]), _VALUES))
def test_any_workflow_shape_gives_findings_never_an_exception(document: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder))
        (root / FILES["release"]).write_text(yaml.safe_dump(document), encoding="utf-8")
        report = diagnose(str(root))
    assert all(f.rule in RULES and f.line >= 1 for f in report.findings)


_TOML_KEYS = [
    "build-system", "requires", "build-backend", "project", "name", "dynamic", "version",
    "requires-python", "classifiers", "tool", "hatch", "source", "raw-options", "local_scheme",
    "fallback-version", "tag-pattern", "tag_regex", "setuptools_scm", "write_to", "build",
    "hooks", "vcs", "version-file", "commitizen", "tag_format", "relnotes",
]  # fmt: skip
_TOML_SCALARS = st.one_of(
    st.booleans(),
    st.integers(0, 3),
    st.sampled_from(
        [
            "hatch-vcs", "hatchling", "setuptools-scm", "hatchling.build", "vcs", ">=3.9",
            "no-local-version", "v$version", "$major", "(unclosed", "^v(?P<version>.*)$",
            "Programming Language :: Python :: 3.10", "src/x/_version.py", "version", "",
        ]
    ),
)  # fmt: skip
_TOML_VALUES = st.recursive(
    _TOML_SCALARS,
    lambda inner: st.one_of(
        st.lists(_TOML_SCALARS, max_size=3),
        st.dictionaries(st.sampled_from(_TOML_KEYS), inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["build-system", "project", "tool"]), _TOML_VALUES))
def test_any_pyproject_shape_gives_findings_never_an_exception(document: dict[str, object]) -> None:
    import tomlkit

    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder))
        (root / "pyproject.toml").write_text(tomlkit.dumps(document), encoding="utf-8")
        report = diagnose(str(root))
    assert all(f.rule in RULES and f.line >= 1 for f in report.findings)
