"""Worker processes bound each input's time and memory, and keep results in input order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


_FORKSERVER_PROBE = """
import multiprocessing
import sys

from docpipe.isolation import start_forkserver


def reader_imported(queue):
    queue.put("pyarrow.fs" in sys.modules)


if __name__ == "__main__":
    start_forkserver(remote_inputs=sys.argv[1] == "remote")
    context = multiprocessing.get_context("forkserver")
    queue = context.Queue()
    worker = context.Process(target=reader_imported, args=(queue,))
    worker.start()
    print(queue.get())
    worker.join()
"""


def test_workers_for_remote_inputs_start_with_their_reader_imported_and_those_for_local_files_without(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(_FORKSERVER_PROBE)
    project = str(Path(__file__).resolve().parent.parent)

    def reader_imported(inputs: str) -> str:
        environment = {**os.environ, "PYTHONPATH": project}
        return subprocess.run([sys.executable, str(probe), inputs], env=environment, capture_output=True, text=True, check=True).stdout.strip()

    assert (reader_imported("remote"), reader_imported("local")) == ("True", "False")
