"""Thread-safe log of the requests the simulator received."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class RecordedRequest:
    method: str
    path: str  # URL path without the query string, e.g. "/v5/ad_accounts"
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    time: float  # epoch seconds when the request arrived
    status: int | None = None  # response status (None: connection dropped / not answered yet)
    response_headers: dict[str, str] = field(default_factory=dict)  # e.g. X-RateLimit-*

    def header(self, name: str) -> str | None:
        """Case-insensitive header lookup."""
        lname = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lname), None)

    def json(self) -> object:
        return json.loads(self.body or b"null")

    def to_json(self, redact: bool = True) -> dict:
        headers = dict(self.headers)
        if redact:
            for name in list(headers):
                if name.lower() == "authorization":
                    headers[name] = "present"
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": headers,
            "body": self.body.decode("utf-8", "replace"),
            "time": self.time,
            "status": self.status,
        }


class RequestLog:
    """A list-like, thread-safe request log (iteration works on a snapshot)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[RecordedRequest] = []

    def append(self, item: RecordedRequest) -> None:
        with self._lock:
            self._items.append(item)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __iter__(self) -> Iterator[RecordedRequest]:
        return iter(self.snapshot())

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __getitem__(self, index):
        with self._lock:
            return self._items[index]

    def filter(self, method: str | None = None, path: str | None = None) -> list[RecordedRequest]:
        """Requests with this method and whose path matches the regex ``path`` (re.search)."""
        rx = re.compile(path) if path else None
        return [
            r
            for r in self.snapshot()
            if (method is None or r.method == method.upper()) and (rx is None or rx.search(r.path))
        ]
