"""The light entry point of ``relnotes check`` (the commit-msg hook): no click, no GitPython.

Returns ``None`` for anything it does not handle, and the click command takes over.
"""

from __future__ import annotations


def run_light(args: list[str]) -> int | None:
    """Check one message without the heavy imports; ``None``: let the full CLI handle it."""
    del args
    return None
