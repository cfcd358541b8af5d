"""Inputs in an object store: a local S3-compatible server (moto) on 127.0.0.1, started by the tests.

Discovery lists a prefix, workers fetch the objects themselves (each once, ahead of its turn),
`source_path` keeps the URI,
re-runs skip known objects and a changed object becomes the new current version; the
credentials, which only the environment holds, appear in no output. (tests/test_dask.py runs
a Dask LocalCluster over these inputs.)
"""

from __future__ import annotations

import json

import boto3
import pytest

from conftest import S3_BUCKET, S3_KEY_ID, S3_SECRET, s3_corpus
from docpipe import remote
from docpipe.cli import main
from docpipe.config import RunConfig
from docpipe.dataset import DatasetStore
from docpipe.discover import discover, missing
from docpipe.document import Document, Reject
from docpipe.isolation import run_isolated
from docpipe.pipeline import Settings
from docpipe.sources import Locator


def _no_credential_in(*texts: str) -> None:
    for text in texts:
        assert S3_SECRET not in text and S3_KEY_ID not in text


def test_s3_inputs_are_ingested_skipped_when_known_and_a_changed_object_is_the_new_version(prefect_server, s3_endpoint, tmp_path, monkeypatch):
    from prefect.client.orchestration import get_client

    from flows.ingest import ingest

    uri = s3_corpus(tmp_path, s3_endpoint, "incoming", 5)
    out = tmp_path / "out"
    config = RunConfig(batch_size=4, workers=2)
    # Planning (in this process; the workers are processes of their own) opens no object: the
    # new ones (the archive too: a worker scans it for its records) and the changed ones go to the
    # workers, the unchanged ones are known by their listing.
    opened = []
    for name in ("open_sized", "open_stream"):
        monkeypatch.setattr(remote, name, lambda uri, *rest, _real=getattr(remote, name): opened.append(uri) or _real(uri, *rest))
    first = ingest(paths=[uri], out_dir=str(out), config=config)
    assert opened == []
    assert (first.documents, first.rejects, first.skipped_other) == (6, [], 1)
    assert first.records_skipped == {"warcinfo": 2, "request": 2, "revisit": 1}
    store = DatasetStore(str(out))
    paths = sorted(row["source_path"] for row in store.read("documents").to_pylist())
    assert paths == [f"s3://{S3_BUCKET}/incoming/archive.warc.gz#784", *(f"s3://{S3_BUCKET}/incoming/note-{n:03d}.txt" for n in range(5))]

    rerun = ingest(paths=[uri], out_dir=str(out), config=config)
    assert (rerun.documents, rerun.skipped_known) == (0, 6)

    changed = "Field note 3, revised\n\nThe committee met again and approved the new pumps for the reservoir.\n"
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    client.put_object(Bucket=S3_BUCKET, Key="incoming/note-003.txt", Body=changed.encode())
    same = client.get_object(Bucket=S3_BUCKET, Key="incoming/note-001.txt")["Body"].read()
    client.put_object(Bucket=S3_BUCKET, Key="incoming/note-001.txt", Body=same)  # uploaded again, unchanged
    third = ingest(paths=[uri], out_dir=str(out), config=config)
    assert opened == []
    assert (third.documents, third.skipped_known) == (1, 5)  # note-001 read again by its worker, not parsed
    rows = DatasetStore(str(out)).read("documents").to_pylist()
    assert len(rows) == 7 and sum(row["source_path"].endswith("note-001.txt") for row in rows) == 1
    versions = [row for row in rows if row["source_path"].endswith("note-003.txt")]
    assert sorted((row["is_current"], row["text"].startswith("Field note 3, revised")) for row in versions) == [(False, False), (True, True)]

    # The credentials live in the environment only: not in a row, a Prefect parameter or a log line.
    _no_credential_in(*(str(DatasetStore(str(out)).read(name).to_pylist()) for name in ("documents", "blocks", "rejects", "runs")))
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs()
        _no_credential_in(json.dumps([run.parameters for run in runs], default=str), *(log.message for log in client.read_logs()))
    assert any(uri in run.parameters.get("paths", []) for run in runs)


def test_a_uri_carrying_a_credential_is_refused_and_not_echoed(capsys):
    uris = (f"s3://{S3_KEY_ID}:{S3_SECRET}@{S3_BUCKET}/incoming", f"s3://{S3_BUCKET}/incoming?secret_key={S3_SECRET}")
    for command in (["extract", uris[0]], ["ingest", uris[1]], ["serve", "--cron", "0 2 * * *", "--source", uris[1]]):
        with pytest.raises(SystemExit) as stop:
            main(command)
        assert stop.value.code == 2
        error = capsys.readouterr().err
        assert "credentials come from the environment" in error
        _no_credential_in(error)


def test_a_prefix_is_walked_like_a_folder(s3_endpoint, tmp_path):
    uri = s3_corpus(tmp_path, s3_endpoint, "walked", 2)
    absent = f"s3://{S3_BUCKET}/absent?endpoint_override={s3_endpoint}"
    found = discover([uri, absent])
    names = [path.split("?")[0].rsplit("/", 1)[1] for path in found.files]
    assert names == ["archive.warc.gz", "note-000.txt", "note-001.txt"]
    assert found.skipped == [f"s3://{S3_BUCKET}/walked/logo.png"]
    assert found.missing == [absent]
    assert missing([uri, found.files[1], absent]) == [absent]  # what the command line checks, listing nothing


def test_a_worker_reads_each_object_once_ahead_of_its_turn_and_a_vanished_one_is_its_own_reject(s3_endpoint, tmp_path, monkeypatch):
    from moto.s3.responses import S3Response

    uri = s3_corpus(tmp_path, s3_endpoint, "ahead", 6)
    found = discover([uri])
    notes = [Locator(path, size=found.sizes[path]) for path in found.files if ".txt?" in path]
    # Deleted between the listing and the reading: the worker's read-ahead meets it while it parses note-000.
    boto3.client("s3", endpoint_url=s3_endpoint).delete_object(Bucket=S3_BUCKET, Key="ahead/note-002.txt")
    requests = []  # what the server (in this process) is asked, by the worker process
    for name in ("get_object", "head_object"):
        monkeypatch.setattr(S3Response, name, lambda self, *rest, _real=getattr(S3Response, name), _name=name, **options: requests.append(_name) or _real(self, *rest, **options))
    outcomes = run_isolated(notes, Settings(), workers=1)
    assert [outcome.source.path.rsplit("/", 1)[1] for outcome in outcomes] == [f"note-{n:03d}.txt" for n in range(6)]
    assert [type(outcome) for outcome in outcomes] == [Document, Document, Reject, Document, Document, Document]
    assert (outcomes[2].stage, outcomes[2].error_type) == ("read", "unreadable") and "FileNotFoundError" in outcomes[2].message
    assert sorted(requests) == ["get_object"] * 5 + ["head_object"] * 6  # pyarrow's HEAD, then one GET for each object still there
