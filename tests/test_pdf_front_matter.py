"""Title, authors, DOI and abstracts of real papers from the PDF corpus that came out wrong before.

Files: tests/data/pdf/ (the openly licensed corpus PDFs, see tests/data/README.md); the
expected values are those of the corpus's ground truth (the publishers' own XML).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docpipe.document import Document
from docpipe.pipeline import process_path

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


def test_doi_in_the_first_page_banner(documents: dict[str, Document]) -> None:
    # Drawn inside a form XObject (pdfminer makes no text box of it); the erratum's text
    # cites the corrected article's DOI, which is not this document's.
    assert documents["en_actaamaz2019_256"].metadata.doi == "10.1590/1809-4392201801252e"


def test_doi_opening_the_last_page_citation_line(documents: dict[str, Document]) -> None:
    assert documents["en_jtmo2010_bmc"].metadata.doi == "10.1186/1752-2897-4-1"
