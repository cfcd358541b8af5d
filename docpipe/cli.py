"""`docpipe ingest` (through the Prefect flow) and `docpipe extract` (the stages alone).

Exit codes: 0 all inputs became documents, 1 some inputs were rejected, 2 usage error (or, for
`ingest`, a Prefect server that could not start), 3 some input was rejected by a bug in docpipe
(reason `internal_error`), whatever else happened, 75 another run held the output root longer
than `--lock-timeout` (nothing was damaged; run again).

Each command imports what only it needs inside its function: `extract` is run on a few
files at a time, so start-up is a large share of its cost, and it needs neither pyarrow
(the datasets) nor rich nor Prefect.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import fields
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any

from docpipe import __version__
from docpipe.discover import CredentialInURI, discover, missing, names_remote, refuse_credentials
from docpipe.remote import is_uri
from docpipe.document import Document
from docpipe.catalog import StoreBusy
from docpipe.config import RunConfig
from docpipe.isolation import DEFAULT_START_METHOD, default_workers, iter_isolated, start_forkserver
from docpipe.reasons import RejectReason
from docpipe.records import block_records, document_record

if TYPE_CHECKING:
    from flows.server import EmbeddedServer

EXIT_OK, EXIT_REJECTS, EXIT_USAGE, EXIT_INTERNAL_ERROR = 0, 1, 2, 3
EXIT_BUSY = 75  # sysexits' EX_TEMPFAIL: another run held the output root past --lock-timeout; try again
# The names of docpipe.schemas.SCHEMAS, which imports pyarrow (tests/test_cli.py keeps them equal).
DATASETS = ("abstracts", "blocks", "documents", "rejects", "runs")
DEFAULT_CONFIG = RunConfig()


def _languages(value: str) -> tuple[str, ...]:
    codes = tuple(code.strip().lower() for code in value.split(",") if code.strip())
    if not codes:
        raise argparse.ArgumentTypeError("give at least one language code, e.g. en,es,fr")
    return codes


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _add_document_options(command: argparse.ArgumentParser) -> None:
    """Options that decide what one document's rows hold: extract, ingest and serve share them."""
    command.add_argument("--languages", type=_languages, default=DEFAULT_CONFIG.languages, help="expected languages, comma-separated (default: en,es,fr)")
    command.add_argument(
        "--timeout", dest="timeout_seconds", type=float, default=DEFAULT_CONFIG.timeout_seconds,
        help="seconds allowed per document before it is rejected (default: %(default)g)",
    )
    command.add_argument("--max-memory-mb", type=_positive, default=DEFAULT_CONFIG.max_memory_mb, help="memory allowed per worker process, in MB (default: %(default)s)")
    command.add_argument("--max-bytes", type=_positive, default=DEFAULT_CONFIG.max_bytes, help="larger files are rejected unread (default: %(default)s)")
    command.add_argument(
        "--max-text-bytes", type=_positive, default=DEFAULT_CONFIG.max_text_bytes,
        help="larger HTML and text files are rejected before parsing (default: %(default)s)",
    )
    command.add_argument("--max-pages", type=_positive, default=DEFAULT_CONFIG.max_pages, help="PDFs with more pages are rejected (default: %(default)s)")
    command.add_argument(
        "--max-page-glyphs", type=_positive, default=DEFAULT_CONFIG.max_page_glyphs,
        help="a PDF page drawing more glyphs is rejected (default: %(default)s)",
    )
    command.add_argument(
        "--max-content-bytes", type=_positive, default=DEFAULT_CONFIG.max_content_bytes,
        help="a PDF page whose content streams inflate past this many bytes is rejected (default: %(default)s)",
    )


def _add_run_options(command: argparse.ArgumentParser) -> None:
    """Every option of a flow run: ingest and serve take the same ones."""
    command.add_argument("--out", default="output", help="output root folder or URI (default: output)")
    command.add_argument("--batch-size", type=_positive, default=DEFAULT_CONFIG.batch_size, help="documents per task (default: %(default)s)")
    command.add_argument("--workers", type=_positive, default=None, help="parallel processes (default: all cores)")
    command.add_argument("--reprocess", action="store_true", help="process inputs again even if already ingested")
    command.add_argument(
        "--lock-timeout", dest="lock_timeout_seconds", type=float, default=DEFAULT_CONFIG.lock_timeout_seconds,
        help="seconds to wait while another run commits to the same output root, then exit 75 (default: %(default)g)",
    )
    _add_document_options(command)


def run_config(args: argparse.Namespace) -> RunConfig:
    """The run configuration the parsed options describe (options a command lacks keep their defaults)."""
    return RunConfig(**{option.name: getattr(args, option.name) for option in fields(RunConfig) if hasattr(args, option.name)})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="docpipe", description="Raw HTML, PDF and text documents to clean Parquet datasets.")
    parser.add_argument("--version", action="version", version=f"docpipe {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="ingest files or folders into Parquet datasets through the Prefect flow")
    ingest.add_argument(
        "paths", nargs="+", metavar="PATH",
        help="files, folders, web archives (.warc, .warc.gz) or URIs (s3://bucket/prefix, gs://..., https://host/file); "
        "folders and prefixes are walked for .html, .htm, .pdf, .txt, .warc ...",
    )
    _add_run_options(ingest)
    ingest.add_argument(
        "--dask-address", metavar="ADDRESS",
        help="run the batches on this Dask scheduler (tcp://host:8786); needs PREFECT_API_URL naming a Prefect server the workers reach",
    )

    extract = commands.add_parser("extract", help="run the stages on files and print the result, without Prefect or Parquet")
    extract.add_argument("paths", nargs="+", metavar="PATH", help="files, folders, web archives or URIs, as for ingest")
    extract.add_argument("--format", choices=("jsonl", "text"), default="jsonl", help="jsonl: one JSON object per input (default); text: the clean text")
    extract.add_argument("--debug", action="store_true", help="include every removed piece of text and the rule that removed it")
    extract.add_argument(
        "--workers", type=_positive, default=None,
        help="documents parsed at once, each in its own process; output keeps the input order (default: all cores)",
    )
    _add_document_options(extract)

    serve = commands.add_parser(
        "serve",
        help="run ingest on a schedule as a Prefect deployment, with Prefect's dashboard (starts a local Prefect server unless PREFECT_API_URL is set)",
    )
    when = serve.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", help='schedule in cron syntax, UTC, e.g. "0 2 * * *" for 02:00 every night')
    when.add_argument("--interval", type=_positive, metavar="SECONDS", help="run every SECONDS seconds, aligned to the clock (3600: on every hour, UTC)")
    serve.add_argument("--source", action="append", metavar="PATH", help="file or folder to ingest (repeatable; default: raw)")
    serve.add_argument("--name", default="nightly", help="deployment name (default: nightly)")
    _add_run_options(serve)

    stats = commands.add_parser("stats", help="print what the datasets hold: documents per type and language, runs, rejects")
    stats.add_argument("--out", default="output", help="output root folder or URI (default: output)")

    compact = commands.add_parser("compact", help="merge each dataset's small files into one per partition, atomically")
    compact.add_argument("--out", default="output", help="output root folder or URI (default: output)")
    compact.add_argument("--dataset", choices=DATASETS, action="append", help="only this dataset (repeatable; default: all)")
    return parser


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def run_serve(args: argparse.Namespace) -> int:
    import flows  # sets Prefect's defaults (PREFECT_HOME, quiet logs) without importing Prefect
    from flows.server import Child, start_local_server

    signal.signal(signal.SIGTERM, _interrupt)
    server = serving = None
    try:
        api_url = os.environ.get("PREFECT_API_URL")
        if not api_url:
            print(f"starting a local Prefect server (log: {flows.PREFECT_HOME}/server.log)", flush=True)
            server, api_url = start_local_server(str(flows.PREFECT_HOME))
            print(f"Prefect server on {api_url}", flush=True)
            print(f"dashboard: {api_url.removesuffix('/api')}/", flush=True)
        sources = [path if is_uri(path) else os.path.abspath(path) for path in (args.source or ["raw"])]
        out = args.out if "://" in args.out else os.path.abspath(args.out)
        schedule = ["--cron", args.cron] if args.cron else ["--interval", str(args.interval)]
        command = [
            sys.executable, "-m", "flows.serve", *schedule, "--name", args.name, "--out", out,
            "--config", json.dumps(run_config(args).as_dict()), *sources,
        ]
        serving = Child(command, {**os.environ, "PREFECT_API_URL": api_url}, die_with_parent=True)
        serving.process.wait()
        return EXIT_OK if serving.process.returncode == 0 else EXIT_REJECTS
    except KeyboardInterrupt:
        print("stopping", flush=True)
        return EXIT_OK
    finally:
        for child in (serving, server):
            if child is not None:
                child.stop(signal.SIGINT if child is serving else signal.SIGTERM)


def run_stats(args: argparse.Namespace) -> int:
    from docpipe.dataset import DatasetStore
    from docpipe.stats import print_stats

    print_stats(DatasetStore(args.out))
    return EXIT_OK


def run_compact(args: argparse.Namespace) -> int:
    from docpipe.dataset import DatasetStore

    store = DatasetStore(args.out)
    try:
        store.recover()
        for dataset in args.dataset or DATASETS:
            before, after = store.compact(dataset)
            print(f"{dataset}: {before} files -> {after}")
    except StoreBusy as problem:
        print(f"docpipe compact: error: {problem}", file=sys.stderr)
        return EXIT_BUSY
    return EXIT_OK


def _json_default(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def extract_record(outcome: Any, *, debug: bool = False) -> dict[str, Any]:
    """The JSON object `docpipe extract` prints: a documents row with its blocks, or an error."""
    now = datetime.now(timezone.utc)
    if isinstance(outcome, Document):
        record = document_record(outcome, run_id="extract", ingested_at=now)
        for key in ("run_id", "ingested_at", "is_current"):
            record.pop(key)
        record["blocks"] = block_records(outcome)
        if debug:
            record["removed"] = [vars(removal) for removal in outcome.removed]
        return record
    return {
        "source_path": outcome.source.path,
        "source_type": outcome.source.source_type.value if outcome.source.source_type else None,
        "sha256": outcome.source.sha256 or None,
        "error": {"type": outcome.error_type, "stage": outcome.stage, "message": outcome.message},
    }


def _print_record(path: str, record: dict[str, Any], output_format: str) -> None:
    if output_format == "jsonl":
        print(json.dumps(record, ensure_ascii=False, default=_json_default), flush=True)
    elif "error" in record:
        print(f"=== {path}: rejected ({record['error']['type']}: {record['error']['message']})\n", flush=True)
    else:
        print(f"=== {path} [{record['language']}] {record['title'] or ''}\n\n{record['text']}\n", flush=True)


def run_extract(args: argparse.Namespace) -> int:
    from docpipe.batch import expand, malformed

    config = run_config(args)
    items, _ = expand(discover(args.paths))  # a web archive stands for its records
    rejected = internal_error = False
    workers = args.workers or default_workers()
    # Run from the command line this process has no other thread, so workers may be forked
    # from it directly: no forkserver process to start and to fill with the stages first.
    start_method = "fork" if threading.active_count() == 1 else DEFAULT_START_METHOD
    outcomes = iter_isolated([item.locator for item in items if item.problem is None], config.settings(), workers, config.limits(), start_method)
    try:
        for item in items:
            outcome = malformed(item) if item.problem else next(outcomes)
            rejected |= not isinstance(outcome, Document)
            internal_error |= not isinstance(outcome, Document) and outcome.error_type == RejectReason.INTERNAL_ERROR
            _print_record(item.path, extract_record(outcome, debug=args.debug), args.format)
    except BrokenPipeError:
        # The reader stopped early (`| head`): stop the workers and end quietly, and keep
        # the interpreter's last flush from hitting the closed pipe again.
        outcomes.close()
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_INTERNAL_ERROR if internal_error else EXIT_REJECTS if rejected else EXIT_OK


def run_ingest(args: argparse.Namespace) -> int:
    import flows  # sets Prefect's defaults (PREFECT_HOME, quiet logs) without importing Prefect
    from flows.server import EmbeddedServer

    # Start-up runs side by side: the server and the forkserver (which imports the stages)
    # boot in processes of their own while this one imports Prefect.
    server = None if args.dask_address else EmbeddedServer.launch(str(flows.PREFECT_HOME))
    try:
        if not args.dask_address:
            start_forkserver(remote_inputs=any(map(names_remote, args.paths)))
        return _ingest(args, server)
    finally:
        if server is not None:
            server.stop()


def _ingest(args: argparse.Namespace, server: EmbeddedServer | None) -> int:
    from docpipe.report import print_summary, progress_bar
    from flows.ingest import ingest  # importing Prefect costs seconds: only for this command

    flow = ingest
    if args.dask_address:
        from flows.dask import PrefectServerRequired, on_dask_cluster

        try:
            flow = on_dask_cluster(ingest, args.dask_address)
        except PrefectServerRequired as problem:
            print(f"docpipe ingest: error: {problem}", file=sys.stderr)
            return EXIT_USAGE
    if server is not None:
        from flows.server import ServerFailed

        try:
            server.wait()
        except ServerFailed as problem:
            print(f"docpipe ingest: error: {problem}", file=sys.stderr)
            return EXIT_USAGE
    try:
        with server.session() if server is not None else contextlib.nullcontext(), progress_bar():
            summary = flow(paths=list(args.paths), out_dir=args.out, config=run_config(args))
    except StoreBusy as problem:
        print(f"docpipe ingest: error: {problem}", file=sys.stderr)
        return EXIT_BUSY
    print_summary(summary)
    return EXIT_INTERNAL_ERROR if summary.internal_errors else EXIT_REJECTS if summary.rejects else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "serve":
            refuse_credentials(args.source or [])
        if args.command in ("ingest", "extract"):
            absent = missing(args.paths)  # the flow, or run_extract, lists what the paths hold
            if absent:
                parser.error(f"no such file, folder or object: {', '.join(absent)}")
    except CredentialInURI as problem:
        parser.error(str(problem))
    commands = {"ingest": run_ingest, "extract": run_extract, "serve": run_serve, "stats": run_stats, "compact": run_compact}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
