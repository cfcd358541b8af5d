"""Step 4, furniture: where on a page its furniture lives (running heads and feet, page numbers).

The one definition of a page's edge: the boilerplate rules look for repeated text there,
the block stage does not let it end a notes section, the metadata stage reads a DOI or a
year from it.
"""

from __future__ import annotations

from parsers.pdf.model import PageBlock

# The outer share of a page, top and bottom, where running heads and page numbers live.
EDGE_SHARE = 0.08


def mark_page_edges(blocks: list[PageBlock], page_height: float) -> None:
    """Mark (attrs["page_edge"]) each block of one page that lies at its top or bottom edge."""
    for block in blocks:
        _, y0, _, y1 = block.bbox
        if y1 > (1 - EDGE_SHARE) * page_height or y0 < EDGE_SHARE * page_height:
            block.attrs["page_edge"] = "1"
