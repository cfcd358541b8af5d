"""`docpipe extract` and the command line's contract: fields, exit codes, no Prefect."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import DATA, PROJECT, RAW
from parsers.pdf.limits import PdfLimits

REQUIRED = {
    "source_path", "source_type", "sha256", "title", "authors", "published_date", "language", "text",
    "abstract_en", "abstract_es", "abstract_fr", "metadata", "blocks",
}
BLOCK_FIELDS = {"kind", "text", "language", "language_prob", "page"}


def _docpipe(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docpipe.cli", *args], capture_output=True, text=True, cwd=PROJECT, timeout=300)


def _raw(prefix: str, suffix: str) -> str:
    (path,) = [p for p in RAW.iterdir() if p.name.startswith(prefix) and p.suffix == suffix]
    return str(path)


def test_extract_prints_one_json_object_per_input_with_the_documented_fields():
    result = _docpipe("extract", _raw("002", ".html"), _raw("003", ".txt"))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 2
    for record in records:
        assert REQUIRED <= record.keys()
        assert record["blocks"] and all(BLOCK_FIELDS <= block.keys() for block in record["blocks"])
        assert isinstance(record["authors"], list) and isinstance(record["metadata"], dict)
    assert records[0]["source_type"] == "html" and records[1]["source_type"] == "text"
    assert "Trade and investment" in records[0]["text"]


def test_extract_reports_a_rejected_input_and_exits_1():
    result = _docpipe("extract", str(DATA / "bad" / "corrupt.pdf"), _raw("003", ".txt"))
    assert result.returncode == 1
    bad, good = (json.loads(line) for line in result.stdout.splitlines())
    assert bad["error"]["type"] == "corrupt_pdf" and bad["error"]["message"] and "text" not in bad
    assert "error" not in good


def test_extract_exits_3_when_a_bug_rejects_an_input():
    # A stage that raises stands for any bug: the workers are forked from this process and keep the broken stage.
    code = (
        "import sys, docpipe.pipeline; from docpipe.cli import main\n"
        "def clean(doc): raise KeyError(140013146191120)\n"
        "docpipe.pipeline.clean = clean\n"
        f"sys.exit(main(['extract', {_raw('003', '.txt')!r}, {str(DATA / 'bad' / 'corrupt.pdf')!r}]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, timeout=300)
    assert result.returncode == 3, result.stderr
    bug, bad = (json.loads(line)["error"] for line in result.stdout.splitlines())
    assert bug["type"] == "internal_error" and bug["stage"] == "clean"
    assert bug["message"].startswith("KeyError at docpipe/pipeline.py:") and bug["message"].endswith(" process_bytes: 140013146191120")
    assert bad["type"] == "corrupt_pdf"


def test_debug_shows_which_rule_removed_what():
    result = _docpipe("extract", "--debug", _raw("002", ".html"))
    removed = json.loads(result.stdout)["removed"]
    assert any("Disqus" in item["text"] for item in removed)
    assert all(item["rule"] for item in removed)


def test_text_format():
    result = _docpipe("extract", "--format", "text", _raw("003", ".txt"))
    assert result.returncode == 0
    assert result.stdout.startswith("=== ") and "Canada is seeking to restore ties" in result.stdout


@pytest.mark.parametrize(
    "args",
    [("extract", "no/such/file.pdf"), ("extract",), ("ingest",), ("extract", "--format", "xml", "raw"), ("frobnicate",)],
)
def test_usage_errors_exit_2(args):
    assert _docpipe(*args).returncode == 2


def test_help():
    for command in ((), ("ingest",), ("extract",)):
        result = _docpipe(*command, "--help")
        assert result.returncode == 0 and "usage: docpipe" in result.stdout


def test_extract_imports_neither_prefect_nor_the_dataset_libraries():
    # Start-up is a large share of a short extract: nothing it does not use is imported.
    code = (
        "import sys; from docpipe.cli import main; "
        f"code = main(['extract', {_raw('003', '.txt')!r}]); "
        "heavy = {'prefect', 'pyarrow', 'pandas', 'rich'} & set(sys.modules); "
        "assert not heavy, heavy; sys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT, timeout=300)
    assert result.returncode == 0, result.stderr


def test_extract_in_parallel_keeps_the_input_order():
    paths = [_raw("003", ".txt"), str(DATA / "bad" / "corrupt.pdf"), _raw("002", ".html"), _raw("006", ".txt")]
    result = _docpipe("extract", "--workers", "3", *paths)
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["source_path"] for r in records] == paths
    assert "error" in records[1] and not any("error" in r for r in records[::2])


def test_dataset_names_match_the_schemas():
    from docpipe.cli import DATASETS
    from docpipe.schemas import SCHEMAS

    assert DATASETS == tuple(sorted(SCHEMAS))


def test_extract_into_a_reader_that_stops_early_ends_quietly():
    # `docpipe extract raw | head`: the JSON of raw/ is larger than a pipe's buffer.
    process = subprocess.Popen(
        [sys.executable, "-m", "docpipe.cli", "extract", str(RAW)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=PROJECT
    )
    process.stdout.read(100)
    process.stdout.close()
    errors = process.stderr.read()
    assert process.wait(timeout=300) in (0, 1)
    assert b"Traceback" not in errors


def _options(command: str) -> set[str]:
    from docpipe.cli import build_parser

    (subcommands,) = [action for action in build_parser()._actions if action.dest == "command"]
    return {option for action in subcommands.choices[command]._actions for option in action.option_strings} - {"-h", "--help"}


def test_serve_takes_every_run_option_of_ingest_and_the_readme_names_them_all():
    assert _options("ingest") - {"--dask-address"} <= _options("serve")
    readme = (PROJECT / "README.md").read_text()
    serve_usage = readme.split("## Scheduled runs")[1].split("```sh")[1].split("```")[0]
    assert {option for option in _options("serve") if option not in serve_usage} == set()


def test_the_run_configuration_from_the_command_line_reaches_the_flow_whole():
    from docpipe.cli import build_parser, run_config

    args = build_parser().parse_args(
        ["serve", "--cron", "0 2 * * *", "--languages", "en,de", "--batch-size", "9", "--workers", "3", "--reprocess",
         "--timeout", "5", "--max-memory-mb", "512", "--max-bytes", "1000", "--max-text-bytes", "100", "--lock-timeout", "30",
         "--max-pages", "7", "--max-page-glyphs", "800", "--max-content-bytes", "9000"]
    )
    config = run_config(args)
    assert config.as_dict() == {
        "languages": ["en", "de"], "batch_size": 9, "workers": 3, "reprocess": True, "timeout_seconds": 5.0,
        "max_memory_mb": 512, "max_bytes": 1000, "max_text_bytes": 100, "lock_timeout_seconds": 30.0,
        "max_pages": 7, "max_page_glyphs": 800, "max_content_bytes": 9000,
    }
    assert type(config)(**json.loads(json.dumps(config.as_dict()))) == config  # as a deployment parameter
    assert config.limits().memory_bytes == 512 * 2**20 and config.settings().max_text_bytes == 100
    assert config.settings().pdf_limits == PdfLimits(max_pages=7, max_page_glyphs=800, max_content_bytes=9000)


def test_lowered_pdf_limits_refuse_a_real_paper_with_their_reasons():
    paper = str(DATA / "pdf" / "en_hindawi2010_2col.pdf")  # 6 pages, thousands of glyphs each
    pages = _docpipe("extract", "--max-pages", "5", paper)
    glyphs = _docpipe("extract", "--max-page-glyphs", "1000", paper)
    assert pages.returncode == glyphs.returncode == 1
    assert json.loads(pages.stdout)["error"]["type"] == "too_many_pages"
    assert json.loads(glyphs.stdout)["error"]["type"] == "layout_runaway"
