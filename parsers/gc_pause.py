"""Cyclic garbage collection paused while a parser builds and reads a large object graph."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_collection_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block.

    A parser allocates objects by the hundred thousand (pdfminer several per glyph,
    BeautifulSoup a few per element) that live until the document is done: every
    collection on the way walks them again for nothing (7-9% of a PDF parse, a fifth of an
    HTML page's). The caller frees what forms cycles itself (``parsers/html_soup.py``), or
    leaves so little (pdfminer: about a thousand objects a paper) that the next collection
    after the block takes it. Re-enabled only by the block that disabled it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
