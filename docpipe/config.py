"""One run's configuration: built once (by the CLI or a deployment's parameters), passed whole.

`docpipe ingest` and `docpipe serve` build it from the same options, the flow takes it as one
parameter, and the runs dataset records it whole, so a scheduled run can set everything an
ad-hoc one can, and a run row says exactly what produced it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from docpipe.catalog import DEFAULT_LOCK_TIMEOUT_SECONDS
from docpipe.isolation import Limits
from docpipe.language import DEFAULT_LANGUAGES
from docpipe.pipeline import DEFAULT_MAX_BYTES, DEFAULT_MAX_TEXT_BYTES, Settings
from parsers.pdf.limits import PdfLimits

# A task run costs ~40 ms here (states, cache lookup, the persisted result); 200 documents take
# ~7 s on one core, and a crash or a changed file costs at most one batch's work again.
DEFAULT_BATCH_SIZE = 200


@dataclass(frozen=True)
class RunConfig:
    languages: tuple[str, ...] = DEFAULT_LANGUAGES  # expected languages; others are tagged `und`
    batch_size: int = DEFAULT_BATCH_SIZE  # documents per task
    workers: int | None = None  # worker processes per batch; None: all cores
    reprocess: bool = False  # process inputs again even if their bytes were already ingested
    timeout_seconds: float = Limits.seconds_per_document  # per document, then it is rejected
    max_memory_mb: int = Limits.memory_bytes // 2**20  # per worker process
    max_bytes: int = DEFAULT_MAX_BYTES  # any file: larger ones are rejected unread
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES  # HTML and text, once the type is known
    max_pages: int = PdfLimits.max_pages  # a PDF with more pages is rejected before its layout is read
    max_page_glyphs: int = PdfLimits.max_page_glyphs  # a PDF page drawing more glyphs is rejected
    max_content_bytes: int = PdfLimits.max_content_bytes  # a PDF page whose content inflates past this is rejected
    lock_timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS  # wait this long for another run's commit, then fail

    def __post_init__(self) -> None:
        # From JSON (a deployment's parameters) the languages arrive as a list.
        object.__setattr__(self, "languages", tuple(self.languages))

    def settings(self) -> Settings:
        return Settings(
            languages=self.languages, max_bytes=self.max_bytes, max_text_bytes=self.max_text_bytes,
            pdf_limits=PdfLimits(self.max_pages, self.max_page_glyphs, self.max_content_bytes),
        )

    def limits(self) -> Limits:
        return Limits(self.timeout_seconds, self.max_memory_mb * 2**20)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: what a deployment's parameters and the runs row hold."""
        return {**asdict(self), "languages": list(self.languages)}
