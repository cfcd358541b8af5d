"""What the datasets under an output root hold, for `docpipe stats`."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from docpipe.dataset import DatasetStore


def _table(title: str, headers: tuple[str, ...], rows: list[tuple]) -> Table:
    table = Table(title=title, min_width=len(title))  # a title never wraps over a narrow table
    for header in headers:
        # fold: a run id or a path too long for the terminal wraps whole instead of ending in "…".
        table.add_column(header, justify="right" if header in ("documents", "rejects", "files", "count") else "left", overflow="fold")
    for row in rows:
        table.add_row(*(str(value) for value in row))
    return table


def print_stats(store: DatasetStore, console: Console | None = None) -> None:
    console = console or Console()
    documents = store.read("documents", columns=["source_type", "language", "is_current"]).to_pylist()
    current = [row for row in documents if row["is_current"]]
    by_type_language = Counter((row["source_type"], row["language"] or "und") for row in current)
    console.print(_table(
        f"current documents: {len(current)} ({len(documents) - len(current)} superseded versions kept)",
        ("type", "language", "documents"),
        [(t, lang, n) for (t, lang), n in sorted(by_type_language.items())],
    ))
    runs = sorted(store.read("runs").to_pylist(), key=lambda row: row["started_at"])
    console.print(_table(
        f"runs: {len(runs)}",
        ("run", "started (UTC)", "seconds", "files", "documents", "rejects", "skipped"),
        [
            (r["run_id"], f"{r['started_at']:%Y-%m-%d %H:%M:%S}", f"{(r['finished_at'] - r['started_at']).total_seconds():.1f}",
             r["files_seen"], r["documents_written"], r["rejects_written"], r["skipped_known"])
            for r in runs
        ],
    ))
    rejects = store.read("rejects", columns=["source_path", "stage", "error_type", "message"]).to_pylist()
    console.print(_table(
        f"rejects: {len(rejects)}",
        ("file", "stage", "reason", "message"),
        [(r["source_path"], r["stage"], r["error_type"], r["message"]) for r in rejects],
    ))
