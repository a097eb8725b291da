"""The release commands: ``notes``, ``preview``, ``tag``, ``next-version`` and ``log``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from relnotes.cli.common import (
    FORMAT,
    INCREMENT,
    OUTPUT,
    PRERELEASE,
    emit,
    format_option,
    open_project,
    prepare_notes,
    to_increment,
)

if TYPE_CHECKING:
    import datetime as dt


@click.command()
@click.argument("tag", required=False)
@FORMAT
@OUTPUT
@click.pass_context
def notes(ctx: click.Context, tag: str | None, fmt: str, output: str | None) -> None:
    """The release notes of TAG (default: the latest version tag).

    This is the body the release job gives the GitHub release; it is byte for byte what
    `relnotes preview` showed before the tag was made (the date is the tag's date).
    """
    from relnotes.light import notes as write_notes

    write_notes(str(ctx.obj), tag, fmt, output)  # also run without click (relnotes.light)


@click.command()
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
    day = date.date() if date else None
    if fmt == "github":
        import os

        from relnotes.summary import github_summary

        text = github_summary(
            open_project(ctx),
            os.environ,
            increment=to_increment(increment),
            prerelease=prerelease,
            date=day,
        )
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if output is None and summary:
            with open(summary, "a", encoding="utf-8") as handle:  # other steps' blocks stay
                handle.write(text)
            click.echo(f"release preview written to the job summary ({summary})", err=True)
        else:
            emit(text, output)
        return

    from relnotes.output import to_json
    from relnotes.project import preview as make_preview

    result = make_preview(
        open_project(ctx, prepare_notes),
        increment=to_increment(increment),
        prerelease=prerelease,
        date=day,
    )
    click.echo(result.headline, err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if fmt == "json":
        emit(to_json(result.to_json()), output)
    else:
        if output is None:
            click.echo("", err=True)
        emit(result.body, output)


@click.command()
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
    from relnotes.tagging import make, plan

    project = open_project(ctx)
    planned = plan(
        project,
        increment=to_increment(increment),
        prerelease=prerelease,
        allow_branch=allow_branch,
        changelog=changelog,
        sign=sign,
        push=push,
    )
    click.echo(planned.headline, err=True)
    for warning in planned.warnings:
        click.echo(f"warning: {warning}", err=True)
    if dry_run:
        click.echo(planned.dry_run(push=push), nl=False)
        return
    click.echo(planned.done(make(project, planned, push=push)), nl=False)


@click.command("next-version")
@INCREMENT
@PRERELEASE
@click.option("--explain", is_flag=True, help="Say which commits decided the bump.")
@click.pass_context
def next_version(
    ctx: click.Context, increment: str | None, prerelease: str | None, explain: bool
) -> None:
    """Print the next version (for scripts). Exits 1 when nothing asks for a release, 2 when
    that version is published already (its tag exists in any spelling)."""
    from relnotes.explain import bump_lines
    from relnotes.project import compute_next, nothing_to_release

    nxt = compute_next(open_project(ctx), increment=to_increment(increment), prerelease=prerelease)
    if explain:
        for line in bump_lines(nxt):
            click.echo(line, err=True)
    if nxt.version is None:
        raise nothing_to_release(nxt)
    click.echo(nxt.version)


@click.command()
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
    from relnotes.explain import log as make_log
    from relnotes.explain import log_json, log_text

    groups = make_log(open_project(ctx), revision_range)
    chunks = log_json(groups) if fmt == "json" else log_text(groups, revision_range)
    if output is None or output == "-":
        for chunk in chunks:  # release by release: the whole history is never held
            click.echo(chunk, nl=False)
    else:
        emit("".join(chunks), output)
