"""The pyarrow schema of every dataset docpipe writes: declared once, versioned in each file.

Readers need nothing but Parquet: no pandas metadata, plain types (string, int64, float32,
bool, timestamp[us, UTC], date32, lists of strings or structs). Bump SCHEMA_VERSION when a
column changes meaning or type; adding a nullable column is a minor bump.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "1.1"

_TIMESTAMP = pa.timestamp("us", tz="UTC")
_RULE_COUNT = pa.struct([("rule", pa.string()), ("count", pa.int64())])
_LANGUAGE_SHARE = pa.struct([("language", pa.string()), ("share", pa.float32())])


def _schema(name: str, fields: list[pa.Field]) -> pa.Schema:
    return pa.schema(fields, metadata={"docpipe.dataset": name, "docpipe.schema_version": SCHEMA_VERSION})


DOCUMENTS = _schema(
    "documents",
    [
        pa.field("doc_id", pa.string(), nullable=False),  # sha256 of the raw bytes
        pa.field("sha256", pa.string(), nullable=False),
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("source_type", pa.string(), nullable=False),
        pa.field("source_bytes", pa.int64(), nullable=False),
        pa.field("encoding", pa.string()),
        pa.field("title", pa.string()),
        pa.field("authors", pa.list_(pa.string())),
        pa.field("published_date", pa.string()),  # ISO 8601 at the precision the source gives
        pa.field("published_day", pa.date32()),  # set only when the date is known to the day
        pa.field("publisher", pa.string()),
        pa.field("series", pa.string()),
        pa.field("isbn", pa.string()),
        pa.field("issn", pa.string()),
        pa.field("doi", pa.string()),
        pa.field("url", pa.string()),
        pa.field("language", pa.string()),
        pa.field("languages", pa.list_(pa.string())),  # by share of body characters, largest first
        pa.field("language_shares", pa.list_(_LANGUAGE_SHARE)),
        pa.field("text", pa.string()),
        pa.field("abstract_en", pa.string()),
        pa.field("abstract_es", pa.string()),
        pa.field("abstract_fr", pa.string()),
        pa.field("page_count", pa.int64()),
        pa.field("word_count", pa.int64(), nullable=False),
        pa.field("char_count", pa.int64(), nullable=False),
        pa.field("block_count", pa.int64(), nullable=False),
        pa.field("removed_counts", pa.list_(_RULE_COUNT)),  # boilerplate rule -> blocks removed
        pa.field("metadata", pa.string()),  # JSON object: every other metadata field found
        pa.field("parser", pa.string()),
        pa.field("docpipe_version", pa.string(), nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("ingested_at", _TIMESTAMP, nullable=False),
        pa.field("is_current", pa.bool_(), nullable=False),
    ],
)

BLOCKS = _schema(
    "blocks",
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("block_index", pa.int64(), nullable=False),  # order in the document, from 0
        pa.field("kind", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("language", pa.string()),
        pa.field("language_prob", pa.float32()),
        pa.field("language_inferred", pa.bool_(), nullable=False),
        pa.field("page", pa.int64()),
        pa.field("heading_level", pa.int64()),
        pa.field("abstract_language", pa.string()),  # set when the block belongs to an abstract
        pa.field("run_id", pa.string(), nullable=False),
    ],
)

ABSTRACTS = _schema(
    "abstracts",
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("language", pa.string(), nullable=False),
        pa.field("heading", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("page", pa.int64()),
        pa.field("run_id", pa.string(), nullable=False),
    ],
)

REJECTS = _schema(
    "rejects",
    [
        pa.field("source_path", pa.string(), nullable=False),
        pa.field("sha256", pa.string()),  # null when the file could not be read
        pa.field("source_bytes", pa.int64()),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("error_type", pa.string(), nullable=False),
        pa.field("message", pa.string(), nullable=False),
        pa.field("rejected_at", _TIMESTAMP, nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ],
)

RUNS = _schema(
    "runs",
    [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("started_at", _TIMESTAMP, nullable=False),
        pa.field("finished_at", _TIMESTAMP, nullable=False),
        pa.field("sources", pa.list_(pa.string())),
        pa.field("files_seen", pa.int64(), nullable=False),
        pa.field("documents_written", pa.int64(), nullable=False),
        pa.field("rejects_written", pa.int64(), nullable=False),
        pa.field("skipped_known", pa.int64(), nullable=False),
        pa.field("parameters", pa.string()),  # JSON object
        pa.field("docpipe_version", pa.string(), nullable=False),
        pa.field("code_version", pa.string()),  # digest of docpipe's source: what the batch cache is keyed on
    ],
)

SCHEMAS: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "blocks": BLOCKS,
    "abstracts": ABSTRACTS,
    "rejects": REJECTS,
    "runs": RUNS,
}
