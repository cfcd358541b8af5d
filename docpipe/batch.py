"""Plan which inputs need work, and process them in batches: what a flow's tasks call."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from docpipe.catalog import KnownInputs
from docpipe.document import Document, Reject
from docpipe.isolation import Limits, default_workers, run_isolated
from docpipe.pipeline import Settings
from docpipe.progress import report

_HASH_CHUNK = 1024 * 1024
_HASH_THREADS = 4


@dataclass(frozen=True)
class Input:
    path: str
    sha256: str | None  # None when the file could not be read while planning


@dataclass
class Plan:
    todo: list[Input] = field(default_factory=list)
    known: list[Input] = field(default_factory=list)  # already in documents or rejects: skipped

    def batches(self, size: int) -> list[list[Input]]:
        return [self.todo[i : i + size] for i in range(0, len(self.todo), size)]


@dataclass
class BatchResult:
    documents: list[Document] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def file_sha256(path: str) -> str | None:
    digest = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # reading a named pipe would block the run
            return None
        with open(path, "rb") as handle:
            while chunk := handle.read(_HASH_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def plan(
    files: Sequence[str], known_of: Callable[[list[str], list[str]], KnownInputs], *, reprocess: bool = False
) -> Plan:
    """Split ``files`` into new or changed inputs and those already ingested (by content hash).

    ``known_of(hashes, paths)`` says what the store holds of these inputs (`DatasetStore.known_inputs`).
    """
    result = Plan()
    # Reading and hashing release the GIL: a few threads keep both the disk and the cores busy.
    with ThreadPoolExecutor(max_workers=_HASH_THREADS) as pool:
        hashes = list(pool.map(file_sha256, files))
    known = known_of([sha256 for sha256 in hashes if sha256], list(files))
    for path, sha256 in zip(files, hashes):
        item = Input(path, sha256)
        if item.sha256 is None:  # unreadable: worth another try only once it can be read
            seen = path in known.unread_paths
        else:
            seen = item.sha256 in known.document_hashes or item.sha256 in known.reject_hashes
        (result.known if seen and not reprocess else result.todo).append(item)
    report("planned", len(result.todo))
    return result


def process_batch(
    inputs: Sequence[Input], settings: Settings, workers: int | None = None, limits: Limits = Limits()
) -> BatchResult:
    """Run the pipeline on each input in ``workers`` processes (default: all cores), each bounded by ``limits``."""
    # Largest first: a big PDF started last would leave the other workers idle at the batch's end.
    by_size = sorted(inputs, key=_size, reverse=True)
    outcome_of = dict(zip(by_size, run_isolated([item.path for item in by_size], settings, workers or default_workers(), limits)))
    result = BatchResult()
    for item in inputs:
        outcome = outcome_of[item]
        if isinstance(outcome, Document):
            result.documents.append(outcome)
        else:
            # A killed worker cannot say what it read: the plan's hash keeps the reject
            # recognisable, so the next run does not spend the time limit on it again.
            outcome.source.sha256 = outcome.source.sha256 or item.sha256 or ""
            result.rejects.append(outcome)
    return result


def _size(item: Input) -> int:
    try:
        return os.stat(item.path).st_size
    except OSError:
        return 0
