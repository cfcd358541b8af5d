"""The devset pages read from a web archive against the same pages read from files.

Reads ../shared/inputs/warc/devset-sample.warc.gz (50 devset pages under their original URLs,
3 PDFs, a PNG and a 404) and the devset files it was written from, and prints, for both: the
devset's `must_contain` snippets found and `must_not_contain` snippets absent (matched by URL,
as bench/html_devset.py counts them), how many pages come out with the same text, and what
the archive's other records became.

    nice -n 5 .venv/bin/python bench/warc_devset.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
SHARED = PROJECT.parent / "shared"
ARCHIVE = SHARED / "inputs" / "warc" / "devset-sample.warc.gz"
CASES = SHARED / "devset" / "html" / "cases.jsonl"

from docpipe.batch import expand, malformed  # noqa: E402
from docpipe.discover import discover  # noqa: E402
from docpipe.document import Document  # noqa: E402
from docpipe.isolation import default_workers, run_isolated  # noqa: E402
from docpipe.pipeline import Settings  # noqa: E402


def _score(text: str, case: dict) -> tuple[int, int]:
    folded = " ".join(text.split())
    found = sum(" ".join(snippet.split()) in folded for snippet in case["must_contain"])
    absent = sum(" ".join(snippet.split()) not in folded for snippet in case["must_not_contain"])
    return found, absent


def main() -> None:
    if not ARCHIVE.is_file():
        sys.exit(f"{ARCHIVE} is absent")
    cases = {case["url"]: case for case in map(json.loads, CASES.read_text(encoding="utf-8").splitlines())}
    items, skipped = expand(discover([str(ARCHIVE)]))
    readable = [item for item in items if item.problem is None]
    records = run_isolated([item.locator for item in readable], Settings(), default_workers())
    outcomes = [malformed(item) for item in items if item.problem] + records
    pages = {o.source.origin["warc_target_uri"]: o for o in outcomes if isinstance(o, Document) and o.source.origin.get("warc_target_uri") in cases}
    files = {url: str(CASES.parent / cases[url]["file"]) for url in pages}
    originals = dict(zip(files, run_isolated(list(files.values()), Settings(), default_workers())))

    totals = {"archive": [0, 0], "files": [0, 0]}
    same = 0
    for url, page in pages.items():
        original = originals[url]
        for name, doc in (("archive", page), ("files", original)):
            found, absent = _score(doc.text if isinstance(doc, Document) else "", cases[url])
            totals[name][0] += found
            totals[name][1] += absent
        same += isinstance(original, Document) and original.text == page.text
    wanted = sum(len(cases[url]["must_contain"]) for url in pages)
    unwanted = sum(len(cases[url]["must_not_contain"]) for url in pages)
    documents = [o for o in outcomes if isinstance(o, Document)]
    print(f"{ARCHIVE.name}: {len(items)} records to read, {len(documents)} documents "
          f"({', '.join(sorted({d.source.source_type.value for d in documents}))}), "
          f"{len(outcomes) - len(documents)} rejects, not documents: {dict(skipped)}")
    print(f"{len(pages)} devset pages by URL; same text as from the files: {same}/{len(pages)}")
    for name, (found, absent) in totals.items():
        print(f"  {name:<8} must_contain found {found}/{wanted}   must_not_contain absent {absent}/{unwanted}")


if __name__ == "__main__":
    main()
