"""Property-based tests: any bytes through the pipeline give a document with clean text or a reject, never an exception."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import RAW
from docpipe.document import Document, Reject, Source
from docpipe.isolation import Limits, run_isolated
from docpipe.pipeline import Settings, process_bytes, sha256_of
from docpipe.reasons import RejectReason
from fuzzing import Seed, allowed_reasons, mutants

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


def _check(data: bytes, name: str, reasons: frozenset[RejectReason] | None = None) -> None:
    """A document with clean text, or a reject for a reason of the input's class (``reasons``,
    else what ``allowed_reasons`` gives for its bytes): never an internal error."""
    outcome = process_bytes(data, Source(path=name, sha256=sha256_of(data), size_bytes=len(data)))
    assert isinstance(outcome, (Document, Reject))
    if isinstance(outcome, Document):
        assert outcome.blocks and outcome.warnings == []
        for text in [outcome.text, *(block.text for block in outcome.blocks)]:
            text.encode("utf-8")  # no lone surrogates
            assert not _CONTROL.search(text)
    else:
        assert outcome.error_type in (reasons or allowed_reasons(data, name)), outcome.message


@_PROPERTY
@given(html_pages())
def test_any_html_page_gives_clean_text_or_a_reject(data):
    # Markup, however odd, is read: the only refusals say there was nothing to read.
    _check(data, "page.html", frozenset({RejectReason.NO_TEXT, RejectReason.NO_CONTENT}))


@_PROPERTY
@given(st.binary(max_size=2000))
def test_any_bytes_named_html_or_txt_give_clean_text_or_a_reject(data):
    _check(data, "input.html")
    _check(data, "input.txt")


@_PROPERTY
@given(st.text(max_size=3000))
def test_any_text_file_gives_clean_text_or_a_reject(text):
    _check(text.encode("utf-8", errors="surrogatepass"), "notes.txt")


def test_mutated_pdfs_become_documents_or_rejects(tmp_path):
    original = next(RAW.glob("001_*.pdf"))
    seed = Seed(original.name, "pdf", original.read_bytes())
    paths = []
    for mutant in mutants([seed], 12, campaign_seed=7):
        path = tmp_path / mutant.file_name
        path.write_bytes(mutant.data)
        paths.append(path)
    outcomes = run_isolated([str(p) for p in paths], Settings(), 2, Limits(seconds_per_document=60, memory_bytes=2**30))
    assert len(outcomes) == len(paths)
    for path, outcome in zip(paths, outcomes):
        if isinstance(outcome, Document):
            assert outcome.blocks and not _CONTROL.search(outcome.text)
        else:
            assert outcome.error_type in allowed_reasons(path.read_bytes(), path.name), outcome.message
    assert any(isinstance(outcome, Document) for outcome in outcomes)
