"""The dataset store on its own: schemas on disk, commit protocol, superseding, recovery."""

from __future__ import annotations

from datetime import datetime, timezone

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
    return Reject(Source(path, "f" * 64, 5), "parse", "corrupt_pdf", "no xref", NOW)


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
    assert store.known_inputs().current_paths == {"a.txt": "c" * 64, "b.txt": "b" * 64}


def test_recover_removes_an_uncommitted_batch_and_temporary_files(store):
    store.commit_batch("b1", [_doc("a.txt", "a" * 64)], [], run_id="r1", now=NOW)
    store.commit_batch("b2", [_doc("b.txt", "b" * 64)], [], run_id="r1", now=NOW)
    # A crash between the blocks part and the documents part of batch b2, mid-write of another:
    store.fs.delete_file(f"{store.root}/documents/part-b2.parquet")
    with store.fs.open_output_stream(f"{store.root}/blocks/_tmp-123-part-b3.parquet") as sink:
        sink.write(b"PAR1 half a file")
    removed = store.recover()
    assert sorted(p.rsplit("/", 1)[1] for p in removed) == ["_tmp-123-part-b3.parquet", "part-b2.parquet", "part-b2.parquet"]
    assert store.read("blocks").column("doc_id").unique().to_pylist() == ["a" * 64]


def test_replacing_a_document_keeps_one_copy_of_its_rows(store):
    store.commit_batch("b1", [_doc("a.txt", "a" * 64), _doc("b.txt", "b" * 64)], [], run_id="r1", now=NOW)
    store.commit_batch("b2", [_doc("a.txt", "a" * 64, "Reparsed.")], [], run_id="r2", now=NOW, replace=True)
    documents = store.read("documents").to_pylist()
    assert sorted(r["source_path"] for r in documents) == ["a.txt", "b.txt"]
    assert all(r["is_current"] for r in documents)
    assert "Reparsed." in next(r["text"] for r in documents if r["source_path"] == "a.txt")
    assert store.read("blocks").num_rows == 6
    assert store.read("abstracts").num_rows == 2
