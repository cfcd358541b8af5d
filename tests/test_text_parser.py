from docpipe.document import BlockKind, Source
from parsers.text import parse_text


def _source(data: bytes) -> Source:
    return Source("doc.txt", "0" * 64, len(data))


def test_paragraphs_split_on_blank_lines_and_wrapped_lines_join():
    data = b"Title of the note\n\nFirst paragraph that\nwraps on two lines.\n\nSecond paragraph.\n"
    doc = parse_text(data, _source(data))
    assert [b.kind for b in doc.blocks] == [BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]
    assert doc.blocks[1].text == "First paragraph that wraps on two lines."
    assert doc.metadata.title == "Title of the note"


def test_latin1_without_declaration_and_control_characters():
    data = "Año de la señal.\x07 Fin\r\nOtra línea, con acentos: canción.".encode("cp1252")
    doc = parse_text(data, _source(data))
    assert doc.blocks[0].text == "Año de la señal. Fin"
    assert "canción" in doc.blocks[1].text


def test_utf16_with_bom():
    data = "Résumé du document.\n\nDeuxième paragraphe.".encode("utf-16")
    doc = parse_text(data, _source(data))
    assert doc.blocks[0].text == "Résumé du document."
    assert doc.source.encoding == "utf-16"


def test_undeclared_western_text_reads_as_windows_1252_whatever_latin_page_the_detector_guesses():
    # charset-normalizer takes this French line for cp1257 (Baltic), turning "Ç" into "Į".
    text = "Ça coûte très cher, répondit-elle à l'élève — déjà « ennuyé »."
    data = text.encode("cp1252")
    doc = parse_text(data, _source(data))
    assert doc.source.encoding == "cp1252"
    assert doc.blocks[0].text == text
