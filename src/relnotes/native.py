"""The built-in notes and changelog templates (``templates/notes.md.jinja`` and
``changelog.md.jinja``, with the ``body`` and ``credits`` macros of ``_release.md.jinja``)
written out in Python.

``relnotes notes`` runs once per release in the release job, and importing Jinja2 costs it
more than reading the release; a whole history's changelog calls the body macro for 2,000
releases (5% of its time). When a template is the built-in one, unchanged (no
``template_dir``, no file of that name in the repository), :func:`relnotes.render.render`
makes the text here and Jinja2 is not imported. The Jinja2 files stay what the product
documents and what users copy to make their own: tests render the same contexts (generated
ones, and real releases through a copy of the templates) both ways and hold them to the same
bytes, so an edit of one that the other does not follow fails.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from relnotes.markdown import link_refs, md_text, unmentioned, unwrap

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

#: The header of a new CHANGELOG.md (``changelog.md.jinja``'s).
HEADER = """# Changelog

All notable changes to this project are documented in this file, newest first, in the
form of [Keep a Changelog](https://keepachangelog.com/en/1.1.0/). The releases are written
by [relnotes](https://github.com/relnotes/relnotes) from the project's Conventional Commits;
text added by hand to a released section is kept when the file is updated.

"""


def notes(context: Mapping[str, Any]) -> Iterator[str]:
    """``notes.md.jinja``'s text over ``context`` (see :class:`relnotes.notes.ReleaseContext`),
    in pieces."""
    links = context["links"]
    yield f"## {context['version']} ({context['date']})\n"
    yield from body(
        context["breaking_changes"],
        context["sections"],
        links["repository"],
        context["breaking_title"],
        context["empty_text"],
    )
    yield from credits(context["contributors"])
    parts = []
    if links["pypi"]:
        parts.append(f"[PyPI]({links['pypi']})")
    if links["milestones"]:
        parts.append(f"[Milestones]({links['milestones']})")
    if links["compare"]:
        parts.append(f"[Full changelog]({links['compare']})")
    if parts:
        yield "\n---\n\n" + " · ".join(parts) + "\n"


def changelog(context: Mapping[str, Any]) -> Iterator[str]:
    """``changelog.md.jinja``'s text over ``context`` (see
    :class:`relnotes.changelog.writer.ChangelogContext`), release by release."""
    if context["header"]:
        yield f"{HEADER}{context['marker']}\n"
    title = context["breaking_title"]
    for index, r in enumerate(context["releases"]):
        heading = f"[{r['title']}]({r['link']})" if r["link"] else f"{r['title']}"
        date = f" - {r['date']}" if r["date"] else ""
        yield f"{'' if index == 0 else chr(10)}## {heading}{date}\n"
        empty = r.get("empty_text", "No user-facing changes.")
        repository = r["links"]["repository"]
        yield from body(r["breaking_changes"], r["sections"], repository, title, empty)
        yield from credits(r["contributors"])


def body(
    breaking_changes: list[Any],
    sections: list[Any],
    repository: str | None,
    breaking_title: str,
    empty_text: str,
) -> Iterator[str]:
    """The ``body`` macro: a section per group of entries, breaking changes first."""
    groups = [{"title": breaking_title, "commits": breaking_changes}] if breaking_changes else []
    groups += sections
    for group in groups:
        yield f"\n### {group['title']}\n\n"
        for c in group["commits"]:
            text = unwrap(c["description"])
            scope = f"**{md_text(c['scope'])}:** " if c["scope"] else ""
            sha = c["short_sha"]
            where = f"[{sha}]({repository}/commit/{c['sha']})" if repository else sha
            refs = "".join(
                f", {link_refs(ref, repository)}" for ref in unmentioned(c["references"], text)
            )
            yield f"- {scope}{link_refs(md_text(text), repository)} ({where}{refs})\n"
    if not groups:
        yield f"\n{empty_text}\n"


def credits(contributors: list[Any]) -> Iterator[str]:
    """The ``credits`` macro: who made the release, the first-timers marked."""
    if not contributors:
        return
    yield "\n### Contributors\n\n"
    for person in contributors:
        first = " (first contribution)" if person["first_time"] else ""
        yield f"- {md_text(person['name'])}{first}\n"


#: The built-in templates' names that this module renders, and how.
RENDERERS = {
    "notes.md.jinja": notes,
    "relnotes:notes.md.jinja": notes,
    "changelog.md.jinja": changelog,
    "relnotes:changelog.md.jinja": changelog,
}
