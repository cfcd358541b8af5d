"""Boilerplate removal: named, data-driven rules, one family a module.

Every removal is recorded on the document (``Document.removed``) with the rule that made
it, so a user can always see why a piece of text vanished (``docpipe extract --debug``).
HTML pages are mostly cleaned on the DOM by ``parsers/html.py`` with the rules of
``parsers/html_rules.py``; what survives as blocks, from any source type, goes through
``clean``: the layout rules, then the text rules. ``registry.py`` lists every rule of every
family (docs/rules.md). Rules only remove text: the later stages read ``Document.removed``
for what they need.
"""

from __future__ import annotations

from docpipe.boilerplate.layout import remove_layout_boilerplate
from docpipe.boilerplate.text_rules import remove_text_boilerplate
from docpipe.document import Document


def clean(doc: Document) -> Document:
    doc = remove_layout_boilerplate(doc)
    return remove_text_boilerplate(doc)
