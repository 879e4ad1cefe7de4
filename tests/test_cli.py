"""The entry point: help, start-up cost, and exit codes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest

from advisor.cli import main

Cli = Callable[..., tuple[int, str, str]]


def test_import_stays_light() -> None:
    """Heavy libraries load inside the commands that need them, not at start-up."""
    probe = (
        "import sys, advisor.cli; advisor.cli.build_parser(); "
        "print(sorted(m for m in ('duckdb', 'scipy', 'textual', 'rich', 'pydantic') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_command_has_help(cli: Cli) -> None:
    from advisor.cli import build_parser

    parser = build_parser()
    (group,) = [a for a in parser._actions if a.dest == "command"]
    for name, sub in group.choices.items():
        assert sub.description, f"{name} has no description"


def test_no_command_prints_help_and_exits_2(cli: Cli) -> None:
    code, out, _ = cli()
    assert code == 2
    assert "usage: advisor" in out


def test_stats_subviews_are_rewritten() -> None:
    from advisor.cli import _rewrite_subviews

    assert _rewrite_subviews(["stats", "top", "x"]) == ["stats-top", "x"]
    assert _rewrite_subviews(["--log-level", "INFO", "stats", "errors"]) == [
        "--log-level",
        "INFO",
        "stats-errors",
    ]
    assert _rewrite_subviews(["stats", "top.log"]) == ["stats", "top.log"]


def test_usage_errors_name_the_command_once(cli: Cli) -> None:
    code, _, err = cli("diagnose", "--kind", "gitaly")
    assert code == 2
    assert err == (
        "advisor diagnose: unrecognized arguments: --kind "
        "(see advisor diagnose --help)\n"
    )
    code, _, err = cli("compare", "x")
    assert code == 2 and err.startswith("advisor compare: the following arguments")


def test_help_lists_only_real_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "SUPPRESS" not in out and "stats-top" not in out
    assert main(["compare", "--help"]) == 0
    help_text = capsys.readouterr().out
    assert "95 % bootstrap" in help_text and "%%" not in help_text
