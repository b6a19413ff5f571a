"""target-postgres with a what-if patch, to size a change proposed upstream (not shipped).

    .meltano/loaders/target-postgres/venv/bin/python benchmarks/target_variant.py \
        [--lean-rows] [--lean-parse] --config target.json < messages.jsonl

Runs in target-postgres's own venv (it imports only that venv and the standard library).
`--lean-rows` replaces `PostgresSink.bulk_insert_records` of meltanolabs-target-postgres 0.8.1 by
the same COPY with the per-row work hoisted out of the loop: the column list, the
`sanitize_null_text_characters` switch (read per column and row through two properties
upstream) and the bind processors are looked up once per batch, and each row goes to
`copy.write_row` as a list built with `record.get`. Same rows, same COPY statement, same
de-duplication on the key (the last record of a key in a batch wins), but numbers go to COPY
as the Decimals they were read as (upstream passes them through float, see below).

`--lean-parse` replaces singer-sdk 0.54.9's `Sink._parse_timestamps_in_record`, which looks up
the type of every property of every record to find the date-like ones, by the same parse over
the date-like properties only (found once per sink and schema). Records with fields the schema
does not know go the upstream way (its warning).
"""

from __future__ import annotations

import importlib
import sys
import typing as t


def lean_bulk_insert_records(  # noqa: PLR0917 - the upstream signature
    self,
    table,
    schema: dict[str, t.Any],
    records: t.Iterable[dict[str, t.Any]],
    primary_keys: t.Sequence[str],
    connection,
) -> bool:
    columns = self.column_representation(schema)
    names = [column.name for column in columns]
    if not self.append_only:
        unique: dict[tuple, dict[str, t.Any]] = {}
        for record in records:
            unique[tuple(record[key] for key in primary_keys)] = record
        records = unique.values()
    if not self.config["use_copy"]:
        raise SystemExit("--lean-rows sizes the COPY path only (use_copy: true)")
    sanitize = self.connector.sanitize_null_text_characters
    # Upstream's NUMERIC bind processor is `to_float`: a 28-digit ratio keeps 17 digits. psycopg
    # writes a Decimal exactly, so numeric columns get no processor here.
    numeric = importlib.import_module("sqlalchemy").Numeric
    processors = [
        (index, processor)
        for index, column in enumerate(columns)
        if not isinstance(column.type, numeric)
        and (processor := column.type.bind_processor(connection.dialect)) is not None
    ]
    statement = self.generate_copy_statement(table.name, columns)
    with connection.connection.cursor().copy(statement) as copy:
        for record in records:
            row = [record.get(name) for name in names]
            if sanitize:
                row = self.sanitize_null_text_characters(row)
            for index, processor in processors:
                row[index] = processor(row[index])
            copy.write_row(row)
    return True


def make_lean_parse(upstream: t.Callable, datelike: t.Callable) -> t.Callable:
    def lean_parse_timestamps_in_record(self, record: dict, schema: dict, treatment) -> None:
        properties = schema["properties"]
        cached = getattr(self, "_lean_datelike", None)
        if cached is None or cached[0] is not schema:
            keys = [key for key, prop in properties.items() if datelike(prop)]
            cached = self._lean_datelike = (schema, keys, {"properties": properties})
        if not record.keys() <= properties.keys():
            upstream(self, record, schema, treatment)
            return
        present = {key: record[key] for key in cached[1] if key in record}
        if present:
            upstream(self, present, cached[2], treatment)
            record.update(present)

    return lean_parse_timestamps_in_record


def main() -> None:
    # target_postgres is target-postgres's venv's, not a dependency of this project: imported
    # by name at run time (this file only ever runs under that venv's python).
    args = sys.argv[1:]
    if "--lean-rows" in args:
        args.remove("--lean-rows")
        sinks = importlib.import_module("target_postgres.sinks")
        sinks.PostgresSink.bulk_insert_records = lean_bulk_insert_records
    if "--lean-parse" in args:
        args.remove("--lean-parse")
        sink = importlib.import_module("singer_sdk.sinks.core").Sink
        datelike = importlib.import_module("singer_sdk.helpers._typing").get_datelike_property_type
        sink._parse_timestamps_in_record = make_lean_parse(
            sink._parse_timestamps_in_record, datelike
        )
    target = importlib.import_module("target_postgres.target")
    sys.argv = ["target-postgres", *args]
    target.TargetPostgres.cli()


if __name__ == "__main__":
    main()
