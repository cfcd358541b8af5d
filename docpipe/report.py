"""The run summary as a terminal table."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from docpipe.progress import listening
from docpipe.summary import RunSummary


@contextmanager
def progress_bar(console: Console | None = None) -> Iterator[None]:
    """A bar over documents while the block runs, fed by the library's progress events."""
    columns = (TextColumn("documents"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        bar = progress.add_task("documents", total=None)

        def update(event: str, count: int) -> None:
            if event == "planned":
                progress.update(bar, total=count)
            else:
                progress.advance(bar, count)

        with listening(update):
            yield


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
        f"{summary.skipped_known} already ingested, {summary.skipped_other} not a source type"
        f"{f', {summary.batches_cached} batches from cache' if summary.batches_cached else ''}. "
        f"Run {summary.run_id} in {summary.seconds:.1f} s."
    )
    if summary.records_skipped:
        console.print(f"Web archive records that are not documents: {summary.records_line()}.")
    for severity, line in summary.problems():
        console.print(line, style="bold red" if severity == "error" else "yellow")
