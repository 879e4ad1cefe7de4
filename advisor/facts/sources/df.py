"""Mounted filesystems with sizes - ``df -hT`` (file ``df_hT``) or ``df -h`` (``df_h``).

Sample input::

    Filesystem                          Type      Size  Used Avail Use% Mounted on
    /dev/nvme0n1p1                      xfs       100G   41G   60G  41% /
    tmpfs                               tmpfs     7.8G     0  7.8G   0% /dev/shm
    nfs.example.com:/exports/gitlab-data
                                        nfs4      2.0T  1.1T  923G  55% /var/opt/gitlab

A long device name makes df wrap the row onto the next line, as above.

Examples:
    >>> mounts = parse(SAMPLE, "df_hT")
    >>> [(m.mount_point, m.fs_type, m.size_gb, m.network) for m in mounts]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('/', 'xfs', 100.0, False), ('/dev/shm', 'tmpfs', 7.8, False),
     ('/var/opt/gitlab', 'nfs4', 2048.0, True)]
    >>> mounts[2].source.line
    4
"""

from __future__ import annotations

import logging

from advisor.facts.errors import ParseError
from advisor.facts.models import Mount, Source
from advisor.facts.sources._text import numbered

log = logging.getLogger(__name__)

SAMPLE = """\
Filesystem                          Type      Size  Used Avail Use% Mounted on
/dev/nvme0n1p1                      xfs       100G   41G   60G  41% /
tmpfs                               tmpfs     7.8G     0  7.8G   0% /dev/shm
nfs.example.com:/exports/gitlab-data
                                    nfs4      2.0T  1.1T  923G  55% /var/opt/gitlab
"""

#: Filesystem types whose data lives on another host.
NETWORK_TYPES = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "glusterfs", "fuse.glusterfs", "ceph"}
    | {"cephfs", "fuse.sshfs", "fuse.s3fs", "9p", "lustre", "gpfs", "beegfs", "efs"}
)

#: Size suffixes of `df -h`, in GiB.
UNITS = {"K": 1 / 1024**2, "M": 1 / 1024, "G": 1.0, "T": 1024.0, "P": 1024.0**2}


def is_network(fs_type: str | None, device: str) -> bool:
    """Tells whether a filesystem is served over the network."""
    if fs_type:
        return fs_type.lower() in NETWORK_TYPES
    return ":/" in device or device.startswith("//")


def parse(text: str, file: str = "df_hT") -> list[Mount]:
    """Reads each row; the header decides whether a `Type` column is present."""
    lines = list(numbered(text))
    if not lines or not lines[0][1].startswith("Filesystem"):
        raise ParseError("no 'Filesystem' header")
    typed = "Type" in lines[0][1].split()
    mounts: list[Mount] = []
    pending: tuple[str, int] | None = None
    for line_no, line in lines[1:]:
        words = line.split()
        if len(words) == 1:
            pending = (words[0], line_no)
            continue
        if pending and line[:1].isspace():
            words, line_no = [pending[0], *words], pending[1]
        pending = None
        if words:
            mounts.append(_mount(words, typed, Source(file=file, line=line_no)))
    return mounts


def _mount(words: list[str], typed: bool, source: Source) -> Mount:
    """Builds one mount from the words of a row."""
    need = 7 if typed else 6
    if len(words) < need:
        raise ParseError(f"line {source.line}: expected {need} columns")
    fs_type = words[1] if typed else None
    size, used_pct = words[need - 5], words[need - 2]
    return Mount(
        device=words[0],
        fs_type=fs_type,
        size_gb=_size_gb(size),
        used_pct=float(used_pct.rstrip("%")) if used_pct[:-1].isdigit() else None,
        mount_point=" ".join(words[need - 1 :]),
        network=is_network(fs_type, words[0]),
        source=source,
    )


def _size_gb(word: str) -> float | None:
    """Turns `7.8G` into GiB; a bare `0` is zero."""
    if word == "0":
        return 0.0
    unit = UNITS.get(word[-1:].upper())
    try:
        return round(float(word[:-1]) * unit, 3) if unit else None
    except ValueError:
        return None
