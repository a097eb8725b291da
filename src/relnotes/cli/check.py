"""``relnotes check``: commit messages against Conventional Commits.

The commit-msg hook's own calls never reach this module: :mod:`relnotes.hook` answers them
without click; everything else (``--range``, ``--help``, a typo) comes here, to the same
functions underneath.
"""

from __future__ import annotations

import sys

import click

from relnotes.cli.common import format_option, open_project, repo_path


@click.command()
@click.argument("file", metavar="[FILE]", required=False)
@click.option(
    "--message-file",
    metavar="FILE",
    help="The message file git gives a commit-msg hook (.git/COMMIT_EDITMSG); same as FILE.",
)
@click.option("--message", "-m", metavar="TEXT", help="Check this message.")
@click.option(
    "--range",
    "revision_range",
    metavar="BASE..HEAD",
    help="Check every commit in the range (a pull request's commits in CI).",
)
@format_option(["text", "github", "json"], "Plain text, GitHub workflow annotations, or JSON.")
@click.option(
    "--fix",
    is_flag=True,
    help="Rewrite the message file where the fix keeps the meaning (type case, a misspelled "
    "type, spaces around the colon, BREAKING CHANGE spelling).",
)
@click.option(
    "--fixup/--no-fixup",
    default=True,
    show_default=True,
    help="With --range: accept fixup!/squash!/amend! commits (--no-fixup flags them).",
)
@click.option("--merges", is_flag=True, help="With --range: check merge commits too.")
@click.pass_context
def check(
    ctx: click.Context,
    file: str | None,
    message_file: str | None,
    message: str | None,
    revision_range: str | None,
    fmt: str,
    fix: bool,
    fixup: bool,
    merges: bool,
) -> None:
    """Check commit messages against Conventional Commits: errors for what is wrong, warnings
    for what might be, a suggestion for each.

    \b
    commit-msg hook:  relnotes check .git/COMMIT_EDITMSG   (--message-file FILE is the same)
    pull request CI:  relnotes check --range origin/main..HEAD
    a message:        relnotes check -m "feat: add x"   (or on standard input)

    Exits 0 when clean (warnings allowed), 1 on errors, 2 on a usage error.
    """
    from relnotes.config import load_config
    from relnotes.hook import Report, check_file, check_text

    if file is not None and message_file is not None:
        raise click.UsageError("give the message file once: FILE or --message-file FILE")
    message_file = message_file if file is None else file
    given = [x for x in (message_file, message, revision_range) if x is not None]
    if len(given) > 1:
        raise click.UsageError("give one of --message-file, --message and --range")
    if fix and message_file is None:
        raise click.UsageError(
            "--fix rewrites a message file: give it one (FILE or --message-file)"
        )
    report = Report()
    if revision_range is not None:
        from relnotes.project import check_range

        check_range(open_project(ctx), revision_range, report, fixup=fixup, merges=merges)
    elif message_file is not None:
        check_file(message_file, load_config(repo_path(ctx), cached=True), report, fix=fix)
    else:
        if message is None:
            if sys.stdin is None or sys.stdin.isatty():
                raise click.UsageError(
                    "give --message-file FILE, --message TEXT, --range BASE..HEAD, "
                    "or a message on standard input"
                )
            message = sys.stdin.read()
        check_text(message, load_config(repo_path(ctx)), report)
    click.echo(report.render(fmt), nl=False)
    if revision_range is not None and not report.errors:
        click.echo(report.range_summary(), err=True)
    ctx.exit(report.exit_code)
