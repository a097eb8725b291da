"""A changelog file as it is read: refused when it is no UTF-8 text, and looked through by
its bytes (:class:`FileText`), so that a long file is decoded only where it must be."""

from __future__ import annotations

import os

from relnotes.errors import RelnotesError

#: What ``str.splitlines`` ends a line at besides "\n" and "\r\n": ASCII ones, wider ones.
NARROW_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e")
WIDE_BREAKS = ("\x85", "\u2028", "\u2029")

#: The last text :func:`read_text` read, when its only line ends are "\n" and "\r\n".
last_plain: list[str | None] = [None]


class FileText:
    """A changelog file as it was read: its bytes, which the reader looks through, and its
    text (decoded when first asked for). What the reader looks for (headings, fences, comment
    marks, line ends) is ASCII, which UTF-8 writes as itself and never inside another
    character, so it is found where it is; only what the reader keeps is decoded. A file of
    13 MB with one emoji decodes to 53 MB of text: ``changelog --check`` need not make it
    (nor a copy of the bytes: a fresh process pays for the memory of each copy it makes)."""

    __slots__ = ("_text", "data", "plain")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._text: str | None = None
        #: whether its only line ends are "\n" and "\r\n" (the bytes are read only then)
        self.plain = _plain_bytes(data)

    @property
    def text(self) -> str:
        """The file's text as it is (line endings kept)."""
        if self._text is None:
            self._text = self.data.decode("utf-8")
            if self.plain:
                last_plain[0] = self._text
        return self._text


def read_text(path: str, name: str | None = None) -> str | None:
    """The file's text as it is (line endings kept), or ``None`` when there is no file
    (see :func:`read_file`)."""
    found = read_file(path, name)
    return None if found is None else found.text


def read_file(path: str, name: str | None = None) -> FileText | None:
    """The file as it is, or ``None`` when there is no file. A file that is not UTF-8, or
    holds a NUL byte, is refused (``name``: the file as the user knows it, for the message)."""
    if os.path.exists(path) and not os.path.isfile(path):
        kind = "a folder" if os.path.isdir(path) else "not a regular file"
        raise RelnotesError(
            f"cannot use {path} as the changelog: it is {kind}",
            hint="name a Markdown file with --file, or set changelog_file",
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise RelnotesError(f"cannot read {path}: {exc.strerror}") from None
    if not _utf8(data):
        raise RelnotesError(
            f"{path} is not UTF-8 text", hint="convert it to UTF-8, or pass --full --file NEW"
        )
    # what is asked of the text is asked of its bytes, one byte a character: many times faster
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise RelnotesError(
            f"{name or path} is not a text file (a NUL byte on line {line}): it was left as it was",
            hint="name the Markdown changelog with --file, or set changelog_file",
        )
    return FileText(data)


def _utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8, decoded 16 KiB at a time and let go: each piece is text
    only as wide as its own widest character (a whole file with one emoji is 4 bytes a
    character), and small enough to stay in the processor's cache, so this costs a fifth of
    one decoding of the whole (the pieces are views: the bytes are not copied)."""
    if data.isascii():
        return True
    import codecs

    decode = codecs.getincrementaldecoder("utf-8")().decode
    view = memoryview(data)
    try:
        for start in range(0, len(data), _PIECE):
            decode(view[start : start + _PIECE])
        decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


#: How much :func:`_utf8` decodes at a time (measured: 16 KiB is 4x faster than 1 MiB).
_PIECE = 1 << 14


def _plain_bytes(data: bytes) -> bool:
    """:func:`_plain_line_ends` of the text these UTF-8 bytes hold."""
    if any(_holds(data, end.encode()) for end in (*NARROW_BREAKS, *WIDE_BREAKS)):
        return False
    return b"\r" not in data or data.count(b"\r") == data.count(b"\r\n")


def _holds(data: bytes, needle: bytes) -> bool:
    """``needle in data``, looked for by its first byte while that byte is rare (a search
    for one byte runs at memory speed; one of several bytes reads each byte in turn)."""
    lead = needle[:1]
    at = data.find(lead)
    for _ in range(1024):
        if at < 0:
            return False
        if data.startswith(needle, at):
            return True
        at = data.find(lead, at + 1)
    return needle in data
