"""Credit: who made a release, and who made their first contribution in it.

A release's contributors are the authors of its commits and the people its commits name in
``Co-authored-by`` footers; merge commits (the merger wrote nothing) and the release commits
``relnotes tag`` and ``cz bump`` make are not contributions. Identities that share a name or
an e-mail are one person, shown by the name of their newest commit; bots
(``contributors_exclude``) are left out. A contributor is new when no commit before the
previous release names them: the caller streams those earlier identities, newest first, and
reading stops as soon as every contributor has been found, so only a first-timer makes it read
to the end. No e-mail ever leaves this module.

Pure: no git, no configuration files; the identities come in as plain pairs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from relnotes.config import Config
    from relnotes.models import Commit

CO_AUTHOR = "co-authored-by"
#: A message that may hold the footer (cheap to search: most messages do not).
_CO_AUTHOR_RE = re.compile(r"^co-authored-by\s*:", re.IGNORECASE | re.MULTILINE)
#: ``<e-mail>`` in ``Name <e-mail>``, as git writes identities.
_ANGLED_RE = re.compile(r"<([^<>]*@[^<>]*)>")
#: An address where a name should be: only its local part is shown.
_ADDRESS_RE = re.compile(r"([^\s@<>]+)@[^\s@<>]+\.[^\s@<>]+")
#: GitHub's no-reply addresses carry the account id: ``123+ada@users.noreply.github.com``.
_NOREPLY_RE = re.compile(r"^[0-9]+\+(?=[^@]+@users\.noreply\.github\.com$)")


@dataclass(frozen=True, slots=True)
class Contributor:
    """One person credited in a release (never their e-mail)."""

    name: str
    first_time: bool

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "first_time": self.first_time}


def identity(value: str) -> tuple[str, str]:
    """``Name <e-mail>`` (a Co-authored-by value) as (name, e-mail); either may be empty.
    The e-mail is the last ``<…@…>``; no address stays in the name."""
    found = _ANGLED_RE.findall(value)
    name = _ANGLED_RE.sub(" ", value) if found else value
    return " ".join(name.split()), found[-1].strip() if found else ""


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _email_key(email: str) -> str:
    return _NOREPLY_RE.sub("", email.strip().lower())


def coauthors(commit: Commit) -> list[tuple[str, str]]:
    """The identities in a commit's ``Co-authored-by`` footers."""
    message = commit.message
    if "uthored" not in message and "UTHORED" not in message:  # the common case, fast
        return []
    if _CO_AUTHOR_RE.search(message) is None:
        return []
    return [
        identity(footer.value)
        for footer in commit.parsed.footers
        if footer.token.lower() == CO_AUTHOR
    ]


def contributing(commits: Iterable[Commit], config: Config) -> Iterator[tuple[str, str]]:
    """The identities that contributed the commits: authors and co-authors (newest first)."""
    for commit in commits:
        if commit.is_merge:
            continue
        header = commit.parsed.header
        if config.is_release_commit(header) or config.is_bump_commit(header):
            continue
        yield commit.author, commit.email
        yield from coauthors(commit)


def identities(commits: Iterable[Commit]) -> Iterator[tuple[str, str]]:
    """Every identity the commits name, release commits included: what "before" means."""
    for commit in commits:
        if not commit.is_merge:
            yield commit.author, commit.email
            yield from coauthors(commit)


class People:
    """Identities merged into people: two that share a name or an e-mail are one person."""

    def __init__(self, exclude: str | None = None) -> None:
        self._exclude = re.compile(exclude, re.IGNORECASE).search if exclude else None
        self._names: dict[str, int] = {}  # name key -> person
        self._emails: dict[str, int] = {}  # e-mail key -> person
        self._parent: list[int] = []
        self._shown: list[str] = []  # the first name seen for each person (newest first)

    def _find(self, person: int) -> int:
        while self._parent[person] != person:
            self._parent[person] = self._parent[self._parent[person]]
            person = self._parent[person]
        return person

    def add(self, name: str, email: str) -> None:
        name = _ADDRESS_RE.sub(r"\1", " ".join(name.split()))  # never an e-mail, even as a name
        if not name and not email.strip():
            return
        if self._exclude is not None and (self._exclude(name) or self._exclude(email.strip())):
            return
        name_key, email_key = _name_key(name), _email_key(email)
        found = [
            self._find(index)
            for index in (
                self._names.get(name_key) if name_key else None,
                self._emails.get(email_key) if email_key else None,
            )
            if index is not None
        ]
        if found:
            person = found[0]
            if len(found) == 2 and found[1] != person:
                self._parent[found[1]] = person  # one person under two spellings
        else:
            person = len(self._parent)
            self._parent.append(person)
            self._shown.append(name or email.strip().partition("@")[0])
        if name_key:
            self._names.setdefault(name_key, person)
        if email_key:
            self._emails.setdefault(email_key, person)

    def update(self, pairs: Iterable[tuple[str, str]]) -> People:
        for name, email in pairs:
            self.add(name, email)
        return self

    def knows(self, name: str, email: str) -> int | None:
        """The person an identity is, or ``None``."""
        found = self._names.get(_name_key(name)) if name.strip() else None
        if found is None and email.strip():
            found = self._emails.get(_email_key(email))
        return None if found is None else self._find(found)

    def persons(self) -> list[int]:
        return sorted({self._find(p) for p in range(len(self._parent))})

    def keys(self, person: int) -> tuple[list[str], list[str]]:
        """The name and e-mail keys under which ``person`` is known."""
        names = [k for k, p in self._names.items() if self._find(p) == person]
        emails = [k for k, p in self._emails.items() if self._find(p) == person]
        return names, emails

    def name(self, person: int) -> str:
        return self._shown[person]


class Seen:
    """The names and e-mails of everyone known from earlier commits; ``before``, identities
    from further back, is read only when what is known does not name someone, and only until
    it does."""

    def __init__(self, before: Iterator[tuple[str, str]] | None = None) -> None:
        self.names: set[str] = set()
        self.emails: set[str] = set()
        self._pairs: set[tuple[str, str]] = set()  # as given: most commits repeat an author
        self._before = before

    def add(self, name: str, email: str) -> None:
        if (name, email) not in self._pairs:
            self._pairs.add((name, email))
            self.names.add(_name_key(name))
            self.emails.add(_email_key(email))

    def update(self, pairs: Iterable[tuple[str, str]]) -> None:
        for name, email in pairs:
            self.add(name, email)

    def knows(self, people: People, person: int) -> bool:
        names, emails = people.keys(person)
        if any(n in self.names for n in names) or any(e in self.emails for e in emails):
            return True
        if self._before is not None:
            for name, email in self._before:
                self.add(name, email)
                if _name_key(name) in names or _email_key(email) in emails:
                    return True
            self.close()
        return False

    def close(self) -> None:
        """Stop reading ``before`` (git): what is known stays known."""
        if self._before is not None:
            close = getattr(self._before, "close", None)
            if close is not None:
                close()
            self._before = None


def credit(
    people: People,
    before: Iterable[tuple[str, str]] | None,
    seen: Seen | None = None,
) -> list[Contributor]:
    """The people as contributors, by name (case-insensitively); a first-timer is one whom
    neither ``seen`` nor the identities of ``before`` name. ``before`` is read only until every
    person has been found, then closed. Without ``before`` and ``seen`` (a first release) no
    one is marked: everyone would be.
    """
    persons = people.persons()
    new = set(persons) if before is not None or seen is not None else set()
    if seen is not None:
        new = {p for p in new if not seen.knows(people, p)}
    if before is not None:
        try:
            if new:
                for name, email in before:
                    found = people.knows(name, email)
                    if found is not None and found in new:
                        new.discard(found)
                        if not new:
                            break
        finally:
            close = getattr(before, "close", None)
            if close is not None:
                close()  # stop git: the rest of history is not needed
    shown = sorted(persons, key=lambda p: (people.name(p).casefold(), people.name(p)))
    return [Contributor(people.name(p), p in new) for p in shown]


def release_contributors(
    commits: Sequence[Commit],
    config: Config,
    before: Iterable[tuple[str, str]] | None,
    seen: Seen | None = None,
) -> list[Contributor]:
    """The contributors of one release's commits (empty when ``contributors`` is off)."""
    if not config.contributors:
        if before is not None and hasattr(before, "close"):
            before.close()
        return []
    pairs = dict.fromkeys(contributing(commits, config))  # newest first, each once
    return credit(People(config.contributors_exclude).update(pairs), before, seen)
