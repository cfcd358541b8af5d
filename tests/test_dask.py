"""The ingest flow on a two-process Dask LocalCluster writes what a single-process run writes."""

from __future__ import annotations

import dask
from distributed import LocalCluster

from conftest import dataset_snapshot, write_text_corpus
from docpipe.cli import main
from docpipe.config import RunConfig


def test_flow_on_a_local_dask_cluster_equals_the_single_process_run(prefect_server, tmp_path, monkeypatch):
    from prefect.settings import PREFECT_API_URL

    from flows.dask import on_dask_cluster
    from flows.ingest import ingest

    (tmp_path / "corpus").mkdir()
    corpus = write_text_corpus(tmp_path / "corpus", 24)
    single, distributed = tmp_path / "single", tmp_path / "dask"
    ingest(paths=[str(corpus)], out_dir=str(single), config=RunConfig(batch_size=4, workers=1))

    # Workers inherit the environment at start: they report task runs to the test's server.
    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    with dask.config.set({"distributed.worker.daemon": False}):
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            summary = on_dask_cluster(ingest, cluster.scheduler_address)(
                paths=[str(corpus)], out_dir=str(distributed), config=RunConfig(batch_size=4, workers=1)
            )
    assert summary.documents == 24
    assert dataset_snapshot(distributed) == dataset_snapshot(single)


def test_a_dask_run_without_a_prefect_server_is_a_usage_error(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    (tmp_path / "a.txt").write_text("A short note about water.\n")
    assert main(["ingest", str(tmp_path), "--out", str(tmp_path / "out"), "--dask-address", "tcp://127.0.0.1:1"]) == 2
    assert "PREFECT_API_URL" in capsys.readouterr().err
