"""Every source type docpipe reads, one row each: the one place a new format is declared.

A row says how a type is recognised (its file extensions, the media types a web server or an
archive declares for it, and how its bytes are sniffed), which parser reads it, which size
limit applies before parsing, and which module the worker processes import ahead of time.
`SourceType` (the model's names), the folders' walk, the pipeline's parser choice and size
check, type sniffing and the forkserver's preload list are all read from these rows.
"""

from __future__ import annotations

import codecs
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from docpipe.document import Document, Source, SourceType


class SizeClass(str, Enum):
    FILE = "file"  # only --max-bytes: PDF costs little per byte
    TEXT = "text"  # also --max-text-bytes: every element of markup or paragraph of text costs parsing time


_HTML_MARKERS = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title>|<div[\s>]|<p>", re.I)


def _ascii_window(head: bytes) -> bytes:
    """The start of the file as ASCII-compatible bytes, so UTF-16 pages are sniffed too."""
    for bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            return head.decode("utf-16", errors="ignore").encode("ascii", errors="ignore")
    return head


def _looks_like_pdf(head: bytes) -> bool:
    # Some generators put junk before the header; PDF readers accept it within 1 KB.
    return b"%PDF-" in head[:1024]


def _looks_like_html(head: bytes) -> bool:
    return _HTML_MARKERS.search(_ascii_window(head)) is not None


@dataclass(frozen=True)
class SourceTypeRow:
    type: SourceType
    extensions: tuple[str, ...]  # what a folder's walk takes (lower case, with the dot)
    media_types: tuple[str, ...]  # Content-Type values that declare it (a web archive's records)
    # True when the bytes are this type. Binary formats are sniffed before other binary
    # signatures are refused; text formats after. None: the fallback for readable text.
    sniff: Callable[[bytes], bool] | None
    binary: bool  # a binary format: its signature is checked first, and a file named like it without one is refused
    parser: str  # "module:function", imported on first use: a run of PDFs never pays for BeautifulSoup's import
    size_class: SizeClass

    @property
    def module(self) -> str:
        """What the forkserver imports once, so that each batch's workers start ready to parse."""
        return self.parser.partition(":")[0]


# In sniffing order: the first row whose `sniff` accepts the bytes decides.
SOURCE_TYPES: tuple[SourceTypeRow, ...] = (
    SourceTypeRow(SourceType.PDF, (".pdf",), ("application/pdf", "application/x-pdf"), _looks_like_pdf, True, "parsers.pdf.parse:parse_pdf", SizeClass.FILE),
    SourceTypeRow(
        SourceType.HTML, (".html", ".htm", ".xhtml", ".shtml"), ("text/html", "application/xhtml+xml"), _looks_like_html, False,
        "parsers.html:parse_html", SizeClass.TEXT,
    ),
    SourceTypeRow(SourceType.TEXT, (".txt", ".text"), ("text/plain",), None, False, "parsers.text:parse_text", SizeClass.TEXT),
)
_ROWS = {row.type: row for row in SOURCE_TYPES}
if set(_ROWS) != set(SourceType) or len(_ROWS) != len(SOURCE_TYPES):
    raise ImportError("parsers/source_types.py needs exactly one row per SourceType")

DOCUMENT_EXTENSIONS = frozenset(extension for row in SOURCE_TYPES for extension in row.extensions)


def row_of(source_type: SourceType) -> SourceTypeRow:
    return _ROWS[source_type]


def type_of_media(content_type: str) -> SourceType | None:
    """The type a declared Content-Type names ("text/html; charset=utf-8" -> HTML), or None."""
    media = content_type.partition(";")[0].strip().lower()
    return next((row.type for row in SOURCE_TYPES if media in row.media_types), None)


def parser_for(source_type: SourceType) -> Callable[[bytes, Source], Document]:
    module, _, function = row_of(source_type).parser.partition(":")
    return getattr(importlib.import_module(module), function)


def parser_modules() -> list[str]:
    return [row.module for row in SOURCE_TYPES]
