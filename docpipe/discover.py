"""Which files a run looks at: named files always, folders walked for the types we parse."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from parsers.source_types import DOCUMENT_EXTENSIONS


@dataclass
class Discovery:
    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files in walked folders with other extensions
    missing: list[str] = field(default_factory=list)  # named paths that do not exist


def discover(paths: Iterable[str]) -> Discovery:
    """List the inputs under ``paths`` in a stable order, without following symlinked folders.

    Unreadable folders are passed over by the walk; unreadable files are listed, so that
    they are rejected with their reason rather than lost.
    """
    found = Discovery()
    seen: set[str] = set()

    def add(path: str) -> None:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            found.files.append(path)

    for path in paths:
        if os.path.isdir(path):
            for folder, subfolders, names in os.walk(path, followlinks=False):
                subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    full = os.path.join(folder, name)
                    # A file named on the command line is taken whatever its name, and a file
                    # with a type's extension but other content is rejected, not skipped.
                    if os.path.splitext(name)[1].lower() in DOCUMENT_EXTENSIONS:
                        add(full)
                    else:
                        found.skipped.append(full)
        elif os.path.lexists(path):
            add(path)
        else:
            found.missing.append(path)
    return found
