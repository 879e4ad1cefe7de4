"""Safe unpacking: escapes, links, bombs and member counts are refused."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from advisor.errors import ArchiveError
from advisor.ingest.archive import ExtractLimits, extract, is_archive


def make_tar(path: Path, members: list[tuple[str, bytes]], mode: str = "w:gz") -> Path:
    """Writes a tar archive of regular files."""
    with tarfile.open(path, mode) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def add_link(path: Path, name: str, target: str, symbolic: bool = True) -> None:
    """Appends a link member to an uncompressed tar."""
    with tarfile.open(path, "a") as tar:
        info = tarfile.TarInfo(name)
        info.type = tarfile.SYMTYPE if symbolic else tarfile.LNKTYPE
        info.linkname = target
        tar.addfile(info)


def test_extracts_regular_files(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "a.tar.gz", [("root/var/log/x.log", b"hello\n")])
    target = extract(archive, tmp_path / "out")
    assert (target / "root/var/log/x.log").read_bytes() == b"hello\n"


def test_bzip2_archives_are_read(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "a.tar.bz2", [("f.log", b"x\n")], mode="w:bz2")
    assert is_archive(archive)
    assert (extract(archive, tmp_path / "out") / "f.log").read_bytes() == b"x\n"


@pytest.mark.parametrize("name", ["/etc/evil", "../evil", "a/../../evil"])
def test_escaping_member_is_refused(tmp_path: Path, name: str) -> None:
    archive = make_tar(tmp_path / "a.tar.gz", [(name, b"x")])
    with pytest.raises(ArchiveError, match="points outside the archive"):
        extract(archive, tmp_path / "out")
    assert not (tmp_path / "evil").exists()


def test_link_pointing_outside_is_refused(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "a.tar", [("ok.log", b"x")], mode="w")
    add_link(archive, "bad", "../../etc/passwd")
    with pytest.raises(ArchiveError, match="link 'bad' points outside"):
        extract(archive, tmp_path / "out")


def test_link_inside_is_skipped_not_followed(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "a.tar", [("dir/ok.log", b"x")], mode="w")
    add_link(archive, "dir/alias.log", "ok.log")
    target = extract(archive, tmp_path / "out")
    assert (target / "dir/ok.log").exists()
    assert not (target / "dir/alias.log").exists()


def test_total_size_cap_refuses_bombs(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "a.tar.gz", [("a", b"0" * 600), ("b", b"0" * 600)])
    with pytest.raises(ArchiveError, match="decompression bomb"):
        extract(archive, tmp_path / "out", ExtractLimits(max_bytes=1000))


def test_ratio_cap_refuses_bombs(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "a.tar.gz", [("zeros", b"\0" * 2_000_000)])
    limits = ExtractLimits(max_ratio=50, ratio_floor=1000)
    with pytest.raises(ArchiveError, match="times its own size"):
        extract(archive, tmp_path / "out", limits)


def test_member_count_cap(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "a.tar.gz", [(f"f{i}", b"x") for i in range(5)])
    with pytest.raises(ArchiveError, match="more than 3 members"):
        extract(archive, tmp_path / "out", ExtractLimits(max_members=3))


def test_truncated_archive_is_a_clear_error(tmp_path: Path) -> None:
    archive = make_tar(tmp_path / "a.tar.gz", [("f.log", b"x" * 100_000)])
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(ArchiveError, match="cannot read the archive"):
        extract(archive, tmp_path / "out")


def test_limits_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_MAX_EXTRACT_BYTES", "1234")
    assert ExtractLimits.from_env().max_bytes == 1234
    monkeypatch.setenv("ADVISOR_MAX_MEMBERS", "many")
    with pytest.raises(ArchiveError, match="ADVISOR_MAX_MEMBERS='many'"):
        ExtractLimits.from_env()
