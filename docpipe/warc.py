"""Web archives (WARC, and the older ARC) as containers of documents: each captured page, PDF or text its own input.

A worker scans a new or changed archive once, streaming (a record at a time, its payload
hashed in chunks), and tells planning, which reads no archive, what each record is: a document
(its offset, payload sha256 and size), a record that is not one (a request, a revisit, an
image, a 404: counted, never a document), or a record that cannot be read (truncated,
malformed: a reject naming the archive and offset). A worker then reads one record by seeking
to its offset: a `.warc.gz` holds one gzip member per record, so an archive of many GB is
split over batches and workers without being read whole by any of them. An archive gzipped as
ONE stream (warcio refuses those; `warcio recompress` repairs them) is read through its
decompressed bytes instead: its records' offsets are offsets in the decompressed archive, and
a worker reaches one by decompressing everything before it, a cost that grows with the offset
(fine for the small archives such tools write; recompress a large one). warcio does the
reading, and converts ARC records to WARC ones as it reads them (an ARC's file header becomes a
warcinfo record, each capture a response).

warcio prints what it notices of a damaged archive to stderr; here those lines go to the
``docpipe.warc`` log at INFO instead, since the damage itself is the record's reject.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import warcio.archiveiterator
import warcio.bufferedreaders
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParser, StatusAndHeadersParserException

from docpipe.document import RejectedInput, Source
from docpipe.reasons import RejectReason
from docpipe.sources import GZIP_MEMBER
from parsers.source_types import SOURCE_TYPES, type_of_media

# Records whose payload may be a document: a captured response, or a resource stored as is.
_DOCUMENT_RECORDS = ("response", "resource")
# A crawler's own files (wget's log and arguments) stored as resources: not captured content.
_CRAWLER_SCHEMES = ("metadata:",)
# A crawler's DNS lookups, which ARC files store as responses.
_DNS_SCHEME = "dns:"
_UNDECLARED = ("", "application/octet-stream", "binary/octet-stream")
_HTTP = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1"], verify=False)
_TRUNCATED = "the record does not end where its Content-Length says: truncated, or its length is wrong"
_CHUNK = 1024 * 1024
_SNIFF_BYTES = 8192
# How much of a gzipped archive's first member is read to tell a member per record from one
# stream: a first record (a warcinfo, as a rule) is far smaller.
_PROBE_BYTES = 1024 * 1024
# Records start at a gzip member (compressed archives) or a WARC version line (plain ones):
# where reading resumes after a damaged stretch.
_WARC_LINE = b"WARC/"
# Errors a damaged record raises inside warcio and the decompressors it drives. An OSError is
# the filesystem's, not the record's: it propagates (a scan leaves the file to a worker, whose
# read is `unreadable`); but gzip's BadGzipFile, an OSError, is damage in a one-stream archive.
_DAMAGE = (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, gzip.BadGzipFile, EOFError, ValueError)
_log = logging.getLogger(__name__)


class _LoggedStderr:
    def write(self, text: str) -> int:
        if text.strip():
            _log.info("warcio: %s", " ".join(text.split()))
        return len(text)

    def flush(self) -> None:
        pass


class _SysForWarcio:
    """What warcio's reader modules see as `sys`: the real one, but for a stderr that writes to the log
    (replacing sys.stderr itself would take every thread's output, not only warcio's)."""

    stderr = _LoggedStderr()

    def __getattr__(self, name: str) -> object:
        return getattr(sys, name)


warcio.archiveiterator.sys = warcio.bufferedreaders.sys = _SysForWarcio()


@dataclass(frozen=True)
class RecordScan:
    """What a scan found at one offset of an archive."""

    offset: int
    sha256: str | None = None  # a document's payload
    size: int = 0
    skipped: str | None = None  # why it is not a document: "request", "revisit", "HTTP 404", "image/png", ...
    problem: str | None = None  # why it cannot be read


@dataclass
class _Record:
    rec_type: str
    target_uri: str
    date: str
    status: int | None  # HTTP status of a response; None for a resource
    media_type: str  # the payload's declared Content-Type
    stream: BinaryIO  # the payload, transfer- and content-decoded


def _open_record(record: object) -> _Record:
    """The payload stream of a warcio record and what its headers say of it."""
    if record.format != "warc" or not record.rec_type:  # ARC records come converted; warcio reads stray blank lines as a record
        raise ArchiveLoadFailed("not a WARC record (no WARC-Type)")
    headers = record.rec_headers
    declared = headers.get_header("Content-Type") or ""
    target = headers.get_header("WARC-Target-URI") or ""
    status, media = None, declared
    # Read the HTTP envelope from what the record says it holds, whatever its target URI:
    # warcio only looks for one under http(s) URIs, and archives carry others. (An ARC says every
    # capture is one, its DNS lookups too.)
    if record.rec_type == "response" and declared.lower().startswith("application/http") and not target.lower().startswith(_DNS_SCHEME):
        record.http_headers = _HTTP.parse(record.raw_stream)
        try:
            status = int(record.http_headers.get_statuscode())
        except (TypeError, ValueError):
            raise StatusAndHeadersParserException(f"no HTTP status: {record.http_headers.statusline!r}", "") from None
        media = record.http_headers.get_header("Content-Type") or ""
    return _Record(
        record.rec_type, target, headers.get_header("WARC-Date") or "", status, media,
        record.content_stream(),
    )


def _not_a_document(record: _Record, head: bytes | None) -> str | None:
    """Why a record is not a document, or None when it is one. With ``head`` None (its payload not
    read yet) a record whose type must be sniffed is not refused yet."""
    if record.rec_type not in _DOCUMENT_RECORDS:
        return record.rec_type
    if record.target_uri.lower().startswith(_CRAWLER_SCHEMES):
        return "crawler metadata"
    if record.target_uri.lower().startswith(_DNS_SCHEME):
        return "dns"
    if record.status is not None and not 200 <= record.status < 300:
        return f"HTTP {record.status}"
    media = record.media_type.partition(";")[0].strip().lower()
    if type_of_media(media) is not None:
        return None
    if media not in _UNDECLARED:
        return media
    # Nothing declared: a type whose bytes are unmistakable (PDF, HTML) is taken; plain text is
    # not, since scripts and stylesheets read as text too.
    if head is None or any(row.sniff is not None and row.sniff(head) for row in SOURCE_TYPES):
        return None
    return media or "no content type"


def _short_of_its_length(raw: object) -> bool:
    """The record's block ended (its gzip member, or the file) before its Content-Length."""
    return getattr(raw.raw_stream, "limit", 0) > 0


def _damage(error: BaseException) -> str:
    return " ".join(str(error).split())[:200] or type(error).__name__


def is_one_gzip_stream(handle: BinaryIO) -> bool:
    """The archive open in ``handle`` (seekable) is gzipped as one stream: its first gzip member is the
    whole file (or outgrows `_PROBE_BYTES`), where a member per record would end after the first record."""
    handle.seek(0)
    member = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        if handle.read(3) != GZIP_MEMBER:
            return False
        handle.seek(0)
        while not member.eof and handle.tell() < _PROBE_BYTES and (data := handle.read(_SNIFF_BYTES)):
            while data and not member.eof:
                member.decompress(data, _SNIFF_BYTES)  # the output is not needed: bounded, whatever it inflates to
                data = member.unconsumed_tail
        return not member.eof or not (member.unused_data or handle.read(1))
    except zlib.error:  # damage: the scan reports it where it is
        return False
    finally:
        handle.seek(0)


def _decompressed(handle: BinaryIO, one_stream: bool) -> BinaryIO:
    return gzip.GzipFile(fileobj=handle, mode="rb") if one_stream else handle


def scan_archive(handle: BinaryIO, one_stream: bool = False) -> Iterator[RecordScan]:
    """Every record of the archive open in ``handle`` (seekable, at its start), in order; a damaged
    stretch is one `problem`, and reading resumes at the next record after it. ``one_stream``
    (`is_one_gzip_stream`): offsets are in the decompressed archive."""
    handle = _decompressed(handle, one_stream)
    compressed = handle.read(3) == GZIP_MEMBER
    start: int | None = 0
    damaged = False  # the last record read, or the stretch reading skipped, was damaged
    while start is not None:
        handle.seek(start)
        records = ArchiveIterator(handle, no_record_parse=True, arc2warc=True)
        try:
            for raw in records:
                offset = records.offset
                record = _open_record(raw)
                damaged = False
                if (why := _not_a_document(record, None)) is not None:
                    yield RecordScan(offset, skipped=why)
                    continue
                digest, size, head = hashlib.sha256(), 0, b""
                while chunk := record.stream.read(_CHUNK):
                    head = head or chunk[:_SNIFF_BYTES]
                    digest.update(chunk)
                    size += len(chunk)
                errors = records.err_count
                short = _short_of_its_length(raw)
                records.read_to_end()
                if short or records.err_count > errors:
                    damaged = True
                    yield RecordScan(offset, problem=_TRUNCATED)
                elif (why := _not_a_document(record, head)) is not None:
                    yield RecordScan(offset, skipped=why)
                else:
                    yield RecordScan(offset, sha256=digest.hexdigest(), size=size)
            start = None
        except _DAMAGE as error:
            offset = max(records.offset, start)
            # Damage right after damage (a record cut short, then its rest read as the next
            # record; a false start after resuming) is the stretch already reported.
            if not damaged:
                yield RecordScan(offset, problem=f"unreadable record: {_damage(error)}")
            damaged = True
            start = _next_record_start(handle, offset + 1, compressed)


def _next_record_start(handle: BinaryIO, position: int, compressed: bool) -> int | None:
    marker = GZIP_MEMBER if compressed else b"\n" + _WARC_LINE
    handle.seek(position)
    carry = b""
    while chunk := handle.read(_CHUNK):
        found = (carry + chunk).find(marker)
        if found >= 0:
            return position - len(carry) + found + (0 if compressed else 1)
        carry = chunk[-len(marker) :]
        position += len(chunk)
    return None


def read_record(handle: BinaryIO, offset: int, archive: str, max_bytes: int, one_stream: bool = False) -> tuple[bytes, Source]:
    """The payload of the record at ``offset`` of ``archive`` (open in ``handle``; ``one_stream``: an
    offset in the decompressed archive) and its source, with the record's URI, date, status and type as `origin`."""
    handle = _decompressed(handle, one_stream)
    handle.seek(offset)
    records = ArchiveIterator(handle, no_record_parse=True, arc2warc=True)
    path = f"{archive}#{offset}"
    try:
        raw = next(records)
        record = _open_record(raw)
        data = record.stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise RejectedInput(RejectReason.TOO_LARGE, f"the record's payload exceeds the {max_bytes}-byte limit")
        short = _short_of_its_length(raw)
        records.read_to_end()
    except (StopIteration, *_DAMAGE) as error:
        raise RejectedInput(RejectReason.MALFORMED_RECORD, f"unreadable record: {_damage(error)}") from None
    if short or records.err_count:
        raise RejectedInput(RejectReason.MALFORMED_RECORD, _TRUNCATED)
    origin = {"warc_record_type": record.rec_type, "warc_target_uri": record.target_uri, "warc_date": record.date, "content_type": record.media_type}
    if record.status is not None:
        origin["http_status"] = str(record.status)
    return data, Source(path=path, sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data), origin=origin)
