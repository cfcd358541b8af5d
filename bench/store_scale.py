"""Does a batch cost the same in a small store and a huge one? And does ingest's memory stay flat?

Part 1, the store alone: builds stores of each size given (default 10,000 and 1,000,000
documents) through the store's own API (`DatasetStore.commit_batch`, synthetic documents with a
few blocks each, large batches to build fast), then times, for several 200-document batches,
planning (`known_inputs` for the batch's hashes and paths) and committing, with a tenth of each
batch new versions of stored paths (so `is_current` is flipped) and the rest new paths.

Part 2, `docpipe ingest` as a whole process: peak resident memory of the process tree over
corpora of each size given (default 2,000 and 20,000 small text files), sampled every 50 ms.

    .venv/bin/python bench/store_scale.py [--sizes 10000,1000000] [--ingest-sizes 2000,20000] [--keep DIR]

Needs nothing from ../shared.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from docpipe.dataset import DatasetStore  # noqa: E402
from docpipe.document import Block, BlockKind, Document, Metadata, Source, SourceType  # noqa: E402

BATCH = 200
BUILD_BATCH = 2_000  # the changed paths measured live in a file of this many documents
MEASURED_BATCHES = 5
NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def synthetic(number: int, version: int = 0) -> Document:
    path = f"/corpus/doc-{number:08d}.txt"
    body = f"Document {number}, version {version}. The committee reviewed the water supply of district {number % 97}."
    return Document(
        source=Source(path, _sha(f"{path}#{version}"), len(body), SourceType.TEXT, "utf-8"),
        blocks=[
            Block(BlockKind.HEADING, f"Note {number}", level=1, language="en", language_prob=0.99),
            Block(BlockKind.PARAGRAPH, body, language="en", language_prob=0.99),
            Block(BlockKind.PARAGRAPH, "The budget line was approved without amendment.", language="en", language_prob=0.99),
        ],
        metadata=Metadata(title=f"Note {number}"),
        language="en",
        languages={"en": 1.0},
    )


def build(store: DatasetStore, size: int) -> float:
    started = time.perf_counter()
    for start in range(0, size, BUILD_BATCH):
        docs = [synthetic(n) for n in range(start, min(size, start + BUILD_BATCH))]
        store.commit_batch(f"build-{start:08d}", docs, [], run_id="build", now=NOW)
    return time.perf_counter() - started


def measure(store: DatasetStore, size: int) -> tuple[list[float], list[float]]:
    plans, commits = [], []
    for batch in range(MEASURED_BATCHES):
        changed = [synthetic(n, version=1 + batch) for n in range(batch * 20, batch * 20 + BATCH // 10)]
        new = [synthetic(size + batch * BATCH + n) for n in range(BATCH - len(changed))]
        docs = changed + new
        started = time.perf_counter()
        known = store.known_inputs([d.source.sha256 for d in docs], [d.source.path for d in docs])
        plans.append(time.perf_counter() - started)
        assert not known.document_hashes and len(known.current_paths) == len(changed)
        started = time.perf_counter()
        written, _ = store.commit_batch(f"measure-{batch}", docs, [], run_id="measure", now=NOW)
        commits.append(time.perf_counter() - started)
        assert written == BATCH
    return plans, commits


def peak_rss_of(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(peak MB of the whole process tree, seconds)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(process.pid)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        sys.exit(f"ingest failed: {errors.decode()[-2000:]}")
    return peak / 2**20, time.perf_counter() - started


def ingest_memory(work: Path, sizes: list[int]) -> None:
    sys.path.insert(0, str(PROJECT / "tests"))
    from conftest import write_text_corpus

    print("\n`docpipe ingest --workers 1` peak memory of the process tree (server, flow, worker)")
    print(f"{'documents':>10} {'peak MB':>9} {'seconds':>8}")
    peaks = {}
    for size in sizes:
        corpus = work / f"corpus-{size}"
        corpus.mkdir()
        write_text_corpus(corpus, size)
        env = {**os.environ, "PREFECT_HOME": str(work / f"prefect-{size}")}
        env.pop("PREFECT_API_URL", None)
        peaks[size], seconds = peak_rss_of([sys.executable, "-m", "docpipe.cli", "ingest", str(corpus), "--out", str(work / f"out-{size}"), "--workers", "1"], env)
        print(f"{size:>10,} {peaks[size]:>9.0f} {seconds:>8.1f}", flush=True)
    print(f"peak at {sizes[-1]:,} / peak at {sizes[0]:,}: {peaks[sizes[-1]] / peaks[sizes[0]]:.2f}x")


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("--sizes", default="10000,1000000")
    arguments.add_argument("--ingest-sizes", default="2000,20000")
    arguments.add_argument("--keep", type=Path, help="build the stores here and keep them")
    args = arguments.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="docpipe-store-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        sizes = [int(size) for size in args.sizes.split(",") if size]
        print(f"per {BATCH}-document batch ({BATCH // 10} new versions of stored paths), median of {MEASURED_BATCHES}")
        print(f"{'store':>10} {'build s':>8} {'plan ms':>8} {'commit ms':>10} {'files':>6}")
        medians = {}
        for size in sizes:
            store = DatasetStore(str(work / f"store-{size}"))
            built = build(store, size)
            plans, commits = measure(store, size)
            medians[size] = (statistics.median(plans), statistics.median(commits))
            files = sum(len(store.files(name)) for name in ("documents", "blocks", "abstracts", "rejects"))
            print(f"{size:>10,} {built:>8.1f} {medians[size][0] * 1000:>8.1f} {medians[size][1] * 1000:>10.1f} {files:>6}", flush=True)
        if len(sizes) > 1:
            small, large = medians[sizes[0]], medians[sizes[-1]]
            print(f"{sizes[-1]:,} vs {sizes[0]:,}: plan {large[0] / small[0]:.2f}x, commit {large[1] / small[1]:.2f}x")
        ingest_sizes = [int(size) for size in args.ingest_sizes.split(",") if size]
        if ingest_sizes:
            ingest_memory(work, ingest_sizes)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
