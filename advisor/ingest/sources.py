"""Turns what the user names (archives, folders, files, stdin) into log files to read."""

from __future__ import annotations

import bz2
import gzip
import logging
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from advisor.errors import InputError
from advisor.ingest import archive

log = logging.getLogger(__name__)

STDIN = "-"
LOG_ROOT = Path("var/log/gitlab")
#: Files at a gitlabsos root that mark a folder as one node's archive.
SOS_MARKERS = (
    "gitlab_status",
    "lscpu",
    "cpuinfo",
    "meminfo",
    "df_hT",
    "df_h",
    "uptime",
)
SOS_NAME = re.compile(r"^gitlabsos\.(?P<host>.+?)[._](?P<stamp>\d{14})")
ROTATED = re.compile(r"^(?P<base>.+?)\.(?P<number>\d+)$")
SVLOGD = re.compile(r"^@(?P<stamp>[0-9a-f]{24})\.[su]$")
GZIP_MAGIC = b"\x1f\x8b"
BZ2_MAGIC = b"BZh"


@dataclass(frozen=True)
class Root:
    """One node's files: an unpacked gitlabsos archive or a folder of logs."""

    path: Path
    node: str
    origin: str
    """What the user named: the archive or folder path."""


@dataclass(frozen=True)
class LogFile:
    """One readable log file on disk, possibly one rotated piece of a longer log."""

    path: Path
    name: str
    """How the user knows it: the input path, or archive path plus member path."""
    node: str
    compression: str | None
    """``gzip``, ``bz2`` or None, from the file's first bytes."""
    group: str
    """Identity of the logical log that rotated pieces share."""
    order: tuple[int, str]
    """Position of this piece within its logical log, oldest first."""
    explicit: bool = False
    """The user named this file directly (so an unknown format is an error)."""


@dataclass
class Inputs:
    """Everything resolved from the command line; valid while its context is open."""

    roots: list[Root] = field(default_factory=list)
    files: list[LogFile] = field(default_factory=list)
    workdir: Path | None = None


def compression_of(path: Path) -> str | None:
    """Returns the compression of a file from its magic bytes."""
    with open(path, "rb") as handle:
        head = handle.read(3)
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(BZ2_MAGIC):
        return "bz2"
    return None


def open_binary(path: Path, compression: str | None) -> BinaryIO:
    """Opens a log file for reading, decompressing transparently."""
    if compression == "gzip":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if compression == "bz2":
        return bz2.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def node_name(path: Path) -> str:
    """Names a node from a gitlabsos archive or folder name, or its hostname file."""
    match = SOS_NAME.match(path.name)
    if match:
        return match.group("host")
    hostname = path / "hostname"
    if hostname.is_file():
        text = hostname.read_text(errors="replace").strip()
        if text:
            return text.splitlines()[0].strip()
    name = path.name
    for suffix in archive.ARCHIVE_SUFFIXES:
        name = name.removesuffix(suffix)
    return name or str(path)


def rotation_key(path: Path) -> tuple[str, tuple[int, str]]:
    """Returns the logical log name of a piece and its position (oldest first)."""
    name = path.name
    for suffix in (".gz", ".bz2"):
        name = name.removesuffix(suffix)
    svlogd = SVLOGD.match(name)
    if svlogd:
        return str(path.parent / "current"), (0, svlogd.group("stamp"))
    rotated = ROTATED.match(name)
    if rotated:
        # logrotate: .1 is newer than .2, so a larger number sorts first.
        number = int(rotated.group("number"))
        return str(path.parent / rotated.group("base")), (1, f"{10**9 - number:010d}")
    return str(path.parent / name), (2, "")


def is_sos_root(path: Path) -> bool:
    """Tells whether a folder is one node's gitlabsos root (logs or system files)."""
    return (path / LOG_ROOT).is_dir() or any((path / m).is_file() for m in SOS_MARKERS)


def _single_child(path: Path) -> Path:
    """Descends into the one top folder many archives wrap their content in."""
    entries = [entry for entry in path.iterdir() if not entry.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir() and not is_sos_root(path):
        return entries[0]
    return path


def _log_files(root: Root, seen: set[Path]) -> Iterator[LogFile]:
    base = root.path / LOG_ROOT if (root.path / LOG_ROOT).is_dir() else root.path
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        real = path.resolve()
        if real in seen:
            continue
        seen.add(real)
        relative = path.relative_to(root.path)
        if any(part.startswith(".") for part in relative.parts):
            continue
        group, order = rotation_key(path)
        yield LogFile(
            path=path,
            name=f"{root.origin}/{relative.as_posix()}",
            node=root.node,
            compression=compression_of(path),
            group=f"{root.node}:{group}",
            order=order,
        )


#: How deep archives may sit inside archives (a ticket attachment wrapping the
#: gitlabsos archives of several nodes is one level).
MAX_NESTING = 2


@dataclass
class _Budget:
    """What one named archive and the archives inside it may still unpack, together."""

    limits: archive.ExtractLimits

    def charge(self, unpacked: Path) -> None:
        """Takes what was unpacked under a folder off the budget."""
        files = [p for p in unpacked.rglob("*") if p.is_file()]
        used = sum(p.stat().st_size for p in files)
        self.limits = replace(
            self.limits,
            max_bytes=max(self.limits.max_bytes - used, 0),
            max_members=max(self.limits.max_members - len(files), 0),
        )


class _Resolver:
    """Resolves input paths one by one into roots and files."""

    def __init__(self, workdir: Path, stdin: BinaryIO | None) -> None:
        self.workdir = workdir
        self.stdin = stdin
        self.inputs = Inputs(workdir=workdir)
        self.unpacked = 0
        self.seen: set[Path] = set()
        """Real paths already added, so a file named twice is read once."""
        self.seen_streams: set[str] = set()

    def add(self, given: str) -> None:
        if given == STDIN:
            self._add_stdin()
            return
        if not given.strip():
            raise InputError("an empty path was given.", fix="Name a file or folder.")
        path = Path(given)
        if not path.exists():
            raise InputError(
                f"{given}: no such file or folder.", fix="Check the path and try again."
            )
        if self._seen(path):
            log.info("%s was given already; reading it once", given)
            return
        if path.is_dir():
            self._add_folder(path, given)
        elif not path.is_file():
            self._add_stream(path, given)
        elif archive.is_archive(path):
            self._add_archive(path, given)
        else:
            self._add_file(path, given)

    def _seen(self, path: Path) -> bool:
        real = path.resolve()
        if real in self.seen:
            return True
        self.seen.add(real)
        return False

    def _spool(self, source: BinaryIO, given: str) -> None:
        """Copies a stream to a private file, then reads it as an archive or a log."""
        self.unpacked += 1
        spooled = self.workdir / f"stream-{self.unpacked}"
        with open(spooled, "wb") as sink:
            shutil.copyfileobj(source, sink, 1 << 20)
        if archive.is_archive(spooled):
            self._add_archive(spooled, given)
        else:
            self._add_file(spooled, given)

    def _add_stdin(self) -> None:
        if self.stdin is None:
            raise InputError("-: standard input is not available.")
        if STDIN in self.seen_streams:
            raise InputError("- was given twice; standard input can be read once.")
        self.seen_streams.add(STDIN)
        self._spool(self.stdin, "<stdin>")

    def _add_stream(self, path: Path, given: str) -> None:
        """Reads a named pipe or process substitution like standard input."""
        try:
            with open(path, "rb") as stream:
                self._spool(stream, given)
        except OSError as error:
            raise InputError(
                f"{given}: cannot be read ({error.strerror}).",
                fix="Check its permissions.",
            ) from None

    def _add_file(self, path: Path, given: str) -> None:
        self._check_readable(path, given)
        group, order = rotation_key(path.resolve())
        self.inputs.files.append(
            LogFile(
                path=path,
                name=given,
                node="local",
                compression=compression_of(path),
                group=f"file:{group}",
                order=order,
                explicit=True,
            )
        )

    def _add_folder(self, path: Path, given: str) -> None:
        if is_sos_root(path):
            self._add_root(Root(path=path, node=node_name(path), origin=given))
        elif not self._add_nodes(path, given, None):
            self._add_root(Root(path, node_name(path.resolve()), origin=given))

    def _add_nodes(
        self, path: Path, given: str, budget: _Budget | None, depth: int = 0
    ) -> bool:
        """Adds the node folders and archives directly inside a folder, if any.

        Archives found inside an archive share what is left of its ``budget``.
        """
        children = sorted(path.iterdir())
        nested = [c for c in children if c.is_dir() and is_sos_root(c)]
        archives = [c for c in children if c.is_file() and archive.is_archive(c)]
        for child in nested:
            self._add_root(Root(child, node_name(child), f"{given}/{child.name}"))
        for child in archives:
            self._add_archive(child, f"{given}/{child.name}", budget, depth)
        return bool(nested or archives)

    def _add_archive(
        self, path: Path, given: str, budget: _Budget | None = None, depth: int = 0
    ) -> None:
        self._check_readable(path, given)
        if depth > MAX_NESTING:
            raise InputError(
                f"{given}: archives nested more than {MAX_NESTING} deep.",
                fix="Unpack the outer archives and pass the node archives.",
            )
        budget = budget or _Budget(archive.ExtractLimits.from_env())
        self.unpacked += 1
        target = self.workdir / f"archive-{self.unpacked}"
        target.mkdir()
        archive.extract(path, target, budget.limits)
        budget.charge(target)
        if not any(target.iterdir()):
            raise InputError(
                f"{given}: the archive holds no files.",
                fix="Check that it is the gitlabsos archive meant.",
            )
        top = _single_child(target)
        if not is_sos_root(top) and self._add_nodes(top, given, budget, depth + 1):
            return
        node = node_name(path) if SOS_NAME.match(path.name) else node_name(top)
        self._add_root(Root(path=top, node=node, origin=given))

    def _add_root(self, root: Root) -> None:
        self.inputs.roots.append(root)
        self.inputs.files.extend(_log_files(root, self.seen))

    @staticmethod
    def _check_readable(path: Path, given: str) -> None:
        try:
            with open(path, "rb"):
                pass
        except OSError as error:
            raise InputError(
                f"{given}: cannot be read ({error.strerror}).",
                fix="Check its permissions.",
            ) from None


@contextmanager
def open_inputs(
    paths: Sequence[str], stdin: BinaryIO | None = None
) -> Iterator[Inputs]:
    """Resolves paths into roots and log files, unpacking archives privately.

    Everything unpacked lives in a temporary folder removed when the context ends; the
    user's own files are only ever opened for reading.
    """
    if stdin is None and STDIN in paths:
        stdin = sys.stdin.buffer
    with tempfile.TemporaryDirectory(prefix="advisor-") as workdir:
        resolver = _Resolver(Path(workdir), stdin)
        for given in paths:
            resolver.add(given)
        yield resolver.inputs


@contextmanager
def open_roots(paths: Sequence[str]) -> Iterator[list[Root]]:
    """Resolves paths into node roots only (for readers of system files)."""
    with open_inputs(paths) as inputs:
        yield inputs.roots
