"""Placeholder until the HTML parser lands: text of <body> paragraphs only."""

from bs4 import BeautifulSoup

from docpipe.document import Block, BlockKind, Document, Source
from parsers.encoding import decode


def parse_html(data: bytes, source: Source) -> Document:
    text, source.encoding = decode(data)
    soup = BeautifulSoup(text, "lxml")
    blocks = [Block(BlockKind.PARAGRAPH, p.get_text(" ", strip=True)) for p in soup.find_all(["p", "h1", "h2"]) if p.get_text(strip=True)]
    return Document(source=source, blocks=blocks, parser="placeholder")
