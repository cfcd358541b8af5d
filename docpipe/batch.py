"""Plan which inputs need work, and process them in batches: what a flow's tasks call."""

from __future__ import annotations

import multiprocessing
import os
import stat
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from docpipe import remote
from docpipe.catalog import KnownInputs, Seen
from docpipe.discover import Discovery
from docpipe.document import Document, Reject, Source, Unchanged
from docpipe.isolation import DEFAULT_START_METHOD, Limits, default_workers, run_isolated
from docpipe.pipeline import Settings
from docpipe.progress import report
from docpipe.reasons import RejectReason
from docpipe.sources import ARCHIVE_EXTENSIONS, Locator, looks_like_archive, open_binary, open_stream
from parsers.source_types import DOCUMENT_EXTENSIONS

_SNIFF_BYTES = 4096
# Names that say what a file is: a web archive, scanned for its records, or a document, read by
# its worker only. Other names (a file named on the command line) are sniffed by their scan.
_DOCUMENT_NAMES = tuple(sorted(DOCUMENT_EXTENSIONS))


@dataclass(frozen=True)
class Input:
    locator: Locator
    sha256: str | None  # a web archive record's, hashed by its archive's scan; None for a file: its worker hashes it
    problem: str | None = None  # a web archive's record its scan could not read: rejected without parsing
    identity: str | None = None  # the file's in its listing (docpipe.identity): recorded once a worker has read it

    @property
    def path(self) -> str:
        return self.locator.source_path

    @property
    def size(self) -> int:
        return self.locator.size


@dataclass
class Plan:
    todo: list[Input] = field(default_factory=list)
    known: list[Input] = field(default_factory=list)  # already in documents or rejects: skipped
    known_records: int = 0  # records of web archives unchanged since a run stored them: skipped unlisted
    # Web archive records that are not documents, by kind ("request", "revisit", "HTTP 404", "image/png").
    records_skipped: Counter[str] = field(default_factory=Counter)
    # Web archives this run read, with their identity: recorded with the run, once all their records are stored.
    archives: dict[str, Seen] = field(default_factory=dict)
    # New or changed web archives, and files whose name does not say what they are, to be scanned by a
    # worker (`scan_in_worker`) before `plan_records`: each with the input it is if it is no archive.
    to_scan: dict[str, Input] = field(default_factory=dict)

    @property
    def skipped_known(self) -> int:
        return len(self.known) + self.known_records

    def archives_stored(self, internal_errors: set[str]) -> dict[str, Seen]:
        """The web archives this run read, less those with a record a bug of docpipe's rejected (among the
        ``internal_errors`` paths): the next run reads those again, to try the record again."""
        retried = {item.locator.file_path for item in self.todo if item.locator.record is not None and item.path in internal_errors}
        return {path: seen for path, seen in self.archives.items() if path not in retried}

    def batches(self, size: int) -> list[list[Input]]:
        return [self.todo[i : i + size] for i in range(0, len(self.todo), size)]


@dataclass
class Scan:
    """What a worker's scan of a web archive gives planning: no document bytes, only where each record is."""

    location: str
    records: list[Input] | None  # None: no web archive after all, or one that could not be opened: an input of its own
    skipped: Counter[str] = field(default_factory=Counter)  # its records that are not documents, by kind


@dataclass
class BatchResult:
    documents: list[Document] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    unchanged: int = 0  # inputs whose bytes were a version already stored: nothing written
    seen: dict[str, Seen] = field(default_factory=dict)  # what the workers read of the files with an identity


def _regular_file(location: str) -> bool:
    """A remote object, or a local regular file: one that may be opened without blocking the run on a pipe."""
    if remote.is_uri(location):
        return True
    try:
        return stat.S_ISREG(os.stat(location).st_mode)
    except OSError:
        return False


def _maybe_archive(location: str) -> bool:
    """An archive by its name, or a file whose name does not say what it is: its scan sniffs its bytes."""
    name = Locator(location).file_path.lower()
    return name.endswith(ARCHIVE_EXTENSIONS) or (not name.endswith(_DOCUMENT_NAMES) and _regular_file(location))


def scan(location: str) -> Scan:
    """The records of the web archive at ``location``, each payload hashed, reading it once, a record at a
    time; a file that is no archive (by its first bytes), or that cannot be opened, has ``records`` None."""
    from docpipe.warc import is_one_gzip_stream, scan_archive  # warcio: only runs that read archives import it

    records, skipped = [], Counter()
    try:
        if not Locator(location).file_path.lower().endswith(ARCHIVE_EXTENSIONS):
            with open_stream(location) as handle:
                if not looks_like_archive(handle.read(_SNIFF_BYTES)):
                    return Scan(location, None)
        with open_binary(location) as handle:
            one_stream = is_one_gzip_stream(handle)
            for record in scan_archive(handle, one_stream):
                if record.skipped is not None:
                    skipped[record.skipped] += 1
                else:
                    records.append(Input(Locator(location, record.offset, one_stream, size=record.size), record.sha256, record.problem))
    except OSError:  # its worker meets the same error and rejects it with the reason
        return Scan(location, None)
    return Scan(location, records, skipped)


def scan_in_worker(location: str) -> Scan:
    """`scan` in a process of its own, so that the caller (the flow's process) reads none of the archive's bytes."""
    if multiprocessing.current_process().daemon:  # a daemonic Dask worker may not start children: it is a worker already
        return scan(location)
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(DEFAULT_START_METHOD)) as pool:
        return pool.submit(scan, location).result()


def expand(found: Discovery) -> tuple[list[Input], Counter[str]]:
    """The inputs ``found``, in order, scanned in this process: a file stands for itself, unread, and a
    web archive for its records, hashed; and the archives' records that are not documents, by kind."""
    items: list[Input] = []
    skipped: Counter[str] = Counter()
    for file in found.files:
        scanned = scan(file) if _maybe_archive(file) else Scan(file, None)
        items += scanned.records if scanned.records is not None else [Input(Locator(file, size=found.sizes.get(file, 0)), None)]
        skipped += scanned.skipped
    return items, skipped


def plan(found: Discovery, known_of: Callable[[list[str], list[str]], KnownInputs], *, reprocess: bool = False) -> Plan:
    """Split the inputs ``found`` into new or changed ones and those already ingested, reading none.

    A file whose identity in the listing is the one a run stored it under is skipped unread; any
    other goes to a worker, which reads and hashes it, and skips its parsing when the bytes are
    the version already stored for its path (a file touched but not changed). A new or changed
    web archive (or a file whose name does not say what it is) goes to `Plan.to_scan`: its
    records are planned by `plan_records` once a worker has scanned it (`scan_in_worker`).
    ``known_of(hashes, paths)`` says what the store holds (`DatasetStore.known_inputs`).
    """
    result = Plan()
    paths = {file: Locator(file).source_path for file in found.files}
    last = known_of([], list(paths.values()))
    unchanged, changed = [], []
    for file, path in paths.items():
        seen = last.seen.get(path)
        listed = found.identities.get(file)
        if reprocess or listed is None or seen is None or seen.identity != listed:
            changed.append(file)
        elif seen.records is not None:  # a web archive unchanged since a run stored all its records
            result.known_records += seen.records
        else:
            unchanged.append(file)
    known = known_of([seen.sha256 for seen in last.seen.values() if seen.sha256], [])
    stored, unread = known.document_hashes | known.reject_hashes, last.unread_paths
    for file in unchanged:
        seen = last.seen[paths[file]]
        item = Input(Locator(file, size=found.sizes.get(file, 0)), None, identity=seen.identity)
        known_before = seen.sha256 in stored if seen.sha256 else item.path in unread
        (result.known if known_before else result.todo).append(item)
    for file in changed:
        item = Input(Locator(file, size=found.sizes.get(file, 0)), None, identity=found.identities.get(file))
        if item.identity is None and not _regular_file(file):
            # unreadable (its worker rejects it): worth another try only once it can be read
            (result.known if item.path in unread and not reprocess else result.todo).append(item)
            continue
        if not reprocess:
            item = replace(item, locator=replace(item.locator, stored_sha256=_stored_version(item.path, last, stored)))
        if _maybe_archive(file):
            result.to_scan[file] = item
        else:
            result.todo.append(item)
    report("planned", len(result.todo))
    return result


def plan_records(
    work: Plan, scans: Sequence[Scan], known_of: Callable[[list[str], list[str]], KnownInputs], *, reprocess: bool = False
) -> Plan:
    """``work`` with the records of the archives it had to scan planned: those whose hash the store holds
    are known, the rest to do; a scanned file that is no archive is an input of its own."""
    records = [record for scanned in scans for record in scanned.records or ()]
    known = known_of([record.sha256 for record in records if record.sha256], [record.path for record in records])
    stored = known.document_hashes | known.reject_hashes
    for scanned in scans:
        if scanned.records is None:
            work.todo.append(work.to_scan[scanned.location])
            continue
        for record in scanned.records:
            seen_before = record.sha256 in stored if record.sha256 else record.path in known.unread_paths
            (work.known if seen_before and not reprocess else work.todo).append(record)
        work.records_skipped += scanned.skipped
        if (listed := work.to_scan[scanned.location].identity) is not None:
            work.archives[Locator(scanned.location).source_path] = Seen(listed, None, len(scanned.records))
    work.to_scan = {}
    report("planned", len(work.todo))
    return work


def _stored_version(path: str, last: KnownInputs, stored: set[str]) -> str | None:
    """The hash of what the store holds for the file at ``path``: bytes hashing to it need no parsing."""
    seen = last.seen.get(path)
    if seen is not None and seen.sha256 in stored:
        return seen.sha256
    return last.current_paths.get(path)


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
        if isinstance(outcome, Unchanged):
            result.unchanged += 1
        elif isinstance(outcome, Document):
            result.documents.append(outcome)
        else:
            # A killed worker cannot say what it read: the plan's hash keeps a record's reject
            # recognisable, and a file's identity its own, so the next run does not spend the
            # time limit on it again.
            outcome.source.sha256 = outcome.source.sha256 or item.sha256 or ""
            result.rejects.append(outcome)
        if item.identity is not None:
            result.seen[item.path] = Seen(item.identity, outcome.source.sha256, None)
    return result


def malformed(item: Input) -> Reject:
    """The reject of a record planning could not read."""
    return Reject(Source(item.path, "", 0), "read", RejectReason.MALFORMED_RECORD, item.problem or "", datetime.now(timezone.utc))
