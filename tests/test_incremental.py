"""Incremental runs through the real flow: cached batches, changed files, forced reprocessing."""

from __future__ import annotations

from pathlib import Path

from conftest import dataset_snapshot, settle, write_text_corpus
from docpipe.dataset import DatasetStore
from docpipe.config import RunConfig

FILES = 6
BATCH_SIZE = 2


def _process_batch_states(flow_run_id) -> list[str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, TaskRunFilter, TaskRunFilterName

    with get_client(sync_client=True) as client:
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])),
            task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_="process-batch-")),
        )
    return sorted(run.state.name for run in task_runs)


def test_a_rerun_takes_finished_batches_from_the_cache(prefect_server, tmp_path):
    from flows.ingest import ingest

    (tmp_path / "corpus").mkdir()
    corpus = write_text_corpus(tmp_path / "corpus", FILES)
    settle()  # a batch is cached by its files' identities
    first_state = ingest(paths=[str(corpus)], out_dir=str(tmp_path / "first"), config=RunConfig(batch_size=BATCH_SIZE, workers=1), return_state=True)
    # A new output folder knows none of the files, so every batch is planned again: only the cache can skip the parsing.
    second_state = ingest(paths=[str(corpus)], out_dir=str(tmp_path / "second"), config=RunConfig(batch_size=BATCH_SIZE, workers=1), return_state=True)

    batches = FILES // BATCH_SIZE
    assert _process_batch_states(first_state.state_details.flow_run_id) == ["Completed"] * batches
    assert _process_batch_states(second_state.state_details.flow_run_id) == ["Cached"] * batches
    assert second_state.result().batches_cached == batches
    assert dataset_snapshot(tmp_path / "second") == dataset_snapshot(tmp_path / "first")


def _rows(out: Path, dataset: str) -> list[dict]:
    return DatasetStore(str(out)).read(dataset).to_pylist()


def test_a_changed_file_has_one_current_version_and_reprocessing_duplicates_nothing(prefect_server, tmp_path):
    from flows.ingest import ingest

    source, out = tmp_path / "note.txt", tmp_path / "out"
    source.write_text("Minutes\n\nThe board approved the first draft of the water report.\n", encoding="utf-8")
    ingest(paths=[str(source)], out_dir=str(out), config=RunConfig(workers=1))
    source.write_text("Minutes\n\nThe board approved the second, amended draft of the water report.\n", encoding="utf-8")
    ingest(paths=[str(source)], out_dir=str(out), config=RunConfig(workers=1))

    documents = _rows(out, "documents")
    assert len(documents) == 2
    (current,) = [row for row in documents if row["is_current"]]
    assert "second, amended draft" in current["text"]
    (old,) = [row for row in documents if not row["is_current"]]
    assert current["doc_id"] != old["doc_id"]

    blocks_before = len(_rows(out, "blocks"))
    summary = ingest(paths=[str(source)], out_dir=str(out), config=RunConfig(workers=1, reprocess=True))
    assert summary.documents == 1
    documents = _rows(out, "documents")
    assert len(documents) == 2 and sum(row["is_current"] for row in documents) == 1
    blocks = _rows(out, "blocks")
    assert len(blocks) == blocks_before
    assert len({(row["doc_id"], row["block_index"]) for row in blocks}) == len(blocks)


def test_a_transient_write_error_is_retried_and_the_run_completes(prefect_server, tmp_path, monkeypatch):
    from flows.ingest import ingest

    (tmp_path / "corpus").mkdir()
    corpus = write_text_corpus(tmp_path / "corpus", FILES)
    commit = DatasetStore.commit_batch
    calls = []

    def flaky_commit(self, *args, **kwargs):
        calls.append(args[0])
        if len(calls) == 1:
            raise OSError("connection reset by peer")  # e.g. an object store hiccup
        return commit(self, *args, **kwargs)

    monkeypatch.setattr(DatasetStore, "commit_batch", flaky_commit)
    summary = ingest(paths=[str(corpus)], out_dir=str(tmp_path / "out"), config=RunConfig(batch_size=BATCH_SIZE, workers=1))
    assert summary.documents == FILES and not summary.rejects
    assert len(calls) == FILES // BATCH_SIZE + 1 and calls[0] == calls[1]  # the failed batch, written again
    assert len(_rows(tmp_path / "out", "documents")) == FILES
