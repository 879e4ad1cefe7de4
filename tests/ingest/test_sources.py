"""Resolving inputs: folders, archives, nodes, rotation order, stdin."""

from __future__ import annotations

import bz2
import io
import tarfile
from pathlib import Path

import pytest

from advisor.errors import InputError
from advisor.ingest.sources import (
    compression_of,
    node_name,
    open_inputs,
    rotation_key,
)
from tests.conftest import write_lines


def test_rotated_pieces_sort_oldest_first(tmp_path: Path) -> None:
    names = ["current", "@4000000062449300aaaaaaaa.s", "@40000000624492fa18da6f34.s"]
    keys = [rotation_key(tmp_path / "gitaly" / name) for name in names]
    assert {group for group, _ in keys} == {str(tmp_path / "gitaly" / "current")}
    ordered = [
        name for _, name in sorted(zip([k[1] for k in keys], names, strict=True))
    ]
    assert ordered == [names[2], names[1], "current"]


def test_logrotate_numbers_sort_older_first(tmp_path: Path) -> None:
    names = ["production_json.log", "production_json.log.1", "production_json.log.2.gz"]
    keys = [rotation_key(tmp_path / name) for name in names]
    assert len({group for group, _ in keys}) == 1
    ordered = [
        name for _, name in sorted(zip([k[1] for k in keys], names, strict=True))
    ]
    assert ordered == ["production_json.log.2.gz", "production_json.log.1", names[0]]


def test_compression_is_read_from_magic_bytes(tmp_path: Path) -> None:
    plain = write_lines(tmp_path / "a.s", ["x"])
    gz = write_lines(tmp_path / "b.log", ["x"], compress=True)
    bz = tmp_path / "c.log"
    bz.write_bytes(bz2.compress(b"x\n"))
    assert [compression_of(p) for p in (plain, gz, bz)] == [None, "gzip", "bz2"]


def test_node_name_from_gitlabsos_names(tmp_path: Path) -> None:
    new = tmp_path / "gitlabsos.gitlab-rails-1.20240501120000_puma-sidekiq.tar.gz"
    old = tmp_path / "gitlabsos.gitaly-2_20190330052210.tar.bz2"
    assert node_name(new) == "gitlab-rails-1"
    assert node_name(old) == "gitaly-2"


def _sos_tar(path: Path, host: str) -> Path:
    data = (
        b'{"time":"2024-05-01T12:00:00Z","grpc.method":"FindCommit","grpc.code":"OK"}\n'
    )
    with tarfile.open(path, "w:gz") as tar:
        for name, payload in (
            (f"{path.name[:-7]}/var/log/gitlab/gitaly/current", data),
            (f"{path.name[:-7]}/hostname", host.encode()),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return path


def test_folder_of_archives_gives_one_root_per_node(tmp_path: Path) -> None:
    folder = tmp_path / "ticket"
    folder.mkdir()
    _sos_tar(folder / "gitlabsos.node-a.20240501120000_gitaly.tar.gz", "node-a")
    _sos_tar(folder / "gitlabsos.node-b.20240501120000_gitaly.tar.gz", "node-b")
    with open_inputs([str(folder)]) as inputs:
        assert sorted(root.node for root in inputs.roots) == ["node-a", "node-b"]
        assert [f.path.name for f in inputs.files] == ["current", "current"]
        assert all(f.path.is_file() for f in inputs.files)
        workdir = inputs.workdir
    assert workdir is not None and not workdir.exists()


def _wrap(archive: Path, members: list[Path], prefix: str = "ticket/") -> Path:
    """Packs files or folders into one .tar.gz, as a ticket attachment would."""
    with tarfile.open(archive, "w:gz") as tar:
        for member in members:
            tar.add(member, arcname=prefix + member.name)
    return archive


def test_archive_of_node_archives_gives_one_root_per_node(tmp_path: Path) -> None:
    nodes = tmp_path / "nodes"
    nodes.mkdir()
    inner = [
        _sos_tar(nodes / f"gitlabsos.node-{n}.20240501120000_gitaly.tar.gz", n)
        for n in "ab"
    ]
    outer = _wrap(tmp_path / "attachment.tar.gz", inner)
    with open_inputs([str(outer)]) as inputs:
        assert sorted(root.node for root in inputs.roots) == ["node-a", "node-b"]
        names = sorted(f.name for f in inputs.files)
    assert names == [
        f"{outer}/{archive.name}/var/log/gitlab/gitaly/current" for archive in inner
    ]


def test_archive_of_unpacked_nodes_keeps_them_apart(tmp_path: Path) -> None:
    folders = []
    for host in ("node-a", "node-b"):
        archive = _sos_tar(tmp_path / f"gitlabsos.{host}.20240501120000_x.tar.gz", host)
        with tarfile.open(archive) as tar:
            tar.extractall(tmp_path / "unpacked", filter="data")
        folders.append(tmp_path / "unpacked" / archive.name.removesuffix(".tar.gz"))
    outer = _wrap(tmp_path / "attachment.tar.gz", folders)
    with open_inputs([str(outer)]) as inputs:
        assert sorted(root.node for root in inputs.roots) == ["node-a", "node-b"]
        assert len(inputs.files) == 2


def test_nested_archives_share_one_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inner = [
        _sos_tar(tmp_path / f"gitlabsos.node-{n}.20240501120000_gitaly.tar.gz", n)
        for n in "abc"
    ]
    outer = _wrap(tmp_path / "attachment.tar.gz", inner)
    sizes = sum(p.stat().st_size for p in inner)  # what the outer one unpacks
    with tarfile.open(inner[0]) as tar:
        node = sum(member.size for member in tar.getmembers())
    # Enough for the outer archive and two inner ones, not for all three.
    monkeypatch.setenv("ADVISOR_MAX_EXTRACT_BYTES", str(sizes + 2 * node + 1))
    with pytest.raises(InputError, match="decompression bomb"):
        with open_inputs([str(outer)]):
            pass
    monkeypatch.setenv("ADVISOR_MAX_EXTRACT_BYTES", str(sizes + 3 * node))
    with open_inputs([str(outer)]) as inputs:
        assert len(inputs.roots) == 3


def test_archives_nested_too_deep_are_refused(tmp_path: Path) -> None:
    level = _sos_tar(tmp_path / "gitlabsos.n.20240501120000_x.tar.gz", "n")
    for depth in range(3):
        level = _wrap(tmp_path / f"wrap-{depth}.tar.gz", [level], prefix="")
    with pytest.raises(InputError, match="nested more than 2 deep"):
        with open_inputs([str(level)]):
            pass


def test_input_files_are_never_modified(tmp_path: Path) -> None:
    archive = _sos_tar(tmp_path / "gitlabsos.n.20240501120000_x.tar.gz", "n")
    before = archive.read_bytes()
    with open_inputs([str(archive)]) as inputs:
        assert len(inputs.files) == 1
    assert archive.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [archive.name]


def test_stdin_is_spooled(tmp_path: Path) -> None:
    stream = io.BytesIO(b'{"controller":"A","action":"b","duration_s":1}\n')
    with open_inputs(["-"], stdin=stream) as inputs:
        (logfile,) = inputs.files
        assert logfile.name == "<stdin>"
        assert logfile.path.read_bytes() == stream.getvalue()


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.log: no such file or folder"):
        with open_inputs([str(tmp_path / "nope.log")]):
            pass
