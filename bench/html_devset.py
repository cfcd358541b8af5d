"""Score docpipe's HTML cleaning and trafilatura side by side on the shared devset.

    .venv/bin/python bench/html_devset.py [--lang en,es,fr] [--limit N] [--failures 10] [--devset DIR]

Runs the devset's own scorer (``../shared/devset/html/score.py``, standard library only) once
per extractor, in this process, and prints its tables: found / absent / F per language,
reader-comment snippets absent, median milliseconds per page, then the worst pages for
docpipe with the snippets they miss or leak. trafilatura is a benchmark-only dependency
(the ``bench`` extra); without it only docpipe is scored. Exits 0 with a message when the
devset is not there.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

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
    docpipe_args = [f"{this_file}:docpipe_text", *common, "--failures", str(args.failures)]
    if args.json:
        docpipe_args += ["--json", args.json]
    return scorer.main(docpipe_args)


if __name__ == "__main__":
    sys.exit(main())
