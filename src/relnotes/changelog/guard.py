"""What keeps an update of CHANGELOG.md from losing anything or reaching outside the project.

- The file lies inside the repository (a symlink out of it, or a ``changelog_file`` like
  ``../x``, is refused unless the user's own command line allows it); that it is text (UTF-8,
  no NUL byte) is checked as it is read (:func:`relnotes.changelog.source.read_file`).
- A section the update removes or replaces (the Unreleased section, pre-release sections folded
  into their final release) holds no hand-written text that the new file would not have: such
  text stops the update with one line naming it, instead of vanishing.
- ``unreleased_version`` never names a version that is released already.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from relnotes.errors import ConfigError, RelnotesError

if TYPE_CHECKING:
    from collections.abc import Container, Iterable, Sequence

    from relnotes.models import Commit
    from relnotes.project import Project

#: What a contributors list writes after a name.
_MARK_RE = re.compile(r"\((?:first contribution|new contributor)\)")
#: What a contributors list writes around a name (besides bullets and Markdown marks).
_PERSON_RE = re.compile(rf"{_MARK_RE.pattern}|\]\([^)]*\)")
#: A character escaped for Markdown (the md_text filter: ``jane\_doe``).
_ESCAPED_RE = re.compile(r"\\(.)")
#: A link's target, or a bare URL (a change of style moves them).
_LINK_RE = re.compile(r"\]\([^)]*\)|<?https?://\S+")
_WORD_RE = re.compile(r"[^\W_]+")
_HASH_RE = re.compile(r"[0-9a-f]{7,40}")
#: How much hand-written text the refusal quotes.
_SHOWN = 60


def _empty_texts() -> frozenset[str]:
    """What the built-in template writes for a release with no entry (``relnotes.notes`` is
    imported only when an update removes a section: ``changelog --check`` never does)."""
    from relnotes.notes import HIDDEN_CHANGES, NO_CHANGES

    return frozenset({NO_CHANGES, HIDDEN_CHANGES})


def inside_repository(project: Project, path: str, *, allow_outside: bool) -> str:
    """``path`` (absolute), refused when it, or what its links point to, leaves the repository."""
    root = os.path.realpath(project.root)
    real = os.path.realpath(path)
    if allow_outside or os.path.commonpath([root, real]) == root:
        return path
    shown = os.path.relpath(path, project.root) if not os.path.isabs(path) else path
    where = f" (it points to {real})" if os.path.realpath(path) != os.path.abspath(path) else ""
    raise RelnotesError(
        f"refusing to write the changelog outside the repository: {shown}{where}",
        hint="name a file inside the repository; to mean it, pass --allow-outside on the "
        "command line (the configuration cannot)",
    )


def stale_unreleased_title(project: Project) -> None:
    """``unreleased_version`` naming a version that is tagged now would title the new
    Unreleased section as a release that already has one."""
    title = project.config.unreleased_version
    if not title:
        return
    history = project.history
    version = history.tag_format.version_of(title)
    if version is None:
        from packaging.version import InvalidVersion, Version

        try:
            version = Version(title.strip())
        except InvalidVersion:
            return
    tagged = next((t for t in history.tags if t.version == version), None)
    if tagged is not None:
        raise ConfigError(
            f"unreleased_version = {title!r} is released now (tag {tagged.name}): the "
            "Unreleased section would be titled as that release",
            hint="remove unreleased_version from the configuration, or set the next version",
        )


def hand_written(
    removed: Iterable[tuple[str, str]],
    new_text: str,
    commits: Iterable[Commit],
    *,
    folded: Container[str] = (),
) -> list[tuple[str, str]]:
    """The lines of the removed sections that relnotes did not write and the new file lacks.

    ``removed`` holds (section name, its text). A line counts as written by relnotes when it
    is blank, a heading, a link definition or comment, or names one of ``commits`` (by its
    hash or its description), so a change of template or style is never taken for a hand
    edit; a line the new file has verbatim is not lost either. In the sections named in
    ``folded`` (pre-releases folded into their final release, whose block lists the same
    entries again) an entry is written by relnotes only when the new file lists it in the
    same words (links and hashes aside), or not at all: a reworded entry is hand-written.
    """
    shas: set[str] = set()
    descriptions: set[str] = set()
    people: set[str] = set()  # a contributors list names them, with markup around at most
    for commit in commits:
        shas.add(commit.sha[:7])
        people.add(commit.author.strip().lower())
        for footer in commit.parsed.footers:
            if footer.token.lower() == "co-authored-by":
                people.add(footer.value.split("<", 1)[0].strip().lower())
        texts = [commit.parsed.description, *commit.parsed.breaking_notes]
        for text in texts:
            first = text.strip().split("\n", 1)[0].strip().rstrip(".")
            if len(first) >= 8:
                descriptions.add(first.lower())
    lost: list[tuple[str, str]] = []
    entries: list[tuple[str, str]] = []  # entries of folded sections, checked word for word
    for name, text in removed:
        for line in text.splitlines():
            stripped = line.strip()
            if not stripped or _generated_shape(stripped) or stripped in _empty_texts():
                continue
            lowered = stripped.lower()
            if any(sha in lowered for sha in shas) or any(d in lowered for d in descriptions):
                if name in folded:
                    entries.append((name, stripped))
                continue
            if _PERSON_RE.sub("", lowered).strip(" -*+_[]()@\\") in people:
                continue
            escaped = _MARK_RE.sub("", lowered).strip().lstrip("-*+").strip()
            if _ESCAPED_RE.sub(r"\1", escaped) in people:
                continue
            lost.append((name, stripped))
    if entries:
        lost += _reworded(entries, new_text, shas)
    if lost:  # only then the new file's lines: it may be long, and usually nothing is left
        present = {line.strip() for line in new_text.splitlines()}
        lost = [(name, line) for name, line in lost if line not in present]
    return lost


def _reworded(
    entries: Sequence[tuple[str, str]], new_text: str, shas: Iterable[str]
) -> list[tuple[str, str]]:
    """The entries that the new file lists in other words: a hand edit (an entry whose
    commit the new file names nowhere went with a change of configuration, not by hand)."""
    lowered = new_text.lower()
    words = {_words(line) for line in lowered.splitlines()}
    named = [sha for sha in shas if sha in lowered]
    return [
        (name, line)
        for name, line in entries
        if _words(line.lower()) not in words and any(sha in line.lower() for sha in named)
    ]


def _words(line: str) -> str:
    """A line's words without its links, hashes and markup: what a change of style keeps."""
    line = _LINK_RE.sub(" ", line)
    return " ".join(w for w in _WORD_RE.findall(line) if not _HASH_RE.fullmatch(w))


def _generated_shape(line: str) -> bool:
    """Headings, link definitions, HTML comments, separators and compare links (git-changelog's
    ``<small>[Compare with latest](…/compare/…)</small>``): the frame, not the text."""
    return (
        line.startswith(("#", "<!--", "---", "***", "___"))
        or (line.startswith("[") and "]:" in line)
        or "/compare/" in line
    )


def refuse_losing(path: str, lost: Sequence[tuple[str, str]]) -> None:
    if not lost:
        return
    name, line = lost[0]
    shown = line if len(line) <= _SHOWN else line[: _SHOWN - 1] + "\u2026"
    more = f" and {len(lost) - 1} more line{'s' * (len(lost) > 2)}" if len(lost) > 1 else ""
    raise RelnotesError(
        f"{path}: the update would drop text written by hand in {name}: {shown!r}{more}",
        hint="move that text under a released version (or delete it), then run again; "
        "--full rebuilds every section and replaces hand edits",
    )
