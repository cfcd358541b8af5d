"""Where an input's bytes are, and reading them: a local file, a remote object, or a web archive's record.

A `Locator` is what the flow hands a worker: small, picklable, no bytes. The worker reads the
bytes itself (`read_input`), so on a Dask cluster the machine that parses a document is the
one that fetches it.
"""

from __future__ import annotations

import hashlib
import os
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from docpipe import remote
from docpipe.document import RejectedInput, Source
from docpipe.reasons import RejectReason


# Web archives: containers whose records are inputs of their own (docpipe/warc.py reads them).
ARCHIVE_EXTENSIONS = (".warc", ".warc.gz", ".arc", ".arc.gz")
# How each begins: a WARC's version line, an ARC's file header (its URI names the file itself).
_ARCHIVE_STARTS = (b"WARC/", b"filedesc://")
GZIP_MEMBER = b"\x1f\x8b\x08"


def looks_like_archive(head: bytes) -> bool:
    """True for the first bytes of a WARC or ARC file, plain or gzipped, whatever the file's name."""
    if head.startswith(GZIP_MEMBER):
        try:
            head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head[:4096], 64)
        except zlib.error:
            return False
    return head.startswith(_ARCHIVE_STARTS)


@dataclass(frozen=True)
class Locator:
    location: str  # a local path, or a URI (whose query may carry connection options such as endpoint_override)
    record: int | None = None  # a record of the web archive at `location`: its byte offset
    one_stream: bool = False  # the archive is gzipped as one stream: `record` is an offset in its decompressed bytes
    # The hash of the version the store holds for this input: bytes hashing to it need no parsing
    # (a file touched, copied over or uploaded again unchanged).
    stored_sha256: str | None = None
    size: int = 0  # its size as listed (a record's payload's, as scanned); 0 if unknown: what a worker reading it ahead will hold

    @classmethod
    def of(cls, path: str | os.PathLike[str] | Locator) -> Locator:
        """``path``'s locator: the locator itself, or that of a local file."""
        return path if isinstance(path, Locator) else cls(str(path))

    @property
    def file_path(self) -> str:
        """The file's or object's name, without connection options: for a record, its archive's."""
        return remote.without_options(self.location) if remote.is_uri(self.location) else self.location

    @property
    def source_path(self) -> str:
        """The input's name in the datasets: a record's is `archive#offset`."""
        return self.file_path if self.record is None else f"{self.file_path}#{self.record}"


class ReadRefused(RejectedInput):
    """The input was refused before its bytes were read whole; ``size_bytes`` is what it declared."""

    def __init__(self, reason: RejectReason, message: str, size_bytes: int = 0) -> None:
        super().__init__(reason, message)
        self.size_bytes = size_bytes


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def open_binary(location: str, buffer_bytes: int = remote.WHOLE_READ_BUFFER) -> BinaryIO:
    """A seekable binary handle on a local file or a remote object (``buffer_bytes``: its read buffer, if remote)."""
    return remote.open_sized(location, buffer_bytes)[0] if remote.is_uri(location) else open(location, "rb")


def open_stream(location: str) -> BinaryIO:
    """A handle to read a local file or a remote object once, from its start (no size request first)."""
    return remote.open_stream(location) if remote.is_uri(location) else open(location, "rb")


def read_input(locator: Locator, max_bytes: int) -> tuple[bytes, Source]:
    """The input's bytes and their `Source`, refusing what exceeds ``max_bytes`` before reading it.

    Raises `RejectedInput` for what the input is (too large, a pipe, a damaged record) and
    `OSError` for what reading it met (permissions, a vanished file or object).
    """
    if locator.record is not None:
        from docpipe.warc import read_record  # warcio: only runs that read archives import it

        with open_binary(locator.location, remote.RECORD_READ_BUFFER) as handle:
            data, source = read_record(handle, locator.record, locator.file_path, max_bytes, locator.one_stream)
        return data, source
    if remote.is_uri(locator.location):
        handle, size = remote.open_sized(locator.location, buffer_bytes=0)
        with handle:
            if size > max_bytes:
                raise ReadRefused(RejectReason.TOO_LARGE, f"{size} bytes exceeds the {max_bytes}-byte limit", size)
            data = handle.read()
    else:
        status = os.stat(locator.location)
        if not stat.S_ISREG(status.st_mode):
            raise ReadRefused(RejectReason.NOT_A_REGULAR_FILE, "a device, pipe or socket, not a file: reading it could block forever")
        if status.st_size > max_bytes:
            raise ReadRefused(RejectReason.TOO_LARGE, f"{status.st_size} bytes exceeds the {max_bytes}-byte limit", status.st_size)
        data = Path(locator.location).read_bytes()
    return data, Source(path=locator.source_path, sha256=sha256_of(data), size_bytes=len(data))
