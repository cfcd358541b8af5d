"""Per-block language identification: restricted, deterministic, case-normalised, smoothed."""

from __future__ import annotations

import itertools
import math
import random
from pathlib import Path

import pytest
from langdetect.detector import Detector
from langdetect.lang_detect_exception import LangDetectException

from docpipe import language, vocabulary
from docpipe.document import Block, BlockKind, Document, Source
from docpipe.language import UNDETERMINED, detect_block, tag_languages
from docpipe.pipeline import process_path
from parsers.text import parse_text

DATA = Path(__file__).parent / "data"
FOCAL = DATA / "seeds" / "001_4dd186db2e6ef377.txt"
FR_PAGE = DATA / "lang" / "fr_page_with_english_quote.txt"
FR_HTML = Path(__file__).parents[1] / "raw" / "004_fr_ieh_canada_amerique_latine.html"

PORTUGUESE = (
    "Este trabalho procura esclarecer a natureza das relações entre o Canadá e o México e "
    "identificar algumas das áreas em que os dois países poderiam colaborar no futuro."
)
SPANISH = "Este trabajo busca elucidar la naturaleza de las relaciones entre Canadá y México."


def _parsed(path: Path) -> Document:
    data = path.read_bytes()
    return parse_text(data, Source(str(path), "", len(data)))


def _doc(*blocks: tuple[BlockKind, str]) -> Document:
    return Document(source=Source("test", "", 0), blocks=[Block(kind, text) for kind, text in blocks])


def test_focal_blocks_get_their_languages_and_the_document_is_english() -> None:
    doc = tag_languages(_parsed(FOCAL))
    by_start = {b.text[:18]: b for b in doc.blocks}
    assert by_start["This paper sets ou"].language == "en"
    assert by_start["Este trabajo busca"].language == "es"
    assert by_start["Ce document traite"].language == "fr"
    assert by_start["RESUMEN"].language == "es" and by_start["RESUMEN"].language_inferred
    assert by_start["RÉSUMÉ"].language == "fr" and by_start["RÉSUMÉ"].language_inferred
    assert doc.language == "en"
    assert doc.languages["en"] > 0.9
    assert abs(sum(doc.languages.values()) - 1.0) < 0.01
    assert all(0.0 <= b.language_prob <= 1.0 for b in doc.blocks)


def test_french_page_keeps_the_english_quotation_english() -> None:
    doc = tag_languages(_parsed(FR_PAGE))
    quote = next(b for b in doc.blocks if b.text.startswith('"We cannot build'))
    assert quote.language == "en" and not quote.language_inferred
    assert doc.language == "fr"
    others = [b for b in doc.blocks if b is not quote]
    assert {b.language for b in others} == {"fr"}
    # The author line is too short to speak for itself: it takes its neighbours' language.
    byline = next(b for b in doc.blocks if b.text.startswith("Par Marie-Claude"))
    assert byline.language_inferred


def test_french_html_page_keeps_its_english_quotation_english() -> None:
    doc = process_path(FR_HTML)
    assert isinstance(doc, Document), doc
    quote = next(b for b in doc.blocks if b.text.startswith("Canada is a country of the Americas"))
    assert quote.language == "en" and not quote.language_inferred
    assert doc.language == "fr"
    assert {b.language for b in doc.blocks if b is not quote} == {"fr"}
    assert 0.9 < doc.languages["fr"] < 1.0


def test_portuguese_is_not_labelled_spanish() -> None:
    probs = detect_block(PORTUGUESE)
    assert max(probs, key=probs.__getitem__) == UNDETERMINED
    doc = tag_languages(_doc((BlockKind.PARAGRAPH, SPANISH + " " + SPANISH), (BlockKind.PARAGRAPH, PORTUGUESE)))
    assert [b.language for b in doc.blocks] == ["es", UNDETERMINED]


# Real web text (../shared/devset/langid, Wortschatz via lingua-py, Apache-2.0; see
# tests/data/README.md): a Spanish sentence that lost its accents (langdetect alone: Portuguese),
# a Spanish two-word title that lost one, and Portuguese and Catalan two-word titles.
ACCENTS_LOST_SPANISH = "Que no me digan que no quieren volver a abrir heridas cerradas, porque la heridas no estan cerradas."
SPANISH_WORD_PAIR = "conocimiento geogrfico"
NEIGHBOUR_WORD_PAIRS = ["noção envelhecimento", "presentació grups"]


def test_spanish_that_lost_its_accents_is_spanish() -> None:
    assert tag_languages(_doc((BlockKind.PARAGRAPH, ACCENTS_LOST_SPANISH))).blocks[0].language == "es"


def test_a_short_line_alone_is_labelled_only_where_both_detectors_agree() -> None:
    # README, "Language of short lines": langdetect and lingua both say Spanish.
    assert tag_languages(_doc((BlockKind.HEADING, SPANISH_WORD_PAIR))).blocks[0].language == "es"
    for pair in NEIGHBOUR_WORD_PAIRS:
        assert tag_languages(_doc((BlockKind.HEADING, pair))).blocks[0].language == UNDETERMINED, pair
    doc = tag_languages(_doc((BlockKind.HEADING, SPANISH_WORD_PAIR), (BlockKind.PARAGRAPH, ACCENTS_LOST_SPANISH)))
    assert [block.language for block in doc.blocks] == ["es", "es"]


def test_a_one_sentence_quotation_keeps_its_language_between_paragraphs_of_another() -> None:
    # The French line is a devset sentence (as above). langdetect alone is sure of it, but a
    # line that short weighs little against two Spanish paragraphs; lingua agreeing with it
    # makes it count fully.
    spanish = "El comité publicará su informe final sobre comercio y migración la próxima primavera."
    doc = tag_languages(
        _doc(
            (BlockKind.PARAGRAPH, spanish),
            (BlockKind.PARAGRAPH, "Ces appréciations doivent cependant être nuancées."),
            (BlockKind.PARAGRAPH, "Los precios subieron mucho después de que la tormenta dañara el único puente del pueblo."),
        )
    )
    assert [block.language for block in doc.blocks] == ["es", "fr", "es"]


SPANISH_PARAGRAPHS = (
    "El comité publicará su informe final sobre comercio y migración la próxima primavera.",
    "Los precios subieron mucho después de que la tormenta dañara el único puente del pueblo.",
)


@pytest.mark.parametrize(
    "sentence",
    [
        # Devset sentences (as above) that their Spanish context outvoted: a short one that
        # both detectors and its common words call French; a long one that langdetect alone
        # was sure of (lingua never asked, so its word-diluted evidence lost to two switches).
        "Non, rien du tout.",
        "Les neurones nociceptifs se projettent principalement vers 3 sites: la formation réticulée, "
        "le mésencéphale le thalamus latéral.",
    ],
)
def test_a_french_sentence_between_spanish_paragraphs_stays_french(sentence: str) -> None:
    doc = tag_languages(
        _doc((BlockKind.PARAGRAPH, SPANISH_PARAGRAPHS[0]), (BlockKind.PARAGRAPH, sentence), (BlockKind.PARAGRAPH, SPANISH_PARAGRAPHS[1]))
    )
    assert [block.language for block in doc.blocks] == ["es", "fr", "es"]
    assert not doc.blocks[1].language_inferred


def test_a_short_line_langdetect_calls_catalan_gets_linguas_opinion_next_to_english() -> None:
    # Devset sentence: langdetect and the common words ("va", "no", "a") say Catalan; lingua,
    # asked because the line is short and its context English, knows it is Spanish.
    line = "CONCYTEC no te va a apoyar, el estado peruano no te va a apoyar."
    english = "The committee will publish its final report on trade and migration next spring, as planned."
    doc = tag_languages(_doc((BlockKind.PARAGRAPH, english), (BlockKind.PARAGRAPH, line)))
    assert [block.language for block in doc.blocks] == ["en", "es"]


# Devset sentences (as above) whose letters langdetect and lingua both read as a neighbouring
# language (Catalan or Portuguese, German, Italian; the last lost its accented letters
# upstream: "ao", "decidi"), and whose words are plainly Spanish (docpipe.vocabulary).
@pytest.mark.parametrize(
    "sentence",
    [
        "Cada unidad se llama beat (pulso).",
        "Se trata del Samsung Galaxy Tab 3 8.0.",
        "Finalmente, posterior al ao 1890 se decidi construir un campanario de pared para la capilla de casa Rossell.",
    ],
)
def test_spanish_words_outweigh_detectors_that_read_a_neighbouring_language(sentence: str) -> None:
    assert tag_languages(_doc((BlockKind.PARAGRAPH, sentence))).blocks[0].language == "es"


def test_a_short_sentence_alone_is_labelled_where_lingua_and_its_words_agree() -> None:
    # README, "Language of short lines" (devset sentences, as above): langdetect reads
    # Portuguese and Dutch; lingua and the words' frequencies agree on Spanish and English.
    for sentence, expected in (("Por si estis interesados.", "es"), ("Do let us make haste!", "en")):
        assert tag_languages(_doc((BlockKind.PARAGRAPH, sentence))).blocks[0].language == expected, sentence


def test_catalan_words_keep_catalan_sentences_out_of_spanish() -> None:
    # Devset Catalan sentences (as above) that the detectors and common words gave Spanish.
    for sentence in ("El testador va morir el dia 13 de desembre de 1926.", "En cas contrari, ha de registrar-se clickant aquí."):
        assert tag_languages(_doc((BlockKind.PARAGRAPH, sentence))).blocks[0].language == UNDETERMINED, sentence


# The opening blocks of a Finnish page of the HTML devset (tests/data/README.md): their few
# short words that English and French lists know ("on", "maiden") are no evidence.
FINNISH_BLOCKS = (
    "Sanna Marin tapasi Angela Merkelin: Myös Saksa haluaa pitää kiinni maataloustuista - ”Meidän näkemyksiämme "
    "suurimpana nettomaksajana ei ole otettu riittävästi huomioon”",
    "EU-maiden on vaikea päästä nopeasti sopuun EU:n tulevasta rahoituskehyksestä. Saksan liittokansleri Angela "
    "Merkel on tyytymätön siihen, miten suurimman nettomaksajan vaatimuksiin on tähän mennessä suhtauduttu.",
)


def test_words_no_list_knows_are_no_vocabulary_evidence() -> None:
    loaded = language._loaded(language.DEFAULT_LANGUAGES)
    assert vocabulary.confidences(FINNISH_BLOCKS[1][: language._MAX_CHARS], loaded) == {}
    doc = tag_languages(_doc(*((BlockKind.PARAGRAPH, text) for text in FINNISH_BLOCKS)))
    assert [block.language for block in doc.blocks] == [UNDETERMINED, UNDETERMINED]


def test_vocabulary_reads_words_not_names_or_addresses() -> None:
    assert vocabulary.words("Jean-Pierre l'a lu via https://t3n.de/news (EU:n) ¿Qué?") == ["l", "a", "lu", "via"]
    # A word that lost its accented letters upstream ("estis" for "estéis", devset sentence
    # above) is found in that form too, and only in its language's list.
    loaded = language._loaded(language.DEFAULT_LANGUAGES)
    found = vocabulary.confidences("por si estis", loaded)
    assert max(found, key=found.__getitem__) == "es" and found["es"] > 0.99
    assert [code for code in loaded if vocabulary._frequencies(code).bucket("estis") < vocabulary._MISSING_BUCKET] == ["es"]


def test_long_text_whose_common_words_decide_skips_langdetect(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "The committee will publish its final report on the state of the trade and migration in the spring."
    loaded = language._loaded(language.DEFAULT_LANGUAGES)
    scores = language._word_scores(language._words(text[: language._MAX_CHARS].lower()))
    decided = language._decided_by_words(scores, loaded)
    assert decided is not None and decided[0] == "en"
    # No answer of langdetect's could have changed the label or asked lingua: the bound holds.
    for code in loaded:
        weighed = language._weighed({other: float(other == code) for other in loaded}, scores)
        assert max(weighed, key=weighed.__getitem__) == "en" and weighed["en"] >= language._SURE, code

    def no_langdetect(*args: object, **kwargs: object) -> dict[str, float]:
        raise AssertionError("langdetect asked")

    monkeypatch.setattr(language, "_probabilities", no_langdetect)
    language._factory(language.DEFAULT_LANGUAGES).evidence.clear()
    assert tag_languages(_doc((BlockKind.PARAGRAPH, text))).blocks[0].language == "en"
    # Too few common words to decide: langdetect is asked.
    assert language._decided_by_words(language._word_scores(["committee", "report", "the"]), loaded) is None


def test_common_words_are_matched_without_their_accents() -> None:
    # "más" typed without its accent and with its accented letter lost: Spanish first
    # ("mas" is also Portuguese, "ms" also Catalan "més"). Text is never folded: "é" as written
    # is Portuguese, and Norwegian "å" is not the "a" of five languages.
    scores = language._word_scores(["mas", "ms"])
    assert max(scores, key=scores.__getitem__) == "es"
    assert language._word_scores(["é"]) == {"pt": 1.0}
    assert language._word_scores(["å"]) == {}


def test_a_language_the_run_allows_gets_its_own_code() -> None:
    doc = tag_languages(_doc((BlockKind.PARAGRAPH, PORTUGUESE)), ("en", "pt"))
    assert doc.blocks[0].language == "pt"


@pytest.mark.parametrize(
    "text",
    [
        "Правительство объявило о новых мерах поддержки малого бизнеса в этом году.",
        "A kormány ma új intézkedéseket jelentett be a kisvállalkozások támogatására és fejlesztésére, "
        "amelyek a jövő évtől lépnek hatályba az egész országban.",
        "Die Regierung hat heute neue Maßnahmen zur Unterstützung kleiner Unternehmen angekündigt.",
    ],
)
def test_text_in_no_run_language_is_undetermined(text: str) -> None:
    doc = tag_languages(_doc((BlockKind.PARAGRAPH, text)))
    assert doc.blocks[0].language == UNDETERMINED


def test_all_caps_spanish_is_spanish() -> None:
    probs = detect_block(SPANISH.upper())
    assert max(probs, key=probs.__getitem__) == "es"
    doc = tag_languages(_doc((BlockKind.PARAGRAPH, "LOS PESCADORES INFORMARON DE CAPTURAS INUSUALMENTE GRANDES EN LA COSTA SUR.")))
    assert doc.blocks[0].language == "es"


def test_two_runs_give_identical_labels_even_with_a_fresh_factory() -> None:
    first = tag_languages(_parsed(FOCAL))
    language._factory.cache_clear()
    second = tag_languages(_parsed(FOCAL))
    assert [(b.language, b.language_prob) for b in first.blocks] == [(b.language, b.language_prob) for b in second.blocks]


def test_factory_is_built_once_per_language_set() -> None:
    language._factory.cache_clear()
    tag_languages(_doc((BlockKind.PARAGRAPH, SPANISH)))
    tag_languages(_doc((BlockKind.PARAGRAPH, SPANISH)))
    assert language._factory.cache_info().misses == 1


def test_a_heading_takes_the_language_of_the_text_after_it() -> None:
    doc = tag_languages(
        _doc(
            (BlockKind.PARAGRAPH, "The committee will publish its final report on trade and migration next spring."),
            (BlockKind.HEADING, "Conclusiones"),
            (BlockKind.PARAGRAPH, "El comité publicará su informe final sobre comercio y migración la próxima primavera."),
            (BlockKind.PARAGRAPH, "Los precios subieron mucho después de que la tormenta dañara el único puente del pueblo."),
        )
    )
    assert [b.language for b in doc.blocks] == ["en", "es", "es", "es"]
    assert doc.blocks[1].language_inferred


def test_short_lines_whose_own_guess_is_wrong_follow_their_context() -> None:
    # langdetect alone says "Introduction" and "Conclusiones" are English (measured).
    alone = language._probabilities("Conclusiones", language.DEFAULT_LANGUAGES, restricted=True)
    assert max(alone, key=alone.__getitem__) == "en"
    doc = tag_languages(
        _doc(
            (BlockKind.HEADING, "Introduction"),
            (BlockKind.PARAGRAPH, "Le comité publiera son rapport final sur le commerce et la migration au printemps prochain."),
            (BlockKind.PARAGRAPH, "Les prix ont fortement augmenté après que la tempête a endommagé le seul pont de la ville."),
            (BlockKind.HEADING, "Conclusiones"),
            (BlockKind.PARAGRAPH, "El comité publicará su informe final sobre comercio y migración la próxima primavera."),
            (BlockKind.PARAGRAPH, "Los precios subieron mucho después de que la tormenta dañara el único puente del pueblo."),
            (BlockKind.PARAGRAPH, "Table 2"),
        )
    )
    assert [b.language for b in doc.blocks] == ["fr", "fr", "fr", "es", "es", "es", "es"]
    assert [b.language_inferred for b in doc.blocks] == [True, False, False, True, False, False, True]


def test_short_lines_alone_follow_the_html_lang_prior() -> None:
    doc = _doc((BlockKind.HEADING, "Contact"), (BlockKind.PARAGRAPH, "2004"))
    doc.raw_metadata["html_lang"] = "fr-CA"
    tag_languages(doc)
    assert [b.language for b in doc.blocks] == ["fr", "fr"]
    assert all(b.language_inferred for b in doc.blocks)


@pytest.mark.parametrize("restricted", [False, True])
def test_fast_detector_matches_langdetect_exactly(restricted: bool) -> None:
    # The language stage's detector re-implements langdetect's internals for speed; every
    # probability must still be the one langdetect's own Detector computes.
    texts = [
        SPANISH,
        PORTUGUESE.upper(),
        "Le comité publiera son rapport final sur le commerce et la migration au printemps prochain.",
        "McDonald's  NASA-funded   iPhone study, see https://example.org/x?y=1 or write to a.b@example.org",
        "Прави́тельство объявило о новых мерах — and some English",
        "Việt Nam tiếng Việt ạ ế",
        "中文 日本語のテキスト ﾃｷｽﾄ 한국어",
        "A" * 40,
        "x\ty\nz  é  ç ñ 1234 ¡¿ «»",
    ]
    factory = language._factory(language.DEFAULT_LANGUAGES)
    for text in texts:
        results = []
        for detector in (factory.create(), Detector(factory)):
            detector.n_trial = 1
            detector.ITERATION_LIMIT, detector.CONV_THRESHOLD = 200, 0.999
            if restricted:
                detector.set_prior_map({code: 1.0 for code in language.DEFAULT_LANGUAGES})
            detector.append(text)
            try:
                detector.get_probabilities()
            except LangDetectException:
                results.append(("no features", detector.text))
            else:
                results.append((detector.langprob, detector.text))
        assert results[0] == results[1], text


@pytest.mark.parametrize("text", ["l'homme, co-op; 2004's x_y", "²½Ⅻ abc1def ⓐb", "a\u00a0b\u3000c\td\ne", "", "   "])
def test_fast_word_split_finds_the_same_words(text: str) -> None:
    assert sorted(language._words(text)) == sorted(language._WORD.findall(text))
    assert language._letter_count(text) == sum(map(len, language._WORD.findall(text)))


def test_cached_evidence_is_a_copy() -> None:
    detect_block(SPANISH).clear()  # a caller changing its answer (boilerplate.layout pops "und")
    probs = detect_block(SPANISH)
    assert max(probs, key=probs.__getitem__) == "es"


def test_unknown_language_code_is_refused() -> None:
    language._factory.cache_clear()
    with pytest.raises(ValueError, match="xx"):
        tag_languages(_doc((BlockKind.PARAGRAPH, SPANISH)), ("en", "xx"))


def test_smoothing_finds_the_best_scoring_path() -> None:
    # Against every path of a few blocks, scored as smooth() defines it: own evidence times
    # weight, the html-lang bonus, a cost per switch, kept labels fixed.
    states = (UNDETERMINED, "en", "es", "fr")
    rng = random.Random(18)

    def score(path: tuple[str, ...], evidence, weights, attachment, favoured, kept) -> float:
        total = 0.0
        for i, state in enumerate(path):
            if kept[i] is not None and state != kept[i]:
                return -math.inf
            if kept[i] is None:
                if evidence[i]:
                    total += weights[i] * math.log(max(evidence[i].get(state, 0.0), language._PROB_FLOOR))
                if state == favoured:
                    total += language._HTML_LANG_BONUS * (1.0 - weights[i])
            if i and state != path[i - 1]:
                total -= (
                    language._SWITCH_PENALTY
                    - language._HEADING_ATTACH * ((attachment[i] > 0) - (attachment[i - 1] > 0))
                    + language._SHORT_LINE_ATTACH * ((attachment[i] < 0) - (attachment[i - 1] < 0))
                )
        return total

    for _ in range(100):
        count = rng.randint(1, 5)
        evidence = [{s: rng.choice([0.0, 0.5, rng.random()]) for s in states} if rng.random() < 0.8 else {} for _ in range(count)]
        weights = [rng.choice([0.0, 1.0, rng.random()]) for _ in range(count)]
        attachment = [rng.choice([-1, 0, 1]) for _ in range(count)]
        kept = [rng.choice([None, None, None, "es"]) for _ in range(count)]
        favoured = rng.choice([None, "fr"])
        found = language.smooth(evidence, weights, attachment, states, favoured, kept)
        best = max(score(path, evidence, weights, attachment, favoured, kept) for path in itertools.product(states, repeat=count))
        assert math.isclose(score(tuple(found), evidence, weights, attachment, favoured, kept), best, abs_tol=1e-9)
