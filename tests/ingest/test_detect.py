"""Kind detection from content, not file names."""

from __future__ import annotations

import pytest

from advisor.ingest.detect import sniff_lines, strip_svlogd

PRODUCTION = (
    '{"method":"GET","controller":"ProjectsController","action":"show","duration_s":1}'
)
API = (
    '{"time":"2024-05-01T12:00:05Z","route":"/api/:version/projects","duration_s":0.1}'
)
GITALY = '{"grpc.method":"FindCommit","grpc.code":"OK","grpc.time_ms":1.2}'
SIDEKIQ = '{"class":"PostReceive","job_status":"done","duration_s":1.0,"jid":"1"}'
WORKHORSE = '{"msg":"access","uri":"/x","duration_ms":12,"status":200}'
SHELL = '{"msg":"executing git command","command":"git-upload-pack","gl_project_path":"a/b"}'
EXCEPTION = '{"exception.class":"NoMethodError","exception.message":"x"}'
HELM = '{"subcomponent":"production_json","controller":"A","duration_s":1}'
APPLICATION = '{"severity":"WARN","time":"2024-05-01T12:00:05Z","message":"rss limit"}'


@pytest.mark.parametrize(
    ("line", "kind", "fmt"),
    [
        (PRODUCTION, "production", "json"),
        (
            '{"controller":"A","action":"b","duration":812.4,"db":95.2}',
            "production",
            "json",
        ),
        (API, "api", "json"),
        (GITALY, "gitaly", "json"),
        (SIDEKIQ, "sidekiq", "json"),
        (WORKHORSE, "workhorse", "json"),
        (SHELL, "shell", "json"),
        (EXCEPTION, "exceptions", "json"),
        (APPLICATION, "application", "json"),
        (HELM, "helm", "helm"),
        (
            '2019-03-30_05:27:21.45481 time="2019-03-30T05:27:21Z" level=info '
            'msg="finished unary call with code OK" grpc.code=OK grpc.method=AddNamespace '
            "grpc.time_ms=1.696",
            "gitaly",
            "text",
        ),
        (
            "2019-03-30_05:25:52.87112 2019-03-30T05:25:52.870Z 1304 TID-orvka3o7s "
            "ActionMailer::DeliveryJob JID-d1d3c38ae01341c86586405d INFO: done: 1.369 sec",
            "sidekiq",
            "text",
        ),
        (
            "2023-05-16T16:09:06.043Z pid=82525 tid=7p7d class=SomeWorker jid=ab "
            "elapsed=0.51 INFO: done",
            "sidekiq",
            "text",
        ),
        (
            "2019-03-30_05:23:46.29254 localhost 127.0.0.1:0 - - [2019/03/30:05:23:46 "
            '+0000] "GET /help HTTP/1.1" 200 79361 "" "curl/7.59.0-DEV" 1.560',
            "workhorse",
            "text",
        ),
        (
            'time="2019-03-30T05:27:25+00:00" level=info msg="finished HTTP request" '
            'duration=0.8288733 method=POST url="http://127.0.0.1:8080/api/v4/internal/allowed"',
            "shell",
            "text",
        ),
        (
            "2024-05-01_12:00:12.53311 2024-05-01 12:00:12.533 UTC [48211] LOG:  duration: "
            "2874.118 ms  execute <unnamed>: SELECT 1",
            "postgres",
            "text",
        ),
    ],
)
def test_each_kind_is_detected(line: str, kind: str, fmt: str) -> None:
    result = sniff_lines([line])
    assert (result.kind, result.fmt) == (kind, fmt)


def test_majority_wins_over_stray_lines() -> None:
    lines = ["configFile: open config.toml: no such file", GITALY, GITALY, "garbage"]
    result = sniff_lines(lines)
    assert (result.kind, result.fmt) == ("gitaly", "json")
    assert not result.truncated_first_line


def test_plain_messages_lose_to_any_specific_kind() -> None:
    # Sidekiq's start-up messages look like application events; one job line decides.
    boot = (
        '{"severity":"INFO","time":"2024-05-01T12:00:00Z","message":"Booting Sidekiq"}'
    )
    result = sniff_lines([boot, boot, boot, SIDEKIQ])
    assert (result.kind, result.fmt) == ("sidekiq", "json")
    assert sniff_lines([boot, APPLICATION]).kind == "application"


def test_truncated_first_line_is_recognised() -> None:
    result = sniff_lines(['ler":"X","duration_s":1}', PRODUCTION, PRODUCTION])
    assert result.kind == "production"
    assert result.truncated_first_line


def test_logger_header_is_counted() -> None:
    header = "# Logfile created on 2019-03-30 05:22:10 +0000 by logger.rb/61378"
    result = sniff_lines([header, PRODUCTION])
    assert (result.kind, result.header_lines, result.truncated_first_line) == (
        "production",
        1,
        False,
    )


def test_nginx_access_lines_are_not_workhorse() -> None:
    nginx = '127.0.0.1 - - [30/Jun/2021:16:05:34 +0000] "GET /help HTTP/1.1" 200 83 "" "c" -'
    assert sniff_lines([nginx]).kind is None


def test_unknown_content() -> None:
    assert sniff_lines(["hello world", "{}"]).kind is None


def test_strip_svlogd() -> None:
    assert strip_svlogd("2024-05-01_12:00:03.41234 LOG: x") == "LOG: x"
    assert strip_svlogd("no prefix") == "no prefix"
