"""A correctly sized 1k single node (8 vCPU, 16 GB, local SSD) at 1k peak load.

Parameters (reference-data.md): the 1k reference architecture is one 8 vCPU / 16 GB
node (1.2) serving peak API 20 RPS, web 2, Git pull 2, Git push 0.4 (1.1); Puma runs
8 workers x 4 threads on 8 CPU / 16 GB (3.1); Sidekiq one process, concurrency 20
(3.2); storage is SSD well above 8,000 read / 2,000 write IOPS (2.1); no swap (3.5).
Latencies land in the healthy TTFB bands of section 4.4.
"""

from __future__ import annotations

from advisor.simulate.scenarios.base import Scenario

SCENARIO = Scenario(
    name="healthy",
    summary="correctly sized 1k single node at 1k peak load; nothing wrong",
    doc=__doc__ or "",
)
