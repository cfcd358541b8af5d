"""`docpipe ingest` as a user runs it: on the embedded Prefect server it starts, and stops, itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from conftest import PROJECT, RAW, write_text_corpus
from docpipe.dataset import DatasetStore


@pytest.fixture(scope="module")
def user_env(tmp_path_factory) -> dict[str, str]:
    """A user's environment: no server named, Prefect's home of its own, migrated as `make run` does."""
    home = tmp_path_factory.mktemp("prefect-home")
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(home)
    subprocess.run(
        [str(Path(sys.executable).parent / "prefect"), "server", "database", "upgrade", "-y"],
        env=env, check=True, capture_output=True, timeout=300,
    )
    return env


def _servers_of(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [child for child in process.children(recursive=True) if "uvicorn" in " ".join(child.cmdline())]
    except psutil.NoSuchProcess:
        return []


def test_ingest_runs_the_flow_on_its_own_server_and_stops_it(user_env, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "docpipe.cli", "ingest", str(RAW), "--out", str(out)]
    run = subprocess.Popen(command, cwd=PROJECT, env=user_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(run.pid)
    servers: list[psutil.Process] = []
    while run.poll() is None and not servers:
        servers = _servers_of(parent)
        time.sleep(0.05)
    stdout, stderr = run.communicate(timeout=300)
    assert run.returncode == 0, stderr
    assert servers, "no embedded server was started"
    assert "documents" in stdout and "Run " in stdout
    assert DatasetStore(str(out)).read("documents").num_rows == len([p for p in RAW.iterdir() if p.is_file() and p.suffix != ".md"])
    assert "Traceback" not in stderr
    psutil.wait_procs(servers, timeout=5)
    assert not any(server.is_running() for server in servers)
    assert (Path(user_env["PREFECT_HOME"]) / "embedded-server.log").exists()


def test_a_killed_ingest_takes_its_server_with_it(user_env, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_text_corpus(corpus, 300)
    command = [sys.executable, "-m", "docpipe.cli", "ingest", str(corpus), "--out", str(tmp_path / "out"), "--batch-size", "5"]
    run = subprocess.Popen(command, cwd=PROJECT, env=user_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(run.pid)
    deadline = time.monotonic() + 120
    servers: list[psutil.Process] = []
    while not servers:
        assert run.poll() is None and time.monotonic() < deadline, "the run ended before its server could be seen"
        servers = _servers_of(parent)
        time.sleep(0.05)
    run.send_signal(signal.SIGKILL)
    run.wait()
    gone, alive = psutil.wait_procs(servers, timeout=10)
    assert not alive, f"the server outlived the killed run: {alive}"


def test_a_server_that_cannot_start_is_a_clear_error_not_a_traceback(user_env, tmp_path):
    env = {**user_env, "PREFECT_API_DATABASE_CONNECTION_URL": "sqlite+aiosqlite:////proc/no-such-folder/prefect.db"}
    command = [sys.executable, "-m", "docpipe.cli", "ingest", str(RAW), "--out", str(tmp_path / "out")]
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert "docpipe ingest: error: the Prefect server exited" in result.stderr and "embedded-server.log" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_embedded_server_is_started_the_way_prefect_starts_its_own(monkeypatch, tmp_path):
    # docpipe launches the server itself, before Prefect is imported; after a Prefect upgrade
    # this says whether Prefect's own ephemeral mode still runs the same app the same way.
    from prefect.server.api.server import SubprocessASGIServer

    from flows.server import EmbeddedServer

    launched: dict[str, tuple[list[str], dict[str, str]]] = {}

    def record(name):
        def popen(args, env=None, **kwargs):
            launched[name] = (list(args), dict(env or {}))
            raise RuntimeError("recorded")  # nothing is started

        return popen

    monkeypatch.setattr("subprocess.Popen", record("prefect"))
    server = SubprocessASGIServer(port=54321)
    with pytest.raises(RuntimeError, match="recorded"):
        server._run_uvicorn_command()
    monkeypatch.setattr("flows.server.subprocess.Popen", record("docpipe"))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with pytest.raises(RuntimeError, match="recorded"):
        EmbeddedServer(str(tmp_path))

    def normalised(args: list[str]) -> list[str]:
        if "--app-dir" in args:  # Prefect points at site-packages; docpipe's interpreter finds it anyway
            index = args.index("--app-dir")
            args = args[:index] + args[index + 2 :]
        return [arg if not arg.isdigit() else "PORT" for arg in args]

    (prefect_args, prefect_env), (docpipe_args, docpipe_env) = launched["prefect"], launched["docpipe"]
    assert normalised(docpipe_args) == normalised(prefect_args)
    for name in ("PREFECT_UI_ENABLED", "PREFECT__SERVER_EPHEMERAL", "PREFECT__SERVER_FINAL"):
        assert docpipe_env[name] == prefect_env[name], name
