"""Documents per second of `docpipe ingest` from a folder, from a web archive and from S3: what reading costs.

Builds bench/throughput.py's corpus (raw/ and, when ../shared/devset is present, its pages and
open PDFs, each copy with its own sha256), then the same documents as
  warc    one .warc.gz, each document a response record (its own gzip member, as crawlers write)
  s3      objects under a prefix of a local S3-compatible server (moto, on 127.0.0.1, in this process)
and runs `docpipe ingest` over each source with one worker and on all cores, each run a whole
process with a fresh output folder and Prefect home. Rounds alternate the sources, so that a
slow spell of the machine hits all of them; the best of the rounds is reported, with the
overhead of each source over the folder and the CPU time the local S3 server took meanwhile
(spent on the same two cores here, on other machines with a real object store).

    nice -n 5 .venv/bin/python bench/inputs.py [--documents 400] [--repeat 3] [--workers 1,2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import DOCPIPE, build_corpus, fresh_prefect_env, timed  # noqa: E402

_MEDIA = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf", ".txt": "text/plain"}
_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "docpipe-bench", "AWS_SECRET_ACCESS_KEY": "docpipe-bench-secret", "AWS_DEFAULT_REGION": "us-east-1"}


def write_archive(corpus: Path, archive: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(archive, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for path in sorted(corpus.iterdir()):
            body = path.read_bytes()
            headers = StatusAndHeaders("200 OK", [("Content-Type", _MEDIA[path.suffix]), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            record = writer.create_warc_record(f"https://bench.example/{path.name}", "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)


def start_s3(corpus: Path) -> tuple[object, str]:
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint)
    client.create_bucket(Bucket="docpipe-bench")
    for path in sorted(corpus.iterdir()):
        client.upload_file(str(path), "docpipe-bench", f"corpus/{path.name}")
    return server, f"s3://docpipe-bench/corpus?endpoint_override={endpoint}"


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--documents", type=int, default=400)
    arguments.add_argument("--repeat", type=int, default=3, help="rounds; the best of each run is reported (default 3)")
    arguments.add_argument("--workers", help="worker counts to run, comma-separated (default: 1 and all cores)")
    arguments.add_argument("--keep", help="build the corpus and outputs here and keep them")
    args = arguments.parse_args()

    os.environ.update(_CREDENTIALS)  # the local server's; the ingest processes inherit them
    work = Path(args.keep or tempfile.mkdtemp(prefix="docpipe-inputs-"))
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    counts = build_corpus(corpus, args.documents)
    archive = work / "corpus.warc.gz"
    write_archive(corpus, archive)
    server, s3_uri = start_s3(corpus)
    cores = len(os.sched_getaffinity(0))
    print(f"corpus: {args.documents} documents {counts}; archive {archive.stat().st_size / 2**20:.1f} MiB; {cores} cores")

    sources = {"folder": str(corpus), "warc": str(archive), "s3": s3_uri}
    worker_counts = args.workers.split(",") if args.workers else ["1", str(cores)]
    runs = {f"{name}-{workers}": (source, workers) for workers in worker_counts for name, source in sources.items()}
    times: dict[str, list[float]] = {name: [] for name in runs}
    # This process only waits for the ingest: its CPU time during a run is the S3 server's, which a
    # real object store spends on other machines but which here takes the ingest's two cores.
    server_cpu: dict[str, list[float]] = {name: [] for name in runs}
    try:
        for n in range(args.repeat):
            for name, (source, workers) in runs.items():
                out, home = work / f"out-{name}-{n}", fresh_prefect_env(work)
                cpu = time.process_time()
                times[name].append(timed([*DOCPIPE, "ingest", source, "--out", str(out), "--workers", workers], home))
                server_cpu[name].append(time.process_time() - cpu)
    finally:
        server.stop()
    best = {name: min(values) for name, values in times.items()}
    print(f"{'run':<12}{'seconds':>10}{'docs/s':>10}{'vs folder':>11}{'extra s':>9}{'server CPU s':>14}   (all rounds: {'; '.join('/'.join(f'{v:.1f}' for v in values) for values in times.values())})")
    for name, seconds in best.items():
        folder = best[f"folder-{name.rsplit('-', 1)[1]}"]
        print(f"{name:<12}{seconds:>10.1f}{args.documents / seconds:>10.1f}{seconds / folder - 1:>+11.1%}{seconds - folder:>+9.1f}{min(server_cpu[name]):>14.1f}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
