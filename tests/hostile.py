"""Build the hostile-input corpus: every kind of broken or malicious file a nightly run may meet.

Small cases are written byte by byte here; large ones (a 50 MB page, a PDF bomb, 100,000
nested elements) are generated, never stored. Each case says what must become of it: a
document (with text it must contain) or a reject with one of the accepted reasons.
"""

from __future__ import annotations

import codecs
import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from conftest import DATA, RAW
from docpipe.reasons import RejectReason


@dataclass(frozen=True)
class Expected:
    document: bool  # a document is an acceptable outcome
    reasons: frozenset[RejectReason] = frozenset()  # the reject reasons that are acceptable outcomes
    contains: tuple[str, ...] = ()  # for a document: text that must survive
    absent: tuple[str, ...] = ()  # for a document: text that must not

    def __or__(self, other: Expected) -> Expected:
        return Expected(self.document or other.document, self.reasons | other.reasons, self.contains + other.contains, self.absent + other.absent)


def document(*contains: str, absent: tuple[str, ...] = ()) -> Expected:
    return Expected(True, contains=contains, absent=absent)


def reject(*reasons: str) -> Expected:
    return Expected(False, frozenset(RejectReason(reason) for reason in reasons))


@dataclass
class HostileCorpus:
    folder: Path
    cases: dict[str, Expected] = field(default_factory=dict)

    def add(self, name: str, data: bytes, expected: Expected) -> None:
        (self.folder / name).write_bytes(data)
        self.cases[name] = expected


def png_bytes() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")


def zip_bytes() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document>not a pdf</w:document>")
    return buffer.getvalue()


def assemble_pdf(objects: list[bytes]) -> bytes:
    """A PDF file of the given objects (numbered from 1, the catalog first) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _deflated_spaces(inflated_bytes: int) -> bytes:
    compressor = zlib.compressobj(1)
    block = b" " * (1 << 24)
    return b"".join(compressor.compress(block) for _ in range(inflated_bytes >> 24)) + compressor.flush()


def pdf_bomb(inflated_bytes: int) -> bytes:
    """A one-page PDF whose content stream is ``inflated_bytes`` of spaces, deflated to ~1/200."""
    stream = _deflated_spaces(inflated_bytes)
    return assemble_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ])


def form_bomb(inflated_bytes: int) -> bytes:
    """A one-page PDF whose tiny content draws a form XObject of ``inflated_bytes`` deflated spaces."""
    stream = _deflated_spaces(inflated_bytes)
    content = b"q /Fm1 Do Q"
    return assemble_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Fm1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
        + stream + b"\nendstream",
    ])


def big_html(size: int) -> bytes:
    paragraph = "<p>The water board reviewed pump number {n} and approved its repair before the summer.</p>\n"
    parts, total, n = [], 0, 0
    while total < size:
        part = paragraph.format(n=n)
        parts.append(part)
        total += len(part)
        n += 1
    return ("<!DOCTYPE html><html lang='en'><head><title>Pumps</title></head><body><main>" + "".join(parts) + "</main></body></html>").encode()


def build(folder: Path, *, big_html_bytes: int = 50 * 2**20, bomb_bytes: int = 2**30) -> HostileCorpus:
    corpus = HostileCorpus(folder)
    focal_pdf = next(RAW.glob("001_*.pdf")).read_bytes()
    article = "<p>The minister said the new treaty on river water would be signed in the spring by both countries.</p>"

    corpus.add("zero-bytes.txt", b"", reject("empty"))
    corpus.add("png-named.html", png_bytes(), reject("unsupported_format"))
    corpus.add("png-named.pdf", png_bytes(), reject("unsupported_format"))
    corpus.add("zip-named.html", zip_bytes(), reject("unsupported_format"))
    corpus.add("zip-named.pdf", zip_bytes(), reject("unsupported_format"))
    corpus.add("truncated.pdf", focal_pdf[: len(focal_pdf) // 3], reject("corrupt_pdf", "no_text_layer"))
    corpus.add("broken-xref.pdf", focal_pdf.replace(b"startxref", b"startxref\n99999999\n%"), document("Mexico"))
    corpus.add("encrypted.pdf", (DATA / "pdf" / "en_encrypted_aes256.pdf").read_bytes(), reject("encrypted"))
    corpus.add("scanned.pdf", (DATA / "pdf" / "fr_scan_notext.pdf").read_bytes(), reject("no_text_layer"))
    corpus.add("bomb.pdf", pdf_bomb(bomb_bytes), reject("decompression_bomb"))
    corpus.add("big-page.html", big_html(big_html_bytes), reject("too_large"))
    deep = b"<html><body><main>" + article.encode() + b"<div>" * 100_000 + b"<p>Deep down.</p>" + b"</div>" * 100_000 + b"</main></body></html>"
    corpus.add("deep.html", deep, document("river water") | reject("too_deeply_nested"))
    corpus.add(
        "script-style.html",
        (
            "<html><head><title>Treaty</title><style>p { color: red } .secret-style-text {}</style>"
            "<script>var secretScriptText = 'do not keep me';</script></head><body><main>" + article
            + "<script>document.write('more secret script text')</script></main></body></html>"
        ).encode(),
        document("river water", absent=("secret", "color: red")),
    )
    corpus.add("nul-bytes.html", ("<html><body><main>" + article.replace("treaty", "tre\x00aty") + "</main></body></html>").encode(), document("river water"))
    utf16 = "Le traité sur l'eau de la rivière sera signé au printemps par les deux pays voisins.\n"
    corpus.add("utf16-bom.txt", codecs.BOM_UTF16_LE + utf16.encode("utf-16-le"), document("traité sur l'eau de la rivière"))
    latin1 = "El tratado sobre el agua del río será firmado en primavera por ambos países vecinos.\n"
    corpus.add("latin1.txt", latin1.encode("latin-1"), document("agua del río será firmado"))
    corpus.add("invalid-utf8.txt", b"The river treaty \xff\xfe was signed \xc3\x28 in spring by both neighbouring countries.\n", document("river treaty"))
    corpus.add("name with spaces.txt", b"A treaty on the river water was signed by both countries in the spring.\n", document("river water"))
    corpus.add("accentué-ñandú.txt", "Un tratado sobre el agua del río fue firmado por ambos países.\n".encode(), document("agua del río"))
    corpus.add("new\nline.txt", b"The river treaty was signed by both countries in the spring of that year.\n", document("river treaty"))

    os.symlink("loop-b.html", folder / "loop-a.html")
    os.symlink("loop-a.html", folder / "loop-b.html")
    for name in ("loop-a.html", "loop-b.html"):
        corpus.cases[name] = reject("unreadable")
    unreadable = folder / "unreadable.txt"
    unreadable.write_bytes(b"Only root can read this note about the river treaty and its signature.\n")
    unreadable.chmod(0)
    # root reads any file: there the case shows that the mode bits are not what stops us
    corpus.cases["unreadable.txt"] = document("river treaty") if os.geteuid() == 0 else reject("unreadable")
    fifo = folder / "named-pipe.txt"
    os.mkfifo(fifo)
    corpus.cases["named-pipe.txt"] = reject("not_a_regular_file")
    return corpus
