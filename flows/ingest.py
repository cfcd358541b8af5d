"""The `ingest` flow: discover -> plan -> scan new web archives -> plan their records -> (process batch -> write batch)* -> record the run.

Planning reads no input: a new or changed web archive is scanned for its records (offsets,
payload hashes) by a task of its own, which runs on the task runner (a Dask worker, on a
cluster) and in a process of its own, and returns only where each record is.

Tasks work on batches of documents, never one document each: a task run costs ~10 ms of
orchestration here, a document a few ms to seconds. Inside a batch, documents are parsed
in worker processes (all cores by default). A document's own failure is a reject row,
never a task failure; task retries are kept for I/O that can succeed a second time.

A batch's result is cached by its inputs' paths and identities (a web archive record's: its
hash; a file's: its identity in the listing, which planning reads no bytes for), the
parameters that change the output, the digest of docpipe's own source and the versions of its
parsers: a retried or re-run flow does not parse a finished batch again (``reprocess``
refreshes the cache). A batch holding a file with no settled identity is not cached.

No ``from __future__ import annotations`` here: a served deployment loads this file by path
and validates its parameters against the flow's annotations, which must be real classes.
"""

import hashlib
import itertools
import time
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.states import Completed, State
from prefect.utilities.annotations import quote

from docpipe import __version__
from docpipe.batch import BatchResult, Input, Plan, Scan, plan, plan_records, process_batch, scan_in_worker
from docpipe.catalog import Seen, StoreBusy
from docpipe.config import RunConfig
from docpipe.dataset import DatasetStore
from docpipe.discover import CredentialInURI, Discovery, discover
from docpipe.isolation import Limits
from docpipe.pipeline import Settings, code_version, parser_versions
from docpipe.progress import report
from docpipe.reasons import RejectReason
from docpipe.summary import RunSummary

def _worth_retrying(_task: Any, _task_run: Any, state: State) -> bool:
    """I/O errors may pass; a root another run held past the lock timeout, or an input URI carrying a credential, is the run's end."""
    try:
        state.result()
    except (StoreBusy, CredentialInURI):
        return False
    except Exception:
        return True
    return True


_IO_RETRIES = {"retries": 3, "retry_delay_seconds": [1, 5, 20], "retry_condition_fn": _worth_retrying}


def _store(out_dir: str, config: RunConfig) -> DatasetStore:
    return DatasetStore(out_dir, lock_timeout=config.lock_timeout_seconds)


def batch_cache_key(_context: Any, parameters: dict[str, Any]) -> str | None:
    inputs: list[Input] = parameters["inputs"]
    settings: Settings = parameters["settings"]
    if any(i.sha256 is None and i.identity is None for i in inputs):
        return None  # what the file holds is not known before its worker reads it
    digest = hashlib.sha256()
    # Paths as well as contents: a batch's documents carry their source paths, so the same files
    # in another folder are another batch. The stored version decides whether a file is parsed.
    keys = sorted(f"{i.path}\0{i.sha256 or i.identity}\0{i.locator.stored_sha256}" for i in inputs)
    for part in (code_version(), repr(sorted(parser_versions().items())), repr(settings), *keys):
        digest.update(part.encode())
    return f"docpipe-batch-{digest.hexdigest()}"


@task(name="discover", cache_policy=NO_CACHE, **_IO_RETRIES)
def discover_task(paths: Sequence[str]) -> Discovery:
    return discover(paths)


@task(name="plan", cache_policy=NO_CACHE, **_IO_RETRIES)
def plan_task(out_dir: str, found: Discovery, config: RunConfig) -> Plan:
    store = _store(out_dir, config)
    removed = store.recover()
    if removed:
        get_run_logger().warning("removed %d files left by an interrupted run", len(removed))
    store.ensure_datasets(datetime.now(timezone.utc))
    return plan(found, store.known_inputs, reprocess=config.reprocess)


@task(name="scan-archive", cache_policy=NO_CACHE, persist_result=False, task_run_name="scan-archive-{number}", **_IO_RETRIES)
def scan_archive_task(number: int, location: str) -> Scan:
    return scan_in_worker(location)


@task(name="plan-records", cache_policy=NO_CACHE, **_IO_RETRIES)
def plan_records_task(out_dir: str, work: Plan, scans: list[Scan], config: RunConfig) -> Plan:
    return plan_records(work, scans, _store(out_dir, config).known_inputs, reprocess=config.reprocess)


@task(
    name="process-batch",
    cache_key_fn=batch_cache_key,
    persist_result=True,
    cache_expiration=timedelta(days=7),
    task_run_name="process-batch-{number}",
)
def process_batch_task(number: int, inputs: list[Input], settings: Settings, workers: int | None, limits: Limits) -> BatchResult:
    return process_batch(inputs, settings, workers, limits)


@task(name="write-batch", cache_policy=NO_CACHE, task_run_name="write-batch-{batch_id}", **_IO_RETRIES)
def write_batch_task(out_dir: str, batch_id: str, result: BatchResult, run_id: str, config: RunConfig) -> tuple[int, int]:
    return _store(out_dir, config).commit_batch(
        batch_id, result.documents, result.rejects, run_id=run_id, now=datetime.now(timezone.utc), replace=config.reprocess, seen=result.seen
    )


@task(name="record-run", cache_policy=NO_CACHE, **_IO_RETRIES)
def record_run_task(out_dir: str, row: dict, archives: dict[str, Seen], config: RunConfig) -> None:
    _store(out_dir, config).write_run(row, archives)


def _publish(summary: RunSummary) -> None:
    create_markdown_artifact(key="ingest-summary", markdown=summary.markdown(), description="docpipe ingest run")
    rows = [{"type": t, "language": lang, "documents": n} for (t, lang), n in sorted(summary.by_type_language.items())]
    rows += [{"type": "rejected", "language": reason, "documents": path} for path, _, reason in summary.rejects]
    create_table_artifact(key="ingest-counts", table=rows or [{"type": "-", "language": "-", "documents": 0}], description="documents per type and language, then rejects")


# One batch at a time: each batch already spreads its documents over all cores.
@flow(name="ingest", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=1))
def ingest(paths: list[str], out_dir: str = "output", config: RunConfig = RunConfig()) -> State:
    """Ingest files and folders into the Parquet datasets under ``out_dir``.

    The final state's message is the run's one-line summary (what `docpipe serve` prints and
    the dashboard shows); its result is the `RunSummary`.
    """
    logger = get_run_logger()
    started = datetime.now(timezone.utc)
    clock = time.monotonic()
    run_id = f"{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    settings, limits = config.settings(), config.limits()
    summary = RunSummary(run_id=run_id, out=out_dir)

    found = discover_task(paths)
    work = plan_task(out_dir, found, config)
    if work.to_scan:  # new or changed web archives (or files their names do not say what they are)
        scanning = [scan_archive_task.submit(number, location) for number, location in enumerate(work.to_scan)]
        # quote: the scans' records need no walk for futures.
        work = plan_records_task(out_dir, quote(work), quote([future.result() for future in scanning]), config)
    summary.files_seen = len(found.files)
    summary.skipped_known = work.skipped_known
    summary.skipped_other = len(found.skipped)
    summary.records_skipped = work.records_skipped
    batches = work.batches(config.batch_size)
    logger.info("%d files, %d to process in %d batches", len(found.files), len(work.todo), len(batches))

    processing = process_batch_task.with_options(refresh_cache=config.reprocess)
    # Two batches in flight: one parses while the other's rows are written. Submitting every batch
    # at once would hold each finished batch's documents in memory until the run ends.
    numbered = iter(enumerate(batches))
    internal_errors: set[str] = set()
    in_flight: dict[Any, int] = {}

    def submit_next() -> None:
        for number, inputs in itertools.islice(numbered, 1):
            in_flight[processing.submit(number, inputs, settings, config.workers, limits)] = number

    submit_next()
    submit_next()
    while in_flight:
        future = next(as_completed(list(in_flight)))
        number = in_flight.pop(future)
        submit_next()
        result = future.result()
        # quote: Prefect would otherwise walk every block of the batch looking for futures (seconds per batch).
        write_batch_task(out_dir, f"{run_id}-{number:05d}", quote(result), run_id, config)
        summary.add(result)
        internal_errors.update(reject.source.path for reject in result.rejects if reject.error_type == RejectReason.INTERNAL_ERROR)
        if future.state.name == "Cached":
            summary.batches_cached += 1
            report("done", len(batches[number]))
        del future, result

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
            "parameters": config.as_dict(),
            "docpipe_version": __version__,
            "code_version": code_version(),
        },
        work.archives_stored(internal_errors),
        config,
    )
    _publish(summary)
    return Completed(message=summary.one_line(), data=summary)
