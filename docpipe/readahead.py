"""A worker's read-ahead: the bytes of the remote inputs queued behind the one it parses, fetched meanwhile.

An object store answers each request after 20-50 ms (S3's first-byte latency): a worker
fetching each input only when its turn came would wait that long per document, doing nothing.
The flow keeps a few inputs in each worker's pipe (docpipe/isolation.py); the worker queues
them here as they arrive, and their reads run in threads while it parses. pyarrow's
filesystems read without holding the interpreter's lock, so a read ahead costs the parse next
to nothing. (boto3's GET would spare pyarrow's HEAD, but it runs ~3 ms of Python per object:
read ahead in a thread, it cost a worker 1 s of CPU and of wall time per 200 devset pages,
where pyarrow's cost 0.2 s of CPU and no wall time.) What the started reads will hold is
bounded by `READ_AHEAD_BYTES`, counted by the inputs' listed sizes, so a batch's big PDFs are
never all in memory at once: an input past the bound waits for its turn and is read then. A
read's outcome, bytes or error (a vanished object, a size over the limit), is handed over at
its input's turn, as if read then. Local files are read at their turn: a read from the page
cache costs less than a thread's hand-over.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from docpipe import remote
from docpipe.document import Source
from docpipe.sources import Locator, read_input

# Reads started ahead, at most; the flow keeps this many inputs behind the current one in each
# worker's pipe (isolation.py). An object costs two round trips (pyarrow's HEAD, then the GET):
# with 30 ms each and ~20 ms of parsing a page, 3 reads ahead left a worker waiting 2 s per 200
# devset pages, 6 none (a local S3 server delaying every request by 30 ms).
READ_AHEAD = 6
READ_AHEAD_BYTES = 64 * 1024 * 1024

Read = Callable[[], tuple[bytes, Source]]


@dataclass
class _Queued:
    locator: Locator
    reading: Future[tuple[bytes, Source]] | None = None


class ReadAhead:
    """The inputs a worker has been handed and not yet parsed, in order, the remote ones' reads begun."""

    def __init__(self, max_bytes: int, reads: int = READ_AHEAD, budget: int = READ_AHEAD_BYTES) -> None:
        self._max_bytes, self._reads, self._budget = max_bytes, reads, budget
        self._queue: deque[_Queued] = deque()
        self._threads: ThreadPoolExecutor | None = None  # started by the first remote input

    def __len__(self) -> int:
        return len(self._queue)

    def add(self, path: str | Locator) -> None:
        self._queue.append(_Queued(Locator.of(path)))
        self._start_reads()

    def take(self) -> tuple[Locator, Read]:
        """The next input, and how to get its bytes: the read begun ahead, or one made now."""
        queued = self._queue.popleft()
        self._start_reads()
        if queued.reading is not None:
            return queued.locator, queued.reading.result
        return queued.locator, functools.partial(read_input, queued.locator, self._max_bytes)

    def _start_reads(self) -> None:
        # In queue order: an input over the bound holds back those behind it, so that it is
        # not passed over for ever, and it is read at its turn.
        started = held = 0
        for queued in self._queue:
            if not remote.is_uri(queued.locator.location):
                continue
            if queued.reading is None:
                if started >= self._reads or held + queued.locator.size > self._budget:
                    return
                if self._threads is None:
                    self._threads = ThreadPoolExecutor(self._reads, thread_name_prefix="read-ahead")
                queued.reading = self._threads.submit(read_input, queued.locator, self._max_bytes)
            started += 1
            held += queued.locator.size
