"""relnotes: Conventional Commits to the next version, release notes and a changelog.

The public API is small: :func:`parse` and the records it returns. This module stays light:
the commit-msg hook imports it on every commit.
"""

from __future__ import annotations

from relnotes.parse import Footer, ParsedCommit, parse

__all__ = ["Footer", "ParsedCommit", "__version__", "parse"]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("relnotes")
        except PackageNotFoundError:  # pragma: no cover - only in an uninstalled checkout
            return "0+unknown"
    raise AttributeError(f"module 'relnotes' has no attribute {name!r}")
