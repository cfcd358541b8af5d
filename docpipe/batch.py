"""Plan which inputs need work, and process them in batches: what a flow's tasks call."""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from docpipe import remote
from docpipe.catalog import KnownInputs, Seen
from docpipe.discover import Discovery
from docpipe.document import Document, Reject, Source, Unchanged
from docpipe.isolation import Limits, default_workers, run_isolated
from docpipe.pipeline import Settings
from docpipe.progress import report
from docpipe.reasons import RejectReason
from docpipe.sources import ARCHIVE_EXTENSIONS, Locator, looks_like_archive, open_binary, open_stream
from parsers.source_types import DOCUMENT_EXTENSIONS

_SNIFF_BYTES = 4096
_SCAN_THREADS = 4
# Names that say what a file is: a web archive, read while planning for its records, or a
# document, read by its worker only. Other names (a file named on the command line) are sniffed.
_DOCUMENT_NAMES = tuple(sorted(DOCUMENT_EXTENSIONS))


@dataclass(frozen=True)
class Input:
    locator: Locator
    sha256: str | None  # a web archive record's, hashed while planning; None for a file: its worker hashes it
    size: int = 0
    problem: str | None = None  # a web archive's record planning could not read: rejected without a worker
    identity: str | None = None  # the file's in its listing (docpipe.identity): recorded once a worker has read it

    @property
    def path(self) -> str:
        return self.locator.source_path


@dataclass
class Plan:
    todo: list[Input] = field(default_factory=list)
    known: list[Input] = field(default_factory=list)  # already in documents or rejects: skipped
    known_records: int = 0  # records of web archives unchanged since a run stored them: skipped unlisted
    # Web archive records that are not documents, by kind ("request", "revisit", "HTTP 404", "image/png").
    records_skipped: Counter[str] = field(default_factory=Counter)
    # Web archives this run read, with their identity: recorded with the run, once all their records are stored.
    archives: dict[str, Seen] = field(default_factory=dict)

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


def _is_archive(location: str) -> bool:
    name = Locator(location).file_path.lower()
    if name.endswith(ARCHIVE_EXTENSIONS):
        return True
    if name.endswith(_DOCUMENT_NAMES) or not _regular_file(location):
        return False
    try:
        with open_stream(location) as handle:
            return looks_like_archive(handle.read(_SNIFF_BYTES))
    except OSError:  # its worker meets the same error and rejects it with the reason
        return False


def _records_of(location: str) -> tuple[list[Input], Counter[str]]:
    """Each record of the web archive at ``location``, its payload hashed, and its records that are not documents, by kind."""
    from docpipe.warc import scan_archive  # warcio: only runs that read archives import it

    inputs, skipped = [], Counter()
    try:
        with open_binary(location) as handle:
            for record in scan_archive(handle):
                if record.skipped is not None:
                    skipped[record.skipped] += 1
                else:
                    inputs.append(Input(Locator(location, record.offset), record.sha256, record.size, record.problem))
    except OSError:  # its worker meets the same error and rejects it with the reason
        return [Input(Locator(location), None)], Counter()
    return inputs, skipped


def _expand(found: Discovery, files: Sequence[str]) -> tuple[list[Input], Counter[str], dict[str, int]]:
    """`expand`, and the web archives among ``files`` with the number of their records that are inputs."""
    candidates = [file for file in files if _is_archive(file)]
    # Reading and hashing release the GIL: a few threads keep both the store and the cores busy.
    with ThreadPoolExecutor(max_workers=_SCAN_THREADS) as pool:
        scanned = dict(zip(candidates, pool.map(_records_of, candidates)))
    items: list[Input] = []
    skipped: Counter[str] = Counter()
    archives: dict[str, int] = {}
    for file in files:
        if file not in scanned:
            items.append(Input(Locator(file), None, found.sizes.get(file, 0), identity=found.identities.get(file)))
            continue
        records, not_documents = scanned[file]
        items += records
        skipped += not_documents
        if all(record.locator.record is not None for record in records):  # not an archive its store refused to open
            archives[file] = len(records)
    return items, skipped, archives


def expand(found: Discovery) -> tuple[list[Input], Counter[str]]:
    """The inputs ``found``, in order: a file stands for itself, unread, and a web archive for its
    records, hashed; and the archives' records that are not documents, by kind."""
    items, skipped, _ = _expand(found, found.files)
    return items, skipped


def plan(found: Discovery, known_of: Callable[[list[str], list[str]], KnownInputs], *, reprocess: bool = False) -> Plan:
    """Split the inputs ``found`` into new or changed ones and those already ingested, reading none but
    new or changed web archives (for their records).

    A file whose identity in the listing is the one a run stored it under is skipped unread; any
    other goes to a worker, which reads and hashes it, and skips its parsing when the bytes are
    the version already stored for its path (a file touched but not changed). Records of a
    web archive are known by their hash, as its scan gives it. ``known_of(hashes, paths)`` says
    what the store holds (`DatasetStore.known_inputs`).
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
    items, result.records_skipped, archives = _expand(found, changed)
    hashes = [seen.sha256 for seen in last.seen.values() if seen.sha256] + [item.sha256 for item in items if item.sha256]
    known = known_of(hashes, [item.path for item in items if item.locator.record is not None])
    stored, unread = known.document_hashes | known.reject_hashes, last.unread_paths | known.unread_paths

    def holds(sha256: str | None, path: str) -> bool:
        return sha256 in stored if sha256 else path in unread

    for file in unchanged:
        seen = last.seen[paths[file]]
        item = Input(Locator(file), None, found.sizes.get(file, 0), identity=seen.identity)
        (result.known if holds(seen.sha256, item.path) else result.todo).append(item)
    for item in items:
        if item.locator.record is not None or item.problem is not None:
            seen_before = holds(item.sha256, item.path)
        elif item.identity is None and not _regular_file(item.locator.location):
            seen_before = item.path in last.unread_paths  # unreadable: worth another try only once it can be read
        else:
            seen_before = False
            if not reprocess:
                item = replace(item, locator=replace(item.locator, stored_sha256=_stored_version(item.path, last, stored)))
        (result.known if seen_before and not reprocess else result.todo).append(item)
    for file, records in archives.items():
        if (listed := found.identities.get(file)) is not None:
            result.archives[paths[file]] = Seen(listed, None, records)
    report("planned", len(result.todo))
    return result


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
