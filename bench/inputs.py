"""Documents per second of `docpipe ingest` from a folder, from a web archive and from S3: what reading costs.

Builds bench/throughput.py's corpus (raw/ and, when ../shared/devset is present, its pages and
open PDFs, each copy with its own sha256), then the same documents as
  warc    one .warc.gz, each document a response record (its own gzip member, as crawlers write)
  s3      objects under a prefix of a local S3-compatible server (moto, on 127.0.0.1, in a process of its own;
          `--latency-ms 30` delays each of its answers as a real object store's first byte is)
and runs `docpipe ingest` over each source with one worker and on all cores, each run a whole
process with a fresh output folder and Prefect home. Rounds alternate the sources, so that a
slow spell of the machine hits all of them; each run's best is reported, and beside it the median
over rounds of its ratio to the folder run of the same round (on a noisy machine, the steadier). For each run:
  seconds      the command's wall time (Prefect's server start-up included, ~8 s here)
  flow s       the flow's own time, as its summary prints it (discover, plan, parse, write)
  docpipe CPU  the CPU time of the ingest's whole process tree: its workers, forkserver and Prefect server too,
               and (ms/doc) its median excess over the folder run's per document: what reading a document this
               way costs, the same whatever the document, so its share of a run depends on what the documents are
  server CPU   the S3 server's CPU time meanwhile (and per document): spent on the same cores here, elsewhere with a
               real store
  GET/HEAD     the requests the S3 server saw, per document
and each source's overhead over the folder, in wall time, flow time and docpipe CPU.

`--compare DIR` runs the docpipe of another checkout too (e.g. `git worktree add /tmp/base main`),
interleaved with this one's in every round: a before/after on the same machine state.

    nice -n 5 .venv/bin/python bench/inputs.py [--documents 400] [--repeat 3] [--workers 1,2] [--sources folder,warc,s3]
        [--latency-ms 0] [--compare DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import ctypes
import io
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import DOCPIPE, PROJECT, build_corpus, fresh_prefect_env  # noqa: E402

_MEDIA = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf", ".txt": "text/plain"}
_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "docpipe-bench", "AWS_SECRET_ACCESS_KEY": "docpipe-bench-secret", "AWS_DEFAULT_REGION": "us-east-1"}
_PR_SET_CHILD_SUBREAPER = 36
_REQUEST = re.compile(r'"(GET|HEAD|PUT|POST|DELETE) ')


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


class S3Server:
    """moto's server in a process of its own: its CPU time is its own, and it shares no interpreter with the bench."""

    def __init__(self, work: Path, latency_ms: float) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.log = work / "s3-server.log"  # one line per request
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve-s3", str(port), str(latency_ms)], stdout=subprocess.DEVNULL, stderr=open(self.log, "w")
        )
        self.endpoint = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)

    def cpu(self) -> float:
        import psutil

        times = psutil.Process(self.process.pid).cpu_times()
        return times.user + times.system

    def requests(self) -> Counter[str]:
        return Counter(match.group(1) for match in _REQUEST.finditer(self.log.read_text(errors="replace")))

    def upload(self, corpus: Path) -> str:
        import boto3

        client = boto3.client("s3", endpoint_url=self.endpoint)
        client.create_bucket(Bucket="docpipe-bench")
        for path in sorted(corpus.iterdir()):
            client.upload_file(str(path), "docpipe-bench", f"corpus/{path.name}")
        return f"s3://docpipe-bench/corpus?endpoint_override={self.endpoint}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


@dataclass
class Measure:
    seconds: float  # the command's wall time
    flow_seconds: float  # the flow's, from its summary
    cpu: float  # the ingest's process tree
    server_cpu: float
    requests: Counter[str]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _reap_orphans(server: S3Server) -> None:
    """Wait for the ingest's processes that outlived it (its forkserver, orphaned when it exits, is
    this process's child as the subreaper): their CPU time counts once they are reaped."""
    import psutil

    for child in psutil.Process().children():
        if child.pid != server.process.pid:
            child.wait(timeout=60)


def ingest(command: list[str], env: dict[str, str], checkout: Path, server: S3Server) -> Measure:
    cpu, server_cpu, requests = _children_cpu(), server.cpu(), server.requests()
    started = time.perf_counter()
    result = subprocess.run(command, cwd=checkout, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if result.returncode not in (0, 1):  # 1: some inputs were rejected, which is expected here
        sys.exit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    _reap_orphans(server)
    flow = re.search(r"Run \S+ in ([\d.]+) s", result.stdout)
    return Measure(
        seconds, float(flow.group(1)) if flow else float("nan"), _children_cpu() - cpu, server.cpu() - server_cpu, server.requests() - requests
    )


def serve_s3(port: int, latency_ms: float) -> None:
    """moto's S3 server on werkzeug, as `python -m moto.server` runs it, each answer delayed by ``latency_ms``."""
    from moto.server import MotoRequestHandler, create_backend_app
    from werkzeug.serving import run_simple

    # S3's application itself, not moto's dispatcher: that one finds the service of every request
    # anew, listing moto's package folder on disk each time (a third of the server's CPU per GET).
    moto = create_backend_app("s3")

    def delayed(environ, start_response):  # noqa: ANN001, ANN202 - a WSGI application
        time.sleep(latency_ms / 1000)
        return moto(environ, start_response)

    run_simple("127.0.0.1", port, delayed if latency_ms else moto, threaded=True, request_handler=MotoRequestHandler)


def main() -> None:
    if sys.argv[1:2] == ["--serve-s3"]:
        return serve_s3(int(sys.argv[2]), float(sys.argv[3]))
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--documents", type=int, default=400)
    arguments.add_argument("--repeat", type=int, default=3, help="rounds; the best of each run is reported (default 3)")
    arguments.add_argument("--workers", help="worker counts to run, comma-separated (default: 1 and all cores)")
    arguments.add_argument("--sources", default="folder,warc,s3", help="sources to run beside the folder, comma-separated (default: all)")
    arguments.add_argument("--latency-ms", type=float, default=0.0, help="delay each answer of the S3 server by this much (default 0)")
    arguments.add_argument("--compare", type=Path, help="another checkout of docpipe to run beside this one, interleaved (before/after)")
    arguments.add_argument("--keep", help="build the corpus and outputs here and keep them")
    args = arguments.parse_args()

    # The ingest's forkserver outlives it, orphaned: as the subreaper, this process inherits and reaps
    # it, so that its CPU time (and its workers') is counted with the ingest's.
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    os.environ.update(_CREDENTIALS)  # the local server's; the ingest processes inherit them
    work = Path(args.keep or tempfile.mkdtemp(prefix="docpipe-inputs-"))
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    counts = build_corpus(corpus, args.documents)
    archive = work / "corpus.warc.gz"
    write_archive(corpus, archive)
    server = S3Server(work, args.latency_ms)
    s3_uri = server.upload(corpus)
    cores = len(os.sched_getaffinity(0))
    print(f"corpus: {args.documents} documents {counts}; archive {archive.stat().st_size / 2**20:.1f} MiB; {cores} cores; S3 latency {args.latency_ms:g} ms")

    checkouts = {"": PROJECT, **({"base:": args.compare.resolve()} if args.compare else {})}
    sources = {name: source for name, source in {"folder": str(corpus), "warc": str(archive), "s3": s3_uri}.items() if name == "folder" or name in args.sources.split(",")}
    worker_counts = args.workers.split(",") if args.workers else ["1", str(cores)]
    runs = {
        f"{label}{name}-{workers}": (checkout, source, workers)
        for label, checkout in checkouts.items()
        for workers in worker_counts
        for name, source in sources.items()
    }
    measures: dict[str, list[Measure]] = {name: [] for name in runs}
    try:
        for n in range(args.repeat):
            for name, (checkout, source, workers) in runs.items():
                command = [*DOCPIPE, "ingest", source, "--out", str(work / f"out-{name.replace(':', '-')}-{n}"), "--workers", workers]
                measures[name].append(ingest(command, fresh_prefect_env(work), checkout, server))
    finally:
        server.stop()
    best = {name: Measure(*(min(getattr(m, field) for m in values) for field in ("seconds", "flow_seconds", "cpu", "server_cpu")), values[-1].requests)
            for name, values in measures.items()}
    print(f"best of {args.repeat} rounds; 'paired' is the median over rounds of each round's own ratio to the folder run beside it")
    print(f"{'run':<16}{'seconds':>8}{'docs/s':>8}{'vs folder':>10}{'paired':>8}{'flow s':>8}{'vs folder':>10}{'paired':>8}"
          f"{'docpipe CPU':>12}{'vs folder':>10}{'paired':>8}{'ms/doc':>7}{'server CPU':>11}{'ms/doc':>7}{'GET/doc':>8}{'HEAD/doc':>9}")
    for name, m in best.items():
        folder_name = re.sub(r"(warc|s3)-", "folder-", name)
        folder = best[folder_name]

        rounds = list(zip(measures[name], measures[folder_name]))

        def paired(field: str) -> float:
            return statistics.median(getattr(mine, field) / getattr(theirs, field) for mine, theirs in rounds) - 1

        # What a document read this way costs docpipe beyond reading it from disk: fixed per
        # document, so its share depends on how long the documents take to parse.
        extra_ms = 1000 * statistics.median(mine.cpu - theirs.cpu for mine, theirs in rounds) / args.documents

        print(
            f"{name:<16}{m.seconds:>8.1f}{args.documents / m.seconds:>8.1f}{m.seconds / folder.seconds - 1:>+10.1%}{paired('seconds'):>+8.1%}"
            f"{m.flow_seconds:>8.1f}{m.flow_seconds / folder.flow_seconds - 1:>+10.1%}{paired('flow_seconds'):>+8.1%}"
            f"{m.cpu:>12.1f}{m.cpu / folder.cpu - 1:>+10.1%}{paired('cpu'):>+8.1%}{extra_ms:>+7.1f}"
            f"{m.server_cpu:>11.1f}{1000 * m.server_cpu / args.documents:>7.1f}{m.requests['GET'] / args.documents:>8.2f}{m.requests['HEAD'] / args.documents:>9.2f}"
        )
    print("all rounds (seconds / flow s / docpipe CPU):")
    for name, values in measures.items():
        print(f"  {name:<16}" + "  ".join(f"{m.seconds:.1f}/{m.flow_seconds:.1f}/{m.cpu:.1f}" for m in values))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
