"""Run airbyte-source-pinterest (the peer) against a fake Pinterest API given by an env var.

The peer hard-codes https://api.pinterest.com/v5/ in its packaged manifest.yaml and offers no
setting for the base URL. This wrapper patches the parsed manifest in memory:

    PINTEREST_API_BASE=http://127.0.0.1:PORT/v5/ .venv-peer/bin/python benchmarks/peer_wrapper.py \
        read --config peer_config.json --catalog peer_catalog.json

Runs only inside the peer's own venv (airbyte-source-pinterest==2.1.12, Python < 3.12).
Report downloads follow the URL the API returns, so they need no patch.
"""

from __future__ import annotations

import os
import sys

import source_pinterest.source as peer_source
from source_pinterest.run import run

BASE = os.environ.get("PINTEREST_API_BASE", "https://api.pinterest.com/v5/")
if not BASE.endswith("/"):
    BASE += "/"

_original = peer_source.SourcePinterest._read_and_parse_yaml_file


def _patched(self, path):
    manifest = _original(self, path)
    definitions = manifest["definitions"]
    definitions["requester"]["url_base"] = BASE
    definitions["authenticator"]["token_refresh_endpoint"] = BASE + "oauth/token"
    return manifest


peer_source.SourcePinterest._read_and_parse_yaml_file = _patched

if __name__ == "__main__":
    sys.exit(run())
