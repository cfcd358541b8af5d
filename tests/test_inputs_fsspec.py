"""URIs pyarrow does not reach go through fsspec: a prefix is walked, objects are hashed and web archives split,
as on S3; a single file over HTTP (a server the test starts on 127.0.0.1) is read like a local one."""

from __future__ import annotations

import fsspec
import pytest

from conftest import DATA
from docpipe.batch import expand
from docpipe.discover import discover, missing, names_remote
from docpipe.document import Document
from docpipe.pipeline import process_path
from docpipe.sources import ReadRefused, read_input


def test_an_fsspec_prefix_is_walked_and_its_objects_read_like_files():
    memory = fsspec.filesystem("memory")
    memory.pipe("/docpipe-inputs/a.html", b"<html><body><p>A page about water.</p></body></html>")
    memory.pipe("/docpipe-inputs/deeper/archive.warc.gz", (DATA / "warc" / "example.warc.gz").read_bytes())
    memory.pipe("/docpipe-inputs/.hidden.txt", b"not listed")
    memory.pipe("/docpipe-inputs/photo.jpg", b"\xff\xd8\xff")
    try:
        found = discover(["memory://docpipe-inputs", "memory://docpipe-absent"])
        assert found.files == ["memory://docpipe-inputs/a.html", "memory://docpipe-inputs/deeper/archive.warc.gz"]
        assert (found.skipped, found.missing) == (["memory://docpipe-inputs/photo.jpg"], ["memory://docpipe-absent"])
        assert missing(["memory://docpipe-inputs", "memory://docpipe-inputs/a.html", "memory://docpipe-absent"]) == ["memory://docpipe-absent"]
        items, skipped = expand(found)
        assert [item.path for item in items] == ["memory://docpipe-inputs/a.html", "memory://docpipe-inputs/deeper/archive.warc.gz#784"]
        assert sum(skipped.values()) == 5
        data, source = read_input(items[1].locator, 10**6)
        assert data.startswith(b"<!doctype html>") and source.sha256 == items[1].sha256
        assert source.origin["warc_target_uri"] == "http://example.com/"
        with pytest.raises(ReadRefused) as refusal:
            read_input(items[0].locator, 20)  # over the byte limit: refused from the object's size, unread
        assert (refusal.value.reason, refusal.value.size_bytes) == ("too_large", items[0].size)
    finally:
        memory.rm("/docpipe-inputs", recursive=True)


def test_a_file_over_http_is_read_like_a_local_one():
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(DATA / "html")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        found = discover([f"{base}/flowfx.de.tmux.html", f"{base}/absent.html"])
        assert (found.files, found.missing) == ([f"{base}/flowfx.de.tmux.html"], [f"{base}/absent.html"])
        (item,), _ = expand(found)
        remote, local = process_path(item.locator), process_path(DATA / "html" / "flowfx.de.tmux.html")
    finally:
        server.shutdown()
    assert isinstance(remote, Document) and remote.source.path == f"{base}/flowfx.de.tmux.html"
    assert (remote.source.sha256, remote.text) == (local.source.sha256, local.text)


def test_a_file_uri_names_a_local_path_and_other_uris_a_filesystem_client():
    assert [names_remote(path) for path in ("file:///tmp/a.html", "raw/a.html", "s3://bucket/a.html", "memory://a.html")] == [False, False, True, True]
