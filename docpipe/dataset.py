"""Parquet datasets under one output root that stay right under concurrent runs, readers and crashes.

Layout: ``<root>/<dataset>/ingest_date=YYYY-MM-DD/part-<batch_id>.parquet`` for documents,
blocks, abstracts and rejects, ``<root>/runs/run-<run_id>.parquet`` for runs. Beside them,
docpipe's own bookkeeping, all under names starting with ``_`` and outside every dataset
folder, so that no reader (pyarrow, pandas, Spark, DuckDB or Polars over
``<dataset>/**/*.parquet``) ever sees it: ``_catalog.sqlite`` (the index, see
`docpipe.catalog`), ``_lock`` and ``_staging/`` (files being written).

Every change to the datasets happens under the root's lock, as a commit:
1. the new files are written whole into ``_staging/<commit>/``;
2. one catalog transaction records the commit's effect (inputs, current versions, files) and
   the list of file actions still to do (a pending commit);
3. the actions run: rows superseded or replaced are taken out first (an `is_current` bit
   cleared in place, or the file's other rows written to a new file and the old one emptied in
   place, see `docpipe.inplace`), and only then do new files move into the datasets, each by
   one rename (one atomic PUT on an object store); a reader thus never sees a row twice, at
   worst misses one for an instant, and no file changes under a reader mid-read;
4. the pending record is deleted.
A process killed anywhere leaves either nothing the catalog knows of (its staging is deleted
by the next writer) or a pending commit that the next writer rolls forward: the actions are
idempotent. Emptied files stay as valid zero-row files for a grace period, because a reader
may have listed them a moment before; later writers delete them.

A commit only looks up the keys of its own batch and rewrites only the files holding rows of
the documents it supersedes or replaces, so its cost does not grow with the store.
"""

from __future__ import annotations

import json
import os
import posixpath
import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from docpipe.catalog import CATALOG_NAME, DEFAULT_LOCK_TIMEOUT_SECONDS, LOCK_NAME, Catalog, KnownInputs, RootLock, Seen
from docpipe.document import Document, Reject
from docpipe.inplace import FLAG_COLUMN, clear_flags, empty_in_place, flag_write_options, has_flag_layout
from docpipe.objectstore import S3Root
from docpipe.reasons import RejectReason
from docpipe.records import abstract_records, block_records, document_record, reject_record
from docpipe.schemas import SCHEMAS

BATCH_DATASETS = ("blocks", "abstracts", "rejects", "documents")
_KEY_COLUMN = {"documents": "doc_id", "blocks": "doc_id", "abstracts": "doc_id", "rejects": "sha256"}
_STAGING = "_staging"
_LEGACY_TEMPORARY_PREFIXES = ("_tmp-", "_compaction-")  # written by docpipe before the catalog
HUSK_GRACE_SECONDS = 600.0
COMPACTED_FILE_BYTES = 128 * 2**20  # a reader lists a dataset's files and opens them within this time
_ROW_GROUP_ROWS = 64 * 1024
_MEMORY_CATALOGS: dict[str, Catalog] = {}


def _json_default(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _stale_rows(table: pa.Table, versions: dict[str, str]) -> pa.ChunkedArray:
    """Current rows of these source paths that are not their new version."""
    return pc.and_(
        pc.and_(pc.is_in(table["source_path"], value_set=pa.array(list(versions))), table[FLAG_COLUMN]),
        pc.invert(pc.is_in(table["sha256"], value_set=pa.array(list(versions.values())))),
    )


def _stale(versions: dict[str, str]) -> Callable[[pa.Table], pa.Table]:
    def change(table: pa.Table) -> pa.Table:
        index = table.schema.get_field_index(FLAG_COLUMN)
        return table.set_column(index, table.schema.field(index), pc.and_(table[FLAG_COLUMN], pc.invert(_stale_rows(table, versions))))

    return change


def _without(key: str, hashes: list[str]) -> Callable[[pa.Table], pa.Table]:
    def change(table: pa.Table) -> pa.Table:
        return table.filter(pc.invert(pc.fill_null(pc.is_in(table[key], value_set=pa.array(hashes, type=pa.string())), False)))

    return change


def _already_stored(reject_row: dict[str, Any], stored: set[str], unread_paths: set[str]) -> bool:
    if reject_row["sha256"]:
        return reject_row["sha256"] in stored
    return reject_row["source_path"] in unread_paths


def open_root(out: str) -> tuple[pafs.FileSystem, str]:
    """A filesystem and a path in it for ``out``: a local folder or any URI pyarrow knows."""
    if "://" in out:
        return pafs.FileSystem.from_uri(out)
    return pafs.LocalFileSystem(), os.path.abspath(out)


class DatasetStore:
    def __init__(self, out: str, filesystem: pafs.FileSystem | None = None, lock_timeout: float = DEFAULT_LOCK_TIMEOUT_SECONDS) -> None:
        if filesystem is None:
            self.fs, self.root = open_root(out)
        else:
            self.fs, self.root = filesystem, out.rstrip("/")
        # SQLite and flock need a local folder. Other roots keep the catalog in memory: on S3 it is shared
        # through a journal under a lock object; elsewhere (fsspec memory, ...) one writer process at a time.
        self._local = isinstance(self.fs, pafs.LocalFileSystem)
        self._s3 = S3Root(out) if filesystem is None and isinstance(self.fs, pafs.S3FileSystem) else None
        self._lock_timeout = lock_timeout
        self._catalog: Catalog | None = None

    def _dir(self, dataset: str) -> str:
        return f"{self.root}/{dataset}"

    # -- reading ---------------------------------------------------------------------------

    def files(self, dataset: str) -> list[str]:
        """The dataset's Parquet files."""
        return sorted(
            path for path in self._all_files(dataset) if path.endswith(".parquet") and not posixpath.basename(path).startswith("_")
        )

    def read(self, dataset: str, columns: list[str] | None = None) -> pa.Table:
        schema = SCHEMAS[dataset]
        files = self.files(dataset)
        if not files:
            return schema.empty_table() if columns is None else schema.empty_table().select(columns)
        return ds.dataset(files, schema=schema, format="parquet", filesystem=self.fs).to_table(columns=columns)

    def known_inputs(self, hashes: Iterable[str], paths: Iterable[str]) -> KnownInputs:
        """What the store holds of these inputs: a lookup by key, whatever the store's size."""
        return self.catalog.known(hashes, paths)

    def _all_files(self, dataset: str) -> list[str]:
        selector = pafs.FileSelector(self._dir(dataset), allow_not_found=True, recursive=True)
        return [info.path for info in self.fs.get_file_info(selector) if info.type == pafs.FileType.File]

    def _exists(self, path: str) -> bool:
        return self.fs.get_file_info(path).type == pafs.FileType.File

    # -- the catalog and the lock ------------------------------------------------------------

    @property
    def catalog(self) -> Catalog:
        if self._catalog is not None:
            return self._catalog
        if self._local:
            self.fs.create_dir(self.root, recursive=True)
            self._catalog = Catalog(f"{self.root}/{CATALOG_NAME}")
        else:
            key = f"{type(self.fs).__name__}:{self.root}"
            if key not in _MEMORY_CATALOGS:
                _MEMORY_CATALOGS[key] = Catalog(":memory:", journal=self._s3)
            self._catalog = _MEMORY_CATALOGS[key]
        with self.lock():
            self._catalog.sync()
            if self._catalog.is_empty() and any(self.files(dataset) for dataset in BATCH_DATASETS):
                self._index_existing_files()
        return self._catalog

    def lock(self) -> RootLock:
        if self._local:
            self.fs.create_dir(self.root, recursive=True)
        return RootLock(f"{self.root}/{LOCK_NAME}" if self._local else None, self._lock_timeout, self.root, remote=self._s3)

    def _index_existing_files(self) -> None:
        """Fill an empty catalog from the datasets (a store written before the catalog, or an object store).

        Rows are grouped by partition folder, since older files do not say which batch wrote them.
        """
        with self.catalog.transaction():
            for dataset in BATCH_DATASETS:
                for path in self.files(dataset):
                    batch = f"scan:{posixpath.relpath(posixpath.dirname(path), self._dir(dataset))}"
                    self.catalog.record_batch(batch, {dataset: path}, [], [], [])
                    if dataset == "documents":
                        rows = pq.read_table(path, filesystem=self.fs, columns=["sha256", "source_path", "is_current"]).to_pylist()
                        self.catalog.record_batch(batch, {}, [(r["sha256"], r["source_path"]) for r in rows if r["is_current"]], [], [])
                        self.catalog.record_superseded(batch, [r["sha256"] for r in rows if not r["is_current"]])
                    elif dataset == "rejects":
                        rows = pq.read_table(path, filesystem=self.fs, columns=["sha256", "source_path"]).to_pylist()
                        self.catalog.record_batch(batch, {}, [], [r["sha256"] for r in rows if r["sha256"]], [r["source_path"] for r in rows if not r["sha256"]])

    # -- writing ---------------------------------------------------------------------------

    def _write(self, path: str, table: pa.Table) -> None:
        self.fs.create_dir(posixpath.dirname(path), recursive=True)
        if FLAG_COLUMN in table.column_names:
            options = {**flag_write_options(table.column_names, "zstd"), "max_rows_per_page": _ROW_GROUP_ROWS}
        else:
            options = {"compression": "zstd", "write_statistics": True}
        with self.fs.open_output_stream(path) as sink:
            pq.write_table(table, sink, row_group_size=_ROW_GROUP_ROWS, **options)

    def _stage(self, commit_id: str, name: str, table: pa.Table) -> str:
        staged = f"{self.root}/{_STAGING}/{commit_id}/{name}"
        self._write(staged, table)
        return staged

    def _table(self, dataset: str, rows: list[dict[str, Any]]) -> pa.Table:
        return pa.Table.from_pylist(rows, schema=SCHEMAS[dataset])

    def commit_batch(
        self,
        batch_id: str,
        documents: Iterable[Document],
        rejects: Iterable[Reject],
        *,
        run_id: str,
        now: datetime,
        replace: bool = False,
        seen: dict[str, Seen] | None = None,
    ) -> tuple[int, int]:
        """Add one batch's rows to every dataset, and what its workers read of its files (``seen``, for the
        next run to skip them unread while unchanged); return (documents, rejects) written.

        Inputs another run stored since this one planned are left out, so concurrent runs
        store each input once. With ``replace``, the rows already stored for these inputs are
        dropped first (reprocessing after a parser upgrade), so no document is stored twice.
        """
        documents = [(doc, document_record(doc, run_id=run_id, ingested_at=now)) for doc in documents]
        reject_rows = [reject_record(reject, run_id=run_id, rejected_at=now) for reject in rejects]
        with self.lock():
            self._roll_forward()
            rows = [row for _, row in documents] + reject_rows
            known = self.catalog.known([row["sha256"] for row in rows if row["sha256"]], [row["source_path"] for row in rows])
            stored = known.document_hashes | known.reject_hashes
            hashes = {row["sha256"] for row in rows if row["sha256"]}
            # An input a bug of docpipe's rejected is tried again by every run, its old reject replaced.
            replaced = sorted(hashes & (stored | known.internal_hashes) if replace else hashes & known.internal_hashes)
            if not replace:
                documents = [(doc, row) for doc, row in documents if row["sha256"] not in stored]
                reject_rows = [row for row in reject_rows if not _already_stored(row, stored, known.unread_paths)]
            doc_rows = [row for _, row in documents]
            actions, replacements = self._change_actions(batch_id, replaced, doc_rows, known.current_paths)

            tables = self._batch_tables(documents, reject_rows, run_id)
            partition = f"ingest_date={now:%Y-%m-%d}"
            files = {}
            for dataset in BATCH_DATASETS:
                if tables[dataset].num_rows or dataset == "documents":
                    final = f"{self._dir(dataset)}/{partition}/part-{batch_id}.parquet"
                    actions.append({"op": "move", "from": self._stage(batch_id, f"{dataset}.parquet", tables[dataset]), "to": final})
                    files[dataset] = final
            with self.catalog.transaction():
                self.catalog.forget_inputs(replaced)
                for old, new in replacements:
                    self.catalog.merge_files(new, [old])
                internal = [row["sha256"] for row in reject_rows if row["sha256"] and row["error_type"] == RejectReason.INTERNAL_ERROR]
                self.catalog.record_batch(
                    batch_id, files, [(row["sha256"], row["source_path"]) for row in doc_rows],
                    [row["sha256"] for row in reject_rows if row["sha256"] and row["sha256"] not in internal],
                    [row["source_path"] for row in reject_rows if not row["sha256"]], internal,
                )
                if seen:
                    self.catalog.record_seen(seen)
                self.catalog.add_pending(batch_id, actions)
            self._finish(batch_id, actions)
        return len(doc_rows), len(reject_rows)

    def _batch_tables(self, documents: list[tuple[Document, dict[str, Any]]], reject_rows: list[dict[str, Any]], run_id: str) -> dict[str, pa.Table]:
        doc_rows, block_rows, abstract_rows = [], [], []
        for doc, row in documents:
            doc_rows.append({**row, "metadata": json.dumps(row["metadata"], ensure_ascii=False, default=_json_default, sort_keys=True)})
            block_rows += [{"doc_id": row["doc_id"], "run_id": run_id, **block} for block in block_records(doc)]
            abstract_rows += [{"doc_id": row["doc_id"], "run_id": run_id, **abstract} for abstract in abstract_records(doc)]
        return {
            "documents": self._table("documents", doc_rows),
            "blocks": self._table("blocks", block_rows),
            "abstracts": self._table("abstracts", abstract_rows),
            "rejects": self._table("rejects", reject_rows),
        }

    def _change_actions(
        self, commit_id: str, replaced: list[str], doc_rows: list[dict[str, Any]], current: dict[str, str]
    ) -> tuple[list[dict[str, Any]], list[tuple[str, str | None]]]:
        """What stored files must change before a batch lands: its replaced inputs' rows dropped, and the
        current rows of the paths it brings new versions of marked stale. Returns the actions and the
        (file, file that takes its rows) replacements for the catalog.

        A stale mark is a bit cleared in place where the file allows it; any other change writes the
        file's remaining rows to a new file and empties the old one in place (first, so that a reader
        may miss those rows for an instant, never see them twice).
        """
        changes: dict[str, list[Callable[[pa.Table], pa.Table]]] = {}
        if replaced:
            for dataset, paths in self.catalog.files_of(replaced, BATCH_DATASETS).items():
                for path in paths:
                    changes.setdefault(path, []).append(_without(_KEY_COLUMN[dataset], replaced))
        new_versions = {row["source_path"]: row["sha256"] for row in doc_rows if current.get(row["source_path"], row["sha256"]) != row["sha256"]}
        actions: list[dict[str, Any]] = []
        if new_versions:
            for path in self.catalog.files_of([current[path] for path in new_versions], ["documents"])["documents"]:
                if path not in changes and self._local and has_flag_layout(path):
                    actions.append({"op": "stale", "path": path, "versions": new_versions})
                else:
                    changes.setdefault(path, []).append(_stale(new_versions))
        replacements: list[tuple[str, str | None]] = []
        for number, (path, steps) in enumerate(sorted(changes.items())):
            if not self._exists(path):
                continue
            dataset = posixpath.relpath(path, self.root).split("/", 1)[0]
            table = pq.read_table(path, filesystem=self.fs, schema=SCHEMAS[dataset])
            changed = table
            for step in steps:
                changed = step(changed)
            if changed.equals(table):
                continue
            actions.append({"op": "husk", "path": path})
            new = None
            if changed.num_rows:
                new = f"{posixpath.dirname(path)}/part-{commit_id}-{number:03d}.parquet"
                actions.append({"op": "move", "from": self._stage(commit_id, f"rewrite-{number:03d}.parquet", changed), "to": new})
            replacements.append((path, new))
        return actions, replacements

    def write_run(self, row: dict[str, Any], archives: dict[str, Seen] | None = None) -> None:
        """Record a run, and the web archives it read, now that all their records are stored (``archives``)."""
        row = {**row, "parameters": json.dumps(row.get("parameters") or {}, sort_keys=True, default=_json_default)}
        commit_id = f"run-{row['run_id']}"
        with self.lock():
            self._roll_forward()
            staged = self._stage(commit_id, "runs.parquet", self._table("runs", [row]))
            actions = [{"op": "move", "from": staged, "to": f"{self._dir('runs')}/run-{row['run_id']}.parquet"}]
            with self.catalog.transaction():
                if archives:
                    self.catalog.record_seen(archives)
                self.catalog.add_pending(commit_id, actions)
            self._finish(commit_id, actions)

    def ensure_datasets(self, now: datetime) -> None:
        """Give every dataset a (possibly empty) file, so that any reader can open it from the first run."""
        missing = [dataset for dataset in SCHEMAS if not self.files(dataset)]
        if not missing:
            return
        with self.lock():
            self._roll_forward()
            commit_id = f"empty-{uuid.uuid4().hex}"
            missing = [dataset for dataset in missing if not self.files(dataset)]
            actions = []
            for dataset in missing:
                directory = self._dir(dataset) if dataset == "runs" else f"{self._dir(dataset)}/ingest_date={now:%Y-%m-%d}"
                staged = self._stage(commit_id, f"{dataset}.parquet", SCHEMAS[dataset].empty_table())
                actions.append({"op": "move", "from": staged, "to": f"{directory}/part-empty.parquet"})
            with self.catalog.transaction():
                self.catalog.record_batch(commit_id, {dataset: action["to"] for dataset, action in zip(missing, actions)}, [], [], [])
                self.catalog.add_pending(commit_id, actions)
            self._finish(commit_id, actions)

    # -- carrying out a commit ---------------------------------------------------------------

    def _finish(self, commit_id: str, actions: list[dict[str, Any]]) -> None:
        for action in actions:
            self._apply(commit_id, action)
        self.catalog.done(commit_id)
        self._delete_dir(f"{self.root}/{_STAGING}/{commit_id}")

    def _apply(self, commit_id: str, action: dict[str, Any]) -> None:
        """Carry out one action; doing it twice is the same as doing it once."""
        op = action["op"]
        if op == "move":
            if self._exists(action["from"]):
                self.fs.create_dir(posixpath.dirname(action["to"]), recursive=True)
                self.fs.move(action["from"], action["to"])
        elif op == "husk":
            self._empty(commit_id, action["path"])
        elif op == "stale":
            self._mark_stale(action["path"], action["versions"])
        else:
            raise ValueError(f"unknown store action {op!r}")

    def _mark_stale(self, path: str, versions: dict[str, str]) -> None:
        """Clear `is_current`, in place, on the rows of these paths that are not their new version."""
        if not self._exists(path):
            return
        table = pq.read_table(path, filesystem=self.fs, columns=["source_path", "sha256", FLAG_COLUMN])
        rows = pc.indices_nonzero(_stale_rows(table, versions)).to_pylist()
        if rows and not clear_flags(path, rows):
            raise RuntimeError(f"{path} lost the layout that lets is_current change in place")

    def _empty(self, commit_id: str, path: str) -> None:
        """Leave ``path`` with no rows: in place on a local disk, else by writing an empty file over it."""
        if not self._exists(path) or (self._local and empty_in_place(path)):
            return
        dataset = posixpath.relpath(path, self.root).split("/", 1)[0]
        if pq.read_metadata(path, filesystem=self.fs).num_rows:
            self.fs.move(self._stage(commit_id, f"empty-{uuid.uuid4().hex}.parquet", SCHEMAS[dataset].empty_table()), path)

    def _delete_dir(self, path: str) -> None:
        if self.fs.get_file_info(path).type == pafs.FileType.Directory:
            self.fs.delete_dir(path)

    def _roll_forward(self) -> list[str]:
        """Under the lock: catch up with other writers, finish commits a dead writer left pending, drop what it staged.

        Returns what was deleted.
        """
        self.catalog.sync()
        for commit_id, actions in self.catalog.pending():
            self._finish(commit_id, actions)
        removed = []
        staging = pafs.FileSelector(f"{self.root}/{_STAGING}", allow_not_found=True, recursive=True)
        for info in self.fs.get_file_info(staging):
            if info.type == pafs.FileType.File:
                removed.append(info.path)
        self._delete_dir(f"{self.root}/{_STAGING}")
        return removed

    def recover(self) -> list[str]:
        """Undo what crashed runs left behind and delete emptied files past their grace period; return the paths deleted."""
        with self.lock():
            removed = self._roll_forward()
            for dataset in SCHEMAS:
                for path in self._all_files(dataset):
                    if posixpath.basename(path).startswith(_LEGACY_TEMPORARY_PREFIXES):
                        self.fs.delete_file(path)
                        removed.append(path)
            husks = self.catalog.husks_older_than(HUSK_GRACE_SECONDS)
            for path in husks:
                if self._exists(path):
                    self.fs.delete_file(path)
                    removed.append(path)
            self.catalog.forget_husks(husks)
        return removed

    # -- compaction ------------------------------------------------------------------------

    def compact(self, dataset: str, min_files: int = 2) -> tuple[int, int]:
        """Merge each partition's files into files of up to ~128 MiB; return (files before, files after).

        The cap keeps a later `is_current` flip from rewriting more than one such file. Merged
        rows take the name of their group's first file; the others are emptied first, so a
        reader may miss their rows for an instant but never sees a row twice.
        """
        before = after = 0
        with self.lock():
            self._roll_forward()
            by_partition: dict[str, list[str]] = {}
            for path in self.files(dataset):
                if not self.catalog.is_husk(path):
                    by_partition.setdefault(posixpath.dirname(path), []).append(path)
            for directory, paths in sorted(by_partition.items()):
                before += len(paths)
                for group in self._size_groups(paths):
                    after += 1 if len(group) >= min_files else len(group)
                    if len(group) >= min_files:
                        self._merge(dataset, group)
        return before, after

    def _size_groups(self, paths: list[str]) -> list[list[str]]:
        groups: list[list[str]] = [[]]
        size = 0
        for info in self.fs.get_file_info(paths):
            if groups[-1] and size + info.size > COMPACTED_FILE_BYTES:
                groups.append([])
                size = 0
            groups[-1].append(info.path)
            size += info.size
        return groups

    def _merge(self, dataset: str, paths: list[str]) -> None:
        commit_id = f"compact-{uuid.uuid4().hex}"
        merged = pa.concat_tables(pq.read_table(p, filesystem=self.fs, schema=SCHEMAS[dataset]) for p in paths)
        target = f"{posixpath.dirname(paths[0])}/part-{commit_id}.parquet"
        actions = [{"op": "husk", "path": path} for path in paths]
        actions.append({"op": "move", "from": self._stage(commit_id, "merged.parquet", merged), "to": target})
        with self.catalog.transaction():
            self.catalog.merge_files(target, paths)
            self.catalog.add_pending(commit_id, actions)
        self._finish(commit_id, actions)
