"""Step 1, guard: open the file and refuse, before any layout work, what a parse cannot survive.

Encrypted and broken files, too many pages, content streams that inflate past a cap (a
decompression bomb) are refused here with the reason; the glyph cap is enforced during
layout (``layout.BoundedAggregator``), per text operator.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from typing import Any

from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfminer.psparser import PSException

from docpipe.document import RejectedInput
from docpipe.reasons import RejectReason
from parsers.pdf import pdfminer_patches  # noqa: F401  (pdfminer's damaged-stream fallback, made linear)

_DEFLATE_MAX_RATIO = 1032
# The bomb check inflates this much deflated input at a time (at most 16 MiB out of each piece).
_INFLATE_PIECE = 16 * 1024

# pdfminer reports broken structure with plain Python errors as well as its own (OverflowError:
# an object offset too large to seek to; RuntimeError: StopIteration inside its RunLengthDecode
# generator on a truncated stream).
PDF_ERRORS = (PSException, ValueError, KeyError, TypeError, AttributeError, AssertionError, IndexError, OverflowError, RuntimeError)


def open_document(data: bytes) -> PDFDocument:
    try:
        return PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except PDFPasswordIncorrect:
        raise RejectedInput(RejectReason.ENCRYPTED, "the PDF is encrypted and does not open without a password") from None
    except PDFEncryptionError as error:
        raise RejectedInput(RejectReason.ENCRYPTED, f"the PDF's encryption is not supported: {error}") from None
    except PDF_ERRORS as error:
        raise RejectedInput(RejectReason.CORRUPT_PDF, f"the PDF structure cannot be read: {error or type(error).__name__}") from None


def page_list(document: PDFDocument, max_pages: int) -> list[PDFPage]:
    pages: list[PDFPage] = []
    tree = PDFPage.create_pages(document)
    while len(pages) <= max_pages:
        try:
            page = next(tree, None)
        except PDF_ERRORS as error:
            raise RejectedInput(RejectReason.CORRUPT_PDF, f"the page tree cannot be read: {error or type(error).__name__}") from None
        if page is None:
            break
        pages.append(page)
    if len(pages) > max_pages:
        raise RejectedInput(RejectReason.TOO_MANY_PAGES, f"more than {max_pages} pages (the configured cap)")
    if not pages:
        raise RejectedInput(RejectReason.CORRUPT_PDF, "the PDF has no pages (truncated or damaged)")
    return pages



def refuse_inflation_bomb(page: PDFPage, number: int, limit: int) -> None:
    """Refuse a page whose deflated content or forms would inflate past ``limit`` bytes.

    pdfminer inflates a stream whole, in one call: a few megabytes crafted to inflate to
    gigabytes would take that much memory before anything could be said about them. Deflate
    packs at most ~1032:1, so only streams larger than ``limit / 1032`` need a look, and that
    look stops at the limit. Images are never inflated here (the aggregator skips them).
    A stream damaged after the limit counts too: pdfminer inflates a damaged stream a byte
    at a time up to the damage, which for a bomb runs for hours.
    """
    for stream in _drawn_streams(page):
        if stream.rawdata is None or len(stream.rawdata) * _DEFLATE_MAX_RATIO <= limit:
            continue
        filters = stream.get_filters()
        if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
            continue
        if _inflated_size(stream.rawdata, limit) > limit:
            raise RejectedInput(RejectReason.DECOMPRESSION_BOMB, f"page {number}'s content inflates past {limit} bytes (the configured cap)")


def _inflated_size(deflated: bytes, limit: int) -> int:
    """How far ``deflated`` inflates before its end, its first damaged byte, or ``limit``."""
    inflater = zlib.decompressobj()
    size = 0
    for start in range(0, len(deflated), _INFLATE_PIECE):
        try:
            size += len(inflater.decompress(deflated[start : start + _INFLATE_PIECE]))
        except zlib.error:
            break
        if size > limit or inflater.eof:
            break
    return size


def _drawn_streams(page: PDFPage) -> Iterator[PDFStream]:
    """The page's content streams and the form XObjects they may draw, each once."""
    seen: set[int] = set()
    pending: list[Any] = [*page.contents, *_forms(page.resources)]
    while pending:
        stream = resolve1(pending.pop())
        if not isinstance(stream, PDFStream) or id(stream) in seen:
            continue
        seen.add(id(stream))
        yield stream
        pending.extend(_forms(resolve1(stream.attrs.get("Resources"))))


def _forms(resources: Any) -> list[Any]:
    xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    if not isinstance(xobjects, dict):
        return []
    forms = []
    for reference in xobjects.values():
        xobject = resolve1(reference)
        if isinstance(xobject, PDFStream) and getattr(resolve1(xobject.attrs.get("Subtype")), "name", None) == "Form":
            forms.append(xobject)
    return forms

