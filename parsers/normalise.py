"""Values as every parser and the metadata stage write them: text in NFC without controls or
soft hyphens, dates in ISO 8601 at the precision printed, ISBNs whose check digit holds."""

from __future__ import annotations

import calendar
import re
import unicodedata

# C0/C1 controls except tab and newline, plus characters that only break words or searches.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff\ufffe\uffff]")
_CRLF = re.compile(r"\r\n?")


def normalise_text(text: str) -> str:
    """NFC, Unix newlines, and without invisible or control characters (tab and newline stay)."""
    text = _CRLF.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    return unicodedata.normalize("NFC", text)


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
