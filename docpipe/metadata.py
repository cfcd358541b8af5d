"""Normalise the metadata parsers found: ISO dates, checked ISBNs, tidy author lists, a title."""

from __future__ import annotations

import calendar
import re
import unicodedata

from docpipe.document import BlockKind, Document

# Month names and abbreviations of en, es, fr, pt and de, accents folded. A name counts only
# inside a whole date expression (next to a day or a year), so "Find out more" or "Set in
# Paris" never gives a month; the abbreviations that are everyday English words ("out", Portuguese
# October; "set", Portuguese and Spanish September) count only next to a day.
_MONTH_NAMES = {
    1: "january jan enero ene janvier janv janeiro januar",
    2: "february feb febrero fevrier fevr fev fevereiro februar",
    3: "march mar marzo mars marco marz",
    4: "april apr abril abr avril avr",
    5: "may mayo mai maio",
    6: "june jun junio juin junho juni",
    7: "july jul julio juillet juil julho juli",
    8: "august aug agosto ago aout",
    9: "september sep sept septiembre setiembre set septembre setembro",
    10: "october oct octubre octobre out outubro oktober okt",
    11: "november nov noviembre novembre novembro",
    12: "december dec diciembre dic decembre dez dezembro dezember",
}
_MONTHS = {name: month for month, names in _MONTH_NAMES.items() for name in names.split()}
_MONTH_NEEDS_DAY = frozenset({"out", "set"})
# ASCII digits only: str.isdigit and \d also take "²" or Arabic-Indic digits.
_DAY = r"(?P<day>[0-3]?[0-9])(?:st|nd|rd|th|er|o|º|\.)?"
_YEAR = r"(?P<year>[0-9]{4})(?![0-9])"
_MONTH = r"(?P<month>[^\W\d_]+)\.?"
_CLOCK = r"(?:[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?\s+(?:[a-z]{1,5}\s+)?)?"  # C's asctime puts the time before the year
_OF = r"(?:(?:de|del)\s+)?"  # es/pt "12 de marzo de 2019", "marzo del 2019"
_DATE_EXPRESSIONS = (
    re.compile(rf"(?<![0-9]){_DAY}\s+{_OF}{_MONTH},?\s+{_OF}{_YEAR}"),  # 12 March 2020, 12 de marzo de 2019
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_CLOCK}{_YEAR}"),  # March 12, 2020; Tue Jan 28 15:28:56 CET 2020
    re.compile(rf"\b{_MONTH},?\s+{_OF}{_YEAR}"),  # October 2004, octubre de 2004
)
_LONE_YEAR = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")
_ISO = re.compile(r"^\s*([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?(?:[T ].*)?$")
_NUMERIC_IN_TEXT = re.compile(r"\b([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})\b")
_ISBN_CHARS = re.compile(r"[^0-9Xx]")
_AUTHOR_PREFIX = re.compile(r"^(?:by|par|por|von|de)\s+", re.I)


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))


def _printed_words(value: str) -> str:
    """The text without what sits among a date's words but is not part of it: controls, bidi and
    zero-width marks, footnote marks and other scripts' digits ("3² mai", "5 March 2021 ²")."""
    value = "".join(" " if unicodedata.category(c) in ("Cc", "Cf") else c for c in value if c.isascii() or c.isalpha() or c.isspace())
    return " ".join(value.split())


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
    value = _printed_words(value)
    folded = _fold(value)
    for expression in _DATE_EXPRESSIONS:
        for match in expression.finditer(folded):
            month = _MONTHS.get(match["month"])
            day = int(match["day"]) if "day" in expression.groupindex else None
            if month is None or (day is None and match["month"] in _MONTH_NEEDS_DAY):
                continue
            year = int(match["year"])
            if _valid(year, month, day):
                return _format(year, month, day)
    for match in _LONE_YEAR.finditer(value):
        if _valid(int(match.group())):
            return match.group()
    return None


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


def _from_removals(doc: Document) -> None:
    """What only boilerplate printed, read from what the cleaning rules removed: the acronym set
    before an organisation's multilingual name on a cover (the publisher), and a short date line
    of the colophon (the date). Fields the parser found stay as they are."""
    # Imported here: the layout rules read dates with normalise_date, from this module.
    from docpipe.boilerplate.layout import ACRONYM, COLOPHON, MULTILINGUAL_NAME

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
