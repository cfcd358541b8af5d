"""Every boilerplate rule of every family in one table, and docs/rules.md written from it.

Each family declares its rules where its detector runs (``parsers/html_rules.py``,
``docpipe/boilerplate/layout.py``, ``docpipe/boilerplate/text_rules.py``); this module
collects them in the order they apply and refuses two rules of one name, so that a
removal's rule name says which detector made it. Regenerate the list after adding a rule:

    .venv/bin/python -m docpipe.boilerplate.registry > docs/rules.md
"""

from __future__ import annotations

from docpipe.boilerplate.layout import LAYOUT_RULES
from docpipe.boilerplate.text_rules import TEXT_RULES
from docpipe.rules import Family, Rule
from parsers.html_rules import HTML_RULES

RULES: tuple[Rule, ...] = (*HTML_RULES, *LAYOUT_RULES, *TEXT_RULES)


def _by_name(rules: tuple[Rule, ...]) -> dict[str, Rule]:
    by_name: dict[str, Rule] = {}
    for rule in rules:
        if rule.name in by_name:
            raise ValueError(f"two boilerplate rules are named {rule.name!r} ({by_name[rule.name].family} and {rule.family}): names must be unique")
        by_name[rule.name] = rule
    return by_name


BY_NAME = _by_name(RULES)


def rules_markdown() -> str:
    """docs/rules.md: the families, then every rule with its family, source types and description."""
    lines = [
        "# Boilerplate rules",
        "",
        "Every piece of text docpipe drops as boilerplate is recorded with the name of the rule that",
        "dropped it: `docpipe extract --debug` lists each removal (`removed`), the `documents` dataset",
        "counts them per rule (`removed_counts`). Names are unique across families. This file is",
        "written from the rule declarations (`python -m docpipe.boilerplate.registry > docs/rules.md`);",
        "tests/test_rules.py keeps it equal to them.",
        "",
        "## Families, in the order they apply",
        "",
        "| family | what it looks at |",
        "|---|---|",
        *(f"| `{family}` | {family.description} |" for family in Family),
        "",
        "## Rules",
        "",
        "Rules are listed in the order they are asked; in the `dom` and `text` families the first that matches names the removal.",
        "",
        "| rule | family | source types | description |",
        "|---|---|---|---|",
    ]
    for rule in RULES:
        sources = ", ".join(sorted(source.value for source in rule.sources))
        lines.append(f"| `{rule.name}` | {rule.family} | {sources} | {rule.description} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
