"""Shared fixtures. Prefect's home goes to a temporary folder before anything imports it."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

_PREFECT_HOME = tempfile.mkdtemp(prefix="docpipe-test-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
atexit.register(shutil.rmtree, _PREFECT_HOME, ignore_errors=True)
import flows  # noqa: E402,F401  the project's Prefect settings (telemetry off, quiet logs) before the harness reads them

PROJECT = Path(__file__).resolve().parent.parent
RAW = PROJECT / "raw"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def prefect_server():
    """One embedded Prefect server for every flow test: starting one costs 10-25 s."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=None):
        yield


def write_text_corpus(folder: Path, count: int) -> Path:
    """``count`` distinct small English text files: cheap inputs for tests about orchestration."""
    for number in range(count):
        (folder / f"note-{number:03d}.txt").write_text(
            f"Field note {number}\n\n"
            f"The committee met on day {number} to review the water supply of district {number % 17}. "
            "Members agreed that the reservoir needs new pumps before the dry season begins.\n\n"
            f"Item {number * 7}: the budget line was approved without amendment.\n",
            encoding="utf-8",
        )
    return folder


def dataset_snapshot(out: Path) -> dict[str, list[tuple]]:
    """What two runs must agree on, whatever their run ids, times and file layout."""
    from docpipe.dataset import DatasetStore

    store = DatasetStore(str(out))
    documents = store.read("documents").to_pylist()
    blocks = store.read("blocks").to_pylist()
    return {
        "documents": sorted((r["sha256"], r["source_path"], r["text"], r["language"], r["is_current"]) for r in documents),
        "blocks": sorted((r["doc_id"], r["block_index"], r["kind"], r["text"], r["language"]) for r in blocks),
    }
