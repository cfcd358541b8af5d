"""docs/schema.md documents exactly the columns the code writes, with their types."""

import re
from pathlib import Path

import pytest

from docpipe.document import RejectedInput
from docpipe.reasons import RejectReason
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


def test_the_reject_reasons_table_is_the_enumeration():
    rejects = DOC.split("## rejects ")[1].split("\n## ")[0]
    documented = re.findall(r"^\| `(\w+)` \| (.+) \|$", rejects, re.M)
    assert documented == [(reason.value, reason.description) for reason in RejectReason]


def test_every_reject_the_code_raises_names_a_reason_of_the_enumeration():
    # A code that is not in the enumeration cannot be raised: it would fail here, and in a run
    # it becomes an internal error instead of a reject nobody documented.
    with pytest.raises(ValueError):
        RejectedInput("file_was_odd", "a reason nobody declared")
    assert RejectedInput("corrupt_pdf", "as a plain string").reason is RejectReason.CORRUPT_PDF
