"""Run the pipeline on many inputs in worker processes, each input bounded in time and memory.

A parser can hang (a PDF whose layout analysis runs away) or blow up (a decompression
bomb). In a worker process with an address-space limit, memory exhaustion becomes a
MemoryError, hence a reject; a document that outlives its time limit has its worker
killed and replaced, and becomes a reject too. Nothing a document does can stop the run.

Workers start from a forkserver by default: a process with threads (the flow's, with
Prefect's) must not fork. A single-threaded caller such as `docpipe extract` may ask for
plain fork, which spares each run a second interpreter that imports the parsers again.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import resource
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from multiprocessing.connection import Connection, wait

from docpipe.document import Document, Reject, Source, Unchanged
from docpipe.pipeline import Settings, process_path
from docpipe.readahead import READ_AHEAD, ReadAhead
from docpipe.remote import is_uri
from docpipe.sources import Locator
from docpipe.reasons import RejectReason
from docpipe.progress import report
from parsers.source_types import parser_modules

# forkserver: workers start from a clean, single-threaded process (the flow's process has
# Prefect's threads, which fork would copy in whatever state they are in).
DEFAULT_START_METHOD = "forkserver"
# The forkserver imports the stages once; each batch's workers are then forked from it ready
# to parse, instead of importing the parsers and language profiles again (~0.2 s a batch).
PRELOADED_MODULES = ["docpipe.pipeline", *parser_modules(), "docpipe.warc"]
multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOADED_MODULES)
# Workers that read remote inputs need pyarrow's filesystems too (docpipe/remote.py): 0.2 s of
# CPU for each batch's workers to import, so a forkserver started for such inputs imports them
# once. Not for local inputs: their workers would carry pyarrow's 300 MB of address space unused.
REMOTE_READER_MODULES = ["pyarrow.fs"]
_log = logging.getLogger(__name__)
# What a worker is handed: a local path, or where an input's bytes are (it reads them itself).
InputRef = str | Locator
# Each worker holds its next input in its pipe while it parses the current one: it never
# waits for this process (busy with Prefect or the Parquet files) to hand it work. Remote
# inputs, a few more: the worker fetches their bytes while it parses (docpipe/readahead.py).
_JOBS_IN_FLIGHT = 2
_REMOTE_JOBS_IN_FLIGHT = 1 + READ_AHEAD


@dataclass(frozen=True)
class Limits:
    seconds_per_document: float = 120.0
    memory_bytes: int = 4 * 1024**3  # address space of one worker process


def _worker(connection: Connection, settings: Settings, limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    # Everything inherited (the imported stages, the language profiles) lives as long as the
    # worker: without this, every full collection walks it again (3% of a 2,000-document run).
    gc.freeze()
    waiting = ReadAhead(settings.max_bytes)
    while True:
        # Every input already in the pipe joins the queue, its read begun; with none queued, wait for one.
        while not waiting or connection.poll():
            try:
                path = connection.recv()
            except EOFError:
                return
            if path is None:
                return
            waiting.add(path)
        path, read = waiting.take()
        connection.send(process_path(path, settings, read))


def start_forkserver(remote_inputs: bool = False) -> None:
    """Start the forkserver, if it is not running, so that it imports the stages while the caller does
    other start-up work; with ``remote_inputs``, it imports what reads them too. Its first start decides."""
    if remote_inputs:
        multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOADED_MODULES + REMOTE_READER_MODULES)
    multiprocessing.forkserver.ensure_running()


def default_workers() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class _Worker:
    def __init__(self, settings: Settings, limits: Limits, start_method: str) -> None:
        context = multiprocessing.get_context(start_method)
        self.start_method = start_method
        if start_method == "fork":
            # A forked child flushes the stdio buffers it inherited when it exits: output
            # still buffered here would be printed twice.
            sys.stdout.flush()
            sys.stderr.flush()
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, settings, limits), daemon=True)
        self.process.start()
        child.close()
        self.jobs: deque[tuple[int, InputRef]] = deque()  # sent and not answered yet; the first is being parsed
        self.deadline = 0.0  # when the first job's time is up

    def give(self, index: int, path: InputRef, seconds: float) -> None:
        if not self.jobs:
            self.deadline = time.monotonic() + seconds
        self.jobs.append((index, path))
        self.connection.send(path)

    def finish(self, seconds: float) -> tuple[int, InputRef]:
        """The first job is answered: the next one, already in the pipe, starts its clock now."""
        job = self.jobs.popleft()
        self.deadline = time.monotonic() + seconds
        return job

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except OSError:
                self.process.kill()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def _is_remote(path: InputRef) -> bool:
    return is_uri(Locator.of(path).location)


def _in_flight(path: InputRef) -> int:
    return _REMOTE_JOBS_IN_FLIGHT if _is_remote(path) else _JOBS_IN_FLIGHT


def _reject(path: InputRef, error_type: RejectReason, message: str) -> Reject:
    source_path = path.source_path if isinstance(path, Locator) else path
    return Reject(Source(source_path, "", 0), "parse", error_type, message, datetime.now(timezone.utc))


def run_isolated(
    paths: Sequence[InputRef], settings: Settings, workers: int, limits: Limits = Limits(), start_method: str = DEFAULT_START_METHOD
) -> list[Document | Reject | Unchanged]:
    """``process_path`` on every path in ``workers`` processes; results in input order."""
    return list(iter_isolated(paths, settings, workers, limits, start_method))


def iter_isolated(
    paths: Sequence[InputRef], settings: Settings, workers: int, limits: Limits = Limits(), start_method: str = DEFAULT_START_METHOD
) -> Iterator[Document | Reject | Unchanged]:
    """Like ``run_isolated``, but each result is yielded, in input order, as soon as it and those before it are done."""
    if not paths:
        return
    if multiprocessing.current_process().daemon:
        yield from _run_inline(paths, settings)
        return
    if start_method == "forkserver":
        start_forkserver(remote_inputs=any(map(_is_remote, paths)))
    finished: dict[int, Document | Reject | Unchanged] = {}
    next_out = 0
    queue = list(enumerate(paths))[::-1]
    seconds = limits.seconds_per_document
    pool = [_Worker(settings, limits, start_method) for _ in range(max(1, min(workers, len(paths))))]

    def refill(worker: _Worker) -> None:
        # Near the end, one job each: a job waiting behind another could run on an idle worker.
        while queue and len(worker.jobs) < (_in_flight(queue[-1][1]) if len(queue) >= len(pool) else 1):
            worker.give(*queue.pop(), seconds)

    try:
        for worker in pool:
            refill(worker)
        while any(worker.jobs for worker in pool):
            busy = [w for w in pool if w.jobs]
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = wait([w.connection for w in busy], timeout=timeout)
            for worker in busy:
                if worker.connection in ready:
                    try:
                        outcome = worker.connection.recv()
                    except (EOFError, OSError):
                        index, path = worker.jobs[0]
                        message = f"the parser process died (exit code {worker.process.exitcode})"
                        finished[index] = _reject(path, RejectReason.WORKER_CRASHED, message)
                        worker = _replace(pool, worker, queue, settings, limits)
                    else:
                        index, _ = worker.finish(seconds)
                        finished[index] = outcome
                elif time.monotonic() >= worker.deadline:
                    index, path = worker.jobs[0]
                    finished[index] = _reject(path, RejectReason.TIMEOUT, f"processing took longer than {seconds:g} s")
                    worker = _replace(pool, worker, queue, settings, limits)
                else:
                    continue
                report("done")
                refill(worker)
            # Hand results over as soon as order allows: the caller may print them, and the
            # documents need not all be held in memory at once.
            while next_out in finished:
                yield finished.pop(next_out)
                next_out += 1
    finally:
        for worker in pool:
            worker.stop(kill=bool(worker.jobs))


def _replace(pool: list[_Worker], broken: _Worker, queue: list[tuple[int, InputRef]], settings: Settings, limits: Limits) -> _Worker:
    """A fresh worker in the broken one's place; the jobs that were waiting behind the failed one go back in the queue."""
    broken.jobs.popleft()
    queue.extend(reversed(broken.jobs))
    broken.stop(kill=True)
    fresh = _Worker(settings, limits, broken.start_method)
    pool[pool.index(broken)] = fresh
    return fresh


def _run_inline(paths: Sequence[InputRef], settings: Settings) -> Iterator[Document | Reject | Unchanged]:
    # A daemonic process (a Dask worker under its nanny, by default) may not start children.
    _log.warning(
        "running %d documents without per-document time and memory limits: this process is daemonic "
        "(start Dask workers with DASK_DISTRIBUTED__WORKER__DAEMON=False to keep the limits)",
        len(paths),
    )
    for path in paths:
        yield process_path(path, settings)
        report("done")
