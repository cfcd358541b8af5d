"""What an output root holds, by key, so that planning and committing a batch cost the batch, not the store.

The Parquet files are the data readers read; the catalog is docpipe's own index of them: which
input hashes are stored (and in which batch's files), which version of each source path is
current, which files belong to a batch, which commits are under way, which files have been
emptied and wait to be deleted, and what a run last saw of each input file or object (its
listing's identity and sha256, so that the next run skips it unread while it is unchanged).
It is a SQLite database beside the datasets (``<root>/_catalog.sqlite``: a leading
underscore, so pyarrow, pandas and Spark skip it, and it is outside every dataset's glob). Roots SQLite cannot live in (object stores, fsspec
memory) get an in-memory catalog built by scanning the datasets once per store.

`RootLock` serialises writers of one root across processes (an advisory ``flock`` on
``<root>/_lock``): the kernel drops it when its holder dies, even by SIGKILL, so a killed run
never keeps the root.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from docpipe.objectstore import S3Root

CATALOG_NAME = "_catalog.sqlite"
LOCK_NAME = "_lock"
DEFAULT_LOCK_TIMEOUT_SECONDS = 600.0
_SQL_CHUNK = 500  # keys per IN (...) query, under SQLite's variable limit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS inputs (sha256 TEXT PRIMARY KEY, kind TEXT NOT NULL, batch TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS unread (source_path TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS current (source_path TEXT PRIMARY KEY, sha256 TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS batch_files (batch TEXT NOT NULL, dataset TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (batch, dataset, path));
CREATE INDEX IF NOT EXISTS batch_files_by_path ON batch_files (path);
CREATE TABLE IF NOT EXISTS pending (commit_id TEXT PRIMARY KEY, actions TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS husks (path TEXT PRIMARY KEY, since REAL NOT NULL);
CREATE TABLE IF NOT EXISTS identities (location TEXT PRIMARY KEY, identity TEXT NOT NULL, sha256 TEXT, records INTEGER);
"""


class Seen(NamedTuple):
    """What a run last saw of a file or object: its listing's identity (docpipe.identity), and what it held."""

    identity: str
    sha256: str | None  # a file's content; "" when it could not be read; None for a web archive
    records: int | None  # a web archive's records stored as documents or rejects; None for a file


@dataclass
class KnownInputs:
    """What the store already holds of some inputs."""

    document_hashes: set[str] = field(default_factory=set)
    reject_hashes: set[str] = field(default_factory=set)
    current_paths: dict[str, str] = field(default_factory=dict)  # source_path -> sha256 of its current version
    unread_paths: set[str] = field(default_factory=set)  # rejected before their bytes could be read
    internal_hashes: set[str] = field(default_factory=set)  # rejected by a bug of docpipe's: worth another try
    seen: dict[str, Seen] = field(default_factory=dict)  # file or object -> what a run last saw of it


class StoreBusy(RuntimeError):
    """Another run held the output root for longer than the lock timeout."""


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), _SQL_CHUNK):
        yield values[start : start + _SQL_CHUNK]


class Journal(Protocol):
    """Where a catalog kept in memory shares its changes with the other writers of an object-store root."""

    def read_since(self, position: int) -> list[tuple[int, list[list[Any]]]]: ...

    def append(self, position: int, changes: list[list[Any]]) -> None: ...


class Catalog:
    """The index, in SQLite. With a journal, every transaction's changes are also appended to it and
    replayed by `sync()` in the other writers' catalogs (kept in memory where SQLite cannot live)."""

    def __init__(self, database: str, journal: Journal | None = None) -> None:
        # isolation_level=None: transactions are explicit (`transaction()`), never implicit.
        self._db = sqlite3.connect(database, timeout=60, isolation_level=None, check_same_thread=False)
        if database != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")  # readers (planning) never wait for a commit
        self._db.execute("PRAGMA cache_size = -65536")  # 64 MiB: a million documents' index pages stay in memory
        self._db.executescript(_SCHEMA)
        self._journal = journal
        self._position = 0  # the last journal entry applied
        self._changes: list[list[Any]] | None = None  # this transaction's, while journaling

    def sync(self) -> None:
        """Apply what other writers journaled since this catalog last looked (call under the root's lock)."""
        if self._journal is None:
            return
        for position, changes in self._journal.read_since(self._position):
            self._db.execute("BEGIN IMMEDIATE")
            for name, *arguments in changes:
                getattr(self, f"_{name}")(*arguments)
            self._db.execute("COMMIT")
            self._position = position

    def _journaled(self, name: str, *arguments: Any) -> None:
        if self._changes is not None:
            self._changes.append([name, *arguments])
        getattr(self, f"_{name}")(*arguments)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Changes made inside land together or not at all (in the journal too, when there is one)."""
        self._db.execute("BEGIN IMMEDIATE")
        self._changes = [] if self._journal is not None else None
        try:
            yield
            if self._journal is not None and self._changes:
                self._journal.append(self._position + 1, self._changes)
                self._position += 1
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        finally:
            self._changes = None
        self._db.execute("COMMIT")

    def is_empty(self) -> bool:
        return self._db.execute("SELECT NOT EXISTS (SELECT 1 FROM batch_files)").fetchone()[0] == 1

    # -- lookups, by key ---------------------------------------------------------------------

    def known(self, hashes: Iterable[str], paths: Iterable[str]) -> KnownInputs:
        hashes, paths = sorted(set(hashes)), sorted(set(paths))
        known = KnownInputs()
        for chunk in _chunks(hashes):
            marks = ",".join("?" * len(chunk))
            for sha256, kind in self._db.execute(f"SELECT sha256, kind FROM inputs WHERE sha256 IN ({marks})", chunk):
                {"document": known.document_hashes, "reject": known.reject_hashes, "internal": known.internal_hashes}[kind].add(sha256)
        for chunk in _chunks(paths):
            marks = ",".join("?" * len(chunk))
            known.current_paths.update(self._db.execute(f"SELECT source_path, sha256 FROM current WHERE source_path IN ({marks})", chunk))
            known.unread_paths.update(row[0] for row in self._db.execute(f"SELECT source_path FROM unread WHERE source_path IN ({marks})", chunk))
            query = f"SELECT location, identity, sha256, records FROM identities WHERE location IN ({marks})"
            known.seen.update((location, Seen(*rest)) for location, *rest in self._db.execute(query, chunk))
        return known

    def files_of(self, hashes: Iterable[str], datasets: Sequence[str]) -> dict[str, list[str]]:
        """dataset -> the files that may hold rows of these inputs."""
        found: dict[str, set[str]] = {dataset: set() for dataset in datasets}
        hashes = sorted(set(hashes))
        for chunk in _chunks(hashes):
            marks = ",".join("?" * len(chunk))
            query = f"""SELECT DISTINCT f.dataset, f.path FROM inputs i JOIN batch_files f ON f.batch = i.batch
                        WHERE i.sha256 IN ({marks})"""
            for dataset, path in self._db.execute(query, chunk):
                if dataset in found:
                    found[dataset].add(path)
        return {dataset: sorted(paths) for dataset, paths in found.items()}

    def pending(self) -> list[tuple[str, list[dict[str, Any]]]]:
        return [(commit_id, json.loads(actions)) for commit_id, actions in self._db.execute("SELECT commit_id, actions FROM pending ORDER BY rowid")]

    def husks_older_than(self, seconds: float) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT path FROM husks WHERE since < ?", (time.time() - seconds,))]

    def is_husk(self, path: str) -> bool:
        return self._db.execute("SELECT 1 FROM husks WHERE path = ?", (path,)).fetchone() is not None

    # -- changes, inside a transaction -------------------------------------------------------

    def record_batch(
        self,
        batch: str,
        files: dict[str, str],
        documents: Sequence[tuple[str, str]],  # (sha256, source_path)
        reject_hashes: Sequence[str],
        unread_paths: Sequence[str],
        internal_hashes: Sequence[str] = (),
    ) -> None:
        self._journaled(
            "record_batch", batch, files, [list(pair) for pair in documents], list(reject_hashes), list(unread_paths), list(internal_hashes)
        )

    def _record_batch(
        self,
        batch: str,
        files: dict[str, str],
        documents: Sequence[Sequence[str]],
        reject_hashes: Sequence[str],
        unread_paths: Sequence[str],
        internal_hashes: Sequence[str] = (),
    ) -> None:
        db = self._db
        db.executemany("INSERT OR REPLACE INTO batch_files VALUES (?, ?, ?)", [(batch, dataset, path) for dataset, path in files.items()])
        db.executemany("INSERT OR REPLACE INTO inputs VALUES (?, 'document', ?)", [(sha256, batch) for sha256, _ in documents])
        db.executemany("INSERT OR REPLACE INTO current VALUES (?, ?)", [(path, sha256) for sha256, path in documents])
        db.executemany("INSERT OR REPLACE INTO inputs VALUES (?, 'reject', ?)", [(sha256, batch) for sha256 in reject_hashes])
        db.executemany("INSERT OR IGNORE INTO unread VALUES (?)", [(path,) for path in unread_paths])
        db.executemany("INSERT OR REPLACE INTO inputs VALUES (?, 'internal', ?)", [(sha256, batch) for sha256 in internal_hashes])

    def record_seen(self, seen: dict[str, Seen]) -> None:
        """What this run saw of these files and objects, for the next run to compare its listing with."""
        self._journaled("record_seen", [[location, *row] for location, row in seen.items()])

    def _record_seen(self, rows: Sequence[Sequence[Any]]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO identities VALUES (?, ?, ?, ?)", [tuple(row) for row in rows])

    def record_superseded(self, batch: str, hashes: Sequence[str]) -> None:
        """Stored document versions that are no longer current."""
        self._journaled("record_superseded", batch, list(hashes))

    def _record_superseded(self, batch: str, hashes: Sequence[str]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO inputs VALUES (?, 'document', ?)", [(sha256, batch) for sha256 in hashes])

    def forget_inputs(self, hashes: Sequence[str]) -> None:
        self._journaled("forget_inputs", list(hashes))

    def _forget_inputs(self, hashes: Sequence[str]) -> None:
        self._db.executemany("DELETE FROM inputs WHERE sha256 = ?", [(sha256,) for sha256 in hashes])

    def merge_files(self, merged: str | None, replaced: Sequence[str]) -> None:
        """Rows of ``replaced`` now live in ``merged`` (None: they were all dropped); the replaced files are emptied."""
        self._journaled("merge_files", merged, list(replaced), time.time())

    def _merge_files(self, merged: str | None, replaced: Sequence[str], since: float) -> None:
        db = self._db
        for path in replaced:
            if merged is not None:
                db.execute("UPDATE OR IGNORE batch_files SET path = ? WHERE path = ?", (merged, path))
            db.execute("DELETE FROM batch_files WHERE path = ?", (path,))
        db.executemany("INSERT OR REPLACE INTO husks VALUES (?, ?)", [(path, since) for path in replaced])

    def add_pending(self, commit_id: str, actions: list[dict[str, Any]]) -> None:
        self._journaled("add_pending", commit_id, actions)

    def _add_pending(self, commit_id: str, actions: list[dict[str, Any]]) -> None:
        self._db.execute("INSERT OR REPLACE INTO pending VALUES (?, ?)", (commit_id, json.dumps(actions)))

    def done(self, commit_id: str) -> None:
        with self.transaction():
            self._journaled("done", commit_id)

    def _done(self, commit_id: str) -> None:
        self._db.execute("DELETE FROM pending WHERE commit_id = ?", (commit_id,))

    def forget_husks(self, paths: Sequence[str]) -> None:
        if paths:
            with self.transaction():
                self._journaled("forget_husks", list(paths))

    def _forget_husks(self, paths: Sequence[str]) -> None:
        self._db.executemany("DELETE FROM husks WHERE path = ?", [(path,) for path in paths])


class RootLock:
    """An exclusive lock on an output root, shared by every process that writes it.

    Re-entrant within a thread (a commit may index an old store first); threads of one process
    take turns on a lock of their own, since a ``flock`` is held by the process.
    """

    _thread_locks: dict[str, threading.RLock] = {}
    _depth: dict[str, int] = {}
    _descriptors: dict[str, int] = {}

    def __init__(
        self, lock_path: str | None, timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS, root: str = "", remote: S3Root | None = None
    ) -> None:
        self._path = lock_path  # None: not a local folder
        self._remote = remote  # an S3 root's lock object; neither: one writer process (fsspec memory, ...)
        self._timeout = timeout_seconds
        self._root = root
        self._key = lock_path or f"memory:{root}"

    def __enter__(self) -> RootLock:
        deadline = time.monotonic() + self._timeout
        thread_lock = self._thread_locks.setdefault(self._key, threading.RLock())
        if not thread_lock.acquire(timeout=self._timeout):
            raise StoreBusy(self._message())
        depth = self._depth.get(self._key, 0)
        try:
            if depth == 0 and self._path is not None:
                self._descriptors[self._key] = self._flock(deadline)
            elif depth == 0 and self._remote is not None and not self._remote.acquire(deadline):
                raise StoreBusy(self._message())
        except BaseException:
            thread_lock.release()
            raise
        self._depth[self._key] = depth + 1
        return self

    def _flock(self, deadline: float) -> int:
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise StoreBusy(self._message()) from None
                time.sleep(0.02)

    def __exit__(self, *_: object) -> None:
        self._depth[self._key] -= 1
        if self._depth[self._key] == 0 and self._key in self._descriptors:
            fd = self._descriptors.pop(self._key)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        elif self._depth[self._key] == 0 and self._remote is not None:
            self._remote.release()
        self._thread_locks[self._key].release()

    def _message(self) -> str:
        return f"another docpipe run has held the output root {self._root} for over {self._timeout:g} s; try again later"
