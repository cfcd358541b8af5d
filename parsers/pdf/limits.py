"""What one PDF may cost: the caps the guard and the layout step enforce.

Free of pdfminer, so that the run configuration can hold these defaults without importing it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PdfLimits:
    """What one PDF may cost; a run sets them (``RunConfig``), these are the defaults."""

    # At pdfminer's ~14 pages/s, 1000 pages is over a minute of layout analysis: a book or a
    # scanned archive, not a paper or report.
    max_pages: int = 1000
    # A dense text page holds 5-10 thousand glyphs; a hundred thousand is a plot drawn in
    # text or a dump whose layout analysis would run for minutes.
    max_page_glyphs: int = 100_000
    # A page of dense vector drawing stays in the tens of megabytes once inflated.
    max_content_bytes: int = 256 * 2**20
