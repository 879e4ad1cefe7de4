"""The `advisor rules` command (placeholder until its module lands)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds nothing yet."""
