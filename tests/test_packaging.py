"""What users get: the built wheel carries the templates and works from a fresh venv."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("relnotes-*.whl")
    return found


@pytest.mark.slow
def test_wheel_ships_templates_and_types(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "relnotes/templates/notes.md.jinja" in names
    assert "relnotes/templates/_release.md.jinja" in names  # the body notes and changelog share
    assert "relnotes/templates/changelog.md.jinja" in names
    assert "relnotes/py.typed" in names
    assert "relnotes/parse.py" in names
    assert not any(name.startswith("tests/") for name in names)


@pytest.mark.slow
def test_installed_wheel_renders_notes_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
    )
    sample = tmp_path / "sample"
    subprocess.run(
        [sys.executable, str(ROOT / "tests" / "sample_repo.py"), str(sample)],
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    done = subprocess.run(
        [str(venv / "bin" / "relnotes"), "-C", str(sample), "notes", "v0.3.0"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    golden = (Path(__file__).parent / "golden" / "sample-v0.3.0.md").read_text(encoding="utf-8")
    assert done.stdout == golden
    version = subprocess.run(
        [str(venv / "bin" / "relnotes"), "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("relnotes ")
