"""Step 4, furniture: where on a page its furniture lives (running heads and feet, page numbers).

The one definition of a page's edge, for the whole PDF path: the block stage does not let a
block there end a notes section, the metadata stage reads a DOI or a year from it, and the
boilerplate rules (``docpipe.boilerplate.layout``) look there for text repeated across pages.
"""

from __future__ import annotations

from parsers.pdf.model import PageBlock

# The top or bottom share of a page's text extent (from its highest text to its lowest) that
# is its edge: measured on the text, not the paper, as margins differ from one layout to another.
EDGE_SHARE = 0.12


def mark_page_edges(blocks: list[PageBlock]) -> None:
    """Mark (attrs["page_edge"]) each block of one page that lies wholly in its top or bottom edge."""
    if not blocks:
        return
    boxes = [block.bbox for block in blocks]
    top = max(box[3] for box in boxes)
    bottom = min(box[1] for box in boxes)
    band = EDGE_SHARE * max(top - bottom, 1.0)
    for block, (_, y0, _, y1) in zip(blocks, boxes):
        if y0 >= top - band or y1 <= bottom + band:
            block.attrs["page_edge"] = "1"
