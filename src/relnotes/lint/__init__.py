"""The commit message linter behind ``relnotes check``: findings with a rule id, and fixes that
keep the author's meaning.

It cuts a message with :func:`relnotes.parse.split_message`, as the parser does, so a message
the hook accepts is read the same way in the notes. An *error* means the message breaks the
convention or its meaning would be lost (a breaking change that would not count); what only
might be a mistake is a *warning*. A finding is ``fixable`` only when the fix keeps what the
author wrote: a type's case, a type misspelled with exactly one close known type, the spaces
around the colon, white space before the type, empty parentheses, the spelling of a
``BREAKING CHANGE`` footer. A header with no type gets suggestions, never a fix.

It sits on the commit-msg hook path: it imports ``re`` and the parser only.
"""

from __future__ import annotations

from relnotes.lint.checker import Checker, lint_message
from relnotes.lint.findings import ERROR, RULES, WARNING, Finding
from relnotes.lint.fix import fix_all, fix_message

__all__ = [
    "ERROR",
    "RULES",
    "WARNING",
    "Checker",
    "Finding",
    "fix_all",
    "fix_message",
    "lint_message",
]
