"""Fuzz campaign: mutants of the devset's pages, PDFs and texts and of the hostile inputs, through
the stages in worker processes under the usual limits; every outcome classified.

    .venv/bin/python bench/fuzz.py [--inputs 20000] [--seed 2026] [--workers N] [--batch 400]

The mutations are tests/fuzzing.py's (the suite's smoke fuzz runs the same code on the
repository's own files). Seeds: ../shared/devset/html/pages, ../shared/devset/pdf/files, the
texts of raw/, tests/data and ../shared/seeds, and tests/hostile.py's corpus. Each mutant is
processed by ``iter_isolated`` (worker processes, `Limits()`: 120 s and 4 GiB each), and a
document is also turned into its documents row and JSON, as `extract` and `ingest` would.

A failure is an ``internal_error`` reject, a worker crash, a timeout, a document whose row
cannot be built or that landed with an enrichment warning, or a reject reason that input's
class cannot honestly have (tests/fuzzing.py ``allowed_reasons``). Each is saved under bench/results/fuzz-<seed>/ (git-ignored) as the
mutant's bytes and a .json naming its seed file, its mutation seed and its mutations:
``.venv/bin/docpipe extract <file>`` replays it. Exit status: 1 if any failure, else 0.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
RESULTS = PROJECT / "bench" / "results"
sys.path[:0] = [str(PROJECT / "tests"), str(PROJECT)]

from fuzzing import Mutant, allowed_reasons, hostile_seeds, mutants, seeds_from  # noqa: E402  (tests/fuzzing.py)

import parsers.html, parsers.pdf.parse, parsers.text  # noqa: E401,E402,F401  (imported once: every worker forked from here runs the same code)
from docpipe.document import Document, Reject  # noqa: E402
from docpipe.isolation import Limits, default_workers, iter_isolated  # noqa: E402
from docpipe.pipeline import Settings  # noqa: E402
from docpipe.reasons import RejectReason  # noqa: E402
from docpipe.records import block_records, document_record  # noqa: E402

# Outcomes that are docpipe's failures, not the input's.
# An enrichment warning is a bug too: the document landed, but a reader of its metadata raised.
_FAILURES = ("internal_error", "worker_crashed", "timeout", "record_error", "unexpected_reason", "enrichment_warning")


def classify(mutant: Mutant, outcome: Document | Reject) -> tuple[str, str]:
    """(outcome class, detail): "document", "reject:<reason>", or one of the failure classes."""
    if isinstance(outcome, Document):
        try:
            record = document_record(outcome, run_id="fuzz", ingested_at=datetime.now(timezone.utc))
            record["blocks"] = block_records(outcome)
            json.dumps(record, ensure_ascii=False, default=str)
        except Exception as error:  # noqa: BLE001 - what `extract` or a batch write would raise
            return "record_error", f"{type(error).__name__}: {error}"
        return ("enrichment_warning" if outcome.warnings else "document"), "; ".join(map(str, outcome.warnings))
    reason = outcome.error_type
    if reason in (RejectReason.INTERNAL_ERROR, RejectReason.WORKER_CRASHED, RejectReason.TIMEOUT):
        return str(reason), outcome.message
    if reason not in allowed_reasons(mutant.data, mutant.file_name):
        return "unexpected_reason", f"{reason}: {outcome.message}"
    return f"reject:{reason}", outcome.message


def save(folder: Path, mutant: Mutant, campaign_seed: int, outcome: str, detail: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / mutant.file_name
    path.write_bytes(mutant.data)
    path.with_suffix(path.suffix + ".json").write_text(json.dumps({
        "outcome": outcome, "detail": detail, "seed_file": mutant.seed.name, "campaign_seed": campaign_seed,
        "mutant_number": mutant.number, "mutation_seed": mutant.rng_seed, "mutations": mutant.mutations,
        "replay": f".venv/bin/docpipe extract {path.relative_to(PROJECT)}",
    }, indent=2, ensure_ascii=False))
    return path


def table(counts: Counter[tuple[str, str]]) -> str:
    kinds = sorted({kind for _, kind in counts})
    outcomes = sorted({outcome for outcome, _ in counts}, key=lambda o: (o in _FAILURES, o))
    width = max(len(o) for o in outcomes) + 2
    lines = [f"{'outcome':<{width}}" + "".join(f"{k:>9}" for k in kinds) + f"{'total':>9}"]
    for outcome in outcomes:
        row = [counts[(outcome, kind)] for kind in kinds]
        lines.append(f"{outcome:<{width}}" + "".join(f"{n:>9}" for n in row) + f"{sum(row):>9}")
    totals = [sum(n for (_, k), n in counts.items() if k == kind) for kind in kinds]
    lines.append(f"{'total':<{width}}" + "".join(f"{n:>9}" for n in totals) + f"{sum(totals):>9}")
    return "\n".join(lines)


def _run(args: argparse.Namespace, pending: Iterator[Mutant], work: Path, counts: Counter[tuple[str, str]],
         failures: list[tuple[str, Path, str]], results: Path, started: float) -> None:
    """Write the mutants to ``work`` a batch at a time, run them, classify each outcome."""
    done = 0
    while done < args.inputs:
        batch = [mutant for _, mutant in zip(range(args.batch), pending)]
        paths = []
        for mutant in batch:
            path = work / mutant.file_name
            path.write_bytes(mutant.data)
            paths.append(str(path))
        # Plain fork: this process has no threads, and its workers are then its children,
        # whose peak memory getrusage(RUSAGE_CHILDREN) reports.
        for mutant, path, outcome in zip(batch, paths, iter_isolated(paths, Settings(), args.workers, Limits(), "fork")):
            kind = "hostile" if mutant.seed.name.startswith("hostile/") else mutant.seed.kind
            outcome_class, detail = classify(mutant, outcome)
            counts[(outcome_class, kind)] += 1
            if outcome_class in _FAILURES:
                failures.append((outcome_class, save(results, mutant, args.seed, outcome_class, detail), detail))
            Path(path).unlink()
        done += len(batch)
        print(f"{done} / {args.inputs} inputs, {len(failures)} failures, {time.monotonic() - started:.0f} s", flush=True)


def main(argv: list[str] | None = None) -> int:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--inputs", type=int, default=20000, help="mutants to run (default: %(default)s)")
    arguments.add_argument("--seed", type=int, default=2026, help="campaign seed: the same seed gives the same mutants (default: %(default)s)")
    arguments.add_argument("--workers", type=int, default=default_workers(), help="worker processes (default: all cores)")
    arguments.add_argument("--batch", type=int, default=400, help="mutants written to disk at a time (default: %(default)s)")
    args = arguments.parse_args(argv)
    devset = SHARED / "devset"
    if not (devset / "html" / "pages").is_dir() or not (devset / "pdf" / "files").is_dir():
        print(f"devset not found at {devset}: nothing to fuzz (it lives in ../shared/devset, outside the repository).")
        return 0

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="docpipe-fuzz-") as scratch:
        hostile_folder = Path(scratch) / "hostile"
        hostile_folder.mkdir()
        text_folders = [PROJECT / "raw", PROJECT / "tests" / "data" / "seeds", PROJECT / "tests" / "data" / "lang", SHARED / "seeds"]
        seeds = (
            seeds_from([devset / "html" / "pages", devset / "pdf" / "files"])
            + [seed for seed in seeds_from([folder for folder in text_folders if folder.is_dir()]) if seed.kind == "text"]
            + hostile_seeds(hostile_folder)
        )
        print(f"{len(seeds)} seeds: " + ", ".join(f"{n} {k}" for k, n in sorted(Counter(s.kind for s in seeds).items())), flush=True)
        results = RESULTS / f"fuzz-{args.seed}"
        counts: Counter[tuple[str, str]] = Counter()
        failures: list[tuple[str, Path, str]] = []
        pending = mutants(seeds, args.inputs, args.seed)
        work = Path(scratch) / "mutants"
        work.mkdir()
        try:
            _run(args, pending, work, counts, failures, results, started)
        except KeyboardInterrupt:  # SIGINT: report what was done so far
            print("interrupted", flush=True)
        done = sum(counts.values())

    seconds = time.monotonic() - started
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n.venv/bin/python bench/fuzz.py --inputs {args.inputs} --seed {args.seed} --workers {args.workers}\n")
    print(table(counts))
    print(f"\n{done} inputs in {seconds:.0f} s ({done / seconds:.1f} a second); peak memory: {workers_peak:.0f} MB in a worker, {own_peak:.0f} MB in this process")
    if failures:
        print(f"\n{len(failures)} failures, reproducers in {results.relative_to(PROJECT)}/:")
        for outcome_class, path, detail in failures:
            print(f"  {outcome_class:<18} {path.name}  {detail[:150]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
