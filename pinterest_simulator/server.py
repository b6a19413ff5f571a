"""HTTP transport: request recording, transport-level faults, file downloads, JSON responses."""

from __future__ import annotations

import json
import re
import socket
import sys
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from . import api, control, pages
from .common import ApiError
from .faults import DOWNLOAD_KINDS
from .requestlog import RecordedRequest

if TYPE_CHECKING:
    from .simulator import Simulator

FILE_ROUTE = re.compile(r"^/_files/(?P<fid>[0-9a-f]+)/metrics_report\.txt$")
CHUNK = 256 * 1024
S3_MULTI_AUTH = (
    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature "
    "query string parameter or the Authorization header should be specified"
)


class SimHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address, sim: Simulator):
        super().__init__(address, Handler)
        self.sim = sim

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, OSError)):
            return  # the client went away (timeouts, truncated downloads): not interesting
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes: with Nagle's algorithm on, the body waited for the
    # client's delayed ACK of the headers, about 40 ms on every keep-alive response.
    disable_nagle_algorithm = True
    server_version = "PinterestAPISimulator/1.0"
    sys_version = ""
    server: SimHTTPServer
    record: RecordedRequest | None = None

    def log_message(self, format, *args):
        if self.server.sim.verbose:
            super().log_message(format, *args)

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def do_PATCH(self):
        self._dispatch()

    # ------------------------------------------------------------------ plumbing
    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
        if self.record is not None:
            self.record.status = status
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-pinterest-rid", f"sim{int(time.time() * 1000) % 10**12:012d}")
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, payload, headers: dict | None = None):
        if isinstance(payload, (bytes, str)):
            body = payload.encode() if isinstance(payload, str) else payload
        else:
            body = json.dumps(payload).encode()
        self._send(status, body, "application/json; charset=utf-8", headers)

    def _drop(self):
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self):
        sim = self.server.sim
        self.record = None  # keep-alive: one handler instance serves many requests
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query, keep_blank_values=True)
        body = self._read_body()
        method = self.command
        if path.startswith("/_sim/"):
            status, payload = control.handle(sim, method, path, body)
            self._send_json(status, payload)
            return
        self.record = RecordedRequest(
            method, path, query, dict(self.headers.items()), body, time.time()
        )
        sim.requests.append(self.record)
        delay = sim.faults.take("delay", method, path)
        if delay is not None:
            time.sleep(delay.seconds)
        fault = sim.faults.take(("drop_connection", "http_error"), method, path)
        if fault is not None and fault.kind == "drop_connection":
            self._drop()
            return
        if fault is not None:
            if fault.content_type:
                body = fault.body if isinstance(fault.body, str) else json.dumps(fault.body)
                self._send(int(fault.status), body.encode(), fault.content_type, fault.headers)
            else:
                self._send_json(int(fault.status), fault.body, fault.headers)
            return
        page_fault = sim.faults.take(
            "listing_page", method, path, lambda f: pages.on_this_page(f, self.record)
        )
        try:
            if FILE_ROUTE.match(path) and method == "GET":
                self._download(path, query)
                return
            routed = pages.prepare(self.record, sim.max_page_size)
            status, payload = api.handle(sim, routed)
        except ApiError as err:
            # A refused report still counted against the quota: its headers say so.
            self._send_json(err.status, err.body, {**self.record.response_headers, **err.headers})
            return
        if page_fault is not None:
            payload = pages.mutate(page_fault, self.record, payload)
        self._send_json(status, payload, self.record.response_headers)

    # ------------------------------------------------------------------ downloads
    def _s3_error(self, status: int, code: str, message: str, extra: str = ""):
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{message}</Message>{extra}"
            f"<RequestId>SIM{int(time.time() * 1000):X}</RequestId>"
            "<HostId>c2ltdWxhdG9y</HostId></Error>"
        ).encode()
        self._send(status, body, "application/xml")

    def _download(self, path: str, query):
        sim = self.server.sim
        if self.headers.get("Authorization"):
            extra = (
                "<ArgumentName>Authorization</ArgumentName><ArgumentValue>present</ArgumentValue>"
            )
            self._s3_error(400, "InvalidArgument", S3_MULTI_AUTH, extra)
            return
        fid = FILE_ROUTE.match(path).group("fid")
        job, expired = sim.reports.resolve(fid, query.get("X-Amz-Signature", [None])[-1])
        if job is None:
            self._s3_error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            )
            return
        fault = sim.faults.take(DOWNLOAD_KINDS, "GET", path)
        if expired or (fault is not None and fault.kind == "expire_download"):
            now = formatdate(usegmt=True)
            extra = (
                f"<X-Amz-Expires>{int(sim.reports.url_ttl)}</X-Amz-Expires>"
                f"<ServerTime>{now}</ServerTime>"
            )
            self._s3_error(403, "AccessDenied", "Request has expired", extra)
            return
        size = job.size or 0
        limit = size
        if fault is not None and fault.kind == "truncate_download":
            limit = int(size * fault.fraction)
        corrupt_from = size // 2 if fault is not None and fault.kind == "corrupt_download" else None
        self.record.status = 200
        self.send_response(200)
        self.send_header("Content-Type", "binary/octet-stream")
        self.send_header("Content-Length", str(size))
        self.send_header("Last-Modified", formatdate(job.created_at, usegmt=True))
        self.send_header("x-amz-request-id", f"SIM{int(time.time() * 1000):X}")
        self.end_headers()
        sent = 0
        with job.path.open("rb") as fh:
            while sent < limit:
                chunk = fh.read(min(CHUNK, limit - sent))
                if not chunk:
                    break
                if corrupt_from is not None and sent + len(chunk) > corrupt_from:
                    keep = max(corrupt_from - sent, 0)
                    chunk = chunk[:keep] + b"\xff" * (len(chunk) - keep)
                self.wfile.write(chunk)
                sent += len(chunk)
        if limit < size:
            self._drop()
