"""Property tests for every function that reads arbitrary strings: dates, authors, titles,
identifiers, language, text repair and decoding. Each takes any text without raising and keeps
its promise about what it returns; the printed forms the fuzz found are pinned beside them."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docpipe.document import Block, BlockKind, Document, Metadata, Source
from docpipe.language import DEFAULT_LANGUAGES, UNDETERMINED, detect_block, tag_languages
from docpipe.metadata import _clean_authors
from parsers.normalise import isbn_is_valid, normalise_date
from parsers.normalise import normalise_text
from fuzzing import IMPOSSIBLE_DATES
from parsers import html_metadata
from parsers.pdf import front_matter, metadata as pdf_metadata
from parsers.encoding import declared_html_charset, decode

_PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Any text, with more of what breaks parsers: digits of other scripts, superscripts, bidi and
# zero-width controls, letters with marks.
_ODD = "²³¹⁰₂½①٣٠३３𝟚〇፲\u202e\u2066\u200b\u200d\ufeff\u00ad\x00\x0b\x85\u2028é́ñ"
_MARKS = "".join(c for c in _ODD if not c.isalpha())  # marks, controls, digits: no letters, which would be words
_TEXT = st.text(alphabet=st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(_ODD)), max_size=200)
_ISO_DATE = re.compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$")
_MONTHS = ["March", "mars", "marzo", "Mar.", "MARCH", "märz"]


def _is_iso_date(value: str) -> bool:
    if not _ISO_DATE.match(value):
        return False
    year, month, day = (value.split("-") + [None, None])[:3]
    date(int(year), int(month or 1), int(day or 1))  # raises for a day that does not exist
    return True


@_PROPERTY
@given(_TEXT)
def test_a_date_from_any_text_is_none_or_a_real_iso_date(text):
    found = normalise_date(text)
    assert found is None or _is_iso_date(found)


@_PROPERTY
@given(st.integers(1, 28), st.integers(1901, 2199), st.sampled_from(_MONTHS), st.text(alphabet=_MARKS, min_size=1, max_size=3), st.integers(0, 3))
def test_odd_marks_beside_a_printed_date_leave_it_read(day, year, month, mark, where):
    words = [str(day), month, str(year)]
    words.insert(where, mark)  # a footnote mark, a bidi control, another script's digit
    assert normalise_date(" ".join(words)) == f"{year}-03-{day:02d}"


@_PROPERTY
@given(st.lists(_TEXT, max_size=8), st.one_of(st.none(), _TEXT, st.sampled_from(IMPOSSIBLE_DATES)))
def test_dates_from_byline_lines_never_raise(lines, known):
    found = html_metadata.date_from_lines(lines, known)
    assert found == known or _is_iso_date(found)


def test_the_printed_dates_the_fuzz_found():
    assert normalise_date("Updated 5 March 2021 ²") == "2021-03-05"
    assert normalise_date("Publié le 3² mai 2019") == "2019-05-03"
    assert normalise_date("2021-02-30") is None and normalise_date("2020-02-29") == "2020-02-29"
    assert normalise_date("٢٠٢١-٠٣-٠٥") is None  # not ASCII digits: not read as a year


@_PROPERTY
@given(st.lists(_TEXT, max_size=8))
def test_author_lists_are_tidied_whatever_they_hold(names):
    cleaned = _clean_authors(names)
    assert len({name.lower() for name in cleaned}) == len(cleaned)
    assert all(name == " ".join(name.split()) and name for name in cleaned)


@_PROPERTY
@given(st.lists(_TEXT, max_size=6))
def test_authors_read_from_lines_are_names(lines):
    # One block under the title, one piece per line: what a title page of odd text would give.
    for name in front_matter.authors_from([], [((10.0, False), [(line,) for line in lines])]):
        assert 2 <= len(name.split()) <= 5
    assert len(html_metadata.byline_authors(lines, lines)) <= 1


@_PROPERTY
@given(_TEXT, st.lists(_TEXT, max_size=3), st.one_of(st.none(), _TEXT), st.booleans())
def test_a_title_loses_at_most_its_site_name(title, names, heading, guess):
    stripped = html_metadata._strip_site(title, names, heading, guess)
    assert stripped in " ".join(title.split()) or stripped == heading


@_PROPERTY
@given(_TEXT)
def test_a_useful_title_is_the_title_or_none(title):
    assert pdf_metadata.useful_title(title) in (None, title)


def _isbn13(digits: list[int]) -> str:
    check = (10 - sum((1 if i % 2 == 0 else 3) * d for i, d in enumerate(digits))) % 10
    return "".join(map(str, digits + [check]))


@_PROPERTY
@given(st.lists(st.integers(0, 9), min_size=12, max_size=12), st.integers(0, 11), st.integers(1, 9))
def test_isbn_checksums_accept_the_right_digit_and_refuse_a_changed_one(digits, at, change):
    isbn = _isbn13(digits)
    assert isbn_is_valid(isbn) and isbn_is_valid(f"ISBN {isbn[:3]}-{isbn[3:]}")
    wrong = isbn[:at] + str((int(isbn[at]) + change) % 10) + isbn[at + 1 :]
    assert not isbn_is_valid(wrong)


@_PROPERTY
@given(_TEXT)
def test_identifiers_from_any_text_are_well_formed(text):
    assert isinstance(isbn_is_valid(text), bool)
    meta = Metadata()
    pdf_metadata.identifiers_from_text(text, meta)
    assert meta.isbn is None or isbn_is_valid(meta.isbn)
    assert meta.issn is None or re.fullmatch(r"[0-9]{4}-[0-9]{3}[0-9X]", meta.issn)
    assert meta.doi is None or meta.doi.startswith("10.")


@_PROPERTY
@given(_TEXT)
def test_language_evidence_is_a_distribution_over_the_run(text):
    evidence = detect_block(text)
    assert set(evidence) <= {*DEFAULT_LANGUAGES, UNDETERMINED}
    assert all(0.0 <= p <= 1.0 for p in evidence.values()) and sum(evidence.values()) <= 1.0 + 1e-6


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TEXT.filter(str.strip), min_size=1, max_size=6))
def test_every_block_of_any_text_gets_a_language(texts):
    doc = Document(Source("t", "", 0), blocks=[Block(BlockKind.PARAGRAPH, text) for text in texts])
    tag_languages(doc)
    assert all(block.language in (*DEFAULT_LANGUAGES, UNDETERMINED) for block in doc.blocks)


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff]")


@_PROPERTY
@given(_TEXT)
def test_text_repair_leaves_no_controls_and_is_idempotent(text):
    repaired = normalise_text(text)
    assert not _CONTROLS.search(repaired) and "\r" not in repaired
    assert normalise_text(repaired) == repaired == unicodedata.normalize("NFC", repaired)


_LABELS = st.sampled_from(["utf-8", "utf-16", "cp1252", "idna", "rot13", "utf-7", "base64", "shift_jis", "bogus", None])


@_PROPERTY
@given(st.binary(max_size=300), _LABELS)
def test_any_bytes_decode_under_any_declared_charset(data, label):
    text, used = decode(data, label)
    assert isinstance(text, str) and used
    declared_html_charset(b'<meta charset="' + data[:20] + b'">' + data)


@_PROPERTY
@given(st.binary(max_size=200))
def test_pdf_strings_of_any_bytes(data):
    text = pdf_metadata.pdf_string(data)
    assert text is None or (text == " ".join(text.split()) and not _CONTROLS.search(text))
