"""docs/schema.md documents exactly the columns the code writes, with their types."""

import re
from pathlib import Path

import pytest

from docpipe.schemas import SCHEMAS

DOC = (Path(__file__).resolve().parent.parent / "docs" / "schema.md").read_text(encoding="utf-8")


def _documented(dataset: str) -> dict[str, str]:
    section = DOC.split(f"## {dataset} ")[1].split("\n## ")[0]
    return dict(re.findall(r"^\| (\w+) \| ([^|]+) \|", section, re.M)[1:])


# pyarrow prints float32 as "float" and date32 as "date32[day]"; the doc uses the type names.
_ARROW_SPELLING = {"list<item: ": "list<", "timestamp[us, tz=UTC]": "timestamp[us, UTC]", "date32[day]": "date32", ": float>": ": float32>"}


def _type_name(arrow_type) -> str:
    text = "float32" if str(arrow_type) == "float" else str(arrow_type)
    for printed, documented in _ARROW_SPELLING.items():
        text = text.replace(printed, documented)
    return text


@pytest.mark.parametrize("dataset", sorted(SCHEMAS))
def test_every_column_is_documented_with_its_type(dataset):
    documented = _documented(dataset)
    declared = {field.name: _type_name(field.type) for field in SCHEMAS[dataset]}
    assert documented == declared


def test_every_reject_reason_the_code_gives_is_documented():
    sources = "".join(path.read_text(encoding="utf-8") for folder in ("docpipe", "parsers") for path in (Path(__file__).resolve().parent.parent / folder).rglob("*.py"))
    codes = set(re.findall(r'RejectedInput\(\s*"(\w+)"', sources)) | set(re.findall(r'_reject\((?:[^,()"]+, )+"(\w+)"', sources))
    rejects = DOC.split("## rejects ")[1].split("\n## ")[0]
    assert len(codes) > 10
    assert {code for code in codes if f"`{code}`" not in rejects} == set()
