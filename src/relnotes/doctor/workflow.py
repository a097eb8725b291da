"""GitHub Actions workflows as the doctor reads them: :class:`Workflow`, :class:`Job` and
:class:`Step` over the YAML read with lines (:mod:`relnotes.doctor.yaml_lines`), and GitHub's
branch and tag filters.
"""

from __future__ import annotations

import re
from collections import deque
from typing import TYPE_CHECKING, Any

from relnotes.doctor.yaml_lines import YamlError, YList, YMap, YStr, load_yaml

if TYPE_CHECKING:
    from collections.abc import Iterator

_EXPRESSION_RE = re.compile(r"^\s*\$\{\{(.*)\}\}\s*$", re.DOTALL)


def expression(value: object) -> str:
    """The text of an ``if:`` or other expression, without ``${{ }}``."""
    if value is None:
        return ""
    text = str(value).lower() if isinstance(value, bool) else str(value)
    match = _EXPRESSION_RE.match(text)
    return match[1].strip() if match else text.strip()


# --- GitHub's branch and tag filters ------------------------------------------------------


#: One step of a filter pattern: what one character must be, and how often it may come.
_Token = tuple[str, str, str]  # (kind: "char" | "any" | "segment" | "set", value, "1"|"?"|"+"|"*")


def _glob_tokens(pattern: str) -> list[_Token]:
    """GitHub's filter syntax (``*``, ``**``, ``?`` and ``+`` after a character, ``[...]``,
    ``\\`` escapes) as tokens for :func:`glob_match`."""
    tokens: list[_Token] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            if pattern.startswith("**", i):
                tokens.append(("any", "", "*"))
                i += 2
                continue
            tokens.append(("segment", "", "*"))
        elif char in "?+" and tokens and tokens[-1][2] == "1":
            kind, value, _ = tokens[-1]
            tokens[-1] = (kind, value, char)  # zero-or-one / one-or-more of what precedes
        elif char == "[" and pattern.find("]", i + 1) != -1:
            end = pattern.find("]", i + 1)
            tokens.append(("set", pattern[i + 1 : end], "1"))
            i = end
        elif char == "\\" and i + 1 < len(pattern):
            i += 1
            tokens.append(("char", pattern[i], "1"))
        else:
            tokens.append(("char", char, "1"))
        i += 1
    return tokens


def _in_set(spec: str, char: str) -> bool:
    """``[abc]``, ``[a-z0-9]``: the inside of a bracket expression (GitHub has no negation)."""
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            if spec[i] <= char <= spec[i + 2]:
                return True
            i += 3
            continue
        if spec[i] == char:
            return True
        i += 1
    return False


def _accepts(token: _Token, char: str) -> bool:
    kind, value, _ = token
    if kind == "char":
        return char == value
    if kind == "segment":
        return char != "/"
    if kind == "set":
        return _in_set(value, char)
    return True


def glob_match(pattern: str, name: str) -> bool:
    """Whether ``name`` matches a GitHub filter pattern, in time linear in ``name`` (a set of
    positions in the pattern advanced one character at a time: no backtracking)."""
    tokens = _glob_tokens(pattern)
    end = len(tokens)

    def closure(states: set[int]) -> set[int]:
        todo, seen = list(states), set(states)
        while todo:
            state = todo.pop()
            if state < end and tokens[state][2] in "?*" and state + 1 not in seen:
                seen.add(state + 1)  # the token may be skipped
                todo.append(state + 1)
        return seen

    states = closure({0})
    for char in name:
        following: set[int] = set()
        for state in states:
            if state < end and _accepts(tokens[state], char):
                repeat = tokens[state][2] in "+*"
                following.add(state if repeat else state + 1)
                if repeat:
                    following.add(state + 1)
        if not following:
            return False
        states = closure(following)
    return end in states


def filter_matches(patterns: object, name: str) -> bool:
    """Whether ``name`` passes a list of filter patterns (``!`` negates; the last match wins)."""
    items = patterns if isinstance(patterns, list) else [patterns]
    result = False
    for item in items:
        text = str(item)
        negate = text.startswith("!")
        if glob_match(text[1:] if negate else text, name):
            result = not negate
    return result


def push_fires(push: object, *, tag: str | None = None, branch: str | None = None) -> bool:
    """Whether an ``on.push`` configuration fires for a push of this tag or branch."""
    config = push if isinstance(push, dict) else {}
    if tag is not None:
        if "tags" in config:
            return filter_matches(config["tags"], tag)
        if "tags-ignore" in config:
            return not filter_matches(config["tags-ignore"], tag)
        return "branches" not in config and "branches-ignore" not in config
    assert branch is not None
    if "branches" in config:
        return filter_matches(config["branches"], branch)
    if "branches-ignore" in config:
        return not filter_matches(config["branches-ignore"], branch)
    return "tags" not in config and "tags-ignore" not in config


# --- the model -----------------------------------------------------------------------------


class Step:
    """One step of a job."""

    def __init__(self, node: YMap, job: Job) -> None:
        self.node = node
        self.job = job
        self.line = node.line
        uses = node.get("uses")
        self.uses = str(uses) if uses is not None else None
        run = node.get("run")
        if run is not None and not isinstance(run, (YStr, YMap, YList)):
            run = YStr(str(run).lower() if isinstance(run, bool) else str(run))  # `run: 5`
            run.line = node.line_of("run")
        self.run: YStr | None = run if isinstance(run, YStr) else None
        self.with_ = node.map("with")

    @property
    def action(self) -> str:
        """``owner/repo[/path]`` of the action in lower case, without the ref ('' for run:)."""
        if not self.uses:
            return ""
        return self.uses.split("@", 1)[0].strip().lower()

    def is_action(self, *names: str) -> bool:
        action = self.action
        return any(action == n or action.startswith(n + "/") for n in names)

    @property
    def label(self) -> str:
        name = self.node.get("name")
        if name:
            return str(name)
        if self.uses:
            return self.action
        first = (self.run or "").strip().splitlines()
        return first[0] if first else "a step"

    def input(self, key: str) -> object:
        return self.with_.get(key)


class Job:
    """One job, its steps and what it depends on."""

    def __init__(self, job_id: str, node: YMap, workflow: Workflow) -> None:
        self.id = job_id
        self.node = node
        self.workflow = workflow
        self.line = workflow.jobs_node.line_of(job_id)
        raw_steps = node.get("steps")
        self.steps = [
            Step(s, self)
            for s in (raw_steps if isinstance(raw_steps, list) else [])
            if isinstance(s, YMap)
        ]
        needs = node.get("needs")
        if isinstance(needs, list):
            self.needs = [str(n) for n in needs]
        elif needs is None:
            self.needs = []
        else:
            self.needs = [str(needs)]
        self.condition = expression(node.get("if"))
        uses = node.get("uses")
        self.uses = str(uses) if uses is not None else None  # a reusable workflow call

    def line_of(self, key: str) -> int:
        return self.node.line_of(key) if key in self.node else self.line

    @property
    def permissions(self) -> object:
        return self.node.get("permissions")

    def holds(self, scope: str, level: str = "write") -> bool:
        """Whether the job's own permissions block grants ``scope: level`` (or ``write-all``)."""
        return grants(self.permissions, scope, level)


def grants(permissions: object, scope: str, level: str = "write") -> bool:
    """Whether a permissions value grants ``scope`` at ``level``."""
    if isinstance(permissions, str):
        return permissions == f"{level}-all" or (level == "read" and permissions == "write-all")
    if isinstance(permissions, dict):
        value = permissions.get(scope)
        return value == level or (level == "read" and value == "write")
    return False


class Workflow:
    """One workflow file: its triggers, jobs and the raw lines (for comments)."""

    def __init__(self, path: str, text: str, root: YMap) -> None:
        self.path = path
        self.text = text
        self.lines = text.splitlines()
        self.root = root
        on = root.get("on")
        self.on_line = root.line_of("on")
        self.events = _events(on)
        self.event_lines: dict[str, int] = (
            dict(on.key_lines) if isinstance(on, YMap) else dict.fromkeys(self.events, self.on_line)
        )
        self.jobs_node = root.map("jobs")
        self.jobs = {
            str(k): Job(str(k), v, self) for k, v in self.jobs_node.items() if isinstance(v, YMap)
        }
        self._ancestors: dict[str, list[Job]] = {}
        self._waiting: dict[str, list[Job]] | None = None  # job id -> the jobs that need it

    def raw_line(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def ancestors(self, job: Job) -> list[Job]:
        """Every job ``job`` waits for, directly or not (in a stable order; found once)."""
        if job.id in self._ancestors:
            return self._ancestors[job.id]
        seen: dict[str, Job] = {}
        pending = deque(job.needs)
        while pending:
            name = pending.popleft()
            other = self.jobs.get(name)
            if other is None or name in seen or other is job:
                continue
            seen[name] = other
            pending.extend(other.needs)
        self._ancestors[job.id] = found = list(seen.values())
        return found

    def descendants(self, job: Job) -> list[Job]:
        """Every job that waits for ``job``, directly or not (in the workflow's order)."""
        if self._waiting is None:
            self._waiting = {}
            for other in self.jobs.values():
                for name in other.needs:
                    self._waiting.setdefault(name, []).append(other)
        found: set[str] = set()
        pending = deque([job.id])
        while pending:
            for other in self._waiting.get(pending.popleft(), []):
                if other.id not in found and other is not job:
                    found.add(other.id)
                    pending.append(other.id)
        return [j for j in self.jobs.values() if j.id in found]

    def steps(self) -> Iterator[Step]:
        for job in self.jobs.values():
            yield from job.steps


def _events(on: object) -> dict[str, Any]:
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {str(e): None for e in on}
    if isinstance(on, dict):
        return {str(k): v for k, v in on.items()}
    return {}


def read_workflow(path: str, text: str) -> Workflow:
    """Read one workflow; :class:`YamlError` for bad YAML or a document of the wrong shape."""
    document = load_yaml(text)
    if not isinstance(document, YMap):
        raise YamlError("not a workflow: the document is not a mapping of keys", 1)
    if "jobs" in document and not isinstance(document["jobs"], YMap):
        raise YamlError("`jobs` is not a mapping of job ids", document.line_of("jobs"))
    return Workflow(path, text, document)
