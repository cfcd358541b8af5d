"""`docpipe serve` as a user runs it: Prefect's own scheduler creates the run, the dashboard is up.

A manual trigger proves nothing about a schedule (a broken scheduler service still runs
triggered runs), so this waits for a run the scheduler created (`auto_scheduled`), finds its
rows and its artifact, and fails on any ERROR line the server logged.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pyarrow.dataset as ds

from conftest import PROJECT

SERVE_TIMEOUT = 240
INTERVAL_SECONDS = 20


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _api(url: str, path: str, body: dict) -> object:
    request = urllib.request.Request(f"{url}{path}", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _error_lines(log: Path) -> list[str]:
    return [line for line in log.read_text(errors="replace").splitlines() if "ERROR" in line or "Traceback" in line]


def test_the_scheduler_runs_the_served_deployment_and_the_dashboard_shows_it(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "note.txt").write_text("A short note, in English, that the scheduled flow run will ingest.", encoding="utf-8")
    out = tmp_path / "out"
    prefect_home = tmp_path / "prefect"
    env = {**os.environ, "PREFECT_HOME": str(prefect_home)}
    env.pop("PREFECT_API_URL", None)
    log_path = tmp_path / "serve.log"
    log = log_path.open("w+")
    serving = subprocess.Popen(
        [
            sys.executable, "-m", "docpipe.cli", "serve", "--interval", str(INTERVAL_SECONDS), "--source", str(source),
            "--out", str(out), "--workers", "1", "--batch-size", "7", "--languages", "en,es,fr,de",
        ],
        cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    try:
        def served() -> str | None:
            text = log_path.read_text()
            assert serving.poll() is None, text
            return "being served" in text and text.split("Prefect server on ")[1].split()[0]

        api_url = _wait_for(served, SERVE_TIMEOUT, "the deployment to be served")
        children = psutil.Process(serving.pid).children(recursive=True)
        assert children, "the local Prefect server should run as a child process"

        # The dashboard is served where `docpipe serve` says.
        dashboard = log_path.read_text().split("dashboard: ")[1].split()[0]
        assert dashboard == api_url.removesuffix("api")
        with urllib.request.urlopen(dashboard, timeout=10) as page:
            assert page.status == 200 and "text/html" in page.headers["Content-Type"]
            assert "<div id=\"app\"" in page.read().decode()

        (deployment,) = _api(api_url, "/deployments/filter", {})
        assert deployment["name"] == "nightly"
        assert [s["schedule"]["interval"] for s in deployment["schedules"]] == [INTERVAL_SECONDS]
        # Every run option reaches the deployment's parameters.
        config = deployment["parameters"]["config"]
        assert config["batch_size"] == 7 and config["workers"] == 1 and config["languages"] == ["en", "es", "fr", "de"]

        def scheduled_run_completed() -> dict | None:
            runs = _api(api_url, "/flow_runs/filter", {"flow_runs": {"deployment_id": {"any_": [deployment["id"]]}}})
            done = [run for run in runs if run["auto_scheduled"] and run["state_type"] == "COMPLETED"]
            return min(done, key=lambda run: run["expected_start_time"]) if done else None

        run = _wait_for(scheduled_run_completed, SERVE_TIMEOUT, "a scheduler-created run to complete")
        assert run["state"]["message"].startswith("1 documents, 0 rejects")

        documents = ds.dataset(out / "documents", format="parquet", partitioning="hive").to_table().to_pylist()
        assert [row["source_path"] for row in documents] == [str(source / "note.txt")]
        run_rows = ds.dataset(out / "runs", format="parquet").to_table().to_pylist()
        assert run_rows and all(json.loads(row["parameters"])["batch_size"] == 7 for row in run_rows)

        artifacts = _api(api_url, "/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}, "key": {"any_": ["ingest-summary"]}}})
        assert len(artifacts) == 1 and "1 documents written" in artifacts[0]["data"]

        # What `docpipe serve` told its user, without any log reading.
        printed = _wait_for(lambda: "(scheduled) Completed" in log_path.read_text() and log_path.read_text(), 30, "the finished run's line")
        assert "next scheduled run: " in printed
        assert f"run {run['name']} (scheduled) Completed: 1 documents, 0 rejects" in printed

        assert _error_lines(prefect_home / "server.log") == []

        serving.send_signal(signal.SIGTERM)
        serving.wait(timeout=10)
        _wait_for(lambda: not any(child.is_running() and child.status() != psutil.STATUS_ZOMBIE for child in children), 5, "children to stop")
    finally:
        if serving.poll() is None:
            serving.kill()
        log.close()
