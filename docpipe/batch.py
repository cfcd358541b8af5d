"""Plan which inputs need work, and process them in batches: what a flow's tasks call."""

from __future__ import annotations

import hashlib
import os
import stat
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import BinaryIO

from docpipe import remote
from docpipe.catalog import KnownInputs
from docpipe.document import Document, Reject, Source
from docpipe.isolation import Limits, default_workers, run_isolated
from docpipe.pipeline import Settings
from docpipe.progress import report
from docpipe.reasons import RejectReason
from docpipe.sources import Locator, looks_like_archive, open_binary, open_stream

_HASH_CHUNK = 1024 * 1024
_HASH_THREADS = 4


@dataclass(frozen=True)
class Input:
    locator: Locator
    sha256: str | None  # None when it could not be read while planning
    size: int = 0
    problem: str | None = None  # a web archive's record planning could not read: rejected without a worker

    @property
    def path(self) -> str:
        return self.locator.source_path


@dataclass
class Plan:
    todo: list[Input] = field(default_factory=list)
    known: list[Input] = field(default_factory=list)  # already in documents or rejects: skipped
    # Web archive records that are not documents, by kind ("request", "revisit", "HTTP 404", "image/png").
    records_skipped: Counter[str] = field(default_factory=Counter)

    def batches(self, size: int) -> list[list[Input]]:
        return [self.todo[i : i + size] for i in range(0, len(self.todo), size)]


@dataclass
class BatchResult:
    documents: list[Document] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def _inputs_of(location: str) -> tuple[list[Input], Counter[str]]:
    """The inputs at ``location``, with their hashes: the file or object itself, or each record of a web archive."""
    if not remote.is_uri(location):
        try:
            if not stat.S_ISREG(os.stat(location).st_mode):  # reading a named pipe would block the run
                return [Input(Locator(location), None)], Counter()
        except OSError:
            return [Input(Locator(location), None)], Counter()
    try:
        # Read in one pass (on an object store, one request); an archive is opened again to be scanned.
        with open_stream(location) as handle:
            first = handle.read(_HASH_CHUNK)
            if looks_like_archive(first):
                with open_binary(location) as archive:
                    return _records_of(location, archive)
            digest, size = hashlib.sha256(first), len(first)
            while chunk := handle.read(_HASH_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return [Input(Locator(location), None)], Counter()
    return [Input(Locator(location), digest.hexdigest(), size)], Counter()


def _records_of(location: str, handle: BinaryIO) -> tuple[list[Input], Counter[str]]:
    from docpipe.warc import scan_archive  # warcio: only runs that read archives import it

    inputs, skipped = [], Counter()
    for record in scan_archive(handle):
        if record.skipped is not None:
            skipped[record.skipped] += 1
        else:
            inputs.append(Input(Locator(location, record.offset), record.sha256, record.size, record.problem))
    return inputs, skipped


def expand(files: Sequence[str]) -> tuple[list[Input], Counter[str]]:
    """The inputs at ``files`` in order, hashed (a web archive stands for its records), and the
    archives' records that are not documents, by kind."""
    items: list[Input] = []
    skipped: Counter[str] = Counter()
    # Reading and hashing release the GIL: a few threads keep both the disk and the cores busy.
    with ThreadPoolExecutor(max_workers=_HASH_THREADS) as pool:
        for inputs, not_documents in pool.map(_inputs_of, files):
            items += inputs
            skipped += not_documents
    return items, skipped


def plan(
    files: Sequence[str], known_of: Callable[[list[str], list[str]], KnownInputs], *, reprocess: bool = False
) -> Plan:
    """Split the inputs at ``files`` into new or changed ones and those already ingested (by content hash).

    ``known_of(hashes, paths)``
    says what the store holds of these inputs (`DatasetStore.known_inputs`).
    """
    result = Plan()
    items, result.records_skipped = expand(files)
    known = known_of([item.sha256 for item in items if item.sha256], [item.path for item in items])
    for item in items:
        if item.sha256 is None:  # unreadable: worth another try only once it can be read
            seen = item.path in known.unread_paths
        else:
            seen = item.sha256 in known.document_hashes or item.sha256 in known.reject_hashes
        (result.known if seen and not reprocess else result.todo).append(item)
    report("planned", len(result.todo))
    return result


def process_batch(
    inputs: Sequence[Input], settings: Settings, workers: int | None = None, limits: Limits = Limits()
) -> BatchResult:
    """Run the pipeline on each input in ``workers`` processes (default: all cores), each bounded by ``limits``."""
    readable = [item for item in inputs if item.problem is None]
    # Largest first: a big PDF started last would leave the other workers idle at the batch's end.
    by_size = sorted(readable, key=lambda item: item.size, reverse=True)
    outcome_of = dict(zip(by_size, run_isolated([item.locator for item in by_size], settings, workers or default_workers(), limits)))
    result = BatchResult()
    for item in inputs:
        outcome = outcome_of[item] if item.problem is None else malformed(item)
        if isinstance(outcome, Document):
            result.documents.append(outcome)
        else:
            # A killed worker cannot say what it read: the plan's hash keeps the reject
            # recognisable, so the next run does not spend the time limit on it again.
            outcome.source.sha256 = outcome.source.sha256 or item.sha256 or ""
            result.rejects.append(outcome)
    return result


def malformed(item: Input) -> Reject:
    """The reject of a record planning could not read."""
    return Reject(Source(item.path, "", 0), "read", RejectReason.MALFORMED_RECORD, item.problem or "", datetime.now(timezone.utc))
