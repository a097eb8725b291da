"""What a step runs: its ``run:`` script, the recipes of the make targets it calls, and the
scripts of the repository it runs (``./scripts/release.sh``, ``bash scripts/x.sh``,
``python scripts/x.py``), each read once, within bounds.

A workflow comes from a pull request, and so do the files it names: only files inside the
project are read (a path or link that leads outside is not followed), none larger than
:data:`MAX_SCRIPT_BYTES`, no deeper than :data:`MAX_DEPTH` calls, no more than :data:`MAX_PIECES`
pieces for one step. What is not read is simply not seen.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relnotes.doctor.makefile import MakeRules

MAX_SCRIPT_BYTES = 256 * 1024
MAX_DEPTH = 4
MAX_PIECES = 64
MAKE_RE = re.compile(r"(?:^|[;&|(\s])(?:\$\(MAKE\)|make)((?:[ \t]+[^\s;&|)#]+)*)", re.MULTILINE)
#: Where a shell command starts: a line, after ; && || | ( ` or then/do/else, after VAR=value.
_COMMAND = r"(?:^|[;&|(`]|\b(?:then|do|else|exec)\s)[ \t]*(?:[A-Za-z_]\w*=\S*[ \t]+)*"
_END = r"(?=$|[\s;&|)`])"
_PATH = r"(?!-)(?:\.{1,2}/)?(?:[\w.-]+/)*[\w.-]+"
#: A script of the repository run by a shell or Python, or by its path (``./x``, ``scripts/x.sh``).
SCRIPT_RE = re.compile(
    _COMMAND + r"(?:(?:(?:ba|z|da|k)?sh[ \t]+(?:-[a-z]+[ \t]+)*|source[ \t]+|\.[ \t]+"
    r"|(?:uv[ \t]+run[ \t]+)?python3?(?:\.\d+)?[ \t]+(?:-[uIBE]+[ \t]+)*)"
    rf"({_PATH})|((?:\.{{1,2}}/|[\w.-]+/)(?:[\w.-]+/)*[\w.-]+)){_END}",
    re.MULTILINE,
)
#: ``python -m package.module``: the module's file, when the repository has it.
MODULE_RE = re.compile(_COMMAND + r"python3?(?:\.\d+)?[ \t]+-m[ \t]+([A-Za-z_][\w.]*)" + _END, re.M)
#: A list of string literals in Python (``["twine", "upload", "dist/*"]``): a command's words.
_ARGV_RE = re.compile(r"""[\[(]\s*((?:(["'])[^"'\n]*\2\s*,\s*)+(["'])[^"'\n]*\3)\s*,?\s*[\])]""")
_WORD_RE = re.compile(r"""(["'])([^"'\n]*)\1""")


@dataclass(frozen=True, slots=True)
class Piece:
    """Text a step runs, and where it comes from: ``""`` for the step's own ``run:``, else
    ``make TARGET`` or the path of a script."""

    text: str
    via: str = ""


class Scripts:
    """The project's scripts and make recipes, followed from a step's ``run:``."""

    def __init__(self, root: str, make_rules: MakeRules) -> None:
        self.root = os.path.realpath(root)
        self.make_rules = make_rules
        self._files: dict[str, str | None] = {}

    def pieces(self, run: str, folder: str = "") -> list[Piece]:
        """``run`` and everything it calls, in order (``folder``: the step's working-directory)."""
        out = [Piece(run)]
        self._expand(run, folder, set(), 0, out)
        return out

    def _expand(self, text: str, folder: str, seen: set[str], depth: int, out: list[Piece]) -> None:
        if depth >= MAX_DEPTH:
            return
        for match in MAKE_RE.finditer(text):
            for word in match[1].split():
                if not word.startswith("-") and "=" not in word:
                    self._target(word, seen, depth, out)
        for match in SCRIPT_RE.finditer(text):
            self._script(os.path.join(folder, match[1] or match[2]), folder, seen, depth, out)
        for match in MODULE_RE.finditer(text):
            path = os.path.join(folder, *match[1].split(".")) + ".py"
            if self.read(path) is not None:
                self._script(path, folder, seen, depth, out)

    def _target(self, target: str, seen: set[str], depth: int, out: list[Piece]) -> None:
        key = f"make {target}"
        if key in seen or target not in self.make_rules or len(out) >= MAX_PIECES:
            return
        seen.add(key)
        prerequisites, recipe = self.make_rules[target]
        for name in prerequisites:
            self._target(name, seen, depth, out)
        body = "\n".join(line.lstrip("@-+") for line in recipe)
        out.append(Piece(body, key))
        self._expand(body, "", seen, depth + 1, out)

    def _script(self, path: str, folder: str, seen: set[str], depth: int, out: list[Piece]) -> None:
        relative = os.path.normpath(path).replace(os.sep, "/")
        if relative in seen or len(out) >= MAX_PIECES:
            return
        seen.add(relative)
        text = self.read(relative)
        if text is None:
            return
        if relative.endswith(".py"):  # subprocess.run(["twine", "upload", ...]) as a command
            argv = (" ".join(w[1] for w in _WORD_RE.findall(m[1])) for m in _ARGV_RE.finditer(text))
            text = "\n".join([text, *argv])
        out.append(Piece(text, relative))
        self._expand(text, folder, seen, depth + 1, out)  # it runs where its caller runs

    def read(self, relative: str) -> str | None:
        """A file of the project (``None``: missing, outside the project, too large, a folder)."""
        if relative in self._files:
            return self._files[relative]
        text: str | None = None
        path = os.path.realpath(os.path.join(self.root, relative))
        inside = path.startswith(self.root + os.sep)
        try:
            if inside and os.path.isfile(path) and os.path.getsize(path) <= MAX_SCRIPT_BYTES:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read()
        except OSError:
            text = None
        self._files[relative] = text
        return text
