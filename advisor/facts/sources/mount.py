"""Mounted filesystems - file ``mount`` (a copy of ``/proc/mounts``).

Sample input::

    /dev/nvme0n1p1 / xfs rw,relatime,attr2,inode64,noquota 0 0
    proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
    /dev/nvme1n1 /var/opt/gitlab ext4 rw,noatime 0 0
    10.0.3.7:/exports/uploads /var/opt/gitlab/gitlab-rails/uploads nfs4 rw,vers=4.1 0 0

Pseudo filesystems (proc, sysfs, cgroup, ...) are left out.

Examples:
    >>> [(m.mount_point, m.fs_type, m.network) for m in parse(SAMPLE)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('/', 'xfs', False), ('/var/opt/gitlab', 'ext4', False),
     ('/var/opt/gitlab/gitlab-rails/uploads', 'nfs4', True)]
"""

from __future__ import annotations

import logging
import re

from advisor.facts.errors import ParseError
from advisor.facts.models import Mount, Source
from advisor.facts.sources._text import numbered
from advisor.facts.sources.df import is_network

log = logging.getLogger(__name__)

SAMPLE = """\
/dev/nvme0n1p1 / xfs rw,relatime,attr2,inode64,noquota 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
/dev/nvme1n1 /var/opt/gitlab ext4 rw,noatime 0 0
10.0.3.7:/exports/uploads /var/opt/gitlab/gitlab-rails/uploads nfs4 rw,vers=4.1 0 0
"""

PSEUDO_TYPES = frozenset(
    {"proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "securityfs", "pstore"}
    | {"debugfs", "tracefs", "configfs", "fusectl", "mqueue", "hugetlbfs", "bpf"}
    | {"autofs", "binfmt_misc", "rpc_pipefs", "nsfs", "selinuxfs", "efivarfs"}
)

ESCAPE = re.compile(r"\\([0-7]{3})")


def parse(text: str, file: str = "mount") -> list[Mount]:
    """Reads `device mount-point type options dump pass` rows."""
    mounts: list[Mount] = []
    for line_no, line in numbered(text):
        words = line.split()
        if not words:
            continue
        if len(words) < 4:
            raise ParseError(f"line {line_no}: expected 6 fields, found {len(words)}")
        device, point, fs_type = (_unescape(word) for word in words[:3])
        if fs_type in PSEUDO_TYPES:
            continue
        mounts.append(
            Mount(
                device=device,
                mount_point=point,
                fs_type=fs_type,
                network=is_network(fs_type, device),
                source=Source(file=file, line=line_no),
            )
        )
    return mounts


def _unescape(word: str) -> str:
    """Turns the kernel's octal escapes (`\\040` for a space) back into characters."""
    return ESCAPE.sub(lambda match: chr(int(match.group(1), 8)), word)
