"""Parsing touches nothing outside the bytes it is given: no network, no other files, no code run."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from conftest import RAW
from hostile import assemble_pdf
from docpipe.document import Document, Source
from docpipe.pipeline import process_bytes

SECRET_FILE_TEXT = "docpipe-secret-file-contents"

# Every way a page can point at something else: none of it may be fetched or read.
REFERENCES = """<!DOCTYPE html [
  <!ENTITY secret SYSTEM "file://{secret}">
  <!ENTITY remote SYSTEM "http://127.0.0.1:9/entity">
]>
<html lang="en"><head>
<base href="http://127.0.0.1:9/">
<meta http-equiv="refresh" content="0; url=http://127.0.0.1:9/refresh">
<link rel="stylesheet" href="http://127.0.0.1:9/style.css">
<script src="http://127.0.0.1:9/app.js"></script>
<script>document.write("<p>written by a script</p>"); fetch("http://127.0.0.1:9/beacon");</script>
<title>Reference test</title></head>
<body><main><article>
<h1>Reference test</h1>
<p>The committee reviewed the water supply of the district and agreed on new pumps before the dry season. &secret; &remote;</p>
<img src="http://127.0.0.1:9/photo.jpg" srcset="http://127.0.0.1:9/photo-2x.jpg 2x" alt="">
<iframe src="http://127.0.0.1:9/frame"></iframe>
<object data="file://{secret}"></object>
<p>Members asked for a report on the reservoir by the end of the month, with costs and a timetable.</p>
</article></main></body></html>
"""


@pytest.fixture
def no_network(monkeypatch):
    """Record, and refuse, every attempt to open a connection or resolve a name."""
    attempts: list[str] = []

    def refuse(name):
        def call(*args, **kwargs):
            attempts.append(f"{name}{args[1:] if name == 'connect' else args}")
            raise OSError("network access from a parser")

        return call

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    return attempts


def _page(tmp_path: Path) -> bytes:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_FILE_TEXT, encoding="utf-8")
    return REFERENCES.format(secret=secret).encode()


def _process(data: bytes, name: str) -> Document:
    outcome = process_bytes(data, Source(name, "", len(data)))
    assert isinstance(outcome, Document), outcome
    return outcome


def test_a_page_full_of_remote_references_fetches_none_and_reads_no_file(tmp_path, no_network):
    doc = _process(_page(tmp_path), "references.html")
    assert "The committee reviewed the water supply" in doc.text
    assert SECRET_FILE_TEXT not in doc.text and all(SECRET_FILE_TEXT not in block.text for block in doc.blocks)
    assert "written by a script" not in doc.text  # scripts are dropped, never run
    assert no_network == []


def test_an_xhtml_page_declaring_entities_does_not_expand_them(tmp_path, no_network):
    data = b'<?xml version="1.0" encoding="utf-8"?>\n' + _page(tmp_path)
    doc = _process(data, "references.xhtml")
    assert SECRET_FILE_TEXT not in doc.text
    assert no_network == []


@pytest.mark.parametrize("name", sorted(p.name for p in RAW.iterdir() if p.suffix in (".pdf", ".txt", ".html")))
def test_the_demo_corpus_parses_without_network(name, no_network):
    _process((RAW / name).read_bytes(), name)
    assert no_network == []


def _pdf_with_xmp(xmp: bytes) -> bytes:
    """A one-page PDF with a line of text and the given XMP packet as its catalog's /Metadata."""
    content = b"BT /F1 12 Tf 72 720 Td (The committee reviewed the water supply of the district.) Tj ET"
    return assemble_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp) + xmp + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def test_pdf_metadata_neither_expands_entity_bombs_nor_reads_external_entities(tmp_path, no_network):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_FILE_TEXT, encoding="utf-8")
    laughs = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))

    def xmp(dtd: str, title: str) -> bytes:
        return (
            f'<?xml version="1.0"?><!DOCTYPE x:xmpmeta [{dtd}]><x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title><rdf:Alt><rdf:li>{title}</rdf:li></rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta>"
        ).encode()

    benign = _process(_pdf_with_xmp(xmp("", "Water Supply Review")), "xmp.pdf")
    assert benign.raw_metadata["xmp:title"] == "Water Supply Review"  # the packet is read
    for dtd, title in ((f'<!ENTITY lol0 "lol">{laughs}', "&lol9;"), (f'<!ENTITY secret SYSTEM "file://{secret}">', "&secret;")):
        doc = _process(_pdf_with_xmp(xmp(dtd, title)), "xmp.pdf")
        assert "The committee reviewed the water supply" in doc.text
        assert "lollol" not in repr(doc.raw_metadata) and SECRET_FILE_TEXT not in repr(doc.raw_metadata)
        assert SECRET_FILE_TEXT not in (doc.metadata.title or "")
    assert no_network == []
