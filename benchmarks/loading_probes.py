"""What the loading benchmark observes besides time: the memory of a `meltano run`'s process
tree, what landed in PostgreSQL or DuckDB (rows, keys, a digest of every value), and the
physical limit, a bare psycopg COPY of the same rows into the same table shape."""

from __future__ import annotations

import contextlib
import io
import json
import resource
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

TABLE = "pinterest_data_delivery"
KEY = ("date", "ad_account_id", "pin_promotion_id")

# Memory of the whole process tree (Meltano, the tap, the target), sampled ---------------------


class TreeRss:
    """Peak RSS per program (by executable name) and of the tree's sum, sampled every 0.2 s:
    wait4's ru_maxrss only gives the largest single process of a finished tree."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_total_kib = 0
        self.peak_kib: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            total = 0
            for pid, name in self._tree():
                kib = _rss_kib(pid)
                total += kib
                self.peak_kib[name] = max(self.peak_kib.get(name, 0), kib)
            self.peak_total_kib = max(self.peak_total_kib, total)

    def _tree(self) -> list[tuple[int, str]]:
        parents: dict[int, list[int]] = {}
        names: dict[int, str] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, IndexError):
                stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                parents.setdefault(ppid, []).append(int(entry.name))
                argv = (entry / "cmdline").read_bytes().split(b"\0")
                names[int(entry.name)] = _program(argv)
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            found.append((pid, names.get(pid, "?")))
            todo.extend(parents.get(pid, []))
        return found


def _program(argv: list[bytes]) -> str:
    """`python .../bin/meltano run ...` -> meltano; `.../bin/target-postgres` -> target-postgres."""
    words = [Path(a.decode(errors="replace")).name for a in argv if a]
    if words and words[0].startswith("python") and len(words) > 1:
        words = words[1:]
    return words[0] if words else "?"


def _rss_kib(pid: int) -> int:
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text(encoding="ascii").split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return pages * resource.getpagesize() // 1024


# What landed ---------------------------------------------------------------------------------

PG_DIGEST = """
SELECT count(*), count(DISTINCT ({key})), md5(string_agg(row_text, E'\\n' ORDER BY {key}))
FROM (SELECT {key}, ROW({columns})::text AS row_text FROM {table}) AS loaded
"""


def pg_landed(connection, schema: str) -> dict[str, Any]:
    """Rows, distinct keys and a digest of every business column (`_sdc_*` aside)."""
    columns = [
        name
        for (name,) in connection.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s ORDER BY column_name",
            (schema, TABLE),
        ).fetchall()
        if not name.startswith("_sdc_")
    ]
    rows, keys, digest = connection.execute(
        PG_DIGEST.format(
            key=", ".join(KEY),
            columns=", ".join(f'"{c}"' for c in columns),
            table=f'"{schema}".{TABLE}',
        )
    ).fetchone()
    # max(scale(ctr)): the tap's ratios have 28 significant digits; a path through float keeps 17.
    metadata = connection.execute(
        f"SELECT count(_sdc_extracted_at), count(_sdc_batched_at), count(_sdc_deleted_at), "  # noqa: S608
        f'max(scale(ctr)) FROM "{schema}".{TABLE}'
    ).fetchone()
    return {
        "rows": rows,
        "keys": keys,
        "digest": digest,
        "columns": len(columns),
        "sdc_extracted_at_set": metadata[0],
        "sdc_batched_at_set": metadata[1],
        "sdc_deleted_at_set": metadata[2],
        "ctr_max_scale": metadata[3],
    }


_DUCKDB_DIGEST = r"""
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("SET enable_progress_bar = false")
cols = [c for (c,) in con.execute(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'pinterest' "
    "AND table_name = ? ORDER BY column_name", [sys.argv[2]]).fetchall()
    if not c.startswith("_sdc_")]
key = "date, ad_account_id, pin_promotion_id"
rows, keys, digest = con.execute(
    f"SELECT count(*), count(DISTINCT ({key})), "
    f"md5(string_agg(row_text, chr(10) ORDER BY {key})) FROM (SELECT {key}, "
    f"concat_ws('|', {', '.join(f'coalesce({c}::varchar, chr(0))' for c in cols)}) AS row_text "
    f"FROM pinterest.{sys.argv[2]})").fetchone()
extracted = con.execute(
    f"SELECT count(_sdc_extracted_at) FROM pinterest.{sys.argv[2]}").fetchone()[0]
print(json.dumps({"rows": rows, "keys": keys, "digest": digest, "columns": len(cols),
                  "sdc_extracted_at_set": extracted}))
"""


def duckdb_landed(duckdb_python: Path, path: Path) -> dict[str, Any]:
    found = subprocess.run(  # noqa: S603
        [str(duckdb_python), "-c", _DUCKDB_DIGEST, str(path), TABLE],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(found.stdout.splitlines()[-1])  # after DuckDB's progress bar


# The physical limit: a bare COPY of the same rows ----------------------------------------------


def copy_source(connection, schema: str) -> dict[str, Any]:
    """The rows target-postgres loaded, in memory as Python values and as COPY text, and the
    name of an empty table of the same shape."""
    table = f'"{schema}".{TABLE}'
    types = [
        kind
        for (kind,) in connection.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            (table,),
        ).fetchall()
    ]
    rows = connection.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608
    text = io.BytesIO()
    with connection.cursor().copy(f"COPY {table} TO STDOUT") as copy:
        for chunk in copy:
            text.write(chunk)
    # An empty table of the same shape (columns, types, primary key) outlives the run's schema.
    connection.execute(f"CREATE TABLE copy_template (LIKE {table} INCLUDING ALL)")
    connection.commit()
    return {"table": "copy_template", "types": types, "rows": rows, "text": text.getvalue()}


COPY_METHODS = ("binary rows", "text rows", "text stream")


def timed_copy(connection, source: dict[str, Any], method: str, name: str) -> float:
    """Seconds to COPY the rows into a fresh table of the same shape and commit."""
    connection.execute(f"CREATE TABLE {name} (LIKE {source['table']} INCLUDING ALL)")
    connection.commit()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if method == "text stream":
            with cursor.copy(f"COPY {name} FROM STDIN") as copy:
                copy.write(source["text"])
        else:
            binary = method == "binary rows"
            statement = f"COPY {name} FROM STDIN" + (" (FORMAT BINARY)" if binary else "")
            with cursor.copy(statement) as copy:
                if binary:
                    copy.set_types(source["types"])
                for row in source["rows"]:
                    copy.write_row(row)
    connection.commit()
    seconds = time.perf_counter() - started
    connection.execute(f"DROP TABLE {name}")
    connection.commit()
    return seconds
