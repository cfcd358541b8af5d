"""Find the abstract sections (EXECUTIVE SUMMARY, RESUMEN, RÉSUMÉ, ...) and split them by language."""

from __future__ import annotations

from docpipe.document import Document


def split_abstracts(doc: Document) -> Document:
    return doc
