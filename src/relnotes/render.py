"""The one home of the Jinja2 environment: template lookup, filters, strict rendering.

Built-in templates ship inside the wheel as ``relnotes/templates`` and are read from the
installed package's folder (``importlib.resources`` costs a notes run 10 ms to import; it
reads them only from a zip import); ``template_dir`` in the configuration overrides them by
name, and a template may also be named by its path. A template that the repository's
configuration names is the repository's code, not relnotes': it must lie inside the
repository (no ``..``, no symbolic link out) and it renders in Jinja2's sandbox.

Jinja2 is imported when an environment is made, not with this module: the filters here
(``link_refs``, ``unwrap``) serve the changelog's own styles too, and ``changelog --check`` on
a current file renders nothing (importing Jinja2 costs several bare interpreter start-ups).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from relnotes.errors import ConfigError, TemplateError
from relnotes.markdown import link_refs, md_text, unmentioned, unwrap

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    import jinja2
    from jinja2.bccache import Bucket

    from relnotes.config import Config

#: The built-in templates' folder, where the package is installed as files.
_TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


def _builtin(name: str) -> tuple[str, str, Callable[[], bool]] | None:
    parts = name.split("/")
    if os.path.isdir(_TEMPLATES):
        path = os.path.join(_TEMPLATES, *parts)
        if not os.path.isfile(path):
            return None
        with open(path, encoding="utf-8") as handle:
            return handle.read(), f"relnotes:{name}", lambda: True
    from importlib import resources  # pragma: no cover - a zip import

    resource = resources.files("relnotes").joinpath("templates", *parts)
    if not resource.is_file():
        return None
    return resource.read_text(encoding="utf-8"), f"relnotes:{name}", lambda: True


def _inside_loader(folder: str, boundary: str, setting: str) -> jinja2.BaseLoader:
    """Templates from one folder, each of which must resolve inside ``boundary``."""
    import jinja2
    from jinja2.loaders import split_template_path

    class InsideLoader(jinja2.BaseLoader):
        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            path = os.path.join(folder, *split_template_path(template))
            if not os.path.isfile(path):
                raise jinja2.TemplateNotFound(template)
            inside(path, boundary, f"{setting}: {template}")
            with open(path, encoding="utf-8") as handle:
                source = handle.read()
            mtime = os.path.getmtime(path)
            return source, path, lambda: os.path.getmtime(path) == mtime

    return InsideLoader()


def inside(path: str, boundary: str, what: str) -> str:
    """``path`` resolved (symbolic links followed); a configuration error when that is not
    inside ``boundary`` (the repository)."""
    real = os.path.realpath(path)
    top = os.path.realpath(boundary)
    if os.path.commonpath([real, top]) != top:
        raise ConfigError(
            f"{what} lies outside the repository ({real} is not inside {top})",
            hint="templates named by the configuration must be files inside the repository",
        )
    return real


def environment(config: Config) -> jinja2.Environment:
    """The environment: the user's template folder first, then the built-in templates.

    With a ``template_dir`` (the repository's own templates) the environment is Jinja2's
    sandbox; the built-in templates alone render in a plain one.
    """
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    sandboxed = bool(config.template_dir)
    if config.template_dir:
        folder = os.path.join(config.root or ".", config.template_dir)
        if not os.path.isdir(folder):
            raise TemplateError(
                f"template_dir {config.template_dir!r} is not a folder",
                hint=f"create {folder} or remove template_dir from the configuration",
            )
        boundary = repository_root(config)
        inside(folder, boundary, f"template_dir {config.template_dir!r}")
        loaders.append(_inside_loader(folder, boundary, "template_dir"))
    loaders.append(jinja2.FunctionLoader(_builtin))
    return _environment(jinja2.ChoiceLoader(loaders), sandboxed=sandboxed)


def repository_root(config: Config) -> str:
    """The top of the repository the configuration was read in: the nearest folder at or
    above it that holds ``.git`` (else the configuration's own folder)."""
    start = os.path.abspath(config.root or ".")
    here = start
    while not os.path.exists(os.path.join(here, ".git")):
        parent = os.path.dirname(here)
        if parent == here:
            return start
        here = parent
    return here


#: How every environment parses templates (also part of a compiled template's cache key).
_OPTIONS: dict[str, Any] = {
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": False,  # Markdown, not HTML
}


def _environment(loader: jinja2.BaseLoader, *, sandboxed: bool) -> jinja2.Environment:
    import jinja2
    import jinja2.sandbox

    kind = jinja2.sandbox.SandboxedEnvironment if sandboxed else jinja2.Environment
    env = kind(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=None if sandboxed else _compiled_cache(),
        **_OPTIONS,
    )
    env.filters["unwrap"] = unwrap
    env.filters["link_refs"] = link_refs
    env.filters["md_text"] = md_text
    env.filters["unmentioned"] = unmentioned
    return env


def cache_folder() -> str:
    """Where relnotes keeps what it compiled between runs: ``$XDG_CACHE_HOME/relnotes``,
    else ``~/.cache/relnotes`` (a relative XDG_CACHE_HOME is invalid, the XDG spec says: it
    would put the cache into the folder relnotes runs in)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "relnotes")


def _compiled_cache() -> jinja2.BytecodeCache:
    """The built-in templates compiled once and kept between runs (:func:`cache_folder`):
    compiling the notes template costs more than reading a release. A compiled template is
    found by its name, its source, Jinja2's version and the environment's settings; a folder
    that cannot be written, or a file that cannot be read, is as if there were no cache.
    The repository's own templates (the sandbox) are compiled each time."""
    import hashlib

    import jinja2

    settings = repr((jinja2.__version__, sorted(_OPTIONS.items()))).encode()

    class CompiledCache(jinja2.FileSystemBytecodeCache):
        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            key = hashlib.sha1(settings)
            key.update(f"{name}|{filename}".encode())
            return key.hexdigest()

        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged file: compile anew
                bucket.reset()

        def dump_bytecode(self, bucket: Bucket) -> None:
            try:
                os.makedirs(self.directory, mode=0o700, exist_ok=True)
                super().dump_bytecode(bucket)
            except OSError:  # a cache that cannot be written is no cache
                return

    return CompiledCache(os.path.join(cache_folder(), "templates"), "%s.jinja2c")


def _native(name: str, config: Config) -> bool:
    """Whether ``name`` is a built-in template that :mod:`relnotes.native` renders (notes,
    changelog) and that nothing in the repository overrides (a ``template_dir`` may hold its
    own ``_release.md.jinja``; a file of that name is a template named by its path)."""
    from relnotes.native import RENDERERS

    return (
        name in RENDERERS
        and not config.template_dir
        and not os.path.isfile(os.path.join(config.root or ".", name))
    )


#: Templates compiled ahead by :func:`prepare`, each taken (once) by :func:`render`.
_prepared: dict[tuple[int, str], tuple[Config, jinja2.Template]] = {}


def prepare(name: str, config: Config) -> None:
    """Import Jinja2 and compile the built-in template ``name`` before :func:`render` needs
    it: a command does this while git works for it. Nothing is raised here; a template that
    fails to load is left for :func:`render` to report, in its turn."""
    if _native(name, config):
        import relnotes.native  # noqa: F401  (rendered without Jinja2)

        return
    import jinja2.sandbox  # noqa: F401  (importing Jinja2 is most of the cost)

    path = os.path.join(config.root or ".", name)
    if config.template_dir or os.sep in name or "/" in name or os.path.isfile(path):
        return  # the repository's own template: read when it renders
    try:
        template = environment(config).get_template(name.removeprefix("relnotes:"))
    except Exception:  # render says what is wrong
        return
    _prepared[(id(config), name)] = (config, template)


def render(name: str, context: Mapping[str, Any], config: Config) -> str:
    """Render a template by name (built-in or from template_dir) or by path.

    A template named by its path must lie inside the repository, and renders sandboxed.
    """
    return "".join(generate(name, context, config))


def generate(name: str, context: Mapping[str, Any], config: Config) -> Iterator[str]:
    """:func:`render`'s text in the pieces the template writes, made as they are read (a
    whole history's changelog need never be held whole); errors are raised as they are met.
    The built-in notes and changelog templates, unchanged, are rendered by
    :mod:`relnotes.native`.
    """
    if _native(name, config):
        from relnotes.native import RENDERERS

        try:
            yield from RENDERERS[name](context)
        except KeyError as exc:  # the other template's context (a setting naming the wrong one)
            raise TemplateError(
                f"template {name}: {exc.args[0]!r} is undefined",
                hint="see README, 'JSON output', for the names a template can use",
            ) from None
        return
    import jinja2
    import jinja2.sandbox

    env = environment(config)
    path = os.path.join(config.root or ".", name)
    prepared = _prepared.pop((id(config), name), None)
    try:
        if os.sep in name or "/" in name or os.path.isfile(path):
            if not os.path.isfile(path):
                raise TemplateError(f"template file not found: {name}", hint="check the path")
            setting = next(
                (k for k in ("notes_template", "changelog_template") if getattr(config, k) == name),
                "template",
            )
            real = inside(path, repository_root(config), f"{setting} {name!r}")
            if not isinstance(env, jinja2.sandbox.SandboxedEnvironment):
                env = _environment(env.loader or jinja2.BaseLoader(), sandboxed=True)
            with open(real, encoding="utf-8") as handle:
                template = env.from_string(handle.read())
        elif prepared is not None and prepared[0] is config:
            template = prepared[1]
        else:
            template = env.get_template(name.removeprefix("relnotes:"))
        yield from template.generate(**context)
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
    except (TemplateError, ConfigError):
        raise
    except Exception as exc:  # the user's template code failed, not relnotes
        raise TemplateError(
            f"template {name} failed: {type(exc).__name__}: {exc}",
            hint="fix the expression in the template",
        ) from None
