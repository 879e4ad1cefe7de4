"""Where the inventory lives: the default SQLite file and ``--db`` URLs."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from advisor.store.errors import InventoryError

log = logging.getLogger(__name__)

APP_NAME = "gitlab-perf-advisor"
FILE_NAME = "inventory.sqlite"
DATA_DIR_VARIABLE = "ADVISOR_DATA_DIR"


@dataclass(frozen=True)
class Location:
    """A parsed database URL: SQLite with a file path, or PostgreSQL with a URL."""

    dialect: str
    """``sqlite`` or ``postgresql``."""
    url: str
    path: Path | None = None
    """The SQLite file; None for PostgreSQL."""

    def display(self) -> str:
        """The URL without any password, for messages."""
        if self.path is not None:
            return str(self.path)
        parts = urlsplit(self.url)
        if parts.password is None:
            return self.url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()


def data_dir() -> Path:
    """The advisor's data folder: $ADVISOR_DATA_DIR, else the user's data directory."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME))


def default_path() -> Path:
    """The default inventory file."""
    return data_dir() / FILE_NAME


def parse_url(url: str | None) -> Location:
    """Reads a ``--db`` value; None means the default SQLite file."""
    if url is None:
        path = default_path()
        return Location("sqlite", f"sqlite:///{path}", path)
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "sqlite":
        return _sqlite(url)
    if scheme in ("postgresql", "postgres"):
        return Location("postgresql", url)
    raise InventoryError(
        f"--db {url!r} is not a database URL the inventory knows.",
        fix="Use sqlite:///path/to/inventory.sqlite or postgresql://user@host/dbname.",
    )


def _sqlite(url: str) -> Location:
    rest = url.split(":", 1)[1]
    if not rest.startswith("//") or len(rest) <= 3 or rest[2] != "/":
        raise InventoryError(
            f"--db {url!r} names no SQLite file.",
            fix="Write sqlite:///relative/path or sqlite:////absolute/path "
            "(three slashes before the path).",
        )
    path = Path(unquote(rest[3:])).expanduser()
    return Location("sqlite", url, path)
