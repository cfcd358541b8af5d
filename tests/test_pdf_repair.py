"""Text repairs on the characters pdfminer reads from real PDFs (strings quoted from the corpus files)."""

from __future__ import annotations

import pytest

from parsers.pdf.repair import close_letter_spacing, join_spacing_accents


@pytest.mark.parametrize(
    ("read", "repaired"),
    [
        # TALN 2001 title page (old LaTeX: the accent is a spacing glyph drawn before the letter).
        ("Mod`eles de langage hi´erarchiques pour les applications de dialogue en parole spontan´ee",
         "Modèles de langage hiérarchiques pour les applications de dialogue en parole spontanée"),
        ("F. B´echet, Y. Est`eve, R. De Mori", "F. Béchet, Y. Estève, R. De Mori"),
        ("1 R´esum´e - Abstract", "1 Résumé - Abstract"),
        ("plutˆot que d’ˆetre", "plutôt que d’être"),
        # TALN 2003/2008: a cedilla after its c, a diaeresis or an acute on a dotless i.
        ("le franc¸ais de fac¸on", "le français de façon"),
        ("Kamel Sma¨ıli", "Kamel Smaïli"),
        ("Mart´ın", "Martín"),
        # Saarbr¨ucken (a German umlaut, same mechanism).
        ("Saarbr¨ucken", "Saarbrücken"),
    ],
)
def test_spacing_accents_join_their_letter(read: str, repaired: str) -> None:
    assert join_spacing_accents(read) == repaired


@pytest.mark.parametrize("text", ["`quoted' in LaTeX", "x ˆ 2", "l’´", "naïve café"])
def test_marks_that_precede_no_letter_stay(text: str) -> None:
    assert join_spacing_accents(text) == text


def _parts_and_spaces(words: list[tuple[str, float]]) -> tuple[list[str], list[tuple[int, float]]]:
    """Glyphs and spaces as the line reader builds them: each (glyph, gap in ems after it)."""
    parts: list[str] = []
    spaces: list[tuple[int, float]] = []
    for glyph, gap in words:
        parts.append(glyph)
        if gap:
            parts.append(" ")
            spaces.append((len(parts) - 1, gap))
    return parts, spaces


def test_letter_spaced_words_are_closed_and_kept_apart() -> None:
    # Gaps measured on the RBA 2003 SUMMARY (a justified, letter-spaced line): 0.13 em
    # between letters, 0.79 em between words, "N2O" with a 0.20 em gap after its N.
    measured = [("s", .13), ("t", .13), ("u", .13), ("d", .13), ("y", .79), ("a", .13), ("i", .13), ("m", .13),
                ("e", .13), ("d", .79), ("a", .13), ("t", .79), ("t", .13), ("h", .13), ("e", 0)]
    parts, spaces = _parts_and_spaces(measured)
    close_letter_spacing(parts, spaces)
    assert " ".join("".join(parts).split()) == "study aimed at the"


def test_one_letter_words_in_ordinary_text_stay() -> None:
    # Tight word spaces (0.20 em on the same page) around one-letter words: "casa e a escola".
    parts, spaces = _parts_and_spaces([("c", 0), ("a", 0), ("s", 0), ("a", .2), ("e", .2), ("a", .2), ("e", 0), ("s", 0)])
    close_letter_spacing(parts, spaces)
    assert "".join(parts) == "casa e a es"
