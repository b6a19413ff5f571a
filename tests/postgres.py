"""A throwaway PostgreSQL server from Debian's packages, for end-to-end tests.

Started on a free 127.0.0.1 port in a temporary directory, with trust auth and fsync off
(nothing here needs durability), and removed afterwards. `initdb` refuses to run as root,
so as root the server runs as the `postgres` user that the Debian package creates.
"""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg


class PostgresUnavailableErrorError(RuntimeError):
    """No PostgreSQL server binaries: `.ci/run` installs them (apt-get install postgresql)."""


@dataclasses.dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    database: str

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.database}"


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    msg = "PostgreSQL server binaries not found; install them: apt-get install -y postgresql"
    raise PostgresUnavailableErrorError(msg)


def _version(path: str) -> tuple[int, ...]:
    return tuple(int(p) for p in Path(path).parts[-3].split(".") if p.isdigit())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


@contextlib.contextmanager
def running_postgres(database: str = "warehouse") -> Iterator[PostgresServer]:
    """Start a server, create `database`, yield its address, then stop and delete it."""
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="tap-pinterest-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "data", _free_port()
    run = subprocess.run
    run(
        _as_server_user(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-t", "60"]
    run(_as_server_user([*pg_ctl, "-o", options, "start"]), check=True, capture_output=True)
    try:
        run(
            [
                str(bin_dir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                database,
            ],
            check=True,
            capture_output=True,
        )
        yield PostgresServer("127.0.0.1", port, "postgres", database)
    finally:
        run(_as_server_user([*pg_ctl, "-m", "immediate", "stop"]), check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def query(server: PostgresServer, sql: str, *params: object) -> list[dict]:
    """The rows of `sql` on `server`, each as a dict by column name."""
    with psycopg.connect(server.url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(sql, params)
        names = [column.name for column in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
