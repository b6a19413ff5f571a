"""Streams of the objects Pinterest's API returns: their schema files and field conversions.

Each stream declares, beside its name and path, what differs about its objects:

* ``openapi_component``: the object of the OpenAPI description (v5, ``components.schemas``)
  its records come from; ``tests/streams/test_entity_schemas.py`` and
  ``tests/streams/test_lookup_schemas.py`` keep ``schemas/<stream>.json`` and the two field
  lists below in step with it.
* ``epoch_fields``: top-level integer Unix-second fields, emitted as ISO 8601 UTC date-time
  strings (``2024-01-02T03:04:05+00:00``) under the same name.
* ``micro_amount_fields``: top-level micro-currency integers. The integer is emitted unchanged
  and a sibling amount field carries ``value / 1,000,000`` in the ad account's currency
  (``ad_accounts.currency``). Nested micro values
  (``optimization_goal_metadata.*.cpa_goal_value_in_micro_currency`` and
  ``scrollup_goal_value_in_micro_currency``, digit strings) are left as sent.
"""

from __future__ import annotations

import typing as t

from singer_sdk.schema.source import SchemaDirectory, StreamSchema

from tap_pinterest_ads import schemas
from tap_pinterest_ads.client import PinterestStream
from tap_pinterest_ads.streams.transform import normalise
from tap_pinterest_ads.typing_compat import override
from tap_pinterest_ads.warehouse_names import rename_schema

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context, Record


class ApiObjectSchemas(SchemaDirectory):
    """The package's schema files (the API's objects, as in the spec), renamed by the rule of
    warehouse_names.py."""

    @override
    def fetch_schema(self, key: str) -> dict[str, t.Any]:
        """The schema file of stream `key`, with reserved property names renamed."""
        return rename_schema(super().fetch_schema(key))


class ApiObjectStream(PinterestStream):
    """A stream whose records are API objects, typed by `schemas/<name>.json`."""

    schema = StreamSchema(ApiObjectSchemas(schemas))
    openapi_component: t.ClassVar[str | None] = None
    epoch_fields: t.ClassVar[tuple[str, ...]] = ()
    micro_amount_fields: t.ClassVar[t.Mapping[str, str]] = {}

    @override
    def post_process(self, row: Record, context: Context | None = None) -> Record:
        """Epoch seconds → ISO date-times, micro-units → amounts, reserved names renamed."""
        return normalise(row, self.epoch_fields, self.micro_amount_fields, stream=self.name)
