"""Rebuild devset-pages.warc.gz: a few records of ../shared/inputs/warc/devset-sample.warc.gz, and a PDF.

The devset records are copied byte for byte (each record of a .warc.gz is a gzip member of
its own): six pages that are also in tests/data/html, the PNG and the 404 page. The sample's
PDFs may not be redistributed, so the PDF record is written here with warcio from the demo
corpus's raw/001 paper. The matching devset cases go to devset-pages-cases.jsonl.

    .venv/bin/python tests/data/warc/build_devset_pages.py
"""

import io
import json
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent.parent
SHARED = PROJECT.parent / "shared"
SAMPLE = SHARED / "inputs" / "warc" / "devset-sample.warc.gz"
PAGES = ("100noticias.com-millones", "aoc.media.archaisme", "bondyblog.fr.paris-8", "aclu.org-grades", "flowfx.de.tmux", "hackernoon.com.scrape")
PDF = PROJECT / "raw" / "001_focal_fpp-04-8_canada_mexico.pdf"


def main() -> None:
    cases = [json.loads(line) for line in (SHARED / "devset" / "html" / "cases.jsonl").read_text(encoding="utf-8").splitlines()]
    wanted = {case["url"]: case for case in cases if Path(case["file"]).stem in PAGES}
    data = SAMPLE.read_bytes()
    records = ArchiveIterator(io.BytesIO(data))
    spans = []
    for record in records:
        uri, status = record.rec_headers.get_header("WARC-Target-URI"), record.http_headers and record.http_headers.get_statuscode()
        kind = record.http_headers.get_header("Content-Type") if record.http_headers else ""
        start, length = records.get_record_offset(), records.get_record_length()
        if uri in wanted or status == "404" or kind == "image/png":
            spans.append(data[start : start + length])
    out = io.BytesIO()
    out.write(b"".join(spans))
    writer = WARCWriter(out, gzip=True)
    body = PDF.read_bytes()
    headers = StatusAndHeaders("200 OK", [("Content-Type", "application/pdf"), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(f"https://example.org/raw/{PDF.name}", "response", payload=io.BytesIO(body), http_headers=headers))
    (HERE / "devset-pages.warc.gz").write_bytes(out.getvalue())
    with open(HERE / "devset-pages-cases.jsonl", "w", encoding="utf-8") as cases_file:
        for case in wanted.values():
            cases_file.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"{len(spans)} records copied, 1 written; {len(wanted)} cases")


if __name__ == "__main__":
    main()
