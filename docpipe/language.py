"""Per-block language identification: langdetect, with lingua's second opinion on short text.

langdetect is strong on long text and weak on short text, random unless seeded, and forces
one of its loaded languages on everything. So:

- one detector factory per process and per set of languages, seeded, loading only the
  run's profiles plus a few "foil" languages (pt, it, de, ca, nl) that are easily taken
  for en/es/fr; text whose best match is a foil gets ``und`` instead of a forced label, and
  so does long text with almost none of its language's commonest words (Hungarian,
  Polish, lists of names, code);
- langdetect's probabilities are weighed by the commonest words of en/es/fr and of their
  neighbours pt/it/ca/de, accent-folded and also without their accented letters: on a real
  sentence a few such words outweigh n-grams misled by lost accents ("porque la heridas no
  estan cerradas" is Spanish, not Portuguese);
- text whose common words alone decide (no answer of langdetect's could change the label,
  ``_decided_by_words``) and that lingua is not to see either is not given to langdetect at
  all: most paragraphs;
- lingua (docpipe.lingua_detector), over the same languages, is asked where langdetect is
  weak: long text that langdetect is unsure of, any text whose own label differs from its
  context's, a short line (under 60 letters) that langdetect gives a neighbouring language
  next to text in a run language, and short text without context (a document of short
  lines only). Its probabilities multiply langdetect's and the words'; a block on whose
  language both agree, or that the three together make sure of, weighs fully from 25
  letters instead of 60. Asking it only there keeps the stage's cost down (lingua costs
  about four times langdetect on a short text here);
- where lingua is asked and the two detectors name different languages, or a foil wins,
  the text's words weigh in too: their frequencies in each language's wordfreq list
  (docpipe.vocabulary; a third opinion that reads words, where both detectors read
  character n-grams that a short sentence or lost accents mislead together);
- a document of short lines only is labelled where both detectors, lingua and the words'
  frequencies, or the line's common words agree, else ``und`` (README, "Language of short
  lines");
- text mostly in capitals is lowercased first (langdetect's profiles barely know capitals);
- each block is detected once, from at most ``_MAX_CHARS`` characters, by a Detector
  subclass that computes exactly what langdetect's would at a fraction of its cost; a text
  already seen in the process (a site's recurring lines) is answered from a cache;
- the final labels come from a Viterbi pass over the block sequence: a block's own evidence
  weighs with the square of its length, every change of language costs a penalty, a
  heading attaches to the text after it and a name or number to the text before it, and
  <html lang> tips blocks that have little evidence of their own. A block on whose language
  both detectors agree keeps it whatever its neighbours when it is a sentence (25 letters
  or more) or its common words agree too. Blocks too short to decide alone, or overruled
  by their neighbours, are marked ``language_inferred``.
"""

from __future__ import annotations

import math
import os
import random
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from operator import mul
from typing import NamedTuple

from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

from docpipe import lingua_detector, vocabulary
from docpipe.document import Block, BlockKind, Document

DEFAULT_LANGUAGES: tuple[str, ...] = ("en", "es", "fr")
UNDETERMINED = "und"

# Languages that langdetect would otherwise fold into en/es/fr; seeing one of them win is
# the evidence that a text is in none of the run's languages.
_FOILS: tuple[str, ...] = ("pt", "it", "de", "ca", "nl")
# The commonest words of each language (function words, auxiliaries, a few very frequent
# adverbs), written from the languages' frequency lists, not from any test text.
_COMMON_WORDS: dict[str, str] = {
    "en": "the of and to a in is that for it on with as was by be at this are from or an have not which but has were "
          "you he she they we his her their its my me your our will would can could should there what when who all been "
          "had do does did so if than then them these those about into more one also just only out up after over such "
          "some any other how like very where why because while being still even most many much well here now",
    "es": "de la que el en y a los del se las por un para con no una su al lo como más pero sus le ya o este es entre "
          "sí porque esta cuando muy sin sobre también me hasta hay donde quien desde todo nos durante todos uno les ni "
          "contra otros ese eso ante ellos e esto antes algunos qué unos yo otro otras otra él tanto esa estos mucho "
          "quienes nada muchos cual poco ella estar estas algunas algo nosotros mi mis tú te ti tu tus ellas "
          "está están estoy fue ser son era han ha hace puede solo sino aunque así bien ahora después vez años hoy "
          "día cada mismo dos hacer tiene tienen había hemos parte según mejor siempre aquí",
    "fr": "de la le et les des à en du un une que pour dans qui sur au par pas est il plus ne avec ce se sont aux "
          "cette son sa ses nous vous ils elle elles on mais ou où donc car leur leurs été être avoir fait comme tout "
          "tous très aussi bien sans sous entre peut ont était je me te lui moi toi notre votre nos vos ces cet mon ma "
          "mes qu c l d n s j y avait faire dont même encore après avant depuis alors ici déjà toujours chez peu",
    "pt": "de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele das tem à "
          "seu sua ou ser quando muito há nos já está eu também só pelo pela até isso ela entre era depois sem mesmo "
          "aos ter seus quem nas me esse eles estão você tinha foram essa num nem suas meu às minha têm numa pelos "
          "elas havia seja qual será nós tenho lhe deles essas esses pelas este dele vocês lhes meus minhas "
          "nosso nossa isto então ainda são pode sobre muito fazer onde aqui sempre cada",
    "it": "di e il la che è per un in non una a del da si sono le con i dei della al lo gli ma come anche più se "
          "alla nel ha questo o ci delle essere mi perché quando nella sul dal molto suo sua loro cui tutto tra fra "
          "questa quello stato ancora dopo sempre degli alle agli allo dalla sulla nei però già io noi voi lui lei "
          "hanno era erano fatto solo ogni ne così può bene quale qui dove sia stata anni fare questi queste nostro",
    "ca": "de la i el que a en les per un una del els no es amb al és com més o dels però hi ha seu seva aquest "
          "aquesta són també si ja va fer molt quan tot on ens li jo ell ella nosaltres vosaltres ells elles aquests "
          "aquestes sobre entre fins perquè sense havia han pot cal això allò aquí fa anys pel pels als mateix tots "
          "totes altre altres seus seves amb molts moltes fet d l s n",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er "
          "hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor "
          "zur bis mehr durch man sein wurde sei ich wir ihr uns kann schon wenn diese dieser können muss gibt ganz "
          "immer sehr hier jetzt keine kein wieder",
}
# Word evidence over the run's languages and their neighbours: a word shared by n of these
# languages gives each 1/n; the languages' scores multiply langdetect's probabilities
# (plus a floor: langdetect's near-certainty on a dozen words is often wrong) by
# exp(_WORD_EVIDENCE_WEIGHT * score). Words are accent-folded, and also listed without their
# accented letters, as text that lost them upstream spells them ("más" -> "ms").
_WORD_EVIDENCE_WEIGHT = 3.0
_DETECTOR_PROB_FLOOR = 0.05
# A long block (_FULL_EVIDENCE_LETTERS) that langdetect, words weighed in, gives this much to
# one language needs no second opinion (a foil too: lingua knows only the loaded languages,
# and its forced choice for Hungarian is no evidence); 0.99 asked lingua five times as often
# on the devset pages for the same labels. Any other block's evidence multiplies
# langdetect's probabilities (square root: lingua is the better of the two on short text)
# with lingua's (floored) and the words'; where the two detectors dispute it or a foil wins,
# by the vocabulary's too (floored as lingua's: 0.1 gave back half of its gains on the
# langid devset, 0.001 changed nothing).
_SURE = 0.9
_LINGUA_PROB_FLOOR = 0.01
_VOCABULARY_PROB_FLOOR = 0.01
# A document of short lines alone is labelled only where its words agree: one common word of
# the language alone, or two shared with one other language.
_SHORT_TEXT_MIN_WORD_SCORE = 1.0
_FUNCTION_WORD_MIN_WORDS = 15  # headlines of a dozen words often have none
_FUNCTION_WORD_MAX_CHARS = 1000  # a set lookup per word: cheap enough to read more than langdetect
_FUNCTION_WORD_MIN_SHARE = 0.08
_WORD = re.compile(r"[^\W\d_]+")
_NOT_WORD = re.compile(r"[\W\d_]+")  # what _WORD leaves out: removing it leaves the words' letters
_SEED = 0
_MAX_CHARS = 120  # beyond this langdetect's answer hardly changes, only its cost grows
_MIN_LETTERS = 12  # fewer letters than this: no detection at all, context decides
_FULL_EVIDENCE_LETTERS = 60  # a block this long weighs fully in the smoothing pass
_AGREED_EVIDENCE_LETTERS = 25  # ... and from this length when both detectors agree on it
_CONFIDENT = 0.95  # lingua's opinion combined with the rest this sure of a block counts as agreement
_INFERRED_BELOW_LETTERS = 25  # shorter blocks are labelled from context
_PROB_FLOOR = 1e-4
# langdetect averages 7 random-sampling trials of up to 1000 steps, stopping a trial once
# one language passes 0.99999. On the 120 characters it is given, one trial (_Detector runs
# only one) with looser limits gives the same labels on the bench (bench/language_eval.py)
# at a third of the cost.
_ITERATION_LIMIT = 200
_CONVERGED = 0.999
_SWITCH_PENALTY = 2.0
_HEADING_ATTACH = 1.0  # a switch just before a heading is cheaper, just after it dearer
_SHORT_LINE_ATTACH = 0.3  # a switch just after a name or number is cheaper, before it dearer
_HTML_LANG_BONUS = 0.3
# Tables and code are data, not prose: a long table of names must not outvote the text.


class _NormalisedChars(dict[int, str]):
    """langdetect's normalisation of each code point, computed once: ``str.translate``
    then normalises a text at C speed instead of a Unicode-block search per character."""

    def __missing__(self, code: int) -> str:
        value = self[code] = NGram.normalize(chr(code))
        return value


_NORMALISED = _NormalisedChars()
_WORD_CACHE_MAX = 50_000  # distinct words kept per factory; Zipf's law makes most lookups hits
_EVIDENCE_CACHE_MAX = 5_000  # blocks (up to 1000 characters each) whose evidence is kept
_SPACE_RUN = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")  # langdetect's own test, 'A' <= ch <= 'z'
# langdetect means to spare Latin Extended Additional but compares a block number with a
# block name, so in effect it counts everything from U+0300 on.
_NON_LATIN = re.compile("[\u0300-\U0010ffff]")


class _Factory(DetectorFactory):
    """A factory whose detectors remember each word's n-grams (they depend only on the
    word and the loaded profiles), and which remembers each block's evidence: pages of
    one site repeat lines (taglines, labels) that the boilerplate rules keep."""

    def __init__(self) -> None:
        super().__init__()
        self.word_ngrams: dict[str, tuple[str, ...]] = {}
        self.evidence: dict[str, "_Evidence"] = {}
        self.factor_weight: float | None = None
        self.factors: dict[str, list[float]] = {}

    def _create_detector(self) -> Detector:
        return _Detector(self)


class _Detector(Detector):
    """langdetect's Detector running one trial, made faster without changing a single result
    (it overrides langdetect 1.0.9's internals: tests/test_language.py checks it against
    langdetect's own Detector).

    langdetect walks the text a character at a time in Python three times (append,
    cleaning, n-gram extraction), draws from its seeded generator at every step and
    updates its probabilities with an indexed loop; that was most of the language stage's
    time. Here the first two walks are regular expressions, n-grams come word by word from
    a cache (``NGram.add_char`` resets at every normalised space, so a word's n-grams
    depend on the word alone), the draws are made once per number of n-grams, and the
    update multiplies by each n-gram's factors computed once, the same arithmetic in the
    same order.
    """

    def __init__(self, factory: _Factory) -> None:
        # langdetect's own __init__, less its ``random.Random()``: seeding that from
        # os.urandom cost a tenth of a detection, and the generator is seeded afresh anyway.
        self.word_lang_prob_map = factory.word_lang_prob_map
        self.langlist = factory.langlist
        self.seed = factory.seed
        self.text = ""
        self.langprob = None
        self.alpha = self.ALPHA_DEFAULT
        self.n_trial = 1
        self.max_text_length = 10000
        self.prior_map = None
        self.verbose = False
        self._word_ngrams = factory.word_ngrams
        self._factory = factory

    def append(self, text: str) -> None:
        # The e-mail pattern backtracks over every run of letters: only run it when it can match.
        if "://" in text:
            text = self.URL_RE.sub(" ", text)
        if "@" in text:
            text = self.MAIL_RE.sub(" ", text)
        self.text += _SPACE_RUN.sub(" ", NGram.normalize_vi(text)[: self.max_text_length])

    def cleaning_text(self) -> None:
        # langdetect drops Latin letters only from mostly non-Latin text; counting first
        # leaves its own per-character pass to those rare texts.
        non_latin = len(_NON_LATIN.findall(self.text))
        if non_latin and 2 * len(_LATIN.findall(self.text)) < non_latin:
            super().cleaning_text()

    def _extract_ngrams(self) -> list[str]:
        words = self.text.translate(_NORMALISED).split(" ")
        cache = self._word_ngrams
        if len(cache) > _WORD_CACHE_MAX:
            cache.clear()
        ngrams: list[str] = []
        last = len(words) - 1
        for index, word in enumerate(words):
            if not word:  # a space after a space yields nothing
                continue
            key = word if index == last else word + " "
            found = cache.get(key)
            if found is None:
                found = cache[key] = _word_ngrams(key, self.word_lang_prob_map)
            ngrams.extend(found)
        return ngrams

    def _factors(self, weight: float) -> dict[str, list[float]]:
        """Each n-gram's ``weight + q`` per language, the factor a step multiplies the
        probabilities by, computed once: the seed is fixed, so the weight always is too."""
        if self._factory.factor_weight != weight:
            self._factory.factor_weight, self._factory.factors = weight, {}
        return self._factory.factors

    def _detect_block(self) -> None:
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        gauss, picks = _draws(self.seed, len(ngrams), self.ITERATION_LIMIT)
        weight = (self.alpha + gauss * self.ALPHA_WIDTH) / self.BASE_FREQ
        factors = self._factors(weight)
        table, converged, limit = self.word_lang_prob_map, self.CONV_THRESHOLD, self.ITERATION_LIMIT
        prob = _leading_nonzero(self._init_probability())
        for step, pick in enumerate(picks):
            gram = ngrams[pick]
            factor = factors.get(gram)
            if factor is None:
                factor = factors[gram] = [weight + q for q in table[gram]]
            prob = list(map(mul, prob, factor))
            if step % 5 == 0:  # langdetect's _normalize_prob, without its indexed loop
                total = sum(prob)
                prob = [p / total for p in prob]
                if max(prob) > converged or step >= limit:
                    break
        self.langprob = prob + [0.0] * (len(self.langlist) - len(prob))


@lru_cache(maxsize=1024)
def _draws(seed: int, count: int, limit: int) -> tuple[float, tuple[int, ...]]:
    """What langdetect's generator, seeded afresh for each detection, draws in a one-trial
    detection over ``count`` n-grams: the gaussian that perturbs alpha, then the indices of
    the n-grams it samples, as many as a trial stopping at ``limit`` steps can use."""
    generator = random.Random(seed)
    gauss = generator.gauss(0.0, 1.0)
    indices = range(count)
    # A trial looks at convergence every fifth step, so it may run four steps past the limit.
    return gauss, tuple(generator.choice(indices) for _ in range(limit + 5))


def _leading_nonzero(prob: list[float]) -> list[float]:
    """The probabilities up to the last non-zero one. Languages a prior map leaves out stay
    at exactly 0 whatever they are multiplied by, and adding 0.0 changes no sum; as the run's
    languages are loaded first, a restricted detection works on those alone, same results."""
    end = len(prob)
    while end and not prob[end - 1]:
        end -= 1
    return prob[:end]


def _word_ngrams(word: str, known: dict[str, list[float]]) -> tuple[str, ...]:
    """The 1- to 3-grams ``NGram.add_char`` yields over one normalised word (and its
    trailing space), in its order, skipping words in capitals as it does, kept when a
    profile has them. Its buffer after each character is the last three of " " + word."""
    padded = " " + word
    if word.islower():  # no capital to skip: every n-gram, in add_char's order
        grams = [padded[1], padded[:2]] + [
            gram for end in range(2, len(padded)) for gram in (padded[end], padded[end - 1 : end + 1], padded[end - 2 : end + 1])
        ]
        if word[-1] == " ":  # a space is no unigram: the trailing space's is the only one
            grams.remove(" ")
        return tuple(filter(known.__contains__, grams))
    capital, found = False, []
    for end in range(1, len(padded)):
        char = padded[end]
        capital = (capital or padded[end - 1].isupper()) if char.isupper() else False
        if capital:
            continue
        for gram in (char, padded[end - 1 : end + 1], padded[end - 2 : end + 1] if end > 1 else ""):
            if gram and gram != " " and gram in known:
                found.append(gram)
    return tuple(found)


def _fold(word: str) -> str:
    """The word without its accents ("también" -> "tambien")."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _common_word_languages() -> dict[str, frozenset[str]]:
    """Each common word as written, without its accents and without its accented letters ->
    its languages. Text is looked up as it is, never folded: "å" (Norwegian) is not "a"."""
    found: dict[str, set[str]] = {}
    for language, words in _COMMON_WORDS.items():
        for word in words.split():
            dropped = "".join(c for c in word if c.isascii())
            for form in {word, _fold(word), dropped} - {""}:
                found.setdefault(form, set()).add(language)
    return {word: frozenset(languages) for word, languages in found.items()}


_WORD_LANGUAGES = _common_word_languages()
# The same, as each word's share per language and as each language's words: the lookups below.
_WORD_SHARES = {word: tuple((language, 1.0 / len(languages)) for language in languages) for word, languages in _WORD_LANGUAGES.items()}
_LANGUAGE_WORDS = {language: frozenset(word for word, languages in _WORD_LANGUAGES.items() if language in languages) for language in _COMMON_WORDS}


def _word_scores(words: Sequence[str]) -> dict[str, float]:
    """Per language, the common words of ``words`` (lowercase), each shared among its languages."""
    scores: dict[str, float] = {}
    for word in words:
        shares = _WORD_SHARES.get(word)
        if shares:
            for language, share in shares:
                scores[language] = scores.get(language, 0.0) + share
    return scores


def _weighed(probs: dict[str, float], scores: dict[str, float]) -> dict[str, float]:
    """langdetect's probabilities (floored) times the word evidence, normalised."""
    weighed = {
        code: (prob + _DETECTOR_PROB_FLOOR) * math.exp(_WORD_EVIDENCE_WEIGHT * scores.get(code, 0.0))
        for code, prob in probs.items()
    }
    total = sum(weighed.values())
    return {code: value / total for code, value in weighed.items()}


@lru_cache(maxsize=8)
def _factory(languages: tuple[str, ...]) -> _Factory:
    """A seeded factory holding the run's profiles and the foils' (built once per process)."""
    available = set(os.listdir(PROFILES_DIRECTORY))
    unknown = [code for code in languages if code not in available]
    if unknown:
        raise ValueError(f"langdetect has no profile for {', '.join(unknown)}")
    loaded = _loaded(languages)
    profiles = []
    for code in loaded:
        with open(os.path.join(PROFILES_DIRECTORY, code), encoding="utf-8") as handle:
            profiles.append(handle.read())
    factory = _Factory()
    factory.load_json_profile(profiles)
    factory.set_seed(_SEED)
    return factory


def _letter_count(text: str) -> int:
    """Letters in the block's opening, enough to know how much its evidence weighs."""
    return len(_NOT_WORD.sub("", text[: 4 * _FULL_EVIDENCE_LETTERS]))


def _prepared(text: str) -> tuple[str, int]:
    """The text as langdetect should see it (capped, and lowercased when mostly capitals)
    and the number of letters in it."""
    text = text[:_MAX_CHARS]
    letters = _NOT_WORD.sub("", text)  # the letters of ``_words(text)``, in one pass
    if sum(map(str.isupper, letters)) > 0.5 * len(letters):
        text = text.lower()
    return text, len(letters)


def _probabilities(text: str, run: tuple[str, ...], restricted: bool = False) -> dict[str, float]:
    """langdetect's distribution over the run's languages and the foils, or over the run's
    alone when restricted (every one of them present, possibly at 0); nothing for text
    without usable n-grams."""
    detector = _factory(run).create()
    detector.ITERATION_LIMIT = _ITERATION_LIMIT
    detector.CONV_THRESHOLD = _CONVERGED
    if restricted:
        detector.set_prior_map({code: 1.0 for code in run})
    detector.append(text)
    try:
        found = {item.lang: item.prob for item in detector.get_probabilities()}
    except LangDetectException:
        return {}
    return {code: found.get(code, 0.0) for code in (run if restricted else _loaded(run))}


def _loaded(run: tuple[str, ...]) -> tuple[str, ...]:
    """The run's languages, then the foils it does not include."""
    return tuple(dict.fromkeys(run + _FOILS))


# lingua's detector for the default languages, built on import (0.1 s): the forkserver imports
# this module before it forks the workers, which then start with the models in memory
# instead of each loading them inside its first document's time limit.
lingua_detector.load(_loaded(DEFAULT_LANGUAGES))
vocabulary.load(_loaded(DEFAULT_LANGUAGES))


class _Evidence(NamedTuple):
    probs: dict[str, float]  # per run language, plus ``und`` when a foil won; empty: no evidence
    agreed: bool  # both detectors chose the best language
    complete: bool  # lingua was asked, or the text is long and langdetect or its words sure of it
    second_opinion: bool  # lingua was asked, or has nothing to add (no letters langdetect knows)
    vouched: bool = False  # lingua and the text's vocabulary (vocabulary.confidences) chose the best language


_NO_EVIDENCE = _Evidence({}, False, True, True)


def detect_block(text: str, languages: Sequence[str] = DEFAULT_LANGUAGES) -> dict[str, float]:
    """One block's own evidence: probability per run language plus ``und``.

    langdetect's probabilities over the run's languages and the foils, weighed by common
    words; unless the text is long and langdetect sure of it, lingua's are weighed in too.
    When a foil wins, the foils' mass goes to ``und``.
    """
    return dict(_evidence(text, tuple(languages), complete=True).probs)  # the caller's to change


def _evidence(text: str, run: tuple[str, ...], complete: bool, second_opinion: bool = False) -> _Evidence:
    """A block's evidence, cached per process (pages of one site repeat lines). Short text
    that langdetect is sure of gets lingua's opinion only when ``complete`` is asked for:
    most such lines agree with their context, and lingua costs four times langdetect; any
    text gets it when ``second_opinion`` is asked for (its context disputes it)."""
    opening = text[:_FUNCTION_WORD_MAX_CHARS]  # all that the evidence depends on
    cache = _factory(run).evidence
    found = cache.get(opening)
    if found is None or (complete and not found.complete) or (second_opinion and not found.second_opinion):
        if len(cache) > _EVIDENCE_CACHE_MAX:
            cache.clear()
        found = cache[opening] = _own_evidence(opening, run, complete, second_opinion)
    return found


def _own_evidence(text: str, run: tuple[str, ...], complete: bool, second_opinion: bool) -> _Evidence:
    """_evidence's answer, computed."""
    prepared, letters = _prepared(text)
    if letters < _MIN_LETTERS:
        return _NO_EVIDENCE
    opening_words = _words(prepared.lower())
    scores = _word_scores(opening_words)
    if letters < _INFERRED_BELOW_LETTERS and not complete:
        # A line this short takes its context's language unless both detectors say otherwise:
        # until they are asked, langdetect over the run's languages alone is cheaper.
        restricted = _probabilities(prepared, run, restricted=True)
        return _Evidence(_weighed(restricted, scores) if restricted else {UNDETERMINED: 1.0}, False, False, False)
    # Lowercasing twice changes nothing: a text within _MAX_CHARS has its opening's words.
    words = opening_words if len(text) <= _MAX_CHARS else _words(text.lower())
    if not second_opinion and (letters >= _FULL_EVIDENCE_LETTERS or not complete):
        # Most long blocks: their common words alone give the label langdetect would, and no
        # reason to ask lingua (shorter ones are given lingua only when ``complete``);
        # detecting them was most of the stage's time.
        decided = _decided_by_words(scores, _loaded(run))
        if decided is not None and not (decided[0] in run and _lacks_function_words(words, decided[0])):
            return _run_evidence(decided[1], decided[0], run, False, letters >= _FULL_EVIDENCE_LETTERS, False)
    detected = _probabilities(prepared, run)
    if not detected:  # no usable character n-grams (digits, other scripts)
        return _Evidence({UNDETERMINED: 1.0}, False, True, True)
    weighed = _weighed(detected, scores)
    best = max(weighed, key=weighed.__getitem__)
    lacking = best in run and _lacks_function_words(words, best)
    agreed = asked = vouched = False
    if second_opinion or (complete if letters < _FULL_EVIDENCE_LETTERS else lacking or weighed[best] < _SURE):
        loaded = _loaded(run)
        second = lingua_detector.confidences(prepared, loaded)
        combined = _combined(detected, second, scores, loaded)
        best_combined = max(combined, key=combined.__getitem__)
        vocab: dict[str, float] = {}
        if second and (_best(detected) != _best(second) or best_combined not in run):
            # The two detectors dispute the text, or a neighbouring language wins it: both read
            # character n-grams, which a short sentence or lost accents can mislead together
            # where its words do not ("Cada unidad se llama beat (pulso).": Catalan to both).
            whole_words = prepared if len(text) <= _MAX_CHARS else prepared.rsplit(None, 1)[0]
            vocab = vocabulary.confidences(whole_words, loaded)
            if vocab:
                combined = _with_vocabulary(combined, vocab)
                best_combined = max(combined, key=combined.__getitem__)
        agreed = best == best_combined and bool(second) and max(second, key=second.__getitem__) == best
        # lingua and the words, two kinds of evidence, choosing the same language: a short line
        # alone is labelled by them as by both detectors (README, "Language of short lines").
        vouched = bool(vocab) and best_combined == _best(second) == _best(vocab) and vocab[best_combined] > 0.5
        if best_combined != best:
            lacking = best_combined in run and _lacks_function_words(words, best_combined)
        weighed, best, complete, asked = combined, best_combined, True, True
    complete = complete or letters >= _FULL_EVIDENCE_LETTERS
    if lacking and not agreed:  # both detectors agreeing on it: a list of names, a citation
        return _Evidence({UNDETERMINED: 1.0}, False, complete, asked)
    return _run_evidence(weighed, best, run, agreed, complete, asked, vouched)


def _run_evidence(
    weighed: dict[str, float],
    best: str,
    run: tuple[str, ...],
    agreed: bool,
    complete: bool,
    second_opinion: bool,
    vouched: bool = False,
) -> _Evidence:
    """The evidence over the run's languages: normalised over them when one of them is
    ``best``, else with the foils' mass as ``und``."""
    if best in run:
        mass = sum(weighed[code] for code in run)
        return _Evidence({code: weighed[code] / mass for code in run}, agreed, complete, second_opinion, vouched)
    foreign = 1.0 - sum(weighed[code] for code in run)
    return _Evidence({UNDETERMINED: foreign} | {code: weighed[code] for code in run}, agreed, complete, second_opinion, vouched)


def _decided_by_words(scores: dict[str, float], loaded: tuple[str, ...]) -> tuple[str, dict[str, float]] | None:
    """The best language and the words' distribution (langdetect's taken as uniform), when
    the words alone decide: when no answer of langdetect's could make another language
    win the weighed vote or bring the winner below ``_SURE``.

    langdetect's floored probabilities favour one language over another at most
    (1 + floor) / floor; against the other n - 1 loaded languages together, at worst
    (1 + (n - 1) * floor) / floor. Word scores ahead by ``m`` weigh exp(weight * m)."""
    ranked = sorted(scores.values(), reverse=True) + [0.0, 0.0]
    floor = _DETECTOR_PROB_FLOOR
    needed = math.log((1.0 + floor * (len(loaded) - 1)) / floor * _SURE / (1.0 - _SURE)) / _WORD_EVIDENCE_WEIGHT
    if ranked[0] - ranked[1] < needed:
        return None
    weighed = _weighed(dict.fromkeys(loaded, 1.0 / len(loaded)), scores)
    return max(weighed, key=weighed.__getitem__), weighed


def _combined(
    detected: dict[str, float], second: dict[str, float], scores: dict[str, float], loaded: Sequence[str]
) -> dict[str, float]:
    """langdetect's and lingua's probabilities and the word evidence together, normalised."""
    combined = {
        code: math.sqrt(detected.get(code, 0.0) + _DETECTOR_PROB_FLOOR)
        * (second.get(code, 0.0) + _LINGUA_PROB_FLOOR)
        * math.exp(_WORD_EVIDENCE_WEIGHT * scores.get(code, 0.0))
        for code in loaded
    }
    total = sum(combined.values())
    return {code: value / total for code, value in combined.items()}


def _with_vocabulary(combined: dict[str, float], vocab: dict[str, float]) -> dict[str, float]:
    """The detectors' and common words' combined probabilities times the vocabulary's (floored), normalised."""
    weighed = {code: value * (vocab.get(code, 0.0) + _VOCABULARY_PROB_FLOOR) for code, value in combined.items()}
    total = sum(weighed.values())
    return {code: value / total for code, value in weighed.items()}


def _words_agree(text: str, evidence: dict[str, float]) -> bool:
    """True when ``text``'s common words point to the language its evidence favours, alone."""
    if not evidence:
        return False
    best = max(evidence, key=evidence.__getitem__)
    scores = _word_scores(_words(text.lower()))
    if best == UNDETERMINED or not scores:
        return False
    return max(scores, key=scores.__getitem__) == best and scores[best] >= _SHORT_TEXT_MIN_WORD_SCORE


def _lacks_function_words(words: list[str], language: str) -> bool:
    """True when a long text (its lowercase ``words``) has almost none of ``language``'s commonest words."""
    if language not in _COMMON_WORDS or len(words) < _FUNCTION_WORD_MIN_WORDS:
        return False
    known = _LANGUAGE_WORDS[language]
    common = len([word for word in words if word in known])
    return common < _FUNCTION_WORD_MIN_SHARE * len(words)


def _words(text: str) -> list[str]:
    """The words ``_WORD`` finds, in another order, at twice its speed: a whitespace-separated
    token of letters only is one word; only the rest needs the regular expression."""
    tokens = text.split()
    words = [token for token in tokens if token.isalpha()]
    words += _WORD.findall(" ".join([token for token in tokens if not token.isalpha()]))
    return words


def _weight(letters: int, own: _Evidence) -> float:
    """How much a block's own evidence counts: quadratic in its length, since langdetect's
    accuracy collapses on short text (names, labels) far faster than linearly; a block on
    whose language both detectors agree, or that lingua's opinion combined with langdetect's
    and the words makes sure of (``_CONFIDENT``), counts fully from fewer letters."""
    confident = own.second_opinion and bool(own.probs) and max(own.probs.values()) >= _CONFIDENT
    full = _AGREED_EVIDENCE_LETTERS if own.agreed or confident else _FULL_EVIDENCE_LETTERS
    return min(1.0, letters / full) ** 2


def _kept(text: str, letters: int, own: _Evidence) -> str | None:
    """The label a block keeps whatever its neighbours: where both detectors agree on a
    sentence (from ``_AGREED_EVIDENCE_LETTERS``), or on a shorter line whose common words
    agree too. Two detectors and a line's words seldom fail together; its neighbours'
    language is no evidence against them (a one-sentence quotation, "Non, rien du tout.")."""
    if own.agreed and (letters >= _AGREED_EVIDENCE_LETTERS or _words_agree(text, own.probs)):
        return _best(own.probs)
    return None


def _html_lang(doc: Document) -> str | None:
    value = doc.raw_metadata.get("html_lang")
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower().replace("_", "-").split("-")[0]


def _attachment(block: Block, letters: int) -> int:
    """+1: a heading, belongs with the text after it; -1: another short line (a name, a
    number), belongs with the text before it; 0: text that speaks for itself."""
    if block.kind is BlockKind.HEADING:
        return 1
    return -1 if letters < _INFERRED_BELOW_LETTERS else 0


def smooth(
    evidence: Sequence[dict[str, float]],
    weights: Sequence[float],
    attachment: Sequence[int],
    states: Sequence[str],
    favoured: str | None = None,
    kept: Sequence[str | None] | None = None,
) -> list[str]:
    """Viterbi path over the blocks: own evidence weighted by length, a penalty per switch;
    a block with a ``kept`` label has that one."""
    count = len(evidence)
    if count == 0:
        return []

    def emission(i: int, state: str) -> float:
        if kept is not None and kept[i] is not None:
            return 0.0 if state == kept[i] else -math.inf
        probs = evidence[i]
        score = 0.0
        if probs:
            score = weights[i] * math.log(max(probs.get(state, 0.0), _PROB_FLOOR))
        if state == favoured:
            score += _HTML_LANG_BONUS * (1.0 - weights[i])
        return score

    def switch_cost(i: int) -> float:
        """Cost of block i having another language than block i - 1."""
        cost = _SWITCH_PENALTY
        if attachment[i] > 0:
            cost -= _HEADING_ATTACH
        if attachment[i - 1] > 0:
            cost += _HEADING_ATTACH
        if attachment[i] < 0:
            cost += _SHORT_LINE_ATTACH
        if attachment[i - 1] < 0:
            cost -= _SHORT_LINE_ATTACH
        return cost

    order = {state: rank for rank, state in enumerate(states)}
    scores = {s: emission(0, s) for s in states}
    back: list[dict[str, str]] = []
    for i in range(1, count):
        # Each state's best predecessor is itself or, at the switch cost, the best state
        # overall (the first in ``states`` on a tie, as ``max`` over them would choose).
        leader = max(states, key=scores.__getitem__)
        switched = scores[leader] - switch_cost(i)
        new_scores: dict[str, float] = {}
        pointers: dict[str, str] = {}
        for state in states:
            stay = scores[state]
            if switched > stay or (switched == stay and order[leader] < order[state]):
                new_scores[state], pointers[state] = switched + emission(i, state), leader
            else:
                new_scores[state], pointers[state] = stay + emission(i, state), state
        scores = new_scores
        back.append(pointers)
    state = max(states, key=scores.__getitem__)
    path = [state]
    for pointers in reversed(back):
        state = pointers[state]
        path.append(state)
    path.reverse()
    return path


def tag_languages(doc: Document, languages: Sequence[str] = DEFAULT_LANGUAGES) -> Document:
    run = tuple(languages)
    letters = [_letter_count(block.text) for block in doc.blocks]
    attachment = [_attachment(block, size) for block, size in zip(doc.blocks, letters)]
    favoured = _html_lang(doc)
    favoured = favoured if favoured in run else None
    states = (UNDETERMINED,) + run
    # Without a block long enough to give the short ones a context, each needs both detectors.
    alone = all(size < _FULL_EVIDENCE_LETTERS for size in letters)
    found = [_evidence(block.text, run, complete=alone) for block in doc.blocks]
    if favoured is None and all(size < _INFERRED_BELOW_LETTERS for size in letters):
        # Only short lines (names, numbers, two-word titles) and nothing else to go by: their
        # own evidence labels them only where both detectors, lingua and the words'
        # frequencies, or their common words agree (README, "Language of short lines").
        found = [own if own.agreed or own.vouched or _words_agree(block.text, own.probs) else _NO_EVIDENCE for block, own in zip(doc.blocks, found)]
    kept = [_kept(block.text, size, own) for block, size, own in zip(doc.blocks, letters, found)]
    path = _smoothed(found, letters, attachment, states, favoured, kept)
    disputed = [i for i, own in enumerate(found) if _disputed(i, own, path, letters, run)]
    if disputed:
        # Blocks that langdetect or the words alone give another language than their
        # context's: lingua's opinion tells a quotation from their error.
        for i in disputed:
            found[i] = _evidence(doc.blocks[i].text, run, complete=True, second_opinion=True)
            kept[i] = _kept(doc.blocks[i].text, letters[i], found[i])
        path = _smoothed(found, letters, attachment, states, favoured, kept)
    decided: list[bool] = []
    for block, own, label, size, keeps in zip(doc.blocks, found, path, letters, kept):
        own_best = _best(own.probs)
        block.language = label
        block.language_inferred = keeps is None and (size < _INFERRED_BELOW_LETTERS or own_best != label)
        block.language_prob = own.probs.get(label, 0.0)
        decided.append(not block.language_inferred)
    _borrow_context_probs(doc.blocks, decided)
    doc.summarise_languages()
    return doc


def _smoothed(
    found: Sequence[_Evidence],
    letters: Sequence[int],
    attachment: Sequence[int],
    states: Sequence[str],
    favoured: str | None,
    kept: Sequence[str | None],
) -> list[str]:
    weights = [_weight(size, own) for size, own in zip(letters, found)]
    return smooth([own.probs for own in found], weights, attachment, states, favoured, kept)


def _disputed(i: int, own: _Evidence, path: Sequence[str], letters: Sequence[int], run: tuple[str, ...]) -> bool:
    """True when block ``i`` lacks lingua's opinion and its context disputes its own label:
    the path gives it another, or it is a short line that langdetect gives a neighbouring
    language (``und``) next to text in a run language. A longer ``und`` block that its
    context agrees with is left alone: lingua knows only the loaded languages, and its
    forced choice for a Hungarian page's paragraph is no evidence."""
    if own.second_opinion:
        return False
    best = _best(own.probs)
    if best != path[i]:
        return True
    return (
        best == UNDETERMINED
        and letters[i] < _FULL_EVIDENCE_LETTERS
        and any(path[j] in run for j in (i - 1, i + 1) if 0 <= j < len(path))
    )


def _best(probs: dict[str, float]) -> str | None:
    return max(probs, key=probs.__getitem__) if probs else None


def _borrow_context_probs(blocks: Sequence[Block], decided: Sequence[bool]) -> None:
    """An inferred block's confidence is that of the nearest block that decided its label
    (the following one on a tie, as headings belong to the text after them)."""
    nearest: list[tuple[int, float] | None] = [None] * len(blocks)  # (distance, probability)
    for order in (range(len(blocks)), range(len(blocks) - 1, -1, -1)):
        seen: dict[str | None, tuple[int, float | None]] = {}
        for i in order:
            block = blocks[i]
            if decided[i]:
                seen[block.language] = (i, block.language_prob)
            elif block.language in seen:
                j, prob = seen[block.language]
                current = nearest[i]
                if prob is not None and (current is None or abs(i - j) <= current[0]):
                    nearest[i] = (abs(i - j), prob)
    for block, found in zip(blocks, nearest):
        if found is not None:
            block.language_prob = found[1]
