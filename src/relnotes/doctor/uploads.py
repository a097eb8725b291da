"""Every way a job uploads to PyPI or TestPyPI that the doctor sees.

pypa/gh-action-pypi-publish; PyO3/maturin-action with ``command: upload`` or ``publish``; and the
commands ``twine upload`` (also ``python -m twine``), ``uv publish``, ``hatch publish``, ``poetry
publish``, ``pdm publish``, ``flit publish``, ``maturin upload`` and ``maturin publish``, in a
step's ``run:`` or in the make recipes and repository scripts it runs
(:mod:`relnotes.doctor.scripts`). Each is an :class:`Upload`: where it goes, what gives it a
token or password instead of Trusted Publishing, whether it builds first, and where it reads the
distributions. An upload to another index (a URL that is not pypi.org) is not PyPI's concern.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING

from relnotes.doctor.jobs import command_at, dist_folder, packages_dir
from relnotes.doctor.scripts import MAKE_RE, SCRIPT_RE

if TYPE_CHECKING:
    from collections.abc import Callable

    from relnotes.doctor.scripts import Piece
    from relnotes.doctor.workflow import Step

PUBLISH_ACTION = "pypa/gh-action-pypi-publish"
MATURIN_ACTION = "pyo3/maturin-action"


def _never(command: str) -> bool:
    return False


def _always(command: str) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Tool:
    trusted: bool  # it can upload with Trusted Publishing (an OIDC token from the job)
    options: str  # the options that give it a token or password (a regular expression)
    variables: str  # the environment variables that do
    builds: Callable[[str], bool] = _never  # whether the command builds before it uploads


TOOLS: dict[str, Tool] = {
    "twine upload": Tool(True, r"-p|--password", r"TWINE_PASSWORD"),
    "uv publish": Tool(
        True,
        r"-t|--token|-p|--password|--trusted-publishing[=\s]+never",
        r"UV_PUBLISH_(?:TOKEN|PASSWORD)",
    ),
    "hatch publish": Tool(False, r"-a|--auth", r"HATCH_INDEX_AUTH"),
    "poetry publish": Tool(
        False,
        r"-p|--password",
        r"POETRY_PYPI_TOKEN_\w+|POETRY_HTTP_BASIC_\w+_PASSWORD",
        lambda command: "--build" in command.split(),
    ),
    "pdm publish": Tool(
        True, r"-P|--password", r"PDM_PUBLISH_PASSWORD", lambda c: "--no-build" not in c.split()
    ),
    "flit publish": Tool(False, r"(?!)", r"FLIT_PASSWORD", _always),
    "maturin upload": Tool(True, r"-p|--password", r"MATURIN_PYPI_TOKEN|MATURIN_PASSWORD"),
    "maturin publish": Tool(
        True, r"-p|--password", r"MATURIN_PYPI_TOKEN|MATURIN_PASSWORD", _always
    ),
}
_NAMES = r"twine\s+upload|uv\s+publish|hatch\s+publish|poetry\s+publish|pdm\s+publish" + (
    r"|flit\s+publish|maturin\s+(?:upload|publish)"
)
#: An upload command in a script (``python -m twine upload`` too).
UPLOAD_RE = re.compile(rf"(?<![\w./-])(?:python3?(?:\.\d+)?\s+-m\s+)?({_NAMES})(?![\w-])")
#: A line that does nothing but upload (with ``VAR=value`` before it, or through uvx/pipx).
UPLOAD_LINE_RE = re.compile(
    r"\s*(?:[A-Za-z_]\w*=\S*\s+)*(?:python3?(?:\.\d+)?\s+-m\s+|uvx\s+|pipx\s+run\s+|uv\s+run\s+)?"
    rf"(?:{_NAMES})(?![\w-])(?:[^;&|`()<>$]|\$[({{]?\w+[)}}]?)*"
)
#: A line that changes nothing a rule cares about.
HARMLESS_RE = re.compile(
    r"\s*(?:(?:set|echo|printf|cd|ls|exit|true|:|shopt|trap)(?:\s.*)?|#!.*"
    r"|(?:export\s+)?[A-Za-z_]\w*=(?:\"[^\"`$(]*\"|'[^']*'|\"\$\w+\"|\$\w+|[^\s;&|`$(]*))\s*"
)
TESTPYPI_RE = re.compile(
    r"test\.pypi\.org|(?:^|\s)(?:-r|--repository|--repo|--index)(?:=|\s+)[\"']?test(?:pypi)?"
    r"(?=[\"'\s]|$)|\b(?:TWINE_REPOSITORY|PDM_PUBLISH_REPO|MATURIN_REPOSITORY|HATCH_INDEX_REPO"
    r"|UV_PUBLISH_INDEX)=[\"']?test(?:pypi)?\b",
    re.MULTILINE,
)
_URL_RE = re.compile(r"https?://[^\s\"'`]+")
#: Environment variables that name the index an upload goes to.
_INDEX_VARIABLE_RE = re.compile(r"\w*(?:REPOSITORY|INDEX|REPO|PUBLISH_URL)\w*")
SECRETS_RE = re.compile(r"secrets\.(?!GITHUB_TOKEN\b)([A-Za-z_]\w*)", re.IGNORECASE)
#: Credentials written for the tools: a .pypirc, or poetry's stored token.
STORED_RE = re.compile(r"\.pypirc\b|poetry\s+config\s+(?:pypi-token|http-basic)\.")
#: Options whose value is not a file to upload.
_VALUED = {
    "-r", "--repository", "--repository-url", "--publish-url", "-u", "--username", "-p",
    "--password", "-t", "--token", "--index", "-a", "--auth", "--repo", "--config-file", "-c",
    "--comment", "-i", "--identity", "--sign-with", "--cert", "--client-cert", "--check-url",
    "--trusted-publishing", "--keyring-provider", "-P", "-d", "--dest", "-m", "--manifest-path",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Upload:
    """One upload to PyPI or TestPyPI."""

    step: Step
    tool: str  # the action, or the command ("twine upload")
    testpypi: bool
    line: int
    via: str = ""  # "" in the step itself, else "make TARGET" or a script's path
    command: str = ""  # the command line, for a command
    credentials: str = ""  # what gives it a token or password ("": none seen)
    trusted: bool = True  # the tool can use Trusted Publishing
    builds: bool = False  # the command builds the distributions before it uploads them
    folder: str = "dist"  # where it reads the distributions

    @property
    def by_action(self) -> bool:
        return self.tool == PUBLISH_ACTION

    @property
    def name(self) -> str:
        """How findings name it: `twine upload` (in scripts/release.sh)."""
        where = f" (in {self.via})" if self.via else ""
        return f"`{self.tool}`{where}"


def find_uploads(step: Step, pieces: list[Piece], job_text: str) -> list[Upload]:
    """Every upload ``step`` makes: by an action, or by a command in what it runs."""
    env = _env_text(step)
    found: list[Upload] = []
    if step.is_action(PUBLISH_ACTION):
        key = next((k for k in ("password", "user") if k in step.with_), "")
        url = str(step.input("repository-url") or step.input("repository_url") or "")
        found.append(
            Upload(
                step,
                PUBLISH_ACTION,
                "test.pypi.org" in url,
                step.line,
                credentials=f"its `{key}` input" if key else "",
                folder=packages_dir(step),
            )
        )
    elif step.is_action(MATURIN_ACTION):
        command = str(step.input("command") or "").strip()
        if command in ("upload", "publish"):
            text = f"maturin {command} {step.input('args') or ''}".strip()
            upload = _command(step, f"maturin {command}", text, text, step.line, "", env, job_text)
            found.extend([upload] if upload else [])
    for piece in pieces:
        for match in UPLOAD_RE.finditer(piece.text):
            if _commented(piece.text, match.start()):
                continue
            line = step.line
            if not piece.via and step.run is not None:
                line = step.run.line_at(match.start())
            whole = command_at(piece.text, piece.text.rfind("\n", 0, match.start()) + 1)
            command = _cut(command_at(piece.text, match.start()))
            tool = " ".join(match[1].split())
            upload = _command(step, tool, command, whole, line, piece.via, env, job_text)
            found.extend([upload] if upload else [])
    return found


def _command(
    step: Step, tool: str, command: str, line_text: str, line: int, via: str, env: str, job: str
) -> Upload | None:
    spec = TOOLS[tool]
    variables = (e for e in env.splitlines() if _INDEX_VARIABLE_RE.match(e))
    index = "\n".join([_cut(line_text), *variables])
    urls = _URL_RE.findall(index)
    if urls and not any("pypi.org" in url for url in urls):
        return None  # another index: not PyPI's rules
    return Upload(
        step,
        tool,
        bool(TESTPYPI_RE.search(index)),
        line,
        via,
        command,
        _credentials(
            spec, command, line_text + "\n" + env, line_text + "\n" + _env_text(step, own=True), job
        ),
        spec.trusted,
        spec.builds(command),
        _folder(command),
    )


def _credentials(spec: Tool, command: str, around: str, own: str, job: str) -> str:
    """What gives this upload a token or password ("" when nothing visible does): an option,
    a variable the tool reads (set anywhere: ``around``, the environment at every level), or
    a secret handed to the step itself (``own``: its command, ``env`` and ``with``). A secret
    in the job's or the workflow's ``env`` under another name (a coverage token) is every
    step's, not the upload's."""
    option = re.search(rf"(?:^|\s)({spec.options})(?=[=\s]|$)", command)
    if option:
        return f"the {option[1].split()[0].split('=')[0]} option"
    variable = re.search(rf"\b({spec.variables})\b", around + "\n" + job)
    if variable:
        return variable[1]
    secret = SECRETS_RE.search(own)
    if secret:
        return f"secrets.{secret[1]}"
    stored = STORED_RE.search(job)
    return "a stored token (~/.pypirc)" if stored else ""


def _env_text(step: Step, *, own: bool = False) -> str:
    """``NAME=value`` lines of the environment the step runs in (its own, the job's, the
    workflow's; ``own``: the step's alone), and the step's ``with:`` inputs (where a
    maturin-action token goes too)."""
    lines: list[str] = []
    for node in (step.node,) if own else (step.node, step.job.node, step.job.workflow.root):
        env = node.get("env")
        if isinstance(env, dict):
            lines.extend(f"{k}={v}" for k, v in env.items())
    lines.extend(f"with.{k}={v}" for k, v in step.with_.items())
    return "\n".join(lines)


def _folder(command: str) -> str:
    """Where a command reads the distributions: its first file argument's folder, or dist."""
    try:
        words = shlex.split(command, comments=True)
    except ValueError:
        words = command.split()
    index = 2
    while index < len(words):
        word = words[index]
        index += 1
        if word in ("-d", "--dest") and index < len(words):
            return dist_folder(words[index])
        if word.startswith("-"):
            index += word in _VALUED
        elif "/" in word or "*" in word or word.endswith((".whl", ".tar.gz", ".zip")):
            return dist_folder(word.rsplit("/", 1)[0] if "/" in word else ".")
    return "dist"


def _commented(text: str, index: int) -> bool:
    start = text.rfind("\n", 0, index) + 1
    return bool(re.search(r"(?:^|\s)#", text[start:index]))


def _cut(text: str) -> str:
    """The command alone: up to the first ``;``, ``&&``, ``||`` or ``|``."""
    return re.split(r"\s*(?:&&|\|\||;|\|)", text.replace("\\\n", " "), maxsplit=1)[0].strip()


def only_uploads(pieces: list[Piece], folder: str = "") -> bool:
    """Whether what a step runs does nothing but upload (and call what only uploads).

    A make target or script it calls counts only when it was read (its text is one of
    ``pieces``, checked in turn); the project's Python code never does.
    """
    read = {piece.via for piece in pieces}
    uploads = False
    for piece in pieces:
        if piece.via.endswith(".py"):
            return False
        for line in piece.text.replace("\\\n", " ").splitlines():
            if not line.strip() or line.strip().startswith("#") or HARMLESS_RE.fullmatch(line):
                continue
            if UPLOAD_LINE_RE.fullmatch(line):
                uploads = True
            elif not _calls_only(line, read, "" if piece.via.startswith("make ") else folder):
                return False
    return uploads


def _calls_only(line: str, read: set[str], folder: str) -> bool:
    """Whether a line only runs make targets and scripts, each of them read."""
    for match in MAKE_RE.finditer(line):
        words = [w for w in match[1].split() if not w.startswith("-") and "=" not in w]
        if not words or any(f"make {word}" not in read for word in words):
            return False
    for match in SCRIPT_RE.finditer(line):
        path = os.path.normpath(os.path.join(folder, match[1] or match[2])).replace(os.sep, "/")
        if path not in read:
            return False
    rest = SCRIPT_RE.sub("", MAKE_RE.sub("", line))
    return not rest.strip(" \t;&|")
