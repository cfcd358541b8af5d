"""parsers/html_soup.py: the cheaper tree builder builds bs4's own tree (less the white space
at the inner edges of the trimmed elements), its index lists what ``find`` finds, and the tree is
freed without the cyclic collector, which is back on afterwards."""

from __future__ import annotations

import gc
import warnings

import pytest
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from parsers.encoding import decode
from parsers.html import _BLOCK_TAGS
from parsers.html_soup import INDEXED, elements, parsed
from conftest import DATA, RAW

# XHTML pages (xmlns, xml:lang, an svg with its namespace) and plain HTML ones.
PAGES = [
    DATA / "html" / "salon.com.emissions.html",
    DATA / "html" / "achtundvierzig.hypotheses.org.822.html",
    DATA / "html" / "unocero.com.marcas.html",
    RAW / "002_focal_archive_peschard-sverdrup.html",
]


def _bs4(markup: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(markup, "lxml", multi_valued_attributes=None)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_the_tree_is_bs4s_own(path):
    markup = decode(path.read_bytes())[0]
    expected = _bs4(markup)
    with parsed(markup) as soup:
        assert soup.decode() == expected.decode()
        assert [t.attrs for t in soup.find_all(True)] == [t.attrs for t in expected.find_all(True)]
        for name in INDEXED:
            assert elements(soup, name) == soup.find_all(name)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_trimmed_tree_has_the_same_elements_and_words(path):
    markup = decode(path.read_bytes())[0]
    expected = [(t.name, t.attrs, t.get_text(" ").split()) for t in _bs4(markup).find_all(True)]
    with parsed(markup, trimmed=_BLOCK_TAGS) as soup:
        assert [(t.name, t.attrs, t.get_text(" ").split()) for t in soup.find_all(True)] == expected


def test_trimmed_only_at_the_inner_edges_of_blocks_and_never_in_pre():
    markup = "<body><div>\n  <p>\n <a>one</a> <b>two</b>\n</p>\n<p>three</p>\n</div><pre>\n  <b>x</b>  </pre></body>"
    with parsed(markup, trimmed=frozenset({"div", "p", "pre"})) as soup:
        first, second = soup.find_all("p")
        assert [str(c) for c in first.contents] == ["<a>one</a>", " ", "<b>two</b>"]
        # Between two blocks is not at an edge: if both went, the text around them would join.
        assert [str(c) for c in soup.div.contents] == [str(first), "\n", str(second)]
        assert [str(c) for c in soup.pre.contents] == ["\n  ", "<b>x</b>", "  "]


def test_collection_paused_inside_and_tree_taken_apart_after():
    assert gc.isenabled()
    markup = decode((DATA / "html" / "salon.com.emissions.html").read_bytes())[0]
    with parsed(markup) as soup:
        assert not gc.isenabled()
        elements = list(soup.descendants)
        assert len(elements) > 1000
    assert gc.isenabled()
    assert soup.decomposed and all(element.decomposed for element in elements)


def test_collection_stays_off_for_a_caller_that_paused_it():
    gc.disable()
    try:
        with parsed("<p>text</p>"):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
