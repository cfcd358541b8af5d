"""The stages composed for one input: read -> detect -> parse -> clean -> language -> abstracts -> metadata.

Nothing here knows about Prefect or Parquet: `docpipe extract` calls it directly and the
flow calls it from its batch tasks. A failing input never raises out of `process_path`;
it comes back as a `Reject` naming the stage that refused it and the `RejectReason`. An
exception no stage expected is a bug, not a bad input: `internal_error`, with its type and
the line of docpipe that raised it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import os
from importlib import metadata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from docpipe.abstracts import split_abstracts
from docpipe.boilerplate import clean
from docpipe.document import Document, Reject, RejectedInput, Source, SourceType, Unchanged
from docpipe.language import DEFAULT_LANGUAGES, tag_languages
from docpipe.metadata import finalize_metadata
from docpipe.reasons import RejectReason, describe_failure
from docpipe.sources import Locator, ReadRefused, read_input, sha256_of  # noqa: F401  sha256_of: the digest inputs are keyed by
from parsers.detect import detect_type
from parsers.pdf.limits import PdfLimits
from parsers.source_types import SizeClass, parser_for, row_of

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
# HTML and plain text cost far more per byte than PDF: every element becomes a soup node and
# every paragraph a block for the cleaner and the language detector. Dense prose takes about
# 6 s per MB on a busy two-core machine (10 MB: 67 s), so a 50 MB page would run into the
# 120 s per-document time limit instead of being refused at once; at 8 MB the worst case stays
# under half of that limit, and article pages, scripts included, rarely pass 2 MB.
DEFAULT_MAX_TEXT_BYTES = 8 * 1024 * 1024
_VERSIONED_LIBRARIES = ("docpipe", "pdfminer.six", "beautifulsoup4", "lxml", "langdetect", "charset-normalizer")


@dataclass(frozen=True)
class Settings:
    """Per-run choices and limits; the one place a size limit is set."""

    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    max_bytes: int = DEFAULT_MAX_BYTES  # any file: larger ones are rejected unread
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES  # HTML and plain text, once the type is known
    pdf_limits: PdfLimits = PdfLimits()  # pages, glyphs per page, inflated content per page


@functools.cache
def code_version() -> str:
    """A digest of docpipe's own source (docpipe/ and parsers/): any change to the code that decides a row changes it."""
    digest = hashlib.sha256()
    for package in ("docpipe", "parsers"):
        folder = Path(importlib.import_module(package).__file__).parent
        for path in sorted(folder.rglob("*.py")):
            digest.update(f"{package}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def parser_versions() -> dict[str, str]:
    """Versions of the libraries that decide what a document's rows contain."""
    return {name: metadata.version(name) for name in _VERSIONED_LIBRARIES}


def _check_text_size(source_type: SourceType, size: int, settings: Settings) -> None:
    """Refuse HTML and text over their own limit before parsing, rather than at the time limit."""
    if row_of(source_type).size_class is SizeClass.TEXT and size > settings.max_text_bytes:
        raise RejectedInput(
            RejectReason.TOO_LARGE,
            f"{size} bytes of {source_type.value} exceeds the {settings.max_text_bytes}-byte limit for HTML and text "
            "(Settings.max_text_bytes): parsing that much markup could outlast the per-document time limit",
        )


def process_bytes(data: bytes, source: Source, settings: Settings = Settings()) -> Document | Reject:
    stage = "detect"
    try:
        source.source_type = detect_type(data, source.path)
        _check_text_size(source.source_type, len(data), settings)
        stage = "parse"
        doc = _parse(data, source, settings)
        stage = "clean"
        doc = clean(doc)
        if not doc.blocks:
            raise RejectedInput(RejectReason.NO_CONTENT, "nothing but boilerplate was found")
        stage = "language"
        doc = tag_languages(doc, settings.languages)
        stage = "abstracts"
        doc = split_abstracts(doc)
        stage = "metadata"
        return finalize_metadata(doc)
    except RejectedInput as refusal:
        return _reject(source, stage, refusal.reason, refusal.message)
    except RecursionError:
        return _reject(source, stage, RejectReason.TOO_DEEPLY_NESTED, "the document nests deeper than the parser can follow")
    except MemoryError:
        return _reject(source, stage, RejectReason.OUT_OF_MEMORY, "the document needed more memory than allowed")
    except Exception as error:  # noqa: BLE001 - one bug must never stop a run, nor pass for a bad input
        return _reject(source, stage, RejectReason.INTERNAL_ERROR, describe_failure(error))


def _parse(data: bytes, source: Source, settings: Settings) -> Document:
    """The detected type's parser; the PDF one enforces the run's PDF caps."""
    parse = parser_for(source.source_type)
    if source.source_type is SourceType.PDF:
        return parse(data, source, settings.pdf_limits)
    return parse(data, source)


def process_path(
    path: str | os.PathLike[str] | Locator, settings: Settings = Settings(), read: Callable[[], tuple[bytes, Source]] | None = None
) -> Document | Reject | Unchanged:
    """The pipeline on one input: a local file, a remote object or a web archive's record (a `Locator`);
    `Unchanged` when its bytes are the version its locator says is stored. ``read`` gives its bytes
    when they were fetched ahead (docpipe/readahead.py); by default they are read now."""
    locator = Locator.of(path)
    try:
        data, source = read() if read is not None else read_input(locator, settings.max_bytes)
    except RejectedInput as refusal:
        size = refusal.size_bytes if isinstance(refusal, ReadRefused) else 0
        return _reject(Source(locator.source_path, "", size), "read", refusal.reason, refusal.message)
    except OSError as error:  # the input's side: permissions, a symlink loop, a file or object gone since discovery
        return _reject(Source(locator.source_path, "", 0), "read", RejectReason.UNREADABLE, f"{type(error).__name__}: {error.strerror or error}")
    if source.sha256 == locator.stored_sha256:
        return Unchanged(source)
    return process_bytes(data, source, settings)


def _reject(source: Source, stage: str, error_type: RejectReason, message: str) -> Reject:
    return Reject(source=source, stage=stage, error_type=error_type, message=message, rejected_at=datetime.now(timezone.utc))


def process_paths(paths: Sequence[str], settings: Settings = Settings()) -> list[Document | Reject]:
    return [process_path(path, settings) for path in paths]
