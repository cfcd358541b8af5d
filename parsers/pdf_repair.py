"""Text repairs for what PDF producers draw apart and pdfminer reads as separate characters."""

from __future__ import annotations

import re
import unicodedata

# Old LaTeX (Type 1 fonts without precomposed letters) draws an accent as its own spacing
# glyph before the letter ("d´ependance", "syst`eme", "ˆetre", "na¨ıve") and a cedilla after
# it ("franc¸ais"); the dotless ı carries the accent of an i ("´ı", "¨ı").
_SPACING_ACCENTS = {"´": "\u0301", "`": "\u0300", "ˆ": "\u0302", "¨": "\u0308", "˜": "\u0303", "˚": "\u030a", "ˇ": "\u030c"}
_ACCENT_THEN_LETTER = re.compile(r"([´`ˆ¨˜˚ˇ])([^\W\d_])")
_LETTER_THEN_CEDILLA = re.compile(r"([^\W\d_])¸")
_HAS_SPACING_ACCENT = re.compile(r"[´`ˆ¨˜˚ˇ¸]")


def _composed(letter: str, mark: str) -> str | None:
    """The letter with the mark as one character, or None when Unicode has no such letter."""
    composed = unicodedata.normalize("NFC", ("i" if letter == "ı" else letter) + mark)
    return composed if len(composed) == 1 else None


def join_spacing_accents(text: str) -> str:
    """``d´ependance`` -> ``dépendance``, ``franc¸ais`` -> ``français``; other uses of the marks stay."""
    if not _HAS_SPACING_ACCENT.search(text):
        return text

    def before(match: re.Match[str]) -> str:
        return _composed(match.group(2), _SPACING_ACCENTS[match.group(1)]) or match.group(0)

    def cedilla(match: re.Match[str]) -> str:
        return _composed(match.group(1), "\u0327") or match.group(0)

    return _LETTER_THEN_CEDILLA.sub(cedilla, _ACCENT_THEN_LETTER.sub(before, text))
