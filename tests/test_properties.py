"""Property-based tests: any bytes through the pipeline give a document with clean text or a reject, never an exception."""

from __future__ import annotations

import random
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import RAW
from docpipe.document import Document, Reject, Source
from docpipe.isolation import Limits, run_isolated
from docpipe.pipeline import Settings, process_bytes, sha256_of

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_TAGS = st.sampled_from(["p", "div", "span", "h1", "h2", "li", "ul", "script", "style", "nav", "footer", "article", "main", "br", "table", "td", "blockquote", "a", "template", "noscript"])
_WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@st.composite
def html_pages(draw) -> bytes:
    parts = ["<html><body>"]
    for _ in range(draw(st.integers(0, 25))):
        tag = draw(_TAGS)
        attrs = draw(st.sampled_from(["", ' class="comments"', ' id="disqus_thread"', ' hidden', ' style="display:none"', ' lang="fr"', ' class="share"']))
        parts.append(f"<{tag}{attrs}>{draw(_WORDS)}")
        if draw(st.booleans()):
            parts.append(f"</{tag}>")
    parts.append("</body></html>")
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]))
    return "".join(parts).encode(encoding, errors="replace")


def _check(data: bytes, name: str) -> None:
    outcome = process_bytes(data, Source(path=name, sha256=sha256_of(data), size_bytes=len(data)))
    assert isinstance(outcome, (Document, Reject))
    if isinstance(outcome, Document):
        assert outcome.blocks
        for text in [outcome.text, *(block.text for block in outcome.blocks)]:
            text.encode("utf-8")  # no lone surrogates
            assert not _CONTROL.search(text)
    else:
        assert outcome.error_type and outcome.message


@_PROPERTY
@given(html_pages())
def test_any_html_page_gives_clean_text_or_a_reject(data):
    _check(data, "page.html")


@_PROPERTY
@given(st.binary(max_size=2000))
def test_any_bytes_named_html_or_txt_give_clean_text_or_a_reject(data):
    _check(data, "input.html")
    _check(data, "input.txt")


@_PROPERTY
@given(st.text(max_size=3000))
def test_any_text_file_gives_clean_text_or_a_reject(text):
    _check(text.encode("utf-8", errors="surrogatepass"), "notes.txt")


def mutated_pdfs(count: int, seed: int) -> list[bytes]:
    """Copies of the corpus PDF with bytes flipped, ranges deleted or duplicated, or the tail cut."""
    original = next(RAW.glob("001_*.pdf")).read_bytes()
    rng = random.Random(seed)
    copies = []
    for _ in range(count):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(data))
            operation = rng.choice(("flip", "delete", "duplicate", "truncate"))
            if operation == "flip":
                data[at] = rng.randrange(256)
            elif operation == "delete":
                del data[at : at + rng.randint(1, 200)]
            elif operation == "duplicate":
                data[at:at] = data[at : at + rng.randint(1, 200)]
            else:
                del data[max(at, 100) :]
        copies.append(bytes(data))
    return copies


def test_mutated_pdfs_become_documents_or_rejects(tmp_path):
    paths = []
    for number, data in enumerate(mutated_pdfs(12, seed=7)):
        path = tmp_path / f"mutant-{number:02d}.pdf"
        path.write_bytes(data)
        paths.append(str(path))
    outcomes = run_isolated(paths, Settings(), 2, Limits(seconds_per_document=60, memory_bytes=2**30))
    assert len(outcomes) == len(paths)
    for outcome in outcomes:
        if isinstance(outcome, Document):
            assert outcome.blocks and not _CONTROL.search(outcome.text)
        else:
            assert outcome.error_type and outcome.message
