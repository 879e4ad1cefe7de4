"""Safe unpacking of gitlabsos archives into a private temporary folder."""

from __future__ import annotations

import logging
import os
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from advisor.errors import ArchiveError

log = logging.getLogger(__name__)

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar")


@dataclass(frozen=True)
class ExtractLimits:
    """Caps that stop a hostile or broken archive from filling the disk."""

    max_bytes: int = 16 * 1024**3
    """Total size of all members once unpacked."""
    max_members: int = 100_000
    """Number of members of any type."""
    max_ratio: float = 1000.0
    """Unpacked size over archive size, checked once past ``ratio_floor`` bytes."""
    ratio_floor: int = 256 * 1024**2

    @classmethod
    def from_env(cls) -> ExtractLimits:
        """Reads ``ADVISOR_MAX_EXTRACT_BYTES`` and ``ADVISOR_MAX_MEMBERS`` if set."""
        limits = cls()
        overrides: dict[str, int] = {}
        for field, name in (
            ("max_bytes", "ADVISOR_MAX_EXTRACT_BYTES"),
            ("max_members", "ADVISOR_MAX_MEMBERS"),
        ):
            value = os.environ.get(name)
            if value is None:
                continue
            if not value.isdigit():
                raise ArchiveError(
                    f"Environment variable {name}={value!r} is not a whole number.",
                    fix="Set it to a number of bytes or members, or unset it.",
                )
            overrides[field] = int(value)
        if not overrides:
            return limits
        return ExtractLimits(**{**limits.__dict__, **overrides})


def is_archive(path: Path) -> bool:
    """Tells whether a file is a tar archive, by name or by content.

    By content, a file counts only if it holds at least one member: a block of zero
    bytes passes ``tarfile.is_tarfile`` but is no archive.
    """
    if path.name.endswith(ARCHIVE_SUFFIXES):
        return True
    try:
        with tarfile.open(path, mode="r:*") as tar:
            return tar.next() is not None
    except (tarfile.TarError, OSError, EOFError):
        return False


def _check_name(archive: Path, name: str) -> PurePosixPath:
    member = PurePosixPath(name)
    if member.is_absolute() or ".." in member.parts:
        raise ArchiveError(
            f"{archive}: member {name!r} points outside the archive; refusing to unpack it.",
            fix="Unpack the archive yourself and pass the folder if you trust it.",
        )
    return member


def _check_link(archive: Path, member: tarfile.TarInfo) -> bool:
    """Returns True for a link that stays inside the archive (skipped, not unpacked)."""
    target = PurePosixPath(member.linkname)
    if member.issym():
        target = PurePosixPath(member.name).parent / target
    if target.is_absolute() or ".." in PurePosixPath(os.path.normpath(target)).parts:
        raise ArchiveError(
            f"{archive}: link {member.name!r} points outside the archive "
            f"({member.linkname!r}); refusing to unpack it.",
            fix="Unpack the archive yourself and pass the folder if you trust it.",
        )
    return True


def extract(archive: Path, target: Path, limits: ExtractLimits | None = None) -> Path:
    """Unpacks the regular files of ``archive`` under ``target``; returns ``target``.

    Links and special files are not unpacked. Members that escape the target, and
    archives past the limits, raise ``ArchiveError`` before anything is written for them.
    """
    limits = limits or ExtractLimits.from_env()
    archive_size = max(archive.stat().st_size, 1)
    total = 0
    count = 0
    try:
        with tarfile.open(archive, mode="r:*") as tar:
            for member in tar:
                count += 1
                if count > limits.max_members:
                    raise ArchiveError(
                        f"{archive}: more than {limits.max_members} members; "
                        "refusing to unpack it.",
                        fix="Raise ADVISOR_MAX_MEMBERS if the archive is genuine.",
                    )
                relative = _check_name(archive, member.name)
                if member.issym() or member.islnk():
                    _check_link(archive, member)
                    continue
                if not member.isfile():
                    continue
                total += member.size
                _check_size(archive, total, archive_size, limits)
                _write_member(tar, member, target / relative)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise ArchiveError(
            f"{archive}: cannot read the archive ({_why(error)}).",
            fix="Check that the file is a complete .tar.gz, .tgz or .tar.bz2.",
        ) from None
    log.debug("unpacked %d members, %d bytes from %s", count, total, archive)
    return target


def _why(error: BaseException) -> str:
    """Says in a few words why an archive could not be read."""
    if isinstance(error, EOFError):
        return "it ends early: truncated"
    if isinstance(error, tarfile.ReadError):
        return "empty, damaged, or not a tar archive"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _check_size(
    archive: Path, total: int, archive_size: int, limits: ExtractLimits
) -> None:
    if total > limits.max_bytes:
        raise ArchiveError(
            f"{archive}: unpacks to more than {limits.max_bytes} bytes; refusing it "
            "as a possible decompression bomb.",
            fix="Raise ADVISOR_MAX_EXTRACT_BYTES if the archive is genuine.",
        )
    if total > limits.ratio_floor and total / archive_size > limits.max_ratio:
        raise ArchiveError(
            f"{archive}: unpacks to {total / archive_size:.0f} times its own size; "
            "refusing it as a possible decompression bomb.",
            fix="Unpack it yourself and pass the folder if you trust it.",
        )


def _write_member(
    tar: tarfile.TarFile, member: tarfile.TarInfo, destination: Path
) -> None:
    source = tar.extractfile(member)
    if source is None:
        return
    destination.parent.mkdir(parents=True, exist_ok=True)
    with source, open(destination, "wb") as sink:
        while chunk := source.read(1 << 20):
            sink.write(chunk)
