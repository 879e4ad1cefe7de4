"""Errors of the inventory store."""

from __future__ import annotations

from advisor.errors import AdvisorError


class InventoryError(AdvisorError):
    """The inventory database cannot be opened, checked, migrated or written."""

    title = "inventory error"
