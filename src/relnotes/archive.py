"""Reading a built wheel or sdist as an attacker may have made it: bounded, and every way it
can be damaged told in words.

Every member is read through (so a bad CRC, corrupt compressed data or a truncated file is
found, not only a bad METADATA), and no more than :data:`MAX_UNPACKED` bytes come out of one
archive, :data:`MAX_TEXT` out of one metadata file and :data:`MAX_MEMBERS` members: past
those it is a decompression bomb, not a release. What cannot be read raises :class:`Damaged`
or one of :data:`READ_ERRORS`; :func:`reason` says why in a few words.
"""

from __future__ import annotations

import configparser
import gzip
import lzma
import re
import tarfile
import zipfile
import zlib
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

#: The most that one archive may unpack to (a release on PyPI is at most 100 MB packed).
MAX_UNPACKED = 2 << 30
#: The most that one metadata file (METADATA, PKG-INFO, entry_points.txt) may hold.
MAX_TEXT = 32 << 20
#: The most members one archive may hold.
MAX_MEMBERS = 200_000
_CHUNK = 1 << 20
#: Compression methods pip (Python's zipfile) reads; the others by name.
_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_ZIP_METHOD_NAMES = {
    1: "shrink",
    6: "implode",
    9: "deflate64",
    10: "PKWARE DCL implode",
    93: "zstd",
    98: "PPMd",
    99: "AES encryption",
}
#: A console script becomes a file name in the environment's bin folder.
_SCRIPT_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*")


class Damaged(Exception):
    """An archive that is not a release relnotes will read; the message says why."""


#: What reading a damaged archive raises, besides :class:`Damaged`.
READ_ERRORS: tuple[type[BaseException], ...] = (
    Damaged,
    OSError,  # unreadable file, bad gzip header or CRC, corrupt bzip2 data
    EOFError,  # a compressed stream that ends early
    zipfile.BadZipFile,
    tarfile.TarError,
    zlib.error,
    lzma.LZMAError,
    NotImplementedError,
    RuntimeError,  # zipfile: an encrypted member
    ValueError,
    KeyError,
    configparser.Error,
)


def reason(exc: BaseException) -> str:
    """Why an archive could not be read, in a few words on one line."""
    if isinstance(exc, Damaged):
        text = str(exc)
    elif isinstance(exc, EOFError):
        text = f"it ends early, cut short ({exc})"
    elif isinstance(exc, zlib.error | lzma.LZMAError):
        text = f"corrupt compressed data ({exc})"
    elif isinstance(exc, tarfile.ReadError):
        text = f"not a readable .tar.gz archive ({exc})" if str(exc) else "not a readable archive"
    elif isinstance(exc, KeyError):
        text = f"no {exc.args[0] if exc.args else 'metadata'} in it"
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())


class _Budget:
    """Counts what comes out of one archive; :class:`Damaged` past the limit."""

    def __init__(self) -> None:
        self.left = MAX_UNPACKED

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise Damaged(
                f"it unpacks to more than {MAX_UNPACKED >> 20} MiB: a decompression bomb, "
                "not a release"
            )


def _drain(stream: IO[bytes], budget: _Budget | None, name: str, *, keep: bool) -> bytes:
    """Read ``stream`` to its end (checking what it holds); its bytes when ``keep``."""
    kept: list[bytes] = []
    size = 0
    while chunk := stream.read(_CHUNK):
        if budget is not None:
            budget.take(len(chunk))
        if keep:
            size += len(chunk)
            if size > MAX_TEXT:
                raise Damaged(f"{name} is larger than {MAX_TEXT >> 20} MiB")
            kept.append(chunk)
    return b"".join(kept)


def _text(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Damaged(f"{name} is not UTF-8 text (byte {exc.start})") from None


def read_wheel(path: str) -> tuple[str, tuple[str, ...]]:
    """A wheel's METADATA text and its console scripts, every member read through."""
    budget = _Budget()
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise Damaged(f"it holds {len(members)} members, more than {MAX_MEMBERS}")
        for info in members:
            if info.flag_bits & 0x1:
                raise Damaged(f"{info.filename} is encrypted: pip cannot install it")
            if info.compress_type not in _ZIP_METHODS:
                method = _ZIP_METHOD_NAMES.get(info.compress_type, f"#{info.compress_type}")
                raise Damaged(f"{info.filename} is compressed with {method}, which pip cannot read")
        declared = sum(info.file_size for info in members)
        if declared > MAX_UNPACKED:
            raise Damaged(
                f"it says it unpacks to {declared >> 20} MiB, more than {MAX_UNPACKED >> 20} "
                "MiB: a decompression bomb, not a release"
            )
        metadata = next(
            (n.filename for n in members if _top_level(n.filename, ".dist-info/METADATA")), None
        )
        if metadata is None:
            raise Damaged("no metadata file in it")
        entry_points = next(
            (n.filename for n in members if _top_level(n.filename, ".dist-info/entry_points.txt")),
            None,
        )
        texts: dict[str, bytes] = {}
        for info in members:
            keep = info.filename in (metadata, entry_points)
            with archive.open(info) as member:
                data = _drain(member, budget, info.filename, keep=keep)
            if keep:
                texts[info.filename] = data
    scripts = _console_scripts(texts[entry_points]) if entry_points else ()
    return _text(texts[metadata], "METADATA"), scripts


def _top_level(name: str, suffix: str) -> bool:
    return name.count("/") == 1 and name.endswith(suffix)


def _console_scripts(data: bytes) -> tuple[str, ...]:
    text = _text(data, "entry_points.txt")
    parser = configparser.ConfigParser(delimiters=("=",), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise Damaged(f"entry_points.txt is not readable: {first}") from None
    if not parser.has_section("console_scripts"):
        return ()
    scripts = tuple(parser["console_scripts"])
    for name in scripts:
        if not _SCRIPT_RE.fullmatch(name):
            raise Damaged(f"entry_points.txt names a console script {name!r}: not a command name")
    return scripts


class _Counted:
    """A stream whose bytes count against the archive's budget."""

    def __init__(self, stream: gzip.GzipFile, budget: _Budget) -> None:
        self.stream = stream
        self.budget = budget

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size if size >= 0 else _CHUNK)
        self.budget.take(len(data))
        return data


def read_sdist(path: str) -> str:
    """An sdist's PKG-INFO text, the whole .tar.gz read through (so a cut one is found)."""
    budget = _Budget()
    with open(path, "rb") as raw:
        if raw.read(2) != b"\x1f\x8b":
            raise Damaged("not a readable .tar.gz archive: it is not gzip-compressed")
        raw.seek(0)
        with gzip.GzipFile(fileobj=raw) as unpacked:
            counted = _Counted(unpacked, budget)
            text = None
            with tarfile.open(fileobj=counted, mode="r|") as archive:  # type: ignore[call-overload]
                for count, member in enumerate(_members(archive), 1):
                    if count > MAX_MEMBERS:
                        raise Damaged(f"it holds more than {MAX_MEMBERS} members")
                    if text is None and member.isfile() and _top_level(member.name, "/PKG-INFO"):
                        handle = archive.extractfile(member)  # counted as the archive
                        if handle is not None:
                            data = _drain(handle, None, "PKG-INFO", keep=True)
                            text = _text(data, "PKG-INFO")
            while counted.read(_CHUNK):  # past the tar's end: the gzip stream and its CRC
                pass
    if text is None:
        raise KeyError("PKG-INFO")
    return text


def _members(archive: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    while (member := archive.next()) is not None:
        yield member
