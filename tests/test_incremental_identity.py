"""Incremental runs by identity: planning skips an unchanged input without reading it, and a worker
reads and hashes the rest, parsing none whose bytes are already stored.

Plan, batch and commit are called as the flow calls them (tests/test_incremental.py runs the flow
itself), so that each run costs a worker process, not a Prefect flow.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import settle, write_text_corpus
from docpipe import identity
from docpipe.batch import Plan, plan, process_batch
from docpipe.catalog import CATALOG_NAME
from docpipe.dataset import DatasetStore
from docpipe.discover import discover
from docpipe.pipeline import Settings


def _run(corpus: Path, out: Path) -> tuple[Plan, int]:
    """Plan and ingest ``corpus`` into ``out`` as one batch; the plan, and how many inputs were read but not parsed."""
    store = DatasetStore(str(out))
    work = plan(discover([str(corpus)]), store.known_inputs)
    result = process_batch(work.todo, Settings(), workers=1)
    store.commit_batch(f"batch-{os.urandom(4).hex()}", result.documents, result.rejects, run_id="run", now=datetime.now(timezone.utc), seen=result.seen)
    return work, result.unchanged


def _documents(out: Path) -> list[tuple[str, bool]]:
    return sorted((Path(row["source_path"]).name, row["is_current"]) for row in DatasetStore(str(out)).read("documents").to_pylist())


@pytest.fixture
def corpus(tmp_path) -> Path:
    (tmp_path / "corpus").mkdir()
    write_text_corpus(tmp_path / "corpus", 3)
    settle()
    return tmp_path / "corpus"


def test_an_unchanged_rerun_plans_every_input_as_known_without_opening_one(corpus, tmp_path, opened):
    first, _ = _run(corpus, tmp_path / "out")
    assert (len(first.todo), len(first.known)) == (3, 0)
    opened.clear()
    second = plan(discover([str(corpus)]), DatasetStore(str(tmp_path / "out")).known_inputs)
    assert (second.todo, len(second.known)) == ([], 3)
    assert not [path for path in opened if path.startswith(str(corpus))]


def test_a_touched_file_is_read_again_but_neither_parsed_nor_stored_twice(corpus, tmp_path):
    _run(corpus, tmp_path / "out")
    touched = corpus / "note-001.txt"
    os.utime(touched)
    settle()
    work, unchanged = _run(corpus, tmp_path / "out")
    assert ([item.path for item in work.todo], unchanged) == ([str(touched)], 1)
    assert work.todo[0].locator.stored_sha256  # the worker was told which version is stored
    assert _documents(tmp_path / "out") == [("note-000.txt", True), ("note-001.txt", True), ("note-002.txt", True)]
    assert plan(discover([str(corpus)]), DatasetStore(str(tmp_path / "out")).known_inputs).todo == []  # its new identity is recorded


def test_a_changed_file_is_parsed_and_becomes_the_current_version(corpus, tmp_path):
    _run(corpus, tmp_path / "out")
    (corpus / "note-002.txt").write_text("Field note 2, revised\n\nThe committee approved the pumps after all.\n", encoding="utf-8")
    settle()
    work, unchanged = _run(corpus, tmp_path / "out")
    assert ([Path(item.path).name for item in work.todo], unchanged) == (["note-002.txt"], 0)
    assert _documents(tmp_path / "out") == [("note-000.txt", True), ("note-001.txt", True), ("note-002.txt", False), ("note-002.txt", True)]


def test_a_file_changed_a_moment_before_the_listing_has_no_identity_yet(corpus, tmp_path):
    _run(corpus, tmp_path / "out")
    (corpus / "note-000.txt").write_text("Field note 0, rewritten in the same tick\n", encoding="utf-8")
    found = discover([str(corpus)])
    assert str(corpus / "note-000.txt") not in found.identities and len(found.identities) == 2
    assert [Path(item.path).name for item in plan(found, DatasetStore(str(tmp_path / "out")).known_inputs).todo] == ["note-000.txt"]


def test_a_catalog_written_before_identities_plans_by_content_once_then_by_identity(corpus, tmp_path):
    _run(corpus, tmp_path / "out")
    # The previous version's catalog: the same tables, without identities (Parquet files are unchanged).
    with sqlite3.connect(tmp_path / "out" / CATALOG_NAME) as database:
        database.execute("DROP TABLE identities")
    work, unchanged = _run(corpus, tmp_path / "out")
    assert (len(work.todo), unchanged) == (3, 3)  # read and hashed by the workers, none parsed again
    assert len(_documents(tmp_path / "out")) == 3
    assert plan(discover([str(corpus)]), DatasetStore(str(tmp_path / "out")).known_inputs).todo == []


def test_identities_are_settled_only_a_tick_after_their_time():
    status = os.stat(__file__)
    changed = status.st_ctime_ns / 1e9
    assert identity.of_stat(status, changed + identity.FINE_SECONDS / 2) is None
    assert identity.of_stat(status, changed + 1) == f"stat:{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}:{status.st_ino}"
    whole_second = 1_700_000_000.0  # S3's LastModified: a stamp to the second may hide a change within it
    assert identity.of_fsspec({"size": 5, "LastModified": whole_second}, whole_second + 1) is None
    assert identity.of_fsspec({"size": 5, "LastModified": whole_second}, whole_second + 3) == f"time:5:{whole_second!r}"
    assert identity.of_fsspec({"size": 5, "ETag": '"abc"', "LastModified": whole_second}, whole_second) == 'etag:5:"abc"'
