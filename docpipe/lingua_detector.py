"""lingua-language-detector's confidences: the language stage's second opinion.

langdetect samples character n-grams at random and knows little of short text; lingua
scores every trigram of the text against models built from larger corpora, and is markedly
better on a sentence or a heading. docpipe.language asks it only where langdetect is weak.

lingua's low-accuracy mode (trigram models only): on the langid devset it labels as well
as the high-accuracy mode within 0.2-0.4 points once combined with langdetect, while its
models load in 0.1 s of CPU and 35 MB instead of 2 s and 200 MB. One detector per process
and set of languages; lingua shares the models between detectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

_DIGITS = 9


def _language(code: str) -> Language | None:
    try:
        return Language.from_iso_code_639_1(IsoCode639_1.from_str(code))
    except ValueError:  # a code lingua has no model for
        return None


@lru_cache(maxsize=8)
def _detector(codes: tuple[str, ...]) -> LanguageDetector | None:
    languages = [language for language in map(_language, codes) if language is not None]
    if len(languages) < 2:
        return None
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def load(codes: Sequence[str]) -> None:
    """Load the models of ``codes`` now rather than at their first use.

    By a detection, not the builder's ``with_preloaded_language_models``: that loads them on
    a thread pool, and a process with threads must not fork (the forkserver imports this
    before forking workers; a worker that then needed the pool hung). A text of plain
    letters rules out no language, so every model is loaded."""
    confidences("the models of every language", codes)


def confidences(text: str, codes: Sequence[str]) -> dict[str, float]:
    """lingua's probability for each of ``codes`` it has a model for (they sum to 1, or are
    all 0 for text without letters); empty when it knows fewer than two of them."""
    detector = _detector(tuple(codes))
    if detector is None:
        return {}
    return {
        # lingua sums in hash-map order: its last digits vary from call to call.
        value.language.iso_code_639_1.name.lower(): round(value.value, _DIGITS)
        for value in detector.compute_language_confidence_values(text)
    }
