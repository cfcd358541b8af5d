"""Documents and rejects as plain rows: the one shape shared by `docpipe extract` and Parquet."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from typing import Any

from docpipe import __version__
from docpipe.document import Document, Reject

_WORD = re.compile(r"\w+")
# Fields that have their own columns; the rest of Metadata goes to the `metadata` object.
_COLUMN_FIELDS = ("title", "authors", "published_date", "publisher", "series", "isbn", "issn", "doi", "url", "page_count")


def _day(iso_date: str | None) -> date | None:
    return date.fromisoformat(iso_date) if iso_date and len(iso_date) == 10 else None


def _other_metadata(doc: Document) -> dict[str, Any]:
    meta = dataclasses.asdict(doc.metadata)
    other = {k: v for k, v in meta.items() if k not in _COLUMN_FIELDS and k != "extra" and v not in (None, False)}
    other.update(meta["extra"])
    other.update(doc.source.origin)
    if doc.warnings:
        other["warnings"] = [str(warning) for warning in doc.warnings]
    return other


def block_records(doc: Document) -> list[dict[str, Any]]:
    return [
        {
            "block_index": index,
            "kind": block.kind.value,
            "text": block.text,
            "language": block.language,
            "language_prob": block.language_prob,
            "language_inferred": block.language_inferred,
            "page": block.page,
            "heading_level": block.level,
            "abstract_language": block.attrs.get("abstract"),
        }
        for index, block in enumerate(doc.blocks)
    ]


def document_record(doc: Document, *, run_id: str, ingested_at: datetime) -> dict[str, Any]:
    """One row of the documents dataset; `metadata` stays a dict here (JSON in Parquet)."""
    meta = doc.metadata
    text = doc.text
    languages = sorted(doc.languages.items(), key=lambda item: -item[1])
    return {
        "doc_id": doc.source.sha256,
        "sha256": doc.source.sha256,
        "source_path": doc.source.path,
        "source_type": doc.source.source_type.value if doc.source.source_type else None,
        "source_bytes": doc.source.size_bytes,
        "encoding": doc.source.encoding,
        "title": meta.title,
        "authors": list(meta.authors),
        "published_date": meta.published_date,
        "published_day": _day(meta.published_date),
        "publisher": meta.publisher,
        "series": meta.series,
        "isbn": meta.isbn,
        "issn": meta.issn,
        "doi": meta.doi,
        "url": meta.url,
        "language": doc.language,
        "languages": [code for code, _ in languages],
        "language_shares": [{"language": code, "share": share} for code, share in languages],
        "text": text,
        "abstract_en": _abstract_text(doc, "en"),
        "abstract_es": _abstract_text(doc, "es"),
        "abstract_fr": _abstract_text(doc, "fr"),
        "page_count": meta.page_count,
        "word_count": len(_WORD.findall(text)),
        "char_count": len(text),
        "block_count": len(doc.blocks),
        "removed_counts": [{"rule": rule, "count": n} for rule, n in sorted(doc.removal_counts().items())],
        "metadata": _other_metadata(doc),
        "parser": doc.parser,
        "docpipe_version": __version__,
        "run_id": run_id,
        "ingested_at": ingested_at,
        "is_current": True,
    }


def _abstract_text(doc: Document, language: str) -> str | None:
    abstract = doc.abstracts.get(language)
    return abstract.text if abstract else None


def abstract_records(doc: Document) -> list[dict[str, Any]]:
    return [
        {"language": a.language, "heading": a.heading, "text": a.text, "page": a.page}
        for a in doc.abstracts.values()
    ]


def reject_record(reject: Reject, *, run_id: str, rejected_at: datetime) -> dict[str, Any]:
    return {
        "source_path": reject.source.path,
        "sha256": reject.source.sha256 or None,
        "source_bytes": reject.source.size_bytes,
        "stage": reject.stage,
        "error_type": str(reject.error_type),
        "message": reject.message,
        "rejected_at": reject.rejected_at or rejected_at,
        "run_id": run_id,
    }
