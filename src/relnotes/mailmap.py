"""A repository's ``.mailmap``: who a commit's name and e-mail stand for, as git reads it.

The contributors of a release follow the ``.mailmap`` committed in the release's own tree
(the tag's commit; HEAD's for what is not released yet), read from git's objects, never from
the working tree or a user's ``mailmap.file`` / ``mailmap.blob`` / ``log.mailmap`` settings:
so the notes of a tag are the same on every machine and at any later time, and ``preview``
(at the commit about to be tagged) says what ``notes`` will publish, byte for byte.

Pure: the text in, a mapping out (git's rules, mailmap.c: e-mails and names compare without
regard to case, a later line wins, a ``Name <e-mail> Old Name <old e-mail>`` line is more
specific than a ``Name <e-mail> <old e-mail>`` one).
"""

from __future__ import annotations

import re

#: One ``<…>`` of a mailmap line, and the name before it.
_PART_RE = re.compile(r"([^<]*)<([^>]*)>")


class Mailmap:
    """A parsed ``.mailmap``; call it with a (name, e-mail) to get who they stand for."""

    __slots__ = ("_entries", "text")

    def __init__(self, text: str = "") -> None:
        self.text = text
        # old e-mail (folded) -> [replacement for any name, {old name (folded): replacement}]
        self._entries: dict[str, tuple[list[str | None], dict[str, list[str | None]]]] = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                self._read(line)

    def _read(self, line: str) -> None:
        parts = _PART_RE.findall(line)[:2]
        if not parts or not parts[0][1]:
            return
        new_name = parts[0][0].strip() or None
        new_email: str | None = parts[0][1]  # as written between < and >, as git takes it
        if len(parts) > 1:
            old_name, old_email = parts[1][0].strip() or None, parts[1][1]
        else:
            old_name, old_email, new_email = None, new_email or "", None
        main, by_name = self._entries.setdefault(old_email.casefold(), ([None, None], {}))
        if old_name is None:
            if new_name:
                main[0] = new_name
            if new_email:
                main[1] = new_email
        else:
            by_name[old_name.casefold()] = [new_name, new_email or None]

    def __bool__(self) -> bool:
        return bool(self._entries)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mailmap) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __call__(self, name: str, email: str) -> tuple[str, str]:
        """Who ``name`` / ``email`` stand for (themselves when no line names them)."""
        if not self._entries:
            return name, email
        entry = self._entries.get(email.casefold())
        if entry is None:
            return name, email
        main, by_name = entry
        mapped = by_name.get(name.casefold(), main) if by_name else main
        return mapped[0] or name, mapped[1] or email


#: No ``.mailmap``: everyone stands for themselves.
NO_MAILMAP = Mailmap()
