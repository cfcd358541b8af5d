"""Text repairs on the characters pdfminer reads from real PDFs (strings quoted from the corpus files)."""

from __future__ import annotations

import pytest

from parsers.pdf_repair import join_spacing_accents


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
