"""Processes `docpipe serve` supervises: a local Prefect server and the serving process.

The embedded (ephemeral) server that `docpipe ingest` uses cannot run schedules, so
`docpipe serve` needs a real one: the one `PREFECT_API_URL` names, or a local one on
127.0.0.1 (SQLite under `PREFECT_HOME`). Each child runs in its own process group so that
stopping it also stops whatever it spawned (server workers, flow-run processes).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HEALTH_TIMEOUT_SECONDS = 180.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Child:
    """A command in its own process group, stopped as a group."""

    def __init__(self, command: list[str], env: dict[str, str], log_path: Path | None = None) -> None:
        log = log_path.open("ab") if log_path else None
        try:
            self.process = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT if log else None,
                start_new_session=True,
            )
        finally:
            if log:
                log.close()

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, first_signal: int = signal.SIGTERM, grace_seconds: float = 5.0) -> None:
        """Ask the group to stop, then kill it: nothing it started is left behind."""
        group = self.process.pid  # the leader of its own session and group
        try:
            os.killpg(group, first_signal)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()


def start_local_server(prefect_home: str) -> tuple[Child, str]:
    """Start `prefect server start` on a free local port; return it once healthy, with its API URL."""
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    log_path = Path(prefect_home) / "server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": prefect_home}
    env.pop("PREFECT_API_URL", None)
    server = Child([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)], env, log_path)
    deadline = time.monotonic() + HEALTH_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if not server.running():
            raise RuntimeError(f"the Prefect server exited with code {server.process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
                if response.status == 200:
                    return server, api_url
        except OSError:
            time.sleep(0.5)
    server.stop()
    raise TimeoutError(f"the Prefect server did not answer within {HEALTH_TIMEOUT_SECONDS:g} s; see {log_path}")
