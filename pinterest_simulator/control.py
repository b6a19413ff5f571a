"""Out-of-process control endpoints under ``/_sim/`` (not part of the Pinterest API).

GET    /_sim/health                     {"ok": true, "base_url": ...}
GET    /_sim/faults                     pending faults + forbidden accounts
POST   /_sim/faults                     add faults (JSON spec, see faults.py)
DELETE /_sim/faults                     clear faults and forbidden accounts
POST   /_sim/remove                     {"kind": "campaign", "id": "..."}
POST   /_sim/restore                    {"kind": "campaign", "id": "..."}
POST   /_sim/update                     {"kind": "ad", "id": "...", "fields": {...}}
GET    /_sim/requests                   request log (Authorization value -> "present")
DELETE /_sim/requests                   clear the request log
GET    /_sim/tokens                     {"current_refresh_token": ..., "refreshes": n}
POST   /_sim/settings                   change settings (see Simulator.apply_settings)
GET    /_sim/reports                    report jobs (token, rows, size, render seconds)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .simulator import Simulator


def _json(body: bytes):
    try:
        return json.loads(body or b"null")
    except ValueError:
        return None


def handle(sim: Simulator, method: str, path: str, body: bytes) -> tuple[int, object]:
    route = ROUTES.get((method, path.rstrip("/")))
    if route is None:
        return 404, {"error": f"unknown control endpoint {method} {path}"}
    try:
        return 200, route(sim, _json(body))
    except (ValueError, KeyError, TypeError) as exc:
        return 400, {"error": f"{type(exc).__name__}: {exc}"}


def _add_faults(sim: Simulator, data) -> dict:
    if data is None:
        raise ValueError("body must be a JSON fault spec")
    added = sim.faults.add(data)
    return {"added": [f.to_json() for f in added], **sim.faults.to_json()}


def _clear_faults(sim: Simulator, _data) -> dict:
    sim.faults.clear()
    return sim.faults.to_json()


def _remove(sim: Simulator, data) -> dict:
    sim.remove_entity(data["kind"], str(data["id"]))
    return {"removed": {"kind": data["kind"], "id": str(data["id"])}}


def _restore(sim: Simulator, data) -> dict:
    sim.dataset.restore_entity(data["kind"], str(data["id"]))
    return {"restored": {"kind": data["kind"], "id": str(data["id"])}}


def _update(sim: Simulator, data) -> dict:
    return sim.dataset.update_entity(data["kind"], str(data["id"]), **data.get("fields", {}))


def _clear_requests(sim: Simulator, _data) -> list:
    sim.requests.clear()
    return []


def _reports(sim: Simulator, _data) -> list[dict]:
    return [
        {
            "token": j.token,
            "account_id": j.account_id,
            "status": sim.reports.status(j),
            "rows": j.rows,
            "size": j.size,
            "render_seconds": j.render_seconds,
            "error": j.error,
        }
        for j in sim.reports.jobs()
    ]


ROUTES: dict[tuple[str, str], Callable[[Simulator, object], object]] = {
    ("GET", "/_sim/health"): lambda sim, _: {
        "ok": True,
        "base_url": sim.base_url,
        "dataset": sim.dataset.params,
    },
    ("GET", "/_sim/faults"): lambda sim, _: sim.faults.to_json(),
    ("POST", "/_sim/faults"): _add_faults,
    ("DELETE", "/_sim/faults"): _clear_faults,
    ("POST", "/_sim/remove"): _remove,
    ("POST", "/_sim/restore"): _restore,
    ("POST", "/_sim/update"): _update,
    ("GET", "/_sim/requests"): lambda sim, _: [r.to_json(redact=True) for r in sim.requests],
    ("DELETE", "/_sim/requests"): _clear_requests,
    ("GET", "/_sim/tokens"): lambda sim, _: {
        "current_refresh_token": sim.current_refresh_token,
        "refreshes": sim.tokens.refreshes,
    },
    ("POST", "/_sim/settings"): lambda sim, data: sim.apply_settings(**(data or {})),
    ("GET", "/_sim/reports"): _reports,
}
