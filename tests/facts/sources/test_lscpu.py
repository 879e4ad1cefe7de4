"""Tests for the lscpu parser."""

from __future__ import annotations

import pytest

from advisor.facts.errors import ParseError
from advisor.facts.sources import lscpu

from .helpers import CLUSTER, run_doctests, sample


def test_doctests() -> None:
    run_doctests(lscpu)


def test_reads_the_sample_archive() -> None:
    info = lscpu.parse(sample("lscpu"))
    assert (info.vcpus.value, info.vcpus.source.line) == (8, 5)
    assert info.hypervisor is not None and info.hypervisor.value == "KVM"


def test_reads_a_cluster_node() -> None:
    root = CLUSTER / "gitlabsos.rails-1.20250306160712_nginx-puma-sidekiq"
    assert lscpu.parse(sample("lscpu", root)).vcpus.value == 16


def test_non_numeric_cpu_count_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="CPU"):
        lscpu.parse("CPU(s):   many\n")
