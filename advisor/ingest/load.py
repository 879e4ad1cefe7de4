"""Loads every recognised log into one DuckDB table per kind, counting what it skips."""

from __future__ import annotations

import bz2
import csv
import logging
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from advisor.errors import InputError, LogFormatError
from advisor.ingest import detect, jsonlogs, recover, textlogs
from advisor.ingest.kinds import EVENT_COLUMN_NAMES, EVENT_COLUMNS, KINDS, csv_row
from advisor.ingest.sources import Inputs, LogFile, open_binary

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
"""Called with (bytes done, bytes in all, file name) as files are read."""
Summarize = Callable[[str], str]
"""Gives, for a kind, the SQL aggregates per key a load may compute as it reads."""

TRUNCATED = "truncated first line (archive tail)"
HEADER = "logger header line"
NOT_JSON = jsonlogs.NOT_JSON
GLOB_CHARACTERS = "*?[]{}"
UNREADABLE = "the file cannot be read or decompressed"
EMPTY = "the file is empty"
KNOWN_LOGS_FIX = (
    "Pass GitLab logs (production_json, api_json, gitaly, sidekiq, workhorse, "
    "gitlab-shell, postgresql) or a gitlabsos archive."
)
CUT_SHORT = "the compressed file ends early (cut short?); read up to the cut"
#: The file id lines staged from a file carry until they are counted.
STAGED = -1


@dataclass
class FileReport:
    """What one input file turned out to be and how much of it was used."""

    name: str
    node: str
    kind: str | None
    fmt: str
    lines: int = 0
    events: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    read: bool = True
    """False when the file's kind was not asked for (``--kind``)."""
    failure: str | None = None
    """Why a file found in a folder or archive could not be read, if it could not."""
    note: str | None = None
    """Something the counts do not say, such as a compressed file that ends early."""


@dataclass
class Dataset:
    """Event tables in an in-memory DuckDB database, one per log kind found."""

    con: duckdb.DuckDBPyConnection
    kinds: list[str]
    files: list[FileReport]
    nodes: list[str]
    summaries: dict[str, list[tuple]] = field(default_factory=dict)
    """Per kind, rows of (key, first, last, aggregates...) computed while reading."""
    pending: dict[str, Callable[[], None]] = field(default_factory=dict)
    """Per kind, what fills its table when a query first needs the events."""

    def table(self, kind: str) -> str:
        """Returns the name of the view holding the usable events of a kind."""
        self.require(kind)
        fill = self.pending.pop(kind, None)
        if fill is not None:
            fill()
        return f"events_{kind}"

    def require(self, kind: str) -> None:
        """Raises a LogFormatError saying why a kind has no events, if it has none."""
        if kind in self.kinds:
            return
        found = sorted({str(r.kind) for r in self.files if r.kind})
        if kind in found:
            raise LogFormatError(
                f"the {kind} logs among the inputs hold no events.",
                fix="See the skipped lines with --format json, or choose another --kind.",
            )
        raise LogFormatError(
            f"no {kind} log among the inputs.",
            fix=f"Inputs hold: {', '.join(found) or 'no known log'}.",
        )

    def span(self, kind: str) -> tuple[datetime | None, datetime | None]:
        """First and last event time of a kind."""
        row = self.con.execute(f"SELECT min(time), max(time) FROM {self.table(kind)}")
        first, last = row.fetchone() or (None, None)
        return first, last


def connect(workdir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Opens an in-memory DuckDB set up for log work (UTC, spill to ``workdir``)."""
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET preserve_insertion_order = false")
    if workdir is not None:
        con.execute(f"SET temp_directory = {jsonlogs.literal(str(workdir))}")
    return con


def table_columns(detail: bool) -> list[str]:
    """Event columns a load keeps: all with ``detail``, else the core ones."""
    return [
        name for name, _ in EVENT_COLUMNS if detail or name in jsonlogs.CORE_COLUMNS
    ]


def _create_table(con: duckdb.DuckDBPyConnection, kind: str, detail: bool) -> None:
    # Without detail the table has only the core columns: every NULL column written
    # costs time on each row of a large log.
    types = dict(EVENT_COLUMNS)
    columns = ", ".join(f'"{name}" {types[name]}' for name in table_columns(detail))
    con.execute(f"CREATE TABLE raw_{kind} ({columns}, skip VARCHAR, file_id INTEGER)")
    con.execute(
        f"CREATE VIEW events_{kind} AS SELECT * FROM raw_{kind} WHERE skip IS NULL"
    )


class _Loader:
    """Reads files into tables; one instance per load."""

    def __init__(
        self,
        inputs: Inputs,
        kinds: set[str] | None,
        progress: Progress | None,
        detail: bool,
        summarize: Summarize | None = None,
    ):
        self.inputs = inputs
        self.detail = detail
        self.summarize = summarize
        self.summaries: dict[str, list[tuple]] = {}
        self.pending: dict[str, Callable[[], None]] = {}
        self.single: set[str] = set()
        self.read_as: dict[Path, LogFile] = {}
        """Staged copies read in place of damaged files (a cut gzip stream)."""
        self.readable: dict[Path, tuple[str, str]] = {}
        """Per input file, the path and compression DuckDB reads it with."""
        self.wanted = kinds
        self.progress = progress
        self.con = connect(inputs.workdir)
        self.tables: set[str] = set()
        self.reports: list[FileReport] = []
        self.done = 0
        self.staged = 0
        self.events_by_kind: Counter[str] = Counter()
        self.total = sum(_size(f.path) for f in inputs.files)

    def run(self) -> Dataset:
        files = _ordered(self.inputs.files)
        sniffs = [detect.sniff(f) if _size(f.path) else None for f in files]
        if self.summarize is not None:
            self.single = _single_json_kinds(sniffs)
        for logfile, sniffed in zip(files, sniffs, strict=True):
            self._load_file(logfile, sniffed)
            self.done += _size(logfile.path)
            if self.progress:
                self.progress(self.done, self.total, logfile.name)
        kinds = [kind for kind in KINDS if self.events_by_kind[kind]]
        nodes = sorted({r.node for r in self.reports if r.kind})
        summaries = {k: rows for k, rows in self.summaries.items() if k in kinds}
        pending = {k: fill for k, fill in self.pending.items() if k in kinds}
        return Dataset(self.con, kinds, self.reports, nodes, summaries, pending)

    def _load_file(self, logfile: LogFile, sniffed: detect.Sniff | None) -> None:
        if sniffed is None:
            self._reject(logfile, EMPTY)
            return
        if sniffed.kind is None:
            reason = "no line of a known GitLab log format in its first lines"
            if sniffed.fmt == "unreadable":
                reason = UNREADABLE
            self._reject(logfile, reason)
            return
        report = FileReport(logfile.name, logfile.node, sniffed.kind, sniffed.fmt)
        self.reports.append(report)
        if sniffed.fmt != "helm" and not self._want(sniffed.kind):
            report.read = False
            return
        try:
            self._read(logfile, sniffed, report)
            self._fix_reasons(report, sniffed)
            if sniffed.fmt == "json" and report.skipped.get(NOT_JSON):
                read = self.read_as.get(logfile.path, logfile)
                self._recover(read, sniffed.kind, report, sniffed)
        except (InputError, OSError, EOFError, ValueError) as error:
            if logfile.explicit:
                if isinstance(error, InputError):
                    raise
                raise InputError(
                    f"{logfile.name}: cannot be read ({error}).",
                    fix="Check that the file is complete.",
                ) from None
            report.lines = report.events = 0
            report.skipped.clear()
            report.failure = _cause(error, logfile)
            return
        log.info(
            "%s: %s %s, %d events",
            logfile.name,
            sniffed.fmt,
            sniffed.kind,
            report.events,
        )

    def _read(
        self, logfile: LogFile, sniffed: detect.Sniff, report: FileReport
    ) -> None:
        assert sniffed.kind is not None
        if sniffed.fmt == "helm":
            self._load_helm(logfile, report)
        elif sniffed.fmt == "json":
            self._load_json(logfile, sniffed.kind, report, sniffed.legacy_units)
        else:
            self._load_text(logfile, sniffed.kind, report)

    def _want(self, kind: str) -> bool:
        return self.wanted is None or kind in self.wanted or kind == "exceptions"

    def _reject(self, logfile: LogFile, reason: str) -> None:
        if logfile.explicit:
            fix = KNOWN_LOGS_FIX
            if reason == UNREADABLE:
                fix = "Check that the file is complete (a cut download ends early)."
            raise LogFormatError(f"{logfile.name}: {reason}.", fix=fix)
        log.debug("ignoring %s: %s", logfile.name, reason)
        self.reports.append(FileReport(logfile.name, logfile.node, None, reason))

    def _ensure_table(self, kind: str) -> None:
        if kind not in self.tables:
            _create_table(self.con, kind, self.detail)
            self.tables.add(kind)

    def _readable_path(self, logfile: LogFile, report: FileReport) -> tuple[str, str]:
        """A path DuckDB reads literally: bzip2 is unpacked, glob characters hidden.

        Each file is unpacked or linked once, however many queries read it.
        """
        known = self.readable.get(logfile.path)
        if known is not None:
            return known
        assert self.inputs.workdir is not None
        self.staged += 1
        if logfile.compression == "bz2":
            target = self.inputs.workdir / f"bz2-{self.staged}.log"
            if not _decompress(logfile, target):
                _note_cut(report)
            readable = str(target), "none"
        else:
            path = str(logfile.path)
            if any(char in path for char in GLOB_CHARACTERS):
                # DuckDB expands globs in names; a link with a plain name is read as is.
                link = self.inputs.workdir / f"link-{self.staged}.log"
                link.symlink_to(logfile.path.resolve())
                path = str(link)
            readable = path, logfile.compression or "none"
        self.readable[logfile.path] = readable
        return readable

    def _insert_json(
        self,
        logfile: LogFile,
        kind: str,
        report: FileReport,
        where: str = "",
        legacy: bool = True,
        count: bool = True,
        staged: bool = False,
    ) -> None:
        """Reads a file into its kind's table; counts its lines into ``report``.

        A table filled after a summary (``count`` False) counts nothing twice;
        ``staged`` lines (recovered from the report's file) are counted on their own.
        """
        self._ensure_table(kind)
        spec = jsonlogs.spec_for(kind, legacy)
        path, compression = self._readable_path(logfile, report)
        source = jsonlogs.read_json_sql(
            spec, path, compression, "subcomponent" * bool(where), self.detail
        )
        if where:
            source = f"(SELECT * FROM {source} {where})"
        select = jsonlogs.select_sql(spec, source, self.detail)
        names = ", ".join(f'"{n}"' for n in jsonlogs.wanted_columns(spec, self.detail))
        # Columns left out stay NULL; the file is an index into the reports.
        file_id = self.reports.index(report)
        marker = STAGED if staged else file_id
        self.con.execute(
            f"INSERT INTO raw_{kind} ({names}, skip, file_id) "
            f"SELECT *, {marker} FROM ({select})"
        )
        if count:
            self._count(kind, report, marker)
        if staged:
            self.con.execute(
                f"UPDATE raw_{kind} SET file_id = ? WHERE file_id = ?",
                [file_id, marker],
            )

    def _load_json(
        self,
        logfile: LogFile,
        kind: str,
        report: FileReport,
        legacy: bool,
        fill: bool = False,
    ) -> None:
        """Reads a JSON file: summarised if it alone holds its kind, else into a table.

        ``fill`` puts the events of a summarised file into its table afterwards.
        """
        import duckdb

        try:
            if fill:
                self._insert_json(logfile, kind, report, legacy=legacy, count=False)
            elif kind in self.single:
                self._summarize_json(logfile, kind, report, legacy)
            else:
                self._insert_json(logfile, kind, report, legacy=legacy)
        except duckdb.InterruptException:
            raise KeyboardInterrupt from None
        except duckdb.Error as error:
            piece = self._salvage(logfile, report, error)
            if piece is None:
                raise InputError(
                    f"{logfile.name}: cannot be read as JSON lines ({error}).",
                    fix="Check that the file is complete and not binary.",
                ) from None
            self._load_json(piece, kind, report, legacy, fill)

    def _salvage(
        self, logfile: LogFile, report: FileReport, error: Exception
    ) -> LogFile | None:
        """Unpacks what a gzip file that ends early holds, to read that instead."""
        if logfile.compression != "gzip" or "gzip" not in str(error).lower():
            return None
        assert self.inputs.workdir is not None
        self.staged += 1
        target = self.inputs.workdir / f"salvaged-{self.staged}.log"
        if _decompress(logfile, target) or not target.stat().st_size:
            return None  # complete after all, or nothing to read: a real error
        _note_cut(report)
        piece = _staged_piece(logfile, target)
        self.read_as[logfile.path] = piece
        return piece

    def _summarize_json(
        self, logfile: LogFile, kind: str, report: FileReport, legacy: bool
    ) -> None:
        """Counts the lines and computes per-key aggregates in one scan, no table.

        The table is filled later only if a query needs the events themselves.
        """
        assert self.summarize is not None
        spec = jsonlogs.spec_for(kind, legacy)
        path, compression = self._readable_path(logfile, report)
        source = jsonlogs.read_json_sql(spec, path, compression, "", self.detail)
        select = jsonlogs.select_sql(spec, source, self.detail)
        rows = self.con.execute(
            "SELECT skip, CASE WHEN skip IS NULL THEN key END AS key, count(*), "
            f"min(time), max(time), {self.summarize(kind)} FROM ({select}) GROUP BY ALL"
        ).fetchall()
        summary = []
        for reason, key, count, *values in rows:
            report.lines += count
            if reason is None:
                report.events += count
                self.events_by_kind[kind] += count
                summary.append((key, *values))
            else:
                report.skipped[reason] += count
        self.summaries[kind] = summary

        def fill() -> None:
            self._load_json(logfile, kind, report, legacy, fill=True)

        self.pending[kind] = fill

    def _load_helm(self, logfile: LogFile, report: FileReport) -> None:
        for subcomponent, kind in detect.HELM_SUBCOMPONENTS.items():
            if self._want(kind):
                self._insert_json(
                    logfile, kind, report, f"WHERE subcomponent = '{subcomponent}'"
                )
        path, compression = self._readable_path(logfile, report)
        names = ", ".join(f"'{name}'" for name in detect.HELM_SUBCOMPONENTS)
        rows = self.con.execute(
            f"SELECT count(*) FROM read_json({jsonlogs.literal(path)}, "
            "format='newline_delimited', ignore_errors=true, "
            f"compression='{compression}', columns={{'subcomponent': 'VARCHAR'}}) "
            f"WHERE subcomponent IS NULL OR subcomponent NOT IN ({names})"
        ).fetchone()
        other = rows[0] if rows else 0
        report.lines += other
        if other:
            report.skipped["other subcomponent, or no subcomponent"] += other

    def _count(self, kind: str, report: FileReport, file_id: int) -> None:
        rows = self.con.execute(
            f"SELECT skip, count(*) FROM raw_{kind} WHERE file_id = ? GROUP BY skip",
            [file_id],
        ).fetchall()
        for reason, count in rows:
            report.lines += count
            if reason is None:
                report.events += count
                self.events_by_kind[kind] += count
            else:
                report.skipped[reason] += count

    def _load_text(self, logfile: LogFile, kind: str, report: FileReport) -> None:
        self._ensure_table(kind)
        assert self.inputs.workdir is not None
        staged = self.inputs.workdir / f"text-{len(self.reports)}.csv"
        json_lines = staged.with_suffix(".jsonl")
        with (
            open(staged, "w", newline="", encoding="utf-8") as sink,
            open(json_lines, "w", encoding="utf-8") as json_sink,
        ):
            writer = csv.writer(sink)
            writer.writerow(EVENT_COLUMN_NAMES)
            divert = json_sink if kind in jsonlogs.SPECS else None
            for event in _parse_text(logfile, kind, report, divert):
                writer.writerow(csv_row(event))
        if report.events:
            self._insert_staged(staged, kind, logfile, self.reports.index(report))
            self.events_by_kind[kind] += report.events
        if json_lines.stat().st_size:
            # JSON lines of a log that switched format: counted as they are read.
            piece = _staged_piece(logfile, json_lines)
            self._insert_json(piece, kind, report, legacy=True, staged=True)
        staged.unlink()
        json_lines.unlink()

    def _recover(
        self, logfile: LogFile, kind: str, report: FileReport, sniffed: detect.Sniff
    ) -> None:
        """Reads again what DuckDB could not in a JSON log: text and non-UTF-8 lines."""
        assert self.inputs.workdir is not None
        self.staged += 1
        staging = self.inputs.workdir / f"recovered-{self.staged}"
        found = recover.recover(logfile, kind, sniffed.truncated_first_line, staging)
        if not found.any:
            return
        events = found.text_events or found.json_lines
        if events and kind in self.pending:  # the summary misses them: use the table
            del self.summaries[kind]
            self.pending.pop(kind)()
        for reason, count in found.text_skipped.items():
            _take_not_json(report, count)
            report.skipped[reason] += count
        if found.text_path is not None:
            self._ensure_table(kind)
            self._insert_staged(
                found.text_path, kind, logfile, self.reports.index(report)
            )
            _take_not_json(report, found.text_events)
            report.events += found.text_events
            self.events_by_kind[kind] += found.text_events
            found.text_path.unlink()
        if found.json_path is not None:
            _take_not_json(report, found.json_lines)
            report.lines -= found.json_lines
            piece = _staged_piece(logfile, found.json_path)
            self._insert_json(piece, kind, report, legacy=True, staged=True)
            found.json_path.unlink()

    def _insert_staged(
        self, staged: Path, kind: str, logfile: LogFile, file_id: int
    ) -> None:
        import duckdb

        types = ", ".join(f"'{name}': '{kind_}'" for name, kind_ in EVENT_COLUMNS)
        names = ", ".join(f'"{name}"' for name in table_columns(self.detail))
        try:
            self.con.execute(
                f"INSERT INTO raw_{kind} ({names}, skip, file_id) SELECT {names}, NULL, ? "
                f"FROM read_csv({jsonlogs.literal(str(staged))}, header=true, "
                f"columns={{{types}}}, "
                "auto_detect=false, nullstr='')",
                [file_id],
            )
        except duckdb.InterruptException:
            raise KeyboardInterrupt from None
        except duckdb.Error as error:
            raise InputError(f"{logfile.name}: cannot be loaded ({error}).") from None

    def _fix_reasons(self, report: FileReport, sniffed: detect.Sniff) -> None:
        """Names the lines DuckDB only knows as not JSON: headers and a cut first line."""
        if sniffed.fmt == "text":
            return
        moves = (
            (HEADER, sniffed.header_lines),
            (TRUNCATED, int(sniffed.truncated_first_line)),
        )
        for reason, count in moves:
            moved = min(count, report.skipped.get(NOT_JSON, 0))
            if not moved:
                continue
            report.skipped[NOT_JSON] -= moved
            report.skipped[reason] += moved
            if not report.skipped[NOT_JSON]:
                del report.skipped[NOT_JSON]


def _parse_text(
    logfile: LogFile, kind: str, report: FileReport, divert: IO[str] | None = None
) -> Iterable[dict[str, object]]:
    """Parses a text log; JSON lines go to ``divert`` uncounted, if it is given."""
    with open_binary(logfile.path, logfile.compression) as handle:
        for raw in _lines_until_cut(handle, report):
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if not line.strip():
                continue
            if divert is not None and line.lstrip().startswith("{"):
                divert.write(line.strip() + "\n")
                continue
            report.lines += 1
            result = textlogs.parse_line(kind, line)
            if isinstance(result, str):
                report.skipped[result] += 1
                continue
            report.events += 1
            yield result


def _lines_until_cut(handle: IO[bytes], report: FileReport) -> Iterator[bytes]:
    """The lines of a file; a compressed stream that ends early ends them, noted."""
    try:
        yield from handle
    except EOFError:
        _note_cut(report)


def _note_cut(report: FileReport) -> None:
    """Notes on a report that its file ends early and was read up to the cut."""
    report.note = CUT_SHORT
    log.warning("%s: %s.", report.name, CUT_SHORT)


def _decompress(logfile: LogFile, target: Path) -> bool:
    """Unpacks a compressed file to ``target``; False if its stream ends early.

    Decompressor objects keep every byte up to a cut, where reading through
    ``gzip.open`` would lose the last block.
    """
    decompressor = _decompressor(logfile.compression)
    complete = False
    with open(logfile.path, "rb") as source, open(target, "wb") as sink:
        while chunk := source.read(1 << 20):
            while chunk:
                try:
                    sink.write(decompressor.decompress(chunk))
                except (OSError, zlib.error):
                    return complete  # damaged data, or padding after the end
                complete = decompressor.eof
                if not complete:
                    break
                chunk = decompressor.unused_data  # the next member, if any
                decompressor = _decompressor(logfile.compression)
    return complete


def _decompressor(compression: str | None) -> Any:
    """A fresh decompressor for one gzip member or bzip2 stream."""
    if compression == "bz2":
        return bz2.BZ2Decompressor()
    return zlib.decompressobj(wbits=31)


def _staged_piece(logfile: LogFile, path: Path) -> LogFile:
    """A staged file holding some lines of ``logfile``, to read like it."""
    return replace(logfile, path=path, compression=None)


def _take_not_json(report: FileReport, count: int) -> None:
    """Takes lines read again off the 'not JSON' count."""
    report.skipped[NOT_JSON] -= count
    if report.skipped[NOT_JSON] <= 0:
        del report.skipped[NOT_JSON]


def _cause(error: Exception, logfile: LogFile) -> str:
    """What went wrong reading a file, without its name (the report carries it)."""
    text = error.message if isinstance(error, InputError) else str(error)
    text = text.removeprefix(f"{logfile.name}: ")
    return text.replace(f": {logfile.path}", "").rstrip(".")


def _why_empty(report: FileReport) -> str:
    """Says why a recognised file gave no events."""
    if report.failure:
        return report.failure
    if not report.read:
        return "not read (other --kind)"
    reasons = ", ".join(f"{n} {why}" for why, n in report.skipped.most_common())
    return f"every line skipped ({reasons})" if reasons else "no lines"


def _single_json_kinds(sniffs: list[detect.Sniff | None]) -> set[str]:
    """Kinds held by exactly one plain JSON file (their statistics need one scan)."""
    known = [s for s in sniffs if s is not None and s.kind is not None]
    if any(s.fmt == "helm" for s in known):
        return set()
    files = Counter(s.kind for s in known)
    return {str(s.kind) for s in known if s.fmt == "json" and files[s.kind] == 1}


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _ordered(files: list[LogFile]) -> list[LogFile]:
    """Orders files so rotated pieces of one log come oldest first."""
    groups: dict[str, list[LogFile]] = defaultdict(list)
    for logfile in files:
        groups[logfile.group].append(logfile)
    ordered: list[LogFile] = []
    for group in groups.values():
        ordered.extend(sorted(group, key=lambda f: f.order))
    return ordered


def load(
    inputs: Inputs,
    kinds: set[str] | None = None,
    progress: Progress | None = None,
    detail: bool = True,
    summarize: Summarize | None = None,
) -> Dataset:
    """Reads every log in ``inputs`` into a Dataset.

    With ``detail`` False, identifiers and messages (correlation ids, users, projects,
    paths, errors) are left out of JSON logs: enough for statistics, and faster.
    With ``summarize``, a kind read from a single JSON file gets its per-key
    aggregates in the same scan that counts its lines (``Dataset.summaries``), and
    its table is filled only if a later query asks for it.
    """
    if not inputs.files:
        raise InputError(
            "no log files found in the inputs.",
            fix="Pass a gitlabsos archive, a folder of GitLab logs, or log files.",
        )
    dataset = _Loader(inputs, kinds, progress, detail, summarize).run()
    known = [report for report in dataset.files if report.kind]
    found = sorted({str(report.kind) for report in known})
    if kinds and not dataset.kinds and not set(found) & kinds:
        raise LogFormatError(
            f"no {' or '.join(sorted(kinds))} log among the inputs.",
            fix=f"Inputs hold: {', '.join(found) or 'no known log'}.",
        )
    if not dataset.kinds and known:
        summary = "; ".join(f"{r.name} ({r.kind}): {_why_empty(r)}" for r in known[:3])
        fix = "Check the time range and that the logs are the ones meant."
        if all(r.failure for r in known):
            fix = "Check that the files are complete (a cut download ends early)."
        raise LogFormatError(
            f"the inputs hold GitLab logs but no usable event: {summary}.", fix=fix
        )
    for report in known:
        if report.failure:
            log.warning("%s: not read: %s.", report.name, report.failure)
    if not dataset.kinds:
        names = "; ".join(f"{r.name}: {r.fmt}" for r in dataset.files[:3])
        more = f"; and {len(dataset.files) - 3} more" if len(dataset.files) > 3 else ""
        raise LogFormatError(
            f"none of the inputs is a GitLab log the advisor knows ({names}{more}).",
            fix=KNOWN_LOGS_FIX,
        )
    return dataset
