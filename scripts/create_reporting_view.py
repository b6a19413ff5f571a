"""Create (or replace) the reporting views of reporting/*.sql in a PostgreSQL database.

    python scripts/create_reporting_view.py postgresql://USER:PASSWORD@HOST:5432/DATABASE
    make reporting-view PG_URL=postgresql://USER:PASSWORD@HOST:5432/DATABASE

Without a URL, libpq's PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE variables are used (the same
ones meltano.yml gives target-postgres). Run it after the first runs of both Meltano jobs: a
view needs its tables. Every file runs in one transaction, in name order. Needs psycopg 3
(in the dev venv: `make setup`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import psycopg

REPORTING_DIR = Path(__file__).resolve().parent.parent / "reporting"


def sql_files(directory: Path = REPORTING_DIR) -> list[Path]:
    """The view definitions, in the order they are applied."""
    return sorted(directory.glob("*.sql"))


def create_views(url: str, files: list[Path] | None = None) -> list[str]:
    """Apply every file in one transaction; return the names of the files applied."""
    files = sql_files() if files is None else files
    if not files:
        raise FileNotFoundError(f"no .sql files in {REPORTING_DIR}")
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        for path in files:
            cur.execute(path.read_text(encoding="utf-8"))  # no parameters: plain script
    return [path.name for path in files]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "url",
        nargs="?",
        default="",
        help="PostgreSQL URL; empty: libpq's PG* environment variables",
    )
    args = parser.parse_args(argv)
    try:
        applied = create_views(args.url)
    except psycopg.Error as exc:
        # psycopg messages carry no password; the URL itself is never printed.
        print(f"create_reporting_view: {type(exc).__name__}: {exc}".strip(), file=sys.stderr)
        return 1
    for name in applied:
        print(f"applied reporting/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
