"""Worker processes bound each input's time and memory, and keep results in input order."""

from __future__ import annotations

from docpipe.document import Document, Reject
from docpipe.isolation import Limits, run_isolated
from docpipe.pipeline import Settings

# These inputs are big on purpose: the limits under test are time and memory, not size.
NO_TEXT_SIZE_LIMIT = Settings(max_text_bytes=1 << 40)


def _write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_results_come_back_in_input_order_from_several_workers(tmp_path):
    paths = [_write(tmp_path, f"{i}.txt", f"Paragraph number {i} of the test corpus, written in English.") for i in range(6)]
    outcomes = run_isolated(paths, Settings(), workers=2)
    assert [o.source.path for o in outcomes] == paths
    assert all(isinstance(o, Document) for o in outcomes)


def test_a_document_over_its_time_limit_is_rejected_and_the_rest_still_run(tmp_path):
    big = _write(tmp_path, "big.txt", "A sentence of English text that goes on.\n\n" * 200_000)
    small = _write(tmp_path, "small.txt", "A short note in English.")
    slow, fast = run_isolated([big, small], NO_TEXT_SIZE_LIMIT, workers=1, limits=Limits(seconds_per_document=0.5))
    assert isinstance(slow, Reject) and slow.error_type == "timeout"
    assert isinstance(fast, Document)


def test_a_document_over_its_memory_limit_is_rejected(tmp_path):
    big = _write(tmp_path, "big.txt", "Words and more words in a very large file.\n" * 3_000_000)  # ~130 MB
    (outcome,) = run_isolated([big], NO_TEXT_SIZE_LIMIT, workers=1, limits=Limits(memory_bytes=600 * 2**20))
    assert isinstance(outcome, Reject)
    assert outcome.error_type in ("out_of_memory", "worker_crashed")
