"""Section titles as changelog tools write them, and the commit type a title names."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

#: Section titles as tools write them, by commit type ("breaking": the breaking changes).
FAMILIES: dict[str, dict[str, str]] = {
    "commitizen": {
        "breaking": "BREAKING CHANGE",
        "feat": "Feat",
        "fix": "Fix",
        "refactor": "Refactor",
        "perf": "Perf",
        "docs": "Docs",
        "revert": "Revert",
        "style": "Style",
        "test": "Test",
        "build": "Build",
        "ci": "Ci",
        "chore": "Chore",
    },
    "git-cliff": {
        "feat": "🚀 Features",
        "fix": "🐛 Bug Fixes",
        "refactor": "🚜 Refactor",
        "docs": "📚 Documentation",
        "perf": "⚡ Performance",
        "style": "🎨 Styling",
        "test": "🧪 Testing",
        "chore": "⚙️ Miscellaneous Tasks",
        "ci": "⚙️ Miscellaneous Tasks",
        "revert": "◀️ Revert",
    },
    "angular": {
        "breaking": "BREAKING CHANGES",
        "feat": "Features",
        "fix": "Bug Fixes",
        "perf": "Performance Improvements",
        "refactor": "Code Refactoring",
        "revert": "Reverts",
        "docs": "Documentation",
        "style": "Styles",
        "test": "Tests",
        "build": "Build System",
        "ci": "Continuous Integration",
        "chore": "Chores",
    },
    "keep-a-changelog": {
        "feat": "Added",
        "fix": "Fixed",
        "perf": "Changed",
        "refactor": "Changed",
        "docs": "Changed",
        "style": "Changed",
        "build": "Changed",
        "revert": "Removed",
    },
}
#: Titles recognised by their words (lower case, letters only), besides the families' own.
_WORDS: dict[str, tuple[str, ...]] = {
    "breaking": ("breaking", "breaking change", "breaking changes"),
    "feat": ("feat", "feature", "features", "new features", "new feature", "added"),
    "fix": ("fix", "fixes", "bug fixes", "bugfixes", "bug fix", "fixed", "bugs fixed"),
    "perf": ("perf", "performance", "performance improvements", "performance improvement"),
    "refactor": ("refactor", "refactoring", "refactors", "code refactoring"),
    "docs": ("docs", "doc", "documentation"),
    "revert": ("revert", "reverts", "reverted"),
    "style": ("style", "styles", "styling"),
    "test": ("test", "tests", "testing"),
    "build": ("build", "build system", "builds"),
    "ci": ("ci", "continuous integration"),
    "chore": ("chore", "chores", "miscellaneous tasks", "miscellaneous"),
}


def title_type(title: str) -> str | None:
    """The commit type a section title names (``Bug Fixes`` -> fix), or ``None``."""
    words = " ".join(re.findall(r"[^\W\d_]+", re.sub(r"<!--.*?-->", "", title).lower()))
    for name, spellings in _WORDS.items():
        if words in spellings:
            return name
    return words if words in ("changed", "removed", "deprecated", "security") else None


def family_of(
    titles: Mapping[str, str], sections: Mapping[str, str], breaking: str
) -> dict[str, str]:
    """The titles of the tool the file's titles come from (the configuration's on a tie)."""
    own = {"breaking": breaking, **sections}
    best, score = own, float(sum(own.get(k) == v for k, v in titles.items()))
    for name, family in FAMILIES.items():
        found = float(sum(family.get(k) == v for k, v in titles.items()))
        if name == "git-cliff":  # its titles start with an emoji, whichever the user chose
            found += sum(0.5 for v in titles.values() if v[:1] and not v[:1].isalnum())
        if found > score:
            best, score = family, found
    return best
