"""Streams report files (JSON or CSV) to disk row by row, never holding the report in memory."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING

from .breakdowns import plan_columns
from .delivery import iter_raw
from .metrics import ColumnPlan

if TYPE_CHECKING:
    from .dataset import Dataset

BUFFER = 1 << 20


def _keep(value) -> bool:
    """JSON reports omit zero metrics (and attributes without a value)."""
    return value is not None and value != 0


def render_report(ds: Dataset, path: Path, account_id: str, request: dict) -> tuple[int, int]:
    """Write the report file for a normalized request (``reports.validate``); return
    ``(rows, bytes)``.  Keys: start, end, columns, level, granularity, report_format,
    primary_sort, filters."""
    targeting_types = request.get("targeting_types") or ()
    plan = ColumnPlan(plan_columns(request["columns"], targeting_types))
    granularity = request.get("granularity", "DAY")
    raw = iter_raw(
        ds,
        account_id,
        request["start"],
        request["end"],
        plan,
        level=request.get("level", "PIN_PROMOTION"),
        granularity=granularity,
        primary_sort=request.get("primary_sort", "BY_ID"),
        filters=request.get("filters") or {},
        targeting_types=targeting_types,
    )
    if request.get("report_format", "JSON") == "CSV":
        rows = _write_csv(path, plan, raw, granularity != "TOTAL")
    else:
        rows = _write_json(path, plan, raw)
    return rows, path.stat().st_size


def _write_json(path: Path, plan: ColumnPlan, raw) -> int:
    int_keys = [f'"{c}":' for c in plan.int_columns]
    float_keys = [f'"{c}":' for c, _ in plan.float_columns]
    attr_cache: dict[int, str] = {}
    rows = 0
    current = None
    with path.open("w", encoding="utf-8", buffering=BUFFER) as out:
        out.write("{")
        write = out.write
        for key, label, attrs, values, fvalues in raw:
            fragment = attr_cache.get(id(attrs))
            if fragment is None:
                fragment = ",".join(
                    f"{json.dumps(c)}:{json.dumps(v)}" for c, v in attrs.items() if _keep(v)
                )
                attr_cache[id(attrs)] = fragment
            parts = [f'"DATE":"{label}"'] if label is not None else []
            if fragment:
                parts.append(fragment)
            parts += [k + str(v) for k, v in zip(int_keys, values, strict=False) if v]
            parts += [k + repr(v) for k, v in zip(float_keys, fvalues, strict=False) if v]
            if key != current:
                write(("]," if current is not None else "") + json.dumps(key) + ":[")
                current = key
            else:
                write(",")
            write("{" + ",".join(parts) + "}")
            rows += 1
        write("]}" if current is not None else "}")
    return rows


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write_csv(path: Path, plan: ColumnPlan, raw, dated: bool) -> int:
    int_pos = {c: i for i, c in enumerate(plan.int_columns)}
    float_pos = {c: i for i, (c, _) in enumerate(plan.float_columns)}
    sources = []
    for col in plan.columns:
        if col in int_pos:
            sources.append((1, int_pos[col]))
        elif col in float_pos:
            sources.append((2, float_pos[col]))
        else:
            sources.append((0, col))
    rows = 0
    with path.open("w", encoding="utf-8", newline="", buffering=BUFFER) as out:
        writer = csv.writer(out)
        writer.writerow((["DATE"] if dated else []) + plan.columns)
        for _key, label, attrs, values, fvalues in raw:
            line = [label] if dated else []
            for kind, src in sources:
                if kind == 1:
                    line.append(values[src])
                elif kind == 2:
                    line.append(fvalues[src])
                else:
                    line.append(_csv_value(attrs[src]))
            writer.writerow(line)
            rows += 1
    return rows
