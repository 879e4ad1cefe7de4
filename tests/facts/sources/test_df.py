"""Tests for the df -hT / df -h parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import df

from .helpers import run_doctests, sample

DF_H = """\
Filesystem                   Size  Used Avail Use% Mounted on
/dev/sda1                     99G   45G   50G  48% /
10.0.9.4:/exports/git-data   4.0T  2.6T  1.5T  64% /var/opt/gitlab/git-data
"""


def test_doctests() -> None:
    run_doctests(df)


def test_wrapped_network_row_of_the_sample_archive() -> None:
    mounts = {m.mount_point: m for m in df.parse(sample("df_hT"))}
    uploads = mounts["/var/opt/gitlab/gitlab-rails/uploads"]
    assert (uploads.fs_type, uploads.network, uploads.source.line) == ("nfs4", True, 6)
    assert uploads.device == "filer01.example.com:/exports/gitlab-uploads"
    assert mounts["/var/opt/gitlab"].size_gb == 492.0
    assert mounts["/var/opt/gitlab"].used_pct == 65.0


def test_df_h_without_type_guesses_network_from_the_device() -> None:
    mounts = df.parse(DF_H, "df_h")
    assert [m.fs_type for m in mounts] == [None, None]
    assert [m.network for m in mounts] == [False, True]


def test_missing_header_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="Filesystem"):
        df.parse("df: /mnt/x: Stale file handle\n")
