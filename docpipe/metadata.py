"""Normalise the metadata parsers found: ISO dates, checked ISBNs, tidy author lists, a title."""

from __future__ import annotations

import re

from docpipe.boilerplate.layout import ACRONYM, COLOPHON, MULTILINGUAL_NAME
from docpipe.document import BlockKind, Document
from parsers.normalise import isbn_is_valid, normalise_date

_AUTHOR_PREFIX = re.compile(r"^(?:by|par|por|von|de)\s+", re.I)


def _clean_authors(authors: list[str]) -> list[str]:
    seen: set[str] = set()
    cleaned = []
    for author in authors:
        name = " ".join(_AUTHOR_PREFIX.sub("", author).split()).strip(" ,;")
        if name and name.lower() not in seen:
            seen.add(name.lower())
            cleaned.append(name)
    return cleaned


def _title(doc: Document) -> str | None:
    if doc.metadata.title:
        return " ".join(doc.metadata.title.split())
    heading = next((b for b in doc.blocks if b.kind is BlockKind.HEADING), None)
    return heading.text if heading else None


def _from_removals(doc: Document) -> None:
    """What only boilerplate printed, read from what the cleaning rules removed: the acronym set
    before an organisation's multilingual name on a cover (the publisher), and a short date line
    of the colophon (the date). Fields the parser found stay as they are."""
    meta = doc.metadata
    texts = [(removal.rule, removal.text.strip()) for removal in doc.removed]
    if not meta.publisher:
        meta.publisher = next((text for rule, text in texts if rule == MULTILINGUAL_NAME.name and ACRONYM.match(text)), None)
    if not meta.published_date:
        meta.published_date = next((text for rule, text in texts if rule == COLOPHON.name and len(text) < 40 and normalise_date(text)), None)


def finalize_metadata(doc: Document) -> Document:
    """Each field on its own: one that cannot be normalised is left empty with a warning."""
    doc.summarise_languages()  # the body's language once the abstracts stage has taken them out
    meta = doc.metadata
    doc.enrich(None, _from_removals, doc)
    meta.published_date = doc.enrich(None, normalise_date, meta.published_date)
    if meta.isbn and not doc.enrich(False, isbn_is_valid, meta.isbn):
        meta.extra["isbn_invalid"] = meta.isbn
        meta.isbn = None
    meta.authors = doc.enrich([], _clean_authors, meta.authors)
    meta.title = doc.enrich(None, _title, doc)
    return doc
