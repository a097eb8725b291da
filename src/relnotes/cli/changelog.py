"""``relnotes changelog``: options in, one library call, a summary out, an exit code."""

from __future__ import annotations

import click


@click.command()
@click.option(
    "--file",
    "path",
    metavar="FILE",
    help="The changelog to write (default: changelog_file from the configuration, CHANGELOG.md).",
)
@click.option(
    "--unreleased/--no-unreleased",
    default=True,
    show_default=True,
    help="Replace the Unreleased section with the commits since the last tag "
    "(--no-unreleased leaves it as it is; with --check only the released sections count).",
)
@click.option(
    "--full/--incremental",
    default=None,
    help="Rebuild every release from history with the built-in template (hand edits of "
    "released sections and the file's own style are replaced), or only insert the missing "
    "ones (default: changelog_incremental, true).",
)
@click.option("--dry-run", is_flag=True, help="Print the diff instead of writing the file.")
@click.option(
    "--allow-outside",
    is_flag=True,
    help="Write the file even though it (or the link it is) lies outside the repository "
    "(refused otherwise; the configuration cannot allow it).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 when the file is out of date, naming the missing releases (CI).",
)
@click.pass_context
def changelog(
    ctx: click.Context,
    path: str | None,
    unreleased: bool,
    full: bool | None,
    dry_run: bool,
    allow_outside: bool,
    check: bool,
) -> None:
    """Create CHANGELOG.md from the whole history, or update it in place.

    \b
    An update inserts the releases the file lacks, in order, below the insertion marker
    (or above the newest release), replaces the Unreleased section, and keeps every
    released section byte for byte, hand edits included. A second run changes nothing.
    Files written by commitizen, git-cliff, git-changelog, conventional-changelog or by
    hand are continued in their own style: new releases are written as the file's newest
    one is (heading, date, section titles, entries); the built-in template writes a new
    file and --full. The write is atomic.
    """
    from relnotes.light import changelog as update

    update(  # also run without click (relnotes.light)
        str(ctx.obj),  # as open_project: an empty -C is no folder
        path,
        unreleased=unreleased,
        full=full,
        dry_run=dry_run,
        allow_outside=allow_outside,
        check=check,
    )
