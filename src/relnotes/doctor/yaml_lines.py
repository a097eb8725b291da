"""YAML read with line numbers and within bounds, for the doctor's workflow files.

PyYAML's event stream (no Python objects are built from tags) is composed here, without
recursion, into :class:`YMap`, :class:`YList` and :class:`YStr` values that remember their line.
Scalars follow YAML 1.2 as GitHub reads it: ``on`` and ``yes`` stay strings, ``3.10`` stays
``"3.10"``.

Workflows come from pull requests, so what a file may expand to is bounded: an alias is the
anchored value itself (shared, never copied), but it counts as every value it stands for, and a
document that expands past :data:`MAX_VALUES` values (a "billion laughs"), nests deeper than
:data:`MAX_DEPTH`, or is longer than :data:`MAX_CHARS` is a :class:`YamlError` ("too large to
read safely"), never a MemoryError, a hang or a RecursionError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from relnotes.errors import RelnotesError

#: A workflow longer than this is not read (GitHub's own workflows are a few KiB).
MAX_CHARS = 1 << 20
#: Nesting of mappings and lists (a workflow nests about ten deep).
MAX_DEPTH = 64
#: Values in the document, each alias counted as all the values it stands for.
MAX_VALUES = 250_000
TOO_LARGE = "the file is too large to read safely"
_INT_RE = re.compile(r"[-+]?[0-9]+")


class YMap(dict[str, Any]):
    """A YAML mapping that knows the line of itself and of each of its keys (1-based)."""

    line: int = 1
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def map(self, key: str) -> YMap:
        """The mapping under ``key``, or an empty one (at this mapping's line)."""
        value = self.get(key)
        if isinstance(value, YMap):
            return value
        empty = YMap()
        empty.line = self.line_of(key)
        empty.key_lines = {}
        return empty


class YList(list[Any]):
    """A YAML sequence that knows its line."""

    line: int = 1


class YStr(str):
    """A YAML string that knows the line its text starts on, and its style."""

    line: int = 1
    block: bool = False

    def line_at(self, index: int) -> int:
        """The file line of character ``index`` of this text."""
        return self.line + self.count("\n", 0, index)


class YamlError(RelnotesError):
    """A file is not valid YAML, or too large to read safely; ``line`` says where."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def load_yaml(text: str) -> Any:
    """The document as YMap/YList/YStr/int/bool/None values; raises :class:`YamlError`."""
    import yaml

    if len(text) > MAX_CHARS:
        raise YamlError(f"{TOO_LARGE}: {len(text):,} characters (the limit is {MAX_CHARS:,})", 1)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return _Composer().document(yaml.parse(text, Loader=loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        if "nesting depth" in str(exc.problem):  # libyaml's own bound, met before ours
            raise YamlError(f"{TOO_LARGE}: it nests deeper than {MAX_DEPTH} levels", line) from None
        raise YamlError(f"not valid YAML: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"not valid YAML: {exc}", 1) from None


@dataclass(slots=True)
class _Open:
    """A mapping or list being composed: its value, size so far, anchor, and a pending key."""

    value: YMap | YList
    anchor: str | None
    line: int
    size: int = 1
    key: str | None = None
    key_line: int = 0


class _Composer:
    """PyYAML events to values, with an explicit stack and a budget of values."""

    def __init__(self) -> None:
        # an anchor's value, its size (values it stands for) and, for a scalar, its text
        self.anchors: dict[str, tuple[Any, int, str | None]] = {}
        self.stack: list[_Open] = []
        self.total = 0
        self.result: Any = None

    def document(self, events: Any) -> Any:
        import yaml

        documents = 0
        for event in events:
            line = event.start_mark.line + 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlError(
                        "not a workflow: the file holds more than one YAML document", line
                    )
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                self._open(event, line)
            elif isinstance(event, yaml.CollectionEndEvent):
                done = self.stack.pop()
                if done.anchor is not None:
                    self.anchors[done.anchor] = (done.value, done.size, None)
                self._add(done.value, done.size, None, done.line)
            elif isinstance(event, yaml.ScalarEvent):
                self._count(1, line)
                value = _scalar(event, line)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1, str(event.value))
                self._add(value, 1, str(event.value), line)
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in self.anchors:
                    raise YamlError(f"not valid YAML: found undefined alias {event.anchor!r}", line)
                value, size, text = self.anchors[event.anchor]
                self._count(size, line)
                self._add(value, size, text, line)
        return self.result

    def _open(self, event: Any, line: int) -> None:
        import yaml

        if len(self.stack) >= MAX_DEPTH:
            raise YamlError(f"{TOO_LARGE}: it nests deeper than {MAX_DEPTH} levels", line)
        self._count(1, line)
        value: YMap | YList
        if isinstance(event, yaml.MappingStartEvent):
            value = YMap()
            value.key_lines = {}
        else:
            value = YList()
        value.line = line
        self.stack.append(_Open(value, event.anchor, line))

    def _count(self, values: int, line: int) -> None:
        """Spend the budget: one value, or all the values an alias stands for."""
        self.total += values
        if self.total > MAX_VALUES:
            raise YamlError(f"{TOO_LARGE}: its aliases expand past {MAX_VALUES:,} values", line)

    def _add(self, value: Any, size: int, text: str | None, line: int) -> None:
        """Put a finished value in its place: the document, a list, a key, or a key's value."""
        if not self.stack:
            self.result = value
            return
        parent = self.stack[-1]
        parent.size += size
        if isinstance(parent.value, YList):
            parent.value.append(value)
        elif parent.key is None:  # a key: its text as written ("?" for a list or mapping)
            parent.key = text if text is not None else "?"
            parent.key_line = line
        else:
            parent.value[parent.key] = value
            parent.value.key_lines[parent.key] = parent.key_line
            parent.key = None


def _scalar(event: Any, line: int) -> Any:
    text = str(event.value)
    if not event.style and len(text) < 100:  # plain (None, or "" from the C loader): typed
        if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return text.lower() == "true"
        if text in ("", "~", "null", "Null", "NULL"):
            return None
        if _INT_RE.fullmatch(text):
            return int(text)
    value = YStr(text)
    value.block = event.style in ("|", ">")
    value.line = line + 1 if value.block else line
    return value
