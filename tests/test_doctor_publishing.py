"""The doctor's rules on the jobs that upload (relnotes/doctor/publishing.py): W05-W08, W11-W13,
W21, W28, W29; and uploads made without pypa/gh-action-pypi-publish."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from relnotes.doctor import diagnose, format_report
from tests.doctor_helpers import (
    PUBLISH,
    PYPI_IF,
    Case,
    Variant,
    case,
    make_project,
    rule_breaks_test,
    variants_pass_test,
)

if TYPE_CHECKING:
    from pathlib import Path

#: The PyPI job's upload step in the fixture (the TestPyPI job's has no print-hash).
PYPI_STEP = f"      - uses: {PUBLISH}\n        with:\n          print-hash: true\n"
TESTPYPI_STEP = (
    f"      - uses: {PUBLISH}\n        with:\n"
    "          repository-url: https://test.pypi.org/legacy/\n          skip-existing: true\n"
)
UV_TOKEN = '      - run: uv publish --token "$PYPI_TOKEN"\n'

CASES = [
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
        "twine-password-variable",
        "release",
        PYPI_STEP,
        "      - run: twine upload dist/*\n        env:\n"
        "          TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}\n",
        "twine upload",
    ),
    case("W06", "uv-publish-token", "release", PYPI_STEP, UV_TOKEN, "uv publish"),
    case("W06", "poetry-publish", "release", PYPI_STEP, "      - run: poetry publish\n", "poetry"),
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
]
VARIANTS: list[Variant] = [
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
]

test_rule_breaks = rule_breaks_test(CASES)
test_accepted_variants_pass = variants_pass_test(VARIANTS)


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
        ("uv publish", {"W05"}),
        ("twine upload dist/*", {"W05"}),  # twine 6.1+ uses Trusted Publishing too
        ("poetry publish", {"W05", "W06"}),  # poetry cannot
    ],
)
def test_a_job_that_publishes_without_pypi_publish_is_checked(
    tmp_path: Path, upload: str, rules: set[str]
) -> None:
    failing = CLI_RELEASE.replace("STEPS", BUILD_AND_UPLOAD.replace("UPLOAD", upload))
    report = diagnose(str(make_project(tmp_path / "bad", (("release", "*", failing),))))
    found = {f.rule for f in report.findings}
    assert rules <= found, format_report(report, "text")
    assert "W06" in rules or "W06" not in found
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
    option = (
        given.split()[-2]
        if "--password" in given or "never" in given
        else given.split(maxsplit=1)[0]
    )
    assert [f.message for f in w06] == [
        f"`uv publish` uploads with a token (the {option} option) instead of Trusted Publishing"
    ]


def test_uv_publish_with_a_token_in_env(tmp_path: Path) -> None:
    steps = DOWNLOAD_AND_UPLOAD.replace("UPLOAD", "uv publish").replace(
        "      - run: uv publish",
        "      - env:\n          UV_PUBLISH_TOKEN: x\n        run: uv publish",
    )
    text = CLI_RELEASE.replace("STEPS", steps)
    report = diagnose(str(make_project(tmp_path, (("release", "*", text),))))
    assert "W06" in {f.rule for f in report.findings}


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
