"""Archive naming and packing: a gitlabsos-shaped folder or a reproducible .tar.gz."""

from __future__ import annotations

import gzip
import io
import logging
import shutil
import tarfile
import time
from pathlib import Path

from advisor.simulate.topology import Host

log = logging.getLogger(__name__)

#: Fixed mtime for every member, so the same seed gives the same bytes.
MEMBER_MTIME = 1_700_000_000


def archive_name(host: Host, end_s: float) -> str:
    """Returns ``gitlabsos.<hostname>.<YYYYmmddHHMMSS>_<services joined by '-'>``."""
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(end_s))
    return f"gitlabsos.{host.name}.{stamp}_{'-'.join(host.services)}"


def pack_tar(folder: Path) -> Path:
    """Packs a folder into ``<folder>.tar.gz`` deterministically and removes the folder.

    Members are sorted, owned by root with fixed mtimes and modes, and the gzip header
    carries mtime 0 and no file name.
    """
    target = folder.with_name(folder.name + ".tar.gz")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:
        tar.add(folder, arcname=folder.name, recursive=False, filter=_normalise)
        for path in sorted(folder.rglob("*")):
            arcname = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            tar.add(path, arcname=arcname, recursive=False, filter=_normalise)
    with (
        target.open("wb") as raw,
        gzip.GzipFile(
            filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6
        ) as zipped,
    ):
        zipped.write(buffer.getvalue())
    shutil.rmtree(folder)
    return target


def _normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mtime = MEMBER_MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    info.mode = 0o755 if info.isdir() else 0o644
    return info
