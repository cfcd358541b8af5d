"""pdfminer's text lines to ours: the glyphs read as a reader sees them.

Overprinted duplicates, unmapped (cid:N) glyphs, raised note markers and the wrong advance
of ligature glyphs are dropped; accents drawn apart and letter-spacing are repaired
(``repair``); a line is cut where a side heading shares a baseline with the next column.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from functools import lru_cache

from pdfminer.layout import LTAnno, LTChar, LTTextLine

from parsers.pdf.model import Line
from parsers.pdf.repair import close_letter_spacing, join_spacing_accents

_ITALIC_FONT = re.compile(r"italic|oblique|[,.-]it?$", re.I)
_BOLD_FONT = re.compile(r"bold|black|heavy|demi|[,.-]b$|[,.-]bd$", re.I)
_CID = re.compile(r"\(cid:\d+\)")
_MARKER_GLYPHS = frozenset("0123456789,*∗†‡§¶IVX")
_PRESENTATION_FORMS = frozenset(map(chr, range(0xFB00, 0xFB07)))  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ
# A ligature glyph: a presentation form, or the letters a font's ToUnicode map spells it with.
_LIGATURES = _PRESENTATION_FORMS | {"fi", "fl", "ff", "ffi", "ffl", "ft", "st"}
_WIDE_GAP = 1.0  # in ems: wider than any word space of justified text
# Four one-glyph words in a row: maybe letter-spaced text (close_letter_spacing decides).
_LONE_GLYPHS = re.compile(r"(?:^| )(?:\S ){3}\S(?= |$)")


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
    cuts = [0]
    spaced: set[int] = set()  # ids of the glyphs after a wide gap that cuts no segment
    left: LTChar | None = None
    for index, right in enumerate(items):
        if not isinstance(right, LTChar):
            continue
        # Most gaps are word spaces or less: the cheap test first, this runs for every glyph.
        if left is not None and right.x0 - left.x1 > _WIDE_GAP * left.size:
            gap = right.x0 - left.x1
            if gap > 1.5 * left.size and gap > 1.5 * right.size and (_face(left.fontname)[0] != _face(right.fontname)[0] or abs(left.size - right.size) > 1):
                cuts.append(index)
            else:
                spaced.add(id(right))
        left = right
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
    typical = 0.0  # the segment's median glyph size, once a marker glyph needs it
    for item in items:
        if isinstance(item, LTChar):
            glyph = item.get_text()
            # Note and affiliation markers set small and raised ("México¹", "Zohdy1,4*") are
            # dropped inside a line; at its start they number a footnote and stay.
            if parts and glyph in _MARKER_GLYPHS:
                typical = typical or statistics.median(i.size for i in items if isinstance(i, LTChar))
                if item.size < 0.8 * typical and item.y0 > y0 + 0.2 * typical:
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
                overlapping = previous is not None and previous.get_text() in _LIGATURES and item.x0 < previous.x1 - 0.5 * item.width
                pending_space = pending_space or not overlapping
                continue
            if glyph.startswith("(") and _CID.fullmatch(glyph):
                cid_glyphs += 1  # a glyph without Unicode mapping: nothing to say for it
                continue
            if pending_space and parts:
                # A space pdfminer inferred right after a ligature glyph is usually its
                # wrong advance width ("cientíﬁ ca"), not a word break.
                ligature_gap = previous is not None and previous.get_text() in _LIGATURES
                if not (ligature_gap and item.x0 - previous.x1 < 0.2 * item.size and glyph.islower()):
                    parts.append(" ")
                    if previous is not None and item.size > 0:  # a glyph set at size 0 has no em to measure in
                        spaces.append((len(parts) - 1, (item.x0 - previous.x1) / item.size))
            pending_space = False
            if spaced and id(item) in spaced and parts:
                span_starts.append(len(parts))
            if glyph in _PRESENTATION_FORMS:
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
    lead_label = ""
    # Only a line that starts bold or larger may start with a label (most lines do not).
    styles = [(bold, size > line_size * 1.1) for bold, size in zip(bold_flags, sizes)] if bold_flags[0] or sizes[0] > line_size * 1.1 else ()
    if styles and styles.count(styles[0]) * 2 < len(styles):
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

