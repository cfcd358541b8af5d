"""Step 2, layout: each page through pdfminer's layout analysis, its text boxes read in order.

pdfminer groups characters into lines and lines into text boxes; we keep its lines and
boxes but order the boxes ourselves (bands cut by full-width boxes, columns found from the
boxes' horizontal extents), which lets us turn off its hierarchical box grouping
(``boxes_flow=None``): that grouping grows with the square of the boxes on a page and
interleaves columns when side headings or margin notes stand beside the text.

Glyphs and lines are pdfminer's, built here with less work where the text is unrotated
(``BoundedAggregator.render_string_horizontal``, ``_TextPage``): the same objects, field by
field (tests/test_pdf_parser.py compares the two).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Iterator
from operator import attrgetter
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import (
    LAParams,
    LTAnno,
    LTChar,
    LTComponent,
    LTFigure,
    LTLayoutContainer,
    LTPage,
    LTTextBox,
    LTTextLine,
    LTTextLineHorizontal,
)
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFResourceManager, PDFTextState
from pdfminer.pdfpage import PDFPage
from pdfminer.utils import INF, Matrix, Point, apply_matrix_rect

from docpipe.document import RejectedInput
from docpipe.reasons import RejectReason
from parsers.pdf.lines import read_lines
from parsers.pdf.model import Box, Line

# char_margin 2.0 / word_margin 0.1: pdfminer's defaults; a smaller char_margin breaks the
# lines of justified text at its wide word spaces.
# line_margin 0.4 (default 0.5): keeps a heading and the paragraph under it in separate boxes.
# boxes_flow None: we order boxes by columns (see above). detect_vertical off: rotated
# margin text (arXiv stamps, licences) would otherwise become boxes in the reading flow.
LAYOUT_PARAMS = LAParams(char_margin=2.0, word_margin=0.1, line_margin=0.4, boxes_flow=None, detect_vertical=False)
# The same for a page drawn as one form XObject (see _text_boxes), and the forms inside it.
_STAMPED_PAGE_PARAMS = LAParams(char_margin=2.0, word_margin=0.1, line_margin=0.4, boxes_flow=None, detect_vertical=False, all_texts=True)
_STAMPED_PAGE_SHARE = 0.4  # of the page's area: a form this large is a page drawn into the page


class BoundedAggregator(PDFPageAggregator):
    """pdfminer's aggregator for text only, refusing a page with an absurd number of glyphs.

    Like pdfminer's own TextConverter it records no drawings or images: paths and images
    cost memory and time in the layout analysis and no rule here reads them.
    """

    def __init__(self, resources: PDFResourceManager, max_glyphs: int) -> None:
        super().__init__(resources, laparams=LAYOUT_PARAMS)
        self.max_glyphs = max_glyphs
        self.glyphs = 0
        # Each font's codes met so far: their text and advance width.
        self._glyph_codes: dict[PDFFont, dict[int, tuple[str, float]]] = {}

    def begin_page(self, page: PDFPage, ctm: Matrix) -> None:
        self.glyphs = 0
        # pdfminer's begin_page, with our page: the same layout analysis, less work per glyph.
        x0, y0, x1, y1 = apply_matrix_rect(ctm, page.mediabox)
        self.cur_item = _TextPage(self.pageno, (0, 0, abs(x0 - x1), abs(y0 - y1)))

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

    def render_string_horizontal(
        self,
        seq: list,
        matrix: Matrix,
        pos: Point,
        font: PDFFont,
        fontsize: float,
        scaling: float,
        charspace: float,
        wordspace: float,
        rise: float,
        dxscale: float,
        ncs: Any,
        graphicstate: Any,
    ) -> Point:
        """pdfminer's own loop over a string's glyphs, making the same LTChars with less work.

        Text drawn unrotated (most of it) needs neither pdfminer's generic rectangle transform
        (four corners) nor its chain of constructors nor a method call per glyph: its glyphs
        share their baseline and height, and a font maps a code to the same text and advance
        every time. Rotated or skewed text goes to pdfminer.
        """
        a, b, c, d, e, f = matrix
        if b or c:
            return super().render_string_horizontal(
                seq, matrix, pos, font, fontsize, scaling, charspace, wordspace, rise, dxscale, ncs, graphicstate
            )
        x, y = pos
        known = self._glyph_codes.get(font)
        if known is None:
            known = self._glyph_codes[font] = {}
        bottom = font.get_descent() * fontsize + rise
        # pdfminer's box (0, bottom, adv, bottom + fontsize) through the glyph's matrix
        # (the string's, moved to the pen), with its arithmetic: with b = c = 0 only the left
        # and right edges move along the string.
        origin_y = x * b + y * d + f
        low, high = b * 0 + d * bottom + origin_y, b * 0 + d * (bottom + fontsize) + origin_y
        y0, y1 = min(low, high), max(low, high)
        upright = a * d * scaling > 0
        fontname = font.fontname
        add = self.cur_item.add
        needcharspace = False
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    if needcharspace:
                        x += charspace
                    code = known.get(cid)
                    if code is None:
                        code = known[cid] = (self._unicode(font, cid), font.char_width(cid))
                    adv = code[1] * fontsize * scaling
                    origin_x = x * a + y * c + e
                    left, right = a * 0 + c * bottom + origin_x, a * adv + c * bottom + origin_x
                    glyph = LTChar.__new__(LTChar)
                    glyph._text = code[0]
                    glyph.matrix = (a, b, c, d, origin_x, origin_y)
                    glyph.fontname = fontname
                    glyph.ncs = ncs
                    glyph.graphicstate = graphicstate
                    glyph.adv = adv
                    glyph.upright = upright
                    glyph.set_bbox((min(left, right), y0, max(left, right), y1))
                    glyph.size = glyph.height
                    add(glyph)
                    x += adv
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
            # Any other operand pdfminer skips (with a warning, below the level we log).
        return (x, y)

    def _unicode(self, font: PDFFont, cid: int) -> str:
        try:
            return font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            return self.handle_undefined_char(font, cid)


_X0, _Y0, _X1, _Y1 = attrgetter("x0"), attrgetter("y0"), attrgetter("x1"), attrgetter("y1")


class _TextLine(LTTextLineHorizontal):
    """pdfminer's horizontal line, minus a method call per glyph where its answer is known."""

    def analyze(self, laparams: LAParams) -> None:
        # pdfminer's asks each glyph to analyze itself (which does nothing) first.
        self._objs.append(LTAnno("\n"))

    def is_empty(self) -> bool:
        # Its glyphs and spaces (all the line holds) have their text in ``_text``.
        return self.width <= 0 or self.height <= 0 or "".join([item._text for item in self._objs]).isspace()


def _text_line(glyphs: list[LTChar], word_margin: float) -> _TextLine:
    """pdfminer's line of these glyphs, as adding them one by one builds it: a space between
    two glyphs further apart than the word margin, the box around them all."""
    line = _TextLine(word_margin)
    items: list[LTChar | LTAnno] = []
    right = INF
    for glyph in glyphs:
        if word_margin and right < glyph.x0 - word_margin * max(glyph.width, glyph.height):
            items.append(LTAnno(" "))
        items.append(glyph)
        right = glyph.x1
    line._objs = items
    line._x1 = right
    # From pdfminer's empty box, as it grows it (its bounds are INF, and NaN never wins).
    line.set_bbox((min(INF, *map(_X0, glyphs)), min(INF, *map(_Y0, glyphs)), max(-INF, *map(_X1, glyphs)), max(-INF, *map(_Y1, glyphs))))
    return line


class _TextPage(LTPage):
    """A page whose glyphs pdfminer groups into lines as it does, with less work per glyph.

    pdfminer's ``group_objects`` calls four geometry methods per pair of neighbouring glyphs,
    then adds each glyph to its line one call at a time (its box grown each time): three
    quarters of the layout analysis, by sampling the devset's parse. With vertical text off (``LAYOUT_PARAMS``) the same test and the same
    lines take a few comparisons. Anything else is pdfminer's own code.
    """

    def group_objects(self, laparams: LAParams, objs: Iterable[LTComponent]) -> Iterator[LTTextLine]:
        if laparams.detect_vertical:
            yield from super().group_objects(laparams, objs)
            return
        overlap, char_margin, word_margin = laparams.line_overlap, laparams.char_margin, laparams.word_margin
        previous: LTComponent | None = None
        run: list[LTChar] | None = None  # the glyphs of the line being gathered
        for glyph in objs:
            if previous is not None:
                # pdfminer's halign: the two overlap vertically by more than line_overlap of
                # the smaller height, and lie closer than char_margin of the wider width.
                a0, b0, a1, b1 = previous.bbox
                c0, d0, c1, d1 = glyph.bbox
                aligned = False
                if d0 <= b1 and b0 <= d1 and min(previous.height, glyph.height) * overlap < min(abs(b0 - d1), abs(b1 - d0)):
                    distance = 0 if c0 <= a1 and a0 <= c1 else min(abs(a0 - c1), abs(a1 - c0))
                    aligned = distance < max(previous.width, glyph.width) * char_margin
                if aligned and run is not None:
                    run.append(glyph)
                elif run is not None:
                    yield _text_line(run, word_margin)
                    run = None
                elif aligned:
                    run = [previous, glyph]
                else:
                    yield _text_line([previous], word_margin)
            previous = glyph
        if previous is not None:
            yield _text_line(run or [previous], word_margin)


def page_boxes(layout: LTPage) -> list[Box]:
    """The page's text boxes with their lines, in reading order."""
    boxes = []
    for item in _text_boxes(layout, layout.width * layout.height):
        lines: list[Line] = []
        for child in item:
            if isinstance(child, LTTextLine):
                for line in read_lines(child):
                    # Overprinted with an offset, pdfminer makes one line per strike.
                    if not any(line.text == kept.text and abs(line.y0 - kept.y0) < 1 and abs(line.x0 - kept.x0) < 2 for kept in lines[-3:]):
                        lines.append(line)
        if lines:
            boxes.append((item, lines))
    return _reading_order(boxes)


def _columns(boxes: list[Box]) -> list[list[Box]]:
    """Columns left to right, each top to bottom.

    Columns are the runs of overlapping horizontal extents of the ordinary boxes; a box
    much wider than the others (a footer line, a table caption) would bridge two columns,
    so it only joins the column holding its centre.
    """
    if not boxes:
        return []
    typical = statistics.median(box.width for box, _ in boxes)
    spans: list[list[float]] = []
    for box, _ in sorted(boxes, key=lambda e: e[0].x0):
        if box.width > 1.5 * typical:
            continue
        if spans and box.x0 < spans[-1][1] - 2:
            spans[-1][1] = max(spans[-1][1], box.x1)
        else:
            spans.append([box.x0, box.x1])
    if not spans:
        spans = [[min(b.x0 for b, _ in boxes), max(b.x1 for b, _ in boxes)]]
    columns: list[list[Box]] = [[] for _ in spans]
    for entry in boxes:
        centre = (entry[0].x0 + entry[0].x1) / 2
        nearest = min(range(len(spans)), key=lambda i: 0 if spans[i][0] <= centre <= spans[i][1] else min(abs(centre - spans[i][0]), abs(centre - spans[i][1])))
        columns[nearest].append(entry)
    return [sorted(column, key=lambda e: -e[0].y1) for column in columns if column]


def _heading_of(band: list[Box], wide: LTTextBox, line_height: float) -> Box | None:
    """The band's lowest box, if it heads the wide box under it rather than a column.

    It starts where the wide box starts, sits right above it and below everything else
    in the band ("Résumé" under a centred author line): read after the band, not as its
    first column.
    """
    lowest = min(band, key=lambda e: e[0].y0)
    box = lowest[0]
    heads = abs(box.x0 - wide.x0) <= 2 and 0 <= box.y0 - wide.y1 <= 2 * line_height
    alone = all(box.y1 < other.y0 for other, _ in band if other is not box)
    return lowest if heads and alone and len(band) > 1 else None


def _reading_order(boxes: list[Box]) -> list[Box]:
    """Bands top to bottom, columns left to right inside a band.

    A band ends at a box spanning most of the text width (a title, a full-width figure)
    or at a wide empty strip across the page (more than two lines high): a side heading
    then lands in the band of the text it stands beside. Ordinary paragraph gaps do not
    cut bands, or two columns whose gaps happen to line up would be read across.
    """
    if not boxes:
        return []
    left = min(box.x0 for box, _ in boxes)
    right = max(box.x1 for box, _ in boxes)
    wide_at = 0.6 * (right - left)
    line_height = statistics.median(line.y1 - line.y0 for _, lines in boxes for line in lines)
    ordered: list[Box] = []
    band: list[Box] = []
    band_bottom = float("inf")

    def flush() -> None:
        for column in _columns(band):
            ordered.extend(column)
        band.clear()

    for entry in sorted(boxes, key=lambda e: -e[0].y1):
        box = entry[0]
        wide = box.width >= wide_at
        if band and (wide or box.y1 < band_bottom - 2 * line_height):
            heading = _heading_of(band, box, line_height) if wide else None
            if heading is not None:
                band.remove(heading)
            flush()
            if heading is not None:
                ordered.append(heading)
            band_bottom = float("inf")
        band.append(entry)
        band_bottom = min(band_bottom, box.y0)
        if wide:
            flush()
            band_bottom = float("inf")
    flush()
    return ordered


def _text_boxes(container: LTPage | LTFigure, page_area: float) -> Iterator[LTTextBox]:
    """The text boxes of the page and of any form XObject drawn over much of it.

    Proceedings assembled from the authors' PDFs draw each original page as one form
    XObject: its text is the page's text. Smaller forms (a logo, a chart, a banner) stay out
    of the reading flow, as pdfminer's own text boxes leave them out.
    """
    for item in container:
        if isinstance(item, LTTextBox):
            yield item
        elif isinstance(item, LTFigure) and item.width * item.height >= _STAMPED_PAGE_SHARE * page_area:
            # pdfminer leaves a form's glyphs ungrouped: lay out only this one (all the
            # page's forms, logos and charts included, cost 10% more time).
            LTLayoutContainer.analyze(item, _STAMPED_PAGE_PARAMS)
            yield from _text_boxes(item, page_area)


def figure_text(layout: LTPage) -> str:
    """The text drawn inside the page's smaller form XObjects, one line per baseline.

    None of it is in the page's blocks (see ``_text_boxes``); journals set their banner
    there (DOI, article type, journal name), and only the DOI finder reads it.
    """
    page_area = layout.width * layout.height
    lines: list[str] = []
    previous: LTChar | None = None
    pending = [item for item in layout if isinstance(item, LTFigure) and item.width * item.height < _STAMPED_PAGE_SHARE * page_area]
    while pending:
        for item in pending.pop():
            if isinstance(item, LTFigure):
                pending.append(item)
            elif isinstance(item, LTChar):
                if previous is None or abs(item.y0 - previous.y0) > 0.5 * item.size or item.x0 < previous.x0:
                    lines.append("")
                elif item.x0 - previous.x1 > 0.25 * item.size:
                    lines[-1] += " "
                lines[-1] += item.get_text()
                previous = item
    return "\n".join(lines)
