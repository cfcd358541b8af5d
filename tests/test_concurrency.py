"""Runs that really overlap on one output root, with readers polling it, end as if run one after the other.

Two `docpipe ingest` processes start together on overlapping file lists; then a third of the
files change and the two run again with a `docpipe compact` alongside. All the while, DuckDB
and Polars read the datasets with the README's own globs. The store must equal a sequential
run's, and no poll may fail or see a row twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl

from conftest import PROJECT, dataset_snapshot, write_text_corpus
from docpipe.config import RunConfig
from docpipe.dataset import DatasetStore

FILES = 60
BATCH_SIZE = 10


class Reader(threading.Thread):
    """Polls the documents and blocks globs the README gives, through DuckDB and Polars."""

    def __init__(self, out: Path) -> None:
        super().__init__(daemon=True)
        self.out, self.polls, self.problems = out, 0, []
        self.stopping = threading.Event()

    def run(self) -> None:
        documents, blocks = f"{self.out}/documents/**/*.parquet", f"{self.out}/blocks/**/*.parquet"
        connection = duckdb.connect()
        while not self.stopping.is_set():
            try:
                rows, paths, ids = connection.execute(
                    f"SELECT count(*), count(DISTINCT source_path), count(DISTINCT doc_id) "
                    f"FROM read_parquet('{documents}', hive_partitioning=true) WHERE is_current"
                ).fetchone()
                if not rows == paths == ids:
                    self.problems.append(f"duckdb: {rows} current rows for {paths} paths and {ids} documents")
                (block_rows, distinct_blocks) = connection.execute(
                    f"SELECT count(*), count(DISTINCT (doc_id, block_index)) FROM read_parquet('{blocks}', hive_partitioning=true)"
                ).fetchone()
                if block_rows != distinct_blocks:
                    self.problems.append(f"duckdb: {block_rows} block rows, {distinct_blocks} distinct")
                frame = pl.read_parquet(documents, hive_partitioning=True).filter(pl.col("is_current"))
                if frame.height != frame["source_path"].n_unique():
                    self.problems.append(f"polars: {frame.height} current rows for {frame['source_path'].n_unique()} paths")
            except BaseException as problem:  # any failure to read (Polars raises a PanicException) is what this test is about
                self.problems.append(f"{type(problem).__name__}: {problem}")
            self.polls += 1


def _ingest(files: list[Path], out: Path, env: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "docpipe.cli", "ingest", *map(str, files), "--out", str(out), "--batch-size", str(BATCH_SIZE), "--workers", "1"]
    return subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _compact(out: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "docpipe.cli", "compact", "--out", str(out)], cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _wait(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        _, errors = process.communicate(timeout=300)
        assert process.returncode in (0, 1), errors[-3000:]


def _blocks_per_document(out: Path) -> Counter:
    return Counter(DatasetStore(str(out)).read("blocks", columns=["doc_id"]).column("doc_id").to_pylist())


def _assert_like_sequential(concurrent: Path, sequential: Path) -> None:
    store = DatasetStore(str(concurrent))
    current = [(r["source_path"], r["sha256"]) for r in store.read("documents").to_pylist() if r["is_current"]]
    assert len(current) == len({path for path, _ in current}), "a path is current twice"
    assert dataset_snapshot(concurrent) == dataset_snapshot(sequential)
    assert _blocks_per_document(concurrent) == _blocks_per_document(sequential)


def test_overlapping_runs_and_a_compaction_equal_a_sequential_run_while_readers_poll(prefect_server, tmp_path):
    from prefect.settings import PREFECT_API_URL

    from flows.ingest import ingest

    (tmp_path / "corpus").mkdir()
    corpus = write_text_corpus(tmp_path / "corpus", FILES)
    files = sorted(corpus.iterdir())
    first, second = files[: 2 * FILES // 3], files[FILES // 3 :]  # a third of the files in both
    sequential, concurrent = tmp_path / "sequential", tmp_path / "concurrent"
    # Both processes report to the test's Prefect server: no server start-up, so they really overlap.
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}

    def sequential_runs() -> None:
        for part in (first, second):
            ingest(paths=list(map(str, part)), out_dir=str(sequential), config=RunConfig(batch_size=BATCH_SIZE, workers=1))

    sequential_runs()
    DatasetStore(str(concurrent)).ensure_datasets(datetime.now(timezone.utc))  # the reader's globs need a file to match
    reader = Reader(concurrent)
    reader.start()
    try:
        _wait([_ingest(first, concurrent, env), _ingest(second, concurrent, env)])
        _assert_like_sequential(concurrent, sequential)

        for path in files[::3]:  # a third of the files change
            path.write_text(path.read_text(encoding="utf-8") + "\nAddendum: the pumps were delivered.\n", encoding="utf-8")
        sequential_runs()
        _wait([_ingest(first, concurrent, env), _compact(concurrent, env), _ingest(second, concurrent, env)])
        _assert_like_sequential(concurrent, sequential)
        assert list(concurrent.glob("documents/*/part-compact-*.parquet")), "the compaction merged nothing"
    finally:
        reader.stopping.set()
        reader.join(timeout=60)
    assert reader.polls > 10
    assert reader.problems == []


def test_a_run_that_cannot_get_the_root_in_time_says_so_exits_75_and_leaves_it_untouched(prefect_server, tmp_path, capsys):
    from docpipe.cli import EXIT_BUSY, main

    (tmp_path / "corpus").mkdir()
    corpus = write_text_corpus(tmp_path / "corpus", 3)
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from docpipe.dataset import DatasetStore\nwith DatasetStore({str(out)!r}).lock():\n    print('held', flush=True)\n    input()"],
        cwd=PROJECT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"  # another process holds the root
        started = time.monotonic()
        assert main(["ingest", str(corpus), "--out", str(out), "--lock-timeout", "2", "--workers", "1"]) == EXIT_BUSY
        assert time.monotonic() - started < 60  # a 2 s wait, not retried
    finally:
        holder.communicate("\n", timeout=60)
    assert capsys.readouterr().err.splitlines()[-1].startswith("docpipe ingest: error: another docpipe run has held the output root")
    assert sorted(path.name for path in out.iterdir()) == ["_lock"]  # no dataset, no catalog, nothing staged
