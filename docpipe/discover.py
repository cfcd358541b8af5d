"""Which inputs a run looks at: named files and objects always, folders and prefixes walked for the types we read."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from docpipe import identity, remote
from docpipe.sources import ARCHIVE_EXTENSIONS
from parsers.source_types import DOCUMENT_EXTENSIONS

# What a walk takes: a file named on the command line is taken whatever its name, and a file
# with one of these names but other content is rejected, not skipped.
WALKED_EXTENSIONS = tuple(sorted(DOCUMENT_EXTENSIONS)) + ARCHIVE_EXTENSIONS


@dataclass
class Discovery:
    files: list[str] = field(default_factory=list)  # local paths and URIs
    # file -> its identity in the listing (docpipe.identity), for those that have a settled one:
    # what lets a re-run skip an unchanged input without reading it
    identities: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)  # file -> its size in the listing, where it gave one
    skipped: list[str] = field(default_factory=list)  # files in walked folders with other extensions
    missing: list[str] = field(default_factory=list)  # named paths that do not exist


class CredentialInURI(ValueError):
    """An input URI carries a credential: refused before anything records it."""


def refuse_credentials(paths: Iterable[str]) -> None:
    problems = [problem for path in paths if remote.is_uri(path) and (problem := remote.credential_problem(path))]
    if problems:
        raise CredentialInURI("; ".join(problems))


def _walked(name: str) -> bool:
    return name.lower().endswith(WALKED_EXTENSIONS)


def _local_if_file_uri(path: str) -> str:
    return unquote(urlsplit(path).path) if path.startswith("file://") else path


def names_remote(path: str) -> bool:
    """Whether a path named on the command line is read through a filesystem client (a ``file://`` URI is a local path)."""
    return remote.is_uri(_local_if_file_uri(path))


def _exists(path: str) -> bool:
    return remote.exists(path) if names_remote(path) else os.path.lexists(_local_if_file_uri(path))


def missing(paths: Iterable[str]) -> list[str]:
    """The named paths that do not exist, found without walking a folder or listing a prefix.

    Raises `CredentialInURI` if a URI carries a credential.
    """
    paths = list(paths)
    refuse_credentials(paths)
    return [path for path in paths if not _exists(path)]


def discover(paths: Iterable[str]) -> Discovery:
    """List the inputs under ``paths`` in a stable order, with their sizes and identities, without following symlinked folders.

    Unreadable folders are passed over by the walk; unreadable files are listed, so that
    they are rejected with their reason rather than lost. ``file://`` URIs are local paths.
    Raises `CredentialInURI` if a URI carries a credential.
    """
    paths = list(paths)
    refuse_credentials(paths)
    found = Discovery()
    seen: set[str] = set()
    listed_at = time.time()

    def add(path: str, size: int = 0, known: str | None = None) -> None:
        real = path if remote.is_uri(path) else os.path.realpath(path)
        if real in seen:
            return
        seen.add(real)
        found.files.append(path)
        if not remote.is_uri(path):
            try:
                status = os.stat(path)
                size, known = status.st_size, identity.of_stat(status, listed_at)
            except OSError:  # listed all the same: its worker rejects it with the reason
                pass
        found.sizes[path] = size
        if known is not None:
            found.identities[path] = known

    for path in map(_local_if_file_uri, paths):
        if remote.is_uri(path):
            listing = remote.list_uri(path)
            if not listing.exists:
                found.missing.append(path)
            for uri, size, known in listing.objects:
                if not listing.is_prefix or _walked(remote.without_options(uri)):
                    add(uri, size, known)
                else:
                    found.skipped.append(remote.without_options(uri))
        elif os.path.isdir(path):
            for folder, subfolders, names in os.walk(path, followlinks=False):
                subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    full = os.path.join(folder, name)
                    (add if _walked(name) else found.skipped.append)(full)
        elif os.path.lexists(path):
            add(path)
        else:
            found.missing.append(path)
    return found
