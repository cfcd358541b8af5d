import pytest

from docpipe.document import Block, BlockKind, Document, Metadata, Source
from docpipe.metadata import finalize_metadata
from parsers.normalise import isbn_is_valid, normalise_date


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("October 2004", "2004-10"),
        ("2004-10-01T09:30:00Z", "2004-10-01"),
        ("2010/03/05", "2010-03-05"),
        ("Dec. 1, 2023", "2023-12-01"),
        ("1 décembre 2023", "2023-12-01"),
        ("12 de marzo de 2019", "2019-03-12"),
        ("2001", "2001"),
        ("Date modified: 2019-02-14", "2019-02-14"),
        ("no date here", None),
        ("2004-13-45", None),
    ],
)
def test_dates_become_iso_at_the_precision_printed(printed, iso):
    assert normalise_date(printed) == iso


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("Find out more: 12 March 2020", "2020-03-12"),  # "out" is Portuguese October only by a day
        ("Set in Paris on 3 May 2019", "2019-05-03"),  # "set" is Portuguese September only by a day
        ("12 out. 2020", "2020-10-12"),
        ("publicado el 5 de mayo del 2021", "2021-05-05"),
        ("1er janvier 2020", "2020-01-01"),
        ("1. März 2020", "2020-03-01"),
        ("March 12th, 2020", "2020-03-12"),
        ("Tue Jan 28 15:28:56 CET 2020", "2020-01-28"),  # faz.net's date meta tag
        ("Mai 2019", "2019-05"),
        ("Set 2019 aside", "2019"),
    ],
)
def test_month_names_count_only_in_whole_date_expressions(printed, iso):
    assert normalise_date(printed) == iso


def test_isbn_checksums():
    assert isbn_is_valid("1-894992-13-X")
    assert isbn_is_valid("978-3-16-148410-0")
    assert not isbn_is_valid("1-894992-13-5")


def test_finalize_tidies_authors_and_falls_back_to_first_heading_for_title():
    doc = Document(
        source=Source("x.txt", "0" * 64, 10),
        blocks=[Block(BlockKind.HEADING, "A Title"), Block(BlockKind.PARAGRAPH, "Body.")],
        metadata=Metadata(authors=["By Jane Doe", "Jane Doe", " John  Smith "], isbn="1-894992-13-5", published_date="October 2004"),
    )
    meta = finalize_metadata(doc).metadata
    assert meta.authors == ["Jane Doe", "John Smith"]
    assert meta.title == "A Title"
    assert meta.published_date == "2004-10"
    assert meta.isbn is None and meta.extra["isbn_invalid"] == "1-894992-13-5"
