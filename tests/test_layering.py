"""The folder tree is the architecture: parsers/ sits on the document model only, and only
flows/ knows Prefect. Read from the source's imports, so a new import that breaks it fails here."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import PROJECT

# The document model: what a parser builds and the reasons it may refuse an input with.
MODEL_MODULES = {"docpipe.document", "docpipe.reasons", "docpipe.rules"}


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_parsers_import_only_the_document_model_from_docpipe():
    offending = {
        f"{path.relative_to(PROJECT)}: {module}"
        for path in (PROJECT / "parsers").rglob("*.py")
        for module in imported_modules(path)
        if (module == "docpipe" or module.startswith("docpipe.")) and module not in MODEL_MODULES
    }
    assert not offending


def test_only_flows_import_prefect():
    offending = {
        f"{path.relative_to(PROJECT)}: {module}"
        for package in ("docpipe", "parsers")
        for path in (PROJECT / package).rglob("*.py")
        for module in imported_modules(path)
        if module == "prefect" or module.startswith(("prefect.", "prefect_"))
    }
    assert not offending
