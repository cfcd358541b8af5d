"""Placeholder until the PDF parser lands."""

from pdfminer.high_level import extract_text
import io

from docpipe.document import Block, BlockKind, Document, Source


def parse_pdf(data: bytes, source: Source) -> Document:
    text = extract_text(io.BytesIO(data))
    return Document(source=source, blocks=[Block(BlockKind.PARAGRAPH, p) for p in text.split("\n\n") if p.strip()], parser="placeholder")
