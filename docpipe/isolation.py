"""Run the pipeline on many inputs in worker processes, each input bounded in time and memory.

A parser can hang (a PDF whose layout analysis runs away) or blow up (a decompression
bomb). In a worker process with an address-space limit, memory exhaustion becomes a
MemoryError, hence a reject; a document that outlives its time limit has its worker
killed and replaced, and becomes a reject too. Nothing a document does can stop the run.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from multiprocessing.connection import Connection, wait

from docpipe.document import Document, Reject, Source
from docpipe.pipeline import Settings, process_path
from docpipe.progress import report

# forkserver: workers start from a clean, single-threaded process (the flow's process has
# Prefect's threads, which fork would copy in whatever state they are in).
_CONTEXT = multiprocessing.get_context("forkserver")
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    seconds_per_document: float = 120.0
    memory_bytes: int = 4 * 1024**3  # address space of one worker process


def _worker(connection: Connection, settings: Settings, limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    while True:
        try:
            path = connection.recv()
        except EOFError:
            return
        if path is None:
            return
        connection.send(process_path(path, settings))


class _Worker:
    def __init__(self, settings: Settings, limits: Limits) -> None:
        self.connection, child = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_worker, args=(child, settings, limits), daemon=True)
        self.process.start()
        child.close()
        self.job: tuple[int, str] | None = None
        self.deadline = 0.0

    def give(self, index: int, path: str, seconds: float) -> None:
        self.job = (index, path)
        self.deadline = time.monotonic() + seconds
        self.connection.send(path)

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


def _reject(path: str, error_type: str, message: str) -> Reject:
    return Reject(Source(path, "", 0), "parse", error_type, message, datetime.now(timezone.utc))


def run_isolated(paths: Sequence[str], settings: Settings, workers: int, limits: Limits = Limits()) -> list[Document | Reject]:
    """``process_path`` on every path in ``workers`` processes; results in input order."""
    if multiprocessing.current_process().daemon:
        return _run_inline(paths, settings)
    results: list[Document | Reject | None] = [None] * len(paths)
    queue = list(enumerate(paths))[::-1]
    pool = [_Worker(settings, limits) for _ in range(max(1, min(workers, len(paths))))]
    try:
        for worker in pool:
            if queue:
                worker.give(*queue.pop(), limits.seconds_per_document)
        while any(worker.job for worker in pool):
            busy = [w for w in pool if w.job]
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = wait([w.connection for w in busy], timeout=timeout)
            for worker in busy:
                index, path = worker.job
                if worker.connection in ready:
                    try:
                        results[index] = worker.connection.recv()
                    except (EOFError, OSError):
                        code = worker.process.exitcode
                        results[index] = _reject(path, "worker_crashed", f"the parser process died (exit code {code})")
                        worker = _replace(pool, worker, settings, limits)
                elif time.monotonic() >= worker.deadline:
                    results[index] = _reject(path, "timeout", f"processing took longer than {limits.seconds_per_document:g} s")
                    worker = _replace(pool, worker, settings, limits)
                else:
                    continue
                report("done")
                worker.job = None
                if queue:
                    worker.give(*queue.pop(), limits.seconds_per_document)
    finally:
        for worker in pool:
            worker.stop(kill=worker.job is not None)
    return [r for r in results if r is not None]


def _replace(pool: list[_Worker], broken: _Worker, settings: Settings, limits: Limits) -> _Worker:
    broken.stop(kill=True)
    fresh = _Worker(settings, limits)
    pool[pool.index(broken)] = fresh
    return fresh


def _run_inline(paths: Sequence[str], settings: Settings) -> list[Document | Reject]:
    # A daemonic process (a Dask worker under its nanny, by default) may not start children.
    _log.warning(
        "running %d documents without per-document time and memory limits: this process is daemonic "
        "(start Dask workers with DASK_DISTRIBUTED__WORKER__DAEMON=False to keep the limits)",
        len(paths),
    )
    results = []
    for path in paths:
        results.append(process_path(path, settings))
        report("done")
    return results
