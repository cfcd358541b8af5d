"""Normalise the metadata parsers found: ISO dates, checked ISBNs, tidy author lists, a title."""

from __future__ import annotations

import calendar
import re
import unicodedata

from docpipe.document import BlockKind, Document

_MONTHS = {
    # en, es, fr, pt, de; the first three letters are enough except where they collide.
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
    "ene": 1, "abr": 4, "ago": 8, "dic": 12, "set": 9,
    "janv": 1, "fev": 2, "mars": 3, "avr": 4, "mai": 5, "juin": 6, "juil": 7, "aou": 8,
    "fevr": 2, "dez": 12, "okt": 10, "marz": 3, "out": 10,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "janvier": 1, "fevrier": 2, "avril": 4, "juillet": 7, "aout": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "decembre": 12,
}
# Numbers are ASCII digits only: "\d" and str.isdigit() also take "²" (which int() refuses)
# and other scripts' digits, which no date here is printed in.
_ISO = re.compile(r"^\s*([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?(?:[T ].*)?$")
_NUMERIC_IN_TEXT = re.compile(r"\b([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})\b")
_WORD = re.compile(r"[^\W\d_]+|[0-9]+")
_ISBN_CHARS = re.compile(r"[^0-9Xx]")
_AUTHOR_PREFIX = re.compile(r"^(?:by|par|por|von|de)\s+", re.I)


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))


def _valid(year: int, month: int | None = None, day: int | None = None) -> bool:
    """A date that exists: "2021-02-30" in a <time> tag is a typo, and no calendar day."""
    if not 1000 < year < 2200 or (month is not None and not 1 <= month <= 12):
        return False
    return day is None or 1 <= day <= (calendar.monthrange(year, month)[1] if month else 31)


def _format(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def normalise_date(value: str | None) -> str | None:
    """An ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD) from the forms documents print, or None.

    Only the precision the source gives is kept: "October 2004" is "2004-10", not a day.
    """
    if not value:
        return None
    for match in (_ISO.match(value), _NUMERIC_IN_TEXT.search(value)):
        if match:
            year, month, day = (int(g) if g else None for g in match.groups())
            return _format(year, month, day) if _valid(year, month, day) else None
    year = month = day = None
    for token in _WORD.findall(value):
        if token.isascii() and token.isdigit():
            number = int(token)
            if len(token) == 4 and year is None:
                year = number
            elif len(token) <= 2 and day is None and 1 <= number <= 31:
                day = number
            continue
        folded = _fold(token)
        if month is None:
            month = _MONTHS.get(folded) or _MONTHS.get(folded[:4]) or _MONTHS.get(folded[:3])
    if year is None or not _valid(year, month, day):
        return None
    return _format(year, month, day if month else None)


def isbn_is_valid(isbn: str) -> bool:
    digits = _ISBN_CHARS.sub("", isbn).upper()
    if len(digits) == 10 and digits[:9].isdigit():
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if len(digits) == 13 and digits.isdigit():
        total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


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


def finalize_metadata(doc: Document) -> Document:
    """Each field on its own: one that cannot be normalised is left empty with a warning."""
    meta = doc.metadata
    meta.published_date = doc.enrich(None, normalise_date, meta.published_date)
    if meta.isbn and not doc.enrich(False, isbn_is_valid, meta.isbn):
        meta.extra["isbn_invalid"] = meta.isbn
        meta.isbn = None
    meta.authors = doc.enrich([], _clean_authors, meta.authors)
    meta.title = doc.enrich(None, _title, doc)
    return doc
