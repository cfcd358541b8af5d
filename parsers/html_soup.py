"""The BeautifulSoup tree of a page, built on lxml at the least cost bs4 allows.

Building the soup is most of an HTML page's cost, all of it Python work per element. Two
savings that leave bs4's tree as it is, one index, and, on request, less white space
(``parsed``'s ``trimmed``: text nodes of only white space that the reader strips anyway):

* a tree builder (bs4's lxml one) that hands each element straight to the soup, and closes
  the open element itself when that is the one that ends (the usual case): lxml's HTML
  parser knows no namespaces and gives attribute values as strings, so the namespace
  bookkeeping and the attribute dictionaries rebuilt twice per element (each value run
  through a conversion for the non-strings an XML builder may see) have nothing to do. A
  namespaced name, should one ever come, still takes bs4's own way;
* no cyclic garbage collection while the tree lives (``parsers/gc_pause.py``): every
  element links to its parent and neighbours, so each collection would walk the whole
  tree again. The tree is taken apart when the caller is done (``Tag.decompose``), so
  reference counting frees it at once and nothing is left for a later collection;
* the elements the metadata looks for across the whole page (<h1>, <time>) and the page's
  <head> and <body>, listed by the builder as it makes them (``elements``): a ``find`` over
  the whole tree costs bs4 several microseconds an element, for each question asked.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bs4 import BeautifulSoup, Tag, XMLParsedAsHTMLWarning
from bs4.builder import LXMLTreeBuilder
from bs4.element import AttributeDict

from parsers.gc_pause import cyclic_collection_paused


INDEXED = frozenset({"h1", "time", "head", "body"})
_SPACES = BeautifulSoup.ASCII_SPACES  # what bs4 itself takes for white space between elements


class _HtmlTreeBuilder(LXMLTreeBuilder):
    """bs4's lxml HTML builder without the namespace work HTML never needs, listing the
    elements of the ``INDEXED`` names in document order, and leaving out the text of only
    white space at the inner edges of the ``trimmed`` elements (see ``parsed``)."""

    def __init__(self, trimmed: frozenset[str] = frozenset(), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.elements: dict[str, list[Tag]] = {name: [] for name in INDEXED}
        self.trimmed = trimmed
        self.just_opened = False  # nothing but comments since the start tag of a trimmed element

    def _trim(self, closing: bool) -> None:
        """Leave out the pending text if it is only white space at an inner edge of a trimmed element."""
        soup = self.soup
        pending = soup.current_data
        if pending and (closing or self.just_opened) and not soup.preserve_whitespace_tag_stack and not "".join(pending).strip(_SPACES):
            pending.clear()

    def start(self, tag: str, attrib: dict[str, str], nsmap: dict[str, str] = {}) -> None:  # noqa: B006 (lxml's signature)
        self._trim(False)
        if nsmap or tag[0] == "{" or len(self.nsmaps) > 1:
            super().start(tag, attrib, nsmap)
            element = self.soup.currentTag
        else:
            element = self.soup.handle_starttag(tag, None, None, attrib)
        name = element.name
        self.just_opened = name in self.trimmed
        if name in INDEXED:
            self.elements[name].append(element)

    def end(self, tag: str) -> None:
        self._trim(tag in self.trimmed)
        self.just_opened = False
        if tag[0] == "{" or len(self.nsmaps) > 1:
            super().end(tag)
            return
        soup = self.soup
        soup.endData()
        if soup.currentTag.name == tag and soup.currentTag.prefix is None:
            soup.popTag()  # what handle_endtag comes to when the element closed is the one open
        else:
            soup.handle_endtag(tag, None)

    def data(self, data: str) -> None:
        self.soup.current_data.append(data)  # all handle_data does


def elements(soup: BeautifulSoup, name: str) -> list[Tag]:
    """Every element called ``name`` (one of ``INDEXED``) in a soup made by ``parsed``, in
    document order."""
    return soup.builder.elements[name]


def first(soup: BeautifulSoup, name: str) -> Tag | None:
    """``soup.find(name)`` for a name of ``INDEXED``, without walking the tree."""
    found = elements(soup, name)
    return found[0] if found else None


@contextmanager
def parsed(markup: str, trimmed: frozenset[str] = frozenset()) -> Iterator[BeautifulSoup]:
    """The soup of ``markup``, for the time of the block. Class values stay strings: the
    rules split them their own way, and faster. Nothing read from the soup may outlive the
    block but plain strings: it is decomposed on the way out.

    ``trimmed``: elements whose reader strips the white space at the start and end of their
    text (blocks: a paragraph's text is the same without its indentation). Text of only white
    space right after such an element's start tag or right before its end tag is not made
    into a node: in pretty-printed markup, most of the strings bs4 would build. Inside <pre>
    and <textarea> white space stays, as bs4 keeps it."""
    with cyclic_collection_paused():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # XHTML served as HTML reads fine
            builder = _HtmlTreeBuilder(trimmed, multi_valued_attributes=None, attribute_dict_class=AttributeDict)
            soup = BeautifulSoup(markup, builder=builder)
        try:
            yield soup
        finally:
            # Each child of the root in turn: the root's own decompose stops at itself (bs4
            # links its first child to it only one way).
            for child in list(soup.contents):
                child.decompose()
            soup.decompose()
