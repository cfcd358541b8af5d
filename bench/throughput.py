"""Documents per second through `docpipe ingest` (Prefect) and `docpipe extract` (no Prefect).

Builds a corpus of at least 2,000 distinct documents by replicating raw/ and, when
../shared/devset is present, its HTML pages and openly usable PDFs; each copy differs by a
trailing comment, so every file has its own sha256 while parsing costs the same. Then runs,
as whole processes, each with a fresh output folder:

  extract   `docpipe extract --format jsonl --workers 1` (one worker process, no Prefect, no Parquet)
  ingest-1  `docpipe ingest --workers 1`     (same work + Prefect + Parquet, server start-up included)
  ingest-N  `docpipe ingest` on all cores

and prints documents/s, the speed-up of all cores over one worker, and Prefect's share of the
wall time: (ingest-1 - extract) / ingest-1, which also counts writing the Parquet files.

    .venv/bin/python bench/throughput.py [--documents 2000] [--repeat N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DEVSET = PROJECT.parent / "shared" / "devset"
DOCPIPE = [sys.executable, "-m", "docpipe.cli"]
_TRAILERS = {".html": "\n<!-- copy {n} -->\n", ".pdf": "\n%copy {n}\n", ".txt": "\n\n[copy {n}]\n"}


def seed_files() -> list[Path]:
    seeds = sorted(p for p in (PROJECT / "raw").iterdir() if p.suffix in _TRAILERS)
    if DEVSET.is_dir():
        seeds += sorted((DEVSET / "html" / "pages").glob("*.html"))
        seeds += sorted(p for p in (DEVSET / "pdf" / "files").glob("*.pdf") if "encrypted" not in p.name and "scan" not in p.name)
    else:
        print(f"note: {DEVSET} is absent; the corpus replicates raw/ only", file=sys.stderr)
    return seeds


def build_corpus(folder: Path, documents: int) -> dict[str, int]:
    seeds = seed_files()
    counts: dict[str, int] = {}
    for n in range(documents):
        seed = seeds[n % len(seeds)]
        data = seed.read_bytes() + _TRAILERS[seed.suffix].format(n=n).encode()
        (folder / f"{n:05d}-{seed.name}").write_bytes(data)
        counts[seed.suffix] = counts.get(seed.suffix, 0) + 1
    return counts


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):  # 1: some inputs were rejected, which is expected here
        sys.exit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return elapsed


def fresh_prefect_env(work: Path) -> dict[str, str]:
    """A fresh Prefect home per ingest, migrated beforehand as `make run`'s set-up does: the
    embedded server's start-up is part of the cost, the one-off database migration is not."""
    home = {**os.environ, "PREFECT_HOME": tempfile.mkdtemp(prefix="prefect-", dir=work), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    subprocess.run([str(Path(sys.executable).parent / "prefect"), "server", "database", "upgrade", "-y"], env=home, check=True, capture_output=True)
    return home


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--documents", type=int, default=2000)
    arguments.add_argument("--keep", help="build the corpus and outputs here and keep them")
    arguments.add_argument("--repeat", type=int, default=1, help="rounds of the three runs; medians are reported (default 1)")
    args = arguments.parse_args()

    work = Path(args.keep or tempfile.mkdtemp(prefix="docpipe-throughput-"))
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    counts = build_corpus(corpus, args.documents)
    cores = len(os.sched_getaffinity(0))
    print(f"corpus: {args.documents} documents {counts} in {corpus}; {cores} cores")

    commands = {
        "extract": lambda n: [*DOCPIPE, "extract", "--format", "jsonl", "--workers", "1", str(corpus)],
        "ingest-1": lambda n: [*DOCPIPE, "ingest", str(corpus), "--out", str(work / f"out-1-{n}"), "--workers", "1"],
        f"ingest-{cores}": lambda n: [*DOCPIPE, "ingest", str(corpus), "--out", str(work / f"out-n-{n}")],
    }
    # Rounds alternate the three runs, so that a slow spell of the machine hits all of them; the
    # median of each is reported (this machine's wall times vary by a few seconds run to run).
    times: dict[str, list[float]] = {name: [] for name in commands}
    for n in range(args.repeat):
        for name, command in commands.items():
            times[name].append(timed(command(n), fresh_prefect_env(work)))
    seconds = {name: statistics.median(values) for name, values in times.items()}
    print(f"{'run':<12}{'seconds':>10}{'docs/s':>10}   (median of {args.repeat}: {'; '.join('/'.join(f'{v:.1f}' for v in values) for values in times.values())})")
    for name, value in seconds.items():
        print(f"{name:<12}{value:>10.1f}{args.documents / value:>10.1f}")
    one, extract = seconds["ingest-1"], seconds["extract"]
    print(f"all cores vs one worker: {one / seconds[f'ingest-{cores}']:.2f}x")
    print(f"Prefect and Parquet share of ingest-1 wall time: {(one - extract) / one:.1%}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
