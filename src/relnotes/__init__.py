"""relnotes: Conventional Commits to the next version, release notes and a changelog.

The public API is small: :func:`parse` and the records it returns (``relnotes.parse``,
``relnotes.Footer``, ``relnotes.ParsedCommit``). This module imports nothing: the console
script imports it first, and a command that reads history starts git before anything else
is loaded (:mod:`relnotes.early`). The three names are looked up when first asked for.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from relnotes.parse import Footer, ParsedCommit, parse

    __version__: str

__all__ = ["Footer", "ParsedCommit", "__version__", "parse"]


def __getattr__(name: str) -> object:
    if name in ("Footer", "ParsedCommit"):
        return getattr(_parse_module(), name)
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("relnotes")
        except PackageNotFoundError:  # pragma: no cover - only in an uninstalled checkout
            return "0+unknown"
    raise AttributeError(f"module 'relnotes' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def _parse_module() -> Any:
    from importlib import import_module

    return import_module("relnotes.parse")


class _Package(type(sys)):  # type: ignore[misc]  # types.ModuleType, not imported yet
    """The package's module type: ``relnotes.parse`` is the function, although importing
    the module ``relnotes.parse`` names the module on the package (the import system sets
    that attribute: it is not kept, the module stays in ``sys.modules``). Any other value
    set (a test's stand-in) is kept until it is deleted."""

    @property
    def parse(self) -> object:
        return self.__dict__.get("_parse_set") or _parse_module().parse

    @parse.setter
    def parse(self, value: object) -> None:
        if not isinstance(value, type(sys)):
            self.__dict__["_parse_set"] = value

    @parse.deleter
    def parse(self) -> None:
        self.__dict__.pop("_parse_set", None)


sys.modules[__name__].__class__ = _Package
