"""What a shell command installs from a package index, and whether each tool is pinned.

``pip install NAME`` (``python -m pip``, ``pip3``, ``uv pip``), ``pipx install NAME``,
``uv tool install NAME`` and the runners ``uvx NAME``, ``pipx run NAME``, ``uv tool run NAME``.
A tool is pinned by an exact version (``twine==6.1.0``, ``uvx twine@6.1.0``); a requirements or
constraints file (``-r``, ``-c``) or ``--require-hashes`` pins the whole command. Local paths
(``.``, ``dist/*.whl``, ``./tools``), URLs and ``$VARIABLES`` are not tools from an index.
"""

from __future__ import annotations

import re
import shlex

#: Where an install command starts, and which kind it is.
INSTALLER_RE = re.compile(
    r"(?<![\w-])(?:(?:python3?(?:\.\d+)?\s+-m\s+pip|pip3?|uv\s+pip)\s+(install)"
    r"|(?:pipx|uv\s+tool)\s+(install)|(uvx|pipx\s+run|uv\s+tool\s+run))(?![\w-])"
)
#: Options whose value is the next word (never a requirement to look at).
_VALUED = {
    "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target",
    "--prefix", "--root", "--python", "-p", "--platform", "--python-version",
    "--implementation", "--abi", "--upgrade-strategy", "--src", "--progress-bar", "--cache-dir",
    "--log", "--trusted-host", "--proxy", "--retries", "--timeout", "--exists-action", "--cert",
    "--client-cert", "--report", "-C", "--config-settings", "--global-option", "--no-binary",
    "--only-binary", "--index", "--default-index", "--keyring-provider", "--spec", "--suffix",
}  # fmt: skip
#: Options that pin everything the command installs.
_PINS_ALL = {"-r", "--requirement", "-c", "--constraint", "--require-hashes", "--with-requirements"}
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?")


def unpinned_tools(command: str) -> list[str]:
    """The tools ``command`` installs or runs without an exact version (``[]`` if none)."""
    match = INSTALLER_RE.search(command)
    if match is None:
        return []
    try:
        words = shlex.split(_cut(command[match.end() :]), comments=True)
    except ValueError:
        words = _cut(command[match.end() :]).split()
    runner = match[3] is not None  # uvx NAME ...: only NAME (or --from) is installed
    found: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        option, _, value = word.partition("=")
        if option in _PINS_ALL or (option.startswith(("-r", "-c")) and len(option) > 2):
            return []
        if option in ("-e", "--editable", "--from", "--with"):
            value = value or (words[index] if index < len(words) else "")
            index += not word.count("=")
            found += _unpinned(value)
            if option == "--from":
                return found  # the tool comes from --from; the next word is its command
            continue
        if word.startswith("-"):
            index += option in _VALUED and not value
            continue
        found += _unpinned(word)
        if runner:
            return found  # the words after the tool are its own arguments
    return found


def _unpinned(requirement: str) -> list[str]:
    text = requirement.strip()
    local = text in (".", "..") or text.startswith((".", "/", "~", "$", "file:"))
    if local or "/" in text or "://" in text or text.endswith((".whl", ".tar.gz", ".zip")):
        return []
    name = _NAME_RE.match(text)
    if name is None:
        return []
    rest = text[name.end() :].split(";", 1)[0].strip()
    pinned = rest.startswith(("==", "===", "@")) and "*" not in rest and "," not in rest
    return [] if pinned else [name[0]]


def _cut(text: str) -> str:
    """The command alone: up to the end of its line, or the first ``;``, ``&&``, ``||``, ``|``."""
    text = text.replace("\\\n", " ").split("\n", 1)[0]
    return re.split(r"\s*(?:&&|\|\||;|\|)", text, maxsplit=1)[0]
