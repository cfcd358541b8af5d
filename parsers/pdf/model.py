"""The parser's picture of a page before it becomes blocks: lines, and the paragraphs they form.

Free of pdfminer: the paragraph joiner that runs after the boilerplate rules reads these too.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pdfminer.layout import LTTextBox


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


# A text box of a page, as pdfminer laid it out, and our lines of it.
Box = tuple["LTTextBox", list[Line]]
