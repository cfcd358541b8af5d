"""PDF bytes to a Document: pdfminer.six layout analysis, one pass per page.

Blocks come out in reading order with their kind (heading, paragraph, list item, note,
reference, caption), page, font size, weight and box. Boilerplate (running heads, page
numbers, pull quotes, colophon) stays in: ``docpipe.boilerplate.layout`` removes it with
the rule that recognised it, and joins paragraphs that a page break split.

The front matter is read from the pages as a reader reads it: the title printed on page 1
(over an Info title it does not print), every author printed around it (pdf_metadata),
the DOI from the first page's banner, running heads or feet, or the last page's citation
line, and the date printed on the first page or the year of its running heads.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pdfminer
from pdfminer.converter import PDFPageAggregator
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager, PDFTextState
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfminer.psparser import PSException
from pdfminer.utils import Matrix

from docpipe.document import Block, BlockKind, Document, RejectedInput, Source
from docpipe.reasons import RejectReason
from docpipe.textnorm import normalise_text
from parsers import pdf_metadata, pdfminer_patches  # noqa: F401  (pdfminer's damaged-stream fallback, made linear)
from parsers.pdf_layout import LAYOUT_PARAMS, Line, PageBlock, figure_text, page_blocks

# pdfminer logs every oddity of a damaged file it reads past as a warning, some once per
# object: that is stderr noise for a run, and whatever makes a file unusable is a reject.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

# At pdfminer's ~14 pages/s, 1000 pages is over a minute of layout analysis: a book or a
# scanned archive, not a paper or report. Callers may pass a different cap.
MAX_PAGES = 1000
# A dense text page holds 5-10 thousand glyphs; a hundred thousand is a plot drawn in
# text or a dump whose layout analysis would run for minutes.
MAX_PAGE_GLYPHS = 100_000
# A page of dense vector drawing stays in the tens of megabytes once inflated.
MAX_CONTENT_BYTES = 256 * 2**20
_DEFLATE_MAX_RATIO = 1032
# The bomb check inflates this much deflated input at a time (at most 16 MiB out of each piece).
_INFLATE_PIECE = 16 * 1024

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SYMBOL_BULLET = re.compile(r"^[•●▪■◦○∙·‣⁃]\s*")
_BULLET = re.compile(r"^(?:[•●▪■◦○∙·‣⁃–—*-]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}\))\s")
_CAPTION = re.compile(
    r"^(?:fig(?:ure|\.)?|table|tableau|tabla|figura|cuadro|gr[aá]fico|graph|chart|exhibit|box|encadr[ée]|map|mapa|carte)"
    r"\s*\d+(?:\.\d+)?\s*[.:—–-]?\s",
    re.I,
)
_NOTE_MARKER = re.compile(r"^(?:(?:\d{1,3}|[*∗†‡§¶]+)(?:[.)]\s|\s|(?=[A-Z]))|[a-z](?:[.)]\s|\s?(?=[A-ZÀ-Þ])))")
_NOTES_HEADING = re.compile(r"^(?:end\s*)?notes?$|^notas?$|^notes de fin$|^footnotes$", re.I)
_REFERENCES_HEADING = re.compile(
    r"^(?:\d+\.?\s*)?(?:references?|bibliography|works cited|literature cited|sources|"
    r"r[ée]f[ée]rences(?: bibliographiques)?|referencias(?: bibliogr[aá]ficas)?|refer[êe]ncias|bibliograf[ií]a|bibliographie)$",
    re.I,
)
_REFERENCE_START = re.compile(r"^(?:\[\d+\]|\d{1,3}\.\s|\d{1,3}\s(?=[A-Z]))")
# A line that ends in a hyphen after a letter, and the word that hyphen ends. Both are
# matched against the end of the text only: a paragraph is joined line by line, and
# searching the whole of it each time would cost the square of its length.
_LINE_END_HYPHEN = re.compile(r"[^\W\d_][-\u2010]$")
_HYPHENATED_HEAD = re.compile(r"([^\W\d_]+)[-\u2010]$")
_LEADING_WORD = re.compile(r"([^\W\d_]+)")
# Prefixes written with a hyphen even at a line end ("non-governmental", "self-help").
_HYPHEN_PREFIXES = frozenset({"non", "self", "ex", "well", "cross", "quasi"})
# pdfminer reports broken structure with plain Python errors as well as its own (OverflowError:
# an object offset too large to seek to; RuntimeError: StopIteration inside its RunLengthDecode
# generator on a truncated stream).
_PDF_ERRORS = (PSException, ValueError, KeyError, TypeError, AttributeError, AssertionError, IndexError, OverflowError, RuntimeError)


class _BoundedAggregator(PDFPageAggregator):
    """pdfminer's aggregator for text only, refusing a page with an absurd number of glyphs.

    Like pdfminer's own TextConverter it records no drawings or images: paths and images
    cost memory and time in the layout analysis and no rule here reads them.
    """

    def __init__(self, resources: PDFResourceManager, max_glyphs: int) -> None:
        super().__init__(resources, laparams=LAYOUT_PARAMS)
        self.max_glyphs = max_glyphs
        self.glyphs = 0

    def begin_page(self, page: PDFPage, ctm: Matrix) -> None:
        self.glyphs = 0
        super().begin_page(page, ctm)

    def paint_path(self, *args: Any, **kwargs: Any) -> None:
        pass

    def render_image(self, *args: Any, **kwargs: Any) -> None:
        pass

    def render_string(self, textstate: PDFTextState, seq: list, ncs: Any, graphicstate: Any) -> None:
        # Counted per text operator, before its glyphs are laid out: a method call per glyph
        # would cost 5% of the whole parse. A two-byte font draws a glyph per two bytes.
        width = 2 if textstate.font is not None and textstate.font.is_multibyte() else 1
        self.glyphs += sum(len(item) for item in seq if isinstance(item, bytes)) // width
        if self.glyphs > self.max_glyphs:
            raise RejectedInput(RejectReason.LAYOUT_RUNAWAY, f"page {self.pageno} has more than {self.max_glyphs} glyphs")
        super().render_string(textstate, seq, ncs, graphicstate)


def parse_pdf(
    data: bytes, source: Source, *, max_pages: int = MAX_PAGES, max_page_glyphs: int = MAX_PAGE_GLYPHS,
    max_content_bytes: int = MAX_CONTENT_BYTES,
) -> Document:
    document = _open(data)
    pages = _pages(document, max_pages)
    doc = Document(source=source, parser=f"pdfminer.six {pdfminer.__version__}")
    doc.metadata.encrypted = document.encryption is not None
    doc.metadata.page_count = len(pages)
    doc.raw_metadata = doc.enrich({}, pdf_metadata.from_document, document, doc.metadata)

    resources = PDFResourceManager(caching=True)
    device = _BoundedAggregator(resources, max_page_glyphs)
    interpreter = PDFPageInterpreter(resources, device)
    page_blocks_found: list[PageBlock] = []
    failed_pages = 0
    first_page_figures = ""
    for number, page in enumerate(pages, start=1):
        _refuse_inflation_bomb(page, number, max_content_bytes)
        try:
            interpreter.process_page(page)
            layout = device.get_result()
            page_blocks_found.extend(page_blocks(layout, number))
            if number == 1:
                first_page_figures = figure_text(layout)
        except _PDF_ERRORS:
            failed_pages += 1
    if failed_pages == len(pages):
        raise RejectedInput(RejectReason.CORRUPT_PDF, f"none of the {len(pages)} pages could be read")
    if failed_pages:
        doc.metadata.extra["pages_unreadable"] = str(failed_pages)
    lines = [line for block in page_blocks_found for line in block.lines]
    unmapped = sum(line.cid_glyphs for line in lines)
    if unmapped:
        doc.metadata.extra["unmapped_glyphs"] = str(unmapped)
    if sum(line.chars for line in lines) == 0:
        page_word = "page" if len(pages) == 1 else "pages"
        if unmapped:
            raise RejectedInput(RejectReason.NO_TEXT_LAYER, f"{len(pages)} {page_word} whose {unmapped} glyphs have no Unicode mapping")
        raise RejectedInput(RejectReason.NO_TEXT_LAYER, f"{len(pages)} {page_word} without a text layer (scanned? OCR it first)")

    doc.blocks = _blocks(page_blocks_found, lines)
    doc.enrich(None, _metadata_from_pages, doc, page_blocks_found, first_page_figures)
    return doc


def _refuse_inflation_bomb(page: PDFPage, number: int, limit: int) -> None:
    """Refuse a page whose deflated content or forms would inflate past ``limit`` bytes.

    pdfminer inflates a stream whole, in one call: a few megabytes crafted to inflate to
    gigabytes would take that much memory before anything could be said about them. Deflate
    packs at most ~1032:1, so only streams larger than ``limit / 1032`` need a look, and that
    look stops at the limit. Images are never inflated here (the aggregator skips them).
    A stream damaged after the limit counts too: pdfminer inflates a damaged stream a byte
    at a time up to the damage, which for a bomb runs for hours.
    """
    for stream in _drawn_streams(page):
        if stream.rawdata is None or len(stream.rawdata) * _DEFLATE_MAX_RATIO <= limit:
            continue
        filters = stream.get_filters()
        if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
            continue
        if _inflated_size(stream.rawdata, limit) > limit:
            raise RejectedInput(RejectReason.DECOMPRESSION_BOMB, f"page {number}'s content inflates past {limit // 2**20} MiB (the configured cap)")


def _inflated_size(deflated: bytes, limit: int) -> int:
    """How far ``deflated`` inflates before its end, its first damaged byte, or ``limit``."""
    inflater = zlib.decompressobj()
    size = 0
    for start in range(0, len(deflated), _INFLATE_PIECE):
        try:
            size += len(inflater.decompress(deflated[start : start + _INFLATE_PIECE]))
        except zlib.error:
            break
        if size > limit or inflater.eof:
            break
    return size


def _drawn_streams(page: PDFPage) -> Iterator[PDFStream]:
    """The page's content streams and the form XObjects they may draw, each once."""
    seen: set[int] = set()
    pending: list[Any] = [*page.contents, *_forms(page.resources)]
    while pending:
        stream = resolve1(pending.pop())
        if not isinstance(stream, PDFStream) or id(stream) in seen:
            continue
        seen.add(id(stream))
        yield stream
        pending.extend(_forms(resolve1(stream.attrs.get("Resources"))))


def _forms(resources: Any) -> list[Any]:
    xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    if not isinstance(xobjects, dict):
        return []
    forms = []
    for reference in xobjects.values():
        xobject = resolve1(reference)
        if isinstance(xobject, PDFStream) and getattr(resolve1(xobject.attrs.get("Subtype")), "name", None) == "Form":
            forms.append(xobject)
    return forms


def _open(data: bytes) -> PDFDocument:
    try:
        return PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except PDFPasswordIncorrect:
        raise RejectedInput(RejectReason.ENCRYPTED, "the PDF is encrypted and does not open without a password") from None
    except PDFEncryptionError as error:
        raise RejectedInput(RejectReason.ENCRYPTED, f"the PDF's encryption is not supported: {error}") from None
    except _PDF_ERRORS as error:
        raise RejectedInput(RejectReason.CORRUPT_PDF, f"the PDF structure cannot be read: {error or type(error).__name__}") from None


def _pages(document: PDFDocument, max_pages: int) -> list[PDFPage]:
    pages: list[PDFPage] = []
    tree = PDFPage.create_pages(document)
    while len(pages) <= max_pages:
        try:
            page = next(tree, None)
        except _PDF_ERRORS as error:
            raise RejectedInput(RejectReason.CORRUPT_PDF, f"the page tree cannot be read: {error or type(error).__name__}") from None
        if page is None:
            break
        pages.append(page)
    if len(pages) > max_pages:
        raise RejectedInput(RejectReason.TOO_MANY_PAGES, f"more than {max_pages} pages (the configured cap)")
    if not pages:
        raise RejectedInput(RejectReason.CORRUPT_PDF, "the PDF has no pages (truncated or damaged)")
    return pages


def _body_size(lines: list[Line]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size * 2) / 2] += line.chars
    return sizes.most_common(1)[0][0]


def _vocabulary(lines: list[Line]) -> Counter[str]:
    words: Counter[str] = Counter()
    for line in lines:
        words.update(w.lower() for w in _WORD.findall(line.text))
    return words


def _join_hyphenated(left: str, right: str, vocabulary: Counter[str]) -> str:
    """``left`` ends with a hyphen at a line end: drop it unless the word is a real compound."""
    head_match = _HYPHENATED_HEAD.search(left, left.rfind(" ") + 1)  # letters hold no space
    tail_match = _LEADING_WORD.match(right)
    if not head_match or not tail_match or not tail_match.group(1)[0].islower():
        return left + right  # "Canada-" + "Mexico", "2003-" + "2004": a hyphen that stays
    head, tail = head_match.group(1).lower(), tail_match.group(1).lower()
    if vocabulary[head + tail]:
        return left[:-1] + right
    if vocabulary[f"{head}-{tail}"] or head in _HYPHEN_PREFIXES:
        return left + right
    return left[:-1] + right


def _joined(text: str, more: str, vocabulary: Counter[str]) -> str:
    """Two lines of one paragraph: a space between, or a line-end hyphen resolved."""
    if text.endswith("\u00ad"):
        return text[:-1] + more  # a soft hyphen is a break opportunity, never a character
    if _LINE_END_HYPHEN.search(text, len(text) - 3):  # "$" may stand before a final newline
        return _join_hyphenated(text, more, vocabulary)
    return f"{text} {more}"


def _text(lines: list[Line], vocabulary: Counter[str]) -> str:
    text = lines[0].text
    for line in lines[1:]:
        text = _joined(text, line.text, vocabulary)
    return normalise_text(text)


def _layout_hints(block: PageBlock) -> dict[str, str]:
    """What the boilerplate rules need from the lines (they only see blocks)."""
    lines = block.lines
    hints = {
        "full_last_line": "1" if len(lines) > 1 and lines[-1].x1 >= block.box_x1 - 1.5 * lines[-1].size else "0",
        "indented_first": "1" if len(lines) > 1 and lines[0].x0 > min(l.x0 for l in lines[1:]) + 0.9 * lines[0].size else "0",
    }
    if sum(line.chars for line in lines if line.italic) * 2 > block.chars:
        hints["italic"] = "1"
    if len(lines) > 1 and all(len(line.text) <= 60 for line in lines):
        hints["lines"] = "\n".join(line.text for line in lines)
    return hints


def _block(block: PageBlock, kind: BlockKind, text: str, level: int | None = None) -> Block:
    return Block(
        kind=kind,
        text=text,
        page=block.page,
        level=level,
        font_size=block.size,
        bold=block.bold,
        bbox=tuple(round(v, 1) for v in block.bbox),
        attrs=block.attrs | _layout_hints(block),
    )


def _is_heading(block: PageBlock, body: float) -> bool:
    chars = block.chars
    if chars > 300 or len(block.lines) > 4 or chars < 2:
        return False
    if block.size >= body * 1.12:
        return True
    text = block.lines[-1].text
    # Side headings are often set a point smaller than the body ("RESUMEN", "Key words").
    return block.bold and block.size >= body * 0.9 and chars < 160 and not text.endswith((".", ",", ";"))


def _split_run_in(block: PageBlock) -> tuple[str, PageBlock] | None:
    """A bold label that starts a paragraph ("Abstract.", "Résumé.") becomes its own heading."""
    first = block.lines[0]
    label = first.lead_label
    if not label or len(label.split()) > 5 or label == first.text:
        return None
    # Without closing punctuation only a single word followed by a capital ("Abstract Background: ...").
    if not label.endswith((".", ":", "—")) and not (len(label.split()) == 1 and len(label) > 3 and first.text[len(label):].strip()[:1].isupper()):
        return None
    rest = first.text[len(label):].strip() if first.text.startswith(label) else None
    if not rest:
        return None
    remainder = PageBlock([replace(first, text=rest, lead_label="")] + block.lines[1:], block.page, block.box_x0, block.box_x1, dict(block.attrs))
    return label, remainder


def _split_entries(block: PageBlock, starts: re.Pattern[str]) -> list[PageBlock]:
    """A references or notes box holding several entries: split at numbered or outdented lines."""
    left = min(line.x0 for line in block.lines)
    hanging = any(line.x0 > left + 0.8 * line.size for line in block.lines[1:])
    parts: list[PageBlock] = []
    for index, line in enumerate(block.lines):
        new_entry = index == 0 or starts.match(line.text) or (hanging and line.x0 <= left + 0.3 * line.size)
        if new_entry:
            parts.append(PageBlock([], block.page, block.box_x0, block.box_x1, dict(block.attrs)))
        parts[-1].lines.append(line)
    return parts


def _ends_section(block: PageBlock, blocks: list[Block], section: BlockKind) -> bool:
    """A block set unlike the entries, after them, is past the notes (a colophon, say).

    Much smaller text, bare numbers and blocks at the page's edge (running heads, page
    numbers) do not end them: the boilerplate rules remove those.
    """
    starts = _REFERENCE_START if section is BlockKind.REFERENCE else _NOTE_MARKER
    entries = [b for b in blocks[-6:] if b.kind is section and starts.match(b.text)]
    if not entries:
        return False
    size = statistics.median(b.font_size or 0 for b in entries)
    bold = sum(b.bold for b in entries) * 2 > len(entries)
    if block.size < 0.8 * size or block.lines[0].text.strip().isdigit():
        return False
    return block.bold != bold or abs(block.size - size) > 0.2


def _attach_labels(found: list[PageBlock]) -> list[PageBlock]:
    """A bold label alone on its line ("Objective.") is the run-in label of the paragraph under it."""
    attached: list[PageBlock] = []
    for block in found:
        previous = attached[-1] if attached else None
        label = previous.lines[0].text if previous is not None and len(previous.lines) == 1 else ""
        if (
            label.endswith((".", ":"))
            and len(label.split()) <= 3
            and previous.bold
            and not block.bold
            and block.page == previous.page
        ):
            first = block.lines[0]
            block.lines[0] = replace(first, text=f"{label} {first.text}", lead_label=label)
            attached[-1] = block
        else:
            attached.append(block)
    return attached


def _blocks(found: list[PageBlock], lines: list[Line]) -> list[Block]:
    found = _attach_labels(found)
    body = _body_size(lines)
    vocabulary = _vocabulary(lines)
    heading_sizes = sorted({round(b.size) for b in found if _is_heading(b, body) and b.size >= body * 1.12}, reverse=True)
    body_boxes: dict[int, list[tuple[float, float, float, float]]] = {}
    for block in found:
        if abs(block.size - body) <= 0.6 and block.chars > 80:
            body_boxes.setdefault(block.page, []).append(block.bbox)

    blocks: list[Block] = []
    section: BlockKind | None = None  # inside a Notes or References section
    # Labels that open every part of a structured abstract ("OBJECTIVE:", "Methods:") right
    # under a heading are content; a run-in label elsewhere ("Résumé.") is a heading.
    structured: str | None = None  # the structured abstract's label style while in one
    for block in found:
        if _is_heading(block, body):
            structured = None
            text = _text(block.lines, vocabulary)
            size = round(block.size)
            level = heading_sizes.index(size) + 1 if size in heading_sizes else len(heading_sizes) + 1
            blocks.append(_block(block, BlockKind.HEADING, text, min(level, 6)))
            bare = text.strip(" .:")
            if _NOTES_HEADING.match(bare):
                section = BlockKind.NOTE
            elif _REFERENCES_HEADING.match(bare):
                section = BlockKind.REFERENCE
            else:
                section = None
            continue
        run_in = _split_run_in(block)
        if run_in and _follows_heading(blocks):
            structured = _label_style(run_in[0])
        elif run_in and structured and _label_style(run_in[0]) != structured:
            structured = None  # "Key words:" after "Objective." ... "Conclusions.": the abstract is over
        if run_in and not structured:
            label, block = run_in
            blocks.append(_block(block, BlockKind.HEADING, normalise_text(label), len(heading_sizes) + 1))
            blocks[-1].attrs["run_in"] = "1"
        if section is not None and not block.attrs.get("page_edge") and _ends_section(block, blocks, section):
            section = None
        if section is not None:
            starts = _REFERENCE_START if section is BlockKind.REFERENCE else _NOTE_MARKER
            for entry in _split_entries(block, starts):
                text = _text(entry.lines, vocabulary)
                # The rest of an entry cut off by a column or page break goes back to it,
                # past a running head set in another size.
                same_set = [b for b in blocks[-3:] if b.kind is section and abs((b.font_size or 0) - entry.size) <= 0.3]
                numbered = any(starts.match(b.text) for b in same_set)
                if same_set and numbered and not starts.match(text):
                    owner = same_set[-1]
                    owner.text = _joined(owner.text, text, vocabulary)
                else:
                    blocks.append(_block(entry, section, text))
            continue
        text = _text(block.lines, vocabulary)
        small = block.size < body * 0.92
        x0, _, x1, top = block.bbox
        # Footnotes sit under the body text of their column: no body block below them there.
        below_body = block.page in body_boxes and not any(b[3] < top - 1 and b[0] < x1 and b[2] > x0 for b in body_boxes[block.page])
        previous = blocks[-1] if blocks else None
        if small and below_body and (_NOTE_MARKER.match(text) or (previous and previous.kind is BlockKind.NOTE and previous.page == block.page)):
            kind = BlockKind.NOTE
        elif _CAPTION.match(text):
            kind = BlockKind.CAPTION
        elif _BULLET.match(text) and len(block.lines) <= 12:
            kind = BlockKind.LIST_ITEM
            text = _SYMBOL_BULLET.sub("", text)
        else:
            kind = BlockKind.PARAGRAPH
        blocks.append(_block(block, kind, text))
    return blocks


def _label_style(label: str) -> str:
    """How a run-in label is set: its closing mark and whether it is in capitals."""
    return label[-1] + ("upper" if label.isupper() else "mixed")


def _follows_heading(blocks: list[Block]) -> bool:
    """Whether the next block comes right under a heading (a running head may sit between)."""
    recent = blocks[-2:]
    if recent and recent[-1].kind is BlockKind.HEADING:
        return not recent[-1].attrs.get("run_in")
    return len(recent) == 2 and recent[0].kind is BlockKind.HEADING and not recent[0].attrs.get("run_in") and len(recent[1].text) < 100


def _metadata_from_pages(doc: Document, found: list[PageBlock], first_page_figures: str) -> None:
    meta = doc.metadata
    first_pages = [b for b in doc.blocks if b.page is not None and b.page <= 2]
    first_page = [b for b in first_pages if b.page == 1] or first_pages
    # The Info title, when page 1 prints it, says which block is the title (the largest text
    # may be a document type: "THÈSE DE DOCTORAT"); a title ending in ":" goes on in the next block.
    title_block = _block_starting_with(first_page, meta.title) if meta.title else None
    if title_block is None:
        title_block = _title_block(first_page)
    if title_block is not None:
        title_block.attrs["title"] = "1"
        title_block.kind = BlockKind.HEADING
        title_block.level = 1
        title = title_block.text.rstrip("*∗†‡ ")
        following = first_page[first_page.index(title_block) + 1 :][:1]
        if title.endswith(":") and following and following[0].kind is BlockKind.HEADING:
            title = f"{title} {following[0].text}"
        # An Info title that page 1 does not print is an earlier version's or the file's.
        meta.title = title
        # The names printed under the title win over the Info Author, which often holds only
        # the first author or the account that made the file.
        at = first_page.index(title_block)
        lines_of = {tuple(round(v, 1) for v in b.bbox): b.lines for b in found if b.page == title_block.page}
        front = [_front_block(b, lines_of) for b in first_page]
        meta.authors = pdf_metadata.authors_from(front[:at], front[at + 1 :]) or meta.authors
    last_pages = [b for b in doc.blocks if b.page is not None and b.page >= (meta.page_count or 1) - 1]
    # Identifiers of the document itself are printed at its front or back, not in its references.
    own = [b.text for b in first_pages + last_pages if b.kind is not BlockKind.REFERENCE]
    pdf_metadata.identifiers_from_text("\n".join(own), meta)
    # Its DOI: in the first page's banner or a running head or foot first (the first page's
    # text may cite another DOI: an erratum's article), then anywhere on the first page, then
    # a block of the last page that starts with it ("doi:10.1186/... Cite this article as");
    # never elsewhere in the last pages, where the references' DOIs are.
    page_furniture = [b.text for b in doc.blocks if b.attrs.get("page_edge") and b.kind is not BlockKind.REFERENCE]
    front = [b.text for b in first_page if b.kind is not BlockKind.REFERENCE]
    last_page = [b.text for b in doc.blocks if b.page == meta.page_count and pdf_metadata.starts_with_doi(b.text)]
    meta.doi = meta.doi or pdf_metadata.doi_from_text("\n".join([first_page_figures, *page_furniture, *front, *last_page]))
    meta.series = meta.series or pdf_metadata.series_number([line.text for b in found if b.page == 1 for line in b.lines])
    front_and_back = [b.text for b in first_pages + last_pages if len(b.text) < 400]
    # The date: one printed on the first page (a masthead, "Published: ..."), else the year
    # of the running heads there ("Rev Saúde Pública 2011;45(5)"), else a date elsewhere at
    # the front or back; never from the references, nor from a table of dates.
    own_short = [b.text for b in first_pages + last_pages if len(b.text) < 150 and b.kind is not BlockKind.REFERENCE]
    page_one = [b.text for b in first_page if len(b.text) < 150 and b.kind is not BlockKind.REFERENCE]
    heads = [b.text for b in first_pages if b.attrs.get("page_edge") and len(b.text) < 150]
    meta.published_date = (
        pdf_metadata.printed_date(page_one)
        or pdf_metadata.printed_year(heads)
        or pdf_metadata.printed_date(own_short)
        or pdf_metadata.printed_year(page_one)
        or pdf_metadata.fallback_date(meta)
    )
    meta.publisher = meta.publisher or pdf_metadata.publisher_from(front_and_back)


def _front_block(block: Block, lines_of: dict[tuple[float, ...], list[Line]]) -> pdf_metadata.FrontBlock:
    """A title-page block as the author finder reads it: style, and lines cut at wide gaps."""
    lines = lines_of.get(tuple(block.bbox or ()))
    spans = [line.spans or (line.text,) for line in lines] if lines else [(block.text,)]
    return (round(block.font_size or 0, 1), block.bold), spans


def _squeeze(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def _block_starting_with(blocks: list[Block], title: str) -> Block | None:
    wanted = _squeeze(title)
    return next((b for b in blocks if wanted and _squeeze(b.text).startswith(wanted) and len(b.text) < 300), None)


def _title_block(blocks: list[Block]) -> Block | None:
    """The largest text in the top part of the first page, preferring more than two words."""
    candidates = [b for b in blocks if b.font_size and b.bbox and len(b.text) >= 4 and len(b.text) < 300]
    if not candidates:
        return None
    top = max(b.bbox[3] for b in candidates)
    bottom = min(b.bbox[1] for b in candidates)
    upper = [b for b in candidates if b.bbox[3] >= bottom + 0.35 * (top - bottom)] or candidates
    worded = [b for b in upper if len(b.text.split()) >= 3] or upper
    best = max(worded, key=lambda b: b.font_size or 0)
    body = Counter(round(b.font_size or 0) for b in blocks).most_common(1)[0][0]
    return best if (best.font_size or 0) > body * 1.1 else None
