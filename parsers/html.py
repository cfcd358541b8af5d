"""HTML to blocks: the article's headings, paragraphs, lists, quotes, tables and code, nothing else.

Steps, cheapest first:

1. Decode (BOM, the page's own charset declaration, else UTF-8, else windows-1252 or what
   detection finds) and cut, with regular expressions before BeautifulSoup sees it, what
   never carries text (script, style, svg, template, noscript, comments) and the page
   furniture named by its element (nav, aside, footer, select; recorded as removed):
   building the soup is the dominant cost, and it grows with every element it is given
   (``parsers/html_soup.py`` builds it as cheaply as bs4 allows).
2. One walk over <body> builds candidate blocks. Boilerplate subtrees (the named rules of
   ``parsers/html_rules.py``), controls and hidden elements are skipped there, each recorded in
   ``Document.removed``.
3. The main content is chosen among the walked blocks: readability-style scoring of the
   elements that hold them (text, commas, link density, class/id words, semantic
   containers such as <article> and itemprop=articleBody), then the siblings of the best
   element that look like article text (never another <article>: another story; nor a
   paragraph in a box under its own heading), and the standfirst before it when it repeats
   the page's description. Blocks outside it are recorded as removed (the ``content`` rules).
4. Unless JSON-LD declared the article, or the page stacks stories and the first one,
   chosen, carries the page's title, the choice is checked against an independent,
   simpler one: the element whose own paragraphs hold the most prose. When the main text
   has under half of that prose, the page is read again from that element instead. The
   way taken is named in ``metadata.extra["html_extraction"]`` (``docpipe extract --debug``).

A class or id word of an ambiguous rule (``DomRule.takes_prose``: "paywall" also marks the
gated paragraphs of the article) never removes a paragraph or a run of plain sentences on
its own: that needs an element or role, or what the text itself says (the text rules).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from html import unescape
from importlib import metadata as package_metadata

from bs4 import BeautifulSoup, NavigableString, Tag

from docpipe.document import Block, BlockKind, Document, RejectedInput, Removal, Source
from docpipe.reasons import RejectReason
from docpipe.rules import Rule
from parsers.normalise import normalise_text
from parsers import html_rules
from parsers.encoding import decode, declared_html_charset
from parsers.html_soup import first, parsed
from parsers.html_metadata import byline_authors, date_from_lines, extract_json_ld, json_ld_article_body, read_metadata

PARSER_NAME = f"beautifulsoup4 {package_metadata.version('beautifulsoup4')} + lxml {package_metadata.version('lxml')}"

# Never text: removed from the markup before parsing. JSON-LD is read out first.
# Written as unrolled loops ("[^<]*(?:<(?!end)[^<]*)*end", not ".*?end"): the engine runs
# through the text between two "<" at once instead of trying the end at every character,
# three times faster on script-heavy pages; the first end closes the match all the same.
_PRUNE = re.compile(
    r"<(?:(script|style|svg|template|noscript|iframe|object|canvas|math)(?=[\s/>])[^<]*(?:<(?!/\1\s*>)[^<]*)*</\1\s*>"
    r"|!--[^-]*(?:-(?!->)[^-]*)*-->)",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")
# Page furniture cut from the markup before parsing, by element name (a nested one of the
# same name ends the cut early; what follows it is then left to the DOM rules). The name must
# end where the tag's name ends: <footer-widget> is a custom element, not a footer.
_FURNITURE = re.compile(r"<(nav|aside|footer|select)(?=[\s/>])[^<]*(?:<(?!/\1\s*>)[^<]*)*</\1\s*>", re.I)
_FURNITURE_RULE = {tag: html_rules.rule_of_element(tag) for tag in ("nav", "aside", "footer", "select")}
_SKIP_TAGS = frozenset(
    "script style svg template noscript iframe object embed canvas math img picture video audio source track map area "
    "input head title meta link base".split()
)
_BLOCK_TAGS = frozenset(
    "p div section article main aside header footer nav ul ol dl li dd dt blockquote pre h1 h2 h3 h4 h5 h6 figure "
    "figcaption table thead tbody tfoot tr td th caption address center form fieldset details summary hr body".split()
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_LINE_BREAK = "\u2028"  # stands for <br> until whitespace is collapsed
_SPACES = re.compile(r"[^\S\u2028]+")
_BLANK_LINES = re.compile(r"\n{2,}")
_COMMAS = re.compile(r"[,，、;]")
_PEER_ARTICLE_CHARS = 400
_DECLARED_MIN_CHARS = 40  # shorter blocks ("Read more") match any articleBody by chance
_BYLINE_RULES = html_rules.named("author-bio", "tags-list", "header")
_BIO_RULES = html_rules.named("author-bio")
_OUTGROWING_RULES = html_rules.named("comments")  # may hold more text than the article (``_too_big_to_be``)
_LINKED_SENTENCE_MIN_CHARS = 100
_LEAD_MIN_CHARS = 60  # a shorter description ("News from Chile") matches a teaser as well
_LEAD_COMPARED_CHARS = 150
_LEAD_KINDS = (BlockKind.PARAGRAPH, BlockKind.HEADING)
# Prose that ambiguous class words may not take (``_reads_as_prose``).
_PARAGRAPH_TAGS = frozenset({"p", "blockquote"})
_PROSE_MIN_CHARS = 200
_CONTROLS = ["button", "input", "select", "textarea", "form"]
_SENTENCE_BREAK = re.compile(r"[.!?…][»\"”’)]?(?=\s|$)|[。！？]")
# The density check of the container choice (``_densest``).
_PROSE_BLOCK_MIN_CHARS = 80
_PROSE_KINDS = (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.QUOTE)
_PARAGRAPH_HOLDERS = frozenset({"p", "li", "blockquote", "dd", "pre"})  # a block's own element: its holder is the one above
_DENSITY_SHORTFALL = 0.5  # main text with under this share of the densest element's prose is re-examined
# Lists of teasers (``_teasers``).
_ITEM_TAGS = frozenset({"li", "article"})
_TEASER_MAX_CHARS = 400  # an excerpt and a date line; an article has more text under its title
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")  # an address to write to, inside the content, is the article's
_SENTENCE_ENDS = (".", "!", "?", ".”", ".\"", ".»", ".)")
_NEGATIVE = frozenset(
    "comment comments meta footer footnote sidebar widget share social related promo sponsor ad ads nav menu "
    "masthead banner byline author".split()
)


@dataclass
class _Raw:
    kind: BlockKind
    text: str
    level: int | None
    chain: tuple[int, ...]  # ids of the block-level elements that hold it, outermost first
    link_chars: int
    tag: str


class _Walker:
    """Turns a DOM subtree into raw blocks, skipping boilerplate subtrees as it goes."""

    def __init__(self, doc: Document, body_chars: int, rules: bool = True, spared: frozenset[str] = frozenset()) -> None:
        self.doc = doc
        self.rules = rules  # False: a second pass when the rules left nothing to read
        self.spared = spared  # rules whose class/id words take nothing (see parse_html)
        self.body_chars = body_chars
        # rule -> characters of text with sentences that its class/id words took, for the
        # rules whose words also mark the article (``DomRule.takes_prose`` False)
        self.prose_taken: dict[str, int] = defaultdict(int)
        self.blocks: list[_Raw] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.chain: list[int] = []
        self.tags: dict[int, Tag] = {}
        self.semantic: dict[int, int] = {}  # element id -> bonus for article/main/articleBody

    def flush(self, kind: BlockKind, level: int | None, tag: str) -> None:
        if not self.parts:
            return
        joined = "".join(self.parts)
        self.parts.clear()  # in place: walk() holds a reference to this list
        links, self.link_chars = self.link_chars, 0
        if kind is BlockKind.CODE:
            raw = normalise_text(joined)
            text = "\n".join(line.rstrip() for line in raw.replace(_LINE_BREAK, "\n").strip("\n").split("\n"))
        elif joined.isspace():  # white space between blocks, the commonest flush: no block
            return
        elif _LINE_BREAK not in joined:
            text = _SPACES.sub(" ", normalise_text(joined)).strip()
        else:
            text = "\n".join(line.strip() for line in _SPACES.sub(" ", normalise_text(joined)).split(_LINE_BREAK))
            text = _BLANK_LINES.sub("\n", text).strip()
        if text:
            self.blocks.append(_Raw(kind, text, level, tuple(self.chain), links, tag))

    def remove(self, text: str, rule: Rule) -> None:
        text = " ".join(text.split())
        if text:
            self.doc.removed.append(Removal(rule=rule.name, text=text, kind="dom"))

    def walk(self, element: Tag, kind: BlockKind, level: int | None, in_link: bool, in_article: bool, block_tag: str) -> None:
        parts = self.parts
        for child in element.children:
            if type(child) is NavigableString:
                parts.append(child)
                if in_link:
                    self.link_chars += len(child.strip())
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in _SKIP_TAGS:
                continue
            if name in html_rules.CONTROLS.tags:
                self.remove(child.get_text(" "), html_rules.CONTROLS)
                continue
            if name == "br":
                parts.append(_LINE_BREAK)
                continue
            attrs = child.attrs
            class_value = attrs.get("class") or "" if attrs else ""
            id_value = attrs.get("id") or "" if attrs else ""
            if attrs and html_rules.is_hidden(attrs, class_value):
                self.remove(child.get_text(" "), html_rules.HIDDEN)
                continue
            rule = html_rules.match_rule(name, attrs.get("role"), class_value, id_value, in_article) if self.rules else None
            if rule is not None:
                text = child.get_text(" ")
                by_words = name not in rule.tags and attrs.get("role") not in rule.roles
                if by_words and (rule.name in self.spared or (not rule.takes_prose and _reads_as_prose(name, child, text))):
                    rule = None
            if rule is not None:
                if not self._too_big_to_be(rule, child, html_rules.protected(class_value, id_value), text):
                    self.remove(text, rule)
                    if by_words and not rule.takes_prose and _SENTENCE_BREAK.search(text):
                        self.prose_taken[rule.name] += _visible_chars(text)
                    continue
            if name == "table" and _is_data_table(child):
                self.flush(kind, level, block_tag)
                self._table(child)
                continue
            if name not in _BLOCK_TAGS:
                self.walk(child, kind, level, in_link or name == "a", in_article, block_tag)
                continue
            self.flush(kind, level, block_tag)
            child_kind, child_level = _kind_of(name, kind, level)
            self.chain.append(id(child))
            self.tags[id(child)] = child
            article = in_article or name in ("article", "main") or attrs.get("itemprop") == "articleBody"
            if name == "article" or attrs.get("itemprop") == "articleBody":
                self.semantic[id(child)] = 25 if attrs.get("itemprop") == "articleBody" else 10
            elif name == "main" or attrs.get("role") == "main":
                self.semantic[id(child)] = 5
            self.walk(child, child_kind, child_level, in_link, article, name)
            self.flush(child_kind, child_level, name)
            self.chain.pop()

    def _too_big_to_be(self, rule: html_rules.DomRule, element: Tag, protected: bool, text: str) -> bool:
        """A rule match that is really a layout wrapper around the article ("has-sidebar",
        "elementor-widget", a <header> around the whole page): it holds most of the page's
        text, or a long stretch of prose that is not links. Comment sections can outgrow
        the article, so they keep their rule unless their words also say content."""
        if rule.name in _OUTGROWING_RULES and not protected:
            return False
        length = _visible_chars(text)
        if length > (0.25 if protected else 0.5) * self.body_chars:
            return True
        if length < rule.max_prose:
            return False
        links = sum(_visible_chars(a.get_text()) for a in element.find_all("a"))
        return links < 0.25 * length

    def _table(self, table: Tag) -> None:
        rows = []
        for row in table.find_all("tr"):
            cells = [" ".join(normalise_text(c.get_text(" ")).split()) for c in row.find_all(["td", "th"])]
            cells = [c for c in cells if c]
            if cells:
                rows.append(" | ".join(cells))
        if rows:
            links = sum(len(a.get_text(strip=True)) for a in table.find_all("a"))
            self.blocks.append(_Raw(BlockKind.TABLE, "\n".join(rows), None, (*self.chain, id(table)), links, "table"))


def _kind_of(name: str, kind: BlockKind, level: int | None) -> tuple[BlockKind, int | None]:
    if name in _HEADINGS:
        return BlockKind.HEADING, _HEADINGS[name]
    if kind in (BlockKind.QUOTE, BlockKind.CODE, BlockKind.HEADING):
        return kind, level
    if name in ("li", "dd", "dt"):
        return BlockKind.LIST_ITEM, None
    if name == "blockquote":
        return BlockKind.QUOTE, None
    if name == "pre":
        return BlockKind.CODE, None
    if name in ("figcaption", "caption"):
        return BlockKind.CAPTION, None
    if name in ("p", "div", "section", "article", "main", "td", "th", "body", "form"):
        return (kind if kind is BlockKind.LIST_ITEM else BlockKind.PARAGRAPH), None
    return kind, level


def _reads_as_prose(name: str, element: Tag, text: str) -> bool:
    """A paragraph of the text, or sentences a reader reads rather than a box of prompts: a
    few full sentences, little of it links, and no button or field to act on (a paywall or
    newsletter box has them). What a paragraph says is left to the text rules."""
    if name in _PARAGRAPH_TAGS:
        return True
    if _visible_chars(text) < _PROSE_MIN_CHARS or len(_SENTENCE_BREAK.findall(text)) < 2:
        return False
    if element.find(_CONTROLS) is not None:
        return False
    links = sum(_visible_chars(a.get_text()) for a in element.find_all("a"))
    return links < 0.25 * _visible_chars(text)


def _is_data_table(table: Tag) -> bool:
    """A table of data, not a page laid out with a table: no nested blocks of prose."""
    return table.find(["table", "p", "div", "ul", "ol", "h1", "h2", "h3", "blockquote"]) is None


def _content_score(block: _Raw) -> float:
    length = len(block.text)
    if length < 25 or block.kind is BlockKind.HEADING:
        return 0.0
    return 1.0 + len(_COMMAS.findall(block.text)) + min(length / 100.0, 3.0)


def _class_weight(tag: Tag) -> int:
    words = set(html_rules.attribute_words(tag.get("class") or "", tag.get("id") or ""))
    weight = 0
    if words & html_rules.ARTICLE_WORDS:
        weight += 25
    if words & _NEGATIVE:
        weight -= 25
    return weight


@dataclass
class _Scores:
    """Readability-style scores of the elements that hold blocks, with what they hold."""

    final: dict[int, float]  # element id -> score, for elements that may be the article
    chars: dict[int, int]
    links: dict[int, int]
    first: dict[int, int]  # element id -> index of its first block
    best: int  # the best-scoring element


def _score(walker: _Walker) -> _Scores | None:
    blocks = walker.blocks
    scores: dict[int, float] = defaultdict(float)
    chars: dict[int, int] = defaultdict(int)
    links: dict[int, int] = defaultdict(int)
    first: dict[int, int] = {}
    for index, block in enumerate(blocks):
        for element in block.chain:
            first.setdefault(element, index)
            chars[element] += len(block.text)
            links[element] += block.link_chars
        score = _content_score(block) * (1.0 - min(block.link_chars / max(len(block.text), 1), 1.0))
        if not score:
            continue
        chain = block.chain
        # The paragraph's own element, its parent, grandparent... with falling weights.
        for depth, element in enumerate(reversed(chain[-5:])):
            scores[element] += score / (1, 1, 2, 3, 4)[depth]
    final: dict[int, float] = {}
    for element, score in scores.items():
        tag = walker.tags.get(element)
        if tag is None or tag.name in ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "body"):
            continue
        density = links[element] / max(chars[element], 1)
        bonus = walker.semantic.get(element, 0) + _class_weight(tag)
        # Pages that stack several articles (infinite scroll) put the one asked for first.
        earliness = 1.0 - 0.3 * first[element] / len(blocks)
        final[element] = (score + bonus) * (1.0 - density) * earliness
    if not final:
        return None
    return _Scores(final, chars, links, first, max(final, key=final.__getitem__))


def _select(walker: _Walker, declared_body: str | None = None, title: str | None = None) -> tuple[set[int], str]:
    """Indexes of the blocks that make up the main content, and how they were found.
    ``declared_body`` is the page's JSON-LD articleBody: where its text lies in the page
    settles which element is the article; ``title`` the page's title, which a story stacked
    first must carry to stand against the density check. Whatever the markup, this never
    fails: without a container to choose, the main content is the whole body."""
    blocks = walker.blocks
    scores = _score(walker)
    if scores is None:
        return set(range(len(blocks))), "whole body: no element scored as text"
    declared = _declared_article(walker, blocks, declared_body) if declared_body else None
    if declared is not None:
        top, path = declared, "the element holding the JSON-LD articleBody"
    else:
        top = _first_of_stacked_articles(walker, blocks, scores, scores.best)
        stacked = top != scores.best and _titled(walker, top, title)
        top, path = _common_ancestor(walker, blocks, scores.final, top), "the first of stacked articles" if stacked else "the best-scoring container"
    selected = _gather(walker, scores, top)
    # Unless the page declared its article, or stacks several (the longest is then not the
    # one asked for), a check against an independent measure: the element whose own
    # paragraphs hold the most prose. Main text well under half of its prose means the
    # scores took a teaser, a standfirst or a side box for the article.
    densest = _densest(walker) if declared is None and not stacked else None
    if densest is not None:
        selected_prose = _prose_chars(blocks, selected)
        densest_prose = _prose_chars(blocks, {i for i, block in enumerate(blocks) if densest in block.chain})
        if selected_prose < _DENSITY_SHORTFALL * densest_prose:
            alternative = _gather(walker, scores, densest)
            if _prose_chars(blocks, alternative) > selected_prose:
                return alternative, f"density fallback: {path} held {selected_prose} characters of prose, the densest element {densest_prose}"
    return selected, path


def _gather(walker: _Walker, scores: _Scores, top: int) -> set[int]:
    """The blocks of ``top`` (widened to the wrapper or article around it), and those of its
    siblings that score as text or read as paragraphs."""
    blocks, final, chars, links = walker.blocks, scores.final, scores.chars, scores.links
    top = found = _climb(walker, blocks, chars, top)
    chain_of_found = _chain_of(blocks, found)
    # Widen to an enclosing article: its title and lead paragraphs often sit beside the body.
    for element in reversed(chain_of_found):
        if element in walker.semantic and element != top and links[element] / max(chars[element], 1) < 0.3:
            top = element
            break
    chain_of_top = _chain_of(blocks, top)
    parent = chain_of_top[-2] if len(chain_of_top) >= 2 else None
    in_article = any(walker.tags[e].name == "article" for e in chain_of_top)
    threshold = max(10.0, final[scores.best] * 0.2)
    selected: set[int] = set()
    for index, block in enumerate(blocks):
        chain = block.chain
        if top in chain:
            # What the widening brought in from another <article> is another story (stacked, or a card).
            if found not in chain and _in_other_article(walker, chain[chain.index(top) + 1 :], chain_of_found):
                continue
            selected.add(index)
            continue
        if parent is None or parent not in chain:
            continue
        at = chain.index(parent)
        # Beside an <article>, another <article> is another story (a page that stacks them as it scrolls).
        if in_article and _in_other_article(walker, chain[at + 1 :], chain_of_top):
            continue
        sibling = chain[at + 1] if at + 1 < len(chain) else None
        if sibling is not None and final.get(sibling, 0.0) >= threshold:
            selected.add(index)
            continue
        # A loose paragraph, not one of a box under its own heading ("Aller plus loin", "Pour citer cet article").
        if sibling is not None and blocks[scores.first[sibling]].kind is BlockKind.HEADING:
            continue
        density = block.link_chars / max(len(block.text), 1)
        length = len(block.text)
        if block.kind is BlockKind.PARAGRAPH and density < 0.25 and (length > 80 or (length > 20 and block.text.endswith("."))):
            selected.add(index)
    return selected


def _titled(walker: _Walker, element: int, title: str | None) -> bool:
    """Whether a heading inside ``element`` is the page's title."""
    wanted = " ".join((title or "").split()).casefold()
    return bool(wanted) and any(
        block.kind is BlockKind.HEADING and " ".join(block.text.split()).casefold() == wanted for block in walker.blocks if element in block.chain
    )


def _in_other_article(walker: _Walker, elements: tuple[int, ...], own: tuple[int, ...]) -> bool:
    """Whether one of ``elements`` is an <article> that is not one of ``own``."""
    return any(walker.tags[e].name == "article" and e not in own for e in elements)


def _is_prose(block: _Raw) -> bool:
    """A paragraph of running text: long enough, few links, and sentences."""
    length = len(block.text)
    return (
        block.kind in _PROSE_KINDS
        and length >= _PROSE_BLOCK_MIN_CHARS
        and block.link_chars < 0.25 * length
        and _SENTENCE_BREAK.search(block.text) is not None
    )


def _prose_chars(blocks: list[_Raw], indexes: set[int]) -> int:
    return sum(len(blocks[i].text) for i in indexes if _is_prose(blocks[i]))


def _densest(walker: _Walker) -> int | None:
    """The element whose paragraphs hold the most prose, counting each paragraph for the
    element that holds it and half for the one above (paragraphs wrapped one by one).
    Reader comments and teaser lists spread their prose over one holder per item, an
    article's body keeps it together. None when that is the page's body itself."""
    weight: dict[int, float] = defaultdict(float)
    for block in walker.blocks:
        if not _is_prose(block):
            continue
        chain = block.chain if block.tag not in _PARAGRAPH_HOLDERS else block.chain[:-1]
        if chain:
            weight[chain[-1]] += len(block.text)
        if len(chain) >= 2:
            weight[chain[-2]] += len(block.text) / 2
    if not weight:
        return None
    densest = max(weight, key=weight.__getitem__)
    return None if walker.tags[densest].name == "body" else densest


def _declared_article(walker: _Walker, blocks: list[_Raw], declared_body: str) -> int | None:
    """The innermost element holding every paragraph the JSON-LD articleBody also has, when
    at least three of them are found; None when the markup and the declaration disagree."""
    declared = " ".join(declared_body.split())
    found = [b.chain for b in blocks if len(b.text) >= _DECLARED_MIN_CHARS and " ".join(b.text.split()) in declared]
    if len(found) < 3:
        return None
    common = found[0]
    for chain in found[1:]:
        depth = 0
        while depth < min(len(common), len(chain)) and common[depth] == chain[depth]:
            depth += 1
        common = common[:depth]
    if not common or walker.tags[common[-1]].name == "body":
        return None
    return common[-1]


def _climb(walker: _Walker, blocks: list[_Raw], chars: dict[int, int], top: int) -> int:
    """An element that only wraps the best one adds nothing: go up through it, so that the
    siblings considered next are those of the whole wrapper."""
    chain = _chain_of(blocks, top)
    position = len(chain) - 1
    while position > 0 and chars[chain[position - 1]] == chars[top] and walker.tags[chain[position - 1]].name != "body":
        position -= 1
        top = chain[position]
    return top


def _first_of_stacked_articles(walker: _Walker, blocks: list[_Raw], scores: _Scores, top: int) -> int:
    """Pages that stack whole articles (infinite scroll) put the one asked for first: when the
    best element lies in an <article> and an earlier <article> of comparable prose exists (or
    of a few paragraphs and the same class: a peer in the stack), that earlier one is the page's article."""
    first, chars, links = scores.first, scores.chars, scores.links
    chain = _chain_of(blocks, top)
    own = next((e for e in reversed(chain) if walker.tags[e].name == "article"), None)
    if own is None:
        return top
    for element in sorted(walker.semantic, key=lambda e: first.get(e, len(blocks))):
        if first.get(element, len(blocks)) >= first[own]:
            break
        if walker.tags[element].name != "article" or element in chain:
            continue
        prose, own_prose = chars[element] - links[element], chars[own] - links[own]
        peer = walker.tags[element].get("class") == walker.tags[own].get("class")
        if (prose >= _PEER_ARTICLE_CHARS if peer else prose >= 0.5 * own_prose) and own not in _chain_of(blocks, element):
            return element
    return top


def _common_ancestor(walker: _Walker, blocks: list[_Raw], final: dict[int, float], top: int) -> int:
    """Readability's rule: when other near-best candidates share an ancestor with the best
    one, the article is that ancestor (a body split into several sections or columns).
    Candidates in another <article> are other stories, not more of this one. An earlier
    <article> chosen over the best candidate, its paragraphs too deep to be scored, has no
    score to compare with: it stands as the article."""
    if top not in final:
        return top
    ranked = sorted(final, key=final.__getitem__, reverse=True)[1:6]
    top_chain = _chain_of(blocks, top)
    top_article = next((e for e in reversed(top_chain) if e in walker.semantic), None)
    alternatives = []
    for candidate in ranked:
        if final[candidate] < 0.75 * final[top]:
            break
        chain = _chain_of(blocks, candidate)
        if candidate in top_chain or top in chain:
            continue
        article = next((e for e in reversed(chain) if e in walker.semantic), None)
        if article is not None and top_article is not None and article != top_article:
            continue
        alternatives.append(chain)
    if len(alternatives) < 2:
        return top
    for ancestor in reversed(top_chain[:-1]):
        if walker.tags[ancestor].name == "body":
            break
        if sum(1 for chain in alternatives if ancestor in chain) >= 2:
            return ancestor
    return top


def _chain_of(blocks: list[_Raw], element: int) -> tuple[int, ...]:
    """The chain from the outermost element down to ``element``, from any block inside it."""
    for block in blocks:
        if element in block.chain:
            return block.chain[: block.chain.index(element) + 1]
    return ()


def _lead(blocks: list[_Raw], selected: set[int], description: str | None) -> int | None:
    """The article's standfirst, when the template puts it outside the element that holds the
    body: the paragraph nearest before the body whose text is the page's own description
    (og:description, often cut short with "..."). Some templates set it as a sub-heading."""
    if not description or not selected:
        return None
    wanted = " ".join(description.split()).rstrip(".… ")
    for index in range(min(selected) - 1, -1, -1):
        block = blocks[index]
        text = " ".join(block.text.split())
        length = min(len(text), len(wanted), _LEAD_COMPARED_CHARS)
        if block.kind in _LEAD_KINDS and length >= _LEAD_MIN_CHARS and text[:length] == wanted[:length]:
            return index
    return None


def _teasers(walker: _Walker) -> set[int]:
    """Indexes of the blocks in a list of teasers for other pages: two or more sibling items
    (<li>, <article>), each led by a headline that is a link and holding little else (an
    excerpt, a date). The article's own title may be a link too, but it has its text below."""
    blocks = walker.blocks
    items: dict[int, list[int]] = defaultdict(list)  # item element -> indexes of its blocks
    headlined: set[int] = set()
    for index, block in enumerate(blocks):
        item = next((e for e in reversed(block.chain) if e in walker.tags and walker.tags[e].name in _ITEM_TAGS), None)
        if item is None:
            continue
        items[item].append(index)
        if block.kind is BlockKind.HEADING and block.link_chars >= 0.9 * len(block.text):
            headlined.add(item)
    by_parent: dict[int | None, list[int]] = defaultdict(list)
    for item in headlined:
        if sum(len(blocks[i].text) for i in items[item] if blocks[i].kind is not BlockKind.HEADING) > _TEASER_MAX_CHARS:
            continue
        chain = blocks[items[item][0]].chain
        at = chain.index(item)
        by_parent[chain[at - 1] if at else None].append(item)
    return {index for group in by_parent.values() if len(group) >= 2 for item in group for index in items[item]}


def _link_block(block: _Raw) -> bool:
    """Mostly link text: a teaser, tag list or menu left inside the content, not prose (an
    e-mail address alone is the article's contact, not a link away). A long
    sentence that begins in plain text and ends in a link ("X replaced Y, <a>who for eight
    months...</a>.") stays: teasers and menu entries are headlines, without a full stop."""
    length = len(block.text)
    if block.kind is BlockKind.TABLE or block.link_chars <= 0.6 * length or _EMAIL.fullmatch(block.text):
        return False
    return not (length >= _LINKED_SENTENCE_MIN_CHARS and block.text.endswith(_SENTENCE_ENDS) and block.link_chars < 0.9 * length)


def _cut(match: re.Match[str], doc: Document) -> str:
    """Record a piece of furniture cut from the markup; it leaves a space behind."""
    text = " ".join(unescape(_TAG.sub(" ", match.group(0))).split())
    if text:
        doc.removed.append(Removal(rule=_FURNITURE_RULE[match.group(1).lower()].name, text=text, kind="dom"))
    return " "


def _visible_chars(text: str) -> int:
    """Characters that are not white space: markup indentation says nothing about content."""
    return len("".join(text.split()))


def _walk(doc: Document, body: Tag, body_chars: int, rules: bool, spared: frozenset[str] = frozenset()) -> _Walker:
    walker = _Walker(doc, body_chars, rules, spared)
    walker.walk(body, BlockKind.PARAGRAPH, None, False, False, "body")
    walker.flush(BlockKind.PARAGRAPH, None, "body")
    return walker


def parse_html(data: bytes, source: Source) -> Document:
    text, source.encoding = decode(data, declared_html_charset(data))
    doc = Document(source=source, parser=PARSER_NAME)
    json_ld = doc.enrich([], extract_json_ld, text)
    markup = _FURNITURE.sub(lambda match: _cut(match, doc), _PRUNE.sub(" ", text))
    with parsed(markup, trimmed=_BLOCK_TAGS) as soup:
        return _read_soup(doc, soup, text, markup, json_ld)


def _read_soup(doc: Document, soup: BeautifulSoup, raw_text: str, text: str, json_ld: list) -> Document:
    """The metadata and the blocks of ``doc``, from its ``soup``, the page's markup as it came
    (``raw_text``) and as it was parsed (``text``), and its JSON-LD objects."""
    read_metadata(soup, raw_text, json_ld, doc)
    body = first(soup, "body") or soup
    body_chars = _visible_chars(_TAG.sub("", text))
    cut = len(doc.removed)
    walker = _walk(doc, body, body_chars, rules=True)
    # Weighed against what is left: class/id words that took more text with sentences than
    # the prose the page kept marked the article itself ("paywall" on its gated part).
    taken = walker.prose_taken
    kept = sum(_visible_chars(b.text) for b in walker.blocks if _is_prose(b)) if taken else 0
    spared = frozenset(rule for rule, chars in taken.items() if chars > kept)
    rules_off = sum(len(b.text) for b in walker.blocks) < 0.05 * body_chars and not spared
    prefix = ""
    if spared:
        del doc.removed[cut:]
        walker = _walk(doc, body, body_chars, rules=True, spared=spared)
        prefix = f"DOM rules read again without the class/id words of {', '.join(sorted(spared))} (they took more text with sentences than the {kept} characters of prose left); "
    elif rules_off:
        # The rules took nearly everything: a page built from wrappers they misread.
        del doc.removed[cut:]
        walker = _walk(doc, body, body_chars, rules=False)
        prefix = "DOM rules off (they left under 5% of the text); "
    if not walker.blocks:
        raise RejectedInput(RejectReason.NO_TEXT, "the page has no visible text")
    # Bylines and "Posted on" lines, removed or not, name what the markup may not.
    lines = [r.text for r in doc.removed if r.rule in _BYLINE_RULES and len(r.text) < 120]
    lines += [b.text for b in walker.blocks[:30] if len(b.text) < 120]
    if not doc.metadata.authors:
        bios = [r.text for r in doc.removed if r.rule in _BIO_RULES and len(r.text) < 60]
        doc.metadata.authors = doc.enrich([], byline_authors, lines, bios)
    known = doc.metadata.published_date
    doc.metadata.published_date = doc.enrich(known, date_from_lines, lines, known)
    # Choosing the main content is an enrichment too: should it fail, the whole body is kept.
    everything = (set(range(len(walker.blocks))), "the whole body (choosing the content failed)")
    declared_body = doc.enrich(None, json_ld_article_body, json_ld)
    selected, path = doc.enrich(everything, _select, walker, declared_body, doc.metadata.title)
    # Which way the main content was found, for `docpipe extract --debug` readers.
    doc.metadata.extra["html_extraction"] = prefix + path
    lead = doc.enrich(None, _lead, walker.blocks, selected, doc.metadata.extra.get("description"))
    if lead is not None:
        selected.add(lead)
    teasers = _teasers(walker)
    for index, raw in enumerate(walker.blocks):
        if index in selected and index in teasers:
            doc.removed.append(Removal(rule=html_rules.TEASER_LIST.name, text=raw.text, kind=raw.kind.value))
        elif index in selected and _link_block(raw):
            doc.removed.append(Removal(rule=html_rules.LINK_BLOCK.name, text=raw.text, kind=raw.kind.value))
        elif index in selected:
            doc.blocks.append(Block(raw.kind, raw.text, level=raw.level, attrs={"tag": raw.tag}))
        else:
            doc.removed.append(Removal(rule=html_rules.OUTSIDE_MAIN_CONTENT.name, text=raw.text, kind=raw.kind.value))
    return doc
