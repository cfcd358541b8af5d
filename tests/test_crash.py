"""A run killed with SIGKILL while it writes leaves readable datasets, and the next run completes them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import PROJECT, dataset_snapshot, write_text_corpus
from docpipe.dataset import DatasetStore
from docpipe.schemas import SCHEMAS
from docpipe.config import RunConfig

BATCH_SIZE = 2  # small batches: many writes, so the kill lands mid-run
FILES = 120
IN_PROCESS_BATCH_SIZE = 40  # the reference and the re-run only need to be right, not slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_text_corpus(tmp_path_factory.mktemp("corpus"), FILES)


def test_sigkill_mid_write_then_rerun_equals_an_uninterrupted_run(prefect_server, corpus, tmp_path):
    from prefect.settings import PREFECT_API_URL

    from flows.ingest import ingest

    reference, crashed = tmp_path / "reference", tmp_path / "crashed"
    ingest(paths=[str(corpus)], out_dir=str(reference), config=RunConfig(batch_size=IN_PROCESS_BATCH_SIZE, workers=1))

    # The child talks to the test's server, so it pays no server start-up before writing.
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    command = [sys.executable, "-m", "docpipe.cli", "ingest", str(corpus), "--out", str(crashed), "--batch-size", str(BATCH_SIZE), "--workers", "1"]
    child = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(list(crashed.glob("documents/*/part-*.parquet"))) < 3:
        assert child.poll() is None, f"the run ended before it could be killed: {child.stderr.read().decode()[-2000:]}"
        assert time.monotonic() < deadline, "the run wrote nothing in 120 s"
        time.sleep(0.01)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL

    for dataset in SCHEMAS:  # every file a reader's glob can see is whole
        for path in (crashed / dataset).glob("**/*.parquet"):
            pq.read_table(path)
    interrupted = DatasetStore(str(crashed)).read("documents").num_rows
    assert 0 < interrupted < FILES

    ingest(paths=[str(corpus)], out_dir=str(crashed), config=RunConfig(batch_size=IN_PROCESS_BATCH_SIZE, workers=1))
    assert dataset_snapshot(crashed) == dataset_snapshot(reference)
    assert not list(crashed.rglob("_tmp-*"))
