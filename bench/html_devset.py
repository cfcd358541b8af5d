"""Score docpipe's HTML cleaning and trafilatura side by side on the shared devset.

    .venv/bin/python bench/html_devset.py [--lang en,es,fr] [--limit N] [--failures 10] [--worst 10] [--devset DIR]

Runs the devset's own scorer (``../shared/devset/html/score.py``, standard library only) once
per extractor, in this process, and prints its tables: found / absent / F per language,
reader-comment snippets absent, median milliseconds per page, then the worst pages for
docpipe with the snippets they miss or leak (``--failures``: most snippets wrong first;
``--worst``: lowest per-page F first, one line each). trafilatura is a benchmark-only dependency
(the ``bench`` extra); without it only docpipe is scored. Exits 0 with a message when the
devset is not there.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_DEVSET = PROJECT.parent / "shared" / "devset" / "html"
sys.path.insert(0, str(PROJECT))

from docpipe.boilerplate import clean  # noqa: E402
from docpipe.document import Source  # noqa: E402
from parsers.html import parse_html  # noqa: E402


def docpipe_text(html: bytes | str, url: str | None = None) -> str:
    """The devset scorer's extractor interface over docpipe: parse_html, then clean."""
    data = html if isinstance(html, bytes) else html.encode("utf-8")
    doc = parse_html(data, Source(path=url or "page.html", sha256="", size_bytes=len(data)))
    return clean(doc).text


def trafilatura_text(html: bytes | str, url: str | None = None) -> str | None:
    """trafilatura as in its own benchmark: comments off, tables on."""
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, include_tables=True)


def page_f(page: dict[str, Any]) -> float:
    """The scorer's F for one page: harmonic mean of the shares found and absent."""
    found = page["found"] / page["n_with"] if page["n_with"] else 1.0
    absent = page["absent"] / page["n_without"] if page["n_without"] else 1.0
    return 2 * found * absent / (found + absent) if found + absent else 0.0


def print_worst(pages: list[dict[str, Any]], count: int) -> None:
    """The ``count`` pages with the lowest F, each on one line with its first miss or leak."""
    print(f"\nlowest F, {count} pages:")
    for page in sorted(pages, key=lambda p: (page_f(p), p["file"]))[:count]:
        first = [f"missing {s[:60]!r}" for s in page["missing"][:1]] + [f"leaked {s[:60]!r}" for s in page["leaked"][:1]]
        counts = f"found {page['found']}/{page['n_with']} absent {page['absent']}/{page['n_without']}"
        print(f"  {page_f(page):.2f}  {page['file']} [{page['lang']}]  {counts}  {'; '.join(first)}")


def _load_scorer(devset: Path):
    spec = importlib.util.spec_from_file_location("devset_score", devset / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET, help="folder holding score.py and cases.jsonl")
    parser.add_argument("--lang", help="comma-separated language codes, e.g. en,es,fr")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--failures", type=int, default=10, help="worst docpipe pages to list (default 10)")
    parser.add_argument("--worst", type=int, default=0, help="docpipe pages with the lowest F to list, one line each")
    parser.add_argument("--json", help="write docpipe's per-page results here")
    parser.add_argument("--no-trafilatura", action="store_true", help="score docpipe only")
    args = parser.parse_args(argv)

    if not (args.devset / "score.py").is_file():
        print(f"devset not found at {args.devset}: nothing to benchmark (it lives in ../shared/devset/html).")
        return 0
    scorer = _load_scorer(args.devset)
    common = []
    if args.lang:
        common += ["--lang", args.lang]
    if args.limit:
        common += ["--limit", str(args.limit)]
    this_file = str(Path(__file__).resolve())

    if not args.no_trafilatura:
        if importlib.util.find_spec("trafilatura") is None:
            print("trafilatura is not installed (pip install -e '.[bench]'); scoring docpipe only.\n")
        else:
            scorer.main([f"{this_file}:trafilatura_text", *common])
            print()
    with tempfile.TemporaryDirectory() as scratch:
        results = args.json or str(Path(scratch) / "docpipe.json")
        status = scorer.main([f"{this_file}:docpipe_text", *common, "--failures", str(args.failures), "--json", results])
        if args.worst:
            print_worst(json.loads(Path(results).read_text(encoding="utf-8"))["pages"], args.worst)
    return status


if __name__ == "__main__":
    sys.exit(main())
