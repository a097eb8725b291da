"""A workflow file read as GitHub reads it, and its `run:` steps run as a runner runs them.

Enough of GitHub Actions for tests: load a workflow, evaluate the `if:` expressions these
workflows use, and run a job's shell steps in order with bash -eo pipefail (GitHub's default
shell), stopping at the first failure. `uses:` steps are the caller's business.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


def load_workflow(text: str) -> dict[str, Any]:
    data: dict[Any, Any] = yaml.safe_load(text)
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true
    return data


def evaluate(condition: str, github: dict[str, Any]) -> bool:
    """GitHub's expression subset these workflows use: ==, !=, &&, ||, startsWith, github.*."""
    python = condition.strip().removeprefix("${{").removesuffix("}}")
    python = python.replace("&&", " and ").replace("||", " or ")
    python = re.sub(r"\bgithub\.(\w+)", r"github['\1']", python)
    python = python.replace("startsWith(", "starts_with(")
    names = {"github": github, "starts_with": str.startswith, "true": True, "false": False}
    return bool(eval(python, {"__builtins__": {}}, names))


_EXPRESSION_RE = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")


def substitute(value: object, contexts: dict[str, Any]) -> str:
    """``${{ a.b.c }}`` looked up in ``contexts`` (missing: empty, as GitHub does)."""

    def lookup(match: re.Match[str]) -> str:
        found: Any = contexts
        for key in match[1].split("."):
            found = found.get(key) if isinstance(found, dict) else None
        if isinstance(found, bool):
            return str(found).lower()
        return "" if found is None else str(found)

    return _EXPRESSION_RE.sub(lookup, str(value))


def github_context(event: str, ref: str, repository: str, sha: str = "") -> dict[str, Any]:
    ref_type = "tag" if ref.startswith("refs/tags/") else "branch"
    return {
        "event_name": event,
        "ref": ref,
        "ref_type": ref_type,
        "ref_name": ref.split("/", 2)[-1],
        "repository": repository,
        "sha": sha,
        "run_attempt": "1",
        "token": "rehearsal-token",
        "event": {"repository": {"fork": False}},
    }


@dataclass(frozen=True, slots=True)
class StepResult:
    name: str
    code: int
    output: str
    outputs: dict[str, str] = field(default_factory=dict)  # what it wrote to $GITHUB_OUTPUT
    summary: str = ""  # what it wrote to $GITHUB_STEP_SUMMARY
    step_id: str | None = None

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
    job: dict[str, Any],
    github: dict[str, Any],
    cwd: Path,
    path: list[str],
    needs: dict[str, dict[str, Any]] | None = None,
) -> list[StepResult]:
    """Run the job's `run:` steps whose `if:` holds; stop after the first that fails.

    A step's `env:` sees `${{ github.* }}`, `${{ needs.<job>.outputs.* }}` and the outputs of
    the steps before it; $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY are files, read back.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join([*path, env.get("PATH", "")])
    for key, value in github.items():
        if isinstance(value, str):
            env[f"GITHUB_{key.upper()}"] = value
    contexts: dict[str, Any] = {"github": github, "needs": needs or {}, "steps": {}}
    results: list[StepResult] = []
    with tempfile.TemporaryDirectory() as files:
        for index, step in enumerate(job.get("steps", [])):
            if "run" not in step or not evaluate(step.get("if", "true"), github):
                continue
            output, summary = Path(files, f"output-{index}"), Path(files, f"summary-{index}")
            output.touch()
            summary.touch()
            step_env = {k: substitute(v, contexts) for k, v in step.get("env", {}).items()}
            done = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=cwd,
                env={
                    **env,
                    **step_env,
                    "GITHUB_OUTPUT": str(output),
                    "GITHUB_STEP_SUMMARY": str(summary),
                },
                capture_output=True,
                text=True,
                check=False,
            )
            outputs = dict(
                line.split("=", 1) for line in output.read_text().splitlines() if "=" in line
            )
            if "id" in step:
                contexts["steps"][step["id"]] = {"outputs": outputs}
            name = step.get("name", step["run"].splitlines()[0])
            results.append(
                StepResult(
                    name,
                    done.returncode,
                    done.stdout + done.stderr,
                    outputs,
                    summary.read_text(encoding="utf-8"),
                    step.get("id"),
                )
            )
            if done.returncode != 0:
                break
    return results


def job_outputs(job: dict[str, Any], results: list[StepResult]) -> dict[str, str]:
    """The job's `outputs:`, from the outputs of its steps (by their `id`)."""
    steps = {r.step_id: {"outputs": r.outputs} for r in results if r.step_id}
    return {k: substitute(v, {"steps": steps}) for k, v in job.get("outputs", {}).items()}
