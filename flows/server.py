"""The Prefect servers docpipe starts itself, and the processes `docpipe serve` supervises.

`docpipe ingest` runs on Prefect's embedded server: the API app alone (no UI, no background
services) on 127.0.0.1, with SQLite under `PREFECT_HOME`, for the length of the run. Prefect
would start it inside the first flow call, after importing its whole server package into
this process (about 1 s) and waiting about 3 s more for it to answer; docpipe launches the
same app the same way before Prefect is even imported, so that the server boots while the
flow's modules import and the worker processes start.

That server cannot run schedules, so `docpipe serve` needs a real one: the one
`PREFECT_API_URL` names, or a local `prefect server start` on 127.0.0.1. Each child runs in
its own process group so that stopping it also stops whatever it spawned (server workers,
flow-run processes).
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HEALTH_TIMEOUT_SECONDS = 180.0
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _local_api() -> tuple[str, str]:
    """A free port on 127.0.0.1 and the Prefect API URL a server listening there has."""
    port = str(free_port())
    return port, f"http://127.0.0.1:{port}/api"


def _die_with_parent() -> None:
    """In the child before exec: be killed when the parent dies, even by SIGKILL (Linux)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (AttributeError, OSError):
        pass  # not Linux: the parent's own exit handling stops the child


class Child:
    """A command in its own process group, stopped as a group."""

    def __init__(self, command: list[str], env: dict[str, str], log_path: Path | None = None, die_with_parent: bool = False) -> None:
        log = log_path.open("ab") if log_path else None
        try:
            self.process = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT if log else None,
                start_new_session=True, preexec_fn=_die_with_parent if die_with_parent else None,
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


class ServerFailed(RuntimeError):
    """A Prefect server docpipe started exited or never answered."""


def wait_until_healthy(server: Child, api_url: str, log_path: Path, poll_seconds: float = 0.5) -> None:
    """Return once the server at ``api_url`` answers; stop it and raise if it exits or never does."""
    deadline = time.monotonic() + HEALTH_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if not server.running():
            raise ServerFailed(f"the Prefect server exited with code {server.process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(poll_seconds)
    server.stop()
    raise ServerFailed(f"the Prefect server did not answer within {HEALTH_TIMEOUT_SECONDS:g} s; see {log_path}")


def start_local_server(prefect_home: str) -> tuple[Child, str]:
    """Start `prefect server start` on a free local port; return it once healthy, with its API URL.

    Unlike the embedded server, this one runs Prefect's services (the scheduler among them) and
    serves the dashboard at the API URL without `/api`.
    """
    port, api_url = _local_api()
    log_path = _log_path(prefect_home, "server.log")
    # The dashboard's pages call the API at PREFECT_UI_API_URL, which otherwise defaults to port 4200.
    env = {**os.environ, "PREFECT_HOME": prefect_home, "PREFECT_UI_ENABLED": "true", "PREFECT_UI_API_URL": api_url}
    env.pop("PREFECT_API_URL", None)
    server = Child([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", port], env, log_path, die_with_parent=True)
    wait_until_healthy(server, api_url, log_path)
    return server, api_url


class EmbeddedServer:
    """Prefect's embedded server for one `docpipe ingest`, launched before Prefect is imported.

    ``launch`` returns at once and points ``PREFECT_API_URL`` at the server, so that Prefect,
    imported afterwards, talks to it instead of starting one of its own; ``wait`` blocks
    until it answers. The command and environment are those of Prefect's own ephemeral mode
    (``prefect.server.api.server.SubprocessASGIServer``).
    """

    def __init__(self, prefect_home: str) -> None:
        port, self.api_url = _local_api()
        self.log_path = _log_path(prefect_home, "embedded-server.log")
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        command = [
            sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
            "--host", "127.0.0.1", "--port", port, "--log-level", "error", "--lifespan", "on",
        ]
        self.process = Child(command, env, self.log_path, die_with_parent=True)
        os.environ["PREFECT_API_URL"] = self.api_url

    @classmethod
    def launch(cls, prefect_home: str) -> EmbeddedServer | None:
        """Start one unless the user named a server (``PREFECT_API_URL``) or Prefect is already imported."""
        if os.environ.get("PREFECT_API_URL") or "prefect" in sys.modules:
            return None
        return cls(prefect_home)

    def wait(self) -> None:
        """Return once the server answers; raise ``ServerFailed`` if it exits or never does."""
        wait_until_healthy(self.process, self.api_url, self.log_path, poll_seconds=0.05)

    @contextmanager
    def session(self) -> Iterator[None]:
        """Run flows on the server without heartbeats.

        Heartbeats let a long-lived server notice a crashed flow run; this one lives and dies
        with the run, and each flow run would wait up to a second for its heartbeat thread.
        """
        from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield

    def stop(self) -> None:
        self.process.stop()
        if os.environ.get("PREFECT_API_URL") == self.api_url:
            del os.environ["PREFECT_API_URL"]


def _log_path(prefect_home: str, name: str) -> Path:
    path = Path(prefect_home) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
