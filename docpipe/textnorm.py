"""Unicode hygiene shared by every parser: NFC, no control characters, no soft hyphens."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls except tab and newline, plus characters that only break words or searches.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff\ufffe\uffff]")
_CRLF = re.compile(r"\r\n?")


def normalise_text(text: str) -> str:
    """NFC, Unix newlines, and without invisible or control characters (tab and newline stay)."""
    text = _CRLF.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    return unicodedata.normalize("NFC", text)
