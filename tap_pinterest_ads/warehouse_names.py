"""Field names every Singer target can load: API properties that collide are renamed.

Targets claim some column names for themselves. A record field of the same name breaks the
load or is silently overwritten (surveyed in meltanolabs-target-postgres 0.8.1 and
target-duckdb 0.8.0, both in meltano.yml):

* ``version`` and ``deletedate``: target-postgres's ACTIVATE_VERSION soft delete is an
  SQLAlchemy UPDATE of the table with ``bindparam("deletedate")`` and ``bindparam("version")``
  (target_postgres/sinks.py, ``activate_version``); SQLAlchemy refuses a bind parameter
  named after a column of the table it updates ("bindparam() name 'version' is reserved
  for automatic usage in the VALUES or SET clause"), so any table with such a column fails
  on its first ACTIVATE_VERSION. singer-sdk's own SQLSink binds the same two names.
* ``_sdc_*``: the record metadata columns both targets add (``_sdc_extracted_at``,
  ``_sdc_batched_at``, ``_sdc_deleted_at``, ``_sdc_table_version``, …) and overwrite in
  every record; the whole prefix is the Singer convention for target metadata.

Names are compared case-insensitively: target-duckdb lower-cases every column name.

The rule: such a property keeps the API's value under ``pinterest_<name>`` (the prefix
`report_columns` already uses when an API column clashes with one of the tap's fields),
e.g. ``conversion_tags.version`` -> ``pinterest_version``. It is applied where schemas are
loaded (`streams/api_object.py`, the schema files of every stream but the report streams) and
where API objects become records (`rename_record`: streams/transform.py for the account
streams, the global lookups' `post_process`), so a schema and its records always agree.
Report fields come from the column registry; `report_columns` extras follow the same rule
(reports/columns.py).
"""

from __future__ import annotations

import copy
import typing as t

RESERVED_NAMES = frozenset({"version", "deletedate"})
RESERVED_PREFIX = "_sdc_"
RENAME_PREFIX = "pinterest_"


def is_reserved(name: str) -> bool:
    """Whether a target claims this column name for itself."""
    lowered = name.lower()
    return lowered in RESERVED_NAMES or lowered.startswith(RESERVED_PREFIX)


def warehouse_name(name: str) -> str:
    """The field name the API property `name` is emitted under."""
    return f"{RENAME_PREFIX}{name}" if is_reserved(name) else name


def rename_schema(schema: dict[str, t.Any]) -> dict[str, t.Any]:
    """A copy of a record schema with its reserved top-level properties renamed.

    Nested properties stay: targets store nested objects as one JSON column.
    """
    properties = schema.get("properties", {})
    if not any(is_reserved(name) for name in properties):
        return schema
    renamed = copy.deepcopy(schema)
    renamed["properties"] = {warehouse_name(name): sub for name, sub in properties.items()}
    if "required" in renamed:
        renamed["required"] = [warehouse_name(name) for name in renamed["required"]]
    return renamed


def rename_record(record: dict[str, t.Any]) -> dict[str, t.Any]:
    """Rename, in place, the reserved top-level fields of one API object."""
    for name in [name for name in record if is_reserved(name)]:
        record[warehouse_name(name)] = record.pop(name)
    return record
