"""Before upload: the built wheel and sdist are one release, the tag's version, and they install.

:func:`verify` returns every finding (empty: publishable); it never prints and never uploads.
Checks, in order: the folder holds exactly one wheel and one sdist and nothing else; both
carry the same project name and version (file names and metadata); the version has no local
part (PyPI refuses ``+g1234``); it equals the tag, PEP 440-normalised (``v1.2.0-rc.1`` is
``1.2.0rc1``) — a dirty or shallow build's ``1.2.1.dev0`` is caught here, with the reason read
from the repository when there is one; the metadata renders on PyPI (``twine check
--strict``); the wheel installs into a fresh virtual environment and its console script
answers ``--version`` with that version.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from email.parser import HeaderParser
from typing import TYPE_CHECKING

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from relnotes.archive import READ_ERRORS, read_sdist, read_wheel, reason
from relnotes.errors import RelnotesError

if TYPE_CHECKING:
    from email.message import Message

#: How long one install or one ``--version`` may take before it counts as a failure.
TIMEOUT = 300


@dataclass(frozen=True, slots=True)
class Dist:
    """One built file: its name and version as the file name says, and its metadata."""

    path: str
    kind: str  # "wheel" or "sdist"
    name: str
    version: Version
    metadata: Message
    scripts: tuple[str, ...] = ()  # the wheel's console scripts


@dataclass(slots=True)
class Report:
    """What :func:`verify` found: the release it checked, findings, and what it did."""

    dist_dir: str
    wheel: Dist | None = None
    sdist: Dist | None = None
    findings: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def verify(
    dist_dir: str,
    tag: str | None = None,
    *,
    tag_format: str = "v$version",
    install: bool = True,
    repo: str | None = None,
) -> Report:
    """Check ``dist_dir`` before upload; ``repo`` (a checkout) explains a version mismatch."""
    if not os.path.isdir(dist_dir):
        raise RelnotesError(
            f"no such folder: {dist_dir}", hint="build first: python -m build (writes dist/)"
        )
    wanted = None if tag is None else _tag_version(tag, tag_format)
    report = Report(dist_dir)
    wheels, sdists, unreadable = _contents(dist_dir, report)
    report.wheel = _one(wheels, "wheel", dist_dir, report, unreadable)
    report.sdist = _one(sdists, "sdist", dist_dir, report, unreadable)
    release = report.wheel or report.sdist
    if release is None:
        report.findings = [_one_line(f) for f in report.findings]
        return report
    _same_release(report)
    if release.version.local is not None:
        report.findings.append(
            f"version {release.version} has a local part (+{release.version.local}): PyPI "
            'refuses it; set local_scheme = "no-local-version" in [tool.hatch.version]'
        )
    if tag is not None and wanted is not None:
        _matches_tag(release, tag, wanted, repo, report)
    _renders(report)
    if install and report.wheel is not None and report.ok:
        _installs(report.wheel, report)
    report.findings = [_one_line(f) for f in report.findings]
    return report


def _tag_version(tag: str, tag_format: str) -> Version:
    """The version ``tag`` names; a usage error when it names none."""
    from relnotes.version import TagFormat

    text = TagFormat(tag_format).version_text(tag)
    wanted = _parse(text) if text is not None else None
    if wanted is None:
        raise RelnotesError(
            f"--tag {tag!r} names no version (tag_format {tag_format!r})",
            hint=f"pass the release tag, e.g. --tag {TagFormat(tag_format).tag_for('1.2.0')}",
        )
    return wanted


def _one_line(text: object) -> str:
    """``text`` on one line: a finding never spans lines."""
    return " ".join(str(text).split())


def _contents(dist_dir: str, report: Report) -> tuple[list[Dist], list[Dist], set[str]]:
    """The readable wheels and sdists, and the kinds ("wheel", "sdist") of unreadable ones."""
    wheels: list[Dist] = []
    sdists: list[Dist] = []
    unreadable: set[str] = set()
    for entry in sorted(os.listdir(dist_dir)):
        path = os.path.join(dist_dir, entry)
        try:
            if entry.endswith(".whl") and os.path.isfile(path):
                wheels.append(_read_wheel(path))
            elif entry.endswith(".tar.gz") and os.path.isfile(path):
                sdists.append(_read_sdist(path))
            else:
                report.findings.append(
                    f"unexpected {'folder' if os.path.isdir(path) else 'file'} {path}: "
                    "only the wheel and the sdist may be uploaded"
                )
        except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion) as exc:
            report.findings.append(f"{path}: not a distribution file name ({_one_line(exc)})")
        except READ_ERRORS as exc:
            kind = "wheel" if entry.endswith(".whl") else "sdist"
            unreadable.add(kind)
            report.findings.append(f"{path}: the {kind} is unreadable ({reason(exc)})")
    return wheels, sdists, unreadable


def _read_wheel(path: str) -> Dist:
    name, version, _build, _tags = parse_wheel_filename(os.path.basename(path))
    text, scripts = read_wheel(path)
    return Dist(path, "wheel", name, version, HeaderParser().parsestr(text), scripts)


def _read_sdist(path: str) -> Dist:
    name, version = parse_sdist_filename(os.path.basename(path))
    return Dist(path, "sdist", name, version, HeaderParser().parsestr(read_sdist(path)))


def _one(
    found: list[Dist], kind: str, dist_dir: str, report: Report, unreadable: set[str]
) -> Dist | None:
    if len(found) == 1 and kind not in unreadable:
        return found[0]
    if kind in unreadable:
        return None  # already named as unreadable: there is no one wheel (or sdist) to check
    if not found:
        report.findings.append(f"no {kind} in {dist_dir}: build both with `python -m build`")
    else:
        names = ", ".join(os.path.basename(d.path) for d in found)
        report.findings.append(f"{len(found)} {kind}s in {dist_dir} ({names}): keep only one")
    return None


def _same_release(report: Report) -> None:
    for dist in (report.wheel, report.sdist):
        if dist is None:
            continue
        meta_name = canonicalize_name(dist.metadata.get("Name", ""))
        meta_version = dist.metadata.get("Version", "")
        if meta_name != dist.name or _parse(meta_version) != dist.version:
            report.findings.append(
                f"{os.path.basename(dist.path)}: its metadata says {meta_name} {meta_version}, "
                "its file name does not"
            )
    wheel, sdist = report.wheel, report.sdist
    if wheel is None or sdist is None:
        return
    if wheel.name != sdist.name:
        report.findings.append(
            f"the wheel is {wheel.name!r} but the sdist is {sdist.name!r}: not one project"
        )
    if wheel.version != sdist.version:
        report.findings.append(
            f"the wheel is version {wheel.version} but the sdist {sdist.version}: "
            "rebuild both from one checkout (python -m build)"
        )


def _parse(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _matches_tag(
    release: Dist, tag: str, wanted: Version, repo: str | None, report: Report
) -> None:
    if release.version == wanted:
        return
    why = _mismatch_reason(release.version, tag, repo)
    report.findings.append(f"built version {release.version} is not the tag {tag} ({wanted}){why}")


def _mismatch_reason(built: Version, tag: str, repo: str | None) -> str:
    """Why hatch-vcs built another version: read from the checkout when there is one."""
    from relnotes import git

    generic = (
        ": a .dev version means the build did not see the tag on a clean HEAD "
        "(a dirty work tree, a shallow clone, or HEAD past the tag)"
        if built.is_devrelease
        else ": build from the tagged commit, or tag the commit you built"
    )
    if repo is None:
        return generic
    try:
        info = git.open_repo(repo)
    except RelnotesError:
        return generic
    if info.shallow:
        return ": the checkout is a shallow clone, so the build missed the tags (fetch-depth: 0)"
    tagged = git.resolve_commit(info.root, f"refs/tags/{tag}")
    head = git.resolve_commit(info.root, "HEAD")
    if tagged is None:
        return f": there is no tag {tag} in {info.root}"
    if tagged != head:
        return f": HEAD is {(head or '?')[:12]}, not the tag's commit {tagged[:12]}"
    if git.is_dirty(info.root):
        return ": the work tree has uncommitted changes, so the build counted as a later version"
    pretend = sorted(k for k in os.environ if k.startswith("SETUPTOOLS_SCM_PRETEND_VERSION"))
    if pretend:
        return f": {pretend[0]} is set, so the build ignored the tag"
    return generic


def _renders(report: Report) -> None:
    files = [d.path for d in (report.wheel, report.sdist) if d is not None]
    if not files:
        return
    if importlib.util.find_spec("twine") is None:
        report.done.append("metadata rendering NOT checked: twine is not installed")
        return
    done = _run([sys.executable, "-m", "twine", "--no-color", "check", "--strict", *files])
    if done.returncode == 0:
        report.done.append("metadata renders on PyPI (twine check --strict)")
        return
    lines = [ln.strip() for ln in (done.stdout + done.stderr).splitlines()]
    problems = [ln for ln in lines if ln.startswith(("ERROR", "WARNING"))] or lines[-1:]
    report.findings.append(
        "the metadata would not render on PyPI (twine check --strict): "
        + " ".join(problems[0].split())
    )


def _installs(wheel: Dist, report: Report) -> None:
    import venv

    with tempfile.TemporaryDirectory(prefix="relnotes-verify-") as folder:
        use_pip_here = importlib.util.find_spec("pip") is not None
        venv.create(folder, with_pip=not use_pip_here)
        bindir = os.path.join(folder, "Scripts" if os.name == "nt" else "bin")
        python = os.path.join(bindir, "python")
        pip = [sys.executable, "-m", "pip", "--python", python]
        if not use_pip_here:
            pip = [python, "-m", "pip"]
        done = _run([*pip, "install", "--quiet", "--disable-pip-version-check", wheel.path])
        if done.returncode != 0:
            errors = (done.stderr or done.stdout).strip().splitlines()
            report.findings.append(
                f"{os.path.basename(wheel.path)} does not install into a fresh virtual "
                f"environment: {errors[-1] if errors else f'pip exit {done.returncode}'}"
            )
            return
        scripts = wheel.scripts
        if scripts:
            command = f"{scripts[0]} --version"
            argv = [os.path.join(bindir, scripts[0]), "--version"]
        else:  # a library: ask the installed metadata
            command = f"importlib.metadata.version({wheel.name!r})"
            argv = [python, "-c", f"import importlib.metadata; print({command})"]
        answer = _run(argv)
        said = (answer.stdout + answer.stderr).strip()
        last = said.splitlines()[-1] if said else "nothing"
        if answer.returncode != 0 or str(wheel.version) not in said.split():
            report.findings.append(
                f"installed, but `{command}` says {last!r} (exit {answer.returncode}), "
                f"not {wheel.version}"
            )
            return
        report.done.append(f"installs into a fresh virtual environment; `{command}`: {said}")


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    try:
        return subprocess.run(
            argv, capture_output=True, text=True, env=env, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(argv, 124, "", f"timed out after {TIMEOUT} s")
