"""Step 7, front matter: the title printed on the first page and every author printed around it.

The title is the Info title when page 1 prints it (the largest text may be a document type:
"THÈSE DE DOCTORAT"), else the largest text in the top part of the page. The authors are the
names under it, set in one style, every block in that style that holds only names, as
printed: without affiliation markers, degrees or e-mail; they win over the Info Author,
which often holds only the first author or the account that made the file.
"""

from __future__ import annotations

import re
from collections import Counter

from docpipe.document import Block, BlockKind, Document
from parsers.pdf.model import Line, PageBlock

# A person's name as title pages and Info Author print it: capitalised words and particles.
NAME = re.compile(r"^[A-ZÀ-Þ][\w'’.-]*(?:\s+(?:[A-ZÀ-Þ][\w'’.-]*|de|da|do|dos|del|la|van|von|der|y|e))+$")
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bet\b|\by\b)\s*")
_MARKERS = re.compile(r"[\d*∗†‡§¶]+|\b[IVX]{1,4}\b(?=,|$)")
_NEAR_TITLE_BLOCKS = 8
_WRAPPED_NAME_LINES = 3
# Affiliation and note markers set after a name: "Silva¹", "Teissèdre (1,2)", "BlascoII", "Zohdy1,4*".
_NAME_MARKER = re.compile(
    r"\(\s*(?:\d{1,2}|[a-z])(?:\s*,\s*(?:\d{1,2}|[a-z]))*\s*\)"
    r"|[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:\s*,\s*[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*"
    r"|(?<=[a-zà-ÿ])(?:I{1,3}|IV|VI{0,3}|IX|X{1,2})(?:\s*,\s*(?:I{1,3}|IV|VI{0,3}|IX|X{1,2}))*\b"
    r"|(?<=[^\W\d_])(?:\d{1,2}|[*∗†‡§¶])(?:\s*,\s*(?:\d{1,2}|[*∗†‡§¶]))*(?=[\s,*∗†‡§¶]|$)"
)
_GLUED_INITIAL = re.compile(r"\b([A-ZÀ-Þ]\.)(?=[A-ZÀ-Þ][a-zà-ÿ])")  # "A.Ben Hassena"
_EMAIL = re.compile(r"\{[^}]*\}\S*|\S+@\S+")
_DEGREE = re.compile(r"\b(?:Ph\.?\s?D|M\.?D|MSc|MPH|BSc|RN|DDS|Dr|Profa?)\b\.?", re.I)
# Words that title pages set like names but that name no person (article types, affiliations).
_NOT_NAME_WORDS = frozenset(
    """article articles artigo artigos original originais originales research review revisão revisión
    university universidade universidad université universität institute instituto institut department
    departamento département laboratory laboratório laboratorio laboratoire faculty faculdade facultad
    faculté school escola escuela école center centre centro hospital abstract resumo resumen résumé
    keywords introduction introdução introducción journal revista vol editorial letter carta case report
    brief communication short paper papers actes proceedings""".split()
)
# A block of the title page: its style (font size, bold) and its lines, each as its spans.
FrontBlock = tuple[tuple[float, bool], list[tuple[str, ...]]]


def first_page_blocks(doc: Document) -> tuple[list[Block], list[Block]]:
    """The blocks of the first two pages, and of the first page (of the first two if it has none)."""
    first_pages = [b for b in doc.blocks if b.page is not None and b.page <= 2]
    return first_pages, [b for b in first_pages if b.page == 1] or first_pages


def read_front_matter(doc: Document, found: list[PageBlock]) -> None:
    """Title and authors from the first page (``found``: its paragraphs, for their lines)."""
    meta = doc.metadata
    _, first_page = first_page_blocks(doc)
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
        meta.authors = authors_from(front[:at], front[at + 1 :]) or meta.authors


def _front_block(block: Block, lines_of: dict[tuple[float, ...], list[Line]]) -> FrontBlock:
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


def _names(text: str) -> list[str]:
    """The person names a line or a span of it holds, or [] if it holds anything else."""
    text = _NAME_MARKER.sub(",", _EMAIL.sub("", text))
    text = _GLUED_INITIAL.sub(r"\1 ", text)
    text = _DEGREE.sub("", text)
    cleaned = _MARKERS.sub("", text).replace("  ", " ").strip(" ,")
    cleaned = re.sub(r"^(?:by|par|por)\s+", "", cleaned, flags=re.I)
    names = [" ".join(n.split()).strip(" ,.") for n in _AUTHOR_SPLIT.split(cleaned)]
    names = [n for n in names if n]
    if names and all(_is_name(n) for n in names):
        return names
    return []


def _is_name(name: str) -> bool:
    words = name.split()
    # An acronym first ("IUFM de Lorraine") names an institution; a family name in
    # capitals comes last ("Solange Maria BONALDO").
    acronym_first = len(words[0]) >= 3 and words[0].isupper() and not name.isupper()
    return (
        bool(NAME.match(name)) and 2 <= len(words) <= 6 and max(len(w) for w in words) >= 3
        and not acronym_first and not any(w.lower().strip(".,") in _NOT_NAME_WORDS for w in words)
    )


def _line_names(line: tuple[str, ...]) -> list[str]:
    """Names of a line given as its spans (the parts between wide gaps): all spans must be names."""
    found: list[str] = []
    for span in line:
        names = _names(span) if len(span) < 200 else []
        if not names:
            return []
        found.extend(names)
    return found


def _leading_names(lines: list[tuple[str, ...]]) -> list[str]:
    """Names in the block's first lines (the affiliation lines under them are not).

    A short block that reads as names only when its lines are joined holds a name cut at
    the line end ("Eduardo José Farias Borges dos" / "Reis").
    """
    found: list[str] = []
    named_lines = 0
    for line in lines:
        names = _line_names(line)
        if not names:
            break
        found.extend(names)
        named_lines += 1
    if named_lines < len(lines) <= _WRAPPED_NAME_LINES and all(len(line) == 1 for line in lines):
        return _line_names((" ".join(line[0] for line in lines),)) or found
    return found


# A block of the title page: its style (font size, bold) and its lines, each as its spans.
FrontBlock = tuple[tuple[float, bool], list[tuple[str, ...]]]


def authors_from(before_title: list[FrontBlock], after_title: list[FrontBlock]) -> list[str]:
    """Every author printed on the title page, in reading order.

    The first block under the title whose first lines read as names sets the authors'
    style; any other block of the title page in that style that holds only names adds its
    own (names set in a sidebar around the title, split by a translated title). A name set
    twice (a corresponding author) counts once.
    """
    style = None
    authors: list[str] = []
    run_end = 0
    for index, (block_style, lines) in enumerate(after_title[:_NEAR_TITLE_BLOCKS]):
        names = _leading_names(lines)
        if names:
            style = block_style
            authors.extend(names)
            run_end = index + 1
        elif authors:
            break
    if style is None:
        return []
    more_before = [n for s, lines in before_title if s == style for n in _all_names(lines)]
    more_after = [n for s, lines in after_title[run_end:] if s == style for n in _all_names(lines)]
    seen: set[str] = set()
    ordered = []
    for name in more_before + authors + more_after:
        if name.lower() not in seen:
            seen.add(name.lower())
            ordered.append(name)
    return ordered


def _all_names(lines: list[tuple[str, ...]]) -> list[str]:
    names = _leading_names(lines)
    return names if len(names) >= len(lines) else []
