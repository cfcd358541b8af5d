"""The run summary as a terminal table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from docpipe.summary import RunSummary


def print_summary(summary: RunSummary, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title=f"docpipe ingest → {summary.out}", show_footer=True)
    table.add_column("type", footer="total")
    table.add_column("language")
    table.add_column("documents", justify="right", footer=str(summary.documents))
    for (source_type, language), count in sorted(summary.by_type_language.items()):
        table.add_row(source_type, language, str(count))
    console.print(table)
    if summary.rejects:
        rejects = Table(title=f"{len(summary.rejects)} rejected (see {summary.out}/rejects)")
        rejects.add_column("file")
        rejects.add_column("stage")
        rejects.add_column("reason")
        for path, stage, reason in summary.rejects:
            rejects.add_row(path, stage, reason)
        console.print(rejects)
    console.print(
        f"{summary.files_seen} files seen: {summary.documents} documents, {len(summary.rejects)} rejected, "
        f"{summary.skipped_known} already ingested, {summary.skipped_other} not a source type. "
        f"Run {summary.run_id} in {summary.seconds:.1f} s."
    )
