"""Why an input did not become a document: every reject reason, and how a bug is told apart.

A reason names something about the input (empty, encrypted, too large, too slow) and the user
can act on it. ``INTERNAL_ERROR`` is the one exception: an unexpected exception inside a stage,
a bug in docpipe rather than a bad input; its message says which exception and where.
docs/schema.md lists these codes with their descriptions (tests/test_schema_docs.py keeps it equal).
"""

from __future__ import annotations

import traceback
from enum import StrEnum
from pathlib import Path

_PROJECT = Path(__file__).resolve().parent.parent
_OWN_PACKAGES = ("docpipe", "parsers")
# An exception's message may quote the input (a whole line of a page): enough to recognise it.
_MESSAGE_MAX_CHARS = 300


class DescribedStrEnum(StrEnum):
    """Members declared as ``NAME = "code", "one-line description"``: the code is the value."""

    description: str

    def __new__(cls, code: str, description: str) -> DescribedStrEnum:
        member = str.__new__(cls, code)
        member._value_ = code
        member.description = description
        return member


class RejectReason(DescribedStrEnum):

    # read: before the bytes are in memory
    NOT_A_REGULAR_FILE = "not_a_regular_file", "a pipe, device or socket: reading it could block forever"
    UNREADABLE = "unreadable", "the operating system refused to read the file (permission, symlink loop, vanished); the message names its error"
    TOO_LARGE = "too_large", "over `--max-bytes` (not read), or HTML or text over `--max-text-bytes` (not parsed)"
    MALFORMED_RECORD = "malformed_record", "a web archive's record that cannot be read (truncated, or headers and lengths that do not hold); its `source_path` names the archive and offset"
    # detect
    EMPTY = "empty", "the file is empty or whitespace only"
    UNSUPPORTED_FORMAT = "unsupported_format", "an image, archive, office file or executable, whatever its name says"
    BINARY_CONTENT = "binary_content", "binary bytes of no known format"
    NOT_A_PDF = "not_a_pdf", "named .pdf without a PDF header"
    # parse, PDF
    ENCRYPTED = "encrypted", "the PDF does not open without a password, or uses an unsupported encryption"
    CORRUPT_PDF = "corrupt_pdf", "the PDF's structure, page tree or every one of its pages cannot be read"
    NO_TEXT_LAYER = "no_text_layer", "scanned, or glyphs without a Unicode mapping: no text to read (the message gives the page count)"
    TOO_MANY_PAGES = "too_many_pages", "a PDF with more pages than `--max-pages`"
    LAYOUT_RUNAWAY = "layout_runaway", "a PDF page drawing more glyphs than `--max-page-glyphs` (a plot drawn in text, a dump)"
    DECOMPRESSION_BOMB = "decompression_bomb", "a PDF page whose content would inflate past `--max-content-bytes` (a decompression bomb)"
    # parse, HTML and text
    NO_TEXT = "no_text", "the page or file decodes to no visible text"
    TOO_DEEPLY_NESTED = "too_deeply_nested", "the document nests deeper than the parser can follow"
    # clean
    NO_CONTENT = "no_content", "nothing but boilerplate was found"
    # any stage: the limits of a worker process
    TIMEOUT = "timeout", "processing took longer than `--timeout`"
    OUT_OF_MEMORY = "out_of_memory", "the document needed more memory than `--max-memory-mb`"
    WORKER_CRASHED = "worker_crashed", "the parser process died (over its memory limit inside C code, or a crash)"
    # any stage: not the input's fault
    INTERNAL_ERROR = "internal_error", "a bug in docpipe: an unexpected exception, named with where it was raised; counted apart, exit code 3"


def failure_site(error: BaseException) -> str:
    """Where in docpipe's own code ``error`` was raised: the innermost frame of docpipe/ or
    parsers/ ("docpipe/metadata.py:57 normalise_date"); a library's frames are skipped, so an
    error raised inside pdfminer names the parser line that called it."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        try:
            relative = Path(frame.filename).resolve().relative_to(_PROJECT)
        except ValueError:
            continue
        if relative.parts[0] in _OWN_PACKAGES:
            return f"{relative.as_posix()}:{frame.lineno} {frame.name}"
    return "outside docpipe's code"


def describe_failure(error: BaseException) -> str:
    """The exception's type, where docpipe raised it, and its message, on one line."""
    message = (" ".join(str(error).split()) or repr(error))[:_MESSAGE_MAX_CHARS]
    return f"{type(error).__name__} at {failure_site(error)}: {message}"
