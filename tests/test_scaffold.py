"""The workflow templates: the project's own workflows are exactly them, rendered."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from relnotes.errors import TemplateError
from relnotes.scaffold import PINS, RELNOTES, WORKFLOWS, render_workflow

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", WORKFLOWS)
def test_own_workflow_is_the_rendered_template(name: str) -> None:
    on_disk = (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")
    assert on_disk == render_workflow(name, **RELNOTES), (
        f".github/workflows/{name} drifted from templates/scaffold/{name}.jinja: "
        "run `make render-workflows`"
    )


def test_user_values_reach_the_release_workflow() -> None:
    text = render_workflow(
        "release.yml",
        package="sampleproj",
        repository="example/sampleproj",
        python_versions=["3.12", "3.13"],
        tag_pattern="release-*",
    )
    data = yaml.safe_load(text)
    jobs = data["jobs"]
    assert data[True]["push"]["tags"] == ["release-*"]  # YAML 1.1 reads `on` as true
    assert jobs["check"]["strategy"]["matrix"]["python"] == ["3.12", "3.13"]
    assert "startsWith(github.ref, 'refs/tags/release-')" in jobs["publish-pypi"]["if"]
    assert "github.repository == 'example/sampleproj'" in jobs["publish-pypi"]["if"]
    assert jobs["publish-pypi"]["environment"]["url"] == "https://pypi.org/p/sampleproj"
    assert jobs["publish-testpypi"]["environment"]["url"] == "https://test.pypi.org/p/sampleproj"
    # a user project runs relnotes from PyPI, not from its own wheel
    assert 'python -m pip install "relnotes"' in jobs["build"]["steps"][-2]["run"]
    assert "pip install dist/*.whl" not in text


def test_every_action_is_pinned_by_sha() -> None:
    for name in WORKFLOWS:
        text = render_workflow(name, package="p", repository="o/p")
        for line in text.splitlines():
            if "uses:" in line:
                ref = line.split("uses:", 1)[1].strip()
                action, _, rest = ref.partition("@")
                sha, _, comment = rest.partition(" # ")
                assert len(sha) == 40, line
                assert (action, comment, sha) in PINS.values(), line


def test_gha_expressions_survive_rendering() -> None:
    text = render_workflow("ci.yml", package="p", repository="o/p")
    assert "${{ github.event.pull_request.base.sha }}" in text
    assert "{%" not in text
    assert "{#" not in text


def test_missing_values_and_unknown_names_are_one_line_errors() -> None:
    with pytest.raises(TemplateError, match="'package' is undefined"):
        render_workflow("release.yml", repository="o/p")
    with pytest.raises(TemplateError, match=r"no workflow template 'deploy\.yml'"):
        render_workflow("deploy.yml", package="p", repository="o/p")
