"""Enrichments degrade, documents survive: a failing metadata reader leaves its field empty and a
warning, a failing choice of the main content keeps the whole body, and the document lands.
Only an unexpected failure to read the text itself is a reject: `internal_error`, said apart."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import parsers.html
import parsers.pdf.front_matter
import parsers.pdf.metadata
from conftest import DATA, RAW
from docpipe import metadata
from docpipe.batch import BatchResult
from docpipe.document import Document, Reject, Source
from docpipe.pipeline import process_bytes, process_path, sha256_of
from docpipe.reasons import RejectReason
from docpipe.records import document_record
from docpipe.summary import RunSummary

REGRESSIONS = DATA / "regressions"


def _process(data: bytes, name: str) -> Document | Reject:
    return process_bytes(data, Source(path=name, sha256=sha256_of(data), size_bytes=len(data)))


def _broken(*args: object) -> None:
    raise ValueError("a bug in an enrichment")


def test_the_page_of_issue_21_is_a_document_with_its_date():
    # "Updated 5 March 2021 ²": the superscript footnote mark once reached int() and rejected the page.
    doc = process_path(REGRESSIONS / "issue21-superscript-date.html")
    assert isinstance(doc, Document), doc
    assert doc.metadata.published_date == "2021-03-05"
    assert "school garden programme in forty schools" in doc.text and "natural science" in doc.text
    assert doc.warnings == []


def test_an_earlier_article_too_deep_to_be_scored_is_the_main_content():
    # The first of two stacked <article>s, its paragraph six elements down, was chosen as the
    # article and then looked up among the scored elements: KeyError, the page rejected.
    doc = process_path(REGRESSIONS / "stacked-articles-deep-first.html")
    assert isinstance(doc, Document), doc
    assert doc.text.startswith("The first story of the page tells how the river was cleaned")
    assert "Second story" not in doc.text and doc.warnings == []


def test_a_failing_date_reader_leaves_the_date_empty_and_the_document_lands(monkeypatch):
    monkeypatch.setattr(metadata, "normalise_date", _broken)
    doc = process_path(REGRESSIONS / "issue21-superscript-date.html")
    assert isinstance(doc, Document) and doc.metadata.published_date is None
    assert doc.metadata.title == "Report" and "forty schools" in doc.text
    (warning,) = doc.warnings
    assert warning.step == "_broken"
    assert warning.error.startswith("ValueError at docpipe/document.py:") and warning.error.endswith(": a bug in an enrichment")


def test_a_failing_container_choice_keeps_the_whole_body(monkeypatch):
    page = RAW / "002_focal_archive_peschard-sverdrup.html"
    chosen = process_path(page)
    monkeypatch.setattr(parsers.html, "_select", _broken)
    whole = process_path(page)
    assert isinstance(whole, Document) and [w.step for w in whole.warnings] == ["_broken"]
    assert len(whole.text) > len(chosen.text)
    assert "outside-main-content" not in whole.removal_counts()


def test_failing_html_metadata_readers_each_leave_only_their_field_empty(monkeypatch):
    page = RAW / "003_bloomberg_canada_venezuela.html"
    whole = process_path(page)
    assert whole.metadata.title and whole.metadata.authors and whole.metadata.published_date
    monkeypatch.setattr(parsers.html_metadata, "_authors", _broken)
    monkeypatch.setattr(parsers.html, "byline_authors", _broken)
    doc = process_path(page)
    assert isinstance(doc, Document) and doc.metadata.authors == []
    assert (doc.metadata.title, doc.metadata.published_date, doc.text) == (whole.metadata.title, whole.metadata.published_date, whole.text)
    assert len(doc.warnings) == 2


def test_failing_pdf_metadata_readers_leave_the_text(monkeypatch):
    monkeypatch.setattr(parsers.pdf.metadata, "from_document", _broken)
    monkeypatch.setattr(parsers.pdf.front_matter, "read_front_matter", _broken)
    monkeypatch.setattr(parsers.pdf.metadata, "read_printed_metadata", _broken)
    doc = process_path(next(RAW.glob("001_*.pdf")))
    assert isinstance(doc, Document) and "Mexico" in doc.text
    assert doc.raw_metadata == {} and doc.metadata.series is None
    assert len(doc.warnings) == 3


def test_warnings_reach_the_row_and_the_run_summary(monkeypatch):
    monkeypatch.setattr(metadata, "isbn_is_valid", _broken)
    monkeypatch.setattr(metadata, "normalise_date", _broken)
    page = (RAW / "003_bloomberg_canada_venezuela.html").read_bytes()
    doc = _process(page, "page.html")
    row = document_record(doc, run_id="r", ingested_at=datetime.now(timezone.utc))
    assert row["published_date"] is None and row["published_day"] is None
    assert row["metadata"]["warnings"] == [str(w) for w in doc.warnings] and row["metadata"]["warnings"][0].startswith("_broken: ValueError")
    summary = RunSummary(run_id="r", out="out")
    summary.add(BatchResult(documents=[doc, doc]))
    assert summary.warnings == {"_broken": 2} and summary.internal_errors == 0
    assert "| _broken | 2 |" in summary.markdown() and "2 enrichment warnings" in summary.markdown()


def test_a_bug_in_a_stage_is_an_internal_error_naming_the_exception_and_the_line(monkeypatch):
    monkeypatch.setattr("docpipe.pipeline.clean", _broken)
    reject = _process((RAW / "003_bloomberg_canada_venezuela.txt").read_bytes(), "notes.txt")
    assert isinstance(reject, Reject) and reject.stage == "clean"
    assert reject.error_type is RejectReason.INTERNAL_ERROR
    assert reject.message.startswith("ValueError at docpipe/pipeline.py:") and " process_bytes: a bug in an enrichment" in reject.message
    summary = RunSummary(run_id="r", out="out")
    summary.add(BatchResult(rejects=[reject]))
    assert summary.internal_errors == 1 and "1 internal errors" in summary.markdown()


@pytest.mark.parametrize("date", ["2021-02-30", "2021-02-29", "2021-13-01", "0000-00-00"])
def test_an_impossible_date_in_the_markup_is_no_date(date):
    page = f'<html><head><meta property="article:published_time" content="{date}"></head><body><article><p>{"Words of the article. " * 10}</p></article></body></html>'
    doc = _process(page.encode(), "page.html")
    assert isinstance(doc, Document) and doc.metadata.published_date is None and doc.warnings == []
    document_record(doc, run_id="r", ingested_at=datetime.now(timezone.utc))  # published_day needs a real day
