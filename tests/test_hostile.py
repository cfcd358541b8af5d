"""Hostile and broken inputs: each becomes a clean document or a reject with its reason, and the run goes on."""

from __future__ import annotations

import re
import time

import pytest

import hostile
from docpipe.document import Document, Reject, Source
from docpipe.isolation import Limits, run_isolated
from docpipe.pipeline import DEFAULT_MAX_TEXT_BYTES, Settings, process_bytes
from docpipe.config import RunConfig
from docpipe.reasons import RejectReason

# The defaults a user gets: the 50 MB page must be refused by them, not by a test's own cap.
SETTINGS = Settings()
LIMITS = Limits(seconds_per_document=30, memory_bytes=2**30)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> hostile.HostileCorpus:
    return hostile.build(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def outcomes(corpus):
    started = time.monotonic()
    names = sorted(corpus.cases)
    results = run_isolated([str(corpus.folder / name) for name in names], SETTINGS, 2, LIMITS)
    return dict(zip(names, results)), time.monotonic() - started


def test_every_hostile_input_gets_its_expected_outcome(corpus, outcomes):
    results, _ = outcomes
    wrong = {}
    for name, expected in corpus.cases.items():
        outcome = results[name]
        if isinstance(outcome, Document):
            text = outcome.text
            if not expected.document or any(s not in text for s in expected.contains) or any(s in text for s in expected.absent):
                wrong[name] = f"document: {text[:120]!r}"
        elif outcome.error_type not in expected.reasons:
            wrong[name] = f"reject {outcome.error_type}: {outcome.message}"
    assert not wrong


def test_rejects_say_why_and_documents_carry_no_control_characters(outcomes):
    results, _ = outcomes
    for name, outcome in results.items():
        if isinstance(outcome, Document):
            assert not _CONTROL.search(outcome.text), name
            assert all(not _CONTROL.search(block.text) for block in outcome.blocks), name
        else:
            assert outcome.message and outcome.stage, name
            assert outcome.error_type != RejectReason.INTERNAL_ERROR, outcome.message


def test_an_unreadable_file_is_the_inputs_fault_and_says_which_error(outcomes):
    results, _ = outcomes
    loop = results["loop-a.html"]
    assert isinstance(loop, Reject) and loop.stage == "read" and loop.error_type == RejectReason.UNREADABLE
    assert loop.message.startswith("OSError: ") and "symbolic links" in loop.message


def test_a_big_page_is_refused_at_once_with_the_limit_it_broke(outcomes):
    results, _ = outcomes
    refusal = results["big-page.html"]
    assert isinstance(refusal, Reject) and refusal.stage == "detect"
    assert f"the {DEFAULT_MAX_TEXT_BYTES}-byte limit for HTML and text" in refusal.message


@pytest.mark.parametrize("data", [b"<html><body><p>" + b"Words. " * 40 + b"</p></body></html>", b"Words. " * 40])
def test_the_text_size_limit_applies_to_html_and_text(data):
    outcome = process_bytes(data, Source("input", "", len(data)), Settings(max_text_bytes=100))
    assert isinstance(outcome, Reject) and outcome.error_type == RejectReason.TOO_LARGE


def test_the_text_size_limit_leaves_pdf_to_the_general_limit():
    data = (hostile.DATA / "pdf" / "en_encrypted_aes256.pdf").read_bytes()
    outcome = process_bytes(data, Source("input.pdf", "", len(data)), Settings(max_text_bytes=100))
    assert isinstance(outcome, Reject) and outcome.error_type == RejectReason.ENCRYPTED


def test_the_flow_lands_every_file_as_a_document_or_a_reject(prefect_server, corpus, tmp_path):
    from flows.ingest import ingest

    def run():
        return ingest(
            paths=[str(corpus.folder)], out_dir=str(tmp_path / "out"), config=RunConfig(
                workers=2, timeout_seconds=LIMITS.seconds_per_document, max_memory_mb=LIMITS.memory_bytes // 2**20, max_bytes=SETTINGS.max_bytes
            ),
        )

    source_before = _tree(corpus.folder)
    first = run()
    # Odd names (newlines, accents, symlink loops) are data: nothing is written beside the
    # sources or anywhere under this test's folder but the output root.
    assert _tree(corpus.folder) == source_before
    assert all(path.is_relative_to(tmp_path / "out") for path in tmp_path.rglob("*") if path.is_file())
    assert first.files_seen == len(corpus.cases)
    assert first.documents + len(first.rejects) == len(corpus.cases)
    second = run()  # unreadable files too are known: nothing is written twice
    assert second.documents == 0 and not second.rejects


def _tree(folder):
    return sorted((str(path), path.lstat().st_size, path.lstat().st_mtime_ns) for path in folder.rglob("*"))
