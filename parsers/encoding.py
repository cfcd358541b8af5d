"""Bytes to text: BOM, then UTF-8 when the bytes prove it (all of them, or all but a stray few), then a declared charset, then charset-normalizer's guess (windows-1252 for Western text).

Pages that mix UTF-8 with windows-1252 (a template in one, pasted text in the other) are
decoded segment by segment (source encoding "utf-8+cp1252"), and C1 control characters, which in real text are windows-1252
punctuation that went through a Latin-1 decoder ("l\x92exploitation"), become that
punctuation ("l’exploitation") instead of being deleted later as controls.
"""

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
_UTF8_RUN = re.compile(b"(?:" + _UTF8_SEQUENCE.pattern + b")+")
_UTF8_MIN_SEQUENCE_BYTES = 40
_UTF8_MAX_STRAY_SHARE = 0.02
# Labels (declared, or guessed for an undeclared page) under which bytes around UTF-8
# segments are read as windows-1252.
_TWINGLE_LEGACY = frozenset({"cp1252", "utf-8"})
# One substring search per C1 control: each runs in C at memory speed, ten times faster over a
# page than one search for the character class.
_C1 = tuple(chr(code) for code in range(0x80, 0xA0))
# Each C1 control -> the windows-1252 character of the same byte; the five bytes windows-1252
# leaves undefined stay controls (normalise_text deletes them).
_C1_AS_WINDOWS_1252 = {
    code: bytes([code]).decode("cp1252") for code in range(0x80, 0xA0) if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
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
    text, codec = _decoded(data, declared)
    if any(control in text for control in _C1):
        text = text.translate(_C1_AS_WINDOWS_1252)
    return text, codec


def _decoded(data: bytes, declared: str | None) -> tuple[str, str]:
    """decode's text before the C1 repair."""
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
        # A stray legacy byte (a pasted footer, an ad) does not make the rest windows-1252;
        # read as windows-1252 it is most likely a quote or an accented letter.
        return _per_segment(data), "utf-8"
    if text is None and _has_utf8_text(data) and (declared or _guess(data[:_GUESS_SAMPLE_BYTES])) in _TWINGLE_LEGACY:
        # UTF-8 and windows-1252 segments: each read as itself.
        return _per_segment(data), "utf-8+cp1252"
    if declared:
        try:
            return data.decode(declared), declared
        except (UnicodeError, LookupError):  # UnicodeError: the idna codec raises no UnicodeDecodeError
            pass
    if text is not None:  # ASCII under a label that cannot read it
        return text, "utf-8"
    codec = _guess(data[:_GUESS_SAMPLE_BYTES])
    return data.decode(codec, errors="replace"), codec


def _per_segment(data: bytes) -> str:
    """Runs of valid UTF-8 sequences read as UTF-8, the bytes between them as windows-1252.

    Not bs4's ``UnicodeDammit.detwingle``: it takes every byte from 0xC2 to 0xF4 for the start of a
    UTF-8 sequence without checking what follows, so a windows-1252 "é" (0xE9) swallows the
    two bytes after it and stays invalid; it only repairs the 0x80-0x9F punctuation.
    """
    parts: list[str] = []
    end = 0
    for run in _UTF8_RUN.finditer(data):
        parts.append(data[end : run.start()].decode("cp1252", errors="replace"))
        parts.append(run.group().decode("utf-8"))
        end = run.end()
    parts.append(data[end:].decode("cp1252", errors="replace"))
    return "".join(parts)


def _utf8_bytes(data: bytes) -> tuple[int, int]:
    """Non-ASCII bytes that form valid UTF-8 sequences, and the stray others."""
    non_ascii = len(data.translate(None, _ASCII))
    stray = len(_UTF8_SEQUENCE.sub(b"", data).translate(None, _ASCII))
    return non_ascii - stray, stray


def _has_utf8_text(data: bytes) -> bool:
    """Enough valid UTF-8 sequences to be UTF-8 text: text in a legacy code page makes such
    sequences only by rare accident ("Ã©" spelled out)."""
    return _utf8_bytes(data)[0] >= _UTF8_MIN_SEQUENCE_BYTES


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 text, with at most a stray few non-ASCII bytes that are not UTF-8."""
    in_sequences, stray = _utf8_bytes(data)
    return in_sequences >= _UTF8_MIN_SEQUENCE_BYTES and stray <= _UTF8_MAX_STRAY_SHARE * (in_sequences + stray)


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
