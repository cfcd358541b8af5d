"""Decoding repairs on real bytes: pages mixing UTF-8 with windows-1252, and C1 controls that
stand for windows-1252 punctuation."""

from __future__ import annotations

import re

from parsers.encoding import decode, declared_html_charset
from conftest import DATA, RAW

UTF8_PAGE = DATA / "html" / "lacuarta.com-loretoaravena.html"  # a Chilean daily, UTF-8
CP1252_PAGE = RAW / "005_es_cafe_comercio_justo.html"  # the demo corpus' windows-1252 page
CP1252_TITLE = "¿Qué hay detrás de la etiqueta “comercio justo” en su paquete de café?"


def _cp1252_body() -> bytes:
    data = CP1252_PAGE.read_bytes()
    return data[data.index(b"<body>") + len(b"<body>") : data.index(b"</body>")]


def _decoded(data: bytes) -> tuple[str, str]:
    return decode(data, declared_html_charset(data))


def test_a_stray_windows_1252_quote_in_a_utf8_page_is_read_as_the_quote() -> None:
    data = UTF8_PAGE.read_bytes().replace(b"</body>", b"<p>Loreto\x92s</p></body>", 1)
    text, codec = _decoded(data)
    assert codec == "utf-8"
    assert "Loreto’s" in text and "Juan Carlos Muñoz" in text and "\ufffd" not in text


def test_utf8_and_windows_1252_segments_are_each_read_as_themselves() -> None:
    # The whole windows-1252 article pasted into the UTF-8 page: far more than a stray byte.
    data = UTF8_PAGE.read_bytes().replace(b"</body>", _cp1252_body() + b"</body>", 1)
    text, codec = _decoded(data)
    assert codec == "utf-8+cp1252"
    assert CP1252_TITLE in text and "Lucía Montañés" in text
    assert "Juan Carlos Muñoz" in text
    assert not re.search("Ã.|\ufffd", text)


def test_a_legacy_page_in_another_code_page_is_not_read_as_windows_1252() -> None:
    # Declared gb2312 (a Chinese page): detwingle would turn its bytes into Latin letters.
    data = CP1252_PAGE.read_bytes().replace(b"<head>", b'<head><meta charset="gb2312">', 1)
    data = data.replace(b"</body>", "<p>新华网</p>".encode("utf-8") * 10 + b"</body>", 1)
    assert _decoded(data)[1] != "utf-8+cp1252"


def test_c1_controls_become_the_windows_1252_punctuation_they_stand_for() -> None:
    # The windows-1252 page passed through a Latin-1 decoder and saved as UTF-8: its quotes
    # and dashes became C1 controls (U+0093, U+0094, U+0097).
    data = CP1252_PAGE.read_bytes().decode("latin-1").encode("utf-8")
    text, codec = _decoded(data)
    assert codec == "utf-8"
    assert CP1252_TITLE in text and "Por <b>Lucía Montañés</b> — 12/03/2013 —" in text
    assert not re.search("[\x80-\x9f]", text)


def test_text_files_get_the_same_repair() -> None:
    text, _ = decode("l\x92exploitation, c\x92est".encode("utf-8"))
    assert text == "l’exploitation, c’est"
