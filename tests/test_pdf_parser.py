"""The PDF path on real PDFs: reading order, page furniture, text repair, notes, metadata, rejects.

Files: tests/data/pdf/ (openly licensed devset PDFs, see tests/data/README.md) and the demo
corpus's raw/001 (FOCAL policy paper). Each document is parsed once per module: pdfminer's
layout analysis is the slow part.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTAnno, LTChar, LTContainer, LTTextLine
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from docpipe.boilerplate import clean
from docpipe.boilerplate.registry import BY_NAME
from docpipe.document import BlockKind, Document, RejectedInput, Source, SourceType
from docpipe.metadata import finalize_metadata
from docpipe.pipeline import process_path
from parsers.pdf import parse_pdf
from parsers.pdf.layout import LAYOUT_PARAMS, BoundedAggregator
from parsers.pdf.limits import PdfLimits

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "pdf"
HINDAWI = DATA / "en_hindawi2010_2col.pdf"
BMC = DATA / "en_bmc2012_2col.pdf"
FOCAL = ROOT / "raw" / "001_focal_fpp-04-8_canada_mexico.pdf"


def _source(path: Path, data: bytes) -> Source:
    return Source(str(path), hashlib.sha256(data).hexdigest(), len(data), SourceType.PDF)


def _parse(path: Path, **options: int) -> Document:
    data = path.read_bytes()
    return parse_pdf(data, _source(path, data), PdfLimits(**options))


def _cleaned(path: Path) -> Document:
    return finalize_metadata(clean(_parse(path)))


@pytest.fixture(scope="module")
def hindawi() -> Document:
    return _cleaned(HINDAWI)


@pytest.fixture(scope="module")
def bmc() -> Document:
    return _cleaned(BMC)


@pytest.fixture(scope="module")
def focal() -> Document:
    return _cleaned(FOCAL)


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def test_sentence_crossing_the_column_break_comes_out_whole(hindawi: Document) -> None:
    # Page 2: the sentence runs from the foot of the left column to the top of the right
    # one, where the journal's running head stands in between.
    assert "to raise issues important to their lives. The focus groups took place" in hindawi.text


def test_paragraph_crossing_a_page_break_is_one_block(bmc: Document) -> None:
    crossing = [b for b in bmc.blocks if "transfers of ectoparasites between individually identifiable hosts" in b.text]
    assert len(crossing) == 1 and crossing[0].kind is BlockKind.PARAGRAPH


def test_blocks_follow_the_columns(hindawi: Document) -> None:
    headings = [b.text for b in hindawi.blocks if b.kind is BlockKind.HEADING and re.match(r"\d+\. ", b.text)]
    numbers = [int(h.split(".")[0]) for h in headings]
    assert numbers == list(range(1, 12))


def test_no_running_header_or_page_number_in_the_body(hindawi: Document, bmc: Document) -> None:
    for block in hindawi.blocks:
        if block.page and block.page > 1:
            assert "Rehabilitation Research and Practice" not in block.text
        assert not re.fullmatch(r"\d{1,3}", block.text.strip())
    assert not any(re.search(r"Page \d+ of 11", b.text) for b in bmc.blocks)
    assert not any("Zohdy et al. BMC Ecology 2012, 12:4" in b.text for b in bmc.blocks)
    rules = hindawi.removal_counts()
    assert rules.get("running-header", 0) >= 4 and rules.get("page-number", 0) >= 4


def test_the_running_head_in_the_first_page_masthead_goes_too(bmc: Document) -> None:
    # Page 1 prints the running head with the publication date after it, below the overlay lines.
    (masthead,) = [r for r in bmc.removed if r.page == 1 and r.rule == "running-header"]
    assert masthead.text.startswith("Zohdy et al. BMC Ecology 2012, 12:4") and "(26 March 2012)" in masthead.text


def test_the_publishers_closing_advert_is_removed_and_the_references_before_it_stay(bmc: Document) -> None:
    advert = [r.text for r in bmc.removed if r.rule == "publisher-advert"]
    assert advert[0].startswith("Submit your next manuscript to BioMed Central")
    assert "Thorough peer review" in advert and advert[-1] == "Submit your manuscript at www.biomedcentral.com/submit"
    assert not any("BioMed Central and take full advantage" in b.text or b.text == "Thorough peer review" for b in bmc.blocks)
    assert "Lemur habitat and dental senescence in Ranomafana National Park" in bmc.blocks[-2].text  # the last reference


def test_hyphenation_is_undone_but_real_compounds_stay(hindawi: Document, bmc: Document) -> None:
    text = _squeezed(hindawi.text + " " + " ".join(b.text for b in hindawi.blocks))
    assert "Practical Assessment, Research & Evaluation" in text  # "Assess-" / "ment"
    assert "multidisciplinary" in text and "multidis-" not in text
    assert "considerable self-care demands" in text  # "self-" / "care" at a line end
    assert "University of Wisconsin-Madison" in text
    assert "calculate pair-wise distances" in bmc.text
    assert "difficult to document" in bmc.text


def test_ligatures_are_expanded(hindawi: Document) -> None:
    text = hindawi.text
    assert "staff" in text and "difficult" in text
    assert not re.search("[\ufb00-\ufb06]", text)


def test_notes_and_references_are_their_own_blocks(focal: Document, hindawi: Document) -> None:
    notes = [b for b in focal.blocks if b.kind is BlockKind.NOTE]
    assert len(notes) >= 16 and notes[0].text.startswith("1. This is a mega-project")
    references = [b for b in focal.blocks if b.kind is BlockKind.REFERENCE]
    assert any(b.text.startswith("Wilson-Forsberg, Stacey (2002).") for b in references)
    assert "mega-project comprising" not in focal.text  # notes stay out of the body text
    cited = [b for b in hindawi.blocks if b.kind is BlockKind.REFERENCE]
    assert len(cited) == 17 and all(b.text.startswith(f"[{i}]") for i, b in enumerate(cited, start=1))


def test_blocks_carry_page_font_and_box(hindawi: Document) -> None:
    title = next(b for b in hindawi.blocks if b.attrs.get("title"))
    assert title.kind is BlockKind.HEADING and title.level == 1 and title.page == 1
    body = [b for b in hindawi.blocks if b.kind is BlockKind.PARAGRAPH]
    assert title.font_size and body[5].font_size and title.font_size > body[5].font_size
    assert all(b.bbox and b.page for b in hindawi.blocks)
    assert {b.page for b in hindawi.blocks} == set(range(1, 7))


def test_run_in_abstract_heading_is_split_off(bmc: Document) -> None:
    abstract = next(i for i, b in enumerate(bmc.blocks) if b.text == "Abstract")
    assert bmc.blocks[abstract].kind is BlockKind.HEADING
    assert bmc.blocks[abstract + 1].text.startswith("Background: Studies of host-parasite interactions")


def test_abstract_without_a_heading_is_found() -> None:
    # Hindawi prints the abstract unheaded, smaller than the body, before "1. Introduction".
    doc = process_path(HINDAWI)
    assert isinstance(doc, Document), doc
    abstract = doc.abstracts["en"]
    assert abstract.heading is None and abstract.page == 1
    assert abstract.text.startswith("Objectives. Patient experiences of structured heart failure")
    assert abstract.text.endswith("sustain patients’ confidence in disease self-management.")
    assert "Objectives. Patient experiences" not in doc.text


def test_metadata_from_info_and_first_page(hindawi: Document) -> None:
    meta = hindawi.metadata
    assert meta.title == "Patient Experiences of Structured Heart Failure Programmes"
    assert meta.authors == ["Nuala E. Tully", "Karen M. Morgan", "Helen M. Burke", "Hannah M. McGee"]
    assert meta.doi == "10.1155/2010/157939"
    assert meta.page_count == 6 and not meta.encrypted
    assert meta.producer and meta.producer.startswith("Acrobat Distiller")
    assert hindawi.parser and hindawi.parser.startswith("pdfminer.six ")


def test_focal_policy_paper(focal: Document) -> None:
    meta = focal.metadata
    assert meta.title == "The Canada-Mexico Relationship: The Unfinished Highway"
    assert meta.authors == ["Olga Abizaid Bucio"]
    assert (meta.series, meta.isbn, meta.published_date) == ("FPP-04-8", "1-894992-13-X", "2004-10")
    assert meta.publisher == "FOCAL" and meta.page_count > 5
    removed = {r.rule for r in focal.removed}
    assert {"pull-quote", "running-header", "page-number", "colophon", "multilingual-name"} <= removed <= BY_NAME.keys()
    body = focal.text
    quotes = [r.text for r in focal.removed if r.rule == "pull-quote"]
    assert len(quotes) >= 3
    for quote in quotes:
        words = set(re.findall(r"\w+", quote.lower()))
        for block in focal.blocks:  # no kept block is a copy of the quote
            overlap = words & set(re.findall(r"\w+", block.text.lower()))
            assert not (len(overlap) > 0.7 * len(words) and len(block.text) < 1.5 * len(quote)), block.text
    # The body sentence a pull quote repeats stays, once.
    assert body.count("The Americas is the region where these countries have cooperated the least") == 1
    assert "Publications Mail Agreement" not in body and "Fundación Canadiense" not in body
    assert not any(b.text.startswith("Canadian Foundation for the Americas") for b in focal.blocks)
    for heading in ("EXECUTIVE SUMMARY", "RESUMEN", "RÉSUMÉ"):
        assert any(b.kind is BlockKind.HEADING and b.text == heading for b in focal.blocks)


def test_encrypted_pdf_is_rejected() -> None:
    with pytest.raises(RejectedInput) as refusal:
        _parse(DATA / "en_encrypted_aes256.pdf")
    assert refusal.value.reason == "encrypted"


def test_scanned_pdf_is_rejected_with_its_page_count() -> None:
    with pytest.raises(RejectedInput) as refusal:
        _parse(DATA / "fr_scan_notext.pdf")
    assert refusal.value.reason == "no_text_layer" and "1 page" in refusal.value.message


def test_truncated_pdf_is_rejected(tmp_path: Path) -> None:
    data = HINDAWI.read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) * 2 // 5])
    with pytest.raises(RejectedInput) as refusal:
        _parse(truncated)
    assert refusal.value.reason == "corrupt_pdf"


def test_garbage_after_the_header_is_rejected(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    with pytest.raises(RejectedInput) as refusal:
        _parse(broken)
    assert refusal.value.reason == "corrupt_pdf"


def test_page_cap_is_enforced() -> None:
    with pytest.raises(RejectedInput) as refusal:
        _parse(HINDAWI, max_pages=5)
    assert refusal.value.reason == "too_many_pages" and "5 pages" in refusal.value.message


def test_a_content_stream_that_inflates_past_the_cap_is_refused_before_it_is_inflated() -> None:
    import hostile

    for bomb in (hostile.pdf_bomb(32 * 2**20), hostile.form_bomb(32 * 2**20)):
        with pytest.raises(RejectedInput) as refusal:
            parse_pdf(bomb, _source(Path("bomb.pdf"), bomb), PdfLimits(max_content_bytes=2**20))
        assert refusal.value.reason == "decompression_bomb" and "page 1" in refusal.value.message
    # The same look at a real paper's streams finds nothing to refuse.
    assert _parse(HINDAWI, max_content_bytes=2**20).blocks


def test_page_with_runaway_glyph_count_is_rejected() -> None:
    with pytest.raises(RejectedInput) as refusal:
        _parse(HINDAWI, max_page_glyphs=1000)
    assert refusal.value.reason == "layout_runaway" and "page 1 " in refusal.value.message


def _layout(path: Path, device_of: Callable[[PDFResourceManager], PDFPageAggregator]) -> list[object]:
    """The first page as the device lays it out: each text box and line with its box, each
    space pdfminer inferred, each glyph with its attributes (colour and graphic state aside)."""
    resources = PDFResourceManager()
    device = device_of(resources)
    with path.open("rb") as handle:
        PDFPageInterpreter(resources, device).process_page(next(PDFPage.get_pages(handle)))
    found: list[object] = []

    def walk(container: LTContainer) -> None:
        for item in container:
            if isinstance(item, LTChar):
                found.append({k: v for k, v in vars(item).items() if k not in ("ncs", "graphicstate")})
            elif isinstance(item, LTAnno):
                found.append(item.get_text())
            elif isinstance(item, LTContainer):
                found.append(("line" if isinstance(item, LTTextLine) else type(item).__name__, item.bbox))
                walk(item)

    walk(device.get_result())
    return found


def test_the_layout_is_the_one_pdfminer_makes() -> None:
    # The parser builds the usual glyph and groups glyphs into lines itself, with less work
    # than pdfminer: not into different ones.
    for path in (HINDAWI, BMC):
        ours = _layout(path, lambda resources: BoundedAggregator(resources, 10**6))
        assert sum(isinstance(item, dict) for item in ours) > 100 and " " in ours
        assert ours == _layout(path, lambda resources: PDFPageAggregator(resources, laparams=LAYOUT_PARAMS))


def _typeset(path: Path, lines: list[str], overprint_line: int | None = None) -> None:
    """A one-column page set line by line with reportlab (Helvetica 11 pt, 14 pt leading)."""
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=(420, 600))
    canvas.setFont("Helvetica", 11)
    for index, line in enumerate(lines):
        y = 540 - 14 * index
        # Bold by overprinting: the same line struck three times, a fraction of a point apart.
        for offset in (0.0, 0.25, 0.5) if index == overprint_line else (0.0,):
            canvas.drawString(60 + offset, y, line)
    canvas.showPage()
    canvas.save()


def test_overprinted_text_and_line_end_hyphens(tmp_path: Path) -> None:
    lines = [
        "The agreement between the two federal govern-",
        "ments was signed by the non-",
        "governmental organisations of the Canada-",
        "Mexico partnership, and the self-",
        "help groups joined. It covered 62 projects in 2004.",
    ]
    pdf = tmp_path / "set.pdf"
    _typeset(pdf, lines, overprint_line=4)
    doc = _parse(pdf)
    assert [b.text for b in doc.blocks] == [
        "The agreement between the two federal governments was signed by the non-governmental "
        "organisations of the Canada-Mexico partnership, and the self-help groups joined. "
        "It covered 62 projects in 2004."
    ]


def test_a_dated_line_above_the_title_is_the_masthead(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "paper.pdf"
    canvas = Canvas(str(pdf), pagesize=(420, 600))
    canvas.setFont("Helvetica", 9)
    canvas.drawString(40, 570, "ACL 2024, Bangkok, 11-16 August 2024")
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawString(40, 520, "Water Supply in Rural Districts")
    canvas.setFont("Helvetica", 11)
    canvas.drawString(40, 495, "Ann Author and Ben Writer")
    body = [
        "The committee reviewed the water supply of every district in 2023 and agreed",
        "that the reservoirs need new pumps before the dry season begins next year.",
        "",
        "Members asked for a report on the costs, with a timetable for the works and",
        "a list of the districts where the need is most urgent, by the end of the month.",
    ]
    for index, line in enumerate(body):
        canvas.drawString(40, 450 - 14 * index, line)
    canvas.showPage()
    canvas.save()
    doc = _cleaned(pdf)
    assert [r.text for r in doc.removed if r.rule == "masthead"] == ["ACL 2024, Bangkok, 11-16 August 2024"]
    assert doc.metadata.title == "Water Supply in Rural Districts"
    assert "reviewed the water supply of every district in 2023" in doc.text and "Ann Author" in doc.text
