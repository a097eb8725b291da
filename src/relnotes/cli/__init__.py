"""The command line: the click group, the error funnel, and the commands registered.

Each command lives in a module of its own (``release``: notes, preview, tag, next-version,
log; ``check``; ``changelog``; ``verify``; ``doctor``; ``init``): options in, one library call,
output out, an exit code. No logic here, and nothing below this package imports it.

Exit codes: 0 success; 1 findings (lint, verify, nothing to release); 2 usage, configuration or
repository error; 3 an unexpected exception, which is a bug in relnotes.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from relnotes.cli.changelog import changelog
from relnotes.cli.check import check
from relnotes.cli.doctor import doctor
from relnotes.cli.init import init
from relnotes.cli.release import log, next_version, notes, preview, tag
from relnotes.cli.verify import verify
from relnotes.errors import BUG, RelnotesError, bug_report, error_text

__all__ = ["cli", "run"]


class Failure(click.ClickException):
    """A RelnotesError (or a bug) as click shows it: one line, then a hint."""

    def __init__(self, message: str, hint: str | None, exit_code: int) -> None:
        super().__init__(message)
        self.hint = hint
        self.exit_code = exit_code  # type: ignore[misc]  # click types it as a class constant

    def show(self, file: Any = None) -> None:
        click.echo(error_text(self.message, self.hint), err=True, nl=False)


def _usage(exc: click.UsageError, command: str | None = None) -> Failure:
    """A usage error as one line and a hint, like every other error."""
    path = exc.ctx.command_path if exc.ctx else f"relnotes {command or ''}".strip()
    return Failure(exc.format_message(), f"see '{path} --help'", 2)


class Group(click.Group):
    """The error funnel: every exception leaves as one line and an exit code."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        ctx.meta["relnotes.command"] = name  # for the hint of a usage error
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RelnotesError as exc:
            raise Failure(exc.message, exc.hint, exc.exit_code) from None
        except click.UsageError as exc:
            raise _usage(exc, ctx.meta.get("relnotes.command")) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            message, hint = bug_report(exc)
            raise Failure(message, hint, BUG) from None

    def main(self, args: Any = None, prog_name: str | None = None, *a: Any, **kw: Any) -> Any:
        """Run standalone (click's test runner does) through :func:`run`, the funnel the
        console script goes through: the same exit codes, the same one-line errors."""
        if kw.get("standalone_mode", True) is False:
            return super().main(args, prog_name, *a, **kw)
        sys.exit(run(sys.argv[1:] if args is None else list(args)))


@click.group(
    cls=Group,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "-C",
    "--repo",
    "repo",
    default=".",
    metavar="PATH",
    show_default=True,
    help="Run in this repository (a folder inside it).",
)
@click.version_option(version=None, package_name="relnotes", message="relnotes %(version)s")
@click.pass_context
def cli(ctx: click.Context, repo: str) -> None:
    """Conventional Commits to the next version, release notes and a changelog.

    \b
    Before tagging:   relnotes preview, then relnotes tag
    On every commit:  relnotes check .git/COMMIT_EDITMSG
    Release job:      relnotes notes vX.Y.Z --output notes.md
    """
    ctx.obj = repo
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


for _command in (notes, preview, tag, next_version, log, check, verify, doctor, init, changelog):
    cli.add_command(_command)


def run(args: list[str]) -> int:
    """Run the click application and return its exit code (never raises)."""
    try:
        code = cli.main(args=args, prog_name="relnotes", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:
        _usage(exc).show()
        return 2
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("relnotes: interrupted", err=True)
        return 130
    return code if isinstance(code, int) else 0
