"""The built-in notes template (``templates/notes.md.jinja`` with the ``body`` and
``credits`` macros of ``_release.md.jinja``) written out in Python.

``relnotes notes`` runs once per release in the release job, and importing Jinja2 costs it
more than reading the release. When the notes template is the built-in one, unchanged (no
``template_dir``, no file of that name in the repository), :func:`relnotes.render.render`
makes the body here and Jinja2 is not imported. The Jinja2 files stay what the product
documents and what users copy to make their own: a test renders the same contexts (every
golden release and generated ones) both ways and holds them to the same bytes, so an edit of
one that the other does not follow fails.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from relnotes.markdown import link_refs, md_text, unmentioned, unwrap

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

#: The built-in notes template's names (``notes_template``) that this module renders.
NAMES = frozenset({"notes.md.jinja", "relnotes:notes.md.jinja"})


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
