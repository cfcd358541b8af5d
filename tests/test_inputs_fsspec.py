"""URIs pyarrow does not reach go through fsspec: a prefix is walked, objects are hashed and web archives split, as on S3."""

from __future__ import annotations

import fsspec

from conftest import DATA
from docpipe.batch import expand
from docpipe.discover import discover
from docpipe.sources import Locator, read_input


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
        items, skipped = expand(found.files)
        assert [item.path for item in items] == ["memory://docpipe-inputs/a.html", "memory://docpipe-inputs/deeper/archive.warc.gz#784"]
        assert sum(skipped.values()) == 5
        data, source = read_input(items[1].locator, 10**6)
        assert data.startswith(b"<!doctype html>") and source.sha256 == items[1].sha256
        assert source.origin["warc_target_uri"] == "http://example.com/"
    finally:
        memory.rm("/docpipe-inputs", recursive=True)
