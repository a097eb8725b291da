"""`relnotes init`: options in, :func:`relnotes.scaffold.plan_init`, the files out."""

from __future__ import annotations

import click

from relnotes.cli.common import repo_path

VERBS = {"create": "created", "update": "updated", "keep": "kept", "overwrite": "replaced"}
PLANNED = {"create": "create", "update": "update", "keep": "keep", "overwrite": "OVERWRITE"}


@click.command()
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option("--package", metavar="NAME", help="The PyPI name (default: [project] name).")
@click.option(
    "--repository",
    metavar="OWNER/NAME",
    help="The GitHub repository that publishes (default: [tool.relnotes], [project.urls], origin).",
)
@click.option(
    "--python",
    "python_versions",
    metavar="VERSIONS",
    help="The test matrix, comma-separated (default: what requires-python allows, 3.8-3.13).",
)
@click.option(
    "--test-command",
    metavar="CMD",
    help="What the test jobs run (default: make check if the Makefile has it, else pytest).",
)
@click.option("--dry-run", is_flag=True, help="Show what would change (a diff), write nothing.")
@click.option("--force", is_flag=True, help="Replace files that exist with other content.")
@click.pass_context
def init(
    ctx: click.Context,
    path: str | None,
    package: str | None,
    repository: str | None,
    python_versions: str | None,
    test_command: str | None,
    dry_run: bool,
    force: bool,
) -> None:
    """Write a release pipeline into the Python project at PATH (default: the current one).

    \b
    .github/workflows/release.yml  tag -> tests, build, verify, PyPI (Trusted Publishing),
                                   GitHub release with the notes; main -> TestPyPI
    .github/workflows/ci.yml       pull requests: commit messages and tests
    .cz.toml                       commit and tag settings (unless commitizen has some)
    pyproject.toml                 hatch-vcs version from tags, [tool.relnotes] (edited in place)
    .pre-commit-config.yaml        the commit-msg hook (added to an existing file)
    MILESTONES.md, RELEASING.md    plans, and the steps to do by hand on PyPI and GitHub

    If a file exists with other content, nothing is written unless --force is given;
    --dry-run shows the change as a diff and exits as the real run would (2 on a conflict).
    PATH must be the top level of its git repository, where GitHub and pre-commit look.
    """
    from relnotes.scaffold import apply, diff, plan_init, refuse_conflicts

    versions = [v.strip() for v in python_versions.split(",")] if python_versions else None
    plan = plan_init(
        path or repo_path(ctx),
        package=package,
        repository=repository,
        python_versions=versions,
        test_command=test_command,
    )
    if dry_run:
        click.echo(diff(plan), nl=False)
        for change in plan.changes:
            click.echo(f"would {PLANNED[change.action]:<9} {change.path}", err=True)
            for note in change.notes:
                click.echo(f"                {note}", err=True)
        refuse_conflicts(plan, force=force, dry_run=True)  # exit as the real run would
        return
    apply(plan, force=force)
    for change in plan.changes:
        click.echo(f"{VERBS[change.action]:>8}  {change.path}")
        for note in change.notes:
            click.echo(f"          {note}")
    click.echo(
        f"next: RELEASING.md lists what to set up by hand on PyPI and GitHub for {plan.repository}"
    )
