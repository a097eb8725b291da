"""relnotes verify: real builds of a sample project, a real install into a fresh venv."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import tarfile
import zipfile
from typing import TYPE_CHECKING

import pytest

from relnotes.verify import verify
from tests.helpers import GitRepo, build, isolate_git, sample_project

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Invoke


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project at tag v1.2.0 and its dist/ (built once for the module)."""
    base = tmp_path_factory.mktemp("verify")
    with pytest.MonkeyPatch.context() as mp:
        isolate_git(mp, base)
        project = sample_project(GitRepo(base / "sampleproj"))
        assert build(project.path, project.path / "dist") == [
            "sampleproj-1.2.0-py3-none-any.whl",
            "sampleproj-1.2.0.tar.gz",
        ]
    return project.path


@pytest.fixture
def dist(built: Path, tmp_path: Path) -> Path:
    """A copy of the good dist/ that a test may spoil."""
    return shutil.copytree(built / "dist", tmp_path / "dist")


@pytest.mark.slow
def test_good_build_installs_and_matches_the_tag(built: Path, invoke: Invoke) -> None:
    result = invoke("-C", str(built), "verify", str(built / "dist"), "--tag", "v1.2.0")
    assert result.stdout == "verified: sampleproj 1.2.0, matching tag v1.2.0\n"
    assert "metadata renders on PyPI (twine check --strict)" in result.stderr
    assert "`sampleproj --version`: sampleproj 1.2.0" in result.stderr


def test_tag_mismatch_is_named(built: Path, dist: Path, invoke: Invoke) -> None:
    args = ("-C", str(built), "verify", str(dist), "--tag", "v1.3.0", "--no-install")
    result = invoke(*args, code=1)
    lines = result.stderr.splitlines()
    assert "relnotes: verify: built version 1.2.0 is not the tag v1.3.0 (1.3.0)" in lines[-3]
    assert "there is no tag v1.3.0" in lines[-3]
    assert lines[-2] == f"relnotes: error: {dist} is not ready to publish (1 problem)"
    assert lines[-1].startswith("  hint: nothing was uploaded")


def test_dirty_tree_build_is_caught_with_its_reason(built: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(built), str(clone)], check=True)
    (clone / "README.md").write_text("# changed after tagging\n", encoding="utf-8")
    build(clone, clone / "dist")
    report = verify(str(clone / "dist"), "v1.2.0", install=False, repo=str(clone))
    assert report.findings == [
        "built version 1.2.1.dev0 is not the tag v1.2.0 (1.2.0): the work tree has "
        "uncommitted changes, so the build counted as a later version"
    ]


def test_shallow_clone_build_is_caught_with_its_reason(built: Path, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    url = f"file://{built}"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-tags", url, str(clone)], check=True)
    build(clone, clone / "dist")
    report = verify(str(clone / "dist"), "v1.2.0", install=False, repo=str(clone))
    assert len(report.findings) == 1
    assert report.findings[0].startswith("built version 0.1.dev1 is not the tag v1.2.0 (1.2.0)")
    assert report.findings[0].endswith(
        "shallow clone, so the build missed the tags (fetch-depth: 0)"
    )


def test_prerelease_tag_is_pep440_normalised(tmp_path: Path) -> None:
    project = sample_project(GitRepo(tmp_path / "rc"), tag="v2.0.0-rc.1")
    assert build(project.path, tmp_path / "dist")[0] == "sampleproj-2.0.0rc1-py3-none-any.whl"
    assert verify(str(tmp_path / "dist"), "v2.0.0-rc.1", install=False).findings == []
    assert verify(str(tmp_path / "dist"), "v2.0.0rc1", install=False).findings == []
    assert (
        verify(str(tmp_path / "dist"), "v2.0.0", install=False)
        .findings[0]
        .startswith("built version 2.0.0rc1 is not the tag v2.0.0 (2.0.0)")
    )


def test_local_version_is_refused(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SETUPTOOLS_SCM_PRETEND_VERSION", "1.2.0+g1234abc")
    build(built, tmp_path / "dist")
    report = verify(str(tmp_path / "dist"), install=False)
    assert report.findings == [
        "version 1.2.0+g1234abc has a local part (+g1234abc): PyPI refuses it; "
        'set local_scheme = "no-local-version" in [tool.hatch.version]'
    ]


def test_folder_must_hold_exactly_one_wheel_and_one_sdist(dist: Path) -> None:
    (dist / "SHA256SUMS").write_text("x\n", encoding="utf-8")
    (dist / "artifact").mkdir()
    wheel = dist / "sampleproj-1.2.0-py3-none-any.whl"
    shutil.copy(wheel, dist / "sampleproj-1.2.0-py2.py3-none-any.whl")
    (dist / "sampleproj-1.2.0.tar.gz").unlink()
    findings = verify(str(dist), install=False).findings
    assert findings[:2] == [
        f"unexpected file {dist}/SHA256SUMS: only the wheel and the sdist may be uploaded",
        f"unexpected folder {dist}/artifact: only the wheel and the sdist may be uploaded",
    ]
    assert findings[2].startswith(f"2 wheels in {dist} (sampleproj-1.2.0-py2.py3-none-any.whl, ")
    assert findings[3] == f"no sdist in {dist}: build both with `python -m build`"


def test_wheel_and_sdist_of_different_versions(built: Path, dist: Path, tmp_path: Path) -> None:
    (dist / "sampleproj-1.2.0.tar.gz").unlink()
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "-q", str(built), str(other)], check=True)
    subprocess.run(["git", "-C", str(other), "checkout", "-q", "v0.1.0"], check=True)
    build(other, other / "dist")
    shutil.copy(other / "dist" / "sampleproj-0.1.0.tar.gz", dist)
    assert verify(str(dist), install=False).findings == [
        "the wheel is version 1.2.0 but the sdist 0.1.0: rebuild both from one checkout "
        "(python -m build)"
    ]


def test_metadata_that_would_not_render(dist: Path) -> None:
    wheel = dist / "sampleproj-1.2.0-py3-none-any.whl"
    spoiled = dist / "spoiled.zip"
    with zipfile.ZipFile(wheel) as old, zipfile.ZipFile(spoiled, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename.endswith(".dist-info/METADATA"):
                head, _, _ = data.decode().partition("\n\n")
                head = head.replace("text/markdown", "text/x-rst")
                data = (head + "\n\nTitle\n===\n\n`unclosed\n").encode()
            new.writestr(item, data)
    spoiled.replace(wheel)
    findings = verify(str(dist), install=False).findings
    assert len(findings) == 1
    assert findings[0].startswith("the metadata would not render on PyPI (twine check --strict):")


def test_missing_folder_is_a_usage_error(tmp_path: Path, invoke: Invoke) -> None:
    result = invoke("verify", str(tmp_path / "nope"), code=2)
    assert result.stderr.splitlines()[0] == f"relnotes: error: no such folder: {tmp_path}/nope"


def test_help_and_every_problem_counted(tmp_path: Path, invoke: Invoke) -> None:
    assert "Check DIST_DIR (default: dist) before upload." in invoke("verify", "--help").stdout
    (tmp_path / "dist").mkdir()
    result = invoke("verify", str(tmp_path / "dist"), code=1)
    assert result.stderr.splitlines() == [
        f"relnotes: verify: no wheel in {tmp_path}/dist: build both with `python -m build`",
        f"relnotes: verify: no sdist in {tmp_path}/dist: build both with `python -m build`",
        f"relnotes: error: {tmp_path}/dist is not ready to publish (2 problems)",
        "  hint: nothing was uploaded; fix the build and run relnotes verify again",
    ]


def test_unreadable_files_are_named_on_one_line_each(tmp_path: Path, invoke: Invoke) -> None:
    folder = tmp_path / "f1"
    folder.mkdir()
    (folder / "widget-1.0.0-py3-none-any.whl").touch()
    (folder / "widget-1.0.0.tar.gz").touch()
    result = invoke("verify", str(folder), "--no-install", code=1)
    assert result.stderr.splitlines() == [
        f"relnotes: verify: {folder}/widget-1.0.0-py3-none-any.whl: the wheel is unreadable "
        "(File is not a zip file)",
        f"relnotes: verify: {folder}/widget-1.0.0.tar.gz: the sdist is unreadable "
        "(not a readable .tar.gz archive: it is not gzip-compressed)",
        f"relnotes: error: {folder} is not ready to publish (2 problems)",
        "  hint: nothing was uploaded; fix the build and run relnotes verify again",
    ]


def test_an_archive_without_metadata_is_unreadable(dist: Path) -> None:
    wheel = dist / "sampleproj-1.2.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("sampleproj/__init__.py", "")
    findings = verify(str(dist), install=False).findings
    assert findings == [f"{wheel}: the wheel is unreadable (no metadata file in it)"]


@pytest.mark.parametrize("tag", ["garbage", "--", "v", ""])
def test_a_tag_that_names_no_version_is_a_usage_error(dist: Path, invoke: Invoke, tag: str) -> None:
    result = invoke("verify", str(dist), "--no-install", "--tag", tag, code=2)
    assert result.stderr.splitlines() == [
        f"relnotes: error: --tag {tag!r} names no version (tag_format 'v$version')",
        "  hint: pass the release tag, e.g. --tag v1.2.0",
    ]


# -- damaged, hostile and bomb archives: findings, never a traceback ---------------------

METADATA = (
    "Metadata-Version: 2.1\nName: widget\nVersion: 1.0.0\n"
    "Description-Content-Type: text/plain\n\nA widget.\n"
)
WHEEL = "widget-1.0.0-py3-none-any.whl"
SDIST = "widget-1.0.0.tar.gz"


def make_wheel(path: Path, members: dict[str, bytes] | None = None) -> Path:
    files = {
        "widget/__init__.py": b"print('widget')\n" * 50,
        "widget-1.0.0.dist-info/METADATA": METADATA.encode(),
        "widget-1.0.0.dist-info/entry_points.txt": b"[console_scripts]\nwidget = widget:main\n",
        **(members or {}),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def make_sdist(path: Path, members: dict[str, bytes] | None = None) -> Path:
    files = {
        "widget-1.0.0/PKG-INFO": METADATA.encode(),
        "widget-1.0.0/widget/__init__.py": b"print('widget')\n" * 50,
        **(members or {}),
    }
    with tarfile.open(path, "w:gz") as tf:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


def patch_zip(
    path: Path, member: str, *, local: dict[int, bytes], central: dict[int, bytes]
) -> None:
    """Overwrite bytes of one member's local header and of its central directory entry."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    for offset, value in local.items():
        start = info.header_offset + offset
        data[start : start + len(value)] = value
    name = member.encode()
    entry = data.find(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + len(name)] != name:
        entry = data.find(b"PK\x01\x02", entry + 4)
    for offset, value in central.items():
        data[entry + offset : entry + offset + len(value)] = value
    path.write_bytes(bytes(data))


def spoil_data(path: Path, member: str) -> None:
    """Flip the bytes in the middle of one member's compressed data."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    lengths = data[info.header_offset + 26 : info.header_offset + 30]
    name_len, extra_len = struct.unpack("<HH", lengths)
    start = info.header_offset + 30 + name_len + extra_len
    for i in range(start + 2, start + info.compress_size - 2):
        data[i] ^= 0x55
    path.write_bytes(bytes(data))


def findings_for(folder: Path) -> list[str]:
    return verify(str(folder), install=False).findings


@pytest.fixture
def good(tmp_path: Path) -> Path:
    folder = tmp_path / "dist"
    folder.mkdir()
    make_wheel(folder / WHEEL)
    make_sdist(folder / SDIST)
    assert findings_for(folder) == []
    return folder


def unreadable(folder: Path, why: str, kind: str = "wheel") -> str:
    return f"{folder / (WHEEL if kind == 'wheel' else SDIST)}: the {kind} is unreadable ({why})"


def test_a_corrupt_member_of_a_wheel_is_a_finding(good: Path) -> None:
    spoil_data(good / WHEEL, "widget/__init__.py")
    assert findings_for(good) == [
        unreadable(
            good,
            "corrupt compressed data (Error -3 while decompressing data: invalid distance too "
            "far back)",
        )
    ]


def test_deflate64_and_other_methods_pip_cannot_read(good: Path) -> None:
    nine = struct.pack("<H", 9)
    patch_zip(good / WHEEL, "widget/__init__.py", local={8: nine}, central={10: nine})
    assert findings_for(good) == [
        unreadable(good, "widget/__init__.py is compressed with deflate64, which pip cannot read")
    ]
    odd = struct.pack("<H", 77)
    patch_zip(good / WHEEL, "widget/__init__.py", local={8: odd}, central={10: odd})
    assert findings_for(good) == [
        unreadable(good, "widget/__init__.py is compressed with #77, which pip cannot read")
    ]


def test_an_encrypted_member_is_a_finding(good: Path) -> None:
    flag = struct.pack("<H", 0x1)
    member = "widget-1.0.0.dist-info/METADATA"
    patch_zip(good / WHEEL, member, local={6: flag}, central={8: flag})
    assert findings_for(good) == [unreadable(good, f"{member} is encrypted: pip cannot install it")]


def test_a_truncated_sdist_is_a_finding(good: Path, invoke: Invoke) -> None:
    sdist = good / SDIST
    data = sdist.read_bytes()
    sdist.write_bytes(data[: len(data) - 12])  # the gzip trailer and a little data
    assert findings_for(good) == [
        unreadable(
            good,
            "it ends early, cut short (Compressed file ended before the end-of-stream marker "
            "was reached)",
            "sdist",
        )
    ]
    sdist.write_bytes(data[: len(data) // 2])
    result = invoke("verify", str(good), "--no-install", code=1)
    lines = [line for line in result.stderr.splitlines() if line.startswith("relnotes: ")]
    assert len(lines) == 2
    assert lines[0].startswith(f"relnotes: verify: {unreadable(good, '', 'sdist')[:-1]}")
    assert lines[1].endswith("is not ready to publish (1 problem)")


def test_a_corrupt_sdist_stream_is_a_finding(good: Path) -> None:
    sdist = good / SDIST
    data = bytearray(sdist.read_bytes())
    for i in range(20, len(data) - 20):
        data[i] ^= 0x5A
    sdist.write_bytes(bytes(data))
    [finding] = findings_for(good)
    assert finding.startswith(unreadable(good, "not a readable .tar.gz archive (", "sdist")[:-1])


@pytest.mark.parametrize(
    ("entry_points", "why"),
    [
        (b"console_scripts]\nwidget = widget:main\n", "entry_points.txt is not readable: File "),
        (b"[console_scripts]\nwidget = a\nwidget = b\n", "entry_points.txt is not readable: "),
        (b"[console_scripts]\n\xff = widget:main\n", "entry_points.txt is not UTF-8 text"),
        (
            b"[console_scripts]\n../../bin/sh = widget:main\n",
            "entry_points.txt names a console script '../../bin/sh': not a command name",
        ),
    ],
)
def test_an_odd_entry_points_txt_is_a_finding(good: Path, entry_points: bytes, why: str) -> None:
    make_wheel(good / WHEEL, {"widget-1.0.0.dist-info/entry_points.txt": entry_points})
    [finding] = findings_for(good)
    assert finding.startswith(unreadable(good, why)[:-1])


def test_metadata_that_is_not_text_is_a_finding(good: Path) -> None:
    make_wheel(good / WHEEL, {"widget-1.0.0.dist-info/METADATA": b"Name: w\xe9dget\n"})
    make_sdist(good / SDIST, {"widget-1.0.0/PKG-INFO": b"Name: \xff\n"})
    assert findings_for(good) == [
        unreadable(good, "METADATA is not UTF-8 text (byte 7)"),
        unreadable(good, "PKG-INFO is not UTF-8 text (byte 6)", "sdist"),
    ]


def test_a_decompression_bomb_is_a_finding(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import relnotes.archive

    monkeypatch.setattr(relnotes.archive, "MAX_UNPACKED", 4 << 20)
    monkeypatch.setattr(relnotes.archive, "MAX_TEXT", 1 << 20)
    zeros = bytes(8 << 20)
    make_wheel(good / WHEEL, {"widget/data.bin": zeros})
    make_sdist(good / SDIST, {"widget-1.0.0/data.bin": zeros})
    assert (good / WHEEL).stat().st_size < 64 << 10  # 8 MiB of zeros pack small
    assert findings_for(good) == [
        unreadable(
            good,
            "it says it unpacks to 8 MiB, more than 4 MiB: a decompression bomb, not a release",
        ),
        unreadable(
            good, "it unpacks to more than 4 MiB: a decompression bomb, not a release", "sdist"
        ),
    ]
    big = b"Name: widget\nVersion: 1.0.0\n\n" + b"x" * (2 << 20)
    make_wheel(good / WHEEL, {"widget-1.0.0.dist-info/METADATA": big})
    make_sdist(good / SDIST, {"widget-1.0.0/PKG-INFO": big})
    assert findings_for(good) == [
        unreadable(good, "widget-1.0.0.dist-info/METADATA is larger than 1 MiB"),
        unreadable(good, "PKG-INFO is larger than 1 MiB", "sdist"),
    ]


def test_a_wheel_that_lies_about_its_size_is_caught(
    good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import relnotes.archive

    monkeypatch.setattr(relnotes.archive, "MAX_UNPACKED", 4 << 20)
    make_wheel(good / WHEEL, {"widget/data.bin": bytes(8 << 20)})
    small = struct.pack("<I", 1000)  # the size fields say 1000 bytes
    patch_zip(good / WHEEL, "widget/data.bin", local={22: small}, central={24: small})
    assert findings_for(good) == [unreadable(good, "Bad CRC-32 for file 'widget/data.bin'")]
