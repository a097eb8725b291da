"""What runs before click: the command line read just enough to start git early, and
``relnotes notes`` without click when its command line is a plain one.

The release job runs ``relnotes notes vX.Y.Z --output notes.md`` once per release, and on a
large history importing click and every command costs more than reading the release. So
:func:`run_notes` reads the plain forms itself (``[-C PATH] notes [TAG] [--format md|json]
[-o|--output FILE]``) and runs :func:`notes`, which is the click command's own body. Any
other command line (help, a typo, an option given twice) returns ``None``, and click reads
it and explains. Errors leave the way the click funnel makes them leave (one line and a
hint; exit 2, or 3 for a bug), and a test holds the two paths to the same output.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

#: The commands that read the tags first: git starts on them before the rest is imported.
READS_HISTORY = frozenset({"notes", "preview", "changelog", "log", "next-version"})
NOTES_FORMATS = ("md", "json")


def split_command(args: list[str]) -> tuple[str, str, list[str]] | None:
    """``(-C folder, command, its arguments)`` of a command line whose global options are
    only ``-C``/``--repo``; ``None`` for any other (``--help``, ``--version``, none)."""
    path = "."
    rest = iter(args)
    for arg in rest:
        if arg in ("-C", "--repo"):
            path = next(rest, "")
        elif arg.startswith("--repo="):
            path = arg.removeprefix("--repo=")
        elif arg.startswith("-C"):
            path = arg[2:]
        elif arg.startswith("-") or not path:
            return None
        else:
            return path, arg, list(rest)
    return None


def reads_history(args: list[str]) -> str | None:
    """The folder of a command that reads history (git may list its tags at once), or
    ``None``: another command, or one asked for its help."""
    found = split_command(args)
    if found is None:
        return None
    path, command, rest = found
    if command not in READS_HISTORY or any(a in ("-h", "--help") for a in rest):
        return None
    return path


def run_notes(args: list[str]) -> int | None:
    """``relnotes notes`` on a plain command line, without click; ``None``: click's to read."""
    found = split_command(args)
    if found is None or found[1] != "notes":
        return None
    path, _command, rest = found
    options: dict[str, str] = {}
    tag: str | None = None
    queue = iter(rest)
    for arg in queue:
        name, eq, value = arg.partition("=")
        if name in ("--format", "--output") and name not in options:
            value = value if eq else next(queue, "")
            options[name] = value
        elif arg == "-o" and "--output" not in options:
            options["--output"] = next(queue, "")
        elif arg.startswith("-o") and len(arg) > 2 and "--output" not in options:
            options["--output"] = arg[2:]
        elif arg and not arg.startswith("-") and tag is None:
            tag = arg
        else:
            return None
    fmt = options.get("--format", "md")
    output = options.get("--output")
    if fmt not in NOTES_FORMATS or output == "":
        return None
    return funnel(lambda: notes(path, tag, fmt, output))


def notes(path: str, tag: str | None, fmt: str, output: str | None) -> None:
    """``relnotes notes``: the body of TAG's release (or its JSON object) to standard output
    or, atomically, to ``output``. The click command and :func:`run_notes` both run this."""
    from relnotes.project import Project, notes_for_tag
    from relnotes.render import prepare

    project = Project(path)
    warn(project.warnings)
    config = project.config
    data, body = notes_for_tag(project, tag, lambda: prepare(config.notes_template, config))
    if fmt == "json":
        from relnotes.output import to_json

        body = to_json(data)
    emit(body, output)


def warn(warnings: list[str]) -> None:
    """What a project says once about itself, on standard error."""
    for warning in warnings:
        sys.stderr.write(f"warning: {warning}\n")


def emit(text: str, output: str | None) -> None:
    """``text`` to standard output, or to ``output`` written atomically (``-``: stdout)."""
    if output is not None and output != "-":
        from relnotes.output import write_atomic

        write_atomic(output, text)
        return
    sys.stdout.write(text)
    sys.stdout.flush()


def funnel(command: Callable[[], None]) -> int:
    """Run a command as the click funnel runs one: its exit code, an error as one line and
    a hint on standard error, an unexpected exception as a bug (exit 3)."""
    from relnotes.errors import BUG, RelnotesError, bug_report, error_text

    try:
        command()
    except RelnotesError as exc:
        sys.stderr.write(error_text(exc.message, exc.hint))
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("\nrelnotes: interrupted\n")
        return 130
    except Exception as exc:
        sys.stderr.write(error_text(*bug_report(exc)))
        return BUG
    return 0
