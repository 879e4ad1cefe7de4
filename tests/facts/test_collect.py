"""Tests for collecting facts from unpacked archive roots."""

from __future__ import annotations

import shutil
from pathlib import Path

from advisor.facts.collect import collect, collect_node, find_roots
from advisor.facts.models import node_unknowns

from .sources.helpers import CLUSTER, DATA, SINGLE


def test_single_node_facts_match_the_hand_worked_values() -> None:
    node = collect_node(SINGLE)
    assert (node.name, str(node.name_source)) == (
        "gitlab-single.example.com",
        "hostname:1",
    )
    assert node.hardware.vcpus is not None and node.hardware.vcpus.value == 8
    assert (
        node.hardware.memory_mb is not None and node.hardware.memory_mb.value == 15707
    )
    assert node.strain.iowait_pct is not None
    assert str(node.strain.iowait_pct.source) == "vmstat:4"
    assert node.strain.steal_pct is not None and node.strain.steal_pct.value == 3.25
    assert node.config.puma_workers is not None and node.config.puma_workers.value == 4
    assert node.config.sidekiq_processes is not None
    assert node.config.sidekiq_processes.value == 2
    assert node.software.gitlab_version is not None
    assert node.software.gitlab_version.value == "17.8.1"
    assert node.time.ntp_synchronized is not None and node.time.ntp_synchronized.value
    assert [s.file for s in node.skipped] == ["etc/gitlab/gitlab.rb:23"]
    assert node.config.external_url is not None
    assert node.config.external_url.value == "https://gitlab.example.com"
    assert str(node.config.external_url.source) == "etc/gitlab/gitlab.rb:5"


def test_data_placements_and_network_filesystems() -> None:
    node = collect_node(SINGLE)
    git, uploads = node.storage.git_data, node.storage.uploads
    assert git is not None and git.value.mount_point == "/var/opt/gitlab"
    assert not git.value.network
    assert uploads is not None and uploads.value.network
    assert str(uploads.source) == "df_hT:6"


def test_every_source_carries_its_node() -> None:
    node = collect_node(SINGLE)
    assert node.hardware.vcpus is not None
    assert node.hardware.vcpus.source.cite() == "gitlab-single.example.com:lscpu:5"


def test_folder_of_several_archives_gives_one_environment_with_roles() -> None:
    environment = collect(find_roots(CLUSTER))
    roles = {n.name: n.roles.roles.value for n in environment.nodes if n.roles.roles}
    assert roles == {
        "db-1": ["consul", "postgresql", "redis"],
        "gitaly-1": ["gitaly"],
        "rails-1": ["nginx", "rails", "sidekiq"],
    }
    gitaly = environment.node("gitaly-1")
    assert gitaly is not None and gitaly.storage.git_data is not None
    assert gitaly.storage.git_data.value.network
    assert gitaly.storage.git_data.value.fs_type == "nfs4"


def test_archive_without_system_files_lists_unknown_facts() -> None:
    (root,) = find_roots(DATA / "logs_only")
    node = collect_node(root)
    assert node.name == "logs-host"
    assert node.name_source.file.startswith("archive name gitlabsos.logs-host.")
    missing = node_unknowns(node)
    assert "hardware.vcpus" in missing and "strain.load_1m" in missing
    assert "storage.git_data" not in missing  # not a Gitaly node by its archive name


def test_garbled_files_are_skipped_and_the_rest_is_read() -> None:
    (root,) = find_roots(DATA / "garbled")
    node = collect_node(root)
    assert {s.file for s in node.skipped} == {
        "lscpu",
        "pressure_io.txt",
        "opt/gitlab/version-manifest.json",
    }
    assert node.hardware.memory_mb is not None and node.hardware.memory_mb.value == 7812


def test_folder_name_is_the_last_resort(tmp_path: Path) -> None:
    root = tmp_path / "box"
    shutil.copytree(SINGLE, root)
    (root / "hostname").unlink()
    node = collect_node(root)
    assert (node.name, node.name_source.file) == ("box", "folder name")


def test_df_h_takes_types_from_proc_mounts(tmp_path: Path) -> None:
    root = tmp_path / "n"
    root.mkdir()
    (root / "df_h").write_text(
        "Filesystem      Size  Used Avail Use% Mounted on\n"
        "/dev/sdb1       492G  301G  166G  65% /var/opt/gitlab\n"
    )
    (root / "mount").write_text("/dev/sdb1 /var/opt/gitlab xfs rw 0 0\n")
    node = collect_node(root)
    assert node.storage.mounts[0].fs_type == "xfs"
