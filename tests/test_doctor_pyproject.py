"""The doctor's pyproject.toml rules (relnotes/doctor/pyproject.py): P00-P06."""

from __future__ import annotations

import subprocess
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relnotes.doctor import RULES, diagnose
from tests.doctor_helpers import (
    case,
    line_of,
    make_project,
    rule_breaks_test,
)

CASES = [
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

test_rule_breaks = rule_breaks_test(CASES)


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


_TOML_KEYS = [
    "build-system", "requires", "build-backend", "project", "name", "dynamic", "version",
    "requires-python", "classifiers", "tool", "hatch", "source", "raw-options", "local_scheme",
    "fallback-version", "tag-pattern", "tag_regex", "setuptools_scm", "write_to", "build",
    "hooks", "vcs", "version-file", "commitizen", "tag_format", "relnotes",
]  # fmt: skip


_TOML_SCALARS = st.one_of(
    st.booleans(),
    st.integers(0, 3),
    st.integers(),
    st.floats(),
    st.datetimes(),
    st.text(max_size=12),
    st.sampled_from(
        [
            "hatch-vcs", "hatchling", "setuptools-scm", "hatchling.build", "vcs", ">=3.9",
            "no-local-version", "v$version", "$major", "(unclosed", "^v(?P<version>.*)$",
            "Programming Language :: Python :: 3.10", "src/x/_version.py", "version", "",
            "(a+)+$", "[", "\u2028", "../../etc/passwd",
        ]
    ),
)  # fmt: skip
_KEY = st.one_of(st.sampled_from(_TOML_KEYS), st.text(min_size=1, max_size=6))
_TOML_VALUES = st.recursive(
    _TOML_SCALARS,
    lambda inner: st.one_of(
        st.lists(_TOML_SCALARS, max_size=3),
        st.dictionaries(_KEY, inner, max_size=4),
    ),
    max_leaves=20,
)


@st.composite
def pyproject_texts(draw: st.DrawFn) -> bytes:
    """pyproject.toml as tomlkit writes generated tables, then now and then damaged: cut short,
    nested past any sane depth, or not UTF-8."""
    import tomlkit

    document = draw(
        st.dictionaries(st.sampled_from(["build-system", "project", "tool"]), _TOML_VALUES)
    )
    data = tomlkit.dumps(document).encode("utf-8")
    damage = draw(st.sampled_from(["none", "none", "none", "cut", "deep", "bytes"]))
    if damage == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "deep":
        depth = draw(st.integers(100, 3000))
        data += b"\n[x]\ny = " + b"[" * depth + b"]" * depth + b"\n"
    elif damage == "bytes":
        data = draw(st.binary(max_size=8)) + b"\xff\xfe" + data
    return data


@settings(
    max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(pyproject_texts())
def test_any_pyproject_gives_findings_never_an_exception(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder))
        (root / "pyproject.toml").write_bytes(data)
        report = diagnose(str(root))
    assert all(f.rule in RULES and f.line >= 1 for f in report.findings)
    try:
        tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        assert "P00" in {f.rule for f in report.findings}  # what cannot be read says so


def test_a_pyproject_nested_too_deep_is_one_p00(tmp_path: Path) -> None:
    deep = "[project]\nname = 'sample'\nx = " + "[" * 3000 + "]" * 3000 + "\n"
    root = make_project(tmp_path, (("pyproject", "*", deep),))
    found = [(f.rule, f.message) for f in diagnose(str(root)).findings]
    assert (
        "P00",
        "pyproject.toml: the file is too large to read safely: it nests too deep",
    ) in found


@pytest.mark.parametrize("name", ["pyproject.toml", ".cz.toml"])
def test_configuration_that_is_not_utf8_is_one_p00(tmp_path: Path, name: str) -> None:
    root = make_project(tmp_path)
    (root / name).write_bytes(b'[tool.commitizen]\ntag_format = "v\xff$version"\n')
    found = [(f.rule, f.path) for f in diagnose(str(root)).findings]
    assert found == [("P00", name)]
