"""Tests for the /proc/mounts parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import mount

from .helpers import run_doctests, sample


def test_doctests() -> None:
    run_doctests(mount)


def test_pseudo_filesystems_are_left_out() -> None:
    mounts = mount.parse(sample("mount"))
    assert [m.mount_point for m in mounts] == [
        "/",
        "/dev/shm",
        "/var/opt/gitlab",
        "/var/opt/gitlab/gitlab-rails/uploads",
    ]
    assert mounts[-1].network and mounts[-1].source.line == 8


def test_octal_escapes_are_decoded() -> None:
    (item,) = mount.parse("/dev/sdb1 /mnt/git\\040data ext4 rw 0 0\n")
    assert item.mount_point == "/mnt/git data"


def test_short_row_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="line 1"):
        mount.parse("/dev/sda1 /\n")
