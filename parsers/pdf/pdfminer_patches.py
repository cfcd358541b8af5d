"""Where pdfminer.six's own code, fed damaged input, runs for hours or forever: replaced.

Imported by ``parsers.pdf`` before any PDF is read. Each replacement returns exactly what the
function it replaces returns, or raises what it raises, only sooner; where pdfminer's would
never end, it gives what pdfminer gives for a missing object.
"""

from __future__ import annotations

import zlib

from pdfminer import pdftypes

# pdfminer's own tolerance for a damaged stream: an error in its last bytes (the checksum).
_CHECKSUM_BYTES = 3


def decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's fallback for a deflated stream that fails to inflate: what inflates before an
    error in the checksum, else zlib.error. pdfminer feeds the inflater a byte at a time and
    appends each output to a bytes object, so a stream damaged 80 MB into its output takes
    hours (the output copied once per input byte); here the body goes in at once."""
    inflater = zlib.decompressobj()
    body = len(data) - _CHECKSUM_BYTES
    inflated = inflater.decompress(data[:body]) if body > 0 else b""  # damage before the checksum raises, as pdfminer's does
    for index in range(max(body, 0), len(data)):
        try:
            inflated += inflater.decompress(data[index : index + 1])
        except zlib.error:
            break
    return inflated


_pdfminers_resolve = pdftypes.PDFObjRef.resolve


def resolve(self: pdftypes.PDFObjRef, default: object = None) -> object:
    """PDFObjRef.resolve, except that a chain of references back to one already followed
    ("6 0 obj 6 0 R endobj", a trailer's /Info so made) resolves to ``default``, as a missing
    object does: pdfminer's resolve1 follows such a chain forever."""
    followed = {self.objid}
    found = _pdfminers_resolve(self, default)
    while isinstance(found, pdftypes.PDFObjRef):
        if found.objid in followed:
            return default
        followed.add(found.objid)
        found = _pdfminers_resolve(found, default)
    return found


pdftypes.decompress_corrupted = decompress_corrupted
pdftypes.PDFObjRef.resolve = resolve
