"""`relnotes doctor` as a whole: the passing fixture project, a case for every rule, W00 for a
file that cannot be read, --select/--ignore, inline ignores, the formats, and no crash on any
workflow shape. The rules' own cases are in tests/test_doctor_<theme>.py, one per module."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relnotes.doctor import RULES, diagnose, format_report, rule_ids, summary
from relnotes.errors import RelnotesError
from tests.doctor_helpers import (
    CHECKOUT,
    FILES,
    case,
    make_project,
    rule_breaks_test,
)
from tests.test_doctor_build import CASES as BUILD
from tests.test_doctor_hardening import CASES as HARDENING
from tests.test_doctor_permissions import CASES as PERMISSIONS
from tests.test_doctor_publishing import CASES as PUBLISHING
from tests.test_doctor_pyproject import CASES as PYPROJECT
from tests.test_doctor_triggers import CASES as TRIGGERS
from tests.test_workflow import billion_laughs

CASES = [
    case("W00", "bad-yaml", "release", "\nname: release", "\nname: release: x", "name: release: x"),
    case("W00", "not-a-mapping", "ci", "*", "- a list\n", "- a list"),
]

test_rule_breaks = rule_breaks_test(CASES)


def test_the_fixture_project_passes_every_rule(tmp_path: Path) -> None:
    report = diagnose(str(make_project(tmp_path)))
    assert report.findings == []
    assert report.files == [FILES["ci"], FILES["preview"], FILES["release"], FILES["pyproject"]]


def test_every_rule_has_a_case_that_breaks_it() -> None:
    every = [*CASES, *TRIGGERS, *PERMISSIONS, *PUBLISHING, *BUILD, *HARDENING, *PYPROJECT]
    assert {c.rule for c in every} | {"P04"} == set(RULES)  # P04 needs git: its own tests


def test_an_empty_select_is_a_usage_error(tmp_path: Path) -> None:
    root = str(make_project(tmp_path))
    for select in ([""], [" , "]):
        with pytest.raises(RelnotesError, match="names no rule"):
            diagnose(root, select=select)
    assert diagnose(root, ignore=[""]).findings == []


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
    assert summary(report) == "relnotes doctor: 1 error, 1 warning in 4 files"


def test_a_folder_with_nothing_to_check_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(RelnotesError, match="nothing to check"):
        diagnose(str(tmp_path))
    with pytest.raises(RelnotesError, match="no such folder"):
        diagnose(str(tmp_path / "missing"))


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


# YAML text as a pull request could write it: flow collections inside a block mapping, anchors
# and aliases (a later node may repeat an earlier one, or a big one many times), odd scalars and
# odd keys, and now and then nesting past the reader's bound.
_ODD_SCALARS = [
    "yes", "no", "on", "~", "null", "3.10", "0o17", "1e3", ".inf", "'v*'", '"\\u2028"', "'#1'",
    "9" * 40, "-0", "''", '"${{ github.event.pull_request.title }}"', "'a: b'", '"\\t\\n"',
    "!!str 5", "!custom x", "'ü ✓ 🚀'", "'--password $X'", "'uv publish --token t'",
]  # fmt: skip
_ODD_KEYS = ["'?'", "1", "true", "~", "'on'", "'with spaces'", "'ü'", "'<<'", "''", "[k]"]


@st.composite
def yaml_texts(draw: st.DrawFn) -> str:
    anchors: list[str] = []

    def scalar() -> str:
        if draw(st.booleans()):
            return draw(st.sampled_from(["null", "true", "false", "0", "-1", "2", "''"]))
        plain = draw(st.sampled_from([*(str(v) for v in _PLAIN), *_ODD_SCALARS]))
        return plain if plain.startswith(("'", '"', "!")) or plain.isalnum() else repr(plain)

    def key() -> str:
        return draw(st.sampled_from([*_KEYS, *_ODD_KEYS]))

    def node(depth: int) -> str:
        kinds = ["scalar", "alias", "list", "map"] if depth < 6 else ["scalar", "alias"]
        kind = draw(st.sampled_from(kinds))
        if kind == "alias" and anchors:
            return "*" + draw(st.sampled_from(anchors))
        if kind in ("scalar", "alias"):
            text = scalar()
        elif kind == "list":
            items = [node(depth + 1) for _ in range(draw(st.integers(0, 4)))]
            text = "[" + ", ".join(items) + "]"
        else:
            pairs = [f"{key()}: {node(depth + 1)}" for _ in range(draw(st.integers(0, 4)))]
            text = "{" + ", ".join(pairs) + "}"
        if draw(st.integers(0, 4)) == 0:  # anchored: later nodes may repeat it
            name = f"a{len(anchors)}"
            text = f"&{name} {text}"
            anchors.append(name)
        if draw(st.integers(0, 30)) == 0:  # deeper than any workflow: W00, never a crash
            deep = draw(st.integers(40, 90))
            text = "[" * deep + text + "]" * deep
        return text

    top = ["on", "jobs", "permissions", "concurrency", "env", "name", *_ODD_KEYS]
    keys = draw(st.lists(st.sampled_from(top), min_size=1, max_size=5))
    return "".join(f"{k}: {node(0)}\n" for k in keys)


_PLAIN = [
    "v*", "main", "write", "write-all", "dist/", "windows-latest", "pypa/gh-action-pypi-publish@v1",
    "actions/checkout@v7", "actions/upload-artifact@v7", "actions/download-artifact@v8",
    "PyO3/maturin-action@v1", "upload", "./local", "https://test.pypi.org/legacy/", "make check",
    "twine upload dist/*", "pip install twine", "./release.sh", "uvx twine@6.1.0 check dist/*",
]  # fmt: skip


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(yaml_texts())
def test_any_workflow_text_gives_findings_never_an_exception(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder))
        (root / FILES["release"]).write_text(text, encoding="utf-8")
        (root / "release.sh").write_text("twine upload -p x dist/*\n./release.sh\n")
        report = diagnose(str(root))
    assert all(f.rule in RULES and f.line >= 1 for f in report.findings)
    assert json.loads(format_report(report, "json"))["summary"]["errors"] == report.errors
    assert format_report(report, "github").count("\n") == len(report.findings)  # one line each


@settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.dictionaries(st.sampled_from(["on", "jobs", "permissions", "concurrency"]), _VALUES))
def test_any_workflow_shape_gives_findings_never_an_exception(document: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder))
        (root / FILES["release"]).write_text(yaml.safe_dump(document), encoding="utf-8")
        report = diagnose(str(root))
    assert all(f.rule in RULES and f.line >= 1 for f in report.findings)


# --- files too large to read safely: one W00 or P00, never a crash ----------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (billion_laughs(9), "its aliases expand past"),
        ("on: " + "[" * 5000 + "]" * 5000 + "\n", "it nests deeper than"),
        ("# padding\n" * 120_000, "1,200,000 bytes (the limit is 1,048,576)"),
    ],
    ids=["billion-laughs", "deep", "long"],
)
def test_a_workflow_too_large_to_read_is_one_finding(
    tmp_path: Path, text: str, message: str
) -> None:
    root = make_project(tmp_path, (("release", "*", text),))
    report = diagnose(str(root))
    mine = [(f.rule, f.message) for f in report.findings if f.path == FILES["release"]]
    assert len(mine) == 1, mine
    assert mine[0][0] == "W00"
    assert f"the file is too large to read safely: {message}" in mine[0][1]


# --- work that grows with the input: thousands of jobs, each finding's line looked up once -----


@st.composite
def large_workflows(draw: st.DrawFn) -> tuple[str, list[int], int, int]:
    """A workflow of thousands of jobs in a needs chain: its text, the lines of the jobs
    without a timeout (W30), how many of those are ignored inline, and how many unpinned uses."""
    jobs = draw(st.integers(2000, 3000))
    lines = ["name: big", "on:", "  pull_request:", "permissions: {}", "jobs:"]
    bare: list[int] = []
    ignored = unpinned = 0
    for n in range(jobs):
        timeout, ignore, pinned = draw(st.tuples(st.booleans(), st.booleans(), st.booleans()))
        header = f"  j{n}:" + ("  # relnotes: ignore[W30]" if ignore and not timeout else "")
        if not timeout and ignore:
            ignored += 1
        elif not timeout:
            bare.append(len(lines) + 1)
        lines.append(header)
        lines += ["    runs-on: ubuntu-latest"] + (["    timeout-minutes: 5"] if timeout else [])
        lines += [f"    needs: [j{n - 1}]"] if n else []
        ref = CHECKOUT if pinned else "actions/checkout@v7"
        unpinned += not pinned
        lines += ["    steps:", f"      - uses: {ref}", "        with:"]
        lines += ["          persist-credentials: false", f"      - run: echo {n}"]
    return "\n".join(lines) + "\n", bare, ignored, unpinned


@settings(max_examples=2, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(large_workflows())
def test_a_large_workflow_gives_every_finding_at_its_line(
    workflow: tuple[str, list[int], int, int],
) -> None:
    text, bare, ignored, unpinned = workflow
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder), (("ci", "*", text),))
        report = diagnose(str(root), select=["W16", "W30"])
    mine = [f for f in report.findings if f.path == FILES["ci"]]
    assert [f.line for f in mine if f.rule == "W30"] == bare
    assert sum(f.rule == "W16" for f in mine) == unpinned
    assert report.suppressed == ignored
