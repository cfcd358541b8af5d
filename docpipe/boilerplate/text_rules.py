"""Boilerplate recognised from a block's own text, whatever the source type."""

from __future__ import annotations

from docpipe.document import Document


def remove_text_boilerplate(doc: Document) -> Document:
    return doc
