"""Run the ingest flow's batch tasks on an existing Dask cluster (prefect-dask's DaskTaskRunner).

Dask workers report their task runs to the Prefect API themselves, so they need a server
they can reach: the embedded server lives inside the flow's process on 127.0.0.1 and is
gone when it exits. A distributed run therefore requires ``PREFECT_API_URL`` to name a
real server (``prefect server start``, or the one ``docpipe serve`` starts).
"""

from __future__ import annotations

import os

from prefect import Flow
from prefect.client.orchestration import get_client
from prefect_dask import DaskTaskRunner


class PrefectServerRequired(RuntimeError):
    pass


def require_reachable_api() -> str:
    """The API URL Dask workers will use; raises when none is set or it does not answer."""
    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url:
        raise PrefectServerRequired(
            "a Dask run needs a Prefect server its workers can reach: start one (`prefect server start`) "
            "and set PREFECT_API_URL for docpipe and for the Dask workers"
        )
    with get_client(sync_client=True) as client:
        failure = client.api_healthcheck()
    if failure is not None:
        raise PrefectServerRequired(f"the Prefect server at {api_url} does not answer: {failure}")
    return api_url


def on_dask_cluster(flow: Flow, address: str) -> Flow:
    """``flow`` with its tasks submitted to the Dask scheduler at ``address``."""
    require_reachable_api()
    return flow.with_options(task_runner=DaskTaskRunner(address=address))
