"""Step 6, blocks: paragraphs to typed blocks (heading, paragraph, list item, note, reference, caption).

A heading is set larger than the body, or bold and short; a bold label starting a paragraph
("Abstract.", "Résumé.") is a heading of its own unless it opens each part of a structured
abstract. Under a Notes or References heading, boxes are split into their entries; small
text under the body of its column that starts with a marker is a footnote.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import replace

from docpipe.document import Block, BlockKind
from parsers.normalise import normalise_text
from parsers.pdf.model import Line, PageBlock
from parsers.pdf.paragraphs import joined, paragraph_text, vocabulary_of

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


def _body_size(lines: list[Line]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size * 2) / 2] += line.chars
    return sizes.most_common(1)[0][0]



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


def typed_blocks(found: list[PageBlock], lines: list[Line]) -> list[Block]:
    """The document's paragraphs (all pages, in reading order) as blocks with their kind."""
    found = _attach_labels(found)
    body = _body_size(lines)
    vocabulary = vocabulary_of(lines)
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
            text = paragraph_text(block.lines, vocabulary)
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
                text = paragraph_text(entry.lines, vocabulary)
                # The rest of an entry cut off by a column or page break goes back to it,
                # past a running head set in another size.
                same_set = [b for b in blocks[-3:] if b.kind is section and abs((b.font_size or 0) - entry.size) <= 0.3]
                numbered = any(starts.match(b.text) for b in same_set)
                if same_set and numbered and not starts.match(text):
                    owner = same_set[-1]
                    owner.text = joined(owner.text, text, vocabulary)
                else:
                    blocks.append(_block(entry, section, text))
            continue
        text = paragraph_text(block.lines, vocabulary)
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

