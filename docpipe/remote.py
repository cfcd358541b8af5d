"""Inputs behind a URI: object stores through pyarrow's filesystems, anything else through fsspec.

`s3://`, `gs://` and `hdfs://` go through pyarrow, as output roots do, and take the same
connection options in the URI's query (`?endpoint_override=http://host:port&region=...`);
other schemes (`https://` for single files, `memory://`, and whatever fsspec implementations are
installed: `az://` with adlfs, ...) through fsspec. A URI naming a prefix or folder is walked
like a local folder. Credentials come from each filesystem's usual environment and config
files: a URI carrying one (a user and password, a key, a token or a signature in its query) is
refused, so that none can reach the datasets, the runs row, logs or Prefect's parameters, which
all name inputs by their URI.
"""

from __future__ import annotations

import functools
import io
import re
import time
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from docpipe import identity

_PYARROW_SCHEMES = frozenset({"s3", "gs", "gcs", "hdfs"})
_BUCKET_SCHEMES = frozenset({"s3", "gs", "gcs"})  # pyarrow's path starts with the bucket
_CREDENTIAL = re.compile(r"key|secret|token|passw|credential|signature|^sig$|^sv$", re.I)
# pyarrow's object-store files fetch each read() with its own request: a buffer keeps warcio
# (which reads 16 KB at a time) from paying a round trip per 16 KB. Reading a whole archive in
# order takes large ones; a worker reading one record at an offset, small ones (most records
# are tens of KB, and each worker opens the archive for each of its records).
WHOLE_READ_BUFFER = 4 * 1024 * 1024
RECORD_READ_BUFFER = 256 * 1024


def is_uri(location: str) -> bool:
    scheme, separator, _ = location.partition("://")
    return bool(separator) and len(scheme) > 1 and scheme.replace("+", "").replace("-", "").isalnum()


def without_options(uri: str) -> str:
    """The URI without its query: how an input is named in the datasets."""
    parts = urlsplit(uri)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def credential_problem(uri: str) -> str | None:
    """Why ``uri`` may not be used as an input: it carries a credential. None when it carries none."""
    parts = urlsplit(uri)
    if parts.username or parts.password:
        return f"{without_options(uri).split('@')[-1]}: a user or password in the URI; credentials come from the environment (AWS_ACCESS_KEY_ID, ...)"
    named = sorted({key for key, _ in parse_qsl(parts.query) if _CREDENTIAL.search(key)})
    if named:
        return f"{without_options(uri)}: {', '.join(named)} in the URI's query; credentials come from the environment, never the command line"
    return None


@functools.cache
def _arrow_filesystem(scheme: str, netloc: str, query: str) -> Any:
    import pyarrow.fs as pafs

    return pafs.FileSystem.from_uri(urlunsplit((scheme, netloc, "", query, "")))[0]


def _resolve(uri: str) -> tuple[Any, str, bool]:
    """(filesystem, path in it, whether it is pyarrow's)."""
    parts = urlsplit(uri)
    if parts.scheme in _PYARROW_SCHEMES:
        path = f"{parts.netloc}{parts.path}" if parts.scheme in _BUCKET_SCHEMES else parts.path
        return _arrow_filesystem(parts.scheme, parts.netloc, parts.query), path.rstrip("/"), True
    import fsspec

    filesystem, path = fsspec.core.url_to_fs(uri)
    return filesystem, path, False


def _uri_under(uri: str, root: str, found: str) -> str:
    """The URI of ``found``, listed under ``root`` (the path ``uri`` names), in ``uri``'s spelling and with its options."""
    parts = urlsplit(uri)
    path = parts.path.rstrip("/") + found[len(root.rstrip("/")) :]
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def open_sized(uri: str, buffer_bytes: int = WHOLE_READ_BUFFER) -> tuple[BinaryIO, int]:
    """A seekable binary handle on the object at ``uri``, and its size (one request for both where the store allows).

    ``buffer_bytes`` 0: no buffer, for a caller that reads the whole object in one read().
    """
    filesystem, path, arrow = _resolve(uri)
    if arrow:
        raw = filesystem.open_input_file(path)
        return io.BufferedReader(raw, buffer_bytes) if buffer_bytes else raw, raw.size()
    handle = filesystem.open(path, "rb")
    return handle, int(handle.size)


def open_stream(uri: str) -> BinaryIO:
    """A handle to read the object at ``uri`` once, in order: one request, no size lookup first."""
    filesystem, path, arrow = _resolve(uri)
    if arrow:
        return filesystem.open_input_stream(path, compression=None)  # not gunzipped: a .warc.gz is read as it is stored
    return filesystem.open(path, "rb")


def exists(uri: str) -> bool:
    """Whether ``uri`` names an object or a prefix, asked in a request or two however much the prefix holds."""
    filesystem, path, arrow = _resolve(uri)
    if arrow:
        import pyarrow.fs as pafs

        return filesystem.get_file_info(path).type != pafs.FileType.NotFound
    return bool(filesystem.exists(path))


@dataclass
class Listing:
    # (URI, size, identity) in name order; the identity (docpipe.identity) is None when the listing cannot vouch for one
    objects: list[tuple[str, int, str | None]] = field(default_factory=list)
    is_prefix: bool = False  # the URI named a folder or prefix: these are what it holds
    exists: bool = True


def list_uri(uri: str) -> Listing:
    """What ``uri`` names: one object, or every object under a prefix (hidden names skipped), or nothing."""
    listed_at = time.time()
    filesystem, path, arrow = _resolve(uri)
    if arrow:
        import pyarrow.fs as pafs

        info = filesystem.get_file_info(path)
        if info.type == pafs.FileType.File:
            return Listing([(uri, info.size, identity.of_arrow(info, listed_at))])
        found = filesystem.get_file_info(pafs.FileSelector(path, recursive=True, allow_not_found=True))
        entries = [(entry.path, entry.size, identity.of_arrow(entry, listed_at)) for entry in found if entry.type == pafs.FileType.File]
    else:
        if filesystem.isfile(path):
            info = filesystem.info(path)
            return Listing([(uri, int(info["size"]), identity.of_fsspec(info, listed_at))])
        if not filesystem.isdir(path):
            return Listing(exists=False)
        found = filesystem.find(path, detail=True).items()
        entries = [(name, int(info["size"]), identity.of_fsspec(info, listed_at)) for name, info in found]
    if not entries and not (arrow and info.type == pafs.FileType.Directory):
        return Listing(exists=False)
    root = path.rstrip("/")
    visible = [entry for entry in entries if not any(part.startswith(".") for part in entry[0][len(root) :].split("/"))]
    return Listing(sorted((_uri_under(uri, root, name), size, known) for name, size, known in visible), is_prefix=True)
