"""The workflow templates: the project's own workflows are exactly them, rendered."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from relnotes.errors import TemplateError
from relnotes.scaffold import GITHUB_FILES, PINS, RELNOTES, github_files, read_pins, render_workflow

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("path", "text"), sorted(github_files(**RELNOTES).items()))
def test_own_github_files_are_the_rendered_templates(path: str, text: str) -> None:
    on_disk = (ROOT / path).read_text(encoding="utf-8")
    assert on_disk == text, (
        f"{path} drifted from templates/scaffold/{path.rsplit('/', 1)[1]}.jinja: "
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
    assert 'python -m pip install "relnotes"' in jobs["build"]["steps"][-1]["run"]
    assert 'python -m pip install "relnotes"' in jobs["release-notes"]["steps"][-2]["run"]
    assert "pip install dist/*.whl" not in text
    # the build tools come from the project's own hash-pinned file (init writes it)
    assert "-r .github/build-requirements.txt\n" in jobs["build"]["steps"][5]["run"]
    assert "refs/tags/release-" in jobs["release-notes"]["if"]
    assert '"${GITHUB_REF_NAME#release-}"' in jobs["release-notes"]["steps"][-2]["run"]


def test_the_pins_come_from_the_pins_file() -> None:
    text = (
        "    - uses: actions/checkout@"
        + "a" * 40
        + " # v9.1.0\n    - uses: pypa/gh-action-pypi-publish@"
        + "b" * 40
        + " # v2.0.0\n"
    )
    assert read_pins(text) == {
        "checkout": ("actions/checkout", "v9.1.0", "a" * 40),
        "pypi_publish": ("pypa/gh-action-pypi-publish", "v2.0.0", "b" * 40),
    }
    assert set(PINS) == {
        "checkout",
        "setup_python",
        "upload_artifact",
        "download_artifact",
        "pypi_publish",
    }


def test_every_action_is_pinned_by_sha() -> None:
    for name in GITHUB_FILES:
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
