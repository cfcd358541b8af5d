"""The demo corpus really holds the traps the cleaning tests are about.

If a raw page lost its Disqus widget or its seed paragraphs, the boilerplate tests over
raw/ would pass for the wrong reason; these checks keep the corpus honest.
"""

from __future__ import annotations

import re
import struct
import zlib

import pytest
from bs4 import BeautifulSoup
from pdfminer.high_level import extract_text
from pdfminer.psparser import PSException

from conftest import DATA, RAW
from docpipe.document import Source
from docpipe.language import detect_block
from parsers.encoding import declared_html_charset
from parsers.html import parse_html

SEEDS = DATA / "seeds"
BAD = DATA / "bad"
FOCAL_ARCHIVE = RAW / "002_focal_archive_peschard-sverdrup.html"
NEWS_HTML = RAW / "003_bloomberg_canada_venezuela.html"
NEWS_TEXT = RAW / "003_bloomberg_canada_venezuela.txt"
FRENCH_PAGE = RAW / "004_fr_ieh_canada_amerique_latine.html"
SPANISH_CP1252 = RAW / "005_es_cafe_comercio_justo.html"
SPANISH_TEXT = RAW / "006_es_informe_huertos_escolares.txt"


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _visible_text(path) -> str:
    """The page's text as the seeds were made: an image stands for its alt text."""
    soup = BeautifulSoup(path.read_bytes().decode("utf-8"), "lxml")
    for tag in soup(["script", "style"]):
        tag.decompose()
    for image in soup.find_all("img", alt=True):
        image.replace_with(image["alt"])
    return _collapse(soup.get_text())


def _top_language(text: str) -> str:
    probabilities = detect_block(text)
    return max(probabilities, key=probabilities.__getitem__)


def _seed_paragraphs(name: str) -> list[str]:
    lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
    return [_collapse(line) for line in lines if line.strip()]


@pytest.mark.parametrize(
    ("raw_name", "seed_name"),
    [
        ("000_gc_canada_and_the_americas.html", "000_ecc6816e54c21f60.txt"),
        ("002_focal_archive_peschard-sverdrup.html", "002_805b3cbf60e9f79a.txt"),
        ("003_bloomberg_canada_venezuela.html", "003_9a74572e5f4a81b1.txt"),
    ],
)
def test_every_seed_paragraph_is_in_the_raw_page(raw_name, seed_name):
    visible = _visible_text(RAW / raw_name)
    missing = [p for p in _seed_paragraphs(seed_name) if p not in visible]
    assert not missing


def test_every_seed_paragraph_is_a_paragraph_of_the_text_export():
    paragraphs = {_collapse(p) for p in NEWS_TEXT.read_text(encoding="utf-8").split("\n\n")}
    assert set(_seed_paragraphs("003_9a74572e5f4a81b1.txt")) <= paragraphs


def test_focal_archive_page_carries_its_widgets_and_banner():
    html = FOCAL_ARCHIVE.read_text(encoding="utf-8")
    for marker in (
        'id="disqus_thread"',
        "disqus.com/embed.js",
        "blog comments powered by",
        "addthis_toolbox",
        "addthis_widget.js",
        "Welcome to the FOCAL archive",
        "Photo: Office of the Prime Minister",
        "Comments Policy",
    ):
        assert marker in html, marker
    assert "Trade and investment" in _visible_text(FOCAL_ARCHIVE)


@pytest.mark.parametrize("path", [NEWS_HTML, NEWS_TEXT], ids=["html", "text"])
def test_news_article_carries_photo_credit_and_spam_bio(path):
    text = path.read_text(encoding="utf-8")
    assert "AP Photo/Ariana Cubillos" in text
    assert "Entrepreneur. Internet fanatic." in text
    assert "Dec. 1 (Bloomberg) —" in text


def test_news_page_dates_itself_in_meta_and_json_ld():
    html = NEWS_HTML.read_text(encoding="utf-8")
    assert 'property="article:published_time" content="2023-12-01' in html
    assert '"@type":"NewsArticle"' in html and '"datePublished":"2023-12-01' in html


def test_spanish_page_is_undeclared_cp1252_and_the_html_parser_reads_it():
    data = SPANISH_CP1252.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    strict = data.decode("cp1252")
    assert b"charset" not in data.lower() and declared_html_charset(data) is None
    assert not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
    assert all(char in strict for char in "“”—€…ñ¿¡ü")

    source = Source(str(SPANISH_CP1252), "0" * 64, len(data))
    page = parse_html(data, source)
    assert source.encoding == "cp1252"
    blocks = " ".join(block.text for block in page.blocks)
    assert "Cada mañana" in blocks
    assert "“comercio justo”" in blocks and "ń" not in blocks


def test_french_page_has_one_english_quote_in_a_french_body():
    soup = BeautifulSoup(FRENCH_PAGE.read_text(encoding="utf-8"), "lxml")
    assert soup.html["lang"] == "fr"
    (quote,) = soup.select(".article-body blockquote")
    assert _top_language(quote.get_text(" ", strip=True)) == "en"
    quote.decompose()
    body = soup.select_one(".article-body").get_text(" ", strip=True)
    assert _top_language(body) == "fr"
    page = _collapse(soup.get_text(" "))
    assert "Ce site utilise des cookies" in page
    assert "Partager" in page and "Articles similaires" in page


def test_spanish_text_file_is_utf8_with_a_title_line():
    text = SPANISH_TEXT.read_bytes().decode("utf-8")
    paragraphs = text.strip().split("\n\n")
    assert len(paragraphs) > 5 and "\n" not in paragraphs[0]
    assert len(paragraphs[0]) < max(map(len, paragraphs)) / 2
    assert _top_language(text) == "es"


def test_raw_readme_describes_every_raw_file():
    readme = (RAW / "README.md").read_text(encoding="utf-8")
    files = [path.name for path in RAW.iterdir() if path.is_file() and path.name != "README.md"]
    assert files and all(f"`{name}`" in readme for name in files)


def test_corrupt_pdf_has_a_header_but_no_readable_page():
    data = (BAD / "corrupt.pdf").read_bytes()
    assert data.startswith(b"%PDF-1.4\n") and b"/Type /Page" in data
    with pytest.raises(PSException):
        extract_text(BAD / "corrupt.pdf")


def test_empty_text_is_empty():
    assert (BAD / "empty.txt").stat().st_size == 0


def test_png_named_html_is_a_valid_png():
    data = (BAD / "png_named.html").read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    position, kinds = 8, []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) == crc
        kinds.append(kind)
        position += 12 + length
    assert kinds == [b"IHDR", b"IDAT", b"IEND"]
