"""A throwaway PostgreSQL 15 server on loopback for the inventory tests.

Started once per test session in a temporary folder (as the ``postgres`` user when the
tests run as root, since initdb refuses root) and stopped when the session ends. When
it cannot start, tests that need it fail if ``CI`` is set and are skipped otherwise.
"""

from __future__ import annotations

import atexit
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

BIN = Path(os.environ.get("ADVISOR_PG_BIN", "/usr/lib/postgresql/15/bin"))


class Server:
    """One running server: its folder, port and admin URL."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="advisor-pg-"))
        self.port = _free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.error: str | None = None

    def start(self) -> None:
        """Runs initdb and pg_ctl start; records what went wrong instead of raising."""
        if not (BIN / "initdb").exists():
            self.error = f"no PostgreSQL binaries in {BIN} (run .ci/install-postgres)"
            return
        data = self.folder / "data"
        try:
            if os.geteuid() == 0:
                uid = pwd.getpwnam("postgres").pw_uid
                os.chown(self.folder, uid, -1)
            self._run(
                "initdb",
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--no-instructions",
            )
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} "
                f"-c unix_socket_directories={self.folder} -c fsync=off "
                "-c full_page_writes=off -c max_connections=40"
            )
            self._run(
                "pg_ctl",
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(self.folder / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            )
        except (OSError, KeyError, subprocess.CalledProcessError) as error:
            output = getattr(error, "stderr", "") or ""
            self.error = f"PostgreSQL did not start: {error} {output}".strip()

    def stop(self) -> None:
        """Stops the server and removes its folder."""
        if (self.folder / "data" / "postmaster.pid").exists():
            try:
                self._run(
                    "pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "stop"
                )
            except (OSError, subprocess.CalledProcessError):
                pass
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command = [str(BIN / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


_SERVER: Server | None = None


def server() -> Server:
    """The session's server, started on first use."""
    global _SERVER
    if _SERVER is None:
        _SERVER = Server()
        _SERVER.start()
        atexit.register(_SERVER.stop)
    return _SERVER


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL to a fresh, empty database on the session's PostgreSQL server."""
    running = server()
    if running.error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {running.error}")
        pytest.skip(running.error)
    import psycopg

    name = f"inv_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(running.url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield running.url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(running.url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
