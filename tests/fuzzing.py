"""Mutations of real inputs, for the fuzz campaign (bench/fuzz.py) and the suite's smoke fuzz.

A mutant is a seed file (a devset page or PDF, a text, a hostile input) changed by one to four
mutations: byte-level (flips, cuts, duplicated ranges, splices of another seed) and
structure-aware (tags, entities, comments, CDATA, charset declarations, BOMs, bidi and
zero-width characters, superscript and non-ASCII digits, impossible dates in <time>, meta and
JSON-LD; PDF objects, numbers, names, streams, strings and the xref table). A mutant is
reproducible from its seed file and its own 64-bit seed: ``mutate(seed, rng_seed, donors)``.

``allowed_reasons`` says which reject reasons an input of a class may honestly get: never
``internal_error``, and never, say, ``corrupt_pdf`` for a page without a PDF header.
"""

from __future__ import annotations

import codecs
import random
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from conftest import DATA, RAW
from docpipe.reasons import RejectReason

Mutation = Callable[[bytes, random.Random, "Sequence[Seed]"], bytes]


@dataclass(frozen=True)
class Seed:
    name: str
    kind: str  # "html", "pdf" or "text": how the file is named, and which mutations apply
    data: bytes


@dataclass(frozen=True)
class Mutant:
    number: int
    seed: Seed
    rng_seed: int  # mutate(seed, rng_seed, donors) gives the same bytes again
    mutations: tuple[str, ...]
    data: bytes

    @property
    def file_name(self) -> str:
        return f"mutant-{self.number:06d}.{'txt' if self.seed.kind == 'text' else self.seed.kind}"


_SUFFIX_KIND = {".html": "html", ".htm": "html", ".pdf": "pdf", ".txt": "text"}


def seeds_from(folders: Sequence[Path]) -> list[Seed]:
    """Every HTML, PDF and text file directly in ``folders``, as seeds."""
    found = []
    for folder in folders:
        for path in sorted(folder.iterdir()):
            kind = _SUFFIX_KIND.get(path.suffix.lower())
            if kind and path.is_file():
                found.append(Seed(f"{folder.name}/{path.name}", kind, path.read_bytes()))
    return found


def small_pdf() -> bytes:
    """A one-page PDF of a few lines in Helvetica, with an Info dictionary: read in a tenth of
    the time of a real paper, so that the suite can afford many mutants of it."""
    lines = [b"Annual report of the school garden programme", b"Updated 5 March 2021", b"Jane Doe and John Roe"]
    lines += [b"The programme reached forty schools of the region during the last academic year, and more."] * 12
    content = b"BT /F1 11 Tf 14 TL 72 720 Td " + b" ".join(b"(%s) '" % line for line in lines) + b" ET"
    info = b"<< /Title (Annual report) /Author (Jane Doe; John Roe) /CreationDate (D:20210305120000Z) >>"
    return one_page_pdf(content, info)


def one_page_pdf(content: bytes, info: bytes | None = None) -> bytes:
    """A Letter page drawing ``content`` (a content stream using /F1, Helvetica), with an Info dictionary if given."""
    from hostile import assemble_pdf

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    if info is None:
        return assemble_pdf(objects)
    return assemble_pdf([*objects, info]).replace(b"/Root 1 0 R", b"/Root 1 0 R /Info 6 0 R")


def suite_seeds() -> list[Seed]:
    """Seeds small and quick enough for the suite: raw/'s pages and texts, the shorter pages of
    tests/data, its texts, and a small PDF (raw/'s paper takes over a second a copy)."""
    pages = [seed for seed in seeds_from([RAW, DATA / "html"]) if seed.kind != "pdf" and len(seed.data) < 60_000]
    return pages + seeds_from([DATA / "seeds", DATA / "lang"]) + [Seed("small.pdf", "pdf", small_pdf())]


def hostile_seeds(folder: Path) -> list[Seed]:
    """The hostile corpus of tests/hostile.py, its big cases made small (the 50 MB page is 200 kB,
    the bomb inflates to 300 MiB: still past the cap), minus what cannot be read as bytes."""
    import hostile

    corpus = hostile.build(folder, big_html_bytes=200_000, bomb_bytes=300 * 2**20)
    found = []
    for name in sorted(corpus.cases):
        path = folder / name
        if path.is_file() and not path.is_symlink() and path.stat().st_mode & 0o444:
            kind = _SUFFIX_KIND.get(path.suffix.lower(), "text")
            found.append(Seed(f"hostile/{name}", kind, path.read_bytes()))
    return found


# -- byte level --------------------------------------------------------------------------------


def _flip(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _delete(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[at + rng.choice((1, 8, 64, 512, 4096)) :]


def _duplicate(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    at = rng.randrange(len(data) + 1)
    piece = data[at : at + rng.choice((1, 16, 256, 4096))]
    return data[:at] + piece * rng.choice((2, 3, 50)) + data[at:]


def _truncate(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _random_bytes(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    return _insert(data, rng, bytes(rng.randrange(256) for _ in range(rng.randint(1, 64))))


def _splice(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    donor = rng.choice(donors).data
    start = rng.randrange(len(donor) + 1)
    piece = donor[start : start + rng.choice((16, 512, 8192))]
    at = rng.randrange(len(data) + 1)
    return data[:at] + piece + data[at + rng.choice((0, 0, len(piece))) :]


def _insert(data: bytes, rng: random.Random, token: bytes) -> bytes:
    """``token`` at a random place: half of the time right after a tag ends, where text starts."""
    at = rng.randrange(len(data) + 1)
    if rng.random() < 0.5:
        after_tag = data.find(b">", at)
        at = after_tag + 1 if after_tag >= 0 else at
    return data[:at] + token + data[at:]


# -- text and markup -----------------------------------------------------------------------------

_INVISIBLE = ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\ufffe", "\x00", "\x0b", "\x85", "\u2028", "\u2029"]
_ODD_DIGITS = ["²", "³", "¹", "⁴", "₂", "½", "①", "٣", "٢٠٢١", "३", "৩", "３", "２０２１", "𝟚", "Ⅻ", "〇", "፲"]
IMPOSSIBLE_DATES = [
    "2021-02-30", "2021-13-01", "0000-00-00", "9999-99-99", "2021-00-10", "²⁰²¹-03-05", "٢٠٢١-٠٣-٠٥", "２０２１-03-05",
    "2021-03-05T25:61:61Z", "31 February 2020", "30 févr. 2020", "Publié le 3² mai 2019", "Updated 5 March 2021 ²",
    "2021-3-5", "1e9", "-2021-01-01", "2021-1-1-1-1", "20210305", "99999-01-01", "2019/02/29", "0", "null", "", "   ",
    "May 2021 ٣", "3 ٣ mayo 2021", "le 1er janvier 10000", "2021-02-29T00:00:00+99:99",
]
_TAGS = [
    "<div>", "</div>", "<p>", "</p>", "<article>", "</article>", "<main>", "</main>", "<body>", "</body>", "<html>",
    "<head>", "</head>", "<h1>", "</h1>", "<li>", "<ul>", "<table><tr><td>", "</td></tr></table>", "<pre>", "</pre>",
    "<br>", "<br/>", "</br>", "<hr>", "<blockquote>", "<figure><figcaption>", "<nav>", "</nav>", "<footer>", "<aside>",
    "<section class='comments'>", "<div class='share'>", "<div hidden>", "<p style='display:none'>", "<select>",
    "<option>", "<button>", "<template>", "<svg>", "<math>", "<noscript>", "<script>", "</script>", "<style>", "<title>",
    "<x-custom-element>", "<footer-widget>", "<article itemprop='articleBody'>", "<div role='main'>", "<a href='/author/x'>",
    "<p class=\"\x00\">", "<a href='http://[x'>", "<img src=x onerror=alert(1)>", "<", ">", "</", "<!", "<?xml version='1.0'?>",
    "<!DOCTYPE html>", "<![CDATA[", "]]>", "<![CDATA[ <p>inside</p> ]]>", "<!--", "-->", "<!-- x --!>", "<!--->", "<!-- <p> -->",
    "&amp;", "&#0;", "&#x110000;", "&#xD800;", "&#55296;", "&nbsp;", "&bogus;", "&#99999999999;", "&#x;", "&", "&lt;p&gt;",
    "&#178;", "&sup2;",
]
_CHARSETS = ["utf-8", "utf-16", "utf-16le", "utf-32", "utf-7", "cp1252", "iso-8859-1", "shift_jis", "gb18030", "koi8-r",
             "idna", "rot13", "base64", "hex", "x-user-defined", "bogus", "utf-8\x00", "", "unicode-1-1-utf-7", "mbcs"]
_ENCODINGS = ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1", "shift_jis", "gb18030", "koi8-r", "utf-7", "cp437"]
_BOMS = [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE]
_JSON_LD = [
    '{"@type": "NewsArticle", "datePublished": %s}',
    '{"@type": ["Article", 3], "author": %s, "headline": %s}',
    '{"@graph": [{"@type": "BlogPosting", "publisher": %s, "dateCreated": %s}]}',
    '[[[[{"@type": "Report", "articleBody": %s}]]]]',
    '{"@type": "WebPage", "description": %s, "dateModified": %s}',
]
_JSON_VALUES = ['"2021-02-30"', "null", "42", "1e999", "[]", "{}", '["2021-03-05", 7]', '{"name": {"name": ["x", null]}}',
                '"²⁰²¹"', '"\\ud800"', '"' + "a" * 300 + '"', '{"@id": "http://[x"}', "true", '"By Jane Doe"',
                "[" * 3000 + "]" * 3000, "[" * 900 + '"The Gazette"' + "]" * 900, '{"name": ' * 900 + '"Jane Doe"' + "}" * 900]


def _token(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    pool = rng.choice((_TAGS, _INVISIBLE, _ODD_DIGITS, IMPOSSIBLE_DATES))
    return _insert(data, rng, "".join(rng.choice(pool) for _ in range(rng.randint(1, 4))).encode("utf-8", "surrogatepass"))


def _dates(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    date = rng.choice(IMPOSSIBLE_DATES)
    markup = rng.choice([
        f'<meta property="article:published_time" content="{date}">', f'<meta name="date" content="{date}">',
        f'<meta name="dc.date" content="{date}">', f'<time datetime="{date}">{date}</time>', f"<p>Posted on {date}</p>",
        f'<p class="byline">By Jane Doe, {date}</p>', f'<link rel="canonical" href="https://example.org/{date}/story/">',
    ])
    return _insert(data, rng, markup.encode("utf-8"))


def _json_ld(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    template = rng.choice(_JSON_LD)
    body = template % tuple(rng.choice(_JSON_VALUES) for _ in range(template.count("%s")))
    return _insert(data, rng, f'<script type="application/ld+json">{body}</script>'.encode("utf-8", "surrogatepass"))


def _charset(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    meta = f'<meta charset="{rng.choice(_CHARSETS)}">'.encode()
    declared = re.compile(rb"<meta[^>]+charset[^>]*>", re.I)
    if declared.search(data[:4096]) and rng.random() < 0.7:
        return declared.sub(meta, data, count=1)
    return meta + data if rng.random() < 0.5 else _insert(data, rng, meta)


def _transcode(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    return data.decode("utf-8", "replace").encode(rng.choice(_ENCODINGS), "replace")


def _bom(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    bom = rng.choice(_BOMS)
    return bom + data if rng.random() < 0.7 else _insert(data, rng, bom)


def _nest(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    tag = rng.choice(("div", "b", "li", "table", "article", "section", "blockquote", "span"))
    depth = rng.choice((6, 40, 300, 3000))
    inner = b"<p>Nested words, a date 5 March 2021 \xc2\xb2, and more.</p>"
    return _insert(data, rng, f"<{tag}>".encode() * depth + inner + (f"</{tag}>".encode() * depth if rng.random() < 0.5 else b""))


def _break_tags(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    """Drop or duplicate some '<' and '>', or swap a closing tag for another: tag soup."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 12)):
        positions = [m.start() for m in re.finditer(rb"[<>]", bytes(out[:200_000]))]
        if not positions:
            break
        at = rng.choice(positions)
        action = rng.randrange(3)
        if action == 0:
            del out[at]
        elif action == 1:
            out[at:at] = out[at : at + 1]
        else:
            out[at : at + 1] = rng.choice((b"</p>", b"</div>", b"</body>", b"</html>", b"<p>"))
    return bytes(out)


# -- PDF -------------------------------------------------------------------------------------------

_NUMBER = re.compile(rb"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")
_NAME = re.compile(rb"/[A-Za-z][\w.+-]*")
_PDF_NAMES = [b"/FlateDecode", b"/LZWDecode", b"/ASCII85Decode", b"/ASCIIHexDecode", b"/DCTDecode", b"/RunLengthDecode",
              b"/Page", b"/Pages", b"/Font", b"/Type0", b"/Type3", b"/Identity-H", b"/Encrypt", b"/XObject", b"/Form",
              b"/Contents", b"/Kids", b"/Parent", b"/Resources", b"/Length", b"/ObjStm", b"/XRef", b"/Catalog", b"/Null"]
_ODD_NUMBERS = [b"0", b"-1", b"-0", b"2147483648", b"99999999999999999999", b"1e308", b"3.4.5", b"0.0000001", b"-99999", b"NaN", b"1"]
_KEYWORDS = [b"endstream", b"stream", b"endobj", b" obj", b"xref", b"trailer", b"startxref", b"%%EOF", b"R", b"<<", b">>", b"[", b"]"]
_CONTENT_OPS = [
    b"BT /F1 12 Tf 72 700 Td (Inserted text with \xb2 and a date 5 March 2021) Tj ET",
    b"BT /F1 1e38 Tf 1e38 0 Td (x) Tj ET", b"BT /F1 0 Tf (zero size) Tj ET", b"BT /NoSuchFont 12 Tf (x) Tj ET",
    b"BT [(a) -1e300 (b) 99999 (c)] TJ ET", b"q " * 500, b" Q" * 500, b"(unbalanced Tj", b"<ZZ> Tj", b"<414> Tj",
    b"1 0 0 0 0 0 cm", b"/Fm1 Do", b"/Im0 Do", b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI", b"BT ET ET BT", b"Tj Tj Tj",
    b"0 0 1e308 1e308 re f", b"[] 0 d", b"/GS0 gs", b"BT 3 Tr (invisible) Tj ET",
]
_INFO_VALUES = [b"(D:99999999999999)", b"(D:2021\xb20305)", b"(D:20210230)", b"<FEFF00>", b"<FEFFD800>", b"(\xfe\xff\x00)",
                b"(Microsoft Word - report.docx)", b"(Jane Doe\xb2; John Roe)", b"()", b"/Name", b"42", b"[1 2 3]", b"<< >>",
                b"(ISBN 978-0-306-40615-7 \xb2)", b"(doi:10.1000/\xe2\x80\xae182)"]
_STREAM = re.compile(rb"stream\r?\n")
_FILTERS = [b"/FlateDecode", b"/LZWDecode", b"/ASCII85Decode", b"/ASCIIHexDecode", b"/RunLengthDecode", b"/CCITTFaxDecode",
            b"/DCTDecode", b"/JBIG2Decode", b"/JPXDecode", b"/Crypt", b"/NoSuchFilter", b"[/FlateDecode /FlateDecode]",
            b"[/ASCIIHexDecode /FlateDecode]", b"[]"]


def _pdf_number(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    matches = list(_NUMBER.finditer(data, 0, min(len(data), 2_000_000)))
    if not matches:
        return data
    chosen = rng.sample(matches, min(len(matches), rng.randint(1, 6)))
    for match in sorted(chosen, key=lambda m: m.start(), reverse=True):  # from the end: earlier offsets stay right
        data = data[: match.start()] + rng.choice(_ODD_NUMBERS) + data[match.end() :]
    return data


def _pdf_name(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    matches = list(_NAME.finditer(data, 0, min(len(data), 2_000_000)))
    if not matches:
        return data
    match = rng.choice(matches)
    return data[: match.start()] + rng.choice(_PDF_NAMES) + data[match.end() :]


def _pdf_keyword(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    keyword = rng.choice(_KEYWORDS)
    places = [m.start() for m in re.finditer(re.escape(keyword), data)]
    if not places:
        return data
    at = rng.choice(places)
    action = rng.randrange(3)
    if action == 0:
        return data[:at] + data[at + len(keyword) :]
    if action == 1:
        return data[:at] + keyword + data[at:]
    return data[:at] + rng.choice(_KEYWORDS) + data[at + len(keyword) :]


def _pdf_xref(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    """Point startxref, or some xref entries, somewhere else."""
    if rng.random() < 0.5:
        return re.sub(rb"startxref\s+\d+", b"startxref\n" + rng.choice(_ODD_NUMBERS), data)
    entries = list(re.finditer(rb"(?m)^\d{10} \d{5} [nf]", data))
    out = bytearray(data)
    for entry in rng.sample(entries, min(len(entries), rng.randint(1, 5))):
        out[entry.start() : entry.start() + 10] = b"%010d" % rng.choice((0, 1, len(data) - 1, entry.start(), rng.randrange(len(data))))
    return bytes(out)


def _pdf_stream_content(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    """Inflate one deflated stream (page content, an object or xref stream), change it, deflate it back."""
    starts = [m.end() for m in _STREAM.finditer(data)]
    rng.shuffle(starts)
    for start in starts[:20]:
        end = data.find(b"endstream", start)
        if end < 0:
            continue
        try:
            inflater = zlib.decompressobj()
            content = inflater.decompress(data[start:end], 8 * 2**20)
        except zlib.error:
            continue
        if not content:
            continue
        at = rng.randrange(len(content) + 1)
        action = rng.randrange(3)
        if action == 0:
            content = content[:at] + b"\n" + rng.choice(_CONTENT_OPS) + b"\n" + content[at:]
        elif action == 1:
            content = content[:at] + content[at + rng.choice((1, 16, 256)) :]
        else:
            content = _pdf_number(content, rng, donors)
        packed = zlib.compress(content)
        if rng.random() < 0.7:  # keep /Length honest most of the time, so the change is read
            head = data.rfind(b"/Length", 0, start)
            length = _NUMBER.search(data, head, start) if head >= 0 else None
            if length:
                data = data[: length.start()] + str(len(packed)).encode() + data[length.end() : start] + packed + data[end:]
                return data
        return data[:start] + packed + data[end:]
    return data


def _pdf_info(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    """An odd value for a document-information entry: a title, author, date or identifier."""
    key = rng.choice((b"/Title", b"/Author", b"/CreationDate", b"/ModDate", b"/Subject", b"/Keywords", b"/Producer"))
    value = rng.choice(_INFO_VALUES)
    existing = re.search(re.escape(key) + rb"\s*(\([^)]*\)|<[0-9A-Fa-f]*>)", data)
    if existing:
        return data[: existing.start(1)] + value + data[existing.end(1) :]
    trailer = data.rfind(b"<<", 0, data.rfind(b"trailer") + 1 if b"trailer" in data else 0)
    return data[: trailer + 2] + b" " + key + b" " + value + b" " + data[trailer + 2 :] if trailer >= 0 else data


def _pdf_self_reference(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    """A reference that loops: a page-tree reference pointed at another object (/Kids or
    /Parent loops), or a small object whose whole body is a reference to itself."""
    if rng.random() < 0.3:
        small = [m for m in re.finditer(rb"(\d+) (\d+) obj(.{0,2000}?)endobj", data, re.S) if b"stream" not in m.group(3)]
        if small:
            target = rng.choice(small)
            return data[: target.start(3)] + b"\n" + target.group(1) + b" " + target.group(2) + b" R\n" + data[target.end(3) :]
    objects = list(re.finditer(rb"(\d+) (\d+) obj", data))
    refs = list(re.finditer(rb"/(?:Kids|Parent|Contents|Resources|Pages|Root)\s*\[?\s*(\d+) (\d+) R", data))
    if not objects or not refs:
        return data
    ref = rng.choice(refs)
    target = rng.choice(objects)
    return data[: ref.start(1)] + target.group(1) + b" " + target.group(2) + data[ref.end(2) :]


def _pdf_filter(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    """A stream that claims another filter than the one its data was written with (or none)."""
    lengths = list(re.finditer(rb"/Length\b", data))
    if not lengths:
        return data
    at = rng.choice(lengths).start()
    declared = re.compile(rb"/Filter\s*(?:/\w+|\[[^\]]*\])")
    start = data.rfind(b"<<", 0, at)
    existing = declared.search(data, start, at) if start >= 0 else None
    replacement = b"/Filter " + rng.choice(_FILTERS) if rng.random() < 0.8 else b""
    if existing:
        return data[: existing.start()] + replacement + data[existing.end() :]
    return data[:at] + replacement + b" " + data[at:]


def _pdf_append_update(data: bytes, rng: random.Random, donors: Sequence[Seed]) -> bytes:
    """An incremental update whose trailer names a broken or looping object."""
    root = rng.choice((b"1 0 R", b"9999 0 R", b"0 0 R", b"-1 0 R", b"(string)"))
    body = b"\n9999 0 obj\n<< /Type /Pages /Kids [9999 0 R] /Count 1 >>\nendobj\n"
    offset = len(data) + 1
    return data + body + b"xref\n9999 1\n%010d 00000 n \ntrailer\n<< /Size 10000 /Root " % offset + root + b" >>\nstartxref\n%d\n%%%%EOF\n" % (offset + len(body) - 1)


_BYTES: list[Mutation] = [_flip, _delete, _duplicate, _truncate, _random_bytes, _splice]
_MARKUP: list[Mutation] = [_token, _token, _dates, _dates, _json_ld, _charset, _transcode, _bom, _nest, _break_tags]
_TEXT: list[Mutation] = [_token, _token, _token, _dates, _transcode, _bom]
_PDF: list[Mutation] = [
    _pdf_number, _pdf_name, _pdf_keyword, _pdf_xref, _pdf_stream_content, _pdf_stream_content, _pdf_info, _pdf_info,
    _pdf_self_reference, _pdf_filter, _pdf_append_update,
]
MUTATIONS = {"html": _BYTES + _MARKUP, "text": _BYTES + _TEXT, "pdf": _BYTES + _PDF}


def mutate(seed: Seed, rng_seed: int, donors: Sequence[Seed]) -> tuple[bytes, tuple[str, ...]]:
    """The mutant ``rng_seed`` of ``seed``: its bytes, and the mutations applied in order."""
    rng = random.Random(rng_seed)
    data, applied = seed.data, []
    for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
        mutation = rng.choice(MUTATIONS[seed.kind])
        data = mutation(data, rng, donors)
        applied.append(mutation.__name__.lstrip("_"))
    return data, tuple(applied)


# How often each kind of seed is picked, whatever their numbers (the devset has 20 pages per
# PDF): markup has the most ways to go wrong, a PDF costs ten pages' time.
KIND_WEIGHTS = {"html": 4, "text": 2, "pdf": 2}


def mutants(seeds: Sequence[Seed], count: int, campaign_seed: int) -> Iterator[Mutant]:
    """``count`` mutants; the same ``campaign_seed`` gives the same ones."""
    rng = random.Random(campaign_seed)
    by_kind: dict[str, list[Seed]] = {}
    for seed in seeds:
        by_kind.setdefault(seed.kind, []).append(seed)
    kinds = sorted(by_kind)
    weights = [KIND_WEIGHTS[kind] for kind in kinds]
    for number in range(count):
        seed = rng.choice(by_kind[rng.choices(kinds, weights)[0]])
        rng_seed = rng.getrandbits(64)
        data, applied = mutate(seed, rng_seed, seeds)
        yield Mutant(number, seed, rng_seed, applied, data)


_PDF_REASONS = frozenset({
    RejectReason.CORRUPT_PDF, RejectReason.NO_TEXT_LAYER, RejectReason.ENCRYPTED, RejectReason.DECOMPRESSION_BOMB,
    RejectReason.TOO_MANY_PAGES, RejectReason.LAYOUT_RUNAWAY, RejectReason.NO_CONTENT,
})
_MARKUP_AND_TEXT_REASONS = frozenset({
    RejectReason.NO_TEXT, RejectReason.NO_CONTENT, RejectReason.BINARY_CONTENT, RejectReason.UNSUPPORTED_FORMAT,
    RejectReason.TOO_DEEPLY_NESTED, RejectReason.TOO_LARGE,
})


def allowed_reasons(data: bytes, name: str) -> frozenset[RejectReason]:
    """The reject reasons an input of this class may get: by what its bytes are, as the
    detector sees them (a PDF header, or none), never a reason of another class, and never
    ``internal_error``, ``worker_crashed`` or ``timeout``."""
    if not data.strip():
        return frozenset({RejectReason.EMPTY})
    if b"%PDF-" in data[:1024]:
        return _PDF_REASONS
    if name.endswith(".pdf"):
        return _MARKUP_AND_TEXT_REASONS | {RejectReason.NOT_A_PDF}
    return _MARKUP_AND_TEXT_REASONS
