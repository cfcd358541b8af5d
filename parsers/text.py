"""Plain text to blocks: paragraphs split on blank lines, hard-wrapped lines joined."""

from __future__ import annotations

import re

from docpipe.document import Block, BlockKind, Document, RejectedInput, Source
from docpipe.reasons import RejectReason
from parsers.normalise import normalise_text
from parsers.encoding import decode

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,3}[.)])\s+")
# A heading in plain text: a short line without closing punctuation.
_HEADING_MAX_CHARS = 80


def _looks_like_heading(line: str) -> bool:
    return len(line) <= _HEADING_MAX_CHARS and not line.rstrip().endswith((".", ",", ";", ":", "?", "!", "\"", "”", "»"))


def _block_for(chunk: str) -> Block:
    lines = [line.strip() for line in chunk.splitlines() if line.strip()]
    first = lines[0]
    markdown = _MARKDOWN_HEADING.match(first)
    if markdown and len(lines) == 1:
        return Block(BlockKind.HEADING, markdown.group(2).strip(), level=len(markdown.group(1)))
    if _BULLET.match(first) and len(lines) == 1:
        return Block(BlockKind.LIST_ITEM, _BULLET.sub("", first, count=1))
    if len(lines) == 1 and _looks_like_heading(first):
        return Block(BlockKind.HEADING, first, level=2)
    return Block(BlockKind.PARAGRAPH, " ".join(lines))


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; a file without any has one paragraph per line."""
    chunks = [c for c in _BLANK_LINE.split(text) if c.strip()]
    if len(chunks) == 1 and chunks[0].count("\n") >= 1:
        chunks = [line for line in chunks[0].splitlines() if line.strip()]
    return chunks


def parse_text(data: bytes, source: Source) -> Document:
    text, codec = decode(data)
    source.encoding = codec
    text = normalise_text(text)
    blocks = [_block_for(chunk) for chunk in split_paragraphs(text)]
    if not blocks:
        raise RejectedInput(RejectReason.NO_TEXT, "the file decodes to no visible text")
    doc = Document(source=source, blocks=blocks, parser="docpipe text")
    first = blocks[0]
    if first.kind is BlockKind.HEADING:
        doc.metadata.title = first.text
    return doc
