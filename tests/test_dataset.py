"""The dataset store on its own: schemas on disk, commit protocol, superseding, recovery."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path
from uuid import uuid4

import duckdb
import pyarrow.parquet as pq
import pytest

from docpipe.dataset import DatasetStore
from docpipe.document import Abstract, Block, BlockKind, Document, Metadata, Reject, Source, SourceType
from docpipe.schemas import SCHEMA_VERSION, SCHEMAS

NOW = datetime(2026, 11, 25, 4, 0, tzinfo=timezone.utc)


def _doc(path: str, sha: str, text: str = "Body text.") -> Document:
    return Document(
        source=Source(path, sha, 123, SourceType.TEXT, "utf-8"),
        blocks=[
            Block(BlockKind.HEADING, "Title", level=1, language="en", language_prob=0.99),
            Block(BlockKind.PARAGRAPH, text, language="en", language_prob=0.98),
            Block(BlockKind.PARAGRAPH, "Resumen del texto.", language="es", attrs={"abstract": "es"}),
        ],
        metadata=Metadata(title="Title", authors=["Ann Author"], published_date="2004-10-01", isbn="1-894992-13-X"),
        abstracts={"es": Abstract("es", "RESUMEN", "Resumen del texto.")},
        language="en",
        languages={"en": 0.8, "es": 0.2},
    )


def _reject(path: str) -> Reject:
    return Reject(Source(path, hashlib.sha256(path.encode()).hexdigest(), 5), "parse", "corrupt_pdf", "no xref", NOW)


@pytest.fixture
def store(tmp_path):
    return DatasetStore(str(tmp_path / "out"))


def test_rows_land_with_the_declared_schema(store):
    assert store.commit_batch("b1", [_doc("a.txt", "a" * 64)], [_reject("bad.pdf")], run_id="r1", now=NOW) == (1, 1)
    for name in ("documents", "blocks", "abstracts", "rejects"):
        (path,) = store.files(name)
        stored = pq.read_schema(path)
        assert stored.remove_metadata() == SCHEMAS[name].remove_metadata(), name
        assert stored.metadata[b"docpipe.schema_version"].decode() == SCHEMA_VERSION
        assert b"pandas" not in stored.metadata
    row = store.read("documents").to_pylist()[0]
    assert row["text"] == "Title\n\nBody text."  # the abstract block is not body
    assert row["abstract_es"] == "Resumen del texto." and row["abstract_en"] is None
    assert str(row["published_day"]) == "2004-10-01"
    assert store.read("blocks").num_rows == 3


def test_duckdb_reads_the_documents_with_the_declared_types(store):
    store.commit_batch("b1", [_doc("a.txt", "a" * 64)], [], run_id="r1", now=NOW)
    types = dict(duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{store.root}/documents/**/*.parquet')").fetchall()[i][:2] for i in range(len(SCHEMAS["documents"])))
    assert types["authors"] == "VARCHAR[]"
    assert types["ingested_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["published_day"] == "DATE"
    assert types["word_count"] == "BIGINT"
    assert types["is_current"] == "BOOLEAN"


def test_a_new_version_of_a_path_supersedes_the_old_one(store):
    store.commit_batch("b1", [_doc("a.txt", "a" * 64), _doc("b.txt", "b" * 64)], [], run_id="r1", now=NOW)
    store.commit_batch("b2", [_doc("a.txt", "c" * 64, "Changed.")], [], run_id="r2", now=NOW)
    rows = store.read("documents", columns=["source_path", "sha256", "is_current"]).to_pylist()
    current = {(r["source_path"], r["sha256"]) for r in rows if r["is_current"]}
    assert current == {("a.txt", "c" * 64), ("b.txt", "b" * 64)}
    assert len(rows) == 3
    assert store.known_inputs([], ["a.txt", "b.txt"]).current_paths == {"a.txt": "c" * 64, "b.txt": "b" * 64}


def test_recover_deletes_what_a_dead_commit_staged_and_legacy_temporary_files(store):
    store.commit_batch("b1", [_doc("a.txt", "a" * 64)], [], run_id="r1", now=NOW)
    # A writer killed while staging batch b2: its files are outside the datasets, unknown to the catalog.
    store._stage("b2", "documents.parquet", store.read("documents"))
    with store.fs.open_output_stream(f"{store.root}/blocks/ingest_date=2026-11-25/_tmp-123-part-b3.parquet") as sink:
        sink.write(b"PAR1 half a file")  # what docpipe wrote before the catalog
    removed = store.recover()
    assert sorted(p.rsplit("/", 1)[1] for p in removed) == ["_tmp-123-part-b3.parquet", "documents.parquet"]
    assert store.read("documents").column("doc_id").to_pylist() == ["a" * 64]
    assert not (Path(store.root) / "_staging").exists()


def test_a_commit_cut_off_after_its_catalog_transaction_is_rolled_forward(store, monkeypatch):
    store.commit_batch("b1", [_doc("a.txt", "a" * 64)], [], run_id="r1", now=NOW)
    apply = DatasetStore._apply
    moves = []

    def die_after_the_first_move(self, commit_id, action):
        if action["op"] == "move" and moves:
            raise KeyboardInterrupt("killed")
        moves.append(action)
        apply(self, commit_id, action)

    monkeypatch.setattr(DatasetStore, "_apply", die_after_the_first_move)
    with pytest.raises(KeyboardInterrupt):
        store.commit_batch("b2", [_doc("a.txt", "c" * 64, "Changed."), _doc("b.txt", "b" * 64)], [], run_id="r2", now=NOW)
    monkeypatch.setattr(DatasetStore, "_apply", apply)
    assert store.read("documents").num_rows == 1  # the documents part of b2 never moved in
    store.recover()
    rows = store.read("documents", columns=["source_path", "sha256", "is_current"]).to_pylist()
    assert sorted((r["source_path"], r["sha256"][0], r["is_current"]) for r in rows) == [("a.txt", "a", False), ("a.txt", "c", True), ("b.txt", "b", True)]
    assert store.read("blocks").num_rows == 9


def test_a_batch_stores_only_inputs_no_other_run_stored_since_it_planned(store):
    assert store.commit_batch("b1", [_doc("a.txt", "a" * 64)], [_reject("bad.pdf")], run_id="r1", now=NOW) == (1, 1)
    assert store.commit_batch("b2", [_doc("a.txt", "a" * 64), _doc("b.txt", "b" * 64)], [_reject("bad.pdf")], run_id="r2", now=NOW) == (1, 0)
    assert sorted(store.read("documents").column("source_path").to_pylist()) == ["a.txt", "b.txt"]
    assert store.read("blocks").num_rows == 6 and store.read("rejects").num_rows == 1


def test_every_dataset_exists_with_its_schema_before_anything_is_written(store):
    store.ensure_datasets(NOW)
    for name, schema in SCHEMAS.items():
        (path,) = store.files(name)
        assert pq.read_schema(path).equals(schema, check_metadata=False) and pq.read_metadata(path).num_rows == 0


def test_replacing_a_document_keeps_one_copy_of_its_rows(store):
    store.commit_batch("b1", [_doc("a.txt", "a" * 64), _doc("b.txt", "b" * 64)], [], run_id="r1", now=NOW)
    store.commit_batch("b2", [_doc("a.txt", "a" * 64, "Reparsed.")], [], run_id="r2", now=NOW, replace=True)
    documents = store.read("documents").to_pylist()
    assert sorted(r["source_path"] for r in documents) == ["a.txt", "b.txt"]
    assert all(r["is_current"] for r in documents)
    assert "Reparsed." in next(r["text"] for r in documents if r["source_path"] == "a.txt")
    assert store.read("blocks").num_rows == 6
    assert store.read("abstracts").num_rows == 2


def test_compaction_keeps_rows_and_content(store, monkeypatch):
    for number in range(4):
        store.commit_batch(f"b{number}", [_doc(f"{number}.txt", str(number) * 64)], [_reject(f"bad{number}.pdf")], run_id="r", now=NOW)
    before = {name: store.read(name).sort_by([(store.read(name).column_names[0], "ascending")]) for name in ("documents", "blocks", "rejects")}
    for name in before:
        assert store.compact(name) == (4, 1)
        after = store.read(name).sort_by([(before[name].column_names[0], "ascending")])
        assert after.equals(before[name])
    # The emptied files stay while a reader may still open them, then go.
    assert store.recover() == [] and len(store.files("documents")) == 5  # four emptied, one merged
    assert sum(pq.read_metadata(path).num_rows == 0 for path in store.files("documents")) == 4
    monkeypatch.setattr("docpipe.dataset.HUSK_GRACE_SECONDS", -1)
    assert len(store.recover()) == 12
    assert all(len(store.files(name)) == 1 for name in before)
    # A compacted store still knows where every input's rows are: superseding and replacing work.
    store.commit_batch("b9", [_doc("0.txt", "9" * 64, "New.")], [], run_id="r", now=NOW)
    store.commit_batch("b10", [_doc("1.txt", "1" * 64, "Reparsed.")], [], run_id="r", now=NOW, replace=True)
    rows = store.read("documents").to_pylist()
    assert sorted((r["source_path"], r["is_current"]) for r in rows) == [("0.txt", False), ("0.txt", True), ("1.txt", True), ("2.txt", True), ("3.txt", True)]
    assert "Reparsed." in next(r["text"] for r in rows if r["source_path"] == "1.txt")


def test_an_interrupted_compaction_is_finished_by_recover(store, monkeypatch):
    for number in range(3):
        store.commit_batch(f"b{number}", [_doc(f"{number}.txt", str(number) * 64)], [], run_id="r", now=NOW)
    rows = store.read("blocks").num_rows
    apply = DatasetStore._apply

    def die_before_the_merged_file_moves_in(self, commit_id, action):
        if action["op"] == "move":
            raise KeyboardInterrupt("killed")
        apply(self, commit_id, action)

    monkeypatch.setattr(DatasetStore, "_apply", die_before_the_merged_file_moves_in)
    with pytest.raises(KeyboardInterrupt):
        store.compact("blocks")
    monkeypatch.setattr(DatasetStore, "_apply", apply)
    assert store.read("blocks").num_rows < rows  # emptied first: a reader misses rows, never sees them twice
    store.recover()
    assert store.read("blocks").num_rows == rows


@pytest.mark.parametrize("kind", ["fsspec-memory", "subtree"])
def test_the_store_works_on_any_pyarrow_filesystem(kind, tmp_path):
    import fsspec
    import pyarrow.fs as pafs

    if kind == "fsspec-memory":
        filesystem, root = pafs.PyFileSystem(pafs.FSSpecHandler(fsspec.filesystem("memory"))), f"/docpipe-{uuid4().hex}"
    else:
        filesystem, root = pafs.SubTreeFileSystem(str(tmp_path), pafs.LocalFileSystem()), "out"
    store = DatasetStore(root, filesystem=filesystem)
    store.commit_batch("b1", [_doc("a.txt", "a" * 64)], [_reject("bad.pdf")], run_id="r1", now=NOW)
    store.commit_batch("b2", [_doc("a.txt", "c" * 64)], [], run_id="r2", now=NOW)
    store.write_run({"run_id": "r2", "started_at": NOW, "finished_at": NOW, "sources": ["x"], "files_seen": 1,
                     "documents_written": 1, "rejects_written": 0, "skipped_known": 0, "docpipe_version": "t"})
    assert store.compact("documents") == (2, 1)
    assert store.recover() == []
    assert store.known_inputs([], ["a.txt"]).current_paths == {"a.txt": "c" * 64}
    assert store.read("runs").num_rows == 1 and store.read("rejects").num_rows == 1


def test_duckdb_polars_and_pandas_read_every_dataset(store):
    import pandas as pd
    import polars as pl

    store.commit_batch("b1", [_doc("a.txt", "a" * 64), _doc("b.txt", "b" * 64)], [_reject("bad.pdf")], run_id="r1", now=NOW)
    store.write_run({"run_id": "r1", "started_at": NOW, "finished_at": NOW, "sources": ["x"], "files_seen": 3,
                     "documents_written": 2, "rejects_written": 1, "skipped_known": 0, "docpipe_version": "t"})
    for name, schema in SCHEMAS.items():
        expected = store.read(name).num_rows
        assert expected > 0
        glob = f"{store.root}/{name}/**/*.parquet"
        assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob}')").fetchall()[0][0] == expected
        frame = pl.read_parquet(glob)
        assert frame.height == expected and frame.columns[: len(schema)] == schema.names
        pandas_frame = pd.read_parquet(f"{store.root}/{name}")
        assert len(pandas_frame) == expected and set(schema.names) <= set(pandas_frame.columns)


def test_stats_print_counts_per_type_and_language_the_runs_and_the_rejects_with_their_reasons(store):
    from rich.console import Console

    from docpipe.stats import print_stats

    store.commit_batch("b1", [_doc("a.txt", "a" * 64), _doc("b.txt", "b" * 64)], [_reject("bad.pdf")], run_id="r1", now=NOW)
    store.write_run({
        "run_id": "20261125T040000Z-0a1b2c3d", "started_at": NOW, "finished_at": NOW, "sources": ["raw"], "files_seen": 3,
        "documents_written": 2, "rejects_written": 1, "skipped_known": 0, "parameters": {}, "docpipe_version": "0.1.0",
    })
    console = Console(record=True, width=200)
    print_stats(store, console)
    lines = [" ".join(line.replace("│", " ").split()) for line in console.export_text().splitlines()]
    assert "current documents: 2 (0 superseded versions kept)" in lines
    assert "text en 2" in lines
    assert any(line.startswith("20261125T040000Z-0a1b2c3d 2026-11-25 04:00:00 0.0 3 2 1 0") for line in lines)
    assert "bad.pdf parse corrupt_pdf no xref" in lines


def test_superseding_clears_the_old_rows_flag_in_place_without_rewriting_the_file(store):
    store.commit_batch("b1", [_doc("a.txt", "a" * 64), _doc("b.txt", "b" * 64)], [], run_id="r1", now=NOW)
    (old_file,) = store.files("documents")
    before = Path(old_file).read_bytes()
    inode = Path(old_file).stat().st_ino
    store.commit_batch("b2", [_doc("a.txt", "c" * 64, "Changed.")], [], run_id="r2", now=NOW)
    after = Path(old_file).read_bytes()
    assert Path(old_file).stat().st_ino == inode and len(after) == len(before)
    assert sum(x != y for x, y in zip(before, after)) == 1  # one byte: the bit of a.txt's old row
    assert pq.read_table(old_file).column("is_current").to_pylist() == [False, True]


def test_files_without_the_in_place_layout_are_rewritten_instead(store, tmp_path):
    from docpipe.inplace import clear_flags

    store.commit_batch("b1", [_doc("a.txt", "a" * 64)], [], run_id="r1", now=NOW)
    (path,) = store.files("documents")
    pq.write_table(pq.read_table(path), path)  # as docpipe wrote it before: compressed, with statistics
    assert clear_flags(path, [0]) is False
    store.commit_batch("b2", [_doc("a.txt", "c" * 64)], [], run_id="r2", now=NOW)
    rows = store.read("documents", columns=["sha256", "is_current"]).to_pylist()
    assert sorted((r["sha256"][0], r["is_current"]) for r in rows) == [("a", False), ("c", True)]


def test_a_dataset_with_no_rows_yet_is_read_as_empty_by_every_reader(store):
    import pandas as pd
    import polars as pl
    import pyarrow.dataset as ds

    store.ensure_datasets(NOW)
    store.commit_batch("b1", [_doc("a.txt", "a" * 64)], [], run_id="r1", now=NOW)  # no rejects
    folder, glob = f"{store.root}/rejects", f"{store.root}/rejects/**/*.parquet"
    assert len(pd.read_parquet(folder)) == 0
    assert ds.dataset(folder, format="parquet", partitioning="hive").count_rows() == 0
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning=true)").fetchall() == [(0,)]
    frame = pl.read_parquet(glob, hive_partitioning=True)
    assert frame.height == 0 and set(SCHEMAS["rejects"].names) <= set(frame.columns)


def test_an_input_a_bug_rejected_is_tried_again_and_its_reject_replaced(store):
    from docpipe.reasons import RejectReason

    bug = Reject(Source("a.txt", "a" * 64, 5), "parse", RejectReason.INTERNAL_ERROR, "KeyError at parsers/html.py:1 _select: 3", NOW)
    store.commit_batch("b1", [], [bug], run_id="r1", now=NOW)
    known = store.known_inputs(["a" * 64], ["a.txt"])
    assert known.reject_hashes == set() and known.internal_hashes == {"a" * 64}  # planned again by the next run
    store.commit_batch("b2", [_doc("a.txt", "a" * 64)], [], run_id="r2", now=NOW)  # the bug is fixed
    assert store.read("rejects").num_rows == 0 and store.read("documents").column("source_path").to_pylist() == ["a.txt"]
    assert store.known_inputs(["a" * 64], []).document_hashes == {"a" * 64}
