"""wordfreq's word frequencies: the language stage's vocabulary evidence.

langdetect and lingua both read character n-grams, and on a short sentence, or one that lost
its accented letters, both can find a neighbouring language: "Cada unidad se llama beat
(pulso)." reads as Catalan or Portuguese to them, while its words are plainly Spanish. This
scores a text's words against each language's frequency list, naive Bayes: the product of
the words' frequencies, a word that a list lacks counting as rarer than its rarest. Only
where the likeliest language's list knows most of the words: a text in another language
(Finnish, Polish) whose few short words happen to be English or French ("on", "a") is no
evidence for either.

wordfreq's "small" lists: words down to a frequency of one in a million, some 30,000 per
language. Each list becomes one dict, word -> frequency bucket (hundredths of a decade below
1), plus the same words without their accented letters, as text that lost them upstream
spells them ("ao" for "año", "decidi" for "decidí").
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Sequence
from functools import lru_cache

import wordfreq

_WORDLIST = "small"
_MISSING_BUCKET = 650  # a word a list lacks: half a decade rarer than its rarest (bucket 600)
_BUCKET_LOG = math.log(10.0) / 100.0
_MIN_KNOWN_SHARE = 0.5  # of the words, that the likeliest language's list must know
_EDGES = string.punctuation + "«»“”‘’¿¡…–—"
_INNER = re.compile(r"['’-]")


class _Frequencies:
    """One language's words -> frequency bucket, and the same for its words without their accented letters."""

    def __init__(self, code: str) -> None:
        self.exact: dict[str, int] = {}
        self.dropped: dict[str, int] = {}
        for bucket, words in enumerate(wordfreq.get_frequency_list(code, _WORDLIST)):
            for word in words:
                self.exact[word] = bucket
                if not word.isascii():
                    dropped = "".join(char for char in word if char.isascii())
                    if dropped and dropped not in self.dropped:  # buckets ascend: the first is the commonest
                        self.dropped[dropped] = bucket

    def bucket(self, word: str) -> int:
        found = self.exact.get(word)
        return self.dropped.get(word, _MISSING_BUCKET) if found is None else found


@lru_cache(maxsize=16)
def _frequencies(code: str) -> _Frequencies | None:
    if code not in wordfreq.available_languages(_WORDLIST):
        return None
    return _Frequencies(code)


def load(codes: Sequence[str]) -> None:
    """Load the lists of ``codes`` now rather than at their first use (0.1 s for eight)."""
    for code in codes:
        _frequencies(code)


def words(text: str) -> list[str]:
    """The words of ``text`` a frequency list can know, lowercase: whitespace-separated tokens
    less their edge punctuation, split at apostrophes and hyphens ("l'exploitation"), all
    letters. A token with a digit or inner punctuation (a URL, "t3n", "EU:n") is no word,
    and neither is a capitalised one: names are in every list."""
    found = []
    for token in text.split():
        token = token.strip(_EDGES)
        if not token or token[0].isupper():
            continue
        parts = _INNER.split(token)
        if all(part.isalpha() for part in parts):
            found.extend(part.lower() for part in parts)
    return found


def confidences(text: str, codes: Sequence[str]) -> dict[str, float]:
    """Each of ``codes``'s probability that ``text``'s words are in it, from equal priors;
    empty when a language has no list, or the likeliest language's list knows at most half
    of the words."""
    lists = [_frequencies(code) for code in codes]
    found = words(text)
    if not found or any(frequencies is None for frequencies in lists):
        return {}
    buckets = [[frequencies.bucket(word) for word in found] for frequencies in lists]
    costs = [sum(each) for each in buckets]
    best = min(costs)
    if sum(bucket < _MISSING_BUCKET for bucket in buckets[costs.index(best)]) <= _MIN_KNOWN_SHARE * len(found):
        return {}
    weights = [math.exp((best - cost) * _BUCKET_LOG) for cost in costs]
    total = sum(weights)
    return {code: weight / total for code, weight in zip(codes, weights)}
