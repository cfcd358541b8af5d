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


# Letter-spaced text ("J U S T I F I C A T I V A", a justified line "s t u d y  a i m e d")
# sets its letters a little apart and its words further: pdfminer sees a space at each gap.
_LETTER_SPACED_MIN_SPACES = 3  # between two one-glyph words
_LETTER_GAP_MAX = 0.25  # ems: more is an ordinary word space between one-letter words
_WORD_GAP_FACTOR = 1.5  # a gap this much wider than the letters' is between words


def close_letter_spacing(parts: list[str], spaces: list[tuple[int, float]]) -> None:
    """Drop, in place, the spaces of ``parts`` (glyphs and " ") that only set letters apart.

    ``spaces`` gives each inferred space's index in ``parts`` and its gap in ems. A run of
    spaces in a row, each beside a one-glyph word, three or more of them between two
    single glyphs, is letter-spaced; in it, a gap not much wider than the typical gap
    between two single letters is a letter gap.
    """

    def lone_glyph(index: int, step: int) -> bool:
        """Whether ``parts[index]`` is a glyph with no glyph beyond it (``step`` away)."""
        beyond = index + step
        return 0 <= index < len(parts) and parts[index] != " " and not (0 <= beyond < len(parts) and parts[beyond] != " ")

    runs: list[list[tuple[int, float, bool]]] = [[]]
    for index, gap in spaces:
        left, right = lone_glyph(index - 1, -1), lone_glyph(index + 1, 1)
        if left or right:
            runs[-1].append((index, gap, left and right))
        elif runs[-1]:
            runs.append([])
    for run in runs:
        letter_gaps = sorted(gap for _, gap, between_letters in run if between_letters)
        if len(letter_gaps) < _LETTER_SPACED_MIN_SPACES:
            continue  # "casa e a escola": one-letter words, not letters set apart
        typical = letter_gaps[len(letter_gaps) // 2]
        if typical > _LETTER_GAP_MAX:
            continue
        for index, gap, _ in run:
            if gap <= _WORD_GAP_FACTOR * typical:
                parts[index] = ""
