"""PDF bytes to a Document: the stages of the PDF path, in order (see the package's docstring)."""

from __future__ import annotations

import logging

import pdfminer
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager

from docpipe.document import Document, RejectedInput, Source
from docpipe.reasons import RejectReason
from parsers.gc_pause import cyclic_collection_paused
from parsers.pdf import blocks, front_matter, furniture, guard, layout, metadata, paragraphs
from parsers.pdf.limits import PdfLimits
from parsers.pdf.model import PageBlock

# pdfminer logs every oddity of a damaged file it reads past as a warning, some once per
# object: that is stderr noise for a run, and whatever makes a file unusable is a reject.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def parse_pdf(data: bytes, source: Source, limits: PdfLimits = PdfLimits()) -> Document:
    # 1. guard: a document that opens, with no more pages than allowed.
    document = guard.open_document(data)
    pages = guard.page_list(document, limits.max_pages)
    doc = Document(source=source, parser=f"pdfminer.six {pdfminer.__version__}")
    doc.metadata.encrypted = document.encryption is not None
    doc.metadata.page_count = len(pages)
    doc.raw_metadata = doc.enrich({}, metadata.from_document, document, doc.metadata)

    resources = PDFResourceManager(caching=True)
    device = layout.BoundedAggregator(resources, limits.max_page_glyphs)
    interpreter = PDFPageInterpreter(resources, device)
    found: list[PageBlock] = []
    failed_pages = 0
    first_page_figures = ""
    with cyclic_collection_paused():
        for number, page in enumerate(pages, start=1):
            guard.refuse_inflation_bomb(page, number, limits.max_content_bytes)
            try:
                # 2. layout: pdfminer's lines and boxes, the boxes in reading order.
                interpreter.process_page(page)
                page_layout = device.get_result()
                boxes = layout.page_boxes(page_layout)
                # 3. paragraphs: each box cut into paragraphs.
                page_found = paragraphs.split_paragraphs(boxes, number)
                # 4. furniture: the paragraphs at the page's edges marked.
                furniture.mark_page_edges(page_found)
                # 5. paragraphs cut by a column break joined again.
                found.extend(paragraphs.join_column_breaks(page_found))
                if number == 1:
                    first_page_figures = layout.figure_text(page_layout)
            except guard.PDF_ERRORS:
                failed_pages += 1
    _refuse_unreadable(doc, found, failed_pages, len(pages))

    # 6. blocks: paragraphs to headings, paragraphs, list items, notes, references, captions.
    doc.blocks = blocks.typed_blocks(found, [line for block in found for line in block.lines])
    # 7. front matter: the title and authors printed on the first page.
    doc.enrich(None, front_matter.read_front_matter, doc, found)
    # 8. metadata: identifiers, DOI, date and publisher the pages print.
    doc.enrich(None, metadata.read_printed_metadata, doc, found, first_page_figures)
    return doc


def _refuse_unreadable(doc: Document, found: list[PageBlock], failed_pages: int, pages: int) -> None:
    """Refuse a document none of whose pages could be read or that has no text layer."""
    if failed_pages == pages:
        raise RejectedInput(RejectReason.CORRUPT_PDF, f"none of the {pages} pages could be read")
    if failed_pages:
        doc.metadata.extra["pages_unreadable"] = str(failed_pages)
    lines = [line for block in found for line in block.lines]
    unmapped = sum(line.cid_glyphs for line in lines)
    if unmapped:
        doc.metadata.extra["unmapped_glyphs"] = str(unmapped)
    if sum(line.chars for line in lines) == 0:
        page_word = "page" if pages == 1 else "pages"
        if unmapped:
            raise RejectedInput(RejectReason.NO_TEXT_LAYER, f"{pages} {page_word} whose {unmapped} glyphs have no Unicode mapping")
        raise RejectedInput(RejectReason.NO_TEXT_LAYER, f"{pages} {page_word} without a text layer (scanned? OCR it first)")
