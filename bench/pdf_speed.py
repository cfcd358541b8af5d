"""Pages per second: `docpipe extract` against pdfminer.six's own `extract_text`, same files, whole processes.

    .venv/bin/python bench/pdf_speed.py [PDF ...] [--repeat N]

Default files: the text-bearing PDFs of ../shared/devset/pdf/files and of
../shared/devset/pdf-corpus/files, timed folder by folder (absent: say so, exit 0).
Each side runs as one fresh process over all the files (interpreter start and imports
included, as a user would run it); the best of N runs is kept, of wall time and of CPU time
(user + system of the whole process tree: docpipe's worker included). On a machine shared
with other work the CPU time is the steadier measure of cost; wall time also counts waiting. The target is docpipe at no
more than pdfminer's time: pdfminer's layout analysis is the cost, our work on top of it
(one layout pass per page, then blocks, boilerplate, language, metadata) must not add to it.
The comparison is like for like, one core each (`--workers 1`); docpipe's default, a
process per core, is timed too and printed beside it.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEVSET_FOLDERS = [ROOT.parent / "shared" / "devset" / "pdf" / "files", ROOT.parent / "shared" / "devset" / "pdf-corpus" / "files"]
# pdfminer with its defaults, as a user of the library would call it.
PDFMINER = "import sys\nfrom pdfminer.high_level import extract_text\nfor p in sys.argv[1:]:\n    extract_text(p)\n"
TARGET = 1.0


def _page_counts(paths: list[str]) -> dict[str, int]:
    """Pages of each file that opens without a password and has a text layer."""
    import logging

    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # warnings on odd files are not figures
    counts = {}
    for path in paths:
        try:
            with open(path, "rb") as handle:
                pages = sum(1 for _ in PDFPage.create_pages(PDFDocument(PDFParser(handle))))
            if extract_text(path, maxpages=1).strip():
                counts[path] = pages
        except Exception:  # noqa: BLE001 - encrypted or broken files are not timed
            continue
    return counts


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _elapsed(command: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system, the command's whole process tree) of one run."""
    cpu, start = _children_cpu(), time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start, _children_cpu() - cpu


def _best_times(commands: list[list[str]], repeat: int) -> list[tuple[float, float]]:
    """Best wall and CPU time of each command; runs alternate so that load from elsewhere hits both."""
    best = [(float("inf"), float("inf"))] * len(commands)
    for _ in range(repeat):
        for index, command in enumerate(commands):
            wall, cpu = _elapsed(command)
            best[index] = (min(best[index][0], wall), min(best[index][1], cpu))
    return best


def _compare(paths: list[str], repeat: int) -> None:
    counts = _page_counts(paths)
    files, pages = list(counts), sum(counts.values())
    extract = [sys.executable, "-m", "docpipe.cli", "extract", "--format", "jsonl"]
    cores = len(os.sched_getaffinity(0))
    ours, theirs, parallel = _best_times(
        [[*extract, "--workers", "1", *files], [sys.executable, "-c", PDFMINER, *files], [*extract, *files]],
        repeat,
    )
    print(f"{len(files)} files, {pages} pages, best of {repeat} runs, whole processes: wall time, and CPU time (user + system)")
    print(f"pdfminer.six extract_text:            {theirs[0]:6.2f} s  {pages / theirs[0]:6.1f} pages/s   CPU {theirs[1]:6.2f} s")
    print(f"docpipe extract --workers 1:          {ours[0]:6.2f} s  {pages / ours[0]:6.1f} pages/s   CPU {ours[1]:6.2f} s")
    for measure, index in (("wall", 0), ("CPU", 1)):
        ratio = ours[index] / theirs[index]
        print(f"docpipe / pdfminer, one core, {measure + ':':5} {ratio:.2f}x (target <= {TARGET}x): {'met' if ratio <= TARGET else 'NOT met'}")
    print(f"docpipe extract, {cores} cores (default): {parallel[0]:6.2f} s  {pages / parallel[0]:6.1f} pages/s")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.paths:
        _compare(args.paths, args.repeat)
        return 0
    folders = [folder for folder in DEVSET_FOLDERS if any(folder.glob("*.pdf"))]
    if not folders:
        print(f"no PDFs given and none in {' or '.join(map(str, DEVSET_FOLDERS))}: nothing to time.")
        return 0
    for folder in folders:
        print(f"== {folder}")
        _compare(sorted(str(p) for p in folder.glob("*.pdf")), args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
