"""What the command modules share: the options several commands take, the project they open,
and where their output goes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from relnotes.project import Project
    from relnotes.version import Increment

F = TypeVar("F", bound=Callable[..., Any])


def open_project(ctx: click.Context, meanwhile: Callable[[Project], None] | None = None) -> Project:
    """The project of the ``-C`` folder, once per command; what it warns about (tags that
    match no tag format) is said here, once, on standard error. ``meanwhile``: what the
    command prepares while git lists the tags (see :class:`~relnotes.project.Project`)."""
    from relnotes.light import warn
    from relnotes.project import Project

    project = Project(str(ctx.obj), meanwhile)
    warn(project.warnings)
    return project


def prepare_notes(project: Project) -> None:
    """What the notes need, made ready while git lists the tags (``open_project``'s
    ``meanwhile``): see :func:`relnotes.project.prepare_notes`."""
    from relnotes.project import prepare_notes as prepare

    prepare(project)


def repo_path(ctx: click.Context) -> str:
    """The ``-C`` folder (the current one by default)."""
    return str(ctx.obj or ".")


def emit(text: str, output: str | None) -> None:
    """``text`` to standard output, or to ``output`` written atomically (``-``: stdout):
    as ``relnotes notes`` writes its body, so that a preview prints what notes publish."""
    from relnotes.light import emit as write

    write(text, output)


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


def to_increment(value: str | None) -> Increment | None:
    """``--increment`` as the library takes it (upper case)."""
    if value is None:
        return None
    upper = value.upper()
    if upper == "MAJOR":
        return "MAJOR"
    if upper == "MINOR":
        return "MINOR"
    return "PATCH"
