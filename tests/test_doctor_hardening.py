"""The doctor's hardening rules (relnotes/doctor/hardening.py): W15-W18, W30."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from relnotes.doctor import diagnose
from tests.doctor_helpers import (
    CHECK_TOOLS,
    CHECKOUT,
    case,
    make_project,
    rule_breaks_test,
)

if TYPE_CHECKING:
    from pathlib import Path

CASES = [
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
        CHECK_TOOLS,
        'echo "${{ github.event.head_commit.message }}"',
        "head_commit",
    ),
    case("W30", "timeout", "ci", "    timeout-minutes: 30\n", "", "  check:", severity="warning"),
]

test_rule_breaks = rule_breaks_test(CASES)


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
    edit = ("release", CHECK_TOOLS, f'echo "${{{{ {expression} }}}}"')
    report = diagnose(str(make_project(tmp_path, (edit,))))
    assert [(f.rule, f.severity) for f in report.findings] == [("W18", severity)]
