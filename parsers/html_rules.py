"""The HTML boilerplate rules: elements skipped as the page is walked (family ``dom``) and
blocks left out of the main content (family ``content``), each declared once as data.

``parsers/html.py`` asks ``match_rule`` about every element it walks into; the first rule of
``DOM_RULES`` that matches names the removal recorded in ``Document.removed``. Rules are
general signals (element names, ARIA roles, the words sites use in class and id attributes),
never a site.

Class and id values are split into words on spaces, dashes, underscores and camelCase, so
``comment-list``, ``commentList`` and ``comment_area`` all carry the word "comment"; the
words come in the languages sites are written in ("comentarios", "relacionados", "pie").

A match is only a candidate: ``parsers/html.py`` keeps an element that holds most of the
page or a long stretch of non-link prose (``DomRule.max_prose``), since layout wrappers
often carry rule words ("has-sidebar", "elementor-widget").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from docpipe.document import SourceType
from docpipe.rules import Family, Rule

_HTML = frozenset({SourceType.HTML})

# Class/id words that say "this is the article": they raise an element's score as the main
# content (``parsers/html.py``).
ARTICLE_WORDS = frozenset("article articlebody body content entry main post story text blog hentry".split())
# Words that may mark the article, "contents", "single" and "page" too: an element carrying one
# of them is only removed by a class/id rule if it holds well under the page's text (see
# ``protected``). Only the narrower set above scores an element as the article.
CONTENT_WORDS = ARTICLE_WORDS | frozenset("contents single page".split())


@dataclass(frozen=True, kw_only=True)
class DomRule(Rule):
    family: Family = Family.DOM
    sources: frozenset[SourceType] = _HTML
    tags: frozenset[str] = frozenset()  # element names removed outright
    roles: frozenset[str] = frozenset()  # ARIA roles
    words: frozenset[str] = frozenset()  # single class/id words
    phrases: tuple[str, ...] = ()  # class/id words that must follow each other ("read more")
    outside_article_only: bool = False  # a <header> in an <article> holds its title
    # False: its class/id words also mark the article's own text (a "paywall" class on the
    # gated paragraphs, "read-more" on the folded rest, "sponsored" on a paid article), so
    # they do not take an element that reads as prose; its tags and roles still do.
    takes_prose: bool = True
    # More prose than this (text that is not links) and the match is a wrapper around content.
    max_prose: int = 1200


def _rule(
    name: str, description: str, tags: str = "", roles: str = "", words: str = "", phrases: str = "", outside_article_only: bool = False,
    max_prose: int = 1200, takes_prose: bool = True,
) -> DomRule:
    return DomRule(
        name=name,
        description=description,
        tags=frozenset(tags.split()),
        roles=frozenset(roles.split()),
        words=frozenset(words.split()),
        phrases=tuple(p.strip() for p in phrases.split(",") if p.strip()),
        outside_article_only=outside_article_only,
        max_prose=max_prose,
        takes_prose=takes_prose,
    )


# Order matters: the first match names the removal. Words that also name content stay out
# ("discussion" is a section of a paper, German "Kommentar" an opinion column, "alert" a callout).
DOM_RULES: tuple[DomRule, ...] = (
    _rule("comments", "reader comments and their widgets (Disqus, Livefyre, reply forms)",
          words="comment comments commentlist commentary-list disqus respond replies reply livefyre fb-comments "
          "comentario comentarios commentaire commentaires kommentare comentarios-lista",
          phrases="comment form, leave reply, post comment, dsq thread"),
    _rule("share-bar", "a bar of share and social-network buttons",
          words="share shares sharing sharer sharethis addthis addtoany a2a shariff sociable social socials socialbar socialmedia "
          "compartir partage partager teilen redes-sociales",
          phrases="social links, share buttons, share tools"),
    _rule("cookie-banner", "a cookie or consent banner", words="cookie cookies consent gdpr cmp cookiebar cookienotice"),
    _rule("paywall", "a paywall or metered-access box", words="paywall regwall piano meter metered subscriber-only", takes_prose=False),
    _rule("archive-banner", "a banner saying the page or site is an archive", words="archived", phrases="archive banner, archive notice, archive message"),
    _rule("notice-banner", "a site-wide banner, announcement or notice bar", words="banner announcement notice topbar", takes_prose=False),
    _rule("newsletter", "a newsletter or subscription sign-up box",
          words="newsletter newsletters subscribe subscription signup mailchimp mc4wp optin boletin suscripcion infolettre abonnement",
          phrases="sign up", takes_prose=False),
    _rule("related", "lists of related, recommended, trending or most-read stories",
          words="related recommended recommendations outbrain taboola yarpp trending popular mostread most-read more-stories "
          "relacionados relacionadas relacionado connexes similaires verwandte",
          phrases="most read, more stories, read next, you may, also like, more from, further reading, more articles"),
    _rule("author-bio", "an author box, byline or biography", words="bio biography authorbox author-box byline bylines author authors vcard autor auteur",
          phrases="about author, author info, author bio, post author", max_prose=600),
    # A caption is a sentence or two; several hundred characters of prose in one is the
    # article's lead put there by the template.
    _rule("photo-caption", "a figure caption or photo credit element", tags="figcaption",
          words="caption captions credit credits photocredit wp-caption-text legend leyenda legende bildunterschrift",
          phrases="pie foto, pie de foto", max_prose=600),
    _rule("ads", "an advertisement or sponsored slot",
          words="ad ads adv advert adverts advertisement advertising sponsor sponsored adsbygoogle dfp gpt promo promoted "
          "publicidad anuncio anuncios publicite werbung anzeige",
          phrases="google ad", takes_prose=False),
    _rule("page-tools", "print, e-mail and font-size tools",
          words="print tools toolbar toolbox utility utilities fontsize font-size textsize", phrases="font size, text size, email this", takes_prose=False),
    _rule("read-more", "a read-more or continue-reading link box",
          phrases="read more, more link, continue reading, leer mas, lire la suite", words="weiterlesen", takes_prose=False),
    _rule("breadcrumbs", "a breadcrumb trail element", words="breadcrumb breadcrumbs crumbs migas ariane", phrases="fil d"),
    _rule("navigation", "menus, navigation bars, search boxes, skip links and pagination", tags="nav menu", roles="navigation menubar menu search",
          words="nav navbar navigation menu menus submenu skip skiplink pagination pager topnav navegacion",
          phrases="skip link"),
    _rule("header", "the site's header or masthead, outside the article", tags="header", roles="banner",
          words="masthead cabecera encabezado entete kopfzeile", phrases="site header, page header, top bar, en tete",
          outside_article_only=True, max_prose=150),
    _rule("footer", "the site's footer", tags="footer", roles="contentinfo", words="footer colophon pagedetails pie piedepagina fusszeile",
          phrases="page details, date modified, site footer, pied de page, pie de pagina"),
    _rule("form", "a form (search, sign-in, comment or contact)", tags="form"),
    _rule("sidebar", "a sidebar, widget or fact box", tags="aside", roles="complementary",
          words="sidebar widget widgets rail sidebox factbox lateral seitenleiste", phrases="side bar, barra lateral"),
    _rule("tags-list", "tag, category and keyword lists and entry meta lines",
          words="tags tagcloud categories keywords taglist etiquetas", phrases="tag list, post tags, entry meta, post meta, entry footer"),
)
# Skipped before the table is asked, whatever their size: a reader never reads their text as the article's.
CONTROLS = _rule("controls", "buttons, drop-down lists, text areas and dialogs", tags="button select option textarea dialog")
HIDDEN = DomRule(name="hidden", description="an element a browser does not show: hidden, aria-hidden, display:none, a screen-reader-only class")

# Blocks outside the main content (``parsers/html.py`` chooses it); their detectors are its functions.
TEASER_LIST = Rule(name="teaser-list", family=Family.CONTENT, sources=_HTML,
                   description="inside the content, two or more sibling items each led by a linked headline with little else (links to other pages)")
LINK_BLOCK = Rule(name="link-block", family=Family.CONTENT, sources=_HTML,
                  description="inside the content, a block mostly of link text that is not a sentence (a teaser, a tag list, a menu)")
OUTSIDE_MAIN_CONTENT = Rule(name="outside-main-content", family=Family.CONTENT, sources=_HTML,
                            description="a block outside the element chosen as the article (readability scores, JSON-LD articleBody, density check)")

# In the order the parser asks them.
HTML_RULES: tuple[Rule, ...] = (CONTROLS, HIDDEN, *DOM_RULES, TEASER_LIST, LINK_BLOCK, OUTSIDE_MAIN_CONTENT)


def named(*names: str) -> frozenset[str]:
    """The names given, each checked to be an HTML rule's: a misspelt name fails at import."""
    known = {rule.name for rule in HTML_RULES}
    unknown = set(names) - known
    if unknown:
        raise ValueError(f"not an HTML rule: {', '.join(sorted(unknown))}")
    return frozenset(names)


def rule_of_element(name: str) -> DomRule | None:
    """The rule that takes an element by its name alone, as the walk would."""
    if name in CONTROLS.tags:
        return CONTROLS
    return next((rule for rule in DOM_RULES if name in rule.tags), None)


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
HIDDEN_CLASSES = frozenset("hidden hide d-none sr-only visually-hidden screen-reader-text screenreader offscreen".split())
_WORD_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")
# Phrases are matched on the words joined by single spaces, padded with one at each end.
_PHRASES = {rule.name: re.compile("|".join(f" {re.escape(p)} " for p in rule.phrases)) for rule in DOM_RULES if rule.phrases}


@lru_cache(maxsize=16384)
def attribute_words(class_value: str, id_value: str) -> tuple[str, ...]:
    """The lower-case words of an element's class and id, and its whole class tokens
    ("wp-caption-text", "sr-only" are rule words as they stand)."""
    classes = class_value.split()
    words = [w.lower() for w in _WORD_SPLIT.split(f"{class_value} {id_value}") if w]
    return tuple(words) + tuple(c.lower() for c in classes)


def is_hidden(attrs: dict, class_value: str) -> bool:
    """Hidden by the hidden attribute, aria-hidden, inline style, or a screen-reader-only class."""
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = attrs.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    return bool(class_value) and _hidden_class(class_value)


@lru_cache(maxsize=16384)
def _hidden_class(class_value: str) -> bool:
    return any(c.lower() in HIDDEN_CLASSES for c in class_value.split())


@lru_cache(maxsize=65536)
def match_rule(name: str, role: str | None, class_value: str, id_value: str, inside_article: bool) -> DomRule | None:
    """The first rule that claims an element, from its tag name, role and class/id words."""
    words = attribute_words(class_value, id_value) if class_value or id_value else ()
    word_set = set(words)
    joined = f" {' '.join(words)} "
    for rule in DOM_RULES:
        if rule.outside_article_only and inside_article:
            continue
        if name in rule.tags or (role and role in rule.roles):
            return rule
        if word_set and (word_set & rule.words or (rule.name in _PHRASES and _PHRASES[rule.name].search(joined))):
            return rule
    return None


@lru_cache(maxsize=16384)
def protected(class_value: str, id_value: str) -> bool:
    """Class/id words say this element may be the article: remove it only if it is small."""
    return bool(CONTENT_WORDS.intersection(attribute_words(class_value, id_value)))
