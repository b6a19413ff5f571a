"""Report faults: the latitude the spec leaves the API in report files and report polls.

Registered like every fault (``sim.faults.<kind>(...)`` or the JSON spec of ``faults.py``;
``ReportFaults`` is the simulator's ``Faults``) and consumed by the report endpoints
(``reports.py``, ``api.py``). Two families:

- **file faults** change the next ``times`` reports as they are created (the poll's ``size``
  then counts the changed file): ``report_dates``, ``stray_report_row``,
  ``lowercase_targeting_keys``, ``fractional_counts``, ``report_document``;
- **empty-window and poll faults**: ``report_without_url`` and ``zero_byte_report`` change how
  a report *without rows* is served (FINISHED with ``url: null``, or a 0-byte file), so data
  is never lost to them; ``report_size`` makes the poll's ``size`` differ from the file.

Report files of the tests are small: a changed file is read whole, changed and written anew.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from .faults import Fault, Faults

REPORTS_PATH = r"/ad_accounts/\d+/reports$"
FILE_KINDS = (
    "report_dates",
    "stray_report_row",
    "lowercase_targeting_keys",
    "fractional_counts",
    "report_document",
)
EMPTY_KINDS = ("report_without_url", "zero_byte_report")
POLL_KINDS = ("report_size",)
REPORT_FAULT_KINDS = FILE_KINDS + EMPTY_KINDS + POLL_KINDS
# How `report_dates` rewrites each row's DATE (day: YYYY-MM-DD, hour: 0-23 or None).
DATE_STYLES = {
    "datetime": lambda day, hour: {"DATE": f"{day}T{hour or 0:02d}:00:00"},
    "day_first": lambda day, hour: {"DATE": f"{day[8:10]}/{day[5:7]}/{day[:4]}"},
    "iso_utc": lambda day, hour: {"DATE": f"{day}T{hour or 0:02d}:00:00Z"},
    "bare_day": lambda day, hour: {"DATE": day},
    "day_and_hour": lambda day, hour: {"DATE": day, "HOUR": hour or 0},
}


@dataclass
class ReportFault(Fault):
    """A fault with the options of the report kinds (see the module docstring)."""

    style: str = ""
    days: int = 1
    delta: int = 0
    columns: tuple[str, ...] = ()
    add: str = "0.5"
    document: str = ""

    def to_json(self) -> dict:
        out = super().to_json()
        options = {
            "report_dates": {"style": self.style},
            "stray_report_row": {"days": self.days},
            "fractional_counts": {"columns": list(self.columns), "add": self.add},
            "report_document": {"bytes": len(self.document.encode())},
            "report_size": {"delta": self.delta},
        }
        out.update(options.get(self.kind, {}))
        return out


class ReportFaults(Faults):
    """``Faults`` with the report fault switches."""

    def add(self, spec: dict | list) -> list[Fault]:
        """Register faults from the JSON spec, report kinds included."""
        specs = spec.get("faults", [spec]) if isinstance(spec, dict) else spec
        out: list[Fault] = []
        for item in specs:
            args = dict(item)
            kind = args.pop("kind", None)
            if kind in REPORT_FAULT_KINDS:
                out.append(getattr(self, kind)(**args))
            else:
                out.extend(super().add(item))
        return out

    def _report_fault(self, kind: str, times, method: str, **options) -> Fault:
        return self._register(ReportFault(kind, REPORTS_PATH, method, times, **options))

    def report_dates(self, style: str, times=1) -> Fault:
        """Every row's DATE of the next report(s) in another form (``DATE_STYLES``)."""
        if style not in DATE_STYLES:
            raise ValueError(f"style must be one of {sorted(DATE_STYLES)}")
        return self._report_fault("report_dates", times, "POST", style=style)

    def stray_report_row(self, days: int = 1, times=1) -> Fault:
        """One more row, a copy of the last, dated ``days`` after the window's end (or, if
        negative, before its start)."""
        if not days:
            raise ValueError("days must not be 0: the row would be inside the window")
        return self._report_fault("stray_report_row", times, "POST", days=int(days))

    def lowercase_targeting_keys(self, times=1) -> Fault:
        """``targeting_type``/``targeting_value``, as the analytics endpoints spell them."""
        return self._report_fault("lowercase_targeting_keys", times, "POST")

    def fractional_counts(self, columns=("TOTAL_CONVERSIONS",), add: str = "0.5", times=1):
        """``add`` added to every value of ``columns`` a row has (modeled conversions)."""
        return self._report_fault(
            "fractional_counts", times, "POST", columns=tuple(columns), add=str(add)
        )

    def report_document(self, document: str, times=1) -> Fault:
        """The next report's file is exactly ``document`` (any text, valid or not; bytes that
        are not UTF-8 can be given as surrogate escapes: ``raw.decode("utf-8",
        "surrogateescape")``)."""
        return self._report_fault("report_document", times, "POST", document=str(document))

    def report_without_url(self, times=None) -> Fault:
        """A report without rows is FINISHED with ``url: null`` and ``size: null``."""
        return self._report_fault("report_without_url", times, "GET")

    def zero_byte_report(self, times=None) -> Fault:
        """A report without rows is a 0-byte file."""
        return self._report_fault("zero_byte_report", times, "POST")

    def report_size(self, delta: int, times=1) -> Fault:
        """The FINISHED poll's ``size`` is ``delta`` bytes off the file's."""
        return self._report_fault("report_size", times, "GET", delta=int(delta))


# Applying file faults ---------------------------------------------------------------------


def _date_parts(value: str) -> tuple[str, int | None]:
    hour = int(value[11:13]) if len(value) >= 13 and value[11:13].isdigit() else None
    return value[:10], hour


def _shifted(value: str, days: int, request: dict) -> str:
    anchor = request["end"] if days > 0 else request["start"]
    day = (anchor + timedelta(days=days)).isoformat()
    return f"{day}{value[10:]}" if len(value) > 10 else day


def _change_rows(rows: list[dict], fault: ReportFault, request: dict) -> list[dict]:
    kind = fault.kind
    if kind == "stray_report_row" and rows:
        stray = dict(rows[-1])
        stray["DATE"] = _shifted(str(stray["DATE"]), fault.days, request)
        return [*rows, stray]
    out = []
    for original in rows:
        row = dict(original)
        if kind == "report_dates" and "DATE" in row:
            row.update(DATE_STYLES[fault.style](*_date_parts(str(row["DATE"]))))
        elif kind == "lowercase_targeting_keys":
            for name in ("TARGETING_TYPE", "TARGETING_VALUE"):
                if name in row:
                    row[name.lower()] = row.pop(name)
        elif kind == "fractional_counts":
            for name in fault.columns:
                if row.get(name) not in (None, "") and Decimal(str(row[name])):
                    row[name] = Decimal(str(row[name])) + Decimal(fault.add)
        out.append(row)
    return out


def _json_text(value) -> str:
    return str(value) if isinstance(value, Decimal) else json.dumps(value)


def _write_json(doc: dict) -> str:
    # json.dumps cannot write Decimal; rows are flat, so they are written by hand.
    parts = []
    for key, rows in doc.items():
        body = ",".join(
            "{" + ",".join(f"{json.dumps(k)}:{_json_text(v)}" for k, v in row.items()) + "}"
            for row in rows
        )
        parts.append(f"{json.dumps(key)}:[{body}]")
    return "{" + ",".join(parts) + "}"


def _changed_json(text: str, faults: list[ReportFault], request: dict) -> str:
    doc = json.loads(text)
    for fault in faults:
        keys = list(doc)
        if fault.kind == "stray_report_row":
            keys = keys[-1:]  # one stray row in all, under the last key
        for key in keys:
            doc[key] = _change_rows(doc[key], fault, request)
    return _write_json(doc)


def _changed_csv(text: str, faults: list[ReportFault], request: dict) -> str:
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        return text
    for fault in faults:
        rows = _change_rows(rows, fault, request)
    columns = list(dict.fromkeys(name for row in rows for name in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def apply_file_faults(
    source: Path, target: Path, faults: list[ReportFault], request: dict
) -> tuple[int, int]:
    """Write ``source`` changed by ``faults`` to ``target``; return ``(rows, bytes)``."""
    document = next((f for f in faults if f.kind == "report_document"), None)
    if document is not None:
        target.write_bytes(document.document.encode("utf-8", "surrogateescape"))
        return -1, target.stat().st_size
    text = source.read_text(encoding="utf-8")
    if request.get("report_format", "JSON") == "CSV":
        text = _changed_csv(text, faults, request)
        rows = max(len(text.splitlines()) - 1, 0)
    else:
        text = _changed_json(text, faults, request)
        rows = sum(len(v) for v in json.loads(text).values())
    target.write_text(text, encoding="utf-8")
    return rows, target.stat().st_size
