"""Changes made to a Parquet file in place, keeping its size and the bytes readers may be reading.

Polars opens a file twice (its footer, then its pages) and fails when the file was swapped
in between; DuckDB and pyarrow hold one handle. So docpipe never swaps a file readers may be
reading; it changes it in place, in ways a reader mid-read cannot notice.

**Flags.** A boolean column whose values can be cleared byte for byte.

`is_current` must turn false on a document's old version when a new one lands. Rewriting the
file that holds it would read and write every other document's text in that file, and would
swap the file under readers that open it twice (Polars reads a file's footer, then its pages,
and fails when the file changed in between). So the documents files store `is_current` in a
layout where each value is one known bit: no compression, no dictionary, PLAIN encoding (one
bit per row, LSB first), no statistics (a min/max would go stale), one data page per row group,
and the column required (no definition levels). Clearing a bit is then a one-byte write at a
place the footer and the page header give; the file keeps its size and every other byte, and a
reader sees the row either before or after the change.

`clear_flags` checks that layout from the file itself and says False when a file does not have
it (files from older versions): the caller rewrites those.

**Emptying.** A file whose rows moved elsewhere (a compaction, a rewrite) is emptied by writing
a footer with no row groups over the end of its old footer: the file keeps its size, the pages
an old footer points to stay intact, so a reader that read the old footer reads the old rows,
and one that reads the footer afterwards sees none. The whole new tail goes down in one write.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.parquet as pq

FLAG_COLUMN = "is_current"
_PAGE_TYPE_DATA = 0


def flag_write_options(column_names: list[str], compression: str) -> dict:
    """`pq.write_table` options that give FLAG_COLUMN the in-place layout and every other column the usual one."""
    others = [name for name in column_names if name != FLAG_COLUMN]
    return {
        "compression": {**{name: compression for name in others}, FLAG_COLUMN: "none"},
        "use_dictionary": others,
        "write_statistics": others,
        "column_encoding": {FLAG_COLUMN: "PLAIN"},
        "data_page_version": "1.0",
    }


class _CompactReader:
    """Just enough of Thrift's compact protocol to read a Parquet page header."""

    def __init__(self, data: bytes) -> None:
        self.data, self.position = data, 0

    def byte(self) -> int:
        value = self.data[self.position]
        self.position += 1
        return value

    def varint(self) -> int:
        shift = result = 0
        while True:
            value = self.byte()
            result |= (value & 0x7F) << shift
            if not value & 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        value = self.varint()
        return (value >> 1) ^ -(value & 1)

    def struct(self) -> dict[int, object]:
        """Fields by id: integers as values, nested structs as dicts, everything else skipped."""
        fields: dict[int, object] = {}
        field_id = 0
        while True:
            header = self.byte()
            if header == 0:
                return fields
            delta, kind = header >> 4, header & 0x0F
            field_id = field_id + delta if delta else self.zigzag()
            fields[field_id] = self.value(kind)

    def value(self, kind: int) -> object:
        if kind in (1, 2):  # booleans live in the type nibble
            return kind == 1
        if kind == 3:
            return self.byte()
        if kind in (4, 5, 6):  # i16, i32, i64
            return self.zigzag()
        if kind == 7:  # double
            self.position += 8
            return None
        if kind == 8:  # binary
            self.position += self.varint()
            return None
        if kind in (9, 10):  # list, set
            header = self.byte()
            size = header >> 4 if header >> 4 != 15 else self.varint()
            for _ in range(size):
                self.value(header & 0x0F)
            return None
        if kind == 12:
            return self.struct()
        raise ValueError(f"unexpected Thrift compact type {kind}")


def _values_offsets(path: str, handle: int) -> list[tuple[int, int]] | None:
    """(file offset of the first value byte, rows) per row group, or None if the layout is not the in-place one."""
    metadata = pq.read_metadata(path)
    names = [metadata.schema.column(i).name for i in range(metadata.num_columns)]
    if FLAG_COLUMN not in names:
        return None
    index = names.index(FLAG_COLUMN)
    if metadata.schema.column(index).max_definition_level:
        return None  # a nullable column: its pages start with definition levels
    offsets = []
    for group in range(metadata.num_row_groups):
        chunk = metadata.row_group(group).column(index)
        rows = metadata.row_group(group).num_rows
        if chunk.compression != "UNCOMPRESSED" or chunk.has_dictionary_page or chunk.is_stats_set:
            return None
        header = _CompactReader(os.pread(handle, 256, chunk.data_page_offset))
        page = header.struct()
        data_page = page.get(5)
        single_page = header.position + page.get(3, -1) == chunk.total_compressed_size
        if page.get(1) != _PAGE_TYPE_DATA or not isinstance(data_page, dict) or data_page.get(1) != rows or data_page.get(2) != 0 or not single_page:
            return None  # not one PLAIN data page holding every row of the group
        if page.get(3) != math.ceil(rows / 8):
            return None
        offsets.append((chunk.data_page_offset + header.position, rows))
    return offsets


def has_flag_layout(path: str) -> bool:
    handle = os.open(path, os.O_RDONLY)
    try:
        return _values_offsets(path, handle) is not None
    finally:
        os.close(handle)


def clear_flags(path: str, rows: Iterable[int]) -> bool:
    """Set FLAG_COLUMN to false at these row numbers of a local file, in place. False: the file lacks the layout."""
    rows = sorted(set(rows))
    handle = os.open(path, os.O_RDWR)
    try:
        offsets = _values_offsets(path, handle)
        if offsets is None:
            return False
        first_row = 0
        changes: dict[int, int] = {}  # file offset -> mask of bits to clear
        for values_at, count in offsets:
            for row in rows:
                if first_row <= row < first_row + count:
                    position = row - first_row
                    changes[values_at + position // 8] = changes.get(values_at + position // 8, 0) | 1 << (position % 8)
            first_row += count
        for offset, mask in sorted(changes.items()):
            current = os.pread(handle, 1, offset)[0]
            os.pwrite(handle, bytes([current & ~mask & 0xFF]), offset)
        os.fsync(handle)
        return True
    finally:
        os.close(handle)


def _empty_tail(schema: pa.Schema) -> bytes:
    """The footer, its length and the closing magic of a Parquet file with this schema and no rows."""
    sink = io.BytesIO()
    pq.write_table(schema.empty_table(), sink)
    data = sink.getvalue()
    footer_length = int.from_bytes(data[-8:-4], "little")
    return data[-(footer_length + 8) :]


def empty_in_place(path: str) -> bool:
    """Make a local Parquet file hold no rows, in place. False: its footer is too short to be overwritten."""
    metadata = pq.read_metadata(path)
    if metadata.num_rows == 0:
        return True
    tail = _empty_tail(metadata.schema.to_arrow_schema())
    handle = os.open(path, os.O_RDWR)
    try:
        size = os.fstat(handle).st_size
        old_footer_length = int.from_bytes(os.pread(handle, 4, size - 8), "little")
        if len(tail) > old_footer_length + 8:
            return False
        os.pwrite(handle, tail, size - len(tail))
        os.fsync(handle)
        return True
    finally:
        os.close(handle)
