"""Every way a workflow uploads to PyPI is a publish job for every rule (relnotes/doctor/uploads.py
and scripts.py): the commands, PyO3/maturin-action, and what make targets and the repository's
scripts run; a token in place of Trusted Publishing is W06."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from relnotes.doctor import Report, diagnose, format_report
from tests.doctor_helpers import FILES, Case, Edits, line_of, make_project
from tests.test_doctor_build import CASES as BUILD
from tests.test_doctor_permissions import CASES as PERMISSIONS
from tests.test_doctor_publishing import CASES as PUBLISHING
from tests.test_doctor_publishing import PYPI_STEP, TESTPYPI_STEP
from tests.test_doctor_triggers import CASES as TRIGGERS

if TYPE_CHECKING:
    from pathlib import Path

MATURIN = "PyO3/maturin-action@0123456789abcdef0123456789abcdef01234567 # v1.49.0"


def run_step(script: str, env: str = "") -> str:
    block = f"        env:\n{env}" if env else ""
    return f"      - run: {script}\n{block}"


def project(tmp_path: Path, edits: Edits, files: dict[str, str] | None = None) -> Path:
    """The fixture project with ``edits``, and ``files`` (a Makefile, scripts) written beside."""
    root = make_project(tmp_path, edits)
    for name, text in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def findings(
    tmp_path: Path, *edits: tuple[str, str, str], files: dict[str, str] | None = None
) -> Report:
    return diagnose(str(project(tmp_path, edits, files)))


@pytest.mark.parametrize(
    ("step", "rules"),
    [
        (run_step("twine upload dist/*"), set()),
        (run_step("python -m twine upload --skip-existing dist/*"), {"W11"}),
        (run_step("uv publish"), set()),
        (run_step("uvx twine upload dist/*.whl dist/*.tar.gz"), {"W33"}),  # twine, unpinned
        (run_step("pdm publish --no-build"), set()),
        (run_step("maturin upload dist/*"), set()),
        (run_step("hatch publish"), {"W06"}),  # hatch, poetry and flit cannot use OIDC
        (run_step("flit publish"), {"W05", "W06"}),  # and flit builds first
        (run_step("pdm publish"), {"W05"}),
        (run_step("maturin publish"), {"W05"}),
        (run_step("poetry publish --build"), {"W05", "W06"}),
        (run_step('twine upload -p "$PYPI_TOKEN" dist/*'), {"W06"}),
        (run_step('TWINE_PASSWORD="$T" twine upload dist/*'), {"W06"}),
        (run_step("poetry publish", "          POETRY_PYPI_TOKEN_PYPI: x\n"), {"W06"}),
        (run_step('pdm publish --no-build -P "$T"'), {"W06"}),
        (run_step("maturin upload dist/*", "          MATURIN_PYPI_TOKEN: x\n"), {"W06"}),
        (run_step("uv publish", "          KEY: ${{ secrets.PYPI_API_TOKEN }}\n"), {"W06"}),
        (run_step("twine upload dist/*  # FLIT_PASSWORD is not flit's here"), set()),
        (
            "      - run: printf '[pypi]\\n' > ~/.pypirc\n" + run_step("twine upload dist/*"),
            {"W05", "W06"},
        ),
        (
            f"      - uses: {MATURIN}\n        with:\n          command: upload\n"
            "          args: --non-interactive dist/*\n",
            set(),
        ),
        (
            f"      - uses: {MATURIN}\n        env:\n          MATURIN_PYPI_TOKEN: x\n"
            "        with:\n          command: upload\n          args: dist/*\n",
            {"W06"},
        ),
    ],
    ids=lambda value: value.strip() if isinstance(value, str) else None,
)
def test_each_upload_command_is_the_pypi_upload(tmp_path: Path, step: str, rules: set[str]) -> None:
    report = findings(tmp_path, ("release", PYPI_STEP, step))
    assert {f.rule for f in report.findings} == rules, format_report(report, "text")


@pytest.mark.parametrize(
    "step",
    [
        "twine upload --repository testpypi --skip-existing dist/*",
        "uv publish --publish-url https://test.pypi.org/legacy/",
        "TWINE_REPOSITORY=testpypi python3 -m twine upload dist/*",
    ],
)
def test_an_upload_to_testpypi_is_seen_as_one(tmp_path: Path, step: str) -> None:
    report = findings(tmp_path, ("release", TESTPYPI_STEP, run_step(step)))
    assert report.findings == [], format_report(report, "text")


def test_an_upload_to_pypi_from_the_testpypi_job_is_a_pypi_job(tmp_path: Path) -> None:
    report = findings(tmp_path, ("release", TESTPYPI_STEP, run_step("twine upload dist/*")))
    rules = {f.rule for f in report.findings}
    assert {"W08", "W09"} <= rules, format_report(report, "text")


def test_an_upload_to_another_index_is_not_pypi(tmp_path: Path) -> None:
    mirror = (
        "  mirror:\n    needs: [publish-pypi]\n    runs-on: ubuntu-latest\n"
        "    timeout-minutes: 5\n    permissions: {}\n    steps:\n"
        "      - run: twine upload --repository-url https://nexus.example.com/pypi/ dist/*\n\n"
        "  github-release:\n"
    )
    report = findings(tmp_path, ("release", "  github-release:\n", mirror))
    assert report.findings == [], format_report(report, "text")


# --- through make targets and the repository's scripts ----------------------------------------

MAKE_RELEASE = run_step("make release")


@pytest.mark.parametrize(
    ("step", "files", "rules"),
    [
        (MAKE_RELEASE, {"Makefile": "release: ## upload\n\t@twine upload dist/*\n"}, set()),
        (
            MAKE_RELEASE,
            {"Makefile": "release: upload\nupload:\n\tuv publish --token $(TOKEN)\n"},
            {"W06"},
        ),
        (
            run_step("./scripts/release.sh"),
            {"scripts/release.sh": "#!/bin/sh\nset -eu\necho uploading\ntwine upload dist/*\n"},
            set(),
        ),
        (
            run_step("bash scripts/release.sh"),
            {"scripts/release.sh": 'export TWINE_PASSWORD="$T"\ntwine upload dist/*\n'},
            {"W06"},
        ),
        (
            run_step("python scripts/publish.py"),  # the project's Python code in the publish job
            {
                "scripts/publish.py": "import subprocess\n\nsubprocess.run(\n"
                '    ["hatch", "publish"], check=True\n)\n'
            },
            {"W05", "W06"},
        ),
        (
            run_step("make release"),  # the script the recipe runs, from the repository's root
            {
                "Makefile": "release:\n\tsh tools/up.sh\n",
                "tools/up.sh": "cd dist\npoetry publish\n",
            },
            {"W06"},
        ),
    ],
    ids=["make", "make-token", "script", "script-token", "python", "make-script"],
)
def test_uploads_through_make_and_scripts(
    tmp_path: Path, step: str, files: dict[str, str], rules: set[str]
) -> None:
    root = project(tmp_path, (("release", PYPI_STEP, step),), files)
    report = diagnose(str(root))
    assert {f.rule for f in report.findings} == rules, format_report(report, "text")
    for finding in report.findings:
        if finding.rule == "W06":
            assert "(in " in finding.message  # says where the command is
            assert finding.line == line_of(root, FILES["release"], step.split("\n", maxsplit=1)[0])


WANTED = [
    ("W04", "publisher-without-token"),
    ("W08", "no-environment"),
    ("W09", "no-tag-condition"),
    ("W13", "publish-before-tests"),
    ("W19", "path"),
    ("W23", "forks"),
    ("W25", "not-on-main"),
    ("W26", "no-verify"),
    ("W28", "continue"),
]
BY_NAME = {(c.rule, c.name): c for c in [*PERMISSIONS, *PUBLISHING, *TRIGGERS, *BUILD]}
EVERY_RULE = [BY_NAME[key] for key in WANTED]


@pytest.mark.parametrize("case", EVERY_RULE, ids=[c.rule for c in EVERY_RULE])
def test_an_upload_through_make_is_a_publish_job_for_every_rule(case: Case, tmp_path: Path) -> None:
    """The rule's case breaks the fixture the same when the PyPI job runs `make release`."""
    report = findings(
        tmp_path,
        *case.edits,
        ("release", PYPI_STEP, MAKE_RELEASE),
        files={"Makefile": "release:\n\ttwine upload dist/*\n"},
    )
    assert {f.rule for f in report.findings} == {case.rule}, format_report(report, "text")


def test_commented_commands_and_scripts_outside_the_project_are_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.sh"
    outside.write_text("poetry publish\n", encoding="utf-8")
    root = tmp_path / "project"
    steps = (
        "      - run: |\n"
        "          # twine upload --password x dist/*\n"
        "          ./link.sh\n"
        "          ../outside.sh\n"
        "          ./big.sh\n"
        "          ./loop.sh\n" + PYPI_STEP
    )
    root = project(
        root,
        (("release", PYPI_STEP, steps),),
        {"big.sh": "#" * 300_000 + "\npoetry publish\n", "loop.sh": "./loop.sh\n"},
    )
    os.symlink(outside, root / "link.sh")
    report = diagnose(str(root))
    rules = {f.rule for f in report.findings}
    assert "W06" not in rules, format_report(report, "text")  # no poetry publish was read
    assert rules == {"W05"}  # the job runs scripts beside the upload


@pytest.mark.parametrize(
    ("where", "rules"),
    [
        # a secret the workflow or the job hands every step (a coverage token) is not the
        # upload's credential: Trusted Publishing still does the upload
        (
            (
                "permissions: {}\n\n",
                "permissions: {}\n\nenv:\n  CODECOV_TOKEN: ${{ secrets.CODECOV_TOKEN }}\n\n",
            ),
            set(),
        ),
        (
            (
                "      url: https://pypi.org/p/sample\n",
                "      url: https://pypi.org/p/sample\n"
                "    env:\n      SENTRY: ${{ secrets.SENTRY_DSN }}\n",
            ),
            set(),
        ),
        # but one under a name the upload tool reads is, wherever it is set
        (
            (
                "permissions: {}\n\n",
                "permissions: {}\n\nenv:\n  TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}\n\n",
            ),
            {"W06"},
        ),
    ],
    ids=["workflow env", "job env", "workflow TWINE_PASSWORD"],
)
def test_a_secret_in_the_workflow_or_job_env_counts_only_under_the_tools_names(
    tmp_path: Path, where: tuple[str, str], rules: set[str]
) -> None:
    report = findings(
        tmp_path, ("release", PYPI_STEP, run_step("twine upload dist/*")), ("release", *where)
    )
    assert {f.rule for f in report.findings} == rules, format_report(report, "text")
