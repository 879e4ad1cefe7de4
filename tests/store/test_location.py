"""Database URLs and the default inventory file."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.store.errors import InventoryError
from advisor.store.location import default_path, parse_url


def test_the_default_file_follows_advisor_data_dir(data_dir: Path) -> None:
    assert default_path() == data_dir / "inventory.sqlite"
    assert parse_url(None).path == data_dir / "inventory.sqlite"


def test_sqlite_urls_take_relative_and_absolute_paths() -> None:
    assert parse_url("sqlite:///inv.sqlite").path == Path("inv.sqlite")
    assert parse_url("sqlite:////srv/inv.sqlite").path == Path("/srv/inv.sqlite")


def test_postgresql_urls_hide_their_password() -> None:
    location = parse_url("postgresql://advisor:s3cret@db.internal:5432/inventory")
    assert location.dialect == "postgresql"
    assert location.display() == "postgresql://advisor:***@db.internal:5432/inventory"


@pytest.mark.parametrize("url", ["mysql://x/y", "inventory.sqlite", "sqlite://x"])
def test_unknown_urls_say_what_is_accepted(url: str) -> None:
    with pytest.raises(InventoryError) as error:
        parse_url(url)
    assert repr(url) in str(error.value)
    assert "sqlite:///" in str(error.value)
