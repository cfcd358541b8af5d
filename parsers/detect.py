"""Tell a source's type from its bytes; the file name is only a tie-breaker."""

from __future__ import annotations

import codecs
import re

from docpipe.document import RejectedInput, SourceType
from docpipe.reasons import RejectReason

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
_HTML_MARKERS = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title>|<div[\s>]|<p>", re.I)
_TEXT_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_SNIFF_BYTES = 8192


def _html_sniff_window(head: bytes) -> bytes:
    """The start of the file as ASCII-compatible bytes, so UTF-16 pages are sniffed too."""
    for bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            return head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    return head


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
    # Some generators put junk before the header; PDF readers accept it within 1 KB.
    if b"%PDF-" in data[:1024]:
        return SourceType.PDF
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            raise RejectedInput(RejectReason.UNSUPPORTED_FORMAT, f"content is a {what}, not HTML, PDF or text (file name {name!r})")
    if _HTML_MARKERS.search(_html_sniff_window(head)):
        return SourceType.HTML
    if _looks_binary(head):
        raise RejectedInput(RejectReason.BINARY_CONTENT, f"content is binary, not HTML, PDF or text (file name {name!r})")
    if name.lower().endswith(".pdf"):
        raise RejectedInput(RejectReason.NOT_A_PDF, "named .pdf but has no PDF header")
    return SourceType.TEXT
