"""Peak request rates per load class, as GitLab's sizing guide counts them.

Classes (reference architectures sizing guide, via reference-data.md section 1.1):
API is every API route but ``/internal/`` ones; Web is every controller but
HealthController, MetricsController, Repositories::GitHttpController and
GraphqlController; Git pull is ``git_upload_pack`` plus Gitaly ``SSHUploadPack*``; Git
push is ``git_receive_pack`` plus ``SSHReceivePack``.

The guide names two peaks: the absolute peak, the highest one-minute rate (max over
minutes of events / 60), and the sustained peak, the 95th percentile of the one-minute
rates. Sizing uses the sustained peak by default, so that one busy minute of random
arrivals does not move an environment to the next reference architecture.
"""

from __future__ import annotations

import logging

from advisor.ingest.load import Dataset

log = logging.getLogger(__name__)

WEB_EXCLUDED = (
    "HealthController",
    "MetricsController",
    "Repositories::GitHttpController",
    "GraphqlController",
)

#: Class -> list of (kind, SQL condition on the key).
CLASSES: dict[str, list[tuple[str, str]]] = {
    "api": [("api", "key NOT LIKE '%/internal/%'")],
    "web": [
        (
            "production",
            " AND ".join(
                f"split_part(key, '#', 1) <> '{name}'" for name in WEB_EXCLUDED
            ),
        )
    ],
    "git_pull": [
        ("production", "key = 'Repositories::GitHttpController#git_upload_pack'"),
        ("gitaly", "key LIKE 'SSHUploadPack%'"),
    ],
    "git_push": [
        ("production", "key = 'Repositories::GitHttpController#git_receive_pack'"),
        ("gitaly", "key LIKE 'SSHReceivePack%'"),
    ],
}


def peak_rps(dataset: Dataset, sustained: bool = True) -> dict[str, float]:
    """Peak one-minute rate of each class whose logs are among the inputs.

    Args:
        dataset: the loaded logs.
        sustained: the 95th percentile of the minutes' rates (default), or their
            maximum (the absolute peak).
    """
    peak = "quantile_cont(n, 0.95)" if sustained else "max(n)"
    peaks: dict[str, float] = {}
    for name, parts in CLASSES.items():
        selects = [
            f"SELECT date_trunc('minute', time) AS minute FROM {dataset.table(kind)} "
            f"WHERE {condition}"
            for kind, condition in parts
            if kind in dataset.kinds
        ]
        if not selects:
            continue
        row = dataset.con.execute(
            f"SELECT coalesce({peak}, 0) / 60.0 FROM (SELECT minute, count(*) AS n "
            f"FROM ({' UNION ALL '.join(selects)}) GROUP BY minute)"
        ).fetchone()
        peaks[name] = float(row[0]) if row else 0.0
    log.debug("peak rps per class: %s", peaks)
    return peaks
