"""The bundled default input used when a command is given no path."""

from __future__ import annotations

import logging

from advisor.errors import InputError

log = logging.getLogger(__name__)


def default_inputs() -> list[str]:
    """Returns the bundled sample archive, generating it on first use."""
    try:
        from advisor.simulate import default_archive
    except ImportError:
        raise InputError(
            "no input given and no bundled sample is available.",
            fix="Pass a gitlabsos archive, a folder of logs, log files, or - for stdin.",
        ) from None
    path = default_archive()
    log.info("using the bundled sample archive %s", path)
    return [str(path)]
