"""Check in a real headless browser that `docpipe serve`'s dashboard shows what the README says.

Starts `docpipe serve --interval 30` on a one-file corpus, waits for the first run that
Prefect's scheduler creates to complete, then renders the deployment's page in Debian's
Chromium (installed with apt-get when missing) and looks for the deployment's name, its
schedule and that run, as a user would see them. Prints what it found; exits 1 on a miss.

    .venv/bin/python scripts/check_dashboard.py
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
INTERVAL_SECONDS = 30
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium() -> str:
    found = shutil.which("chromium")
    if found:
        return found
    print("installing Debian's chromium (apt-get) ...", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("chromium") or sys.exit("chromium did not install")


def api(url: str, path: str, body: dict) -> list[dict]:
    request = urllib.request.Request(f"{url}{path}", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(1)
    sys.exit(f"timed out waiting for {what}")


def rendered_text(browser: str, url: str, profile: Path) -> str:
    """The page's visible text once its scripts have fetched from the API."""
    dom = subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=60000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120,
    ).stdout
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", dom, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)))


def main() -> int:
    browser = chromium()
    work = Path(tempfile.mkdtemp(prefix="docpipe-dashboard-"))
    (work / "in").mkdir()
    (work / "in" / "note.txt").write_text("A short note, in English, that the scheduled run will ingest.", encoding="utf-8")
    env = {**os.environ, "PREFECT_HOME": str(work / "prefect")}
    env.pop("PREFECT_API_URL", None)
    log_path = work / "serve.log"
    command = [
        sys.executable, "-m", "docpipe.cli", "serve", "--interval", str(INTERVAL_SECONDS),
        "--source", str(work / "in"), "--out", str(work / "out"), "--workers", "1",
    ]
    with log_path.open("w") as log:
        serving = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "being served" in log_path.read_text(), 240, "the deployment to be served")
        printed = log_path.read_text()
        api_url = printed.split("Prefect server on ")[1].split()[0]
        dashboard = printed.split("dashboard: ")[1].split()[0]
        (deployment,) = api(api_url, "/deployments/filter", {})

        def completed_scheduled_run() -> dict | None:
            runs = api(api_url, "/flow_runs/filter", {"flow_runs": {"deployment_id": {"any_": [deployment["id"]]}}})
            return next((r for r in runs if r["auto_scheduled"] and r["state_type"] == "COMPLETED"), None)

        run = wait_for(completed_scheduled_run, 240, "a scheduler-created run to complete")
        page = f"{dashboard}deployments/deployment/{deployment['id']}?tab=Runs"
        text = rendered_text(browser, page, work / "chromium")
        expected = {
            "deployment name": f"Deployment: {deployment['name']}",
            "schedule": f"Every {INTERVAL_SECONDS} seconds",
            "last run": f"ingest {run['name']} auto-scheduled",
            "its state": "Completed",
        }
        print(f"page: {page}")
        printed = wait_for(lambda: f"run {run['name']}" in log_path.read_text() and log_path.read_text(), 30, "the run's line")
        print("docpipe serve printed:\n  " + "\n  ".join(line for line in printed.splitlines() if line.startswith(("run ", "next ", "dashboard"))))
        missing = [what for what, needle in expected.items() if needle not in text]
        for what, needle in expected.items():
            print(f"{'ok  ' if what not in missing else 'MISS'} {what}: {needle!r}")
        print(f"rendered text (first 600 characters): {text[:600]}")
        return 1 if missing else 0
    finally:
        serving.send_signal(signal.SIGTERM)
        try:
            serving.wait(timeout=20)
        except subprocess.TimeoutExpired:
            serving.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
