"""A project's Makefile, read for its rules: the doctor follows `make dist` into its recipe, and
`relnotes init` runs `make check` where the Makefile has that target."""

from __future__ import annotations

import os
import re

#: The names GNU make looks for, in its order.
MAKEFILES = ("GNUmakefile", "makefile", "Makefile")
MAKE_RULE_RE = re.compile(r"^([A-Za-z0-9_.%/ -]+?)\s*::?(?!=)(.*)$")

MakeRules = dict[str, tuple[list[str], list[str]]]


def parse_makefile(text: str) -> MakeRules:
    """Rules of a Makefile: target -> (prerequisites, recipe lines); variables are not expanded."""
    rules: MakeRules = {}
    current: list[str] = []
    for raw in text.splitlines():
        if raw.startswith("\t"):
            for target in current:
                rules[target][1].append(raw.strip())
            continue
        current = []
        match = MAKE_RULE_RE.match(raw)
        if match is None or raw.lstrip().startswith("#"):
            continue
        current = match[1].split()
        prerequisites = match[2].split("##")[0].split(";")[0].split()
        for target in current:
            rules.setdefault(target, ([], []))[0].extend(prerequisites)
    return rules


def read_makefile(root: str) -> MakeRules:
    """The rules of the Makefile make would use in ``root`` (none without one)."""
    for name in MAKEFILES:
        path = os.path.join(root, name)
        if os.path.isfile(path):
            with open(path, encoding="utf-8", errors="replace") as handle:
                return parse_makefile(handle.read())
    return {}
