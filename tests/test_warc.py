"""Web archives as inputs: each captured page, PDF or text record a document; the rest counted or rejected.

The archives are real: warcio's own test captures (including truncated and malformed ones)
and records copied byte for byte from the devset sample archive (tests/data/warc/README.md).
"""

from __future__ import annotations

import gzip
import json
from collections import Counter

import pytest

from conftest import DATA, RAW
from docpipe.batch import expand
from docpipe.config import RunConfig
from docpipe.discover import discover
from docpipe.dataset import DatasetStore
from docpipe.document import Document
from docpipe.isolation import run_isolated
from docpipe.pipeline import Settings, process_path
from docpipe.sources import Locator, read_input

WARC = DATA / "warc"
DEVSET_PAGES = WARC / "devset-pages.warc.gz"

# archive -> (offsets of documents, offsets of unreadable records, records that are not documents)
EXPECTED = {
    "example.warc": ([1197], [], {"warcinfo": 2, "request": 2, "revisit": 1}),
    "example.warc.gz": ([784], [], {"warcinfo": 2, "request": 2, "revisit": 1}),
    "example-iana.org-chunked.warc": ([405], [], {"warcinfo": 1, "request": 1}),
    "example-resource.warc.gz": ([802], [], {"warcinfo": 2}),
    # wget writes its log and arguments as resources under metadata:// URIs, and the target URIs in <>
    "example-wget-bad-target-uri.warc.gz": ([824], [], {"warcinfo": 1, "request": 1, "metadata": 1, "crawler metadata": 2}),
    # the response's gzip body is cut short: it ends where the request record's header begins
    "example-trunc.warc": ([], [1197], {"warcinfo": 2, "request": 1}),
    # the response's body sits in a gzip member of its own: one damaged stretch, the request after it is lost
    "example-wrong-chunks.warc.gz": ([], [0], {}),
    # example.warc gzipped as one stream, not a member per record: offsets are example.warc's
    "example-bad-non-chunked.warc.gz": ([1197], [], {"warcinfo": 2, "request": 2, "revisit": 1}),
    "devset-pages.warc.gz": ([0, 9553, 22652, 42561, 52501, 55489, 63004], [], {"image/png": 1, "HTTP 404": 1}),
}


def test_every_test_archive_has_its_expectation():
    assert sorted(path.name for path in WARC.glob("*.warc*")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_an_archive_gives_its_documents_its_unreadable_records_and_counts_the_rest(name):
    documents, damaged, skipped = EXPECTED[name]
    items, not_documents = expand(discover([str(WARC / name)]))
    assert [item.locator.record for item in items if item.problem is None] == documents
    assert [item.locator.record for item in items if item.problem is not None] == damaged
    assert not_documents == Counter(skipped)
    assert all(item.path == f"{WARC / name}#{item.locator.record}" for item in items)
    assert all(item.sha256 for item in items if item.problem is None)


def test_an_archive_gzipped_as_one_stream_gives_the_records_of_its_decompressed_bytes(tmp_path):
    plain = gzip.decompress(DEVSET_PAGES.read_bytes())  # a member per record, decompressed: the plain archive
    (tmp_path / "one-stream.warc.gz").write_bytes(gzip.compress(plain))
    (tmp_path / "plain.warc").write_bytes(plain)
    one_stream, _ = expand(discover([str(tmp_path / "one-stream.warc.gz")]))
    members, _ = expand(discover([str(tmp_path / "plain.warc")]))
    assert [(item.locator.record, item.sha256) for item in one_stream] == [(item.locator.record, item.sha256) for item in members]
    assert len(one_stream) == 7 and all(item.locator.one_stream for item in one_stream)
    last = one_stream[-1]  # read by decompressing everything before it
    assert read_input(last.locator, max_bytes=10**6)[1].sha256 == last.sha256
    assert not any(item.locator.one_stream for item in expand(discover([str(DEVSET_PAGES)]))[0])


def test_a_damaged_record_read_by_a_worker_is_a_malformed_record_reject():
    outcome = process_path(Locator(str(WARC / "example-trunc.warc"), 1197))
    assert (outcome.error_type, outcome.stage, outcome.source.path) == ("malformed_record", "read", f"{WARC}/example-trunc.warc#1197")


def test_archive_records_come_out_as_the_same_documents_as_the_files_they_captured():
    items, _ = expand(discover([str(DEVSET_PAGES)]))
    items = [item for item in items if item.size < 60_000]  # the five smallest: the suite's time is counted
    files = {case["url"]: DATA / "html" / case["file"].split("/")[-1] for case in map(json.loads, open(WARC / "devset-pages-cases.jsonl"))}
    files["https://example.org/raw/001_focal_fpp-04-8_canada_mexico.pdf"] = RAW / "001_focal_fpp-04-8_canada_mexico.pdf"
    records = run_isolated([item.locator for item in items], Settings(), workers=2)
    by_url = {record.source.origin["warc_target_uri"]: record for record in records}
    files = {url: path for url, path in files.items() if url in by_url}
    assert len(files) == len(by_url) == 5
    originals = dict(zip(files, run_isolated([str(path) for path in files.values()], Settings(), workers=2)))
    for url, record in by_url.items():
        original = originals[url]
        assert isinstance(record, Document) and isinstance(original, Document), url
        assert (record.source.sha256, record.source.source_type, record.metadata.title) == (
            original.source.sha256, original.source.source_type, original.metadata.title
        )
        assert (record.text, record.language, record.removal_counts()) == (original.text, original.language, original.removal_counts())
        assert record.source.origin["http_status"] == "200" and record.source.origin["warc_date"]


def test_an_ingested_archive_lands_its_records_and_a_rerun_skips_them(prefect_server, tmp_path, opened):
    from flows.ingest import ingest

    archives = [str(WARC / "example.warc.gz"), str(WARC / "example-trunc.warc"), str(WARC / "example-resource.warc.gz")]
    out = tmp_path / "out"
    first = ingest(paths=archives, out_dir=str(out), config=RunConfig(batch_size=2, workers=1))
    assert (first.documents, [path for path, _, _ in first.rejects]) == (2, [f"{WARC}/example-trunc.warc#1197"])
    assert first.records_skipped == Counter({"warcinfo": 6, "request": 3, "revisit": 1})
    # The flow's process read none of the new archives: a worker process scanned each of them.
    assert not [path for path in opened if path.startswith(str(WARC))]
    store = DatasetStore(str(out))
    documents = {row["source_path"]: row for row in store.read("documents").to_pylist()}
    assert sorted(documents) == [f"{WARC}/example-resource.warc.gz#802", f"{WARC}/example.warc.gz#784"]
    document = documents[f"{WARC}/example.warc.gz#784"]
    metadata = json.loads(document["metadata"])
    assert (metadata["warc_target_uri"], metadata["http_status"], metadata["warc_date"]) == ("http://example.com/", "200", "2017-03-06T04:02:06Z")
    (reject,) = store.read("rejects").to_pylist()
    assert (reject["error_type"], reject["stage"]) == ("malformed_record", "read")
    assert "http_status" not in json.loads(documents[f"{WARC}/example-resource.warc.gz#802"]["metadata"])  # a resource has no HTTP envelope
    rerun = ingest(paths=archives, out_dir=str(out), config=RunConfig(batch_size=2, workers=1))
    assert (rerun.documents, len(rerun.rejects), rerun.skipped_known) == (0, 0, 3)


def _arc(gzipped: bool) -> bytes:
    """An ARC (version 1) file as crawlers wrote them before WARC: its file header, a DNS lookup and a captured page."""
    page = (DATA / "html" / "flowfx.de.tmux.html").read_bytes()
    header_body = b"1 0 docpipe-test\nURL IP-address Archive-date Content-type Archive-length\n"
    dns_body = b"20170306040206\nflowfx.de. 300 IN A 192.0.2.7\n"
    http_body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s" % (len(page), page)
    records = [
        b"filedesc://test.arc 0.0.0.0 20170306040206 text/plain %d\n%s\n" % (len(header_body), header_body),
        b"dns:flowfx.de 192.0.2.1 20170306040206 text/dns %d\n%s\n" % (len(dns_body), dns_body),
        b"https://flowfx.de/blog/tmux/ 192.0.2.7 20170306040207 text/html %d\n%s\n" % (len(http_body), http_body),
    ]
    # A compressed ARC, like a compressed WARC, holds one gzip member per record.
    return b"".join(gzip.compress(record) for record in records) if gzipped else b"".join(records)


@pytest.mark.parametrize("name", ["capture.arc", "capture.arc.gz"])
def test_an_arc_file_is_a_container_like_a_warc(tmp_path, name):
    (tmp_path / name).write_bytes(_arc(name.endswith(".gz")))
    found = discover([str(tmp_path)])
    assert found.files == [str(tmp_path / name)]
    items, not_documents = expand(found)
    assert not_documents == Counter({"warcinfo": 1, "dns": 1})
    (item,) = items
    record, original = run_isolated([item.locator, str(DATA / "html" / "flowfx.de.tmux.html")], Settings(), workers=1)
    assert isinstance(record, Document) and record.source.path == f"{tmp_path / name}#{item.locator.record}"
    assert (record.source.sha256, record.text) == (original.source.sha256, original.text)
    assert record.source.origin["warc_target_uri"] == "https://flowfx.de/blog/tmux/" and record.source.origin["http_status"] == "200"


def test_warcio_s_warnings_go_to_the_log_not_to_stderr(capfd, caplog):
    with caplog.at_level("INFO", logger="docpipe.warc"):
        outcome = process_path(Locator(str(WARC / "example-trunc.warc"), 1197))
    assert outcome.error_type == "malformed_record"
    assert capfd.readouterr().err == ""
    assert any("Record not followed by newline" in message for message in caplog.messages)
