"""What runs before click: the command line read just enough to start git early, and
``relnotes notes`` and ``relnotes changelog`` without click when their command line is plain.

The release job runs ``relnotes notes vX.Y.Z --output notes.md`` once per release, and CI
runs ``relnotes changelog --check``; on a large history importing click and every command
costs more than the answer. So :func:`run_light` reads the plain forms itself (global
``-C PATH``, then ``notes [TAG] [--format md|json] [-o|--output FILE]`` or ``changelog`` with
its flags and ``--file FILE``) and runs :func:`notes` or :func:`changelog`, which are the click
commands' own bodies. Any other command line (help, a typo, an option given twice) returns
``None``, and click reads it and explains. Errors leave the way the click funnel makes them
leave (one line and a hint; exit 1 for findings, 2, or 3 for a bug), and a test holds the two
paths to the same output.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # (``typing`` costs a command line read without it 3 ms)
if TYPE_CHECKING:
    from collections.abc import Callable

    from relnotes.changelog.source import FileText

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


def run_light(args: list[str]) -> int | None:
    """``relnotes notes`` or ``relnotes changelog`` on a plain command line, without click;
    ``None``: click's to read (and to explain)."""
    command = plain_command(args)
    return None if command is None else funnel(command)


def plain_command(args: list[str]) -> Callable[[], None] | None:
    """The command a plain ``notes`` or ``changelog`` command line asks for, ready to run;
    ``None`` for any other command line."""
    found = split_command(args)
    if found is None:
        return None
    path, command, rest = found
    if command == "notes":
        read = _read(rest, {"--format": "format", "--output": "output", "-o": "output"}, {}, 1)
        if read is None or read[0].get("format", "md") not in NOTES_FORMATS:
            return None
        options, tags = read
        fmt, output = str(options.get("format", "md")), options.get("output")
        tag = tags[0] if tags else None
        return lambda: notes(path, tag, fmt, None if output is None else str(output))
    if command == "changelog":
        read = _read(rest, {"--file": "file"}, CHANGELOG_FLAGS, 0)
        if read is None:
            return None
        options = read[0]
        file = options.get("file")
        full = options.get("full")
        return lambda: changelog(
            path,
            None if file is None else str(file),
            unreleased=options.get("unreleased", True) is True,
            full=None if full is None else full is True,
            dry_run="dry_run" in options,
            allow_outside="allow_outside" in options,
            check="check" in options,
        )
    return None


#: ``relnotes changelog``'s flags: the option each sets, and to what.
CHANGELOG_FLAGS = {
    "--unreleased": ("unreleased", True),
    "--no-unreleased": ("unreleased", False),
    "--full": ("full", True),
    "--incremental": ("full", False),
    "--dry-run": ("dry_run", True),
    "--allow-outside": ("allow_outside", True),
    "--check": ("check", True),
}


def _read(
    rest: list[str],
    valued: dict[str, str],
    flags: dict[str, tuple[str, bool]],
    positionals: int,
) -> tuple[dict[str, str | bool], list[str]] | None:
    """The options (``valued``: a name, long or short, to the option it sets; ``flags``: see
    CHANGELOG_FLAGS) and the arguments of a plain command line; ``None`` for anything else
    (an unknown option, one given twice, an empty value, an argument too many)."""
    found: dict[str, str | bool] = {}
    plain: list[str] = []
    queue = iter(rest)
    for arg in queue:
        value: str | bool
        if arg.startswith("--"):
            name, eq, text = arg.partition("=")
            if name in valued:
                key, value = valued[name], text if eq else next(queue, "")
            elif name in flags and not eq:
                key, value = flags[name]
            else:
                return None
        elif arg[:2] in valued:  # -o FILE, -oFILE
            key, value = valued[arg[:2]], arg[2:] or next(queue, "")
        elif arg and not arg.startswith("-") and len(plain) < positionals:
            plain.append(arg)
            continue
        else:
            return None
        if key in found or value == "":
            return None
        found[key] = value
    return found, plain


def notes(path: str, tag: str | None, fmt: str, output: str | None) -> None:
    """``relnotes notes``: the body of TAG's release (or its JSON object) to standard output
    or, atomically, to ``output``. The click command and :func:`run_light` both run this."""
    from relnotes.project import Project, notes_for_tag, prepare_notes

    project = Project(path, prepare_notes)
    warn(project.warnings)
    data, body = notes_for_tag(project, tag)
    if fmt == "json":
        from relnotes.output import to_json

        body = to_json(data)
    emit(body, output)


def changelog(
    path: str,
    file: str | None,
    *,
    unreleased: bool,
    full: bool | None,
    dry_run: bool,
    allow_outside: bool,
    check: bool,
) -> None:
    """``relnotes changelog``: the file updated (or made) atomically, its diff printed
    (``dry_run``), or its state checked (``check``: :class:`CheckFailed` when out of date).
    The click command and :func:`run_light` both run this."""
    from relnotes.changelog import read_ahead, update_changelog
    from relnotes.errors import CheckFailed
    from relnotes.output import unified_diff, write_atomic
    from relnotes.project import Project

    read: dict[str, FileText | None] = {}  # the file, read while git lists the tags
    project = Project(path, lambda project: read_ahead(project, file, read))
    warn(project.warnings)
    update = update_changelog(
        project,
        path=file,
        unreleased=unreleased,
        full=full,
        allow_outside=allow_outside,
        stream=not (dry_run or check),  # a new file is written as it is rendered
        read_ahead=read,
    )
    name = update.name
    if dry_run and update.changed:
        emit(unified_diff(update.old or "", update.new, name), None)
    if check:
        if update.changed:
            raise CheckFailed(update.out_of_date(), hint=f"run `relnotes changelog` ({name})")
        sys.stderr.write(f"{name} is up to date\n")
        return
    if not update.changed:
        sys.stderr.write(f"{name} is up to date\n")
        return
    if not dry_run:
        write_atomic(update.path, update.pieces())
    sys.stderr.write(update.summary(dry_run) + "\n")


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
