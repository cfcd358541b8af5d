"""Each class of failure the fuzz campaign (bench/fuzz.py) and the property tests found, as the
smallest input that shows it, built from the repository's own files (the devset's PDFs may not
be copied here): each is now a document or a reject for its input's reason, never an internal
error or a timeout."""

from __future__ import annotations

import importlib.util
import re
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile
from docpipe.document import Document, Reject, Source
from docpipe.isolation import Limits, run_isolated
from docpipe.pipeline import Settings, process_bytes, sha256_of
from docpipe.reasons import RejectReason
from conftest import DATA
from fuzzing import Seed, mutate, one_page_pdf, small_pdf
from parsers import html_metadata
from parsers.encoding import decode
from parsers.pdf.pdfminer_patches import decompress_corrupted

_PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _process(data: bytes, name: str) -> Document | Reject:
    return process_bytes(data, Source(path=name, sha256=sha256_of(data), size_bytes=len(data)))


def _with_xref_offset(data: bytes, entry: int, offset: bytes) -> bytes:
    found = list(re.finditer(rb"(?m)^\d{10} 00000 n", data))[entry]
    return data[: found.start()] + offset + data[found.start() + 10 :]


@pytest.mark.parametrize("entry", [0, 1, 2])  # the catalog, the page tree, the page
def test_an_object_offset_too_large_to_seek_to_is_a_corrupt_pdf(entry):
    # fuzz-2 #2044 (a devset paper with one xref offset made 20 digits long): OverflowError from file.seek.
    outcome = _process(_with_xref_offset(small_pdf(), entry, b"99999999999999999999"), "paper.pdf")
    assert isinstance(outcome, Reject) and outcome.error_type is RejectReason.CORRUPT_PDF, outcome


def test_a_content_stream_that_is_not_the_run_length_data_it_claims_is_an_unreadable_page():
    # Found probing the filters the fuzz swaps in: pdfminer's RunLengthDecode raised RuntimeError
    # (StopIteration inside a generator) on data that ends mid-run.
    data = small_pdf().replace(b"<< /Length", b"<< /Filter /RunLengthDecode /Length", 1)
    outcome = _process(data, "paper.pdf")
    assert isinstance(outcome, Reject) and outcome.error_type is RejectReason.CORRUPT_PDF, outcome
    assert outcome.message == "none of the 1 pages could be read"


def test_a_word_set_at_font_size_zero_after_a_space_is_read_without_it():
    # fuzz-2028 #1933 (a devset paper's content stream mutated): ZeroDivisionError measuring the
    # word gap in ems of a glyph whose size is 0.
    content = b"BT /F1 11 Tf 14 TL 72 720 Td (Annual report of the school garden programme) ' (Jane Doe and ) Tj "
    content += b"/F1 0 Tf (John Roe) Tj /F1 11 Tf (The programme reached forty schools of the region last year.) ' ET"
    data = one_page_pdf(content)
    outcome = _process(data, "paper.pdf")
    assert isinstance(outcome, Document), outcome
    assert "forty schools" in outcome.text


@pytest.mark.parametrize("json_ld", [
    "[" * 5000 + "]" * 5000,  # deeper than the JSON decoder follows
    '{"@type": "NewsArticle", "publisher": ' + "[" * 900 + '"The Gazette"' + "]" * 900 + "}",  # deeper than the name reader recursed
])
def test_json_ld_nested_past_the_recursion_limit_is_no_enrichment_warning(json_ld):
    # Found probing JSON-LD shapes after the fuzz: the page landed, but with a RecursionError warning.
    page = f'<html><head><script type="application/ld+json">{json_ld}</script></head><body><article><p>{"Words of the article, with commas. " * 10}</p></article></body></html>'
    doc = _process(page.encode(), "page.html")
    assert isinstance(doc, Document) and doc.warnings == [], doc
    assert doc.metadata.publisher == ("The Gazette" if "Gazette" in json_ld else None)


def test_names_keep_their_order_however_they_nest():
    value = ["Ana", {"name": ["Bea", {"name": "Cy"}]}, [["Di"], "http://example.org/me"], {"name": ""}, 7]
    assert html_metadata._names(value) == ["Ana", "Bea", "Cy", "Di"]


def test_objects_that_are_references_to_themselves_end_at_once(tmp_path):
    # Found probing odd Info dictionaries after the fuzz: pdfminer's resolve1 follows "6 0 obj 6 0 R"
    # forever (a timeout after 120 s). Run under a time limit, so that a return of the bug fails here.
    info = b"<< /Title (Annual report) /Author (Jane Doe; John Roe) /CreationDate (D:20210305120000Z) >>"
    pdf = small_pdf()
    loops = {
        "info-itself.pdf": pdf.replace(info, b"6 0 R"),  # the trailer's /Info is object 6, which is "6 0 R"
        "pages-itself.pdf": pdf.replace(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"2 0 R"),
    }
    paths = []
    for name, data in loops.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    for name, outcome in zip(loops, run_isolated(paths, Settings(), 2, Limits(seconds_per_document=60, memory_bytes=2**30))):
        assert isinstance(outcome, Document), (name, _message(outcome))
        assert "forty schools" in outcome.text and outcome.warnings == []


def test_an_xmp_packet_that_cannot_be_decoded_is_no_xmp():
    # fuzz-2027 #1065 (tests/data's Hindawi paper, its XMP stream given another /Filter): pdfminer's
    # decoder raised IndexError; the paper landed, but without its Info metadata and with a warning.
    paper = DATA / "pdf" / "en_hindawi2010_2col.pdf"
    data, mutations = mutate(Seed(paper.name, "pdf", paper.read_bytes()), 10109864902546653412, [])
    assert mutations == ("pdf_filter",)
    doc = _process(data, "paper.pdf")
    assert isinstance(doc, Document) and doc.warnings == [], doc.warnings
    assert doc.metadata.title == _process(paper.read_bytes(), "paper.pdf").metadata.title


def test_a_declared_charset_that_refuses_the_bytes_falls_back():
    # Found writing the decoding property test (a page declaring charset=idna): the idna codec
    # raises UnicodeError, not UnicodeDecodeError, on a punycode label it cannot read.
    assert decode(b"<p>Visit www.xn--zz.example today.</p>", "idna") == ("<p>Visit www.xn--zz.example today.</p>", "utf-8")


def _damaged_bomb(tmp_path, at: float) -> str:
    """The hostile bomb (300 MiB of deflated spaces) with one byte of its stream changed ``at`` its length."""
    data = bytearray(hostile.pdf_bomb(300 * 2**20))
    start = data.index(b"stream\n") + len(b"stream\n")
    end = data.index(b"\nendstream")
    data[start + int(at * (end - start))] ^= 0xFF
    path = tmp_path / f"bomb-damaged-at-{at}.pdf"
    path.write_bytes(bytes(data))
    return str(path)


def test_a_bomb_damaged_past_the_cap_is_refused_and_one_damaged_before_it_is_read_at_once(tmp_path):
    # fuzz-1 #11, #47, #183 (the hostile bomb with a byte flipped): pdfminer inflates a damaged
    # stream a byte at a time, copying its output each time: timeouts after 120 s, for hours.
    late, early = _damaged_bomb(tmp_path, 0.97), _damaged_bomb(tmp_path, 0.5)
    refused, read = run_isolated([late, early], Settings(), 2, Limits(seconds_per_document=60, memory_bytes=2**31))
    assert refused.error_type is RejectReason.DECOMPRESSION_BOMB, _message(refused)
    # Damaged half-way: pdfminer's own rule drops the stream, and the page has no text left.
    assert read.error_type is RejectReason.NO_TEXT_LAYER, _message(read)


def _message(outcome: Document | Reject) -> str:
    return outcome.message if isinstance(outcome, Reject) else "a document"


def _pdfminers_own_decompress_corrupted():
    """pdfminer's original function, from a fresh copy of its module (docpipe replaces it)."""
    spec = importlib.util.find_spec("pdfminer.pdftypes")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.decompress_corrupted


_ORIGINAL_DECOMPRESS_CORRUPTED = _pdfminers_own_decompress_corrupted()


@_PROPERTY
@given(st.binary(min_size=1, max_size=3000), st.data())
def test_the_damaged_stream_fallback_gives_what_pdfminers_own_gives(content, data):
    packed = bytearray(zlib.compress(content * 3))
    for _ in range(data.draw(st.integers(0, 3))):
        packed[data.draw(st.integers(0, len(packed) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(packed)))
    damaged = bytes(packed[:cut])

    def outcome(function):
        try:
            return function(damaged)
        except zlib.error:
            return "zlib.error"

    assert outcome(decompress_corrupted) == outcome(_ORIGINAL_DECOMPRESS_CORRUPTED)
