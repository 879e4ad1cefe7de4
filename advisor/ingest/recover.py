"""Finds the lines of a JSON log that DuckDB could not read, and what they still hold.

Two kinds of line are worth a second look: text lines of a log that switched format
(Gitaly's ``current`` holds logfmt lines before a change of ``logging.format`` and JSON
after it), and JSON lines with bytes that are not UTF-8, which DuckDB rejects whole.
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from advisor.ingest import textlogs
from advisor.ingest.detect import LOGGER_HEADER
from advisor.ingest.kinds import EVENT_COLUMN_NAMES, csv_row
from advisor.ingest.sources import LogFile, open_binary

log = logging.getLogger(__name__)

HEADER = LOGGER_HEADER.encode()


@dataclass
class Recovered:
    """Staged copies of the lines a first read could not use."""

    text_events: int = 0
    """Events parsed from text lines, written to ``text_path`` as CSV."""
    text_path: Path | None = None
    text_skipped: Counter[str] = field(default_factory=Counter)
    """Text lines of the log's kind that are not events, by reason."""
    json_lines: int = 0
    """JSON lines re-encoded with bad bytes replaced, written to ``json_path``."""
    json_path: Path | None = None

    @property
    def any(self) -> bool:
        """Whether anything was recovered or explained."""
        return bool(self.text_events or self.json_lines or self.text_skipped)


def recover(logfile: LogFile, kind: str, skip_first: bool, staging: Path) -> Recovered:
    """Scans a JSON log for text events of its kind and non-UTF-8 JSON lines.

    ``skip_first`` leaves out a first line already counted as cut off. Staged files
    are written under ``staging`` only when there is something to put in them.
    """
    found = Recovered()
    text_sink = json_sink = None
    writer = None
    parses_text = kind in textlogs.PARSERS
    try:
        with open_binary(logfile.path, logfile.compression) as handle:
            for index, raw in enumerate(handle):
                if raw.startswith(b"{") and (raw.isascii() or _is_utf8(raw)):
                    continue  # read by DuckDB, or malformed JSON: the common case
                line = raw.strip()
                if not line or (index == 0 and skip_first) or line.startswith(HEADER):
                    continue
                if line.startswith(b"{"):
                    if line.isascii() or _is_utf8(line):
                        continue
                    if json_sink is None:
                        found.json_path = staging.with_suffix(".jsonl")
                        json_sink = open(found.json_path, "w", encoding="utf-8")
                    json_sink.write(line.decode("utf-8", errors="replace") + "\n")
                    found.json_lines += 1
                    continue
                if not parses_text:
                    continue
                event = textlogs.parse_line(kind, line.decode("utf-8", "replace"))
                if isinstance(event, str):
                    if event != textlogs.NOT_TEXT.get(kind):
                        found.text_skipped[event] += 1
                    continue
                if text_sink is None:
                    found.text_path = staging.with_suffix(".csv")
                    text_sink = open(found.text_path, "w", newline="", encoding="utf-8")
                    writer = csv.writer(text_sink)
                    writer.writerow(EVENT_COLUMN_NAMES)
                assert writer is not None
                writer.writerow(csv_row(event))
                found.text_events += 1
    except EOFError:
        pass  # a compressed file that ends early: its report already says so
    finally:
        for sink in (text_sink, json_sink):
            if sink is not None:
                sink.close()
    if found.any:
        log.info(
            "%s: %d text events and %d non-UTF-8 JSON lines read again",
            logfile.name,
            found.text_events,
            found.json_lines,
        )
    return found


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
