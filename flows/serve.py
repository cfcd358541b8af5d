"""`docpipe serve`: the ingest flow as a deployment with a cron schedule, on a real server.

`docpipe serve` supervises two processes: a local Prefect server (unless `PREFECT_API_URL`
names one) and this module, which serves the deployment. Prefect's runner installs its own
signal handlers and leaves background threads draining events on exit, so it runs in a
process of its own that the supervisor can stop, and kill, without waiting on it.
"""

from __future__ import annotations

import argparse
import json

from flows.ingest import ingest

DEFAULT_DEPLOYMENT = "nightly"


def serve_ingest(cron: str, sources: list[str], out_dir: str, name: str = DEFAULT_DEPLOYMENT, parameters: dict | None = None) -> None:
    """Serve the ingest flow with its schedule until the process is stopped."""
    ingest.serve(
        name=name,
        cron=cron,
        parameters={"paths": sources, "out_dir": out_dir, **(parameters or {})},
        description="docpipe ingest on a schedule",
        print_starting_message=True,
    )


if __name__ == "__main__":
    arguments = argparse.ArgumentParser(description="serve the ingest deployment (started by `docpipe serve`)")
    arguments.add_argument("--cron", required=True)
    arguments.add_argument("--name", default=DEFAULT_DEPLOYMENT)
    arguments.add_argument("--out", required=True)
    arguments.add_argument("--parameters", default="{}", help="extra flow parameters as a JSON object")
    arguments.add_argument("sources", nargs="+")
    args = arguments.parse_args()
    try:
        serve_ingest(args.cron, args.sources, args.out, args.name, json.loads(args.parameters))
    except KeyboardInterrupt:
        pass
