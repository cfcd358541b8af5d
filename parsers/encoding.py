"""Bytes to text: BOM, then UTF-8 when the bytes prove it (all of them, or all but a stray few), then a declared charset, then charset-normalizer's guess (windows-1252 for Western text)."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_ASCII = bytes(range(128))
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_UTF8_MIN_SEQUENCE_BYTES = 40
_UTF8_MAX_STRAY_SHARE = 0.02
# Guessing is the slow path; a sample is enough to tell cp1252 from utf-8 or latin-1.
_GUESS_SAMPLE_BYTES = 256 * 1024
# Browsers treat these labels as windows-1252 (WHATWG Encoding Standard).
_WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}
# Single-byte Latin code pages a detector picks almost at random for undeclared Western text
# (an unlabelled Spanish cp1252 page came out as cp1250, turning "ñ" into "ń"): such input is
# read as windows-1252, the HTML default. Spelled as ``codecs`` names them ("iso8859-2").
_LATIN_GUESSES = frozenset(
    codecs.lookup(label).name
    for label in "cp1250 cp1252 cp1254 cp1257 iso8859_2 iso8859_9 iso8859_15 latin_1 mac_roman mac_latin2 cp850 cp437".split()
)


def _normal_codec(label: str) -> str | None:
    label = label.strip().lower()
    label = _WHATWG_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_html_charset(data: bytes) -> str | None:
    """The charset a page's own <meta> declares in its first KB, as a Python codec name."""
    match = _META_CHARSET.search(data[:4096])
    return _normal_codec(match.group(1).decode("ascii", "ignore")) if match else None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding_used)``. Never raises on bad bytes.

    The bytes outrank the label: non-ASCII bytes that all form valid UTF-8 sequences are
    UTF-8 whatever the page declares (a legacy single-byte text almost never is; pages
    declaring iso-8859-15 over UTF-8 bytes read "PolÃ­tica" otherwise). A declaration is
    then trusted only if the bytes decode cleanly with it: pages often declare utf-8 and
    are cp1252.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and (declared is None or not text.isascii()):
        return text, "utf-8"
    if text is None and _mostly_utf8(data):
        # A stray legacy byte (a pasted footer, an ad) does not make the rest windows-1252.
        return data.decode("utf-8", errors="replace"), "utf-8"
    if declared:
        try:
            return data.decode(declared), declared
        except (UnicodeError, LookupError):  # UnicodeError: the idna codec raises no UnicodeDecodeError
            pass
    if text is not None:  # ASCII under a label that cannot read it
        return text, "utf-8"
    codec = _guess(data[:_GUESS_SAMPLE_BYTES])
    return data.decode(codec, errors="replace"), codec


def _mostly_utf8(data: bytes) -> bool:
    """Non-ASCII bytes that nearly all form valid UTF-8 sequences, and enough of them: text in
    a legacy code page makes such sequences only by rare accident ("Ã©" spelled out)."""
    non_ascii = len(data.translate(None, _ASCII))
    stray = len(_UTF8_SEQUENCE.sub(b"", data).translate(None, _ASCII))
    return non_ascii - stray >= _UTF8_MIN_SEQUENCE_BYTES and stray <= _UTF8_MAX_STRAY_SHARE * non_ascii


def _guess(sample: bytes) -> str:
    """charset-normalizer's pick as a codec name; windows-1252 when it picks a Latin code page,
    when windows-1252 ties with its pick, and when it has none."""
    results = from_bytes(sample)
    best = results.best()
    windows_1252 = next((match for match in results if match.encoding == "cp1252"), None)
    if best is None or (windows_1252 is not None and windows_1252.chaos <= best.chaos):
        return "cp1252"
    codec = _normal_codec(best.encoding)
    # A BOM-less UTF-16 or UTF-32 guess on mostly-ASCII bytes is nearly always wrong.
    if codec is None or codec in _LATIN_GUESSES or codec.startswith(("utf-16", "utf-32")):
        return "cp1252"
    return codec
