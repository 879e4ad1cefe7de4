"""Git data on an NFS mount whose throughput is throttled (slowdown-mechanisms.md 1).

Model: the git-data volume is ``nfs4`` (unsupported for Git data since 15.6,
reference-data.md 2.1) with about 6 ms per IO and 1,500 IOPS, spinning-disk class
(fio reference of 2,000 read / 700 write, reference-data.md 2.2). Every Gitaly RPC
pays IO time that rises with the volume's utilisation (M/M/c with 2 channels), so
``grpc.time_ms`` grows across all methods and projects while ``command.cpu_time_ms``
stays small. Processes waiting on NFS show up as iowait, D-state load and IO pressure.
"""

from __future__ import annotations

from advisor.simulate.scenarios.base import Scenario, Storage

SCENARIO = Scenario(
    name="slow-storage",
    summary="git-data on throttled NFS: every Gitaly RPC slow, low CPU, high iowait",
    doc=__doc__ or "",
    storage=Storage(
        fs_type="nfs4",
        device="10.0.4.20:/export/git-data",
        op_ms=6.0,
        iops=1500.0,
        queue_depth=2,
    ),
)
