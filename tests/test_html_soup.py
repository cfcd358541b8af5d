"""parsers/html_soup.py: the cheaper tree builder builds bs4's own tree, and the tree is freed
without the cyclic collector, which is back on afterwards."""

from __future__ import annotations

import gc
import warnings

import pytest
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from parsers.encoding import decode
from parsers.html_soup import parsed
from conftest import DATA, RAW

# XHTML pages (xmlns, xml:lang, an svg with its namespace) and plain HTML ones.
PAGES = [
    DATA / "html" / "salon.com.emissions.html",
    DATA / "html" / "achtundvierzig.hypotheses.org.822.html",
    DATA / "html" / "unocero.com.marcas.html",
    RAW / "002_focal_archive_peschard-sverdrup.html",
]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_the_tree_is_bs4s_own(path):
    markup = decode(path.read_bytes())[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        expected = BeautifulSoup(markup, "lxml", multi_valued_attributes=None)
    with parsed(markup) as soup:
        assert soup.decode() == expected.decode()
        assert [t.attrs for t in soup.find_all(True)] == [t.attrs for t in expected.find_all(True)]


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
