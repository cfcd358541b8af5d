"""The source-type table is the one place a type is declared: each list the pipeline uses is read from it."""

from __future__ import annotations

from docpipe.discover import discover
from docpipe.document import SourceType
from docpipe.isolation import PRELOADED_MODULES
from parsers.detect import detect_type
from parsers.source_types import SOURCE_TYPES, SizeClass, parser_for, row_of, type_of_media


def test_every_source_type_has_one_row_with_a_parser_that_imports():
    assert [row.type for row in SOURCE_TYPES] == [SourceType.PDF, SourceType.HTML, SourceType.TEXT]
    for row in SOURCE_TYPES:
        assert callable(parser_for(row.type))
    assert row_of(SourceType.PDF).size_class is SizeClass.FILE
    assert {row_of(t).size_class for t in (SourceType.HTML, SourceType.TEXT)} == {SizeClass.TEXT}


def test_the_forkserver_preloads_every_parser_of_the_table():
    assert set(PRELOADED_MODULES) >= {row.module for row in SOURCE_TYPES}


def test_a_folder_walk_takes_each_rows_extensions_and_no_other(tmp_path):
    names = [f"doc{extension}" for row in SOURCE_TYPES for extension in row.extensions] + ["DOC.HTM", "photo.png", "notes.md"]
    for name in names:
        (tmp_path / name).write_text("x")
    found = discover([str(tmp_path)])
    assert sorted(p.rsplit("/", 1)[1] for p in found.files) == sorted(names[:-2])
    assert sorted(p.rsplit("/", 1)[1] for p in found.skipped) == ["notes.md", "photo.png"]


def test_declared_media_types_name_the_rows_whose_sniffing_agrees():
    samples = {SourceType.PDF: b"%PDF-1.7\n1 0 obj", SourceType.HTML: b"<html><body><p>Hi</p></body></html>", SourceType.TEXT: b"Plain words."}
    for row in SOURCE_TYPES:
        for media in row.media_types:
            assert type_of_media(f"{media.upper()}; charset=utf-8") is row.type
        assert detect_type(samples[row.type], "x") is row.type
    assert type_of_media("image/png") is None and type_of_media("") is None
