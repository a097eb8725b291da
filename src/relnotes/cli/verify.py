"""``relnotes verify DIST_DIR [--tag TAG]``: the built files match the tag and install."""

from __future__ import annotations

import click

from relnotes.cli.common import repo_path
from relnotes.errors import CheckFailed


@click.command()
@click.argument("dist_dir", metavar="DIST_DIR", default="dist")
@click.option("--tag", metavar="TAG", help="The release tag (e.g. v1.2.0): the version must match.")
@click.option(
    "--no-install",
    is_flag=True,
    help="Skip the install into a fresh virtual environment (faster, checks less).",
)
@click.pass_context
def verify(ctx: click.Context, dist_dir: str, tag: str | None, no_install: bool) -> None:
    """Check DIST_DIR (default: dist) before upload.

    \b
    - exactly one wheel and one sdist, nothing else;
    - both the same project and version, without a local part (+g1234);
    - with --tag: that version is the tag's (v1.2.0-rc.1 is 1.2.0rc1);
    - the metadata renders on PyPI (twine check --strict, when twine is installed);
    - the wheel installs into a fresh virtual environment and its command's --version
      shows that version.

    Exits 1 naming every mismatch; nothing is uploaded.
    """
    from relnotes.config import load_config
    from relnotes.verify import verify as run_verify

    repo = repo_path(ctx)
    report = run_verify(
        dist_dir,
        tag,
        tag_format=load_config(repo).tag_format,
        install=not no_install,
        repo=repo,
    )
    for line in report.done:
        click.echo(f"  {line}", err=True)
    if not report.ok:
        for finding in report.findings:
            click.echo(f"relnotes: verify: {finding}", err=True)
        count = len(report.findings)
        raise CheckFailed(
            f"{dist_dir} is not ready to publish ({count} problem{'s' if count != 1 else ''})",
            hint="nothing was uploaded; fix the build and run relnotes verify again",
        )
    release = report.wheel or report.sdist
    assert release is not None  # a report without findings has both files
    versus = f", matching tag {tag}" if tag else ""
    click.echo(f"verified: {release.name} {release.version}{versus}")
