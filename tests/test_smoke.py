"""The command answers at all: --help and --version through the real console script."""

from __future__ import annotations

import subprocess
import sys


def test_version_and_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "relnotes", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.startswith("relnotes ")
