"""The document model every stage reads and returns.

A stage is a plain function ``Document -> Document`` (or ``bytes -> Document`` for the
parsers). Stages mutate nothing they were given that the caller may still hold: they
return the document they were handed after filling in their own fields, which keeps the
pipeline a simple chain of calls while avoiding deep copies of large block lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from docpipe.reasons import RejectReason, describe_failure

if TYPE_CHECKING:
    from docpipe.rules import Rule

T = TypeVar("T")


class SourceType(str, Enum):
    HTML = "html"
    PDF = "pdf"
    TEXT = "text"


class BlockKind(str, Enum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    QUOTE = "quote"
    TABLE = "table"
    CAPTION = "caption"
    NOTE = "note"  # footnotes and endnotes
    REFERENCE = "reference"  # bibliography entries
    CODE = "code"


@dataclass
class Source:
    """Where the bytes came from, known before any parsing."""

    path: str
    sha256: str
    size_bytes: int
    source_type: SourceType | None = None
    encoding: str | None = None  # the text encoding used to decode, for HTML and text
    # What a container says of the input: a web archive record's target URI, capture date,
    # HTTP status and content type. Written to the documents' `metadata`.
    origin: dict[str, str] = field(default_factory=dict)


@dataclass
class Unchanged:
    """An input whose bytes are the version the store already holds for it: read and hashed, not parsed."""

    source: Source


@dataclass
class Block:
    kind: BlockKind
    text: str
    page: int | None = None  # 1-based page for PDFs, None for HTML and text
    level: int | None = None  # heading level (1 = top), None for other kinds
    font_size: float | None = None  # median font size, PDFs only
    bold: bool = False  # PDFs: most of the block's characters are in a bold face
    bbox: tuple[float, float, float, float] | None = None  # PDFs: x0, y0, x1, y1 on its page
    language: str | None = None
    language_prob: float | None = None
    language_inferred: bool = False  # decided from neighbouring blocks, not its own text
    attrs: dict[str, str] = field(default_factory=dict)  # parser hints (e.g. html tag, class)


@dataclass
class Removal:
    """A piece of the source that a boilerplate rule dropped, so users can see why."""

    rule: str  # the rule's name, unique across families (docs/rules.md)
    text: str
    kind: str | None = None
    page: int | None = None


@dataclass
class Abstract:
    language: str
    heading: str | None
    text: str
    page: int | None = None


@dataclass
class Metadata:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_date: str | None = None  # ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD
    publisher: str | None = None
    series: str | None = None
    isbn: str | None = None
    issn: str | None = None
    doi: str | None = None
    url: str | None = None  # canonical URL when the source names one
    page_count: int | None = None
    encrypted: bool = False
    producer: str | None = None  # PDF producer / HTML generator
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class EnrichmentWarning:
    """An enrichment (a metadata field, the choice of the main content) that raised: its field
    was left empty, or its fallback taken, and the document still landed."""

    step: str  # the function that failed, e.g. "normalise_date"
    error: str  # the exception's type, where docpipe raised it, and its message

    def __str__(self) -> str:
        return f"{self.step}: {self.error}"


@dataclass
class Document:
    source: Source
    blocks: list[Block] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    raw_metadata: dict[str, Any] = field(default_factory=dict)  # as found, before normalising
    removed: list[Removal] = field(default_factory=list)
    abstracts: dict[str, Abstract] = field(default_factory=dict)
    language: str | None = None
    languages: dict[str, float] = field(default_factory=dict)  # code -> share of body chars
    parser: str | None = None  # e.g. "pdfminer.six 20260107"
    warnings: list[EnrichmentWarning] = field(default_factory=list)

    def remove(self, block: Block, rule: Rule) -> None:
        """Record that ``rule`` dropped ``block``; the caller takes it out of ``blocks``."""
        self.removed.append(Removal(rule=rule.name, text=block.text, kind=block.kind.value, page=block.page))

    def enrich(self, fallback: T, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)``, for an enrichment: a metadata field, the choice of the main content.

        Enrichments degrade, documents survive: if ``function`` raises, the document records a
        warning naming it and gets ``fallback`` (an empty field, the whole body), and still
        lands. Only failing to read the text itself rejects a document.
        """
        try:
            return function(*args)
        except MemoryError:
            raise  # the worker's limit, not a bug: the document is rejected as out_of_memory
        except Exception as error:  # noqa: BLE001 - whatever a bug raises, the document goes on
            self.warnings.append(EnrichmentWarning(function.__name__, describe_failure(error)))
            return fallback

    def removal_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for removal in self.removed:
            counts[removal.rule] = counts.get(removal.rule, 0) + 1
        return counts

    @property
    def text(self) -> str:
        """The clean body: every kept block that is not an abstract, note or reference."""
        return "\n\n".join(b.text for b in self.body_blocks())

    def summarise_languages(self) -> None:
        """``languages``: share of characters per language tag over every block; ``language``:
        the language of most body prose (tables and code aside), so it changes once abstracts
        leave the body."""
        totals: dict[str, int] = {}
        for block in self.blocks:
            if block.language:
                totals[block.language] = totals.get(block.language, 0) + len(block.text)
        all_chars = sum(totals.values())
        self.languages = {code: round(n / all_chars, 4) for code, n in sorted(totals.items(), key=lambda kv: -kv[1])} if all_chars else {}
        body: dict[str, int] = {}
        for block in self.body_blocks():
            if block.language and block.kind not in (BlockKind.TABLE, BlockKind.CODE):
                body[block.language] = body.get(block.language, 0) + len(block.text)
        if not body:
            body = totals
        self.language = max(body, key=body.__getitem__) if body else None

    def body_blocks(self) -> list[Block]:
        return [
            b
            for b in self.blocks
            if b.kind not in (BlockKind.NOTE, BlockKind.REFERENCE) and not b.attrs.get("abstract")
        ]


class RejectedInput(Exception):
    """Raised by a stage when an input cannot become a document, with the reason why."""

    def __init__(self, reason: RejectReason, message: str) -> None:
        # A code that is not a RejectReason raises here, so it surfaces as an internal error.
        self.reason = RejectReason(reason)
        self.message = message
        super().__init__(f"{self.reason}: {message}")


@dataclass
class Reject:
    source: Source
    stage: str  # read, detect, parse, clean, language, abstracts, metadata
    error_type: RejectReason
    message: str
    rejected_at: datetime | None = None
