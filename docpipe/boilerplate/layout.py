"""Page-layout boilerplate of paginated sources (PDF): what the page design repeats, not the text.

Each rule (family ``layout``) is declared once in ``LAYOUT_RULES`` with the step that finds
it; the steps run in the order of their rules' declarations, and docs/rules.md lists them.
Rules only remove: what a removed block says that the metadata stage wants (the cover's
acronym, the colophon's date) it reads from ``Document.removed`` (docpipe/metadata.py).

Afterwards a paragraph cut by a page or column break (now that the furniture between its
parts is gone) is joined back into one block.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from docpipe.document import Block, BlockKind, Document, Removal, SourceType
from parsers.normalise import normalise_date
from docpipe.rules import Family, Rule
from parsers.pdf.furniture import EDGE_SHARE  # the PDF path's one definition of a page's edge
from parsers.pdf.paragraphs import join_broken_paragraphs

_LONG_REPEATED_BLOCK = 400  # characters
_PAGE_NUMBER = re.compile(r"^(?:(?:page|p\.|página|pág\.)\s*)?[-–—|]?\s*(?:\d{1,4}|(?-i:[ivxlc]{1,6}))\s*[-–—|]?(?:\s*(?:of|de|sur|/)\s*\d{1,4})?$", re.I)
_CONTENT_KINDS = (BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.LIST_ITEM, BlockKind.CAPTION, BlockKind.QUOTE)
_WORD = re.compile(r"[^\W_]+")
_SHINGLE = 4
_TERMINAL = (".", "!", "?", ":", ";", "”", '"', ")")
_STEM = 4  # letters a word shares with its translation in a cognate language ("polic-y", "polit-ique")
ACRONYM = re.compile(r"^[A-ZÀ-Þ]{2,10}$")  # an organisation's logo set as a word
_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d{2}(?!\d)")
_SUBMISSION_ADVERT = re.compile(
    r"\bsubmit your (?:next )?manuscripts?\b|\bsoumettez votre (?:prochain )?manuscrit|\benv[ií]e su (?:pr[oó]ximo )?manuscrito"
    r"|\bsubmeta seu (?:pr[oó]ximo )?manuscrito",
    re.I,
)
# Colophon signals: identifiers, postal and contact details, copyright, funding.
_COLOPHON_STRONG = re.compile(r"\bISBN\b|\bISSN\b|mail agreement|poste[- ]publications|dépôt légal|legal deposit", re.I)
_COLOPHON_WEAK = (
    re.compile(r"\b(?:tel|tél|phone|fax|téléc)\b\.?\s*[:/]|\(\d{3}\)\s*\d{3}[-.\s]\d{4}", re.I),
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    re.compile(r"\bwww\.[\w-]+\.\w+|https?://", re.I),
    re.compile(r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b|\b\d{5}(?:-\d{4})?\b|\bsuite\b|\bbureau\b|\bstreet\b|\brue\b", re.I),
    re.compile(r"©|\bcopyright\b|all rights reserved|tous droits réservés", re.I),
    re.compile(r"made possible|support(?:ed)? (?:from|by)|funded by|financ[ée] par|with the support", re.I),
)


def remove_layout_boilerplate(doc: Document) -> Document:
    if doc.source.source_type is not SourceType.PDF or not doc.blocks:
        return doc
    for step in _STEPS:
        step(doc)
    join_broken_paragraphs(doc)
    return doc


def _drop(doc: Document, doomed: dict[int, LayoutRule]) -> None:
    """Remove the blocks at the given indexes, recording the rule for each."""
    kept = []
    for index, block in enumerate(doc.blocks):
        if index in doomed:
            doc.remove(block, doomed[index])
        else:
            kept.append(block)
    doc.blocks = kept


@lru_cache(maxsize=8192)
def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


@lru_cache(maxsize=8192)
def _pattern(text: str) -> str:
    """A block's text with digits and spacing neutralised: running heads differ only in those."""
    return re.sub(r"\d+", "", re.sub(r"\W+", "", _fold(text)))


def _edges(doc: Document) -> dict[int, str]:
    """Index of each block lying at its page's top or bottom edge -> "top" / "bottom"."""
    by_page: dict[int, list[int]] = defaultdict(list)
    for index, block in enumerate(doc.blocks):
        if block.bbox and block.page:
            by_page[block.page].append(index)
    edges: dict[int, str] = {}
    for indexes in by_page.values():
        top = max(doc.blocks[i].bbox[3] for i in indexes)
        bottom = min(doc.blocks[i].bbox[1] for i in indexes)
        band = EDGE_SHARE * max(top - bottom, 1.0)
        for i in indexes:
            x0, y0, x1, y1 = doc.blocks[i].bbox
            if y0 >= top - band and len(doc.blocks[i].text) < 250:
                edges[i] = "top"
            elif y1 <= bottom + band and len(doc.blocks[i].text) < 250:
                edges[i] = "bottom"
    return edges


def _remove_page_furniture(doc: Document) -> None:
    pages = {b.page for b in doc.blocks if b.page}
    if len(pages) < 2:
        return
    edges = _edges(doc)
    recurring: dict[tuple[str, str], set[int]] = defaultdict(set)
    for index, edge in edges.items():
        recurring[(edge, _pattern(doc.blocks[index].text))].add(doc.blocks[index].page)
    # Alternating heads (authors on even pages, title on odd) recur on half the pages.
    needed = 2 if len(pages) <= 6 else max(2, len(pages) // 5)
    running = {key for key, on_pages in recurring.items() if len(on_pages) >= needed and len(key[1]) >= 3}
    doomed: dict[int, LayoutRule] = {}
    for index, edge in edges.items():
        block = doc.blocks[index]
        pattern = _pattern(block.text)
        if _PAGE_NUMBER.match(block.text.strip()):
            doomed[index] = PAGE_NUMBER
        elif (edge, pattern) in running or _inside_masthead(block, pattern, running):
            doomed[index] = RUNNING_HEADER if edge == "top" else RUNNING_FOOTER
    # The first page often prints the running head inside a masthead (journal, volume, URL,
    # date), which need not lie in the edge band: other lines may be set above it.
    first_page = min(pages)
    for index, block in enumerate(doc.blocks):
        if block.page == first_page and index not in edges and _inside_masthead(block, _pattern(block.text), running):
            doomed[index] = RUNNING_HEADER
    _drop(doc, doomed)
    _strip_glued_heads(doc, {p for e, p in running if e == "top" and len(p) >= 10})


def _inside_masthead(block: Block, pattern: str, running: set[tuple[str, str]]) -> bool:
    """A short block that holds a running head and a little more (a date, a volume)."""
    return block.kind is not BlockKind.HEADING and len(block.text) < 250 and any(len(p) >= 20 and p in pattern for _, p in running)


def _strip_glued_heads(doc: Document, heads: set[str]) -> None:
    """A running head that pdfminer set in one box with the text under it: cut it off the block."""
    seen_pages: set[int] = set()
    for block in doc.blocks:
        if not block.page or block.page in seen_pages:
            continue
        seen_pages.add(block.page)  # only the first block of each page
        pattern = _pattern(block.text)
        head = next((h for h in heads if pattern.startswith(h) and len(pattern) > len(h)), None)
        if head is None:
            continue
        consumed, cut = "", 0
        for cut, char in enumerate(block.text, start=1):
            consumed = _pattern(block.text[:cut])
            if len(consumed) >= len(head):
                break
        while cut < len(block.text) and not block.text[cut].isalpha():
            cut += 1  # the head's own numbers ("12:4", a page number)
        doc.removed.append(Removal(rule=RUNNING_HEADER.name, text=block.text[:cut].strip(), kind=block.kind.value, page=block.page))
        block.text = block.text[cut:].strip()


def _remove_repeated_blocks(doc: Document) -> None:
    pages_of: dict[str, set[int]] = defaultdict(set)
    for block in doc.blocks:
        if block.page and len(block.text) >= 15:
            pages_of[_pattern(block.text)].add(block.page)
    doomed = {
        i: REPEATED_BLOCK
        for i, b in enumerate(doc.blocks)
        # Headings recur legitimately (table of contents, a section title and its running head).
        if b.page and len(b.text) >= 15 and len(pages_of[_pattern(b.text)]) >= 2
        and b.kind in _CONTENT_KINDS and b.kind is not BlockKind.HEADING
        and not _opens_section(doc.blocks, i)
    }
    _drop(doc, doomed)


def _opens_section(blocks: list[Block], index: int) -> bool:
    """A paragraph-long block right under a heading is what the heading heads, even when the
    same text is printed elsewhere (an abstract left untranslated under two headings)."""
    return len(blocks[index].text) >= _LONG_REPEATED_BLOCK and index > 0 and blocks[index - 1].kind is BlockKind.HEADING


def _name_lines(block: Block) -> list[str]:
    lines = block.attrs.get("lines", "").split("\n")
    if len(lines) < 3 or any(len(line.split()) > 8 or line.rstrip().endswith(_TERMINAL) for line in lines):
        return []
    return lines


def _translations(lines: list[str]) -> bool:
    """Lines that say the same in several languages: each spells a word its own way that
    another line spells another way from the same stem, as cognates do ("Policy",
    "Politique", "Política"). Lines of one language repeat their words as they are
    ("Noms/Verbes", "Noms/Mots"; a name, an e-mail address, a year)."""
    if len(set(map(_fold, lines))) < len(lines):
        return False
    words = [{w for w in _WORD.findall(_fold(line)) if len(w) >= _STEM} for line in lines]
    return all(
        any(v[:_STEM] == w[:_STEM] and v != w for j, others in enumerate(words) if j != i for v in others for w in own)
        for i, own in enumerate(words)
    )


def _remove_multilingual_names(doc: Document) -> None:
    doomed: dict[int, LayoutRule] = {}
    for index, block in enumerate(doc.blocks):
        lines = _name_lines(block)
        if not lines or not _translations(lines):
            continue
        doomed[index] = MULTILINGUAL_NAME
        before = doc.blocks[index - 1] if index else None
        if before is not None and before.page == block.page and ACRONYM.match(before.text.strip()):
            doomed[index - 1] = MULTILINGUAL_NAME
    acronyms = {doc.blocks[i].text.strip() for i in doomed if ACRONYM.match(doc.blocks[i].text.strip())}
    for index, block in enumerate(doc.blocks):
        if block.text.strip() in acronyms:
            doomed[index] = MULTILINGUAL_NAME  # the same logo again, on the back cover
    _drop(doc, doomed)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(_fold(text))
    return {tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)}


def _remove_pull_quotes(doc: Document) -> None:
    body = [b for b in doc.blocks if b.kind is BlockKind.PARAGRAPH]
    if len(body) < 3:
        return
    owners: dict[tuple[str, ...], set[int]] = defaultdict(set)
    shingles = {}
    for index, block in enumerate(doc.blocks):
        if block.kind in _CONTENT_KINDS:
            shingles[index] = _shingles(block.text)
            for shingle in shingles[index]:
                owners[shingle].add(index)
    widths = [b.bbox[2] - b.bbox[0] for b in body if b.bbox and len(b.text) > 200]
    measure = statistics.median(widths) if widths else 0.0
    doomed: dict[int, LayoutRule] = {}
    for index, block in enumerate(doc.blocks):
        own = shingles.get(index)
        if not own or len(own) < 3 or len(block.text) > 600 or block.attrs.get("title"):
            continue
        if index and doc.blocks[index - 1].kind is BlockKind.HEADING:
            continue  # a summary under its heading restates the body; a pull quote sits inside the text
        hits: dict[int, int] = defaultdict(int)
        for shingle in own:
            for other in owners[shingle]:
                if other != index and len(doc.blocks[other].text) > len(block.text):
                    hits[other] += 1
        if not hits:
            continue
        source_index, shared = max(hits.items(), key=lambda item: item[1])
        if shared < 0.7 * len(own):
            continue
        source = doc.blocks[source_index]
        restyled = (
            abs((block.font_size or 0) - (source.font_size or 0)) > 0.5
            or block.bold != source.bold
            or block.attrs.get("italic") != source.attrs.get("italic")
            or (block.bbox is not None and measure and block.bbox[2] - block.bbox[0] < 0.85 * measure)
        )
        if restyled:
            doomed[index] = PULL_QUOTE
    _drop(doc, doomed)


def _colophon_signals(text: str) -> int:
    if _COLOPHON_STRONG.search(text):
        return 2
    return sum(1 for pattern in _COLOPHON_WEAK if pattern.search(text))


def _last_page(doc: Document) -> int:
    return max((b.page for b in doc.blocks if b.page), default=0)


def _remove_colophon(doc: Document) -> None:
    last_page = _last_page(doc)
    # Colophons sit on the last pages or the inside cover.
    candidates = [i for i, b in enumerate(doc.blocks) if b.page and (b.page >= last_page - 1 or b.page <= 2)]
    # An ISBN line may sit in a longer block; contact details alone mark only short ones.
    marked = {
        i for i in candidates
        if doc.blocks[i].kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)
        and _colophon_signals(doc.blocks[i].text) >= 2
        and len(doc.blocks[i].text) < (800 if _COLOPHON_STRONG.search(doc.blocks[i].text) else 400)
    }
    if not marked:
        return
    # Grow each colophon over its short neighbours on the same page (date line, funding
    # line, "about us" paragraph), stopping at headings, notes and references.
    grown = set(marked)
    for start in marked:
        for step in (-1, 1):
            i = start + step
            while 0 <= i < len(doc.blocks) and i not in grown:
                block = doc.blocks[i]
                if block.page != doc.blocks[start].page or block.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) or len(block.text) > 600:
                    break
                short_date = len(block.text) < 40 and normalise_date(block.text) is not None
                if not (_colophon_signals(block.text) or short_date or block.page == last_page):
                    break
                grown.add(i)
                i += step
    _drop(doc, {i: COLOPHON for i in grown})


def _remove_masthead(doc: Document) -> None:
    title = next((b for b in doc.blocks if b.attrs.get("title")), None)
    if title is None or title.bbox is None:
        return
    doomed = {
        index: MASTHEAD
        for index, block in enumerate(doc.blocks)
        if block.page == title.page and block.kind is BlockKind.PARAGRAPH and block.bbox and block.bbox[1] > title.bbox[3]
        and len(block.text) < 120 and "\n" not in block.attrs.get("lines", "")
        and not block.text.rstrip().endswith(_TERMINAL) and _YEAR.search(block.text)
    }
    _drop(doc, doomed)


def _remove_back_advert(doc: Document) -> None:
    last_page = _last_page(doc)
    start = next(
        (i for i, b in enumerate(doc.blocks) if b.page == last_page and len(b.text) < 300 and _SUBMISSION_ADVERT.search(b.text)),
        None,
    )
    if start is None or any(len(b.text) >= 300 for b in doc.blocks[start:]):
        return
    _drop(doc, {i: PUBLISHER_ADVERT for i in range(start, len(doc.blocks))})


@dataclass(frozen=True, kw_only=True)
class LayoutRule(Rule):
    family: Family = Family.LAYOUT
    sources: frozenset[SourceType] = frozenset({SourceType.PDF})
    detector: Callable[[Document], None]  # the step that finds it; one step may find several rules


PAGE_NUMBER = LayoutRule(
    name="page-number", detector=_remove_page_furniture,
    description="a bare page number ('12', '- 12 -', 'Page 2 of 11', 'xiv') at a page's top or bottom edge",
)
RUNNING_HEADER = LayoutRule(
    name="running-header", detector=_remove_page_furniture,
    description="a block at the top edge whose text (digits aside) recurs there on other pages, or the masthead holding it on the first page",
)
RUNNING_FOOTER = LayoutRule(
    name="running-footer", detector=_remove_page_furniture,
    description="a block at the bottom edge whose text (digits aside) recurs there on other pages",
)
REPEATED_BLOCK = LayoutRule(
    name="repeated-block", detector=_remove_repeated_blocks,
    description="the same text as a block on several pages (a masthead, a sidebar), unless it is a paragraph-long block right under a heading",
)
MULTILINGUAL_NAME = LayoutRule(
    name="multilingual-name", detector=_remove_multilingual_names,
    description="a stack of short lines saying one name in several languages (a cover's organisation or series), with the acronym set before it",
)
PULL_QUOTE = LayoutRule(
    name="pull-quote", detector=_remove_pull_quotes,
    description="a short block repeating a passage of a longer body block, set apart by its layout (size, weight, a narrower measure)",
)
COLOPHON = LayoutRule(
    name="colophon", detector=_remove_colophon,
    description="the publishing details at the back or inside cover (ISBN, ISSN, mail agreement, address, telephone, copyright, funding line)",
)
MASTHEAD = LayoutRule(
    name="masthead", detector=_remove_masthead,
    description="a dated line printed above the title on its page (a journal issue, a conference: 'TALN 2011, Montpellier, 27 juin 2011')",
)
PUBLISHER_ADVERT = LayoutRule(
    name="publisher-advert", detector=_remove_back_advert,
    description="the publisher's call for manuscripts closing a journal's PDF, from that line on the last page to the end",
)
LAYOUT_RULES: tuple[LayoutRule, ...] = (
    PAGE_NUMBER, RUNNING_HEADER, RUNNING_FOOTER, REPEATED_BLOCK, MULTILINGUAL_NAME, PULL_QUOTE, COLOPHON, MASTHEAD, PUBLISHER_ADVERT,
)
# Each step once, in the order of its first rule.
_STEPS = tuple(dict.fromkeys(rule.detector for rule in LAYOUT_RULES))

