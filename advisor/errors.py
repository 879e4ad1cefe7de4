"""Errors the user can act on: each says what failed, where, and how to fix it."""

from __future__ import annotations


class AdvisorError(Exception):
    """Base of every error shown to the user as a one-line message with exit code 2."""

    title = "advisor error"

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        if self.fix:
            return f"{self.message} {self.fix}"
        return self.message


class InputError(AdvisorError):
    """A path, archive or stream given as input cannot be used."""

    title = "input error"


class ArchiveError(InputError):
    """An archive is unreadable or unsafe to unpack."""

    title = "archive error"


class LogFormatError(InputError):
    """A log's kind cannot be recognised or does not fit what was asked."""

    title = "log format error"


class UsageError(AdvisorError):
    """Command-line options that conflict or carry a bad value."""

    title = "usage error"
