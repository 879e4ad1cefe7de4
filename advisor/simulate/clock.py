"""Timestamp formats used by GitLab logs, with a per-second cache for speed."""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)

_SECONDS: dict[int, tuple[str, str, str]] = {}


def _second(sec: int) -> tuple[str, str, str]:
    """Returns the ISO, svlogd and NGINX renderings of one whole UTC second."""
    cached = _SECONDS.get(sec)
    if cached is None:
        parts = time.gmtime(sec)
        cached = (
            time.strftime("%Y-%m-%dT%H:%M:%S", parts),
            time.strftime("%Y-%m-%d_%H:%M:%S", parts),
            time.strftime("%d/%b/%Y:%H:%M:%S +0000", parts),
        )
        if len(_SECONDS) > 200_000:
            _SECONDS.clear()
        _SECONDS[sec] = cached
    return cached


def iso_ms(epoch: float) -> str:
    """Rails/Sidekiq style: ``2024-05-01T12:00:03.412Z``."""
    ms = int(round(epoch * 1000))
    return f"{_second(ms // 1000)[0]}.{ms % 1000:03d}Z"


def iso_s(epoch: float) -> str:
    """Go services (Workhorse, gitlab-shell) style: ``2024-05-01T12:00:10Z``."""
    return f"{_second(int(epoch))[0]}Z"


def svlogd(epoch: float) -> str:
    """svlogd ``-tt`` prefix: ``2024-05-01_12:00:03.41234``."""
    tenth_us = int(epoch * 100_000)
    return f"{_second(tenth_us // 100_000)[1]}.{tenth_us % 100_000:05d}"


def postgres(epoch: float) -> str:
    """PostgreSQL ``%m``: ``2024-05-01 12:00:12.533 UTC``."""
    ms = int(epoch * 1000)
    return f"{_second(ms // 1000)[0].replace('T', ' ')}.{ms % 1000:03d} UTC"


def nginx(epoch: float) -> str:
    """NGINX ``$time_local`` in UTC: ``01/May/2024:12:00:10 +0000``."""
    return _second(int(epoch))[2]
