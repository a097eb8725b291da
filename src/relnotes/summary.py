"""The release preview as a GitHub job summary: ``relnotes preview --format github``.

On a pull request, actions/checkout checks out the merge ref (the pull request merged into its
base), so HEAD is what merging would make and the newest tag it reaches is the base branch's
latest: the preview of HEAD is the release that merging would lead to. It needs only a
checkout with the whole history (no token, no write permission).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from relnotes.project import compute_next, describe, preview

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping

    from relnotes.project import Project
    from relnotes.version import Increment

#: The ref a pull request's workflow runs on: ``refs/pull/12/merge``.
_PULL_REF_RE = re.compile(r"refs/pull/([0-9]+)/(?:merge|head)")


def github_summary(
    project: Project,
    environ: Mapping[str, str],
    *,
    increment: Increment | None = None,
    prerelease: str | None = None,
    date: dt.date | None = None,
) -> str:
    """The job-summary block: the version merging would release, the bump and the commits
    that decide it, the warnings and the release body; or that nothing would be released.

    ``environ``: GitHub's variables (``GITHUB_EVENT_NAME``, ``GITHUB_REF``,
    ``GITHUB_BASE_REF``) say whether this is a pull request, and into which branch.
    """
    from relnotes.render import render

    pull = _PULL_REF_RE.fullmatch(environ.get("GITHUB_REF", ""))
    in_pull_request = environ.get("GITHUB_EVENT_NAME", "").startswith("pull_request")
    nxt = compute_next(project, increment=increment, prerelease=prerelease)
    context: dict[str, object] = {
        "pull_request": pull[1] if pull and in_pull_request else None,
        "base": environ.get("GITHUB_BASE_REF") or None if in_pull_request else None,
        "version": nxt.version,
        "tag": nxt.tag,
        "previous_tag": nxt.current.name if nxt.current else None,
        "commits": len(nxt.commits),
        "forced": nxt.forced,
        "why": "",
        "deciding": [],
        "warnings": [],
        "body": "",
    }
    if nxt.version is not None:
        result = preview(project, increment=increment, prerelease=prerelease, date=date, nxt=nxt)
        context.update(
            previous_tag=result.notes["previous_tag"],
            why=_why(describe(nxt)),
            deciding=[
                {
                    "short_sha": c.short,
                    "header": c.parsed.header,
                    "reason": "breaking change" if c.parsed.breaking else f"type {c.parsed.type}",
                }
                for c in nxt.deciding
            ],
            warnings=result.warnings,
            body=result.body,
        )
    return render("preview_summary.md.jinja", context, project.config)


def _why(described: str) -> str:
    """``describe()``'s words as a phrase: ``MINOR`` -> ``a MINOR bump``."""
    if described in ("MAJOR", "MINOR", "PATCH"):
        return f"a {described} bump"
    if described.endswith(" (forced)"):
        return f"a {described.removesuffix(' (forced)')} bump"
    return described
