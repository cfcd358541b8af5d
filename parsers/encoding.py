"""Bytes to text: BOM, then a declared charset, then UTF-8, then charset-normalizer's guess (windows-1252 for Western text)."""

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

    A declaration is trusted only if the bytes decode cleanly with it: pages often
    declare utf-8 and are cp1252, rarely the other way round.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    candidates = [c for c in (declared, "utf-8") if c]
    for codec in candidates:
        try:
            return data.decode(codec), codec
        except (UnicodeError, LookupError):  # UnicodeError: the idna codec raises no UnicodeDecodeError
            continue
    codec = _guess(data[:_GUESS_SAMPLE_BYTES])
    return data.decode(codec, errors="replace"), codec


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
