"""An output root on S3: a local S3-compatible server (moto) that the tests start on 127.0.0.1.

Two writer processes commit overlapping batches at once and end as one sequential writer
would; an ingest through the flow, its re-run and a changed file behave as on a local folder;
a root another writer holds is refused with exit code 75.
"""

from __future__ import annotations

import multiprocessing
from datetime import datetime, timezone

from conftest import S3_SECRET, dataset_snapshot, write_text_corpus
from docpipe.config import RunConfig
from docpipe.dataset import DatasetStore
from docpipe.document import Block, BlockKind, Document, Metadata, Source, SourceType

NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)


def _root(endpoint: str, name: str) -> str:
    return f"s3://docpipe-test/{name}?endpoint_override={endpoint}"


def _doc(number: int, version: int = 0) -> Document:
    path = f"/corpus/note-{number:03d}.txt"
    text = f"Note {number}, version {version}: the committee reviewed the water supply."
    return Document(
        source=Source(path, f"{number:03d}{version:061d}", len(text), SourceType.TEXT, "utf-8"),
        blocks=[Block(BlockKind.PARAGRAPH, text, language="en", language_prob=0.99)],
        metadata=Metadata(title=f"Note {number}"),
        language="en",
        languages={"en": 1.0},
    )


def _commit_batches(root: str, numbers: list[int], version: int, writer: str) -> None:
    store = DatasetStore(root)
    for start in range(0, len(numbers), 5):
        store.commit_batch(f"{writer}-{version}-{start}", [_doc(n, version) for n in numbers[start : start + 5]], [], run_id=writer, now=NOW)


def _run_together(root: str, version: int) -> None:
    context = multiprocessing.get_context("spawn")  # each writer its own process, with its own catalog
    writers = [
        context.Process(target=_commit_batches, args=(root, list(range(0, 20)), version, "a")),
        context.Process(target=_commit_batches, args=(root, list(range(10, 30)), version, "b")),
    ]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=240)
        assert process.exitcode == 0


def test_two_writer_processes_on_one_s3_root_end_as_one_sequential_writer(s3_endpoint, tmp_path):
    root, reference = _root(s3_endpoint, "overlap"), str(tmp_path / "sequential")
    for version in (0, 1):  # then every file changes
        _commit_batches(reference, list(range(0, 20)), version, "a")
        _commit_batches(reference, list(range(10, 30)), version, "b")
        _run_together(root, version)
        assert dataset_snapshot(root) == dataset_snapshot(reference)
    current = [r["source_path"] for r in DatasetStore(root).read("documents").to_pylist() if r["is_current"]]
    assert len(current) == len(set(current)) == 30


def test_ingest_into_s3_reruns_and_changed_files_like_a_local_folder(prefect_server, s3_endpoint, tmp_path):
    from flows.ingest import ingest

    (tmp_path / "corpus").mkdir()
    corpus = write_text_corpus(tmp_path / "corpus", 12)
    root, local = _root(s3_endpoint, "ingest"), str(tmp_path / "local")
    for out in (root, local):
        ingest(paths=[str(corpus)], out_dir=out, config=RunConfig(batch_size=5, workers=1))
    rerun = ingest(paths=[str(corpus)], out_dir=root, config=RunConfig(batch_size=5, workers=1))
    assert rerun.documents == 0 and rerun.skipped_known == 12
    changed = corpus / "note-003.txt"
    changed.write_text(changed.read_text() + "\nAddendum.\n", encoding="utf-8")
    for out in (root, local):
        ingest(paths=[str(corpus)], out_dir=out, config=RunConfig(batch_size=5, workers=1))
    assert dataset_snapshot(root) == dataset_snapshot(local)
    store = DatasetStore(root)
    assert {name: store.read(name).num_rows for name in ("documents", "rejects")} == {"documents": 13, "rejects": 0}
    runs = store.read("runs").to_pylist()
    assert all(S3_SECRET not in str(row) for row in runs)


def _hold(root: str, held, release) -> None:
    with DatasetStore(root).lock():
        held.set()
        release.wait(120)


def test_a_root_another_process_holds_is_refused_with_exit_code_75(prefect_server, s3_endpoint, tmp_path):
    from docpipe.cli import EXIT_BUSY, main

    (tmp_path / "corpus").mkdir()
    corpus = write_text_corpus(tmp_path / "corpus", 2)
    root = _root(s3_endpoint, "held")
    context = multiprocessing.get_context("spawn")
    held, release = context.Event(), context.Event()
    holder = context.Process(target=_hold, args=(root, held, release))
    holder.start()
    try:
        assert held.wait(120)
        assert main(["ingest", str(corpus), "--out", root, "--lock-timeout", "2", "--workers", "1"]) == EXIT_BUSY
    finally:
        release.set()
        holder.join(60)
    assert holder.exitcode == 0
    assert main(["ingest", str(corpus), "--out", root, "--workers", "1"]) == 0  # released: the root works again
