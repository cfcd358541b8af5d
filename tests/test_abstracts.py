"""Abstract splitting: by heading in its many forms, or by language runs where there is none."""

from __future__ import annotations

from pathlib import Path

import pytest

from docpipe.abstracts import _has_letters, heading_key, split_abstracts
from docpipe.document import Block, BlockKind, Document, Source
from docpipe.language import tag_languages
from docpipe.pipeline import process_path
from parsers.text import parse_text

FOCAL = Path(__file__).parent / "data" / "seeds" / "001_4dd186db2e6ef377.txt"
FOCAL_PDF = Path(__file__).parents[1] / "raw" / "001_focal_fpp-04-8_canada_mexico.pdf"

# First and last sentence of each of the FOCAL paper's abstracts.
FOCAL_ABSTRACTS = {
    "en": (
        "EXECUTIVE SUMMARY",
        "This paper sets out to illustrate the nature of the Canada-Mexico bilateral relationship and to identify some of the potential areas for mutual cooperation.",
        "The challenge for these two countries as they try to redefine their foreign policy (and with it their role in the world) is to build on the achievements of this bilateral relationship and to use them as a basis for joint actions in other regional settings.",
    ),
    "es": (
        "RESUMEN",
        "Este trabajo busca elucidar la naturaleza de las relaciones entre Canadá y México e identificar algunas de las áreas en las que ambos países podrían colaborar.",
        "El reto de estos dos países al tratar de redefinir los lineamientos de política exterior (y con ello su papel en el mundo) es que sean capaces de construir sobre los logros anteriores de la relación las bases para futuras acciones comunes en otros espacios regionales.",
    ),
    "fr": (
        "RÉSUMÉ",
        "Ce document traite de la nature de la relation bilatérale entre le Canada et le Mexique et identifie certains secteurs pouvant donner lieu à une coopération mutuelle.",
        "Le défi pour ces deux pays qui tentent de redéfinir leur politique extérieure (et leur rôle dans le monde) est de tirer parti des réussites attribuables à cette relation bilatérale et de les utiliser comme base pour des actions communes dans d'autres parties de la région.",
    ),
}


def _text_doc(text: str) -> Document:
    data = text.encode("utf-8")
    return split_abstracts(tag_languages(parse_text(data, Source("test.txt", "", len(data)))))


def _doc(*blocks: tuple[BlockKind, str]) -> Document:
    doc = Document(source=Source("test", "", 0), blocks=[Block(kind, text) for kind, text in blocks])
    return split_abstracts(tag_languages(doc))


def _assert_focal_abstracts(doc: Document, headed: bool) -> None:
    assert sorted(doc.abstracts) == ["en", "es", "fr"]
    for lang, (heading, first, last) in FOCAL_ABSTRACTS.items():
        abstract = doc.abstracts[lang]
        assert abstract.language == lang
        assert abstract.heading == (heading if headed else None)
        assert abstract.text.startswith(first)
        assert abstract.text.endswith(last)
        assert "\n\n" not in abstract.text  # one paragraph each, nothing from a neighbour
        everything = "\n\n".join(b.text for b in doc.blocks)
        # The FOCAL paper's introduction repeats its English abstract: one copy must go.
        assert doc.text.count(first) == everything.count(first) - 1
        assert doc.text.count(last) == everything.count(last) - 1
    assert doc.language == "en"
    assert "Este trabajo" not in doc.text and "Ce document traite" not in doc.text
    assert not any(b.language == "es" and len(b.text) > 200 for b in doc.body_blocks())


def test_focal_paper_three_abstracts_split_exactly() -> None:
    doc = _text_doc(FOCAL.read_text(encoding="utf-8"))
    _assert_focal_abstracts(doc, headed=True)
    assert doc.text.count("In the last decade, the bilateral relationship") == 1
    headings = [b for b in doc.blocks if b.text in ("EXECUTIVE SUMMARY", "RESUMEN", "RÉSUMÉ")]
    assert [b.attrs["abstract"] for b in headings] == ["en", "es", "fr"]
    introduction = next(b for b in doc.blocks if b.text == "INTRODUCTION")
    assert "abstract" not in introduction.attrs


def test_focal_pdf_three_abstracts_split_exactly() -> None:
    doc = process_path(FOCAL_PDF)
    assert isinstance(doc, Document), doc
    _assert_focal_abstracts(doc, headed=True)
    assert {a.page for a in doc.abstracts.values()} == {1}


def test_abstracts_without_headings_split_by_language_runs() -> None:
    text = FOCAL.read_text(encoding="utf-8")
    paragraphs = [text.split(h, 1)[1].strip().split("\n\n", 1)[0] for h in ("EXECUTIVE SUMMARY", "RESUMEN", "RÉSUMÉ")]
    body = text.split("## INTRODUCTION", 1)[1].strip().split("\n\n")[:4]
    doc = _text_doc("\n\n".join(["# The Canada-Mexico Relationship", *paragraphs, *body]))
    _assert_focal_abstracts(doc, headed=False)
    assert doc.text.startswith("The Canada-Mexico Relationship\n\nIn the last decade")


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("**EXECUTIVE SUMMARY**", "EXECUTIVE SUMMARY"),
        ("1. Résumé", "RESUME"),
        ("Resumen ejecutivo:", "RESUMEN EJECUTIVO"),
        ("II. SYNTHÈSE", "SYNTHESE"),
        ("Sommaire", "SOMMAIRE"),
        ("abstract", "ABSTRACT"),
    ],
)
def test_heading_forms_are_normalised(printed: str, key: str) -> None:
    assert heading_key(printed) == key


def test_portuguese_resumo_is_not_a_spanish_abstract() -> None:
    doc = _doc(
        (BlockKind.HEADING, "RESUMO"),
        (BlockKind.PARAGRAPH, "Este trabalho procura esclarecer a natureza das relações entre o Canadá e o México e identificar algumas das áreas em que os dois países poderiam colaborar no futuro."),
        (BlockKind.HEADING, "INTRODUCTION"),
        (BlockKind.PARAGRAPH, "In the last decade, the bilateral relationship between Canada and Mexico has become more dynamic not just in economic but also in social and political terms."),
    )
    assert "es" not in doc.abstracts
    assert doc.abstracts["pt"].heading == "RESUMO"
    assert doc.abstracts["pt"].text.startswith("Este trabalho procura")


def test_run_in_heading_and_language_from_text_not_heading() -> None:
    doc = _doc(
        (BlockKind.HEADING, "Relations between Canada and Mexico"),
        (BlockKind.PARAGRAPH, "Abstract. Este trabajo busca elucidar la naturaleza de las relaciones entre Canadá y México e identificar áreas de cooperación."),
        (BlockKind.PARAGRAPH, "Résumé : Ce document traite de la nature de la relation bilatérale entre le Canada et le Mexique."),
        (BlockKind.HEADING, "Introduction"),
        (BlockKind.PARAGRAPH, "In the last decade, the bilateral relationship between Canada and Mexico has become more dynamic."),
    )
    assert sorted(doc.abstracts) == ["es", "fr"]
    assert doc.abstracts["es"].heading == "Abstract"
    assert doc.abstracts["es"].text.startswith("Este trabajo busca")
    assert doc.abstracts["fr"].heading == "Résumé"
    assert doc.abstracts["fr"].text.startswith("Ce document traite")
    assert doc.text.endswith("has become more dynamic.")


def test_abstract_ends_at_a_language_switch() -> None:
    doc = _doc(
        (BlockKind.HEADING, "Summary"),
        (BlockKind.PARAGRAPH, "This paper sets out to illustrate the nature of the Canada-Mexico bilateral relationship."),
        (BlockKind.PARAGRAPH, "Este trabajo busca elucidar la naturaleza de las relaciones entre Canadá y México."),
        (BlockKind.HEADING, "Introduction"),
        (BlockKind.PARAGRAPH, "In the last decade, the bilateral relationship between Canada and Mexico has become more dynamic."),
    )
    assert sorted(doc.abstracts) == ["en"]
    assert doc.abstracts["en"].text == "This paper sets out to illustrate the nature of the Canada-Mexico bilateral relationship."
    assert "Este trabajo busca" in doc.text


BODY_SENTENCE = "Bilateral dealings with the United States continue to be the preferred option of these countries. "


def test_a_summary_section_deep_in_the_body_is_not_an_abstract() -> None:
    body = [(BlockKind.PARAGRAPH, BODY_SENTENCE * 4) for _ in range(12)]
    doc = _doc(
        (BlockKind.HEADING, "Introduction"),
        *body,
        (BlockKind.HEADING, "Summary"),
        (BlockKind.PARAGRAPH, "In short, the relationship is broad but invisible to most people."),
    )
    assert doc.abstracts == {}
    assert doc.text.endswith("invisible to most people.")


def test_an_abstract_that_no_heading_closes_keeps_only_its_first_paragraph() -> None:
    doc = _doc(
        (BlockKind.HEADING, "ABSTRACT"),
        (BlockKind.PARAGRAPH, "This paper sets out to illustrate the nature of the Canada-Mexico bilateral relationship."),
        *[(BlockKind.PARAGRAPH, BODY_SENTENCE * 3) for _ in range(3)],
    )
    assert doc.abstracts["en"].text == "This paper sets out to illustrate the nature of the Canada-Mexico bilateral relationship."
    assert doc.text.count("Bilateral dealings") == 9


def test_a_page_with_a_quotation_has_no_abstracts() -> None:
    doc = _text_doc((Path(__file__).parent / "data" / "lang" / "fr_page_with_english_quote.txt").read_text(encoding="utf-8"))
    assert doc.abstracts == {}
    assert doc.language == "fr"


SPANISH_BODY = "Los índices larvarios han sido empleados durante más de sesenta años para medir la presencia del mosquito en las viviendas. "


def test_a_translated_abstract_at_the_back_is_found() -> None:
    # Journals such as Rev Panam Salud Publica print the English abstract after the references.
    doc = _doc(
        (BlockKind.HEADING, "RESUMEN"),
        (BlockKind.PARAGRAPH, "Este trabajo busca elucidar la naturaleza de las relaciones entre Canadá y México e identificar áreas de cooperación."),
        (BlockKind.HEADING, "Introducción"),
        *[(BlockKind.PARAGRAPH, SPANISH_BODY * 4) for _ in range(12)],
        (BlockKind.HEADING, "ABSTRACT"),
        (BlockKind.PARAGRAPH, "This paper sets out to illustrate the nature of the Canada-Mexico bilateral relationship and its areas of cooperation."),
    )
    assert sorted(doc.abstracts) == ["en", "es"]
    assert doc.abstracts["en"].heading == "ABSTRACT"
    assert doc.abstracts["en"].text.startswith("This paper sets out")
    assert "This paper sets out" not in doc.text
    assert doc.language == "es"


def test_a_closing_section_in_the_body_language_is_not_a_back_abstract() -> None:
    doc = _doc(
        (BlockKind.HEADING, "Introducción"),
        *[(BlockKind.PARAGRAPH, SPANISH_BODY * 4) for _ in range(12)],
        (BlockKind.HEADING, "Resumen"),
        (BlockKind.PARAGRAPH, "En resumen, los índices larvarios dependen más del clima que de las campañas de control en las viviendas."),
    )
    assert doc.abstracts == {}
    assert doc.text.endswith("en las viviendas.")


def test_a_structured_abstract_that_ends_the_document_keeps_all_its_parts() -> None:
    doc = _doc(
        (BlockKind.HEADING, "Introduction"),
        *[(BlockKind.PARAGRAPH, BODY_SENTENCE * 4) for _ in range(12)],
        (BlockKind.HEADING, "RESUMEN"),
        (BlockKind.PARAGRAPH, "Objetivos. Evaluar los métodos utilizados y los resultados obtenidos en dos encuestas realizadas en Jamaica."),
        (BlockKind.PARAGRAPH, "Métodos. Se utilizó una modificación de los métodos de encuesta exploratoria de la Organización Mundial de la Salud."),
        (BlockKind.PARAGRAPH, "Conclusiones. La reducción de la caries dental es atribuible en su mayor parte a la fluoruración de la sal."),
        (BlockKind.PARAGRAPH, "Factores metodológicos y biológicos que explican la reducción de la caries dental en escolares jamaiquinos"),
    )
    assert doc.abstracts["es"].text.startswith("Objetivos. Evaluar")
    assert doc.abstracts["es"].text.endswith("fluoruración de la sal.")
    assert doc.text.endswith("escolares jamaiquinos")


def _sized(kind: BlockKind, text: str, size: float) -> Block:
    return Block(kind, text, page=1, font_size=size)


def test_a_headless_abstract_is_the_paragraph_set_apart_before_the_first_section() -> None:
    abstract = "Objectives. Patient experiences of structured heart failure rehabilitation were examined. " * 4
    front = [
        _sized(BlockKind.HEADING, "Patient Experiences of Structured Heart Failure Programmes", 18),
        _sized(BlockKind.PARAGRAPH, "Division of Population Health Sciences, Royal College of Surgeons in Ireland", 9),
    ]
    body = [_sized(BlockKind.HEADING, "1. Introduction", 12), *[_sized(BlockKind.PARAGRAPH, BODY_SENTENCE * 4, 10) for _ in range(6)]]
    set_apart = split_abstracts(tag_languages(Document(Source("t", "", 0), blocks=[*front, _sized(BlockKind.PARAGRAPH, abstract, 9), *body])))
    assert set_apart.abstracts["en"].heading is None
    assert set_apart.abstracts["en"].text == abstract
    # The same paragraph in the body's size is the start of the body, not an abstract.
    same_size = split_abstracts(tag_languages(Document(Source("t", "", 0), blocks=[*front, _sized(BlockKind.PARAGRAPH, abstract, 10), *body])))
    assert same_size.abstracts == {}


@pytest.mark.parametrize(("text", "count", "expected"), [
    ("1. " * 40 + "a" * 25, 25, True),  # the letters come after the opening that is counted first
    ("1. " * 40 + "a" * 24, 25, False),
    ("Résumé en français ici, ok", 20, True),
    ("l'été", 5, False),
])
def test_letter_threshold_counts_past_the_opening(text: str, count: int, expected: bool) -> None:
    assert _has_letters(text, count) is expected
