"""`docpipe serve`: the ingest flow as a scheduled deployment on a real Prefect server.

`docpipe serve` supervises two processes: a local Prefect server (unless `PREFECT_API_URL`
names one) and this module, which serves the deployment. Prefect's runner installs its own
signal handlers and leaves background threads draining events on exit, so it runs in a
process of its own that the supervisor can stop, and kill, without waiting on it.

Beside the runner, a watcher thread reads the deployment's runs back from the API and prints
what a user needs without opening server logs: when the next scheduled run is due (or that the
scheduler has created none), and a line for each run that ends, with its state and summary.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from datetime import timedelta

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.client.schemas.sorting import FlowRunSort
from prefect.schedules import Cron, Interval, Schedule

from docpipe.config import RunConfig
from flows.ingest import ingest

DEFAULT_DEPLOYMENT = "nightly"
# Prefect's scheduler visits a new deployment within ~5 s; past this, it is not scheduling.
SCHEDULER_GRACE_SECONDS = 45.0
_POLL_SECONDS = 2.0
_FINAL_STATES = {StateType.COMPLETED, StateType.FAILED, StateType.CRASHED, StateType.CANCELLED}


def schedule_of(cron: str | None, interval_seconds: int | None) -> Schedule:
    """A cron schedule in UTC, or an interval aligned to the clock (3600: on every hour)."""
    if cron:
        return Cron(cron, timezone="UTC")
    return Interval(timedelta(seconds=interval_seconds), timezone="UTC")


def serve_ingest(schedule: Schedule, sources: list[str], out_dir: str, config: RunConfig, name: str = DEFAULT_DEPLOYMENT) -> None:
    """Serve the ingest flow on its schedule until the process is stopped."""
    threading.Thread(target=watch_deployment, args=(name,), name="docpipe-watch", daemon=True).start()
    ingest.serve(
        name=name,
        schedule=schedule,
        parameters={"paths": sources, "out_dir": out_dir, "config": config.as_dict()},
        description="docpipe ingest on a schedule",
        print_starting_message=True,
        limit=1,  # a run that outlasts its interval delays the next instead of racing it
    )


def _say(line: str) -> None:
    print(line, flush=True)


def _describe(run: FlowRun) -> str:
    how = "scheduled" if run.auto_scheduled else "triggered"
    message = run.state.message.splitlines()[0] if run.state and run.state.message else ""
    return f"run {run.name} ({how}) {run.state_name}: {message}".rstrip(": ")


def watch_deployment(name: str, full_name: str | None = None) -> None:
    """Print the next scheduled run, and each run of the deployment as it ends."""
    full_name = full_name or f"{ingest.name}/{name}"
    started = time.monotonic()
    announced_next: object = None
    reported: set[object] = set()
    with get_client(sync_client=True) as client:
        while True:
            time.sleep(_POLL_SECONDS)
            try:
                deployment = client.read_deployment_by_name(full_name)
                runs = client.read_flow_runs(
                    deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])),
                    sort=FlowRunSort.EXPECTED_START_TIME_ASC,
                )
            except Exception as problem:  # the runner registers the deployment a moment after start
                if time.monotonic() - started > SCHEDULER_GRACE_SECONDS:
                    _say(f"warning: cannot read deployment {full_name} from the Prefect API: {problem}")
                    started = time.monotonic()
                continue
            for run in runs:
                if run.state_type in _FINAL_STATES and run.id not in reported:
                    reported.add(run.id)
                    _say(_describe(run))
            upcoming = [run for run in runs if run.auto_scheduled and run.state_type == StateType.SCHEDULED]
            if upcoming and upcoming[0].id != announced_next:
                announced_next = upcoming[0].id
                due = upcoming[0].expected_start_time
                _say(f"next scheduled run: {due:%Y-%m-%d %H:%M:%S} UTC ({len(upcoming)} scheduled by Prefect)")
            elif not upcoming and announced_next is None and time.monotonic() - started > SCHEDULER_GRACE_SECONDS:
                _say(f"warning: Prefect's scheduler has created no run of {full_name} in {SCHEDULER_GRACE_SECONDS:g} s; see the server log")
                announced_next = "warned"


if __name__ == "__main__":
    arguments = argparse.ArgumentParser(description="serve the ingest deployment (started by `docpipe serve`)")
    when = arguments.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron")
    when.add_argument("--interval", type=int)
    arguments.add_argument("--name", default=DEFAULT_DEPLOYMENT)
    arguments.add_argument("--out", required=True)
    arguments.add_argument("--config", default="{}", help="the run configuration as a JSON object")
    arguments.add_argument("sources", nargs="+")
    args = arguments.parse_args()
    try:
        serve_ingest(schedule_of(args.cron, args.interval), args.sources, args.out, RunConfig(**json.loads(args.config)), args.name)
    except KeyboardInterrupt:
        pass
