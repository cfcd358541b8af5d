"""Score the PDF path on the development set: `docpipe extract --format jsonl` over its files, then its check.py.

    .venv/bin/python bench/pdf_devset.py [--verbose]

The development set lives outside the repository (../shared/devset/pdf, not redistributable);
without it this prints so and exits 0. Exit status otherwise: check.py's (1 if a HARD check fails).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT.parent / "shared" / "devset" / "pdf"
# check.py asks every file it expects to open for "no error" before it asks a scanned one for
# "empty text or explicit error". docpipe reports a scan as an explicit reject (no_text_layer,
# with the page count) so that it lands in the rejects dataset: that file fails the first check
# and passes the second, by design.
SCAN_NOTE = (
    "note: fr_scan_notext.pdf is rejected on purpose (error type no_text_layer): check.py's HARD "
    "'no error' fails on it while its 'no text layer -> empty text or explicit error' passes"
)


def main(argv: list[str]) -> int:
    if not (DEVSET / "check.py").exists():
        print(f"PDF development set not found at {DEVSET}: nothing to score.")
        return 0
    files = sorted(str(p) for p in (DEVSET / "files").glob("*.pdf"))
    command = [sys.executable, "-m", "docpipe.cli", "extract", "--format", "jsonl", *files]
    with tempfile.NamedTemporaryFile("w+", suffix=".jsonl", encoding="utf-8") as results:
        # Exit status 1 only means some inputs were rejected, which the set expects (encrypted, scan).
        extract = subprocess.run(command, cwd=ROOT, stdout=results, stderr=subprocess.PIPE, text=True)
        if extract.returncode not in (0, 1):
            print(extract.stderr, file=sys.stderr)
            return extract.returncode
        results.flush()
        print(f"$ docpipe extract --format jsonl {DEVSET / 'files'}/*.pdf > results.jsonl")
        print(f"$ python {DEVSET / 'check.py'} results.jsonl {' '.join(argv)}".rstrip())
        check = subprocess.run([sys.executable, str(DEVSET / "check.py"), results.name, *argv])
        print(SCAN_NOTE)
        return check.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
