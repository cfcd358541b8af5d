"""Score the PDF path on the 69-paper corpus, per source and overall, with the corpus's own score.py.

    .venv/bin/python bench/pdf_corpus.py [--results OUT.jsonl] [--files]

Runs `docpipe extract --format jsonl` over ../shared/devset/pdf-corpus/files/*.pdf (or reads
an earlier OUT.jsonl), then the corpus's score.py: its per-file rows (``--json``) are summed
here per source (TALN/RECITAL, each SciELO journal, CERMINE), and its own overall SUMMARY
line is printed last, unchanged. ``--files`` also prints score.py's per-file table.

The corpus lives outside the repository (not redistributable); without it this says so and
exits 0. A rule that helps one source while hurting another shows up in the table.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "devset" / "pdf-corpus"
LANGUAGES = ("en", "es", "fr")


def _source(case: dict) -> str:
    """The row a case is counted in: one per publisher family, one per SciELO journal."""
    repo = case["source"]["repo"]
    if repo == "boudinfl/taln-archives":
        return "TALN/RECITAL"
    if repo == "CeON/CERMINE":
        return "CERMINE"
    return case["journal"]


def _figures(rows: list[dict]) -> dict[str, str]:
    """The score.py measures summed over ``rows`` (its own arithmetic, per group)."""
    expected: collections.Counter[str] = collections.Counter()
    whole: collections.Counter[str] = collections.Counter()
    f1_sum = 0.0
    for row in rows:
        for language, found in row["abstracts"].items():
            expected[language] += 1
            whole[language] += found["whole"]
            f1_sum += found["f1"]
    abstracts = sum(expected.values())
    slots = sum(len(r["invent_slots"]) for r in rows)
    invented = sum(len(r["invented"]) for r in rows)
    got = sum(r["authors"]["extracted"] for r in rows)
    used = sum(r["authors"]["matched_extracted"] for r in rows)
    hit = sum(r["authors"]["hit"] for r in rows)
    wanted = sum(r["authors"]["expected"] for r in rows)
    dois = [r for r in rows if "doi" in r]
    return {
        "files": str(len(rows)),
        "whole": f"{sum(whole.values())}/{abstracts}" if abstracts else "-",
        **{f"{lang}": f"{whole[lang]}/{expected[lang]}" if expected[lang] else "-" for lang in LANGUAGES},
        "F1": f"{f1_sum / abstracts:.3f}" if abstracts else "-",
        "invented": f"{invented}/{slots}",
        "title": f"{sum(r['title_ok'] for r in rows)}/{len(rows)}",
        "auth P": f"{used / got:.3f}" if got else "-",
        "auth R": f"{hit / wanted:.3f}" if wanted else "-",
        "year": f"{sum(r['year']['ok'] for r in rows)}/{len(rows)}",
        "doi": f"{sum(1 for r in dois if r['doi'])}/{len(dois)}" if dois else "-",
    }


def _table(groups: dict[str, list[dict]]) -> str:
    lines = [(name, _figures(rows)) for name, rows in groups.items()]
    columns = list(lines[0][1])
    name_width = max(len(name) for name, _ in lines)
    widths = {c: max(len(c), *(len(f[c]) for _, f in lines)) for c in columns}
    out = ["source".ljust(name_width) + "  " + "  ".join(c.rjust(widths[c]) for c in columns)]
    for name, figures in lines:
        out.append(name.ljust(name_width) + "  " + "  ".join(figures[c].rjust(widths[c]) for c in columns))
    return "\n".join(out)


def _extract(files: list[str], into: Path) -> int:
    command = [sys.executable, "-m", "docpipe.cli", "extract", "--format", "jsonl", *files]
    with into.open("w", encoding="utf-8") as out:
        # Exit status 1 only means some inputs were rejected; the scorer counts those.
        done = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.PIPE, text=True)
    if done.returncode not in (0, 1):
        print(done.stderr, file=sys.stderr)
    return done.returncode


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, help="score this docpipe jsonl output instead of extracting again")
    parser.add_argument("--files", action="store_true", help="also print score.py's per-file table")
    args = parser.parse_args(argv)
    score = CORPUS / "score.py"
    if not score.exists():
        print(f"PDF corpus not found at {CORPUS}: nothing to score.")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        results = args.results
        if results is None:
            results = Path(scratch) / "results.jsonl"
            files = sorted(str(p) for p in (CORPUS / "files").glob("*.pdf"))
            print(f"$ docpipe extract --format jsonl {CORPUS / 'files'}/*.pdf > results.jsonl")
            status = _extract(files, results)
            if status not in (0, 1):
                return status
        scored = subprocess.run([sys.executable, str(score), str(results), "--json"], capture_output=True, text=True, check=True)
        rows = {row["id"]: row for row in json.loads(scored.stdout)}
        cases = [json.loads(line) for line in (CORPUS / "cases.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
        groups: dict[str, list[dict]] = collections.defaultdict(list)
        for case in cases:
            groups[_source(case)].append(rows[case["id"]])
        groups["all"] = [rows[case["id"]] for case in cases]
        print(_table(groups))
        print()
        flags = [] if args.files else ["--quiet"]
        print(f"$ python {score} results.jsonl {' '.join(flags)}".rstrip())
        overall = subprocess.run([sys.executable, str(score), str(results), *flags], capture_output=True, text=True, check=True)
        print(overall.stdout, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
