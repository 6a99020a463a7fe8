"""A throw-away PostgreSQL server for the store tests, from Debian's ``postgresql`` package.

Debian installs the server programs outside ``PATH`` (``/usr/lib/postgresql/<version>/bin``)
and ``initdb`` refuses to run as root, so as root the cluster belongs to the
``postgres`` system user that the package creates, in a fresh folder under the
system temp directory (the pytest temp folders are private to root, and the
server could not enter them).  The server listens on 127.0.0.1 on a free port
with ``trust`` authentication: it holds nothing but test databases and lives
only as long as the test session.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEBIAN_ROOT = Path("/usr/lib/postgresql")
SERVICE_USER = "postgres"
# 100 writer processes, each with its own connection, plus the test's own.
MAX_CONNECTIONS = 200
START_TIMEOUT_S = 60


def find_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: Debian's newest version, else ``PATH``."""
    versions = sorted(
        (path.parent for path in DEBIAN_ROOT.glob("*/bin/initdb")),
        key=lambda folder: _version(folder.parent.name),
        reverse=True,
    )
    if versions:
        return versions[0]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@contextmanager
def running_cluster(binaries: Path) -> Iterator[str]:
    """Start a new cluster, yield an admin URL (may create databases), stop and delete it."""
    folder = Path(tempfile.mkdtemp(prefix="course-test-postgres-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        account = pwd.getpwnam(SERVICE_USER)
        os.chown(folder, account.pw_uid, account.pw_gid)
        as_user = ["runuser", "-u", SERVICE_USER, "--"]
    data, log = folder / "data", folder / "server.log"
    port = _free_port()
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections={MAX_CONNECTIONS}"
    )
    try:
        _run(
            [*as_user, str(binaries / "initdb"), "-D", str(data), "-U", SERVICE_USER,
             "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
            log,
        )
        _run(
            [*as_user, str(binaries / "pg_ctl"), "start", "-w", "-t", str(START_TIMEOUT_S),
             "-D", str(data), "-l", str(log), "-o", options],
            log,
        )
        try:
            yield f"postgresql+psycopg://{SERVICE_USER}@127.0.0.1:{port}/postgres"
        finally:
            _run([*as_user, str(binaries / "pg_ctl"), "stop", "-m", "fast", "-D", str(data)], log)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(command: list[str], log: Path) -> None:
    """Run a server program; on failure show its output and the server log, which say why."""
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        server_log = log.read_text(errors="replace") if log.exists() else ""
        raise RuntimeError(
            f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}\n{server_log}"
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())
