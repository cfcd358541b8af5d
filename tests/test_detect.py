import pytest

from docpipe.document import RejectedInput, SourceType
from parsers.detect import detect_type

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "paper.pdf", SourceType.PDF),
        (b"%PDF-1.4 mislabelled", "paper.html", SourceType.PDF),
        (b"<!DOCTYPE html><html><body><p>Hi</p></body></html>", "page.txt", SourceType.HTML),
        ("<html><body>é</body></html>".encode("utf-16"), "page.html", SourceType.HTML),
        (b"Plain words in a file.\nSecond line.", "notes.txt", SourceType.TEXT),
        ("Texto en español, sin HTML.".encode("cp1252"), "nota.txt", SourceType.TEXT),
    ],
)
def test_type_comes_from_the_bytes(data, name, expected):
    assert detect_type(data, name) is expected


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "empty.txt", "empty"),
        (b"  \n\t ", "blank.html", "empty"),
        (PNG, "picture.html", "unsupported_format"),
        (b"PK\x03\x04\x14\x00\x00\x00", "archive.pdf", "unsupported_format"),
        (b"\x00\x01\x02\x03binary\x00\x00", "blob.txt", "binary_content"),
        (b"just some text", "report.pdf", "not_a_pdf"),
    ],
)
def test_what_cannot_be_parsed_is_refused_with_a_reason(data, name, reason):
    with pytest.raises(RejectedInput) as refusal:
        detect_type(data, name)
    assert refusal.value.reason == reason
