"""pyproject.toml with lines: tomllib gives values, not lines, so :func:`toml_line` finds the
line of a table or key by scanning the text, which is enough to point at
``[tool.hatch.version]`` or ``requires-python``."""

from __future__ import annotations

import re

_HEADER_RE = re.compile(r"^\[\[?\s*([^\]]+?)\s*\]\]?")
_ERROR_LINE_RE = re.compile(r"at line (\d+)")


def toml_line(text: str, table: str, key: str | None = None) -> int | None:
    """The line of ``key`` in ``[table]`` (or of the table header when ``key`` is None)."""
    current = ""
    header: int | None = None
    pattern = re.compile(rf"^[\"']?{re.escape(key)}[\"']?\s*=") if key else None
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        match = _HEADER_RE.match(stripped)
        if match:
            current = re.sub(r"[\"'\s]", "", match[1])
            if current == table and header is None:
                header = number
            continue
        if pattern is not None and current == table and pattern.match(stripped):
            return number
    return header if key is None else None


def error_line(error: Exception) -> int:
    """The line a TOMLDecodeError names (1 when it names none)."""
    match = _ERROR_LINE_RE.search(str(error))
    return int(match[1]) if match else 1
