"""Credit: who made a release, and who made their first contribution in it.

A release's contributors are the authors of its commits and the people its commits name in
``Co-authored-by`` footers; merge commits (the merger wrote nothing) and the release commits
``relnotes tag`` and ``cz bump`` make are not contributions. Identities are first mapped
through the ``.mailmap`` of the release's own tree (:mod:`relnotes.mailmap`), as ``git
shortlog`` maps them; identities that share a name or an e-mail are one person, shown by the
name of their newest commit; bots (``contributors_exclude``) are left out. A contributor is
new when no commit before the previous release names them: the caller streams those earlier
identities, newest first, and reading stops as soon as every contributor has been found, so
only a first-timer makes it read to the end. No e-mail ever leaves this module.

Pure: no git, no configuration files; the identities come in as plain pairs.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from relnotes.mailmap import NO_MAILMAP

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from relnotes.config import Config
    from relnotes.mailmap import Mailmap
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


class Contributor(NamedTuple):
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
    """The identities in a commit's ``Co-authored-by`` trailers, found as git finds them
    (``%(trailers)``, what GitHub credits and :meth:`History.authors` reads for the releases
    before): in the message's trailer block only, not in a footer paragraph that prose
    follows."""
    message = commit.message
    if "uthored" not in message and "UTHORED" not in message:  # the common case, fast
        return []
    if _CO_AUTHOR_RE.search(message) is None:
        return []
    return [identity(value) for value in trailer_values(message, CO_AUTHOR)]


#: What git itself writes as a trailer (matched in this case, as git does): a block holding
#: one may hold other lines too.
_GIT_TRAILERS = ("Signed-off-by: ", "(cherry picked from commit ")
#: A trailer line's token and separator: letters, digits and ``-``, maybe blanks, then ``:``.
_TRAILER_RE = re.compile(r"([A-Za-z0-9-]+)[ \t]*:")


def trailer_values(message: str, key: str) -> list[str]:
    """The values of ``key`` (any case) in the message's trailer block, found as git's
    trailer parser finds it (trailer.c): trailing blank and comment lines aside, the last
    paragraph after the subject's, read from its end, whose lines are all trailers (a line
    that begins with a blank continues the one above), or at least a quarter of them when
    one is a trailer git writes (``Signed-off-by``, ``(cherry picked from commit``)."""
    lines = message.split("\n")
    end = len(lines)
    while end and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    title_end = next((i for i, line in enumerate(lines[:end]) if not line.strip()), None)
    if title_end is None:
        return []  # the subject's paragraph only: no trailer block
    found = others = possible = 0
    recognised = False
    start = end
    for index in range(end - 1, title_end - 1, -1):
        line = lines[index]
        if line.startswith("#"):
            others, possible = others + possible, 0
        elif not line.strip():
            others += possible
            if (recognised and found * 3 >= others) or (found and not others):
                start = index + 1
            break
        elif line.startswith(_GIT_TRAILERS):
            found, possible, recognised = found + 1, 0, True
        elif line[:1].isspace():
            possible += 1
        elif _TRAILER_RE.match(line):
            found, possible = found + 1, 0
        else:
            others, possible = others + 1 + possible, 0
    values: list[list[str]] = []  # [token, value] of each trailer
    last: list[str] | None = None
    for line in lines[start:end]:
        if line.startswith("#"):
            last = None  # a comment line ends the trailer above it
            continue
        if last is not None and line[:1].isspace():
            last[1] += " " + line.strip()
            continue
        match = _TRAILER_RE.match(line)
        last = [match[1], line[match.end() :].strip()] if match else None
        if last is not None:
            values.append(last)
    return [value for token, value in values if token.lower() == key]


def identities(
    commits: Iterable[Commit], config: Config
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The identities the commits name (authors and co-authors), newest first, each once:
    those credited, and those of the release and bump commits, which credit no one but count
    as known in a later release. Merge commits (two parents or more, as ``git log
    --no-merges`` counts them when it reads who came before) name no one."""
    credited: dict[tuple[str, str], None] = {}
    releasing: dict[tuple[str, str], None] = {}
    releases = config.is_release_commit
    bumps = config.is_bump_commit if config.bump_template else None
    for commit in commits:
        if len(commit.parents) > 1:
            continue
        author = commit.author, commit.email
        message = commit.message
        coauthored = "uthored" in message or "UTHORED" in message  # seldom: read the footers
        if author in credited and not coauthored:
            continue  # credited already: whether this commit releases changes nothing
        header = commit.header
        named = credited
        if releases(header) or (bumps is not None and bumps(header)):
            named = releasing
        named[author] = None
        if coauthored:
            for pair in coauthors(commit):
                named[pair] = None
    return list(credited), list(releasing)


@functools.lru_cache(maxsize=8192)
def _normal(name: str, email: str, exclude: str | None) -> tuple[str, str, str] | None:
    """An identity as shown and as compared: (name, name key, e-mail key); ``None`` for no
    one, or for a bot (``exclude``). Cached: a history repeats few identities many times."""
    name = " ".join(name.split())
    if "@" in name:
        name = _ADDRESS_RE.sub(r"\1", name)  # never an e-mail, even as a name
    email = email.strip()
    if not name and not email:
        return None
    if exclude and any(re.search(exclude, text, re.IGNORECASE) for text in (name, email)):
        return None
    return name or email.partition("@")[0], _name_key(name), _email_key(email)


class People:
    """Identities merged into people: two that share a name or an e-mail are one person
    (once ``mailmap`` has said who each stands for)."""

    def __init__(self, exclude: str | None = None, mailmap: Mailmap = NO_MAILMAP) -> None:
        self._exclude_pattern = exclude
        self.mailmap = mailmap
        self._names: dict[str, int] = {}  # name key -> person
        self._emails: dict[str, int] = {}  # e-mail key -> person
        self._parent: list[int] = []
        self._shown: list[str] = []  # the first name seen for each person (newest first)
        self._keys: list[tuple[set[str], set[str]]] = []  # a person's name and e-mail keys

    def _find(self, person: int) -> int:
        while self._parent[person] != person:
            self._parent[person] = self._parent[self._parent[person]]
            person = self._parent[person]
        return person

    def add(self, name: str, email: str) -> None:
        if self.mailmap is not NO_MAILMAP:  # identity: no call per author
            name, email = self.mailmap(name, email)
        normal = _normal(name, email, self._exclude_pattern)
        if normal is None:
            return
        name, name_key, email_key = normal
        by_name = self._names.get(name_key) if name_key else None
        by_email = self._emails.get(email_key) if email_key else None
        found = [self._find(index) for index in (by_name, by_email) if index is not None]
        if found:
            person = found[0]
            if len(found) == 2 and found[1] != person:  # one person under two spellings
                self._parent[found[1]] = person
                names, emails = self._keys[found[1]]
                self._keys[person][0].update(names)
                self._keys[person][1].update(emails)
        else:
            person = len(self._parent)
            self._parent.append(person)
            self._shown.append(name)
            self._keys.append((set(), set()))
        if name_key:
            self._names.setdefault(name_key, person)
            self._keys[person][0].add(name_key)
        if email_key:
            self._emails.setdefault(email_key, person)
            self._keys[person][1].add(email_key)

    def update(self, pairs: Iterable[tuple[str, str]]) -> People:
        for name, email in pairs:
            self.add(name, email)
        return self

    def knows(self, name: str, email: str) -> int | None:
        """The person an identity is, or ``None``."""
        if self.mailmap is not NO_MAILMAP:
            name, email = self.mailmap(name, email)
        found = self._names.get(_name_key(name)) if name.strip() else None
        if found is None and email.strip():
            found = self._emails.get(_email_key(email))
        return None if found is None else self._find(found)

    def persons(self) -> list[int]:
        return sorted({self._find(p) for p in range(len(self._parent))})

    def keys(self, person: int) -> tuple[set[str], set[str]]:
        """The name and e-mail keys under which ``person`` is known."""
        return self._keys[self._find(person)]

    def name(self, person: int) -> str:
        return self._shown[person]


class Seen:
    """The names and e-mails of everyone known from earlier commits; ``before``, identities
    from further back, is read only when what is known does not name someone, and only until
    it does. The names and e-mails are known as ``mailmap`` maps them (:meth:`remap`)."""

    def __init__(
        self, before: Iterator[tuple[str, str]] | None = None, mailmap: Mailmap = NO_MAILMAP
    ) -> None:
        self.names: set[str] = set()
        self.emails: set[str] = set()
        self._pairs: set[tuple[str, str]] = set()  # as given: most commits repeat an author
        self._before = before
        self.mailmap = mailmap

    def remap(self, mailmap: Mailmap) -> None:
        """Know everyone as ``mailmap`` (another release's ``.mailmap``) maps them."""
        if mailmap == self.mailmap:
            return
        self.mailmap = mailmap
        self.names.clear()
        self.emails.clear()
        for name, email in self._pairs:
            self._know(name, email)

    def _know(self, name: str, email: str) -> tuple[str, str]:
        if self.mailmap is not NO_MAILMAP:
            name, email = self.mailmap(name, email)
        name_key, email_key = _name_key(name), _email_key(email)
        self.names.add(name_key)
        self.emails.add(email_key)
        return name_key, email_key

    def add(self, name: str, email: str) -> tuple[str, str] | None:
        """Know an identity; its (name key, e-mail key) when it was new."""
        if (name, email) in self._pairs:
            return None
        self._pairs.add((name, email))
        return self._know(name, email)

    def update(self, pairs: Iterable[tuple[str, str]]) -> None:
        for name, email in pairs:
            self.add(name, email)

    def knows(self, people: People, person: int) -> bool:
        names, emails = people.keys(person)
        if not (names.isdisjoint(self.names) and emails.isdisjoint(self.emails)):
            return True
        if self._before is not None:
            for name, email in self._before:
                keys = self.add(name, email)
                if keys is not None and (keys[0] in names or keys[1] in emails):
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
                checked: set[tuple[str, str]] = set()  # most identities repeat: check each once
                for name, email in before:
                    if (name, email) in checked:
                        continue
                    checked.add((name, email))
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
    mailmap: Mailmap = NO_MAILMAP,
) -> list[Contributor]:
    """The contributors of one release's commits (empty when ``contributors`` is off),
    identities mapped by the release's ``mailmap``."""
    if not config.contributors:
        if before is not None and hasattr(before, "close"):
            before.close()
        return []
    credited, _releasing = identities(commits, config)
    return credit(People(config.contributors_exclude, mailmap).update(credited), before, seen)
