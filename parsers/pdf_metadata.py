"""PDF metadata: the Info dictionary, XMP, and what the first and last pages print."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from docpipe.document import Metadata
from docpipe.metadata import isbn_is_valid, normalise_date
from docpipe.textnorm import normalise_text

# Titles that name the file or the software, not the document.
_JUNK_TITLE = re.compile(
    r"^(?:microsoft\s+(?:word|powerpoint)\s*-|untitled|sans titre|adobe\s+\w+|document\d*$)"
    r"|\.(?:qxd|qxp|indd|indb|pmd|docx?|rtf|pdf|p65|pm\d|tex|dvi|ps|eps|fm|wpd|odt)\s*$",
    re.I,
)
_ISBN = re.compile(r"\bISBN(?:-1[03])?\s*:?\s*((?:97[89][- ]?)?\d{1,5}[- ]?\d{1,7}[- ]?\d{1,7}[- ]?[\dXx])\b")
_ISSN = re.compile(r"\bISSN\s*:?\s*(\d{4}-\d{3}[\dXx])\b")
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)")
_DOI_FIRST = re.compile(r"^(?:doi:?\s*|https?://(?:dx\.)?doi\.org/)10\.\d{4,9}/", re.I)
# A document or series number printed on its own: "FPP-04-8", "WP 2019/12", "CEPAL LC/L.1234".
_SERIES = re.compile(r"^[A-Z]{2,6}[- ]?\d{2,4}[-/]\d{1,4}$")
_MONTH_YEAR = re.compile(
    r"\b(?:\d{1,2}(?:er)?\s+(?:de\s+)?)?"
    r"(?:jan|feb|febr?|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
    r"september|october|november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|"
    r"octubre|noviembre|diciembre|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    r"novembre|décembre|decembre)\.?\s+(?:\d{1,2},?\s+)?(?:de\s+)?(1[89]\d\d|20\d\d)\b",
    re.I,
)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:(?:19|20)\d\d[,\s]*)?([A-Z][\w&.\- ]{1,60}?)(?:\s*(?:19|20)\d\d)?(?:[.,;]|$)", re.I)
_NAME = re.compile(r"^[A-ZÀ-Þ][\w'’.-]*(?:\s+(?:[A-ZÀ-Þ][\w'’.-]*|de|da|do|dos|del|la|van|von|der|y|e))+$")
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bet\b|\by\b)\s*")
_NEAR_TITLE_BLOCKS = 8
_WRAPPED_NAME_LINES = 3
_MARKERS = re.compile(r"[\d*∗†‡§¶]+|\b[IVX]{1,4}\b(?=,|$)")


def pdf_string(value: Any) -> str | None:
    """A PDF text string as str: UTF-16 with BOM or PDFDocEncoding (pdfminer's decode_text)."""
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, bytes):
        if value.startswith(b"\xff\xfe"):
            value = value[2:].decode("utf-16-le", "ignore")
        elif value.startswith(b"\xef\xbb\xbf"):
            value = value[3:].decode("utf-8", "ignore")
        else:
            value = decode_text(value)
    if not isinstance(value, str):
        return None
    value = " ".join(normalise_text(value).split())
    return value or None


def useful_title(title: str | None) -> str | None:
    if not title or len(title) < 4 or _JUNK_TITLE.search(title.strip()):
        return None
    if "/" in title or "\\" in title or re.fullmatch(r"[\w-]+", title) and ("_" in title or title.islower()):
        return None  # a path or a file name
    return title


def _xmp(document: PDFDocument) -> dict[str, str]:
    stream = resolve1(document.catalog.get("Metadata"))
    if not isinstance(stream, PDFStream):
        return {}
    try:
        packet = stream.get_data()
    except Exception:  # noqa: BLE001 - pdfminer's decoders raise anything on a damaged stream (IndexError, RuntimeError, ...)
        return {}  # a packet that cannot be decoded is no XMP; Info is read all the same
    try:
        root = ET.fromstring(packet)
    except (ET.ParseError, ValueError, TypeError):
        return {}
    found: dict[str, str] = {}
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name in ("title", "creator", "CreateDate", "doi", "identifier", "Producer", "publisher") and name not in found:
            texts = [t.strip() for t in element.itertext() if t.strip()]
            if texts:
                found[name] = "; ".join(texts) if name == "creator" else texts[0]
    return found


def from_document(document: PDFDocument, meta: Metadata) -> dict[str, Any]:
    """Fill ``meta`` from Info and XMP; return the raw values found (for ``raw_metadata``)."""
    raw: dict[str, Any] = {}
    for info in document.info:
        for key, value in info.items():
            text = pdf_string(value)
            if text:
                raw[key] = text
    xmp = _xmp(document)
    raw.update({f"xmp:{k}": v for k, v in xmp.items()})
    meta.title = useful_title(raw.get("Title")) or useful_title(xmp.get("title"))
    authors = raw.get("Author") or xmp.get("creator")
    if authors:
        # Info Author is often the account that typed the file ("jsmith", "Administrator").
        names = [a for a in re.split(r"\s*[;&]\s*|\s+and\s+", authors) if a]
        if all(_NAME.match(name) for name in names):
            meta.authors = names
    meta.producer = raw.get("Producer") or xmp.get("Producer")
    doi = xmp.get("doi") or next((m.group(1) for v in xmp.values() for m in [_DOI.search(v)] if m), None)
    meta.doi = doi.rstrip(".,;") if doi else None
    creation = raw.get("CreationDate") or xmp.get("CreateDate")
    if creation:
        meta.extra["pdf_creation_date"] = creation
    return raw


def _date_from_pdf(value: str) -> str | None:
    match = re.match(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?", value)
    if not match:
        return normalise_date(value)
    return "-".join(g for g in match.groups() if g)


def identifiers_from_text(text: str, meta: Metadata) -> None:
    """ISBN and ISSN wherever the document prints them (cover, colophon, header)."""
    if not meta.isbn:
        meta.isbn = next((m.group(1) for m in _ISBN.finditer(text) if isbn_is_valid(m.group(1))), None)
    if not meta.issn:
        match = _ISSN.search(text)
        meta.issn = match.group(1).upper() if match else None


def starts_with_doi(text: str) -> bool:
    return bool(_DOI_FIRST.match(text))


def doi_from_text(text: str) -> str | None:
    match = _DOI.search(text)
    return match.group(1).rstrip(".,;)") if match else None


def printed_date(texts: list[str]) -> str | None:
    for text in texts:
        match = _MONTH_YEAR.search(text)
        if match:
            return match.group(0)
    return None


def series_number(lines: list[str]) -> str | None:
    return next((line for line in lines if _SERIES.match(line)), None)


def publisher_from(texts: list[str]) -> str | None:
    for text in texts:
        match = _COPYRIGHT.search(text)
        if match:
            name = match.group(1).strip(" .,")
            if name and not re.search(r"\bauthors?\b|\bet al\b|^[A-Z][a-z]+ [A-Z]$", name, re.I):
                return name
    return None


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
        bool(_NAME.match(name)) and 2 <= len(words) <= 6 and max(len(w) for w in words) >= 3
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


def printed_year(texts: list[str]) -> str | None:
    """The latest plausible year printed in the given short texts (a citation line, a cover)."""
    years = [int(y) for text in texts for y in re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", text)]
    return str(max(years)) if years else None


def fallback_date(meta: Metadata) -> str | None:
    creation = meta.extra.get("pdf_creation_date")
    return _date_from_pdf(creation) if creation else None
