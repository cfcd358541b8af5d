"""Shared fixtures. Prefect's home goes to a temporary folder before anything imports it."""

from __future__ import annotations

import atexit
import builtins
import io
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest

_PREFECT_HOME = tempfile.mkdtemp(prefix="docpipe-test-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
atexit.register(shutil.rmtree, _PREFECT_HOME, ignore_errors=True)
# The local S3 server's credentials, in the environment from the start: every process the tests
# start inherits them, the forkserver of the per-document workers too, whichever test starts it first.
S3_KEY_ID, S3_SECRET = "docpipe-test-key-id", "docpipe-test-secret"
os.environ.update({"AWS_ACCESS_KEY_ID": S3_KEY_ID, "AWS_SECRET_ACCESS_KEY": S3_SECRET, "AWS_DEFAULT_REGION": "us-east-1"})
import flows  # noqa: E402,F401  the project's Prefect settings (telemetry off, quiet logs) before the harness reads them

PROJECT = Path(__file__).resolve().parent.parent
RAW = PROJECT / "raw"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def prefect_server():
    """One embedded Prefect server for every flow test: starting one costs 10-25 s."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=None):
        yield


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """The files this process opens from now on (worker processes are processes of their own)."""
    calls: list[str] = []
    real_open = builtins.open

    def counting_open(file, *args, **kwargs):
        calls.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(io, "open", counting_open)
    return calls


S3_BUCKET = "docpipe-test"


@pytest.fixture(scope="session")
def s3_endpoint():
    """One local S3-compatible server (moto) on 127.0.0.1 for every test, with the bucket `docpipe-test`
    (credentials: S3_KEY_ID, S3_SECRET); each test module keeps to prefixes of its own."""
    from moto.s3.responses import S3Response
    from moto.server import ThreadedMotoServer

    _atomic_conditional_writes(S3Response)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    import boto3

    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket=S3_BUCKET)
    yield endpoint
    server.stop()


def _atomic_conditional_writes(response_class) -> None:
    """S3 creates an object ``If-None-Match: *`` atomically; moto checks, then writes, on
    whichever server thread the request came in on, so two writers racing for the output
    root's lock could both get it (a flaky overlap test, not a docpipe bug). One PUT at a time
    makes the test server keep S3's promise."""
    put_object = response_class.put_object
    one_at_a_time = threading.Lock()

    def atomic_put_object(self):
        with one_at_a_time:
            return put_object(self)

    response_class.put_object = atomic_put_object


def write_text_corpus(folder: Path, count: int) -> Path:
    """``count`` distinct small English text files: cheap inputs for tests about orchestration."""
    for number in range(count):
        (folder / f"note-{number:03d}.txt").write_text(
            f"Field note {number}\n\n"
            f"The committee met on day {number} to review the water supply of district {number % 17}. "
            "Members agreed that the reservoir needs new pumps before the dry season begins.\n\n"
            f"Item {number * 7}: the budget line was approved without amendment.\n",
            encoding="utf-8",
        )
    return folder


def settle() -> None:
    """Wait out the tick of the clock that stamped files written a moment ago: until then their
    identity is not settled (docpipe/identity.py), and a run reads them whatever it has stored."""
    from docpipe.identity import FINE_SECONDS

    time.sleep(FINE_SECONDS)


def s3_corpus(tmp_path: Path, endpoint: str, prefix: str, notes: int) -> str:
    """``notes`` text files, a web archive with one page and a PNG under ``prefix`` in the test bucket; the prefix's URI."""
    import boto3

    folder = tmp_path / prefix
    folder.mkdir()
    write_text_corpus(folder, notes)
    (folder / "archive.warc.gz").write_bytes((DATA / "warc" / "example.warc.gz").read_bytes())
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    client = boto3.client("s3", endpoint_url=endpoint)
    for path in sorted(folder.iterdir()):
        client.upload_file(str(path), S3_BUCKET, f"{prefix}/{path.name}")
    return f"s3://{S3_BUCKET}/{prefix}?endpoint_override={endpoint}"


def dataset_snapshot(out: Path) -> dict[str, list[tuple]]:
    """What two runs must agree on, whatever their run ids, times and file layout."""
    from docpipe.dataset import DatasetStore

    store = DatasetStore(str(out))
    documents = store.read("documents").to_pylist()
    blocks = store.read("blocks").to_pylist()
    return {
        "documents": sorted((r["sha256"], r["source_path"], r["text"], r["language"], r["is_current"]) for r in documents),
        "blocks": sorted((r["doc_id"], r["block_index"], r["kind"], r["text"], r["language"]) for r in blocks),
    }
