"""What the tap takes from singer-sdk beyond its public API, in one place.

singer-sdk 0.54 has no public way to do what each name below does: it overrides a private or
`@final` method, calls one, reads a private module, or counts on the layout of the state. The
rest of the package uses only these names and singer-sdk's public API.
tests/tap/test_sdk_compat_*.py pin each touch point: one fails when a singer-sdk release changes
the behaviour relied on (then update this module, and the `singer-sdk` pin in pyproject.toml).
"""

from __future__ import annotations

import typing as t

from singer_sdk import Tap
from singer_sdk.configuration._dict_config import parse_environment_config
from singer_sdk.helpers._batch import BaseBatchFileEncoding, BatchConfig
from singer_sdk.helpers._typing import conform_record_data_types
from singer_sdk.helpers._util import utc_now
from singer_sdk.singerlib import RecordMessage
from singer_sdk.streams import RESTStream

from tap_pinterest_ads.reports.batch_files import BatchFileWriter
from tap_pinterest_ads.typing_compat import override

if t.TYPE_CHECKING:
    from collections.abc import Generator, Iterator
    from types import FrameType

    import requests
    from singer_sdk.helpers.types import Context, Record
    from singer_sdk.singerlib import SelectionMask

__all__ = [
    "PROGRESS_MARKERS",
    "SYNC_ERROR_MESSAGE",
    "BaseBatchFileEncoding",
    "BatchConfig",
    "SdkStream",
    "SdkTap",
    "parse_environment_config",
]

# A partition's state holds, while the partition syncs, `progress_markers`: a `Note` and the
# `replication_key`/`replication_key_value` of the records seen so far. singer-sdk promotes them
# to the partition's bookmark when the partition ends, then drops them.
PROGRESS_MARKERS = "progress_markers"
# What singer-sdk logs at ERROR when a stream's sync raises, before it re-raises.
SYNC_ERROR_MESSAGE = "An unhandled error occurred while syncing"


class SdkTap(Tap):
    """singer-sdk's Tap, with hooks where 0.54 has none (the tap implements them)."""

    @property
    def given_config(self) -> dict[str, t.Any]:
        """The config as given, also when singer-sdk refused it (`self.config` is then unset)."""
        return dict(getattr(self, "_config", None) or {})

    @classmethod
    def env_var_prefix(cls) -> str:
        """`TAP_PINTEREST_ADS_`: what singer-sdk reads settings from the environment under."""
        return str(cls._env_var_prefix)

    @property
    @override
    def _env_var_config(self) -> dict[str, t.Any]:
        return self.environment_config()

    def environment_config(self) -> dict[str, t.Any]:
        """`--config ENV`: the settings found in the environment (singer-sdk's by default)."""
        return dict(super()._env_var_config)

    # @final in singer-sdk's typing only: `--test` calls the tap's own.
    @override  # type: ignore[misc]
    def run_connection_test(self) -> bool:
        return self.connection_test()

    def connection_test(self) -> bool:
        """`--test`: singer-sdk's (a dry-run sync of every stream) by default."""
        return super().run_connection_test()

    # @final in singer-sdk's typing only: no other hook runs before and after every stream.
    @override  # type: ignore[misc]
    def sync_all(self) -> None:
        self.before_sync_all()
        super().sync_all()
        self.after_sync_all()

    def before_sync_all(self) -> None:
        """Before the first stream syncs."""

    def after_sync_all(self) -> None:
        """After the last stream synced (not when one raised)."""

    @override
    def _handle_termination(self, signum: int, frame: FrameType | None) -> None:
        self.on_termination(signum)

    def on_termination(self, signum: int) -> None:
        """SIGTERM or SIGINT arrived: singer-sdk writes the state and exits 0 by default."""
        super()._handle_termination(signum, None)


class SdkStream(RESTStream[t.Any]):
    """singer-sdk's RESTStream, with hooks where 0.54 has none (the streams implement them)."""

    # singer-sdk moves the partition's progress marker to every record's replication key
    # value. A stream whose bookmark moves by other means (report streams: per finished
    # window) sets this False and skips that per-record work (a fifth of the record path).
    bookmark_per_record: t.ClassVar[bool] = True

    _selection_seen: tuple[SelectionMask, bool] | None = None

    @property
    def selects_every_property(self) -> bool:
        """No property of the stream is deselected (missing breadcrumbs inherit their
        parent's selection, so every explicit one being selected means all are)."""
        mask = self.mask
        if self._selection_seen is None or self._selection_seen[0] is not mask:
            self._selection_seen = (mask, all(mask.values()))
        return self._selection_seen[1]

    @override
    def _generate_record_messages(self, record: Record) -> Generator[RecordMessage, None, None]:
        """singer-sdk's body, without its deselection walk when nothing is deselected.

        The walk (`pop_deselected_record_properties`) copies and visits every field of every
        record to pop nothing then: a quarter of the report streams' record path.
        """
        if not self.selects_every_property:
            yield from super()._generate_record_messages(record)
            return
        record = conform_record_data_types(
            stream_name=self.name,
            record=record,
            schema=self.effective_schema,
            level=self.TYPE_CONFORMANCE_LEVEL,
            logger=self.logger,
        )
        for stream_map in self.stream_maps:
            mapped_record = stream_map.transform(record)
            if mapped_record is not None:
                yield RecordMessage(
                    stream=stream_map.stream_alias,
                    record=mapped_record,
                    version=self._stream_version,
                    time_extracted=utc_now(),
                )

    @override
    def _increment_stream_state(
        self, latest_record: Record, *, context: Context | None = None
    ) -> None:
        if self.bookmark_per_record:
            super()._increment_stream_state(latest_record, context=context)

    @override
    def get_batches(
        self, batch_config: BatchConfig, context: Context | None = None
    ) -> Iterator[tuple[BaseBatchFileEncoding, list[str]]]:
        """singer-sdk's records for BATCH files, written by the tap's file writer.

        singer-sdk 0.54's JSONLinesBatcher gzips every file whatever `compression` says,
        while the BATCH message declares the configured compression: with `none`, a target
        fails on the first file.
        """
        writer = BatchFileWriter(batch_config, tap_name=self.tap_name, stream_name=self.name)
        for manifest in writer.write(self._sync_records(context, write_messages=False)):
            yield batch_config.encoding, manifest

    # @final in singer-sdk's typing only: no other hook sees the end of a parent's sync.
    @override  # type: ignore[misc]
    def sync(self, context: Context | None = None) -> None:
        super().sync(context)
        self.after_sync(context)

    def after_sync(self, context: Context | None) -> None:
        """The stream's sync returned; for a parent stream, its children's syncs are over too."""

    @override
    def _write_activate_version_message(self, full_table_version: int) -> None:
        self.on_activate_version(full_table_version)

    def on_activate_version(self, version: int) -> None:
        """singer-sdk announces a full-table stream's version as the stream starts; by default
        the ACTIVATE_VERSION message is written then."""
        self.write_activate_version(version)

    def write_activate_version(self, version: int) -> None:
        """Write the ACTIVATE_VERSION message of `version` (once per stream map)."""
        super()._write_activate_version_message(version)

    def send(self, request: requests.PreparedRequest) -> requests.Response:
        """One prepared request through the stream's own path: authenticator, timeout,
        `validate_response` and the retries of `request_decorator`."""
        response: requests.Response = self.request_decorator(self._request)(request, None)
        return response
