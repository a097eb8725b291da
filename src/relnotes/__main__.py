"""Entry point of the ``relnotes`` command (and ``python -m relnotes``).

The commit-msg hook (``relnotes check --message-file F``) runs on every commit, so it takes a
light path that imports neither click, GitPython, Jinja2 nor commitizen. A command that reads
history has git list the tags as the process starts, and ``relnotes notes`` and ``relnotes
changelog`` on a plain command line run without click (:mod:`relnotes.light`); every other
command line goes through the click application in :mod:`relnotes.cli`.
"""

from __future__ import annotations

import gc
import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["check"]:
        from relnotes.hook import run_light

        code = run_light(args[1:])
        if code is not None:
            return code
    # A short-lived command that holds 100,000 commits would spend a third of its time in
    # the cyclic collector scanning them: it stays off for the life of the process.
    gc.disable()
    from relnotes.light import reads_history

    where = reads_history(args)
    if where is None:
        return _click(args)
    from relnotes import early

    early.prefetch(where)  # git lists the tags while the rest is imported
    try:
        from relnotes.light import run_light

        code = run_light(args)
        return _click(args) if code is None else code
    finally:
        from relnotes import git

        git.drop_prefetched()


def _click(args: list[str]) -> int:
    from relnotes.cli import run

    return run(args)


def entry() -> None:
    """The console script (and ``python -m relnotes``): :func:`main`, then out at once.

    Tearing the interpreter down (freeing every module and object one by one) costs a
    ``relnotes notes`` run a tenth of its time, and nothing needs it: output is flushed here,
    files are written and closed before a command returns, and no git process outlives it.
    Where a flush fails (a closed pipe), Python's own exit takes over and says so.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)


if __name__ == "__main__":
    entry()
