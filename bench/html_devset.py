"""Score docpipe's HTML cleaning and trafilatura side by side on the shared devset.

    .venv/bin/python bench/html_devset.py [--lang en,es,fr] [--limit N] [--failures 10] [--worst 10] [--devset DIR]

Runs the devset's own scorer (``../shared/devset/html/score.py``, standard library only) once
per extractor, in this process, and prints its tables: found / absent / F per language,
reader-comment snippets absent, median milliseconds per page, then the worst pages for
docpipe with the snippets they miss or leak (``--failures``: most snippets wrong first;
``--worst``: lowest per-page F first, one line each).

With trafilatura there (the ``bench`` extra; without it only docpipe is scored) it then
compares the two page by page:

* the CPU time of each extractor over all pages, on this one core, and their ratio (with
  ``--rounds N``, N - 1 more timing passes alternate the two and the median ratio is given:
  on a shared machine one pass varies by a tenth or more);
* per language, the ratio of the words docpipe keeps to the words trafilatura keeps (median
  of the pages' ratios, and total over total), and how much of trafilatura's text docpipe
  also has (4-token shingles: ``shared`` = share of trafilatura's shingles docpipe has too);
* every page where docpipe keeps less than half or more than twice trafilatura's words,
  with the evidence to judge it: the devset snippets each one misses or leaks, and, for
  text trafilatura keeps and docpipe does not, the docpipe rules that removed it.

The devset has snippets, not reference texts, so there is no full-text F1 here: the issue's
full-text figures come from pages outside this folder. Exits 0 with a message when the
devset is not there.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_DEVSET = PROJECT.parent / "shared" / "devset" / "html"
sys.path.insert(0, str(PROJECT))

from docpipe.boilerplate import clean  # noqa: E402
from docpipe.document import Document, Source  # noqa: E402
from parsers.html import parse_html  # noqa: E402

_WORD = re.compile(r"\w+")
_SHINGLE = 4
_FAR_BELOW, _FAR_ABOVE = 0.5, 2.0


@dataclass
class Run:
    """What one extractor produced on one page, in the scorer's order."""

    words: list[str]
    cpu_s: float
    removed: list[tuple[str, str]] = field(default_factory=list)  # (rule, text): docpipe only


RUNS: dict[str, list[Run]] = {"docpipe": [], "trafilatura": []}


def docpipe_document(html: bytes | str, url: str | None = None) -> Document:
    data = html if isinstance(html, bytes) else html.encode("utf-8")
    doc = parse_html(data, Source(path=url or "page.html", sha256="", size_bytes=len(data)))
    return clean(doc)


def docpipe_text(html: bytes | str, url: str | None = None) -> str:
    """The devset scorer's extractor interface over docpipe: parse_html, then clean."""
    start = time.process_time()
    doc = docpipe_document(html, url)
    text = doc.text
    RUNS["docpipe"].append(Run(_words(text), time.process_time() - start, [(r.rule, r.text) for r in doc.removed]))
    return text


def trafilatura_text(html: bytes | str, url: str | None = None) -> str | None:
    """trafilatura as in its own benchmark: comments off, tables on."""
    import trafilatura

    start = time.process_time()
    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=True)
    RUNS["trafilatura"].append(Run(_words(text or ""), time.process_time() - start))
    return text


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) < _SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def shared_share(ours: list[str], theirs: list[str]) -> float:
    """Share of ``theirs``' shingles that ``ours`` has too (1.0 when theirs is empty)."""
    wanted = _shingles(theirs)
    return len(wanted & _shingles(ours)) / len(wanted) if wanted else 1.0


def word_ratio(ours: int, theirs: int) -> float:
    if theirs == 0:
        return 1.0 if ours == 0 else float("inf")
    return ours / theirs


def rules_behind_loss(docpipe: Run, trafilatura: Run) -> Counter[str]:
    """Trafilatura's shingles docpipe lacks, counted by the docpipe rule whose removal holds them."""
    lost = _shingles(trafilatura.words) - _shingles(docpipe.words)
    blame: Counter[str] = Counter()
    for rule, text in docpipe.removed:
        hit = len(lost & _shingles(_words(text)))
        if hit:
            blame[rule] += hit
            lost -= _shingles(_words(text))
    if lost:
        blame["(not removed by a rule)"] += len(lost)
    return blame


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


def timing_round(pages: list[tuple[bytes, str | None]]) -> tuple[float, float]:
    """CPU seconds of docpipe, then of trafilatura, over all ``pages`` (what they keep is not kept)."""
    totals = []
    for extract in (docpipe_text, trafilatura_text):
        runs = RUNS["docpipe" if extract is docpipe_text else "trafilatura"]
        before = len(runs)
        for html, url in pages:
            try:
                extract(html, url)
            except Exception:  # scored as empty by the scorer; here only the time counts
                pass
        totals.append(sum(run.cpu_s for run in runs[before:]))
        del runs[before:]
    return totals[0], totals[1]


def print_cost(rounds: list[tuple[float, float]]) -> None:
    ours, theirs = rounds[0]
    print(f"\nCPU time on one core, all {len(RUNS['docpipe'])} pages: docpipe {ours:.2f} s, trafilatura {theirs:.2f} s, "
          f"ratio {ours / theirs:.2f} (docpipe / trafilatura)")
    if len(rounds) > 1:
        ratios = [ours / theirs for ours, theirs in rounds]
        print(f"over {len(rounds)} rounds: ratios {' '.join(f'{r:.2f}' for r in ratios)}, median {statistics.median(ratios):.2f}")


def print_comparison(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> None:
    """Per-language word ratios and shared text, and the pages far from trafilatura."""
    docpipe, trafilatura = RUNS["docpipe"], RUNS["trafilatura"]
    by_lang: dict[str, list[int]] = {}
    for index, page in enumerate(ours):
        by_lang.setdefault(page["lang"], []).append(index)
    header = f"{'lang':<8}{'pages':>6}{'median ratio':>14}{'words ratio':>13}{'shared':>8}{'< 1/2':>7}{'> 2x':>6}"
    print("\nwords kept, docpipe / trafilatura (shared: share of trafilatura's 4-token shingles docpipe also has)")
    print(header)
    print("-" * len(header))
    rows = sorted(by_lang.items(), key=lambda item: (-len(item[1]), item[0])) + [("ALL", list(range(len(ours))))]
    for lang, indexes in rows:
        if lang == "ALL":
            print("-" * len(header))
        ratios = [word_ratio(len(docpipe[i].words), len(trafilatura[i].words)) for i in indexes]
        ours_words = sum(len(docpipe[i].words) for i in indexes)
        theirs_words = sum(len(trafilatura[i].words) for i in indexes)
        shared = sum(shared_share(docpipe[i].words, trafilatura[i].words) for i in indexes) / len(indexes)
        below = sum(1 for r in ratios if r < _FAR_BELOW)
        above = sum(1 for r in ratios if r > _FAR_ABOVE)
        print(f"{lang:<8}{len(indexes):>6}{statistics.median(ratios):>14.2f}{word_ratio(ours_words, theirs_words):>13.2f}"
              f"{shared:>8.3f}{below:>7}{above:>6}")
    far = [i for i in range(len(ours)) if not _FAR_BELOW <= word_ratio(len(docpipe[i].words), len(trafilatura[i].words)) <= _FAR_ABOVE]
    print(f"\npages where docpipe keeps < {_FAR_BELOW:g}x or > {_FAR_ABOVE:g}x trafilatura's words: {len(far)}")
    for i in sorted(far, key=lambda i: word_ratio(len(docpipe[i].words), len(trafilatura[i].words))):
        mine, other = ours[i], theirs[i]
        print(f"  {word_ratio(len(docpipe[i].words), len(trafilatura[i].words)):5.2f}  {mine['file']} [{mine['lang']}]  "
              f"docpipe {len(docpipe[i].words)} words, trafilatura {len(trafilatura[i].words)}")
        for name, page in (("docpipe", mine), ("trafilatura", other)):
            for snippet in page["missing"]:
                print(f"         {name} misses {snippet[:70]!r}")
            for snippet in page["leaked"]:
                print(f"         {name} leaks {snippet[:70]!r}")
        blame = rules_behind_loss(docpipe[i], trafilatura[i])
        if blame:
            print("         trafilatura's text docpipe lacks, shingles by rule: "
                  + ", ".join(f"{rule} {count}" for rule, count in blame.most_common(4)))


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
    parser.add_argument("--rounds", type=int, default=1, help="timing passes for the CPU ratio, the scoring pass included (default 1)")
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
    # The scorer imports its extractor by name: under this name it finds this very module
    # (not a second copy of the file), whose RUNS then collect what each extractor kept.
    sys.modules["html_devset"] = sys.modules[__name__]
    RUNS["docpipe"].clear()
    RUNS["trafilatura"].clear()

    compare = not args.no_trafilatura and importlib.util.find_spec("trafilatura") is not None
    if not args.no_trafilatura and not compare:
        print("trafilatura is not installed (pip install -e '.[bench]'); scoring docpipe only.\n")
    with tempfile.TemporaryDirectory() as scratch:
        theirs_json, ours_json = Path(scratch) / "trafilatura.json", Path(args.json or Path(scratch) / "docpipe.json")
        if compare:
            scorer.main(["html_devset:trafilatura_text", *common, "--json", str(theirs_json)])
            print()
        status = scorer.main(["html_devset:docpipe_text", *common, "--failures", str(args.failures), "--json", str(ours_json)])
        ours = json.loads(ours_json.read_text(encoding="utf-8"))["pages"]
        if args.worst:
            print_worst(ours, args.worst)
        if compare:
            rounds = [(sum(r.cpu_s for r in RUNS["docpipe"]), sum(r.cpu_s for r in RUNS["trafilatura"]))]
            if args.rounds > 1:
                pages = _pages(args.devset, args.lang, args.limit)
                rounds += [timing_round(pages) for _ in range(args.rounds - 1)]
            print_cost(rounds)
            print_comparison(ours, json.loads(theirs_json.read_text(encoding="utf-8"))["pages"])
    return status


def _pages(devset: Path, lang: str | None, limit: int | None) -> list[tuple[bytes, str | None]]:
    """The pages the scorer read, in its order: bytes and URL."""
    cases = [json.loads(line) for line in (devset / "cases.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    if lang:
        cases = [case for case in cases if case["lang"] in set(lang.split(","))]
    return [((devset / case["file"]).read_bytes(), case.get("url")) for case in cases[:limit]]


if __name__ == "__main__":
    sys.exit(main())
