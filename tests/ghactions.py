"""A workflow file read as GitHub reads it, and its `run:` steps run as a runner runs them.

Enough of GitHub Actions for tests: load a workflow, evaluate the `if:` expressions these
workflows use, and run a job's shell steps in order with bash -eo pipefail (GitHub's default
shell), stopping at the first failure. `uses:` steps are the caller's business.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from pathlib import Path


def load_workflow(text: str) -> dict[str, Any]:
    data: dict[Any, Any] = yaml.safe_load(text)
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def evaluate(condition: str, github: dict[str, str]) -> bool:
    """GitHub's expression subset these workflows use: ==, &&, ||, startsWith, github.*."""
    python = condition.replace("&&", " and ").replace("||", " or ")
    python = re.sub(r"\bgithub\.(\w+)", r"github['\1']", python)
    python = python.replace("startsWith(", "starts_with(")
    names = {"github": github, "starts_with": str.startswith, "true": True, "false": False}
    return bool(eval(python, {"__builtins__": {}}, names))


def github_context(event: str, ref: str, repository: str, sha: str = "") -> dict[str, str]:
    ref_type = "tag" if ref.startswith("refs/tags/") else "branch"
    return {
        "event_name": event,
        "ref": ref,
        "ref_type": ref_type,
        "ref_name": ref.split("/", 2)[-1],
        "repository": repository,
        "sha": sha,
    }


@dataclass(frozen=True, slots=True)
class StepResult:
    name: str
    code: int
    output: str

    @property
    def reason(self) -> str:
        """The one line that says why a step failed (a ::error:: or relnotes' finding)."""
        lines = self.output.splitlines()
        for marker in ("::error::", "relnotes: verify: ", "relnotes: error: "):
            for line in lines:
                if line.startswith(marker):
                    return line
        return lines[-1] if lines else f"exit {self.code}"


def run_steps(
    job: dict[str, Any], github: dict[str, str], cwd: Path, path: list[str]
) -> list[StepResult]:
    """Run the job's `run:` steps whose `if:` holds; stop after the first that fails."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join([*path, env.get("PATH", "")])
    for key, value in github.items():
        env[f"GITHUB_{key.upper()}"] = value
    results: list[StepResult] = []
    for step in job.get("steps", []):
        if "run" not in step or not evaluate(step.get("if", "true"), github):
            continue
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=cwd,
            env={**env, **step.get("env", {})},
            capture_output=True,
            text=True,
            check=False,
        )
        name = step.get("name", step["run"].splitlines()[0])
        results.append(StepResult(name, done.returncode, done.stdout + done.stderr))
        if done.returncode != 0:
            break
    return results
