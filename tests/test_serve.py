"""`docpipe serve` on a local Prefect server it starts itself: schedule, a triggered run, clean stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import psutil

from conftest import PROJECT

SERVE_TIMEOUT = 240


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


def test_serve_schedules_runs_on_demand_and_stops_cleanly_on_sigterm(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "note.txt").write_text("A short note, in English, that the served flow will ingest.", encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    env.pop("PREFECT_API_URL", None)
    log = (tmp_path / "serve.log").open("w+")
    serving = subprocess.Popen(
        [sys.executable, "-m", "docpipe.cli", "serve", "--cron", "0 2 * * *", "--source", str(source), "--out", str(out), "--workers", "1"],
        cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    try:
        def served() -> str | None:
            text = (tmp_path / "serve.log").read_text()
            assert serving.poll() is None, text
            return "being served" in text and text.split("Prefect server on ")[1].split()[0]

        api_url = _wait_for(served, SERVE_TIMEOUT, "the deployment to be served")
        children = psutil.Process(serving.pid).children(recursive=True)
        assert children, "the local Prefect server should run as a child process"

        (deployment,) = _api(api_url, "/deployments/filter", {})
        assert deployment["name"] == "nightly"
        assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["0 2 * * *"]

        run_env = {**env, "PREFECT_API_URL": api_url}
        triggered = subprocess.run(
            [sys.executable, "-m", "prefect", "deployment", "run", "ingest/nightly"],
            env=run_env, capture_output=True, text=True, timeout=120,
        )
        assert triggered.returncode == 0, triggered.stderr
        _wait_for(lambda: list(out.glob("documents/*/*.parquet")) and list(out.glob("runs/*.parquet")), 180, "the triggered run's datasets")

        serving.send_signal(signal.SIGTERM)
        serving.wait(timeout=10)
        _wait_for(lambda: not any(child.is_running() and child.status() != psutil.STATUS_ZOMBIE for child in children), 5, "children to stop")
    finally:
        if serving.poll() is None:
            serving.kill()
        log.close()
