"""PDF bytes to a Document (``parse_pdf``), in numbered steps, one module each:

1. ``guard``: open the file; refuse encryption, damage, too many pages, inflation bombs
   (the caps: ``limits.PdfLimits``, set per run).
2. ``layout``: pdfminer's layout analysis of each page (glyphs capped per page), text only;
   its boxes read in our reading order (bands, then columns). ``lines`` reads each of
   pdfminer's lines as a reader would, with the text repairs of ``repair``.
3. ``paragraphs``: each box cut into paragraphs.
4. ``furniture``: the paragraphs at the page's edges marked (the one definition of an edge).
5. ``paragraphs``: paragraphs cut by a column break joined again.
6. ``blocks``: headings, paragraphs, list items, notes, references, captions.
7. ``front_matter``: the title and every author printed on the first page.
8. ``metadata``: Info and XMP (read at step 1), then the identifiers, DOI, date and publisher
   the first and last pages print.

Boilerplate (running heads, page numbers, colophon) stays in: ``docpipe.boilerplate.layout``
removes it with the rule that recognised it, then joins the paragraphs a page break split
(``paragraphs.join_broken_paragraphs``).
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # pdfminer is imported with the parser, on first use: the boilerplate stage imports
    # ``paragraphs`` and the run configuration ``limits`` for every run, HTML ones included.
    if name == "parse_pdf":
        from parsers.pdf.parse import parse_pdf

        return parse_pdf
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
