"""Shared fixtures. Prefect's home goes to a temporary folder before anything imports it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="docpipe-test-prefect-")

PROJECT = Path(__file__).resolve().parent.parent
RAW = PROJECT / "raw"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def prefect_server():
    """One embedded Prefect server for every flow test: starting one costs 10-25 s."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=None):
        yield
