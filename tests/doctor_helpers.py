"""The doctor's test project and how a rule case is checked.

The fixture project in tests/fixtures/doctor passes every rule (tests/test_doctor.py says so);
each case copies it into tmp_path, makes one edit, and expects findings of exactly that rule, the
first one at the line the case names. A variant is another spelling of a safe pipeline: the rules
it names stay silent.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from relnotes.doctor import diagnose, format_report

if TYPE_CHECKING:
    from collections.abc import Callable

FIXTURES = Path(__file__).parent / "fixtures" / "doctor"

FILES = {
    "release": ".github/workflows/release.yml",
    "ci": ".github/workflows/ci.yml",
    "preview": ".github/workflows/preview.yml",
    "pyproject": "pyproject.toml",
    "cz": ".cz.toml",
}

SOURCES = {
    "release": "release.yml",
    "ci": "ci.yml",
    "preview": "preview.yml",
    "pyproject": "pyproject.toml",
    "cz": "cz.toml",
}

CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"

PUBLISH = "pypa/gh-action-pypi-publish@ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e # v1.13.0"

#: The build job installs its check tools by hash, after the dist upload.
CHECK_TOOLS = "python -m pip install --require-hashes -r check-requirements.txt"
PYPI_IF = (
    "if: github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v') "
    "&& github.repository == 'o/sample'\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n"
    "    environment:\n      name: pypi"
)

#: One edit of the project: (file key, old text, new text); old `*` replaces the whole file.
Edits = tuple[tuple[str, str, str], ...]


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


def assert_breaks(case: Case, tmp_path: Path) -> None:
    """The case's edit gives findings of its rule only, the first at its line and severity."""
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


def assert_silent(tmp_path: Path, silent: set[str], edits: Edits) -> None:
    """The variant's edits give no finding of the rules it names."""
    report = diagnose(str(make_project(tmp_path, edits)))
    assert not {f.rule for f in report.findings} & silent, format_report(report, "text")


#: (what it shows, the rules that stay silent, the edits)
Variant = tuple[str, set[str], Edits]


def rule_breaks_test(cases: list[Case]) -> Callable[..., None]:
    """A test that runs :func:`assert_breaks` on each case (``test_rule_breaks = ...``)."""

    @pytest.mark.parametrize("case", cases, ids=[f"{c.rule}-{c.name}" for c in cases])
    def test_rule_breaks(case: Case, tmp_path: Path) -> None:
        assert_breaks(case, tmp_path)

    return test_rule_breaks


def variants_pass_test(variants: list[Variant]) -> Callable[..., None]:
    """A test that runs :func:`assert_silent` on each variant (``test_accepted_variants_pass``)."""

    @pytest.mark.parametrize(
        ("silent", "edits"), [v[1:] for v in variants], ids=[v[0] for v in variants]
    )
    def test_accepted_variants_pass(tmp_path: Path, silent: set[str], edits: Edits) -> None:
        assert_silent(tmp_path, silent, edits)

    return test_accepted_variants_pass
