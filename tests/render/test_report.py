"""Reports from a simulated archive: Markdown, self-contained HTML with charts, JSON."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from advisor.commands.report import make_report
from advisor.render.report import Report, render
from advisor.simulate import generate
from advisor.store.records import FindingRecord

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The report of a 15-minute slow-storage archive."""
    out = tmp_path_factory.mktemp("sim")
    [archive] = generate("slow-storage", out, hours=0.25, seed=3)
    return make_report([str(archive)])


def test_the_report_carries_environment_statistics_and_series(report: Report) -> None:
    assert report.instance == "gitlab.example.com"
    assert [node.name for node in report.nodes] == ["gitlab"]
    assert {kind.kind for kind in report.stats} >= {"production", "api", "gitaly"}
    # Error and event logs have no latency table.
    assert not {kind.kind for kind in report.stats} & {"exceptions", "application"}
    assert all(len(kind.rows) <= 10 for kind in report.stats)
    gitaly = next(line for line in report.latency if line.name == "gitaly")
    assert len(gitaly.times) >= 14 and all(v is not None for v in gitaly.values)


def test_the_diagnosis_adds_score_and_findings(report: Report) -> None:
    assert report.diagnosed
    assert report.score is not None and 0 <= report.score <= 100
    assert report.findings and all(f.finding_id and f.title for f in report.findings)


def test_html_is_self_contained_with_png_charts(report: Report) -> None:
    page = render(report, "html")
    assert page.startswith("<!DOCTYPE html>")
    for loader in ("<script", "<link", "@import", "url(", 'src="http', "href="):
        assert loader not in page
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 2
    assert all(base64.b64decode(image).startswith(PNG_MAGIC) for image in images)
    assert "Latency and throughput" in page and "Statistics: gitaly" in page


def test_markdown_has_score_findings_tables_and_images(report: Report) -> None:
    text = render(report, "md")
    assert text.startswith("# GitLab performance report: gitlab.example.com")
    assert "## Score" in text and "## Statistics: production" in text
    assert f"({report.findings[0].finding_id})" in text
    assert text.count("](data:image/png;base64,") == 2
    assert "| key | count | RPS |" in text


def test_json_round_trips(report: Report) -> None:
    data = json.loads(render(report, "json"))
    assert Report.model_validate(data) == report


def test_findings_show_evidence_and_remediation() -> None:
    report = Report(
        title="t",
        generated_at=datetime(2024, 5, 7, tzinfo=UTC),
        inputs=["a"],
        diagnosed=True,
        score=41,
        subscores={"gitaly": 12},
        findings=[
            FindingRecord(
                finding_id="SLOW_STORAGE",
                title="Git data on NFS",
                severity="high",
                evidence="FindCommit p95 5x baseline\nNFS mount <slow>",
                remediation=["Move /var/opt/gitlab/git-data to local SSD"],
            )
        ],
    )
    page = render(report, "html")
    assert "<li>NFS mount &lt;slow&gt;</li>" in page
    assert "<li>Move /var/opt/gitlab/git-data to local SSD</li>" in page
    assert "<td>gitaly</td><td>12</td>" in page


def test_the_command_writes_the_format_of_the_file_name(
    cli: Cli, tmp_path: Path
) -> None:
    [archive] = generate("healthy", tmp_path / "sim", hours=0.1, seed=2)
    out = tmp_path / "report.html"
    code, _, err = cli("report", str(archive), "--out", str(out))
    assert code == 0 and "report written" in err
    assert out.read_text().startswith("<!DOCTYPE html>")
    # A format that the file name contradicts is refused before anything is read.
    code, _, err = cli("report", str(archive), "--format", "md", "--out", str(out))
    assert code == 2 and "--format md does not match --out" in err
    # The score is against the baseline given, as in diagnose.
    code, text, _ = cli(
        "report", str(archive), "--format", "json", "--baseline", "none"
    )
    assert code == 0 and json.loads(text)["score"] is None
