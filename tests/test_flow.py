"""End to end through the real Prefect flow: raw/ plus bad inputs into Parquet, twice."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import DATA, RAW
from docpipe.dataset import DatasetStore
from docpipe.schemas import SCHEMAS
from docpipe.config import RunConfig

BAD = [DATA / "bad" / "corrupt.pdf", DATA / "bad" / "empty.txt", DATA / "bad" / "png_named.html"]


@pytest.fixture(scope="module")
def runs(prefect_server, tmp_path_factory):
    from flows.ingest import ingest

    out = tmp_path_factory.mktemp("out")
    sources = [str(RAW), *map(str, BAD)]
    first = ingest(paths=sources, out_dir=str(out), config=RunConfig(workers=2))
    first_counts = {name: DatasetStore(str(out)).read(name).num_rows for name in SCHEMAS}
    second = ingest(paths=sources, out_dir=str(out), config=RunConfig(workers=2))
    return out, first, first_counts, second


@pytest.fixture(scope="module")
def documents(runs):
    out = runs[0]
    rows = DatasetStore(str(out)).read("documents").to_pylist()
    return {row["source_path"].rsplit("/", 1)[1]: row for row in rows}


def _doc(documents, prefix: str, suffix: str) -> dict:
    (row,) = [row for name, row in documents.items() if name.startswith(prefix) and name.endswith(suffix)]
    return row


def test_every_good_input_lands_and_every_bad_one_is_rejected(runs, documents):
    out, first, _, _ = runs
    rejected = {path.rsplit("/", 1)[1]: reason for path, _, reason in first.rejects}
    assert sorted(rejected) == ["corrupt.pdf", "empty.txt", "png_named.html"]
    assert rejected["empty.txt"].startswith("empty")
    assert rejected["png_named.html"].startswith("unsupported_format")
    raw_inputs = [p for p in RAW.iterdir() if p.suffix in (".html", ".pdf", ".txt")]
    assert first.documents == len(raw_inputs) == len(documents)


def test_a_second_run_adds_no_rows(runs):
    out, _, first_counts, second = runs
    assert second.documents == 0 and not second.rejects
    assert second.skipped_known == second.files_seen
    counts = {name: DatasetStore(str(out)).read(name).num_rows for name in SCHEMAS}
    assert counts == {**first_counts, "runs": 2}


def test_focal_paper_abstracts_are_split_by_language(documents):
    paper = _doc(documents, "001", ".pdf")
    assert paper["abstract_en"].startswith("This paper sets out")
    assert paper["abstract_es"].startswith("Este trabajo busca")
    assert paper["abstract_fr"].startswith("Ce document traite")
    assert paper["language"] == "en"
    assert "Este trabajo busca" not in paper["text"]


def test_focal_paper_metadata(documents):
    paper = _doc(documents, "001", ".pdf")
    assert paper["title"] == "The Canada-Mexico Relationship: The Unfinished Highway"
    assert paper["authors"] == ["Olga Abizaid Bucio"]
    assert paper["series"] == "FPP-04-8"
    assert paper["isbn"] == "1-894992-13-X"
    assert paper["published_date"] == "2004-10"
    assert paper["page_count"] > 5


def test_focal_archive_page_loses_its_widgets_and_keeps_the_article(documents):
    text = _doc(documents, "002", ".html")["text"]
    for boilerplate in ("Disqus", "Comments Policy", "Welcome to the FOCAL archive", "AddThis", "Photo:"):
        assert boilerplate not in text
    assert "Trade and investment" in text


@pytest.mark.parametrize("suffix", [".html", ".txt"])
def test_news_article_loses_caption_credit_and_spam_bio(documents, suffix):
    text = _doc(documents, "003", suffix)["text"]
    assert "Entrepreneur. Internet fanatic" not in text
    assert "AP Photo" not in text
    assert "Canada is seeking to restore ties" in text


def test_duckdb_reads_the_documents_with_the_declared_types(runs):
    out = runs[0]
    described = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{out}/documents/**/*.parquet')").fetchall()
    # the Hive partition folder adds its column, which DuckDB reads as a date
    assert [row[0] for row in described] == [*SCHEMAS["documents"].names, "ingest_date"]
    types = {row[0]: row[1] for row in described}
    assert (types["authors"], types["word_count"], types["ingested_at"], types["ingest_date"]) == (
        "VARCHAR[]", "BIGINT", "TIMESTAMP WITH TIME ZONE", "DATE"
    )
    ((count,),) = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/documents/**/*.parquet') WHERE is_current").fetchall()
    assert count == runs[1].documents
    for path in out.glob("*/*.parquet"):
        assert pq.read_schema(path).remove_metadata() == SCHEMAS[path.parent.name].remove_metadata()


def test_the_runs_row_records_the_whole_configuration_and_the_code_version(runs):
    from docpipe.pipeline import code_version

    rows = DatasetStore(str(runs[0])).read("runs").to_pylist()
    assert len(rows) == 2 and {row["code_version"] for row in rows} == {code_version()}
    assert json.loads(rows[0]["parameters"]) == RunConfig(workers=2).as_dict()


def test_the_batch_cache_key_follows_the_code_not_the_version_number(monkeypatch):
    import flows.ingest as ingest_module
    from docpipe.batch import Input
    from docpipe.pipeline import Settings
    from docpipe.sources import Locator

    parameters = {"inputs": [Input(Locator("/a.txt"), "a" * 64)], "settings": Settings()}
    before = ingest_module.batch_cache_key(None, parameters)
    monkeypatch.setattr(ingest_module, "code_version", lambda: "a-changed-rule")
    assert ingest_module.batch_cache_key(None, parameters) != before


def test_the_code_version_changes_with_any_source_file(tmp_path, monkeypatch):
    import shutil

    from docpipe import pipeline

    copy = tmp_path / "src"
    for package in ("docpipe", "parsers"):
        shutil.copytree(Path(pipeline.__file__).parent.parent / package, copy / package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.syspath_prepend(str(copy))
    for name in [name for name in sys.modules if name.split(".")[0] in ("docpipe", "parsers")]:
        monkeypatch.delitem(sys.modules, name)
    from docpipe import pipeline as copied

    assert copied.__file__.startswith(str(copy))
    original = copied.code_version()
    rules = copy / "docpipe" / "boilerplate" / "text_rules.py"
    rules.write_text(rules.read_text() + "\n# a changed rule\n")
    copied.code_version.cache_clear()
    assert copied.code_version() != original
