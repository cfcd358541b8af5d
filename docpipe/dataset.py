"""Parquet datasets under one output root, written so that readers never see a half file.

Layout: ``<root>/<dataset>/ingest_date=YYYY-MM-DD/part-<batch_id>.parquet`` for documents,
blocks, abstracts and rejects, ``<root>/runs/run-<run_id>.parquet`` for runs. The Hive
partition by ingest date lets a nightly consumer read just what arrived since its last
visit, and bounds the files a compaction rewrites; the date is in the path only (the rows
carry the full ``ingested_at``/``rejected_at`` timestamp).

Commit protocol for a batch: its blocks, abstracts and rejects parts are written first and
its documents part last, each under a hidden temporary name then renamed. A batch whose
documents part is missing was cut off by a crash; ``recover()`` deletes what it left so a
re-run redoes it without duplicates. Every path goes through a pyarrow filesystem, so the
root may be any URI pyarrow reaches.
"""

from __future__ import annotations

import json
import os
import posixpath
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from docpipe.document import Document, Reject
from docpipe.records import abstract_records, block_records, document_record, reject_record
from docpipe.schemas import SCHEMAS

BATCH_DATASETS = ("blocks", "abstracts", "rejects", "documents")  # documents last: it commits
_TMP_PREFIX = "_tmp-"  # pyarrow, DuckDB globs (*.parquet) and Spark all skip these names
_JOURNAL_PREFIX = "_compaction-"
_MERGED_PARTS_KEY = b"docpipe.merged_parts"  # in a compacted documents file: the batches it holds
_ROW_GROUP_ROWS = 64 * 1024


def _json_default(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def open_root(out: str) -> tuple[pafs.FileSystem, str]:
    """A filesystem and a path in it for ``out``: a local folder or any URI pyarrow knows."""
    if "://" in out:
        return pafs.FileSystem.from_uri(out)
    return pafs.LocalFileSystem(), os.path.abspath(out)


@dataclass
class KnownInputs:
    document_hashes: set[str]
    reject_hashes: set[str]
    current_paths: dict[str, str]  # source_path -> sha256 of its current version
    unread_paths: set[str] = field(default_factory=set)  # rejected before their bytes could be read


class DatasetStore:
    def __init__(self, out: str, filesystem: pafs.FileSystem | None = None) -> None:
        if filesystem is None:
            self.fs, self.root = open_root(out)
        else:
            self.fs, self.root = filesystem, out.rstrip("/")

    def _dir(self, dataset: str) -> str:
        return f"{self.root}/{dataset}"

    def files(self, dataset: str) -> list[str]:
        """The dataset's committed Parquet files (not temporary files or journals)."""
        return sorted(
            path
            for path in self._all_files(dataset)
            if path.endswith(".parquet") and not posixpath.basename(path).startswith(_TMP_PREFIX)
        )

    def read(self, dataset: str, columns: list[str] | None = None) -> pa.Table:
        schema = SCHEMAS[dataset]
        files = self.files(dataset)
        if not files:
            return schema.empty_table() if columns is None else schema.empty_table().select(columns)
        return ds.dataset(files, schema=schema, format="parquet", filesystem=self.fs).to_table(columns=columns)

    # -- writing ---------------------------------------------------------------------------

    def _write_atomic(self, final: str, table: pa.Table) -> None:
        directory, name = posixpath.split(final)
        self.fs.create_dir(directory, recursive=True)
        temporary = f"{directory}/{_TMP_PREFIX}{uuid.uuid4().hex}-{name}"
        with self.fs.open_output_stream(temporary) as sink:
            pq.write_table(
                table,
                sink,
                compression="zstd",
                row_group_size=_ROW_GROUP_ROWS,
                write_statistics=True,
            )
        self.fs.move(temporary, final)

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
    ) -> tuple[int, int]:
        """Write one batch's rows to every dataset; return (documents, rejects) written.

        With ``replace``, rows already stored for these documents are dropped first
        (reprocessing after a parser upgrade), so no document is ever stored twice.
        """
        doc_rows, block_rows, abstract_rows = [], [], []
        for doc in documents:
            row = document_record(doc, run_id=run_id, ingested_at=now)
            row["metadata"] = json.dumps(row["metadata"], ensure_ascii=False, default=_json_default, sort_keys=True)
            doc_rows.append(row)
            for block in block_records(doc):
                block_rows.append({"doc_id": row["doc_id"], "run_id": run_id, **block})
            for abstract in abstract_records(doc):
                abstract_rows.append({"doc_id": row["doc_id"], "run_id": run_id, **abstract})
        reject_rows = [reject_record(r, run_id=run_id, rejected_at=now) for r in rejects]
        if replace:
            self._drop_inputs([row["sha256"] for row in doc_rows] + [row["sha256"] for row in reject_rows if row["sha256"]])
        current = self.known_inputs().current_paths if doc_rows else {}
        self._supersede({r["source_path"]: r["sha256"] for r in doc_rows if current.get(r["source_path"], r["sha256"]) != r["sha256"]})
        rows = {"blocks": block_rows, "abstracts": abstract_rows, "rejects": reject_rows, "documents": doc_rows}
        partition = f"ingest_date={now:%Y-%m-%d}"
        for dataset in BATCH_DATASETS:
            if rows[dataset] or dataset == "documents":
                final = f"{self._dir(dataset)}/{partition}/part-{batch_id}.parquet"
                self._write_atomic(final, self._table(dataset, rows[dataset]))
        return len(doc_rows), len(reject_rows)

    def write_run(self, row: dict[str, Any]) -> None:
        row = {**row, "parameters": json.dumps(row.get("parameters") or {}, sort_keys=True, default=_json_default)}
        self._write_atomic(f"{self._dir('runs')}/run-{row['run_id']}.parquet", self._table("runs", [row]))

    def _rewrite_files(self, dataset: str, change: Callable[[pa.Table], pa.Table | None]) -> None:
        """Replace, file by file and atomically, each file that ``change`` returns a new table for."""
        for path in self.files(dataset):
            table = pq.read_table(path, filesystem=self.fs, schema=SCHEMAS[dataset])
            changed = change(table)
            if changed is not None:
                self._write_atomic(path, changed)

    def _supersede(self, new_versions: dict[str, str]) -> None:
        """Mark current rows of these paths as no longer current, before their new versions land."""
        paths = pa.array(list(new_versions))
        hashes = pa.array(list(new_versions.values()))

        def mark_stale(table: pa.Table) -> pa.Table | None:
            stale = pc.and_(
                pc.and_(pc.is_in(table["source_path"], value_set=paths), table["is_current"]),
                pc.invert(pc.is_in(table["sha256"], value_set=hashes)),
            )
            if not pc.any(stale).as_py():
                return None
            index = table.schema.get_field_index("is_current")
            return table.set_column(index, table.schema.field(index), pc.and_(table["is_current"], pc.invert(stale)))

        if new_versions:
            self._rewrite_files("documents", mark_stale)

    def _drop_inputs(self, hashes: list[str]) -> None:
        """Remove every row stored for these inputs, so reprocessed rows replace them."""
        value_set = pa.array(hashes, type=pa.string())

        def without(key: str) -> Callable[[pa.Table], pa.Table | None]:
            def change(table: pa.Table) -> pa.Table | None:
                matches = pc.fill_null(pc.is_in(table[key], value_set=value_set), False)
                return table.filter(pc.invert(matches)) if pc.any(matches).as_py() else None

            return change

        if hashes:
            for dataset in ("documents", "blocks", "abstracts"):
                self._rewrite_files(dataset, without("doc_id"))
            self._rewrite_files("rejects", without("sha256"))

    # -- reading state ---------------------------------------------------------------------

    def known_inputs(self) -> KnownInputs:
        documents = self.read("documents", columns=["sha256", "source_path", "is_current"]).to_pylist()
        rejects = self.read("rejects", columns=["sha256", "source_path"]).to_pylist()
        return KnownInputs(
            document_hashes={row["sha256"] for row in documents},
            reject_hashes={row["sha256"] for row in rejects if row["sha256"]},
            current_paths={row["source_path"]: row["sha256"] for row in documents if row["is_current"]},
            unread_paths={row["source_path"] for row in rejects if not row["sha256"]},
        )

    def recover(self) -> list[str]:
        """Undo what a crashed run left behind; return the paths deleted.

        Temporary files and the parts of uncommitted batches go. An interrupted compaction
        is finished if its merged file landed, else abandoned.
        """
        removed = self._finish_compactions()
        committed = self._committed_parts()
        for dataset in (*BATCH_DATASETS, "runs"):
            for path in self._all_files(dataset):
                name = posixpath.basename(path)
                orphan = dataset in BATCH_DATASETS and name.startswith("part-") and name not in committed
                if name.startswith(_TMP_PREFIX) or orphan:
                    self.fs.delete_file(path)
                    removed.append(path)
        return removed

    def _committed_parts(self) -> set[str]:
        """Names of the batch parts whose documents part landed, merged since or not."""
        return self._merged_parts(self.files("documents"))

    def _all_files(self, dataset: str) -> list[str]:
        selector = pafs.FileSelector(self._dir(dataset), allow_not_found=True, recursive=True)
        return [info.path for info in self.fs.get_file_info(selector) if info.type == pafs.FileType.File]

    # -- compaction ------------------------------------------------------------------------

    def compact(self, dataset: str, min_files: int = 2) -> tuple[int, int]:
        """Merge each partition's files into one; return (files before, files after).

        A journal naming the merged file and the files it replaces is written first, so
        ``recover()`` can finish or abandon a compaction cut off half way. Readers may see
        both the merged file and its inputs for the instant between the rename and the
        deletes; they never see a half file.
        """
        before = after = 0
        by_partition: dict[str, list[str]] = {}
        for path in self.files(dataset):
            by_partition.setdefault(posixpath.dirname(path), []).append(path)
        for directory, paths in sorted(by_partition.items()):
            before += len(paths)
            after += 1 if len(paths) >= min_files else len(paths)
            if len(paths) < min_files:
                continue
            table = pa.concat_tables(pq.read_table(p, filesystem=self.fs, schema=SCHEMAS[dataset]) for p in paths)
            if dataset == "documents":  # documents parts are commit markers: keep their names
                merged = sorted(self._merged_parts(paths))
                table = table.replace_schema_metadata({**table.schema.metadata, _MERGED_PARTS_KEY: json.dumps(merged)})
            name = f"compacted-{uuid.uuid4().hex}.parquet"
            journal = f"{directory}/{_JOURNAL_PREFIX}{name}.json"
            with self.fs.open_output_stream(journal) as sink:
                sink.write(json.dumps({"merged": f"{directory}/{name}", "replaces": paths}).encode())
            self._write_atomic(f"{directory}/{name}", table)
            self._finish_compactions()
        return before, after

    def _merged_parts(self, paths: list[str]) -> set[str]:
        """The batch part names these documents files stand for, directly or through compaction."""
        names = set()
        for path in paths:
            name = posixpath.basename(path)
            if name.startswith("part-"):
                names.add(name)
            else:
                metadata = pq.read_schema(path, filesystem=self.fs).metadata or {}
                names.update(json.loads(metadata.get(_MERGED_PARTS_KEY, b"[]")))
        return names

    def _finish_compactions(self) -> list[str]:
        removed = []
        for dataset in SCHEMAS:
            for path in self._all_files(dataset):
                if not posixpath.basename(path).startswith(_JOURNAL_PREFIX):
                    continue
                with self.fs.open_input_stream(path) as source:
                    entry = json.loads(source.read())
                if self.fs.get_file_info(entry["merged"]).type == pafs.FileType.File:
                    for replaced in entry["replaces"]:
                        if self.fs.get_file_info(replaced).type == pafs.FileType.File:
                            self.fs.delete_file(replaced)
                            removed.append(replaced)
                self.fs.delete_file(path)
        return removed
