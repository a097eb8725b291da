"""One exception family that carries its exit code; the CLI translates it in one place.

Kept free of click so that the commit-msg hook path can raise these too.
"""

from __future__ import annotations


class RelnotesError(Exception):
    """A user-facing error: one line saying what failed, plus a hint. Exit code 2."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class ConfigError(RelnotesError):
    """The configuration is wrong (unknown key, bad value, unreadable file)."""


class GitError(RelnotesError):
    """The repository cannot answer: not a repository, unknown tag, shallow history."""


class TemplateError(RelnotesError):
    """A template is missing, does not compile, or uses an undefined variable."""


class CheckFailed(RelnotesError):
    """A check found problems (lint findings, verify mismatch). Exit code 1."""

    exit_code = 1


def error_text(message: str, hint: str | None = None) -> str:
    """How every error is printed, on the click path and on the hook's light path alike:
    ``relnotes: error: …`` and, when there is one, ``  hint: …`` on the next line."""
    return f"relnotes: error: {message}\n" + (f"  hint: {hint}\n" if hint else "")


def annotation_escape(text: str, *, property_: bool = False) -> str:
    """Text for a GitHub Actions workflow command (``::error file=…,title=…::message``):
    ``%``, CR and LF escaped, and in a property (``file``, ``title``) ``:`` and ``,`` too.
    The commit-msg hook and the doctor print annotations through it."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


#: The exit code of an unexpected exception: a bug in relnotes, not the user's doing.
BUG = 3


def bug_report(exc: BaseException) -> tuple[str, str]:
    """(one line, hint) for an unexpected exception; the traceback goes to a file."""
    import tempfile
    import traceback

    fd, path = tempfile.mkstemp(prefix="relnotes-bug-", suffix=".txt")
    with open(fd, "w", encoding="utf-8") as handle:
        handle.write("".join(traceback.format_exception(exc)))
    return (
        f"unexpected {type(exc).__name__}: {exc} (this is a bug in relnotes)",
        f"the traceback is in {path}; please report it with that file",
    )
