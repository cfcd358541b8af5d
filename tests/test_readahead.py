"""A worker's read-ahead (docpipe/readahead.py): remote inputs' reads start in threads before their turn, within
the bound on documents and bytes, in queue order; local files and inputs past the bound are read at their turn."""

from __future__ import annotations

import threading

from docpipe import readahead
from docpipe.document import Source
from docpipe.readahead import ReadAhead
from docpipe.sources import Locator


def test_reads_start_ahead_within_the_bounds_in_queue_order_and_the_rest_at_their_turn(monkeypatch, tmp_path):
    where = {}

    def read_input(locator: Locator, max_bytes: int) -> tuple[bytes, Source]:
        where[locator.location] = "ahead" if threading.current_thread() is not threading.main_thread() else "at its turn"
        return locator.location.encode(), Source(locator.location, "", 0)

    monkeypatch.setattr(readahead, "read_input", read_input)
    local = tmp_path / "local.txt"
    sizes = {"memory://a": 10, "memory://b": 60, "memory://big": 150, "memory://c": 10, "memory://d": 10}
    queue = ReadAhead(max_bytes=1000, reads=3, budget=100)
    for location, size in sizes.items():
        queue.add(Locator(location, size=size))
    queue.add(str(local))
    taken = []
    while queue:
        path, read = queue.take()
        taken.append(read()[0].decode())
    assert taken == [*sizes, str(local)]
    # a and b fit the budget; big does not, even alone, and holds c and d back until its turn
    assert where == {
        "memory://a": "ahead", "memory://b": "ahead", "memory://big": "at its turn", "memory://c": "ahead", "memory://d": "ahead",
        str(local): "at its turn",
    }
