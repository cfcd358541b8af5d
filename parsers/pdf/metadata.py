"""Step 8, metadata: the Info dictionary and XMP (read first, step 1), then what the pages print.

From the pages: ISBN and ISSN at the front or back, the DOI from the first page's banner,
its running heads or feet or the last page's citation line, a series number, the date printed
on the first page or the year of its running heads, the publisher from a copyright line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from docpipe.document import BlockKind, Document, Metadata
from parsers.normalise import isbn_is_valid, normalise_date
from parsers.normalise import normalise_text
from parsers.pdf.front_matter import NAME, first_page_blocks
from parsers.pdf.model import PageBlock

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
        if all(NAME.match(name) for name in names):
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


def printed_year(texts: list[str]) -> str | None:
    """The latest plausible year printed in the given short texts (a citation line, a cover)."""
    years = [int(y) for text in texts for y in re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", text)]
    return str(max(years)) if years else None


def fallback_date(meta: Metadata) -> str | None:
    creation = meta.extra.get("pdf_creation_date")
    return _date_from_pdf(creation) if creation else None


def read_printed_metadata(doc: Document, found: list[PageBlock], first_page_figures: str) -> None:
    """Identifiers, DOI, series, date and publisher as the first and last pages print them."""
    meta = doc.metadata
    first_pages, first_page = first_page_blocks(doc)
    last_pages = [b for b in doc.blocks if b.page is not None and b.page >= (meta.page_count or 1) - 1]
    # Identifiers of the document itself are printed at its front or back, not in its references.
    own = [b.text for b in first_pages + last_pages if b.kind is not BlockKind.REFERENCE]
    identifiers_from_text("\n".join(own), meta)
    # Its DOI: in the first page's banner or a running head or foot first (the first page's
    # text may cite another DOI: an erratum's article), then anywhere on the first page, then
    # a block of the last page that starts with it ("doi:10.1186/... Cite this article as");
    # never elsewhere in the last pages, where the references' DOIs are.
    page_furniture = [b.text for b in doc.blocks if b.attrs.get("page_edge") and b.kind is not BlockKind.REFERENCE]
    front = [b.text for b in first_page if b.kind is not BlockKind.REFERENCE]
    last_page = [b.text for b in doc.blocks if b.page == meta.page_count and starts_with_doi(b.text)]
    meta.doi = meta.doi or doi_from_text("\n".join([first_page_figures, *page_furniture, *front, *last_page]))
    meta.series = meta.series or series_number([line.text for b in found if b.page == 1 for line in b.lines])
    front_and_back = [b.text for b in first_pages + last_pages if len(b.text) < 400]
    # The date: one printed on the first page (a masthead, "Published: ..."), else the year
    # of the running heads there ("Rev Saúde Pública 2011;45(5)"), else a date elsewhere at
    # the front or back; never from the references, nor from a table of dates.
    own_short = [b.text for b in first_pages + last_pages if len(b.text) < 150 and b.kind is not BlockKind.REFERENCE]
    page_one = [b.text for b in first_page if len(b.text) < 150 and b.kind is not BlockKind.REFERENCE]
    heads = [b.text for b in first_pages if b.attrs.get("page_edge") and len(b.text) < 150]
    meta.published_date = (
        printed_date(page_one)
        or printed_year(heads)
        or printed_date(own_short)
        or printed_year(page_one)
        or fallback_date(meta)
    )
    meta.publisher = meta.publisher or publisher_from(front_and_back)
