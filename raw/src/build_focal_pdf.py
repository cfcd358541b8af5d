"""Build raw/001_focal_fpp-04-8_canada_mexico.pdf from raw/src/focal_fpp-04-8.md.

The PDF imitates the layout of the 2004 FOCAL policy paper FPP-04-8: a cover with
the organisation name in four languages, three abstracts (en/es/fr), a justified
serif body with pull quotes set between rules, a running header and page numbers,
endnotes, references and a colophon at the end of the last page.  The build is deterministic
(invariant=1 plus fixed Document Info dates), so rebuilding gives identical bytes.

Run from the project root:  .venv/bin/python raw/src/build_focal_pdf.py
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color, black
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
)

SRC_DIR = Path(__file__).resolve().parent
SOURCE_MD = SRC_DIR / "focal_fpp-04-8.md"
OUTPUT_PDF = SRC_DIR.parent / "001_focal_fpp-04-8_canada_mexico.pdf"

ORG_NAMES = (
    "Canadian Foundation for the Americas",
    "Fundación Canadiense para las Américas",
    "Fondation canadienne pour les Amériques",
    "Fundação Canadense para as Américas",
)
SERIES = "FPP-04-8"
DATE_LINE = "October 2004"
ISBN = "1-894992-13-X"
MAIL_AGREEMENT = "40012931"

# Pull quotes repeat a sentence of the body somewhere else, as the printed paper does.
# Each entry: (body text after which the quote is inserted, quote).  When the anchor
# is not the end of a paragraph, the paragraph is split around the quote.
PULL_QUOTES = (
    (
        "it is important to note that collectively these exchanges have helped to set the "
        "basis for greater mutual knowledge and to develop a more mature bilateral relationship.",
        "The question that emerges is where does Mexico fit in within Canada's new priorities?",
    ),
    (
        "which currently has a staff of 100 persons (30 Canadian diplomats, and 70 local staff),",
        "(...) Canada and Mexico have opted for a very loose institutional framework and have "
        "instead relied more upon personal exchanges",
    ),
    (
        "border management, construction of infrastructure in the U.S.-Mexico border).",
        "Mexico's military participation in peacekeeping operations will not happen in the "
        "near future, as has been reiterated by President Fox",
    ),
    (
        "Compared with the US, the resources and political capital expended in Mexico are",
        "The Americas is the region where these countries have cooperated the least, "
        "particularly within the OAS",
    ),
)

PAGE_W, PAGE_H = letter
MARGIN_X = 72
BODY_WIDTH = PAGE_W - 2 * MARGIN_X
BODY_TOP = PAGE_H - 78
BODY_BOTTOM = 66
FOCAL_RED = Color(0.62, 0.09, 0.13)
RULE_GREY = Color(0.45, 0.45, 0.45)


# --------------------------------------------------------------------------- styles

BODY = ParagraphStyle(
    "body", fontName="Times-Roman", fontSize=10.5, leading=13.6,
    alignment=TA_JUSTIFY, spaceAfter=6.5,
)
BODY_SPLIT_HEAD = ParagraphStyle("body-split", parent=BODY, justifyLastLine=1, spaceAfter=0)
ABSTRACT = ParagraphStyle("abstract", parent=BODY, fontSize=10, leading=13, spaceAfter=8)
ABSTRACT_HEAD = ParagraphStyle(
    "abstract-head", fontName="Helvetica-Bold", fontSize=10.5, leading=13,
    spaceBefore=6, spaceAfter=4, textColor=FOCAL_RED,
)
H2 = ParagraphStyle(
    "h2", fontName="Times-Bold", fontSize=12.5, leading=15, spaceBefore=13,
    spaceAfter=6, alignment=TA_LEFT, keepWithNext=1,
)
H3 = ParagraphStyle(
    "h3", fontName="Times-BoldItalic", fontSize=11.5, leading=14, spaceBefore=9,
    spaceAfter=4, keepWithNext=1,
)
H4 = ParagraphStyle(
    "h4", fontName="Times-Bold", fontSize=10.5, leading=13, spaceBefore=6,
    spaceAfter=3, keepWithNext=1,
)
BULLET = ParagraphStyle(
    "bullet", parent=BODY, leftIndent=18, bulletIndent=6, spaceAfter=4,
    bulletFontName="Times-Roman",
)
PULL = ParagraphStyle(
    "pull", fontName="Times-Italic", fontSize=14, leading=17.5, alignment=TA_CENTER,
    textColor=Color(0.2, 0.2, 0.2),
)
NOTE = ParagraphStyle(
    "note", fontName="Times-Roman", fontSize=8.8, leading=11, alignment=TA_JUSTIFY,
    leftIndent=14, firstLineIndent=-14, spaceAfter=3.5,
)
NOTE_CONT = ParagraphStyle("note-cont", parent=NOTE, firstLineIndent=0)
REFERENCE = ParagraphStyle(
    "reference", fontName="Times-Roman", fontSize=9.5, leading=12, alignment=TA_LEFT,
    leftIndent=18, firstLineIndent=-18, spaceAfter=4,
)
COVER_TITLE = ParagraphStyle(
    "cover-title", fontName="Times-Bold", fontSize=25, leading=29, spaceAfter=10,
)
COVER_AUTHOR = ParagraphStyle(
    "cover-author", fontName="Times-Italic", fontSize=13, leading=16, spaceAfter=2,
)
COVER_DATE = ParagraphStyle(
    "cover-date", fontName="Helvetica", fontSize=9.5, leading=12, spaceAfter=14,
)
COLOPHON = ParagraphStyle(
    "colophon", fontName="Helvetica", fontSize=8.5, leading=11, alignment=TA_JUSTIFY,
    spaceAfter=7,
)
COLOPHON_KEY = ParagraphStyle("colophon-key", parent=COLOPHON, fontName="Helvetica-Bold", spaceAfter=2)
ADDRESS = ParagraphStyle("address", fontName="Helvetica", fontSize=8.5, leading=11)


# --------------------------------------------------------------------------- markdown

@dataclass
class Block:
    kind: str  # title, author, h2, h3, h4, para, bullet, note, note-cont
    text: str
    number: str = ""


def parse_markdown(md: str) -> list[Block]:
    """Parse the small Markdown subset the source file uses."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", md.strip()):
        if chunk.startswith("    "):
            blocks.append(Block("note-cont", chunk.strip()))
            continue
        chunk = chunk.strip()
        heading = re.match(r"^(#{1,4}) (.*)$", chunk)
        note = re.match(r"^(\d+)\. (.*)$", chunk, flags=re.S)
        if heading:
            level = len(heading.group(1))
            blocks.append(Block("title" if level == 1 else f"h{level}", heading.group(2)))
        elif chunk.startswith("- "):
            blocks.extend(Block("bullet", item.strip()) for item in chunk[2:].split("\n- "))
        elif note:
            blocks.append(Block("note", note.group(2), note.group(1)))
        elif re.fullmatch(r"\*[^*]+\*", chunk) and blocks and blocks[-1].kind == "title":
            blocks.append(Block("author", chunk.strip("*")))
        else:
            blocks.append(Block("para", " ".join(chunk.split())))
    return blocks


def inline(text: str) -> str:
    """Markdown inline markup -> reportlab paragraph markup."""
    text = escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"\*(.+?)\*", r"<i>\1</i>", text)
    return re.sub(r"\[\^(\d+)\]", r'<super rise="3.5" size="6.5">\1</super>', text)


# --------------------------------------------------------------------------- page furniture

class QuarkInfo(pdfdoc.PDFInfo):
    """Document Info as a DTP export writes it: a file-name Title and no Author."""

    def format(self, document):
        info = pdfdoc.PDFDictionary({
            "CreationDate": pdfdoc.PDFString("D:20041019113508-04'00'"),
            "ModDate": pdfdoc.PDFString("D:20041019113617-04'00'"),
            "Creator": pdfdoc.PDFString(self.creator),
            "Producer": pdfdoc.PDFString(self.producer),
            "Title": pdfdoc.PDFString(self.title),
        })
        return info.format(document)


class QuarkCanvas(Canvas):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._doc.info = QuarkInfo()


def draw_cover(canv: Canvas, doc) -> None:
    canv.saveState()
    canv.setFillColor(FOCAL_RED)
    canv.rect(0, PAGE_H - 30, PAGE_W, 30, stroke=0, fill=1)
    canv.setFillColor(black)
    y = PAGE_H - 58
    canv.setFont("Helvetica", 8.5)
    for name in ORG_NAMES:
        canv.drawString(MARGIN_X, y, name)
        y -= 11
    canv.setFont("Helvetica-Bold", 40)
    canv.setFillColor(FOCAL_RED)
    canv.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 86, "FOCAL")
    canv.setFillColor(black)
    canv.setFont("Helvetica", 7.5)
    for i, label in enumerate(("POLICY PAPER", "DOCUMENT DE POLITIQUE", "DOCUMENTO DE POLÍTICA")):
        canv.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 102 - 9 * i, label)
    canv.setFont("Helvetica-Bold", 11)
    canv.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 138, SERIES)
    canv.setStrokeColor(RULE_GREY)
    canv.setLineWidth(0.8)
    canv.line(MARGIN_X, PAGE_H - 148, PAGE_W - MARGIN_X, PAGE_H - 148)
    canv.restoreState()


def draw_running_header(canv: Canvas, doc) -> None:
    canv.saveState()
    line = "   \u00b7   ".join(ORG_NAMES)
    size = 7
    while stringWidth(line, "Helvetica", size) > PAGE_W - 2 * MARGIN_X:
        size -= 0.25
    canv.setFont("Helvetica", size)
    canv.setFillColor(RULE_GREY)
    canv.drawCentredString(PAGE_W / 2, PAGE_H - 46, line)
    canv.setStrokeColor(RULE_GREY)
    canv.setLineWidth(0.5)
    canv.line(MARGIN_X, PAGE_H - 52, PAGE_W - MARGIN_X, PAGE_H - 52)
    canv.setFillColor(black)
    canv.setFont("Times-Roman", 9.5)
    canv.drawCentredString(PAGE_W / 2, 36, str(canv.getPageNumber()))
    canv.restoreState()


class PullQuote(KeepTogether):
    def __init__(self, quote: str):
        rule = dict(width="70%", thickness=0.9, color=RULE_GREY, hAlign="CENTER")
        super().__init__([
            Spacer(1, 6),
            HRFlowable(spaceAfter=7, **rule),
            Paragraph(escape(quote), PULL),
            HRFlowable(spaceBefore=7, **rule),
            Spacer(1, 8),
        ])


# --------------------------------------------------------------------------- story

def with_pull_quotes(text: str, style: ParagraphStyle) -> list[Flowable]:
    """Paragraph(s) for text, with any pull quote anchored in it inserted.

    A quote anchored inside a paragraph goes in at the end of the line holding the
    anchor, so the paragraph breaks between two full lines as in a laid-out page.
    """
    for anchor, quote in PULL_QUOTES:
        at = text.find(escape(anchor))
        if at < 0:
            continue
        head, tail = split_at_line_end(text, at + len(escape(anchor)), style)
        if not tail:
            return [Paragraph(head, style), PullQuote(quote)]
        return [Paragraph(head, BODY_SPLIT_HEAD), PullQuote(quote), *with_pull_quotes(tail, style)]
    return [Paragraph(text, style)]


def markup_words(text: str) -> list[str]:
    """Words of paragraph markup; an italic or bold span stays one unit so a split keeps tags balanced."""
    words: list[str] = []
    for word in re.split(r" (?![^<]*>)", text):  # spaces outside tags
        if words and words[-1].count("<i>") + words[-1].count("<b>") > \
                words[-1].count("</i>") + words[-1].count("</b>"):
            words[-1] += " " + word
        else:
            words.append(word)
    return words


def split_at_line_end(text: str, cut: int, style: ParagraphStyle) -> tuple[str, str]:
    """Split text after the last word that still fits on the line where cut falls."""
    words = markup_words(text)
    taken = len(markup_words(text[:cut].strip()))

    def line_count(n: int) -> int:
        para = Paragraph(" ".join(words[:n]), style)
        para.wrap(BODY_WIDTH, 1e6)
        return len(para.blPara.lines)

    lines = line_count(taken)
    while taken < len(words) and line_count(taken + 1) == lines:
        taken += 1
    return " ".join(words[:taken]), " ".join(words[taken:])


def build_story(blocks: list[Block]) -> list[Flowable]:
    title = next(b.text for b in blocks if b.kind == "title")
    author = next(b.text for b in blocks if b.kind == "author")
    story: list[Flowable] = [
        Paragraph(escape(title), COVER_TITLE),
        Paragraph(escape(author), COVER_AUTHOR),
        Paragraph(DATE_LINE, COVER_DATE),
        NextPageTemplate("body"),
    ]
    section = ""
    item_number = 0
    for block in blocks:
        if block.kind in ("title", "author"):
            continue
        text = inline(block.text)
        if block.kind == "h2":
            section = block.text
            if section in ("EXECUTIVE SUMMARY", "RESUMEN", "RÉSUMÉ"):
                story.append(Paragraph(text, ABSTRACT_HEAD))
                continue
            if section == "INTRODUCTION":
                story.append(HRFlowable(width="100%", thickness=0.6, color=RULE_GREY,
                                        spaceBefore=6, spaceAfter=2))
            if section == "REFERENCES":
                story.append(CondPageBreak(160))
            story.append(Paragraph(text, H2))
        elif block.kind == "h3":
            story.append(Paragraph(text, H3))
        elif block.kind == "h4":
            item_number = 0
            story.append(Paragraph(text, H4))
        elif block.kind == "bullet" and section == "CONCLUSIONS":
            item_number += 1
            story.append(Paragraph(text, BULLET, bulletText=f"{item_number}."))
        elif block.kind == "bullet":
            # reportlab encodes U+2022 as WinAnsi 0x7F, which extractors cannot map; an en dash is safe
            story.append(Paragraph(text, BULLET, bulletText="\u2013"))
        elif block.kind == "note":
            story.append(Paragraph(f"{block.number}.\u00a0{text}", NOTE))
        elif block.kind == "note-cont":
            story.append(Paragraph(text, NOTE_CONT))
        elif section in ("EXECUTIVE SUMMARY", "RESUMEN", "RÉSUMÉ"):
            story.append(Paragraph(text, ABSTRACT))
        elif section == "REFERENCES":
            story.append(Paragraph(text, REFERENCE))
        else:
            story.extend(with_pull_quotes(text, BODY))
    story.extend(colophon())
    return story


def colophon() -> list[Flowable]:
    about = (
        "The Canadian Foundation for the Americas (FOCAL) is an independent, non-governmental "
        "organization that fosters informed and timely debate and dialogue on issues of importance "
        "to decision-makers and opinion leaders in Canada and throughout the western hemisphere. "
        "Established in 1990, FOCAL\u2019s mission is to develop a greater understanding of important "
        "hemispheric issues and help to build a stronger community of the Americas."
    )
    funding = (
        "The preparation and printing of this paper has been made possible thanks to support from "
        "the Department of Foreign Affairs and International Trade and the Canadian International "
        "Development Agency."
    )
    copies = "Additional copies of this policy paper may be obtained from the FOCAL web site (www.focal.ca)"
    address = (
        "1, rue Nicholas Street,<br/>Suite/Bureau 720<br/>Ottawa, Ontario<br/>K1N 7B7 Canada<br/>"
        "Tel/Tél : (613) 562-0005<br/>Fax/Téléc : (613) 562-2525<br/>"
        "E-mail/Courriel : focal@focal.ca<br/>www.focal.ca"
    )
    return [
        CondPageBreak(340),
        Spacer(1, 28),
        Paragraph(DATE_LINE, COLOPHON_KEY),
        Paragraph(f"ISBN: {ISBN}", COLOPHON_KEY),
        Paragraph(f"Publications Mail Agreement: {MAIL_AGREEMENT}", COLOPHON_KEY),
        Spacer(1, 10),
        Paragraph(about, COLOPHON),
        Paragraph(funding, COLOPHON),
        Paragraph(copies, COLOPHON),
        Spacer(1, 14),
        HRFlowable(width="100%", thickness=0.8, color=FOCAL_RED, spaceAfter=8),
        Paragraph('<font name="Helvetica-Bold" size="22" color="#9e1721">FOCAL</font>',
                  ParagraphStyle("focal", leading=26, spaceAfter=4)),
        Paragraph("<br/>".join(ORG_NAMES), ADDRESS),
        Spacer(1, 8),
        Paragraph(address, ADDRESS),
        Spacer(1, 14),
        Paragraph("\u00a9 Canadian Foundation for the Americas (FOCAL), 2004. All rights reserved.",
                  ParagraphStyle("copyright", parent=ADDRESS, fontSize=7.5)),
    ]


def build(source: Path = SOURCE_MD, output: Path = OUTPUT_PDF) -> Path:
    blocks = parse_markdown(source.read_text(encoding="utf-8"))
    doc = BaseDocTemplate(
        str(output), pagesize=letter, invariant=1, pageCompression=1,
        title="FPP-04-8_e.qxd", creator="QuarkXPress(tm) 6.1",
        producer="Acrobat Distiller 6.0.1 (Windows)",
        leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=PAGE_H - BODY_TOP,
        bottomMargin=BODY_BOTTOM,
    )
    width = BODY_WIDTH
    cover_frame = Frame(MARGIN_X, BODY_BOTTOM, width, PAGE_H - 160 - BODY_BOTTOM, id="cover",
                        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    body_frame = Frame(MARGIN_X, BODY_BOTTOM, width, BODY_TOP - BODY_BOTTOM, id="body",
                       leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate("cover", [cover_frame], onPage=draw_cover),
        PageTemplate("body", [body_frame], onPage=draw_running_header),
    ])
    doc.build(build_story(blocks), canvasmaker=QuarkCanvas)
    return output


if __name__ == "__main__":
    print(build())
