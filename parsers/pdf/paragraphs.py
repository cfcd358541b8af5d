"""Steps 3 and 5, paragraphs: lines into paragraphs, and paragraphs cut by a break joined again.

Within a text box a paragraph ends where the style changes, a gap opens, a bullet or run-in
label starts, or a sentence ends before an indent or a short line (``split_paragraphs``).
A paragraph that a column break cut goes back together on its page (``join_column_breaks``);
one cut by a page break, or by furniture between its parts, once the boilerplate rules have
removed that furniture (``join_broken_paragraphs``, run by ``docpipe.boilerplate.layout``).
Lines join with a space, or across a line-end hyphen that the document's own vocabulary
says is not part of the word (``paragraph_text``).
"""

from __future__ import annotations

import re
from collections import Counter

from docpipe.document import Block, BlockKind, Document
from parsers.normalise import normalise_text
from parsers.pdf.model import Box, Line, PageBlock

_TERMINAL = (".", "!", "?", ":", ";", '."', ".”", "?”", "!”", ".)")
_BULLET = re.compile(r"^(?:[•●▪■◦○∙·‣⁃–—*-]|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)]|\(?[ivx]{1,4}\))\s")
# What may close a paragraph's last block once the blocks are on the document (a closing
# quote or bracket included): a block not ending so is open, its paragraph goes on.
_CLOSING = (".", "!", "?", ":", ";", "”", '"', ")")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# A line that ends in a hyphen after a letter, and the word that hyphen ends. Both are
# matched against the end of the text only: a paragraph is joined line by line, and
# searching the whole of it each time would cost the square of its length.
_LINE_END_HYPHEN = re.compile(r"[^\W\d_][-\u2010]$")
_HYPHENATED_HEAD = re.compile(r"([^\W\d_]+)[-\u2010]$")
_LEADING_WORD = re.compile(r"([^\W\d_]+)")
# Prefixes written with a hyphen even at a line end ("non-governmental", "self-help").
_HYPHEN_PREFIXES = frozenset({"non", "self", "ex", "well", "cross", "quasi"})


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


def split_paragraphs(boxes: list[Box], page_number: int) -> list[PageBlock]:
    """The page's text boxes, in reading order, cut into paragraphs (not yet joined across columns)."""
    blocks: list[PageBlock] = []
    for box, lines in boxes:
        current = PageBlock([lines[0]], page_number, box.x0, box.x1)
        for index in range(1, len(lines)):
            previous, line = lines[index - 1], lines[index]
            following = lines[index + 1] if index + 1 < len(lines) else None
            if _starts_new_paragraph(previous, line, following, box.x0, box.x1):
                blocks.append(current)
                current = PageBlock([], page_number, box.x0, box.x1)
            current.lines.append(line)
        blocks.append(current)
    return blocks


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


def join_column_breaks(blocks: list[PageBlock]) -> list[PageBlock]:
    """The page's paragraphs with those cut by a column break joined again."""
    kept: list[PageBlock] = []
    for block in blocks:
        previous = kept[-1] if kept else None
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
            kept.append(block)
    return kept


def vocabulary_of(lines: list[Line]) -> Counter[str]:
    """How often each word occurs in the document: it tells a compound's hyphen from a line-end one."""
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


def joined(text: str, more: str, vocabulary: Counter[str]) -> str:
    """Two lines of one paragraph: a space between, or a line-end hyphen resolved."""
    if text.endswith("\u00ad"):
        return text[:-1] + more  # a soft hyphen is a break opportunity, never a character
    if _LINE_END_HYPHEN.search(text, len(text) - 3):  # "$" may stand before a final newline
        return _join_hyphenated(text, more, vocabulary)
    return f"{text} {more}"


def paragraph_text(lines: list[Line], vocabulary: Counter[str]) -> str:
    text = lines[0].text
    for line in lines[1:]:
        text = joined(text, line.text, vocabulary)
    return normalise_text(text)


def _open_ended(block: Block) -> bool:
    text = block.text.rstrip()
    return not text.endswith(_CLOSING) or bool(re.search(r"[^\W\d_]-$", text))


def _joinable(first: Block, second: Block) -> bool:
    if first.kind is not BlockKind.PARAGRAPH or second.kind is not BlockKind.PARAGRAPH:
        return False
    if first.page is None or second.page is None or second.page - first.page not in (0, 1):
        return False
    if abs((first.font_size or 0) - (second.font_size or 0)) > 0.6 or first.bold != second.bold:
        return False
    start = second.text[:1]
    if _open_ended(first) and start.islower():
        return True  # mid-sentence, whatever was set between the parts (a pull quote, a figure)
    if second.page == first.page and first.bbox and second.bbox and not (second.bbox[0] >= first.bbox[2] - 2 or second.bbox[1] > first.bbox[3]):
        return False  # the same column: the parser already decided these are two paragraphs
    if _open_ended(first):
        return start.islower() or start.isdigit() or (not first.text.rstrip().endswith((",", ";")) and start.isupper() and first.attrs.get("full_last_line") == "1")
    return first.attrs.get("full_last_line") == "1" and second.attrs.get("indented_first") == "0" and start.isupper()


def join_broken_paragraphs(doc: Document) -> None:
    """Join the parts of paragraphs cut by a page or column break, in place.

    Run by the layout boilerplate rules once they have removed the furniture (running
    heads, page numbers) that stood between the parts.
    """
    indented = [b.attrs.get("indented_first") for b in doc.blocks if "indented_first" in b.attrs]
    indent_style = indented.count("1") * 3 >= len(indented) > 0
    kept: list[Block] = []
    for block in doc.blocks:
        # Footnotes and captions may sit between the two parts; the paragraph goes on after them.
        previous_index = len(kept) - 1
        while previous_index >= 0 and kept[previous_index].kind in (BlockKind.NOTE, BlockKind.CAPTION) and kept[previous_index].page in (block.page, (block.page or 0) - 1):
            previous_index -= 1
        previous = kept[previous_index] if previous_index >= 0 else None
        if previous is not None and _joinable(previous, block) and (indent_style or _open_ended(previous)):
            if re.search(r"[^\W\d_]-$", previous.text) and block.text[:1].islower():
                previous.text = previous.text[:-1] + block.text
            else:
                previous.text = f"{previous.text} {block.text}"
            previous.attrs["full_last_line"] = block.attrs.get("full_last_line", "0")
            continue
        kept.append(block)
    doc.blocks = kept
