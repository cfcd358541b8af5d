"""HTML published dates come from the article's own markup, never from a teaser's <time>."""

from __future__ import annotations

import re

from docpipe.document import Document, Source
from docpipe.metadata import finalize_metadata
from parsers.html import parse_html
from conftest import DATA

# A real page (see tests/data/README.md) with no date meta tag or JSON-LD: the article's
# <time itemprop="datePublished"> (2020-02-08), then three related posts, each with its <time>.
GAIJINPOT = DATA / "html" / "blog.gaijinpot.com.chikan.html"
ARTICLE_TIME = b'<time itemprop="datePublished" datetime="2020-02-08 11:00">Feb 8, 2020</time>'


def _published(data: bytes) -> str | None:
    doc: Document = finalize_metadata(parse_html(data, Source(str(GAIJINPOT), "", len(data))))
    return doc.metadata.published_date


def test_the_article_time_marked_as_published_is_the_date() -> None:
    assert _published(GAIJINPOT.read_bytes()) == "2020-02-08"


def test_an_unmarked_article_time_near_the_title_is_the_date() -> None:
    data = GAIJINPOT.read_bytes().replace(b' itemprop="datePublished"', b"", 1)
    assert _published(data) == "2020-02-08"


def test_a_related_posts_time_is_never_the_date() -> None:
    data = GAIJINPOT.read_bytes()
    assert ARTICLE_TIME in data
    data = data.replace(ARTICLE_TIME, b"", 1)
    teasers = {"2020-02-14", "2020-02-15", "2020-02-18"}
    assert {found.decode() for found in re.findall(rb'<time datetime="(2020-02-1[458])', data)} == teasers
    # (What is left is the date line of a tweet embedded in the article, read by date_from_lines.)
    assert _published(data) not in teasers
