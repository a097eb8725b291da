"""What a word in a header may be: a known type misspelled (a sure fix), another spelling of
one (``feature``), or a verb that hints at one (``Add`` -> feat or fix, never a fix)."""

from __future__ import annotations

#: Other spellings of a standard type: the same word, so the fix keeps the meaning.
SPELLINGS = {
    "feature": "feat",
    "features": "feat",
    "feats": "feat",
    "bugfix": "fix",
    "bugfixes": "fix",
    "fixes": "fix",
    "fixed": "fix",
    "doc": "docs",
    "documentation": "docs",
    "tests": "test",
    "testing": "test",
    "refactoring": "refactor",
    "refactors": "refactor",
    "chores": "chore",
    "performance": "perf",
    "styles": "style",
    "builds": "build",
    "reverts": "revert",
}
#: Words that say what a change is without being its type: suggestions only, never a fix.
HINTS = {
    "add": ("feat", "fix"),
    "new": ("feat",),
    "implement": ("feat",),
    "introduce": ("feat",),
    "support": ("feat",),
    "allow": ("feat",),
    "create": ("feat",),
    "enable": ("feat",),
    "bug": ("fix",),
    "hotfix": ("fix",),
    "correct": ("fix",),
    "repair": ("fix",),
    "resolve": ("fix",),
    "handle": ("fix",),
    "prevent": ("fix",),
    "avoid": ("fix",),
    "update": ("chore", "build", "docs"),
    "upgrade": ("build", "chore"),
    "bump": ("build", "chore"),
    "deps": ("build", "chore"),
    "remove": ("refactor", "feat!"),
    "delete": ("refactor", "feat!"),
    "drop": ("feat!", "refactor"),
    "rename": ("refactor",),
    "move": ("refactor",),
    "clean": ("refactor", "chore"),
    "cleanup": ("refactor", "chore"),
    "simplify": ("refactor",),
    "improve": ("perf", "refactor"),
    "optimize": ("perf",),
    "optimise": ("perf",),
    "speed": ("perf",),
    "document": ("docs",),
    "readme": ("docs",),
    "release": ("chore",),
    "wip": ("chore",),
}

# Patterns for what a good message rarely needs: compiled on first use (``re`` caches them),


def distance(a: str, b: str) -> int:
    """Edit distance with adjacent swaps (``fxi`` is one step from ``fix``)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


def close_types(word: str, allowed: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """The known types ``word`` may be a spelling of, and whether the fix is sure.

    Sure: the type in another case, another spelling of the same word (``feature``), or one
    typo away when that cannot be another word (two letters swapped, as ``fxi``, or a slip in a
    word of five letters or more). ``cli`` is one letter from ``ci`` and ``core`` from
    ``chore``, but they are words of their own: suggested, never fixed.
    """
    lowered = word.lower()
    if lowered in allowed:
        return (lowered,), True
    spelling = SPELLINGS.get(lowered)
    if spelling is not None and spelling in allowed:
        return (spelling,), True
    limit = 1 if len(lowered) <= 6 else 2
    close = tuple(t for t in allowed if distance(lowered, t) <= limit)
    if len(close) != 1:
        return close, False
    swapped = len(lowered) == len(close[0]) and sorted(lowered) == sorted(close[0])
    return close, swapped or len(lowered) >= 5


def did_you_mean(close: tuple[str, ...], allowed: tuple[str, ...]) -> str:
    if len(close) == 1:
        return f"did you mean {close[0]!r}?"
    if close:
        return f"did you mean one of: {', '.join(close)}?"
    return f"use one of: {', '.join(allowed)}"
