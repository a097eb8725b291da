"""`relnotes doctor`: options in, :func:`relnotes.doctor.diagnose`, the report out, an exit code."""

from __future__ import annotations

import click

from relnotes.cli.common import repo_path


@click.command()
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="Plain text, one JSON object, or GitHub Actions annotations (::error file=…).",
)
@click.option(
    "--select",
    multiple=True,
    metavar="RULES",
    help="Only these rules (ids or prefixes, comma-separated: W14,P or W1).",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="RULES",
    help="Leave out these rules (ids or prefixes, comma-separated).",
)
@click.option("--explain", metavar="RULE", help="Print a rule's rationale and fix, and stop.")
@click.option("--list-rules", is_flag=True, help="List every rule with its severity, and stop.")
@click.pass_context
def doctor(
    ctx: click.Context,
    path: str | None,
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    explain: str | None,
    list_rules: bool,
) -> None:
    """Check a project's release pipeline: .github/workflows/*.yml and pyproject.toml.

    PATH is the project's folder (default: the -C folder, or the current one). Each finding
    gives the rule, its severity, file:line, what is wrong and the fix; silence one with a
    comment on its line: `# relnotes: ignore[W16]`. Exits 1 when an error remains, 0 otherwise
    (warnings alone pass), 2 on usage errors.

    \b
    relnotes doctor --explain W08    why a rule exists, and its fix
    relnotes doctor --format github  annotations for a GitHub Actions log
    """
    from relnotes import doctor as lib

    if explain is not None:
        click.echo(lib.explain(explain), nl=False)
        return
    if list_rules:
        click.echo(lib.list_rules(), nl=False)
        return
    report = lib.diagnose(path or repo_path(ctx), select=select, ignore=ignore)
    click.echo(lib.format_report(report, fmt), nl=False)
    if fmt == "text":
        for note in report.notes:
            click.echo(f"note: {note}", err=True)
        click.echo(lib.summary(report), err=True)
    ctx.exit(1 if report.errors else 0)
