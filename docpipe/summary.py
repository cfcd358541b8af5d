"""A run's outcome in numbers, shared by the CLI's summary table and the flow's artifact."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from docpipe.batch import BatchResult
from docpipe.reasons import RejectReason


@dataclass
class RunSummary:
    run_id: str
    out: str
    files_seen: int = 0
    skipped_known: int = 0
    skipped_other: int = 0  # files in walked folders whose extension we do not parse
    records_skipped: Counter[str] = field(default_factory=Counter)  # web archive records that are not documents, by kind
    documents: int = 0
    batches_cached: int = 0  # batches whose result came from the flow's cache, not parsed again
    by_type_language: Counter[tuple[str, str]] = field(default_factory=Counter)
    rejects: list[tuple[str, str, str]] = field(default_factory=list)  # path, stage, "reason: message"
    internal_errors: int = 0  # rejects that are docpipe's bugs, not bad inputs (also in `rejects`)
    warnings: Counter[str] = field(default_factory=Counter)  # failed enrichment step -> documents that landed without it
    seconds: float = 0.0

    def add(self, batch: BatchResult) -> None:
        self.documents += len(batch.documents)
        self.skipped_known += batch.unchanged
        for doc in batch.documents:
            kind = doc.source.source_type.value if doc.source.source_type else "unknown"
            self.by_type_language[(kind, doc.language or "und")] += 1
            self.warnings.update(warning.step for warning in doc.warnings)
        for reject in batch.rejects:
            self.internal_errors += reject.error_type == RejectReason.INTERNAL_ERROR
            self.rejects.append((reject.source.path, reject.stage, f"{reject.error_type}: {reject.message}"))

    def one_line(self) -> str:
        bugs = f" ({self.internal_errors} of them internal errors)" if self.internal_errors else ""
        return (
            f"{self.documents} documents, {len(self.rejects)} rejects{bugs}, {self.skipped_known} already ingested "
            f"({self.files_seen} files, {self.seconds:.1f} s)"
        )

    def markdown(self) -> str:
        lines = [
            f"# docpipe ingest run `{self.run_id}`",
            "",
            f"{self.files_seen} files seen, {self.documents} documents written, {len(self.rejects)} rejected, "
            f"{self.skipped_known} already ingested, {self.skipped_other} not a source type; {self.seconds:.1f} s.",
            *([f"Web archive records that are not documents: {self.records_line()}."] if self.records_skipped else []),
            *(line for _, line in self.problems()),
            "",
            "| type | language | documents |",
            "|---|---|---|",
        ]
        lines += [f"| {t} | {lang} | {n} |" for (t, lang), n in sorted(self.by_type_language.items())]
        if self.warnings:
            lines += ["", "| failed enrichment step | warnings |", "|---|---|"]
            lines += [f"| {step} | {n} |" for step, n in self.warnings.most_common()]
        if self.rejects:
            lines += ["", "| rejected file | stage | reason |", "|---|---|---|"]
            lines += [f"| {path} | {stage} | {reason} |" for path, stage, reason in self.rejects]
        return "\n".join(lines)

    def records_line(self) -> str:
        """The archives' records that did not become documents, as "12 (request 5, warcinfo 2, HTTP 404 1, ...)"."""
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(self.records_skipped.items(), key=lambda item: (-item[1], item[0])))
        return f"{sum(self.records_skipped.values())} ({kinds})"

    def problems(self) -> list[tuple[str, str]]:
        """("error" or "warning", a line) for each kind of failure of docpipe's own: a bug to report, not a bad input."""
        lines = []
        if self.internal_errors:
            lines.append(("error", f"{self.internal_errors} internal errors: inputs rejected by a bug in docpipe (reason `internal_error`)."))
        if self.warnings:
            count = sum(self.warnings.values())
            lines.append(("warning", f"{count} enrichment warnings: documents landed with metadata left empty where reading it failed."))
        return lines
