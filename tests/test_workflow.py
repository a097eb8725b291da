"""Workflows read with line numbers, YAML 1.2 scalars, and GitHub's branch/tag filters."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relnotes.doctor.workflow import expression, filter_matches, push_fires, read_workflow
from relnotes.doctor.yaml_lines import YamlError, YMap, YStr, load_yaml

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


def reference(pattern: str) -> re.Pattern[str]:
    """GitHub's filter syntax as a backtracking regex: right, but slow on hostile input."""
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char in "?+" and out and out[-1][-1] not in "*?+":
            out.append(char)
        elif char == "[" and "]" in pattern[i + 1 :]:
            end = pattern.index("]", i + 1)
            out.append(f"[{re.escape(pattern[i + 1 : end])}]" if end > i + 1 else "(?!)")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out), re.DOTALL)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.text("ab/*?+[]-.", max_size=8), st.text("ab/-.", max_size=10))
def test_filters_match_as_the_backtracking_reference(pattern: str, name: str) -> None:
    expected = reference(pattern).fullmatch(name) is not None
    assert filter_matches([pattern], name) is expected


@pytest.mark.parametrize(
    ("pattern", "without_b"),
    [
        ("*a" * 30 + "*b", True),
        ("a+" * 30 + "b", True),
        ("**a" * 20 + "b", True),
        ("a?" * 40 + "b", False),
    ],
)
def test_a_hostile_filter_takes_time_linear_in_the_name(pattern: str, without_b: bool) -> None:
    """A backtracking regex takes (practically) forever here; the pattern walk does not."""
    name = "a" * 20_000
    assert filter_matches([pattern], name) is False
    assert filter_matches([pattern.replace("b", "")], name) is without_b


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


# --- bounds: what a workflow from a pull request may expand to -------------------------------


def billion_laughs(levels: int) -> str:
    """Each anchor a list of ten aliases of the one before: 10**levels values in a small file."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_aliases_share_the_anchored_value_and_count_what_they_expand_to() -> None:
    data = load_yaml("x: &s {a: 1}\ny: *s\nz: [*s, *s]\n")
    assert data["y"] is data["x"]
    assert data["z"][1] is data["x"]
    assert load_yaml(billion_laughs(4))["a4"][9][9][9][9][9] == "lol"  # 10**4 values: fine
    with pytest.raises(YamlError, match="too large to read safely: its aliases expand past") as e:
        load_yaml(billion_laughs(9))  # 10**9 values: refused long before memory runs out
    assert e.value.line == 6


def test_deep_nesting_and_long_files_are_too_large_to_read() -> None:
    with pytest.raises(YamlError, match="too large to read safely: it nests deeper than 64"):
        load_yaml("on: " + "[" * 100 + "]" * 100 + "\n")
    with pytest.raises(YamlError, match="it nests deeper than 64"):  # no RecursionError either
        load_yaml("on: " + "{a: [" * 10_000 + "]}" * 10_000 + "\n")
    nested = load_yaml("x: " + "[" * 60 + "]" * 60)["x"]
    depth = 0
    while nested == [nested[0]] if nested else False:
        nested, depth = nested[0], depth + 1
    assert depth == 59  # sixty lists, the innermost empty: within the bound
    long = "x: |\n" + "  y\n" * 300_000
    with pytest.raises(YamlError, match=r"too large to read safely: 1,200,005 characters"):
        load_yaml(long)


def test_odd_scalars_and_keys_are_read_as_text() -> None:
    data = load_yaml("n: " + "9" * 5000 + "\n? [a, b]\n: list key\n1: one\n~: null key\n")
    assert data["n"] == "9" * 5000  # not an int of 5000 digits (Python refuses those)
    assert data["?"] == "list key"
    assert data["1"] == "one"
    assert data["~"] == "null key"
    with pytest.raises(YamlError, match="more than one YAML document"):
        load_yaml("a: 1\n---\nb: 2\n")
    with pytest.raises(YamlError, match="undefined alias 'nope'"):
        load_yaml("a: *nope\n")
