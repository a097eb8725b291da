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


def _parse_module() -> Any:
    from importlib import import_module

    return import_module("relnotes.parse")


class _Package(type(sys)):  # type: ignore[misc]  # types.ModuleType, not imported yet
    """The package's module type: ``relnotes.parse`` is the function, although importing
    the module ``relnotes.parse`` names the module on the package (the import system sets
    that attribute; here it is kept apart and the function is answered)."""

    @property
    def parse(self) -> object:
        return _parse_module().parse

    @parse.setter
    def parse(self, module: object) -> None:
        pass  # the submodule stays in sys.modules, where imports find it


sys.modules[__name__].__class__ = _Package
