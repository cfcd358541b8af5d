"""The `ingest` flow: discover -> plan -> (process batch -> write batch)* -> record the run.

Tasks work on batches of documents, never one document each: a task run costs ~10 ms of
orchestration here, a document a few ms to seconds. A document's own failure is a reject
row, never a task failure; task retries are kept for I/O that can succeed a second time.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from datetime import datetime, timezone

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact

from docpipe import __version__
from docpipe.batch import BatchResult, Input, Plan, default_workers, plan, process_batch
from docpipe.dataset import DatasetStore
from docpipe.discover import Discovery, discover
from docpipe.language import DEFAULT_LANGUAGES
from docpipe.isolation import Limits
from docpipe.pipeline import DEFAULT_MAX_BYTES, Settings
from docpipe.summary import RunSummary

DEFAULT_BATCH_SIZE = 100


@task(name="discover", retries=2, retry_delay_seconds=[1, 5])
def discover_task(paths: Sequence[str]) -> Discovery:
    return discover(paths)


@task(name="plan", retries=2, retry_delay_seconds=[1, 5])
def plan_task(out_dir: str, files: list[str], reprocess: bool) -> Plan:
    store = DatasetStore(out_dir)
    removed = store.recover()
    if removed:
        get_run_logger().warning("removed %d files left by an interrupted run", len(removed))
    return plan(files, store.known_inputs(), reprocess=reprocess)


@task(name="process-batch")
def process_batch_task(inputs: list[Input], settings: Settings, workers: int, limits: Limits) -> BatchResult:
    return process_batch(inputs, settings, workers, limits)


@task(name="write-batch", retries=3, retry_delay_seconds=[1, 5, 20])
def write_batch_task(out_dir: str, batch_id: str, result: BatchResult, run_id: str, replace: bool) -> tuple[int, int]:
    store = DatasetStore(out_dir)
    return store.commit_batch(
        batch_id, result.documents, result.rejects, run_id=run_id, now=datetime.now(timezone.utc), replace=replace
    )


@task(name="record-run", retries=2, retry_delay_seconds=[1, 5])
def record_run_task(out_dir: str, row: dict) -> None:
    DatasetStore(out_dir).write_run(row)


@flow(name="ingest", log_prints=False)
def ingest(
    paths: list[str],
    out_dir: str = "output",
    languages: list[str] = list(DEFAULT_LANGUAGES),
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int | None = None,
    reprocess: bool = False,
    timeout_seconds: float = Limits.seconds_per_document,
    max_memory_mb: int = Limits.memory_bytes // 2**20,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> RunSummary:
    """Ingest files and folders into the Parquet datasets under ``out_dir``."""
    started = datetime.now(timezone.utc)
    clock = time.monotonic()
    run_id = f"{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    settings = Settings(languages=tuple(languages), max_bytes=max_bytes)
    limits = Limits(timeout_seconds, max_memory_mb * 2**20)
    workers = workers or default_workers()
    summary = RunSummary(run_id=run_id, out=out_dir)

    found = discover_task(paths)
    work = plan_task(out_dir, found.files, reprocess)
    summary.files_seen = len(found.files)
    summary.skipped_known = len(work.known)
    summary.skipped_other = len(found.skipped)
    for number, inputs in enumerate(work.batches(batch_size)):
        result = process_batch_task(inputs, settings, workers, limits)
        write_batch_task(out_dir, f"{run_id}-{number:05d}", result, run_id, reprocess)
        summary.add(result)

    summary.seconds = time.monotonic() - clock
    record_run_task(
        out_dir,
        {
            "run_id": run_id,
            "started_at": started,
            "finished_at": datetime.now(timezone.utc),
            "sources": list(paths),
            "files_seen": summary.files_seen,
            "documents_written": summary.documents,
            "rejects_written": len(summary.rejects),
            "skipped_known": summary.skipped_known,
            "parameters": {
                "languages": list(languages),
                "batch_size": batch_size,
                "workers": workers,
                "reprocess": reprocess,
                "timeout_seconds": timeout_seconds,
                "max_memory_mb": max_memory_mb,
                "max_bytes": max_bytes,
            },
            "docpipe_version": __version__,
        },
    )
    create_markdown_artifact(key="ingest-summary", markdown=summary.markdown(), description="docpipe ingest summary")
    return summary
