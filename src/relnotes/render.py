"""The one home of the Jinja2 environment: template lookup, filters, strict rendering.

Built-in templates ship inside the wheel as ``relnotes/templates`` and are read with
``importlib.resources``; ``template_dir`` in the configuration overrides them by name, and a
template may also be named by its path.
"""

from __future__ import annotations

import os
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

import jinja2

from relnotes.errors import TemplateError

if TYPE_CHECKING:
    from collections.abc import Callable

    from relnotes.config import Config

_REFERENCE_RE = re.compile(r"(?<![\w/&\[])#([0-9]+)\b")
#: What Markdown (GitHub's included) could read as markup in a line of text: emphasis, code,
#: links and images, HTML and entities, mentions, issue references, tables, strikethrough.
_MARKUP_RE = re.compile(r"[\\`*_\[\]<>&@#|~!]")
_ORDERED_RE = re.compile(r"\A([0-9]+)([.)])(?= |\Z)")


def _builtin(name: str) -> tuple[str, str, Callable[[], bool]] | None:
    resource = resources.files("relnotes").joinpath("templates", *name.split("/"))
    if not resource.is_file():
        return None
    return resource.read_text(encoding="utf-8"), f"relnotes:{name}", lambda: True


def environment(config: Config) -> jinja2.Environment:
    """The environment: the user's template folder first, then the built-in templates."""
    loaders: list[jinja2.BaseLoader] = []
    if config.template_dir:
        folder = os.path.join(config.root or ".", config.template_dir)
        if not os.path.isdir(folder):
            raise TemplateError(
                f"template_dir {config.template_dir!r} is not a folder",
                hint=f"create {folder} or remove template_dir from the configuration",
            )
        loaders.append(jinja2.FileSystemLoader(folder))
    loaders.append(jinja2.FunctionLoader(_builtin))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # Markdown, not HTML
    )
    env.filters["unwrap"] = unwrap
    env.filters["link_refs"] = link_refs
    env.filters["md_text"] = md_text
    return env


def md_text(text: str) -> str:
    """Text as Markdown shows it literally, on one line: every character that could start
    markup is escaped, and a line break or other control character becomes a space.
    (For names and other short text: entries keep their own filters.)"""
    if not text.isprintable():  # a line break, a control character: a space
        text = "".join(c if c.isprintable() else " " for c in text)
    line = " ".join(text.split())
    line = _MARKUP_RE.sub(lambda m: "\\" + m[0], line)
    if line[:1] in ("-", "+", "="):
        line = "\\" + line  # a list item or a heading underline at the start of a line
    return _ORDERED_RE.sub(r"\1\\\2", line)  # "1. " would be an ordered list item


def unwrap(text: str) -> str:
    """Join a wrapped paragraph into one line (a footer value spans lines in git)."""
    if text.isprintable():  # no line break of any kind: one line already (the common case)
        return text.strip()
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def link_refs(text: str, repository: str | None) -> str:
    """Turn ``#123`` into a Markdown link to the repository's issue (GitHub redirects PRs)."""
    if not repository or "#" not in text:
        return text
    return _REFERENCE_RE.sub(lambda m: f"[#{m[1]}]({repository}/issues/{m[1]})", text)


def render(name: str, context: dict[str, Any], config: Config) -> str:
    """Render a template by name (built-in or from template_dir) or by path."""
    env = environment(config)
    path = os.path.join(config.root or ".", name)
    try:
        if os.sep in name or "/" in name or os.path.isfile(path):
            if not os.path.isfile(path):
                raise TemplateError(f"template file not found: {name}", hint="check the path")
            with open(path, encoding="utf-8") as handle:
                template = env.from_string(handle.read())
        else:
            template = env.get_template(name.removeprefix("relnotes:"))
        return template.render(**context)
    except jinja2.TemplateNotFound as exc:
        where = f"{config.template_dir!r} and " if config.template_dir else ""
        raise TemplateError(
            f"template {exc.name!r} not found",
            hint=f"looked in {where}the built-in templates; check the *_template settings",
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template {exc.filename or name} line {exc.lineno}: {exc.message}",
            hint="fix the Jinja2 syntax",
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"template {name}: {exc.message}",
            hint="see README, 'JSON output', for the names a template can use",
        ) from None
    except TemplateError:
        raise
    except Exception as exc:  # the user's template code failed, not relnotes
        raise TemplateError(
            f"template {name} failed: {type(exc).__name__}: {exc}",
            hint="fix the expression in the template",
        ) from None
