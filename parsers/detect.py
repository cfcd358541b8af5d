"""Tell a source's type from its bytes; the file name is only a tie-breaker.

How each type is recognised is declared in its row of parsers/source_types.py; this module
adds what no row owns: the signatures of formats we refuse, and the test for binary bytes.
"""

from __future__ import annotations

import codecs

from docpipe.document import RejectedInput, SourceType
from docpipe.reasons import RejectReason
from parsers.source_types import SOURCE_TYPES

# Signatures of formats we do not parse, so a mislabelled file gets an exact reason.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!", "RAR archive"),
    (b"\xd0\xcf\x11\xe0", "OLE2 document (DOC/XLS)"),
    (b"\x7fELF", "ELF executable"),
    (b"%!PS", "PostScript"),
)
_TEXT_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_SNIFF_BYTES = 8192
_BINARY_TYPES = [row for row in SOURCE_TYPES if row.binary]
_TEXT_TYPES = [row for row in SOURCE_TYPES if not row.binary and row.sniff is not None]
_FALLBACK = next(row.type for row in SOURCE_TYPES if row.sniff is None)


def _looks_binary(head: bytes) -> bool:
    if head.startswith(_TEXT_BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    return controls > len(head) * 0.05


def detect_type(data: bytes, name: str = "") -> SourceType:
    """Return the type to parse ``data`` as, or raise ``RejectedInput`` saying why not."""
    if not data.strip():
        raise RejectedInput(RejectReason.EMPTY, "the file is empty or whitespace only")
    head = data[:_SNIFF_BYTES]
    for row in _BINARY_TYPES:
        if row.sniff(head):
            return row.type
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            raise RejectedInput(RejectReason.UNSUPPORTED_FORMAT, f"content is a {what}, not HTML, PDF or text (file name {name!r})")
    for row in _TEXT_TYPES:
        if row.sniff(head):
            return row.type
    if _looks_binary(head):
        raise RejectedInput(RejectReason.BINARY_CONTENT, f"content is binary, not HTML, PDF or text (file name {name!r})")
    if name.lower().endswith(tuple(extension for row in _BINARY_TYPES for extension in row.extensions)):
        raise RejectedInput(RejectReason.NOT_A_PDF, "named .pdf but has no PDF header")
    return _FALLBACK
