"""What a boilerplate rule is, for every family that declares rules: part of the document model.

A rule is data: a name unique across the project (the name ``Document.removed``,
``removed_counts`` and ``docpipe extract --debug`` give), its family, the source types it
applies to, a one-line description, and its detector (the fields a family's subclass adds).
Each family declares its rules in its own module; ``docpipe.boilerplate.registry`` collects
them all, checks the names are unique, and writes docs/rules.md. The parsers declare rules
too, so this module depends on nothing but the document model.
"""

from __future__ import annotations

from dataclasses import dataclass

from docpipe.document import SourceType
from docpipe.reasons import DescribedStrEnum

ALL_SOURCES = frozenset(SourceType)


class Family(DescribedStrEnum):
    DOM = "dom", "HTML elements skipped while the page is walked, by element name, ARIA role, class/id words or hiding (`parsers/html_rules.py`)"
    CONTENT = "content", "HTML blocks the choice of the main content leaves out (`parsers/html_rules.py`, chosen in `parsers/html.py`)"
    LAYOUT = "layout", "what the page design of a paginated source repeats or sets apart (`docpipe/boilerplate/layout.py`)"
    TEXT = "text", "a block told from its own text, whatever the source type (`docpipe/boilerplate/text_rules.py`)"


@dataclass(frozen=True, kw_only=True)
class Rule:
    name: str
    family: Family
    sources: frozenset[SourceType]
    description: str  # one line, for docs/rules.md
