"""Find the abstract sections (EXECUTIVE SUMMARY, RESUMEN, RÉSUMÉ, ...) and split them by language.

An abstract starts at an abstract heading (a heading block, a paragraph holding only the
heading word, or a run-in "Abstract." at the start of a paragraph) near the front of the
document, and ends where the next abstract heading, any other heading, its keywords line
or text in another language begins; text set much smaller than it (a sidebar, a footnote)
neither ends nor joins it. A combined heading ("Résumé – Abstract") heads one abstract per
language, in its order, the later ones without a heading of their own. Journals also print the translated abstract at the back, after the
references: past the front, a standalone "ABSTRACT", "RESUMEN", "RÉSUMÉ" or "RESUMO" heading
starts an abstract only when its text is in the heading's language and not in the body's
(a closing "Summary" of the body is not an abstract). Without any heading, a PDF's abstract
is the paragraph that ends its front matter, set in its own size, right before the first
section heading. Documents without such headings often print their abstracts as bare
paragraphs, one per language, before the body: those are found as language runs.

The language of an abstract is that of its text (the blocks' tags from the language
stage); the heading only decides when the text is in none of the run's languages, so a
Portuguese RESUMO never becomes a Spanish abstract.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from docpipe.document import Abstract, Block, BlockKind, Document
from docpipe.language import UNDETERMINED

# Heading words, accents and case removed, with the language they are written in.
_HEADING_LANGUAGE: dict[str, str] = {
    "ABSTRACT": "en",
    "SUMMARY": "en",
    "EXECUTIVE SUMMARY": "en",
    "RESUMEN": "es",
    "RESUMEN EJECUTIVO": "es",
    "SINTESIS": "es",
    "RESUME": "fr",
    "RESUME ANALYTIQUE": "fr",
    "SOMMAIRE": "fr",
    "SOMMAIRE EXECUTIF": "fr",
    "SYNTHESE": "fr",
    "RESUMO": "pt",
    "SUMARIO": "pt",
    "RIASSUNTO": "it",
    "ZUSAMMENFASSUNG": "de",
}
# Leading section numbers: "1.", "1.2", "I.", "A)".
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*|[IVXLC]+|[A-Z])[.)]?\s+")
_DECORATION = re.compile(r"[*_#`]+")
_RUN_IN = re.compile(r"^\W*([^\W\d_][^\W\d_ ]*(?:\s[^\W\d_]+)?)\s*[*_]*\s*(?:[.:—–]|\s-)[*_]*\s+(?=\w)")
# "Résumé et mots clés", "Abstract and keywords": the abstract and its keywords under one heading.
_AND_KEYWORDS = re.compile(r"\s+(?:ET|AND|Y|E)\s+(?:MOTS[- ]CLES|MOTS[- ]CLEFS|KEY\s?WORDS|PALABRAS[- ]CLAVES?|PALAVRAS[- ]CHAVES?)$")
_COMBINED_HEADING = re.compile(r"\s*[-–—/|]\s*")
# The keywords under an abstract end it ("Mots-clés : ...", "Palavras-chave:", "DESCRIPTORS:").
_KEYWORDS = re.compile(
    r"^\W*(?:key\s?-?words?|index terms|mots?[- ]cl(?:é|e|ef)s?|palabras?[- ]claves?|palavras?[- ]chaves?|"
    r"descritores|descriptores|descriptors|unitermos)\s*[:.—–-]",
    re.I,
)
# A run-in heading without punctuation ("Résumé Cet article ..."): only a word that names
# nothing but an abstract (_BACK_HEADINGS), then a capital.
_BARE_RUN_IN = re.compile(r"^([^\W\d_]+)\s+(?=[A-ZÀ-Þ])")
_SHORT_PARAGRAPH_CHARS = 40
_ASIDE_SIZE = 0.85  # of the abstract's font size
_SUBSTANTIVE_LETTERS = 25
_LETTERS = re.compile(r"[^\W\d_]+")
# Abstracts sit at the front: a heading is ignored once this much body text precedes it,
# unless it heads a translated abstract at the back (see _is_back_abstract).
_FRONT_CHARS = 2500
_FRONT_SHARE = 0.15
# Heading words that name nothing but an abstract; "Summary", "Sommaire" or "Síntesis" also
# head sections of a report's body.
_BACK_HEADINGS = frozenset({"ABSTRACT", "RESUMEN", "RESUME", "RESUMO"})
# An abstract without a heading sits on the first pages and is set apart in size (points).
_HEADLESS_LAST_PAGE = 2
_HEADLESS_MIN_LETTERS = 300
_HEADLESS_SIZE_STEP = 0.5
# Un-headed abstracts: translations of each other, so of comparable length.
_RUN_MAX_PARAGRAPHS = 3
_RUN_LENGTH_RATIO_TWO = 1.6
_RUN_LENGTH_RATIO_MORE = 2.5
_SKIPPED_KINDS = (BlockKind.NOTE, BlockKind.CAPTION, BlockKind.TABLE, BlockKind.REFERENCE)
_TEXT_KINDS = (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.QUOTE)


def heading_key(text: str) -> str:
    """The heading word as looked up: no decoration, numbering, accents, case or end colon."""
    text = _DECORATION.sub("", text).strip()
    text = _NUMBERING.sub("", text.strip())
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\s+", " ", text).strip(" .:-—–").upper()
    return text


@dataclass
class _Start:
    index: int
    heading: str  # as printed
    hint: str  # language of the heading word
    run_in_rest: str | None  # text after a run-in heading, which belongs to the abstract
    # A combined heading ("Résumé – Abstract") heads one abstract per language, in its order,
    # the later ones without a heading of their own: the languages still to come.
    then: tuple[str, ...] = ()
    body_from: int | None = None  # where the text starts, if not right after the heading


# Abstracts found: each with its heading (None: unheaded) and the indices of its blocks.
_Found = list[tuple[_Start | None, list[int]]]


def _heading_start(index: int, block: Block) -> _Start | None:
    text = block.text.strip()
    short = block.kind is BlockKind.HEADING or (
        block.kind is BlockKind.PARAGRAPH and len(text) <= _SHORT_PARAGRAPH_CHARS
    )
    if short:
        hints = _heading_languages(heading_key(text))
        if hints:
            return _Start(index, _DECORATION.sub("", text).strip(), hints[0], None, hints[1:])
    if block.kind is BlockKind.PARAGRAPH:
        match = _RUN_IN.match(text)
        if match:
            hint = _HEADING_LANGUAGE.get(heading_key(match.group(1)))
            if hint:
                return _Start(index, match.group(1).strip(), hint, text[match.end():].strip())
        match = _BARE_RUN_IN.match(text)
        if match and heading_key(match.group(1)) in _BACK_HEADINGS:
            return _Start(index, match.group(1), _HEADING_LANGUAGE[heading_key(match.group(1))], text[match.end():].strip())
    return None


def _heading_languages(key: str) -> tuple[str, ...]:
    """The language of a heading word, or of each part of a combined heading, in order."""
    hint = _HEADING_LANGUAGE.get(_AND_KEYWORDS.sub("", key))
    if hint:
        return (hint,)
    parts = _COMBINED_HEADING.split(key)
    hints = tuple(_HEADING_LANGUAGE.get(part) for part in parts)
    return hints if len(parts) > 1 and all(hints) and len(set(hints)) == len(hints) else ()  # type: ignore[return-value]


def _has_letters(text: str, count: int) -> bool:
    """True when ``text`` has at least ``count`` letters: most paragraphs show it in their
    opening, cheaper to count than the whole of a long one."""
    opening = text[: 4 * count]
    return _letters(opening) >= count or (len(text) > len(opening) and _letters(text) >= count)


def _letters(text: str) -> int:
    return sum(map(len, _LETTERS.findall(text)))


def _is_substantive(block: Block) -> bool:
    return block.kind in _TEXT_KINDS and not block.language_inferred and _has_letters(block.text, _SUBSTANTIVE_LETTERS)


def _majority_language(blocks: list[Block]) -> str | None:
    chars: dict[str, int] = {}
    for block in blocks:
        if block.language:
            chars[block.language] = chars.get(block.language, 0) + len(block.text)
    determined = {code: n for code, n in chars.items() if code != UNDETERMINED}
    pool = determined if sum(determined.values()) * 2 >= sum(chars.values()) else chars
    return max(pool, key=pool.__getitem__) if pool else None


def _front_limit(doc: Document) -> int:
    total = sum(len(b.text) for b in doc.blocks)
    return max(_FRONT_CHARS, int(total * _FRONT_SHARE))


def _headed_abstracts(doc: Document) -> tuple[_Found, _Found]:
    """Abstracts under an abstract heading: those at the front, and translations at the back."""
    blocks = doc.blocks
    limit = _front_limit(doc)
    front: _Found = []
    back: _Found = []
    preceding = 0  # body characters seen before the current position
    i = 0
    while i < len(blocks):
        start = _heading_start(i, blocks[i])
        if start is None:
            if blocks[i].kind in _TEXT_KINDS:
                preceding += len(blocks[i].text)
            i += 1
            continue
        members, after = _abstract_body(blocks, start)
        at_front = preceding <= limit
        if not at_front and not _is_back_abstract(doc, start, members):
            i += 1
            continue
        i = after
        if any(m != start.index for m in members) or start.run_in_rest:
            (front if at_front else back).append((start, members))
        for hint in start.then:
            # The next language's abstract follows without a heading, in that language,
            # maybe after the keywords of the previous one.
            while i < len(blocks) and blocks[i].kind in _TEXT_KINDS and _KEYWORDS.match(blocks[i].text):
                i += 1
            if i >= len(blocks) or not _is_substantive(blocks[i]) or blocks[i].language != hint:
                break
            following = _Start(start.index, start.heading, hint, None, body_from=i)
            members, i = _abstract_body(blocks, following)
            (front if at_front else back).append((following, members))
    return front, back


def _is_back_abstract(doc: Document, start: _Start, members: list[int]) -> bool:
    """A translated abstract printed after the body: its own heading, its heading's language, not the body's."""
    if start.run_in_rest is not None or heading_key(start.heading) not in _BACK_HEADINGS:
        return False
    language = _majority_language([doc.blocks[m] for m in members if m != start.index])
    return language == start.hint and language != doc.language


def _abstract_body(blocks: list[Block], start: _Start) -> tuple[list[int], int]:
    """Indices of the abstract's text blocks, and where scanning resumes."""
    members: list[int] = []
    language = None
    if start.run_in_rest is not None:
        members.append(start.index)
        language = blocks[start.index].language
    j = start.index + 1 if start.body_from is None else start.body_from
    text_size = blocks[start.index].font_size if start.run_in_rest is not None else None
    while j < len(blocks):
        block = blocks[j]
        # Set much smaller than the abstract: a sidebar's affiliation or a footnote that the
        # page puts between its parts; neither part of it nor its end.
        aside = text_size is not None and block.font_size is not None and block.font_size < _ASIDE_SIZE * text_size
        if aside and _heading_start(j, block) is None:
            j += 1
            continue
        if block.kind is BlockKind.HEADING or _heading_start(j, block) is not None or _KEYWORDS.match(block.text):
            break
        if block.kind in _SKIPPED_KINDS:
            j += 1
            continue
        text_size = text_size or block.font_size
        if _is_substantive(block):
            if language is None:
                language = block.language
            elif block.language != language:
                break
        members.append(j)
        j += 1
    reached_end = j >= len(blocks)
    text_members = [m for m in members if m != start.index]
    if reached_end and len(text_members) > 1:
        # No heading closed it: only the first paragraph is surely the abstract, with the
        # parts of a structured abstract after it ("Métodos. ...", "Resultados. ...").
        kept = _structured_parts(blocks, text_members)
        members = members[: members.index(kept[-1]) + 1]
        j = members[-1] + 1
    return members, j


def _structured_parts(blocks: list[Block], members: list[int]) -> list[int]:
    """The first member and the parts of a structured abstract after it ("Métodos - ...",
    "Resultados. ..."), with what continues them (a list, a paragraph cut by a column break)."""
    parts = members[:1]
    for m in members[1:]:
        text = blocks[m].text
        continues = parts[-1] != members[0] and (text[:1].islower() or blocks[m].kind is BlockKind.LIST_ITEM)
        if not (_RUN_IN.match(text) or continues):
            break
        parts.append(m)
    return parts


def _headless_abstract(doc: Document) -> _Found:
    """An abstract printed without a heading: the last front-matter paragraph before the first
    section heading, of an abstract's length and set in another size than the body text."""
    body_size = _body_font_size(doc.blocks)
    if body_size is None:
        return []
    last_text: int | None = None
    for i, block in enumerate(doc.blocks):
        if block.page is None or block.page > _HEADLESS_LAST_PAGE:
            return []
        if block.kind is BlockKind.HEADING and not block.attrs.get("title"):
            if last_text is None:
                continue  # headings of the front matter: journal, title, authors
            candidate = doc.blocks[last_text]
            set_apart = abs((candidate.font_size or body_size) - body_size) >= _HEADLESS_SIZE_STEP
            if candidate.kind is BlockKind.PARAGRAPH and _has_letters(candidate.text, _HEADLESS_MIN_LETTERS) and set_apart:
                return [(None, [last_text])]
            return []
        if block.kind in _TEXT_KINDS:
            last_text = i
    return []


def _body_font_size(blocks: list[Block]) -> float | None:
    """The font size of most paragraph text (PDFs only)."""
    chars: dict[float, int] = {}
    for block in blocks:
        if block.kind is BlockKind.PARAGRAPH and block.font_size:
            chars[block.font_size] = chars.get(block.font_size, 0) + len(block.text)
    return max(chars, key=chars.__getitem__) if chars else None


def _run_abstracts(doc: Document) -> _Found:
    """Un-headed abstracts: one short run of paragraphs per language before the body."""
    runs: list[tuple[str, list[int]]] = []
    seen: set[str] = set()
    for i, block in enumerate(doc.blocks):
        if block.kind is BlockKind.QUOTE:
            return []
        if not _is_substantive(block) or block.kind is not BlockKind.PARAGRAPH:
            continue
        language = block.language
        if language is None or language == UNDETERMINED:
            return []
        if runs and runs[-1][0] == language:
            runs[-1][1].append(i)
            continue
        if language in seen:
            break  # the body, in a language one of the abstracts already had
        seen.add(language)
        runs.append((language, [i]))
    else:
        runs = runs[:-1]  # no language came back: the last run is the body
    if len(runs) < 2 or any(len(members) > _RUN_MAX_PARAGRAPHS for _, members in runs):
        return []
    lengths = [sum(len(doc.blocks[m].text) for m in members) for _, members in runs]
    ratio = _RUN_LENGTH_RATIO_TWO if len(runs) == 2 else _RUN_LENGTH_RATIO_MORE
    if max(lengths) > ratio * min(lengths):
        return []
    return [(None, members) for _, members in runs]


def split_abstracts(doc: Document) -> Document:
    front, back = _headed_abstracts(doc)
    found = (front or _headless_abstract(doc) or _run_abstracts(doc)) + back
    for start, members in found:
        text_blocks = [doc.blocks[m] for m in members]
        if not text_blocks:
            continue
        language = _majority_language(text_blocks) or UNDETERMINED
        if language == UNDETERMINED and start is not None:
            language = start.hint
        paragraphs = [
            start.run_in_rest if start is not None and m == start.index else doc.blocks[m].text
            for m in members
        ]
        if start is not None:
            doc.blocks[start.index].attrs.setdefault("abstract", language)
        for block in text_blocks:
            block.attrs["abstract"] = language
        if language not in doc.abstracts:
            first = doc.blocks[start.index] if start is not None else text_blocks[0]
            doc.abstracts[language] = Abstract(
                language=language,
                heading=start.heading if start is not None else None,
                text="\n\n".join(p for p in paragraphs if p),
                page=first.page,
            )
    return doc
