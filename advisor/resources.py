"""Locates the data shipped with the package: rule packs, baselines, samples."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def pack_dir(name: str) -> Path:
    """Returns the folder of a top-level pack (``rules`` or ``baselines``).

    An installed wheel carries the packs in ``advisor/_packs``; a checkout keeps them
    beside the package.
    """
    installed = PACKAGE_DIR / "_packs" / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / name
