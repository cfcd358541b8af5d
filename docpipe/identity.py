"""An input's identity from its store's listing: how a re-run knows, without reading an input, that it has not changed.

A local file's identity is what git's index keeps of it: size, modification and change times
(ns) and inode, so that a rewrite, a rename over it or a restored modification time all show.
An object's is its ETag or checksum where its filesystem lists one (fsspec's S3, HTTP and
cloud filesystems), else its size and modification time (pyarrow's filesystems list no ETag).

A time says nothing of a change made within the same tick of the clock that stamped it: an
identity is only *settled* when its time is a tick before the listing, and an unsettled input
has no identity (its worker reads it; the next run, which sees it settled, records it). The
time compared is a local file's change time (which, unlike its modification time, nothing can
set back) and an object's modification time. A time in whole seconds (S3, NFS and FAT stamps)
counts as a tick of `COARSE_SECONDS`, which also covers a small skew between an object
store's clock and this machine's; a finer one, `FINE_SECONDS` (Linux stamps files from a
clock that ticks every few ms).
"""

from __future__ import annotations

import os
import stat
from datetime import datetime
from typing import Any

COARSE_SECONDS = 2.0
FINE_SECONDS = 0.1
_CHECKSUMS = ("ETag", "etag", "Content-MD5", "md5Hash", "md5", "crc32c", "checksum", "Digest")
_TIMES = ("mtime", "LastModified", "last_modified", "updated", "created")


def _settled(nanoseconds: int, listed_at: float) -> bool:
    tick = COARSE_SECONDS if nanoseconds % 1_000_000_000 == 0 else FINE_SECONDS
    return nanoseconds / 1e9 < listed_at - tick


def of_stat(status: os.stat_result, listed_at: float) -> str | None:
    """A local file's identity; None for what is no regular file or changed too recently to tell."""
    if not stat.S_ISREG(status.st_mode) or not _settled(status.st_ctime_ns, listed_at):
        return None
    return f"stat:{status.st_size}:{status.st_mtime_ns}:{status.st_ctime_ns}:{status.st_ino}"


def of_arrow(info: Any, listed_at: float) -> str | None:
    """The identity of a file in one of pyarrow's filesystems (a `pyarrow.fs.FileInfo`)."""
    if info.mtime_ns is None or not _settled(info.mtime_ns, listed_at):
        return None
    return f"mtime:{info.size}:{info.mtime_ns}"


def of_fsspec(info: dict[str, Any], listed_at: float) -> str | None:
    """The identity of a file in an fsspec filesystem, from what its ``info``/``find(detail=True)`` gives."""
    size = info.get("size")
    for key in _CHECKSUMS:
        if info.get(key):
            return f"{key.lower()}:{size}:{info[key]}"
    for key in _TIMES:
        if (seconds := _seconds(info.get(key))) is not None:
            return f"time:{size}:{seconds!r}" if _settled(round(seconds * 1e9), listed_at) else None
    return None


def _seconds(value: Any) -> float | None:
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    return None
