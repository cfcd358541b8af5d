"""One page of pdfminer layout to lines and paragraphs in reading order.

pdfminer groups characters into lines and lines into text boxes; we keep its lines and
boxes but order the boxes ourselves (bands cut by full-width boxes, columns found from the
boxes' horizontal extents), which lets us turn off its hierarchical box grouping
(``boxes_flow=None``): that grouping grows with the square of the boxes on a page and
interleaves columns when side headings or margin notes stand beside the text.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from pdfminer.layout import LAParams, LTAnno, LTChar, LTFigure, LTLayoutContainer, LTPage, LTTextBox, LTTextLine

from parsers.pdf_repair import close_letter_spacing, join_spacing_accents

# char_margin 2.0 / word_margin 0.1: pdfminer's defaults; a smaller char_margin breaks the
# lines of justified text at its wide word spaces.
# line_margin 0.4 (default 0.5): keeps a heading and the paragraph under it in separate boxes.
# boxes_flow None: we order boxes by columns (see above). detect_vertical off: rotated
# margin text (arXiv stamps, licences) would otherwise become boxes in the reading flow.
LAYOUT_PARAMS = LAParams(char_margin=2.0, word_margin=0.1, line_margin=0.4, boxes_flow=None, detect_vertical=False)
# The same for a page drawn as one form XObject (see _text_boxes), and the forms inside it.
_STAMPED_PAGE_PARAMS = LAParams(char_margin=2.0, word_margin=0.1, line_margin=0.4, boxes_flow=None, detect_vertical=False, all_texts=True)
_STAMPED_PAGE_SHARE = 0.4  # of the page's area: a form this large is a page drawn into the page

_ITALIC_FONT = re.compile(r"italic|oblique|[,.-]it?$", re.I)
_BOLD_FONT = re.compile(r"bold|black|heavy|demi|[,.-]b$|[,.-]bd$", re.I)
_CID = re.compile(r"\(cid:\d+\)")
_MARKER_GLYPHS = frozenset("0123456789,*∗†‡§¶IVX")
_PRESENTATION_FORMS = range(0xFB00, 0xFB07)
_WIDE_GAP = 1.0  # in ems: wider than any word space of justified text
# Four one-glyph words in a row: maybe letter-spaced text (close_letter_spacing decides).
_LONE_GLYPHS = re.compile(r"(?:^| )(?:\S ){3}\S(?= |$)")  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ
_TERMINAL = (".", "!", "?", ":", ";", '."', ".”", "?”", "!”", ".)")
_BULLET = re.compile(r"^(?:[•●▪■◦○∙·‣⁃–—*-]|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)]|\(?[ivx]{1,4}\))\s")


@dataclass
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool
    italic: bool = False
    lead_label: str = ""  # a bold or larger run starting a line set in another style (run-in heading)
    chars: int = 0
    cid_glyphs: int = 0
    # The line's text cut at gaps wider than a letter space plus an em (names set side by
    # side on a title page: "Ahmed El Kholy    Nizar Habash"); empty when it has none.
    spans: tuple[str, ...] = ()


@dataclass
class PageBlock:
    """A paragraph-sized group of lines on one page, before it gets a kind."""

    lines: list[Line]
    page: int
    box_x0: float
    box_x1: float
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (
            min(line.x0 for line in self.lines),
            min(line.y0 for line in self.lines),
            max(line.x1 for line in self.lines),
            max(line.y1 for line in self.lines),
        )

    @property
    def size(self) -> float:
        return statistics.median(line.size for line in self.lines)

    @property
    def bold(self) -> bool:
        bold_chars = sum(line.chars for line in self.lines if line.bold)
        return bold_chars * 2 > sum(line.chars for line in self.lines)

    @property
    def chars(self) -> int:
        return sum(line.chars for line in self.lines)


def _is_ligature(glyph: str) -> bool:
    return (len(glyph) == 1 and ord(glyph) in _PRESENTATION_FORMS) or glyph in ("fi", "fl", "ff", "ffi", "ffl", "ft", "st")


@lru_cache(maxsize=1024)
def _face(fontname: str) -> tuple[bool, bool]:
    """(bold, italic) of a font, by its name (without the subset prefix "ABCDEF+")."""
    name = fontname.split("+")[-1]
    return bool(_BOLD_FONT.search(name)), bool(_ITALIC_FONT.search(name))


def _drawn_near(places: list[tuple[float, float]], x0: float, y0: float) -> bool:
    for x, y in places:
        if abs(x0 - x) < 1.0 and abs(y0 - y) < 1.0:
            return True
    return False


def read_lines(line: LTTextLine) -> list[Line]:
    """The line, cut where a wide gap coincides with a change of face: pdfminer joins a side
    heading ("ABSTRACT") to the text line of the next column when they share a baseline."""
    items = list(line)
    chars = [item for item in items if isinstance(item, LTChar)]
    cuts = [0]
    spaced: set[int] = set()  # ids of the glyphs after a wide gap that cuts no segment
    for left, right in zip(chars, chars[1:]):
        gap = right.x0 - left.x1
        # Most gaps are word spaces or less: the cheap test first, this runs for every glyph.
        if gap > _WIDE_GAP * left.size:
            if gap > 1.5 * left.size and gap > 1.5 * right.size and (_face(left.fontname)[0] != _face(right.fontname)[0] or abs(left.size - right.size) > 1):
                cuts.append(items.index(right, cuts[-1]))
            else:
                spaced.add(id(right))
    cuts.append(len(items))
    segments = [items[start:end] for start, end in zip(cuts, cuts[1:])]
    return [found for found in (_read_segment(segment, line.y0, line.y1, spaced) for segment in segments) if found]


def _read_segment(items: list, y0: float, y1: float, spaced: set[int]) -> Line | None:
    """A line's text without overprinted duplicates, (cid:N) glyphs or ligature glyphs."""
    parts: list[str] = []
    drawn: dict[str, list[tuple[float, float]]] = {}  # glyph -> where it was already drawn
    sizes: list[float] = []
    bold_flags: list[bool] = []
    italic_glyphs = 0
    cid_glyphs = 0
    previous: LTChar | None = None
    first_glyph: LTChar | None = None
    pending_space = False
    span_starts: list[int] = []  # where in ``parts`` a wide gap falls
    spaces: list[tuple[int, float]] = []  # where in ``parts`` a space was inferred, and its gap in ems
    glyph_sizes = [item.size for item in items if isinstance(item, LTChar)]
    if not glyph_sizes:
        return None
    typical = statistics.median(glyph_sizes)
    for item in items:
        if isinstance(item, LTChar):
            glyph = item.get_text()
            # Note and affiliation markers set small and raised ("México¹", "Zohdy1,4*") are
            # dropped inside a line; at its start they number a footnote and stay.
            if parts and glyph in _MARKER_GLYPHS and item.size < 0.8 * typical and item.y0 > y0 + 0.2 * typical:
                continue
            # Bold by overprinting draws the same glyph again at (almost) the same place.
            x0, gy0 = item.x0, item.y0
            places = drawn.get(glyph)
            if places is None:
                drawn[glyph] = [(x0, gy0)]  # first of its kind: nothing to compare (most glyphs)
            elif _drawn_near(places, x0, gy0):
                continue
            else:
                places.append((x0, gy0))
            if glyph == " ":
                # A space glyph drawn inside the previous glyph's box (after a ligature
                # whose advance is wrong: "cientíﬁ ca") separates nothing.
                overlapping = previous is not None and _is_ligature(previous.get_text()) and item.x0 < previous.x1 - 0.5 * item.width
                pending_space = pending_space or not overlapping
                continue
            if glyph.startswith("(") and _CID.fullmatch(glyph):
                cid_glyphs += 1  # a glyph without Unicode mapping: nothing to say for it
                continue
            if pending_space and parts:
                # A space pdfminer inferred right after a ligature glyph is usually its
                # wrong advance width ("cientíﬁ ca"), not a word break.
                ligature_gap = previous is not None and _is_ligature(previous.get_text())
                if not (ligature_gap and item.x0 - previous.x1 < 0.2 * item.size and glyph.islower()):
                    parts.append(" ")
                    if previous is not None:
                        spaces.append((len(parts) - 1, (item.x0 - previous.x1) / item.size))
            pending_space = False
            if spaced and id(item) in spaced and parts:
                span_starts.append(len(parts))
            if len(glyph) == 1 and ord(glyph) in _PRESENTATION_FORMS:
                glyph = unicodedata.normalize("NFKC", glyph)
            parts.append(glyph)
            sizes.append(item.size)
            bold, italic = _face(item.fontname)
            bold_flags.append(bold)
            italic_glyphs += italic
            previous = item
            first_glyph = first_glyph or item
        elif isinstance(item, LTAnno) and item.get_text() == " ":
            pending_space = True
    joined = "".join(parts)
    if _LONE_GLYPHS.search(joined):  # the cheap test first: this runs for every line
        close_letter_spacing(parts, spaces)
        joined = "".join(parts)
    text = join_spacing_accents(" ".join(joined.split()))
    if not text:
        return None
    bold_share = sum(bold_flags) / len(bold_flags)
    line_size = statistics.median(sizes)
    styles = [(bold, size > line_size * 1.1) for bold, size in zip(bold_flags, sizes)]
    lead_label = ""
    if styles[0] != (False, False) and styles.count(styles[0]) * 2 < len(styles):
        run = next(i for i, style in enumerate(styles) if style != styles[0])
        glyphs_seen = 0
        for index, part in enumerate(parts):
            if part != " ":
                glyphs_seen += 1
            if glyphs_seen > run:
                lead_label = join_spacing_accents(" ".join("".join(parts[:index]).split()))
                break
    return Line(
        text=text,
        x0=first_glyph.x0,
        y0=y0,
        x1=previous.x1,
        y1=y1,
        size=round(line_size, 1),
        bold=bold_share > 0.6,
        italic=italic_glyphs > 0.6 * len(sizes),
        lead_label=lead_label,
        chars=len(sizes),
        cid_glyphs=cid_glyphs,
        spans=_spans(parts, span_starts) if span_starts else (),
    )


def _spans(parts: list[str], starts: list[int]) -> tuple[str, ...]:
    bounds = [0, *starts, len(parts)]
    pieces = (join_spacing_accents(" ".join("".join(parts[a:b]).split())) for a, b in zip(bounds, bounds[1:]))
    return tuple(piece for piece in pieces if piece)


def _columns(boxes: list[tuple[LTTextBox, list[Line]]]) -> list[list[tuple[LTTextBox, list[Line]]]]:
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
    columns: list[list[tuple[LTTextBox, list[Line]]]] = [[] for _ in spans]
    for entry in boxes:
        centre = (entry[0].x0 + entry[0].x1) / 2
        nearest = min(range(len(spans)), key=lambda i: 0 if spans[i][0] <= centre <= spans[i][1] else min(abs(centre - spans[i][0]), abs(centre - spans[i][1])))
        columns[nearest].append(entry)
    return [sorted(column, key=lambda e: -e[0].y1) for column in columns if column]


def _heading_of(band: list[tuple[LTTextBox, list[Line]]], wide: LTTextBox, line_height: float) -> tuple[LTTextBox, list[Line]] | None:
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


def _reading_order(boxes: list[tuple[LTTextBox, list[Line]]]) -> list[tuple[LTTextBox, list[Line]]]:
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
    ordered: list[tuple[LTTextBox, list[Line]]] = []
    band: list[tuple[LTTextBox, list[Line]]] = []
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


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(_TERMINAL)


def _starts_new_paragraph(previous: Line, line: Line, following: Line | None, box_x0: float, box_x1: float) -> bool:
    if abs(previous.size - line.size) > 0.6 or previous.bold != line.bold:
        return True
    if _BULLET.match(line.text):
        return True
    if line.lead_label and line.lead_label.endswith((".", ":")):
        return True
    gap = previous.y0 - line.y1
    if gap > 0.9 * line.size:
        return True
    # A first-line indent, not a hanging indent: the line after it goes back to the margin.
    indented = line.x0 > box_x0 + 0.9 * line.size and (following is None or following.x0 < line.x0 - 0.5 * line.size)
    short_previous = previous.x1 < box_x1 - 2.5 * line.size
    if _ends_sentence(previous.text) and (indented or short_previous):
        return True
    return False


def page_blocks(layout: LTPage, page_number: int) -> list[PageBlock]:
    """The page's paragraphs in reading order (not yet joined across columns or pages)."""
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
    blocks: list[PageBlock] = []
    for box, lines in _reading_order(boxes):
        current = PageBlock([lines[0]], page_number, box.x0, box.x1)
        for index in range(1, len(lines)):
            previous, line = lines[index - 1], lines[index]
            following = lines[index + 1] if index + 1 < len(lines) else None
            if _starts_new_paragraph(previous, line, following, box.x0, box.x1):
                blocks.append(current)
                current = PageBlock([], page_number, box.x0, box.x1)
            current.lines.append(line)
        blocks.append(current)
    for block in blocks:
        # Where running heads and page numbers live: the outer 8% of the page.
        _, y0, _, y1 = block.bbox
        if y1 > 0.92 * layout.height or y0 < 0.08 * layout.height:
            block.attrs["page_edge"] = "1"
    return _join_column_breaks(blocks)


def _continues(first: PageBlock, second: PageBlock) -> bool:
    """Whether ``second`` is the rest of the paragraph ``first``, cut by a column break."""
    last, nxt = first.lines[-1], second.lines[0]
    if abs(last.size - nxt.size) > 0.6 or last.bold != nxt.bold or last.bold:
        return False
    if _BULLET.match(nxt.text) or nxt.lead_label:
        return False
    if not _ends_sentence(last.text) or last.text.endswith("-"):
        return nxt.text[:1].isalnum() or nxt.text[:1] in "([“\"'‘"
    # Ends a sentence: a continuation only when the last line is full and the next is not indented.
    full = last.x1 >= first.box_x1 - 1.5 * last.size and len(first.lines) > 1
    not_indented = len(second.lines) > 1 and nxt.x0 <= min(l.x0 for l in second.lines[1:]) + 0.5 * nxt.size
    return full and not_indented and nxt.text[:1].isupper()


def _join_column_breaks(blocks: list[PageBlock]) -> list[PageBlock]:
    joined: list[PageBlock] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        other_column = previous is not None and (block.box_x0 >= previous.box_x1 - 2 or block.bbox[1] > previous.bbox[3])
        # A one-line block without closing punctuation is more often a running head than
        # the first part of a paragraph.
        mid_sentence = previous is not None and len(previous.lines) > 1 and not _ends_sentence(previous.lines[-1].text)
        # A lone unpunctuated line at a column top is likely a running head: the boilerplate
        # rules remove it first and join the paragraph around it then.
        lone_line = len(block.lines) == 1 and not _ends_sentence(block.lines[0].text)
        if previous is not None and (other_column or mid_sentence) and not lone_line and _continues(previous, block):
            previous.lines.extend(block.lines)
            previous.box_x1 = max(previous.box_x1, block.box_x1)
        else:
            joined.append(block)
    return joined


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
