"""lingua-language-detector's confidences: the language stage's second opinion.

langdetect samples character n-grams at random and knows little of short text; lingua
scores every 1- to 5-gram of the text against models built from larger corpora, and is
markedly better on a sentence or a heading. It costs more (about 0.2 ms for a short
sentence against langdetect's 0.05 ms here) and its models take about 25 MB and 0.2 s of
CPU per language to load, so docpipe.language asks it only where langdetect is weak, and
the detector is built lazily, once per process and set of languages (the models
themselves are shared by every detector of the process).
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
def _detector(codes: tuple[str, ...], accurate: bool) -> LanguageDetector | None:
    languages = [language for language in map(_language, codes) if language is not None]
    if len(languages) < 2:
        return None
    builder = LanguageDetectorBuilder.from_languages(*languages)
    return builder.build() if accurate else builder.with_low_accuracy_mode().build()


def confidences(text: str, codes: Sequence[str], accurate: bool = True) -> dict[str, float]:
    """lingua's probability for each of ``codes`` it has a model for (they sum to 1, or are
    all 0 for text without letters); empty when it knows fewer than two of them.

    Not ``accurate``: from trigrams only, at a quarter of the cost, which lingua's authors
    find nearly as good on text of a sentence or more."""
    detector = _detector(tuple(codes), accurate)
    if detector is None:
        return {}
    return {
        # lingua sums in hash-map order: its last digits vary from call to call.
        value.language.iso_code_639_1.name.lower(): round(value.value, _DIGITS)
        for value in detector.compute_language_confidence_values(text)
    }
