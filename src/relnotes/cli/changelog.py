"""``relnotes changelog``: options in, one library call, a summary out, an exit code."""

from __future__ import annotations

import click

from relnotes.cli.common import open_project
from relnotes.errors import CheckFailed


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
    from relnotes.changelog import read_ahead, update_changelog
    from relnotes.output import unified_diff, write_atomic

    read: dict[str, str | None] = {}  # the file, read while git lists the tags
    update = update_changelog(
        open_project(ctx, lambda project: read_ahead(project, path, read)),
        path=path,
        unreleased=unreleased,
        full=full,
        allow_outside=allow_outside,
        stream=not (dry_run or check),  # a new file is written as it is rendered
        read_ahead=read,
    )
    name = update.name
    if dry_run and update.changed:
        click.echo(unified_diff(update.old or "", update.new, name), nl=False)
    if check:
        if update.changed:
            raise CheckFailed(update.out_of_date(), hint=f"run `relnotes changelog` ({name})")
        click.echo(f"{name} is up to date", err=True)
        return
    if not update.changed:
        click.echo(f"{name} is up to date", err=True)
        return
    if not dry_run:
        write_atomic(update.path, update.pieces())
    click.echo(update.summary(dry_run), err=True)
