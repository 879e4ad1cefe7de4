"""The bundled default input: a deterministic slow-storage archive in the user cache."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_SCENARIO = "slow-storage"
DEFAULT_HOURS = 1.0
DEFAULT_SEED = 1
#: Bump when the simulator's output changes, so stale caches are regenerated.
CACHE_VERSION = "2"


def cache_dir() -> Path:
    """Returns the cache directory: ``$ADVISOR_CACHE_DIR`` or the platform's user cache."""
    override = os.environ.get("ADVISOR_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("gitlab-perf-advisor"))


def default_archive() -> Path:
    """Returns the default demo archive, generating it on first use."""
    from advisor.simulate.generator import generate

    home = cache_dir() / f"default-v{CACHE_VERSION}"
    marker = home / "complete"
    if marker.is_file():
        found = [p for p in home.iterdir() if p.name.startswith("gitlabsos.")]
        if len(found) == 1 and found[0].is_dir():
            return found[0]
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    log.info("generating the default archive in %s", home)
    (archive,) = generate(
        DEFAULT_SCENARIO, home, hours=DEFAULT_HOURS, seed=DEFAULT_SEED
    )
    marker.write_text(archive.name + "\n", encoding="utf-8")
    return archive
