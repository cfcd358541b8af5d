"""Progress events from library code to whoever displays them (the CLI's progress bar).

Library code reports; it never draws. Nothing listens unless a caller subscribes, so the
cost in tasks, tests and `extract` is one empty loop per event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Listener = Callable[[str, int], None]  # (event, count): "planned" documents to do, "done" documents finished
_listeners: list[Listener] = []


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def report(event: str, count: int = 1) -> None:
    for listener in list(_listeners):
        listener(event, count)
