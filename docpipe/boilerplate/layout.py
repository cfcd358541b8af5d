"""Page-layout boilerplate of paginated sources (PDF): running heads, page numbers, pull quotes."""

from __future__ import annotations

from docpipe.document import Document, SourceType


def remove_layout_boilerplate(doc: Document) -> Document:
    if doc.source.source_type is not SourceType.PDF:
        return doc
    return doc
