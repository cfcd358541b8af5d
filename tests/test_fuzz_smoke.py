"""A smoke fuzz: a few hundred mutants of the repository's own pages, texts and a small PDF (the
mutations of bench/fuzz.py's campaign, tests/fuzzing.py), through the stages in worker
processes. Each becomes a document whose row can be built, or a reject for a reason of its
class: no internal error, no crash, no timeout."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone

from docpipe.document import Document
from docpipe.isolation import Limits, run_isolated
from docpipe.pipeline import Settings
from docpipe.records import block_records, document_record
from fuzzing import allowed_reasons, mutants, suite_seeds

INPUTS = 240
CAMPAIGN_SEED = 21


def test_mutants_of_the_repositorys_files_become_documents_or_honest_rejects(tmp_path):
    batch = list(mutants(suite_seeds(), INPUTS, CAMPAIGN_SEED))
    paths = []
    for mutant in batch:
        path = tmp_path / mutant.file_name
        path.write_bytes(mutant.data)
        paths.append(str(path))
    outcomes = run_isolated(paths, Settings(), 2, Limits(seconds_per_document=60, memory_bytes=2**30))
    wrong = {}
    kinds: Counter[str] = Counter()
    for mutant, outcome in zip(batch, outcomes):
        if isinstance(outcome, Document):
            kinds["document"] += 1
            row = document_record(outcome, run_id="smoke", ingested_at=datetime.now(timezone.utc))
            json.dumps({**row, "blocks": block_records(outcome)}, default=str)
            if outcome.warnings:
                wrong[mutant.file_name] = f"{mutant.seed.name} {mutant.mutations}: warnings {outcome.warnings}"
        else:
            kinds["reject"] += 1
            if outcome.error_type not in allowed_reasons(mutant.data, mutant.file_name):
                wrong[mutant.file_name] = f"{mutant.seed.name} {mutant.mutations}: {outcome.error_type}: {outcome.message}"
    assert not wrong
    # The mutants are neither all harmless nor all ruined: the campaign reaches both outcomes.
    assert kinds["document"] > INPUTS // 2 and kinds["reject"] > 10
