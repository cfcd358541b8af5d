"""The boilerplate rule registry (docpipe/boilerplate/registry.py): every rule declared once, one
name each, docs/rules.md equal to the declarations, a test row for each rule; and the cleaning
stage's bounds: its rules neither ask the language detector nor write metadata, the metadata
stage reads what it needs from the removals."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from docpipe.boilerplate import layout, registry, text_rules
from docpipe.boilerplate.layout import _translations
from docpipe.document import Document, Removal, Source, SourceType
from docpipe.metadata import finalize_metadata
from docpipe.rules import Family, Rule
from parsers import html_rules
from tests.conftest import PROJECT

_DECLARING_MODULES = (html_rules, layout, text_rules)


def test_docs_rules_md_is_the_registry():
    # After adding a rule: .venv/bin/python -m docpipe.boilerplate.registry > docs/rules.md
    assert (PROJECT / "docs" / "rules.md").read_text(encoding="utf-8") == registry.rules_markdown()


def test_two_rules_of_one_name_are_refused():
    twin = Rule(name="share-bar", family=Family.TEXT, sources=frozenset({SourceType.TEXT}), description="a second share-bar")
    with pytest.raises(ValueError, match="share-bar"):
        registry._by_name((*registry.RULES, twin))
    assert len(registry.BY_NAME) == len(registry.RULES)


@pytest.mark.parametrize("module", _DECLARING_MODULES, ids=lambda module: module.__name__)
def test_every_rule_a_module_declares_is_registered(module):
    declared = {value for value in vars(module).values() if isinstance(value, Rule)}
    declared |= {rule for value in vars(module).values() if isinstance(value, tuple) for rule in value if isinstance(rule, Rule)}
    assert declared and declared <= set(registry.RULES)


def test_every_rule_has_a_test_row():
    tests = "\n".join(path.read_text(encoding="utf-8") for path in (PROJECT / "tests").glob("test_*.py") if path.name != "test_rules.py")
    assert [rule.name for rule in registry.RULES if f'"{rule.name}"' not in tests] == []


def _imports(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_cleaning_rules_never_call_a_later_stage_nor_write_metadata():
    for path in (PROJECT / "docpipe" / "boilerplate").glob("*.py"):
        assert not _imports(path) & {"docpipe.language", "docpipe.abstracts"}, path.name
        assert not re.search(r"\.metadata\.\w+\s*=(?!=)", path.read_text(encoding="utf-8")), path.name


def test_the_html_rules_depend_on_the_document_model_only():
    assert {m for m in _imports(PROJECT / "parsers" / "html_rules.py") if m.startswith(("docpipe", "parsers"))} == {"docpipe.document", "docpipe.rules"}


@pytest.mark.parametrize(
    ("lines", "translations"),
    [
        # The FOCAL policy paper's cover (raw/001), and the foundation's name as it prints it.
        (["POLICY PAPER", "DOCUMENT DE POLITIQUE", "DOCUMENTO DE POLÍTICA"], True),
        (["Canadian Foundation for the Americas", "Fondation canadienne pour les Amériques", "Fundación Canadiense para las Américas"], True),
        # Stacks of one language from the PDF corpus: a table's header, XML in a figure, a
        # reference, dates of a review, an author's affiliation, a glossary.
        (["Noms/Verbes", "Noms/Mots", "Verbes/Mots", "Adverbes/Mots", "Mots fonctionnels/Mots"], False),
        (['frname ="PERSON">', '<concept valeur = "person"/>', '<frlmt fename="person_name">'], False),
        (["D. International Study of Asthma and Allergies", "in Childhood: validation of the rhinitis symptom", "questionnaire and prevalence of rhinitis in"], False),
        (["Artigo apresentado em 03/09/2013", "Aprovado em 20/10/2013", "Versão final apresentada em 29/10/2013"], False),
        (["Maria Cecília Gallani e demais autores", "Faculdade de Ciências Médicas da Unicamp", "ceciliag@fcm.unicamp.br"], False),
        (["business trip", "business", "trip", "field trip"], False),
    ],
)
def test_a_multilingual_name_is_told_by_its_cognates_without_the_language_detector(lines, translations):
    assert _translations(lines) is translations


def _with_removals(*removals: Removal) -> Document:
    source = Source(path="cover.pdf", sha256="", size_bytes=0, source_type=SourceType.PDF)
    return Document(source=source, removed=list(removals))


_COVER_AND_COLOPHON = (
    Removal("multilingual-name", "POLICY PAPER DOCUMENT DE POLITIQUE DOCUMENTO DE POLÍTICA"),
    Removal("multilingual-name", "FOCAL"),
    Removal("colophon", "ISBN: 1-894992-13-X"),
    Removal("colophon", "October 2004"),
    Removal("running-header", "2005"),
)


def test_the_metadata_stage_reads_the_cover_acronym_and_the_colophon_date_from_the_removals():
    meta = finalize_metadata(_with_removals(*_COVER_AND_COLOPHON)).metadata
    assert (meta.publisher, meta.published_date) == ("FOCAL", "2004-10")


def test_what_the_parser_found_beats_what_the_removals_say():
    doc = _with_removals(*_COVER_AND_COLOPHON)
    doc.metadata.publisher, doc.metadata.published_date = "Canadian Foundation for the Americas", "2004-11-02"
    meta = finalize_metadata(doc).metadata
    assert (meta.publisher, meta.published_date) == ("Canadian Foundation for the Americas", "2004-11-02")
