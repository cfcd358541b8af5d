"""Per-block language identification with langdetect, restricted to the run's languages."""

from __future__ import annotations

from collections.abc import Sequence

from docpipe.document import Document

DEFAULT_LANGUAGES: tuple[str, ...] = ("en", "es", "fr")


def tag_languages(doc: Document, languages: Sequence[str] = DEFAULT_LANGUAGES) -> Document:
    return doc
