"""What each hostile input becomes, and the time and peak memory it costs.

Builds the hostile corpus of the tests (tests/hostile.py: a 50 MB page, a PDF bomb, 100,000
nested elements, broken encodings, a named pipe, ...) and runs each case alone in a fresh
process under the same limits as a run (`Limits`), printing outcome, seconds and peak RSS.
Then fuzzes the PDF path: mutated copies of the corpus PDF, many more than the tests run.

    .venv/bin/python bench/hostile_inputs.py [--fuzz 200] [--max-bytes 209715200] [--max-text-bytes 10485760]

``--max-text-bytes 209715200`` lets the 50 MB page through, to see what parsing it would cost.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT / "tests"), str(PROJECT)]

import hostile  # noqa: E402  (tests/hostile.py builds the corpus)
from fuzzing import Seed, mutants  # noqa: E402  (tests/fuzzing.py: the fuzz campaign's mutations)

from docpipe.isolation import Limits  # noqa: E402
from docpipe.pipeline import Settings  # noqa: E402

_CHILD = """
import resource, sys
from docpipe.pipeline import Settings, process_path
from docpipe.document import Document
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
outcome = process_path(sys.argv[1], Settings(max_bytes=int(sys.argv[3]), max_text_bytes=int(sys.argv[4])))
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if isinstance(outcome, Document):
    print(f"{peak_mb:.0f}|document: {len(outcome.blocks)} blocks, {len(outcome.text)} chars")
else:
    print(f"{peak_mb:.0f}|reject {outcome.stage}/{outcome.error_type}: {outcome.message[:70]}")
"""


def measure(path: Path, limits: Limits, settings: Settings) -> tuple[str, float, str]:
    """(outcome, seconds, peak RSS in MB) of one input processed alone in a fresh process."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(path), str(limits.memory_bytes), str(settings.max_bytes), str(settings.max_text_bytes)],
        cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        out, err = child.communicate(timeout=limits.seconds_per_document)
    except subprocess.TimeoutExpired:
        child.kill()
        out, err = child.communicate()
        out = f"-|reject parse/timeout after {limits.seconds_per_document:g} s"
    seconds = time.perf_counter() - started
    peak, _, outcome = out.strip().partition("|")
    if not outcome:  # the process died: over its memory limit in C code, or a crash
        peak, outcome = "-", f"worker_crashed ({child.returncode}): {err.strip()[-120:]}"
    return outcome, seconds, peak


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--fuzz", type=int, default=200, help="mutated PDFs to try (default 200)")
    arguments.add_argument("--max-bytes", type=int, default=Settings.max_bytes, help="size cap (default: %(default)s, the run's)")
    arguments.add_argument("--max-text-bytes", type=int, default=Settings.max_text_bytes, help="size cap for HTML and text (default: %(default)s)")
    args = arguments.parse_args()
    settings = Settings(max_bytes=args.max_bytes, max_text_bytes=args.max_text_bytes)
    limits = Limits()
    with tempfile.TemporaryDirectory(prefix="docpipe-hostile-") as folder:
        corpus = hostile.build(Path(folder))
        print(f"{'case':<22}{'seconds':>9}{'peak MB':>9}  outcome")
        for name in sorted(corpus.cases):
            outcome, seconds, peak = measure(corpus.folder / name, limits, settings)
            shown = name.encode("unicode_escape").decode()
            print(f"{shown:<22}{seconds:>9.2f}{peak:>9}  {outcome}")

        outcomes: Counter[str] = Counter()
        slowest = 0.0
        original = next((PROJECT / "raw").glob("001_*.pdf"))
        for mutant in mutants([Seed(original.name, "pdf", original.read_bytes())], args.fuzz, campaign_seed=2026):
            path = Path(folder) / mutant.file_name
            path.write_bytes(mutant.data)
            outcome, seconds, _ = measure(path, limits, settings)
            outcomes[outcome.split(":")[0]] += 1
            slowest = max(slowest, seconds)
            path.unlink()
        print(f"\nPDF fuzz: {args.fuzz} mutants of raw/001, slowest {slowest:.1f} s")
        for outcome, count in outcomes.most_common():
            print(f"{count:>6}  {outcome}")


if __name__ == "__main__":
    main()
