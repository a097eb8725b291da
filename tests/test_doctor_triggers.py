"""The doctor's rules on when publishing runs (relnotes/doctor/triggers.py): W01, W02, W09, W10,
W22, W23, W24."""

from __future__ import annotations

from tests.doctor_helpers import (
    PYPI_IF,
    TAG_IF,
    Case,
    Variant,
    case,
    rule_breaks_test,
    variants_pass_test,
)

CASES = [
    case("W01", "tag-filter", "release", 'tags: ["v*"]', 'tags: ["release-*"]', "tags:"),
    case("W01", "no-main", "release", "    branches: [main]\n", "", "push:"),
    Case(
        "W01",
        "no-pull-request",
        (("ci", "  pull_request:\n", ""), ("preview", "on:\n  pull_request:\n", "on:\n  push:\n")),
        "release",
        "on:",
        "warning",
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
]
VARIANTS: list[Variant] = [
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

test_rule_breaks = rule_breaks_test(CASES)
test_accepted_variants_pass = variants_pass_test(VARIANTS)
