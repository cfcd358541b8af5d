"""Title, authors, DOI and abstracts of real papers from the PDF corpus that came out wrong before.

The combined-heading tests build the blocks the TALN 2001-2004 title pages give (those PDFs
are not redistributable).

Files: tests/data/pdf/ (the openly licensed corpus PDFs, see tests/data/README.md); the
expected values are those of the corpus's ground truth (the publishers' own XML).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docpipe.abstracts import split_abstracts
from docpipe.boilerplate import clean
from docpipe.document import Block, BlockKind, Document, RejectedInput, Source, SourceType
from docpipe.language import tag_languages
from docpipe.pipeline import process_path
from hostile import assemble_pdf
from parsers.pdf import front_matter
from parsers.pdf import parse_pdf

DATA = Path(__file__).resolve().parent / "data" / "pdf"


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    parsed = {}
    for name in ("pt_csc2014_00737", "en_actaamaz2019_256", "en_jtmo2010_bmc", "pt_rba2003_v53n1a01"):
        doc = process_path(DATA / f"{name}.pdf")
        assert isinstance(doc, Document), doc
        parsed[name] = doc
    return parsed


def test_title_printed_on_the_page_beats_a_file_name_in_the_info_title(documents: dict[str, Document]) -> None:
    # The Info title is "10 carolina ok.pmd" (a PageMaker file name).
    meta = documents["pt_csc2014_00737"].metadata
    assert meta.title == (
        "Iniciação e consumo de substâncias psicoativas entre adolescentes e adultos jovens "
        "de Centro de Atenção Psicossocial Antidrogas/CAPS-AD"
    )


def test_every_author_without_markers(documents: dict[str, Document]) -> None:
    # Six names under the title with superscript affiliation markers; a letter-spaced
    # "ARTIGO" banner beside them is no author.
    assert documents["pt_csc2014_00737"].metadata.authors == [
        "Carolina Carvalho Silva", "Maria Conceição Oliveira Costa", "Rosely Cabral de Carvalho",
        "Magali Teresópolis Reis Amaral", "Nilma Lázara de Almeida Cruz", "Mariana Rocha da Silva",
    ]


def test_the_journal_line_at_the_foot_of_every_page_is_a_running_footer(documents: dict[str, Document]) -> None:
    doc = documents["pt_rba2003_v53n1a01"]
    footers = [r.text for r in doc.removed if r.rule == "running-footer"]
    assert "Revista Brasileira de Anestesiologia Vol. 53, Nº 1, Janeiro - Fevereiro, 2003" in footers
    assert not any("Revista Brasileira de Anestesiologia" in b.text for b in doc.blocks)


def test_doi_in_the_first_page_banner(documents: dict[str, Document]) -> None:
    # Drawn inside a form XObject (pdfminer makes no text box of it); the erratum's text
    # cites the corrected article's DOI, which is not this document's.
    assert documents["en_actaamaz2019_256"].metadata.doi == "10.1590/1809-4392201801252e"


def test_doi_opening_the_last_page_citation_line(documents: dict[str, Document]) -> None:
    assert documents["en_jtmo2010_bmc"].metadata.doi == "10.1186/1752-2897-4-1"


def _split(*blocks: tuple[BlockKind, str]) -> Document:
    doc = Document(source=Source("test", "", 0), blocks=[Block(kind, text, page=1) for kind, text in blocks])
    return split_abstracts(tag_languages(doc))


def test_a_combined_heading_heads_one_abstract_per_language_in_its_order() -> None:
    # TALN 2001-2004: "1 Résumé – Abstract", then the French paragraph, then the English one
    # with no heading of its own, then the keywords (French) and the first section.
    doc = _split(
        (BlockKind.HEADING, "1 Résumé – Abstract *"),
        (BlockKind.PARAGRAPH, "Le cadre de cette étude concerne les systèmes de dialogue via le téléphone entre un serveur de données et un utilisateur."),
        (BlockKind.PARAGRAPH, "Within the framework of Human-Computer dialogue in spontaneous speech, we propose a method which automatically builds a language model."),
        (BlockKind.PARAGRAPH, "Reconnaissance automatique de la parole ; modèles de langage statistiques ; serveurs de dialogue."),
        (BlockKind.HEADING, "2 Introduction"),
        (BlockKind.PARAGRAPH, "Les modèles de langage utilisés habituellement dans les systèmes de reconnaissance de la parole sont probabilistes."),
    )
    assert sorted(doc.abstracts) == ["en", "fr"]
    assert doc.abstracts["fr"].text.startswith("Le cadre de cette étude")
    assert doc.abstracts["en"].text.startswith("Within the framework") and doc.abstracts["en"].text.endswith("language model.")
    assert doc.abstracts["en"].heading == "1 Résumé – Abstract"


def test_a_combined_heading_needs_the_second_language_to_follow() -> None:
    doc = _split(
        (BlockKind.HEADING, "Résumé – Abstract"),
        (BlockKind.PARAGRAPH, "Le cadre de cette étude concerne les systèmes de dialogue via le téléphone entre un serveur de données et un utilisateur."),
        (BlockKind.HEADING, "Introduction"),
        (BlockKind.PARAGRAPH, "Within the framework of Human-Computer dialogue in spontaneous speech, we propose a method which automatically builds a language model."),
    )
    assert sorted(doc.abstracts) == ["fr"]


def _stamped_page_pdf(form_box: bytes) -> bytes:
    """One page whose text is all inside a form XObject of the given /BBox (as pdfpages draws a page)."""
    text = (
        b"BT /F1 16 Tf 72 700 Td (A title drawn inside a form) Tj ET "
        b"BT /F1 10 Tf 72 660 Td (Every line of this page was drawn by the form, as proceedings do with each paper.) Tj ET"
    )
    content = b"q /Fm1 Do Q"
    return assemble_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Fm1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Form /BBox " + form_box + b" /Resources << /Font << /F1 6 0 R >> >> /Length %d >>\nstream\n" % len(text)
        + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def test_the_text_of_a_page_drawn_as_one_form_is_the_page_text() -> None:
    # The TALN/RECITAL 2012 proceedings draw each paper's pages this way: before, only the
    # page numbers the proceedings added were read.
    data = _stamped_page_pdf(b"[0 0 612 792]")
    doc = parse_pdf(data, Source("stamped.pdf", "", len(data), SourceType.PDF))
    assert "A title drawn inside a form" in doc.text
    assert "Every line of this page was drawn by the form" in doc.text


def test_the_text_of_a_small_form_stays_out_of_the_page_text() -> None:
    # A logo, chart or banner drawn as a form: pdfminer's text boxes leave it out, so do we.
    data = _stamped_page_pdf(b"[72 640 468 80]")  # pdfminer reads a form's /BBox as x, y, width, height
    with pytest.raises(RejectedInput, match="no_text_layer|without a text layer"):
        parse_pdf(data, Source("banner.pdf", "", len(data), SourceType.PDF))


def test_keywords_end_an_abstract_and_a_combined_heading_reads_past_them() -> None:
    doc = _split(
        (BlockKind.HEADING, "Résumé - Abstract"),
        (BlockKind.PARAGRAPH, "Le cadre de cette étude concerne les systèmes de dialogue via le téléphone entre un serveur de données et un utilisateur."),
        (BlockKind.PARAGRAPH, "Mots-clés : dialogue, modèles de langage, reconnaissance de la parole."),
        (BlockKind.PARAGRAPH, "Within the framework of Human-Computer dialogue in spontaneous speech, we propose a method which automatically builds a language model."),
        (BlockKind.PARAGRAPH, "Keywords: dialogue, language models, speech recognition."),
        (BlockKind.HEADING, "1 Introduction"),
        (BlockKind.PARAGRAPH, "Les modèles de langage utilisés habituellement dans les systèmes de reconnaissance de la parole sont probabilistes."),
    )
    assert doc.abstracts["fr"].text.endswith("entre un serveur de données et un utilisateur.")
    assert doc.abstracts["en"].text.endswith("automatically builds a language model.")


def _page_pdf(lines: list[tuple[float, float, float, str]]) -> bytes:
    """A one-page Helvetica PDF with each (x, y, size, text) drawn as one line."""
    content = b" ".join(b"BT /F1 %g Tf %g %g Td (%s) Tj ET" % (size, x, y, text.encode("latin-1")) for x, y, size, text in lines)
    return assemble_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ])


def test_a_heading_under_a_centred_author_line_is_read_after_it() -> None:
    # The TALN 2006 title page: the left-aligned "Résumé" sits below the centred author and
    # affiliation lines, right above the full-width abstract; read as a column of its own it
    # came before the author, and the abstract lost its heading.
    abstract = "Dans cet article, nous considerons un formalisme linguistique pour lequel la semantique est explicite."
    data = _page_pdf([
        (71, 720, 20, "Une dimension semantique dans les grammaires d'arbres adjoints"),
        (250, 640, 16, "Claire Gardent"),
        (243, 605, 12, "CNRS/LORIA claire.gardent@loria.fr"),
        (71, 583, 14, "R\xe9sum\xe9"),
        (71, 555, 10, abstract),
        (71, 543, 10, abstract),
        (71, 531, 10, abstract),
    ])
    doc = parse_pdf(data, Source("order.pdf", "", len(data), SourceType.PDF))
    texts = [b.text for b in doc.blocks]
    assert texts.index("Claire Gardent") < texts.index("Résumé") == texts.index(next(t for t in texts if t.startswith("Dans cet article"))) - 1


def test_the_names_under_the_title_win_over_a_partial_info_author(documents: dict[str, Document]) -> None:
    # The Info Author holds only the first author; the page prints five, initials unpunctuated.
    doc = documents["en_jtmo2010_bmc"]
    assert doc.raw_metadata["Author"] == "Indraneel Datta"
    assert doc.metadata.authors == ["Indraneel Datta", "Chad G Ball", "Lucas Rudmik", "S Morad Hameed", "John B Kortbeek"]


def test_authors_from_title_page_blocks_as_printed() -> None:
    # Lines as pdfminer reads them from corpus papers that are not redistributable: a
    # sidebar of bold names around the title and its translation (RSP 2011), a name cut at
    # the line end, glued initials and an affiliation between two authors (TALN 2010), an
    # institution set like a name (TALN 2008).
    sidebar = (10.0, True)
    before = [(sidebar, [("Carla Lima de Souza",)])]
    after = [
        (sidebar, [("Fernando Martins CarvalhoII",)]),
        (sidebar, [("Eduardo José Farias Borges dos",), ("Reis",)]),
        ((18.0, True), [("Factors associated with vocal fold pathologies in teachers",)]),
        (sidebar, [("Lauro Antonio Porto",)]),
        ((7.0, False), [("I Departamento de Saúde. Universidade Estadual de Feira de Santana",)]),
    ]
    assert front_matter.authors_from(before, after) == [
        "Carla Lima de Souza", "Fernando Martins Carvalho", "Eduardo José Farias Borges dos Reis", "Lauro Antonio Porto",
    ]
    names = (14.3, False)
    after = [
        (names, [("A.Ben Hassena",)]),
        (names, [("ENSSAT / IRISA, Lannion, France",), ("{benhasse, miclet}@enssat.fr",)]),
        (names, [("L.Miclet",)]),
    ]
    assert front_matter.authors_from([], after) == ["A. Ben Hassena", "L. Miclet"]
    after = [(names, [("Caroline Lavecchia", "Kamel Smaïli", "David Langlois")]), (names, [("IUFM de Lorraine",)])]
    assert front_matter.authors_from([], after) == ["Caroline Lavecchia", "Kamel Smaïli", "David Langlois"]


def test_the_year_of_the_first_page_running_head_beats_a_received_date(documents: dict[str, Document]) -> None:
    # Page 1's head: "Journal of Trauma Management & Outcomes 2010, 4:1"; page 2 prints
    # "Received: 2 June 2009 Accepted: 6 January 2010 ...", which gave 2009.
    assert documents["en_jtmo2010_bmc"].metadata.published_date == "2010"


def test_a_title_page_one_prints_beats_an_info_title_it_does_not() -> None:
    # TALN 2005: the Info title is the submitted one ("... Structures Fines du Discours"),
    # the page prints the final one; a WHO digest's Info title is the journal's name.
    content = (
        b"BT /F1 18 Tf 72 720 Td (Detection Automatique de Structures Fines de Texte) Tj ET "
        b"BT /F1 10 Tf 72 680 Td (Nous presentons une methode de detection des structures fines du texte.) Tj ET "
        b"BT /F1 10 Tf 72 640 Td (Elle repose sur les marques de cohesion lexicale entre les phrases.) Tj ET"
    )
    data = assemble_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (Detection Automatique de Structures Fines du Discours) >>",
    ]).replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Info 6 0 R >>")
    doc = parse_pdf(data, Source("info.pdf", "", len(data), SourceType.PDF))
    assert doc.raw_metadata["Title"] == "Detection Automatique de Structures Fines du Discours"
    assert doc.metadata.title == "Detection Automatique de Structures Fines de Texte"


def test_three_abstracts_one_on_the_last_page_letter_spacing_closed(documents: dict[str, Document]) -> None:
    doc = documents["pt_rba2003_v53n1a01"]
    assert sorted(doc.abstracts) == ["en", "es", "pt"]  # the RESUMO is Portuguese, never Spanish
    summary = doc.abstracts["en"]
    assert summary.heading == "SUMMARY" and summary.page == 1
    # Printed letter-spaced on a justified line: "s t u d y  a i m e d  a t ...".
    assert "This study aimed at evaluating the effects of" in summary.text
    assert summary.text.endswith("There has been correspondence with BIS, but not with SEF1 and SEF2.")
    # The Spanish RESUMEN follows the references on the last page; no heading closes it, and
    # its structured parts ("Método -", "Resultados -", "Conclusiones -") all belong to it.
    resumen = doc.abstracts["es"]
    assert resumen.heading == "RESUMEN" and resumen.page == 8
    assert "Método - Participaron del estudio 30 pacientes" in resumen.text
    assert "Conclusiones - El N2O a 30% y a 50%" in resumen.text


LOREM = (
    "Lorem ipsum dolor sit amet, consectetuer adipiscing elit. Ut purus elit, vestibulum ut, placerat ac, "
    "adipiscing vitae, felis. Curabitur dictum gravida mauris. Nam arcu libero, nonummy eget, consectetuer id, "
    "vulputate a, magna. Donec vehicula augue eu neque. Pellentesque habitant morbi tristique senectus et netus "
    "et malesuada fames ac turpis egestas. Mauris ut leo. Cras viverra metus rhoncus sem. Nulla et lectus "
    "vestibulum urna fringilla ultrices. Phasellus eu tellus sit amet tortor gravida placerat."
)


def test_an_abstract_left_untranslated_under_two_headings_is_kept_and_split() -> None:
    # A thesis template (AMU): "Résumé et mots clés" and "Abstract and keywords" head the
    # same placeholder paragraph (Latin), each followed by its keywords line.
    blocks = [
        Block(BlockKind.HEADING, "Résumé et mots clés", page=4),
        Block(BlockKind.PARAGRAPH, LOREM, page=4),
        Block(BlockKind.PARAGRAPH, "Mots clés: géométrie algorithmique, complexe planaire et rectangulaire", page=4),
        Block(BlockKind.HEADING, "Abstract and keywords", page=5),
        Block(BlockKind.PARAGRAPH, LOREM, page=5),
        Block(BlockKind.PARAGRAPH, "Keywords: computational geometry, planar and rectangular complex", page=5),
        Block(BlockKind.PARAGRAPH, "Sidebar: Ecole doctorale 184", page=4),
        Block(BlockKind.PARAGRAPH, "Sidebar: Ecole doctorale 184", page=5),
    ]
    doc = Document(source=Source("thesis.pdf", "", 0, SourceType.PDF), blocks=blocks)
    doc = split_abstracts(tag_languages(clean(doc)))
    assert [r.rule for r in doc.removed] == ["repeated-block", "repeated-block"]  # the short one only
    assert doc.abstracts["fr"].text == LOREM and doc.abstracts["fr"].heading == "Résumé et mots clés"
    assert doc.abstracts["en"].text == LOREM and doc.abstracts["en"].heading == "Abstract and keywords"


def test_a_sidebar_line_in_another_language_neither_ends_nor_joins_an_abstract() -> None:
    # RSP 2011: a Portuguese affiliation (7 pt) sits between the parts of the English
    # ABSTRACT (9.5 pt) in reading order; the abstract ended there and lost its last parts.
    def sized(kind: BlockKind, text: str, size: float) -> Block:
        return Block(kind, text, page=1, font_size=size)

    doc = Document(source=Source("t", "", 0), blocks=[
        sized(BlockKind.HEADING, "ABSTRACT", 11.0),
        sized(BlockKind.PARAGRAPH, "OBJECTIVE: To estimate the validity of three single questions used to assess self-reported hearing loss.", 9.5),
        sized(BlockKind.PARAGRAPH, "I Departamento de Fonoaudiologia. Instituto de Ciências da Saúde. Universidade Federal da Bahia.", 7.0),
        sized(BlockKind.PARAGRAPH, "RESULTS: The three questions showed similar accuracy when compared with pure-tone audiometry in adults.", 9.5),
        sized(BlockKind.HEADING, "INTRODUCTION", 11.0),
        sized(BlockKind.PARAGRAPH, "Hearing loss is a frequent condition among adults and its assessment in population studies is costly.", 9.5),
    ])
    doc = split_abstracts(tag_languages(doc))
    assert doc.abstracts["en"].text.endswith("compared with pure-tone audiometry in adults.")
    assert "Departamento" not in doc.abstracts["en"].text


def test_a_run_in_abstract_heading_without_punctuation() -> None:
    # TALN 2010: "Résumé Cet article ..." (the heading word set apart by space only).
    doc = _split(
        (BlockKind.PARAGRAPH, "Résumé Cet article s'inscrit dans le domaine de la recherche d'information multilingue et propose une méthode."),
        (BlockKind.HEADING, "Abstract"),
        (BlockKind.PARAGRAPH, "This work investigates query translation using only Wikipedia-based resources in a two steps approach."),
        (BlockKind.HEADING, "Introduction"),
    )
    assert doc.abstracts["fr"].text.startswith("Cet article s'inscrit") and doc.abstracts["fr"].heading == "Résumé"
    assert doc.abstracts["en"].text.startswith("This work investigates")
