"""The ingest flow on a two-process Dask LocalCluster, reading its inputs from S3 and writing to S3
(a local S3-compatible server), writes what a single-process run writes."""

from __future__ import annotations

import dask
from distributed import LocalCluster

from conftest import S3_BUCKET, dataset_snapshot, s3_corpus
from docpipe.cli import main
from docpipe.config import RunConfig


def test_flow_on_a_local_dask_cluster_reading_and_writing_s3_equals_the_single_process_run(prefect_server, s3_endpoint, tmp_path, monkeypatch):
    from prefect.settings import PREFECT_API_URL

    from flows.dask import on_dask_cluster
    from flows.ingest import ingest

    uri = s3_corpus(tmp_path, s3_endpoint, "cluster", 11)  # 11 notes and an archive with one page, in S3
    single = tmp_path / "single"
    config = RunConfig(batch_size=3, workers=1)
    ingest(paths=[uri], out_dir=str(single), config=config)
    out = f"s3://{S3_BUCKET}/cluster-out?endpoint_override={s3_endpoint}"
    # Workers inherit the environment at start: the test's Prefect server and the S3 credentials.
    # Each reads the objects of its batches itself; the flow's process hands it only their URIs.
    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    with dask.config.set({"distributed.worker.daemon": False}):
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            summary = on_dask_cluster(ingest, cluster.scheduler_address)(paths=[uri], out_dir=out, config=config)
    assert summary.documents == 12
    assert dataset_snapshot(out) == dataset_snapshot(single)


def test_a_dask_run_without_a_prefect_server_is_a_usage_error(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    (tmp_path / "a.txt").write_text("A short note about water.\n")
    assert main(["ingest", str(tmp_path), "--out", str(tmp_path / "out"), "--dask-address", "tcp://127.0.0.1:1"]) == 2
    assert "PREFECT_API_URL" in capsys.readouterr().err
