"""A local simulator of the Pinterest Ads API v5 for tests, demos and benchmarks.

Endpoints (prefix ``/v5``): ``POST /oauth/token`` (Basic auth, refresh-token rotation),
``GET /user_account``, ``GET /ad_accounts``, ``GET /ad_accounts/{id}``,
``GET /ad_accounts/{id}/{campaigns,ad_groups,ads}[/{entity_id}]``,
``GET /ad_accounts/{id}/{keywords,audiences,customer_lists,conversion_tags}``,
``GET /pins/{pin_id}``, ``GET /resources/{targeting/{type},delivery_metrics}``,
``POST|GET /ad_accounts/{id}/reports``; report files under ``/_files/`` (pre-signed style,
no auth); control endpoints under ``/_sim/`` (see control.py).

Usage::

    from pinterest_simulator import Dataset, Simulator

    with Simulator(dataset=Dataset(accounts=2), report_delay_seconds=0.5) as sim:
        sim.base_url            # http://127.0.0.1:PORT/v5
        sim.faults.http_error(r"/campaigns$", 429, headers={"Retry-After": "1"})
"""

from .dataset import Dataset, json_row
from .faults import Fault, Faults
from .requestlog import RecordedRequest, RequestLog
from .simulator import Simulator

__all__ = [
    "Dataset",
    "Fault",
    "Faults",
    "RecordedRequest",
    "RequestLog",
    "Simulator",
    "json_row",
]
