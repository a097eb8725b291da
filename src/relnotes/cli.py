"""The command line: options in, one library call, output out, an exit code. No logic here.

Exit codes: 0 success; 1 findings (lint, verify, nothing to release); 2 usage, configuration or
repository error; 3 an unexpected exception, which is a bug in relnotes.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from relnotes.errors import BUG, RelnotesError, bug_report

if TYPE_CHECKING:
    import datetime as dt

    from relnotes.project import Project
    from relnotes.version import Increment


class Failure(click.ClickException):
    """A RelnotesError (or a bug) as click shows it: one line, then a hint."""

    def __init__(self, message: str, hint: str | None, exit_code: int) -> None:
        super().__init__(message)
        self.hint = hint
        self.exit_code = exit_code  # type: ignore[misc]  # click types it as a class constant

    def show(self, file: Any = None) -> None:
        click.echo(f"relnotes: error: {self.message}", err=True)
        if self.hint:
            click.echo(f"  hint: {self.hint}", err=True)


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


def _version() -> str:
    import relnotes

    return str(relnotes.__version__)


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


def _project(ctx: click.Context) -> Project:
    """The project, once per command; what it warns about (tags that match no tag format)
    is said here, once, on standard error."""
    from relnotes.project import Project

    project = Project(str(ctx.obj))
    for warning in project.warnings:
        click.echo(f"warning: {warning}", err=True)
    return project


def _emit(text: str, output: str | None) -> None:
    if output is None or output == "-":
        click.echo(text, nl=False)
    else:
        from relnotes.output import write_atomic

        write_atomic(output, text)


F = TypeVar("F", bound=Callable[..., Any])


def format_option(choices: list[str], help_text: str) -> Callable[[F], F]:
    """``--format`` with its choices; the first is the default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help=help_text,
    )


FORMAT = format_option(
    ["md", "json"], "Markdown (the release body) or the JSON object (see README)."
)
OUTPUT = click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Write to FILE (atomically) instead of standard output.",
)
INCREMENT = click.option(
    "--increment",
    type=click.Choice(["MAJOR", "MINOR", "PATCH"], case_sensitive=False),
    help="Bump this part, whatever the commits say.",
)
PRERELEASE = click.option(
    "--prerelease",
    type=click.Choice(["alpha", "beta", "rc"]),
    help="Make the next version a pre-release of this kind.",
)


def _increment(value: str | None) -> Increment | None:
    if value is None:
        return None
    upper = value.upper()
    if upper == "MAJOR":
        return "MAJOR"
    if upper == "MINOR":
        return "MINOR"
    return "PATCH"


@cli.command()
@click.argument("tag", required=False)
@FORMAT
@OUTPUT
@click.pass_context
def notes(ctx: click.Context, tag: str | None, fmt: str, output: str | None) -> None:
    """The release notes of TAG (default: the latest version tag).

    This is the body the release job gives the GitHub release; it is byte for byte what
    `relnotes preview` showed before the tag was made (the date is the tag's date).
    """
    from relnotes.output import to_json
    from relnotes.project import notes_for_tag

    data, body = notes_for_tag(_project(ctx), tag)
    _emit(to_json(data) if fmt == "json" else body, output)


@cli.command()
@INCREMENT
@PRERELEASE
@click.option(
    "--date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The release date to show (default: today).",
)
@format_option(
    ["md", "json", "github"],
    "Markdown (the release body), the JSON object (see README), or a GitHub job summary "
    "(appended to $GITHUB_STEP_SUMMARY when it is set).",
)
@OUTPUT
@click.pass_context
def preview(
    ctx: click.Context,
    increment: str | None,
    prerelease: str | None,
    date: dt.datetime | None,
    fmt: str,
    output: str | None,
) -> None:
    """The next version and the exact release body that tagging HEAD would publish.

    The body goes to standard output (or --output); the version line and warnings (commits
    outside the convention, a dirty tree, a version in files that the tags do not match)
    go to standard error. Exits 1 when nothing since the last tag asks for a release, 2 when
    the version it would propose is published already (its tag exists in any spelling).

    \b
    --format github, for a pull request's workflow (the checkout of its merge ref, with the
    whole history): what merging would release, the commits that decide the bump and the
    body, as a block of the job summary; "nothing to release" is said there, and exits 0.
    """
    if fmt == "github":
        import os

        from relnotes.summary import github_summary

        text = github_summary(
            _project(ctx),
            os.environ,
            increment=_increment(increment),
            prerelease=prerelease,
            date=date.date() if date else None,
        )
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if output is None and summary:
            with open(summary, "a", encoding="utf-8") as handle:  # other steps' blocks stay
                handle.write(text)
            click.echo(f"release preview written to the job summary ({summary})", err=True)
        else:
            _emit(text, output)
        return

    from relnotes.output import to_json
    from relnotes.project import preview as make_preview

    result = make_preview(
        _project(ctx),
        increment=_increment(increment),
        prerelease=prerelease,
        date=date.date() if date else None,
    )
    data = result.notes
    click.echo(result.headline, err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if fmt == "json":
        _emit(to_json({**data, "warnings": result.warnings}), output)
    else:
        if output is None:
            click.echo("", err=True)
        _emit(result.body, output)


@cli.command()
@INCREMENT
@PRERELEASE
@click.option(
    "--allow-branch",
    is_flag=True,
    help="Tag on this branch though it is not the release branch (a maintenance branch).",
)
@click.option(
    "--changelog/--no-changelog",
    default=True,
    show_default=True,
    help="Bring changelog_file (CHANGELOG.md) up to date for the new version and commit it "
    "first, when the project keeps one.",
)
@click.option(
    "--sign/--no-sign",
    default=None,
    help="Sign the tag, or not (default: as git's tag.gpgSign says).",
)
@click.option("--push", is_flag=True, help="Push the branch and the tag (git push --atomic).")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show the changelog diff, the commit message and the tag message; change nothing.",
)
@click.pass_context
def tag(
    ctx: click.Context,
    increment: str | None,
    prerelease: str | None,
    allow_branch: bool,
    changelog: bool,
    sign: bool | None,
    push: bool,
    dry_run: bool,
) -> None:
    """Make the release: commit the changelog, then the annotated tag whose message is the
    body `relnotes notes` will publish.

    \b
    The next version is preview's (same --increment and --prerelease). Refused, each with a
    hint: uncommitted changes; HEAD not on the release branch (release_branch, else the
    remote's HEAD branch or main; --allow-branch for a maintenance branch); the branch behind
    or ahead of its upstream (as git last saw it: nothing is fetched); a tag that exists in
    any spelling (exit 2); nothing to release (exit 1). The changelog commit's message is
    release_message (chore(release): $tag). Prints the push command; pushes with --push.
    """
    from relnotes.cli_changelog import diff
    from relnotes.tagging import make, plan

    project = _project(ctx)
    planned = plan(
        project,
        increment=_increment(increment),
        prerelease=prerelease,
        allow_branch=allow_branch,
        changelog=changelog,
        sign=sign,
        push=push,
    )
    click.echo(planned.headline, err=True)
    for warning in planned.warnings:
        click.echo(f"warning: {warning}", err=True)
    update = planned.changelog
    kind = "signed annotated" if planned.signed else "annotated"
    if dry_run:
        if update is not None:
            click.echo(diff(update.old or "", update.new, update.name), nl=False)
            click.echo(f"\nwould commit {update.name} as: {planned.message}", nl=False)
        on = "that commit" if update is not None else f"{planned.tag.sha[:7]} (HEAD)"
        click.echo(f"\nwould make the {kind} tag {planned.tag.name} on {on}, its message:\n")
        click.echo(planned.body, nl=False)
        push_line = "would push" if push else "then push it"
        click.echo(f"\n{push_line}: {planned.push_command}\ndry run: nothing was changed")
        return
    done = make(project, planned, push=push)
    if done.committed:
        assert update is not None
        what = f"added {', '.join(update.added)}" if update.added else "brought up to date"
        click.echo(f"{update.name}: {what}, committed as {done.committed[:7]}")
    click.echo(f"tagged {done.tag.name} on {done.tag.sha[:7]} ({kind}): its message is the body")
    if done.pushed:
        click.echo(f"pushed: {planned.push_command}")
    else:
        click.echo(f"push it: {planned.push_command}")


@cli.command("next-version")
@INCREMENT
@PRERELEASE
@click.option("--explain", is_flag=True, help="Say which commits decided the bump.")
@click.pass_context
def next_version_command(
    ctx: click.Context, increment: str | None, prerelease: str | None, explain: bool
) -> None:
    """Print the next version (for scripts). Exits 1 when nothing asks for a release, 2 when
    that version is published already (its tag exists in any spelling)."""
    from relnotes.project import compute_next, nothing_to_release

    nxt = compute_next(_project(ctx), increment=_increment(increment), prerelease=prerelease)
    if explain:
        for line in _explain(nxt):
            click.echo(line, err=True)
    if nxt.version is None:
        raise nothing_to_release(nxt)
    click.echo(nxt.version)


def _explain(nxt: Any) -> list[str]:
    from relnotes.notes import one_line

    base = nxt.current.name if nxt.current else "no version tag yet"
    lines = [f"current: {base}; {len(nxt.commits)} commit(s) since"]
    if nxt.current is None and nxt.version:
        lines.append(f"first release: {nxt.version} (initial_version, or version in config)")
    elif nxt.version and nxt.increment is None:
        lines.append(f"no commit asks for more: the final release of {base}")
    elif nxt.forced:
        lines.append(f"bump: {nxt.increment} (forced with --increment)")
    elif nxt.increment:
        lines.append(f"bump: {nxt.increment}, decided by:")
        for commit in nxt.deciding:
            why = "breaking change" if commit.parsed.breaking else f"type {commit.parsed.type}"
            lines.append(f"  {commit.short} {one_line(commit.parsed.header)}  ({why})")
    if nxt.version:
        lines.append(f"next: {nxt.version} (tag {nxt.tag})")
    return lines


@cli.command()
@click.argument("revision_range", metavar="[RANGE]", required=False)
@format_option(
    ["text", "json"], "Plain text, or JSON (each commit with its section and the reason)."
)
@OUTPUT
@click.pass_context
def log(ctx: click.Context, revision_range: str | None, fmt: str, output: str | None) -> None:
    """How each commit was classified, and why.

    RANGE is BASE..TIP (e.g. v1.2.0..HEAD) or one revision; without it, the whole history,
    release by release.
    """
    from relnotes.notes import log_json, one_line
    from relnotes.output import to_json
    from relnotes.project import log as make_log

    groups = make_log(_project(ctx), revision_range)
    if fmt == "json":
        data = {
            "releases": [
                {
                    "tag": g.tag,
                    "version": g.version,
                    "commits": [log_json(c, g.decisions[c.sha]) for c in g.commits],
                }
                for g in groups
            ]
        }
        _emit(to_json(data, compact=True), output)
        return
    lines: list[str] = []
    for group in groups:
        title = group.tag or ("Unreleased" if revision_range is None else revision_range)
        lines.append(f"{title} ({len(group.commits)} commits)")
        for commit in group.commits:
            decision = group.decisions[commit.sha]
            where = decision.section or "-"
            if decision.breaking:
                where += ", breaking"
            lines.append(f"  {commit.short}  {one_line(commit.parsed.header)}")
            lines.append(f"           -> {where}: {decision.reason}")
    _emit("\n".join(lines) + "\n", output)


@cli.command()
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

        check_range(_project(ctx), revision_range, report, fixup=fixup, merges=merges)
    elif message_file is not None:
        check_file(message_file, load_config(str(ctx.obj), cached=True), report, fix=fix)
    else:
        if message is None:
            if sys.stdin is None or sys.stdin.isatty():
                raise click.UsageError(
                    "give --message-file FILE, --message TEXT, --range BASE..HEAD, "
                    "or a message on standard input"
                )
            message = sys.stdin.read()
        check_text(message, load_config(str(ctx.obj)), report)
    click.echo(report.render(fmt), nl=False)
    if revision_range is not None and not report.errors:
        warnings = len(report.items)
        click.echo(
            f"checked {report.checked} commit{'s' * (report.checked != 1)}: no errors"
            + (f", {warnings} warning{'s' * (warnings != 1)}" if warnings else ""),
            err=True,
        )
    ctx.exit(report.exit_code)


def run(args: list[str]) -> int:
    """Run the click application and return its exit code (never raises).

    This is the process's entry: the collector is switched off, since a short-lived command
    that holds 100,000 commits would otherwise spend a third of its time scanning them.
    """
    gc.disable()
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


def main() -> None:  # pragma: no cover - the console script goes through __main__.main
    sys.exit(run(sys.argv[1:]))


# The commands that live in modules of their own (each imports this module for the group).
from relnotes.cli_changelog import changelog  # noqa: E402
from relnotes.cli_doctor import doctor  # noqa: E402
from relnotes.cli_init import init  # noqa: E402
from relnotes.cli_verify import verify  # noqa: E402

for _command in (verify, doctor, init, changelog):
    cli.add_command(_command)
