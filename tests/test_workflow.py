"""Workflows read with line numbers, YAML 1.2 scalars, and GitHub's branch/tag filters."""

from __future__ import annotations

import pytest

from relnotes.doctor.workflow import (
    YamlError,
    YMap,
    YStr,
    expression,
    filter_matches,
    load_yaml,
    push_fires,
    read_workflow,
)

TEXT = """\
name: x
on:
  push:
    tags: ["v*"]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v7
        with:
          fetch-depth: 0
          persist-credentials: false
      - run: |
          echo one
          echo ${{ github.ref }}
    needs: [a]
  a:
    if: ${{ github.ref_type == 'tag' }}
    steps: []
"""


def test_values_know_their_lines() -> None:
    wf = read_workflow("w.yml", TEXT)
    assert wf.on_line == 2
    assert wf.events == {"push": {"tags": ["v*"]}}
    assert wf.event_lines == {"push": 3}
    build = wf.jobs["build"]
    assert build.line == 6
    assert [s.line for s in build.steps] == [9, 13]
    checkout, script = build.steps
    assert checkout.action == "actions/checkout"
    assert checkout.with_.line_of("persist-credentials") == 12
    assert checkout.input("fetch-depth") == 0
    assert checkout.input("persist-credentials") is False
    assert script.run is not None
    assert script.run.line == 14  # a block scalar starts on the line after `|`
    assert script.run.line_at(script.run.index("${{")) == 15
    assert [j.id for j in wf.ancestors(build)] == ["a"]
    assert wf.jobs["a"].condition == "github.ref_type == 'tag'"


def test_scalars_follow_yaml_1_2_as_github_does() -> None:
    data = load_yaml("on: yes\nv: 3.10\nn: 07\nt: True\nq: 'true'\nz:\n")
    assert isinstance(data, YMap)
    assert data == {"on": "yes", "v": "3.10", "n": 7, "t": True, "q": "true", "z": None}
    assert isinstance(data["q"], YStr)


@pytest.mark.parametrize(
    ("text", "line"),
    [("a: b: c\n", 1), ("a: 1\nb: [1, 2\n", 3), ("- 1\n- 2\n", 1), ("jobs: 3\n", 1)],
)
def test_bad_yaml_is_an_error_with_a_line(text: str, line: int) -> None:
    with pytest.raises(YamlError) as caught:
        read_workflow("w.yml", text)
    assert caught.value.line == line


def test_expression() -> None:
    assert expression("${{ a == 'b' }}") == "a == 'b'"
    assert expression(True) == "true"
    assert expression(None) == ""


@pytest.mark.parametrize(
    ("patterns", "name", "matches"),
    [
        (["v*"], "v1.2.3", True),
        (["v*"], "release/v1", False),
        (["**"], "release/v1", True),
        (["v[0-9]+.[0-9]+.[0-9]+*"], "v10.2.3rc1", True),
        (["v[0-9]+.[0-9]+.[0-9]+"], "v1.2", False),
        (["v*", "!v*-rc*"], "v1.0-rc1", False),
        (["v1.?0"], "v1.0", True),
        ("main", "main", True),
    ],
)
def test_filters(patterns: object, name: str, matches: bool) -> None:
    assert filter_matches(patterns, name) is matches


def test_push_filters_of_one_ref_type_silence_the_other() -> None:
    tags_only = {"tags": ["v*"]}
    assert push_fires(tags_only, tag="v1.0.0")
    assert not push_fires(tags_only, branch="main")
    branches_only = {"branches": ["main"]}
    assert push_fires(branches_only, branch="main")
    assert not push_fires(branches_only, tag="v1.0.0")
    assert push_fires(None, tag="v1.0.0")
    assert push_fires(None, branch="main")
    assert not push_fires({"tags-ignore": ["v*"]}, tag="v1.0.0")
    assert not push_fires({"tags-ignore": ["x*"]}, branch="main")
