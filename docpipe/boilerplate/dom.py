"""DOM boilerplate rules for HTML pages: a table of named rules, matched on tags, roles and class/id.

``parsers/html.py`` asks ``match_rule`` about every element it walks into; the first rule
that matches names the removal recorded in ``Document.removed``. Rules are general signals
(element names, ARIA roles, the words sites use in class and id attributes), never a site.

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

# Words in class/id that mark the article itself. An element carrying one of them is only
# removed by a class/id rule if it holds well under the page's text (see ``protected``).
CONTENT_WORDS = frozenset(
    "article articlebody body content contents entry main post story text blog single page hentry".split()
)


@dataclass(frozen=True)
class DomRule:
    name: str
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
    name: str, tags: str = "", roles: str = "", words: str = "", phrases: str = "", outside_article_only: bool = False, max_prose: int = 1200,
    takes_prose: bool = True,
) -> DomRule:
    return DomRule(
        name=name,
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
RULES: tuple[DomRule, ...] = (
    _rule("comments", words="comment comments commentlist commentary-list disqus respond replies reply livefyre fb-comments "
          "comentario comentarios commentaire commentaires kommentare comentarios-lista",
          phrases="comment form, leave reply, post comment, dsq thread"),
    _rule("share-bar", words="share shares sharing sharer sharethis addthis addtoany a2a shariff sociable social socials socialbar socialmedia "
          "compartir partage partager teilen redes-sociales",
          phrases="social links, share buttons, share tools"),
    _rule("cookie-banner", words="cookie cookies consent gdpr cmp cookiebar cookienotice"),
    _rule("paywall", words="paywall regwall piano meter metered subscriber-only", takes_prose=False),
    _rule("archive-banner", words="archived", phrases="archive banner, archive notice, archive message"),
    _rule("notice-banner", words="banner announcement notice topbar", takes_prose=False),
    _rule("newsletter", words="newsletter newsletters subscribe subscription signup mailchimp mc4wp optin boletin suscripcion infolettre abonnement",
          phrases="sign up", takes_prose=False),
    _rule("related", words="related recommended recommendations outbrain taboola yarpp trending popular mostread most-read more-stories "
          "relacionados relacionadas relacionado connexes similaires verwandte",
          phrases="most read, more stories, read next, you may, also like, more from, further reading, more articles"),
    _rule("author-bio", words="bio biography authorbox author-box byline bylines author authors vcard autor auteur", phrases="about author, author info, author bio, post author",
          max_prose=600),
    # A caption is a sentence or two; several hundred characters of prose in one is the
    # article's lead put there by the template.
    _rule("photo-caption", tags="figcaption", words="caption captions credit credits photocredit wp-caption-text legend leyenda legende bildunterschrift",
          phrases="pie foto, pie de foto", max_prose=600),
    _rule("ads", words="ad ads adv advert adverts advertisement advertising sponsor sponsored adsbygoogle dfp gpt promo promoted "
          "publicidad anuncio anuncios publicite werbung anzeige",
          phrases="google ad", takes_prose=False),
    _rule("page-tools", words="print tools toolbar toolbox utility utilities fontsize font-size textsize", phrases="font size, text size, email this", takes_prose=False),
    _rule("read-more", phrases="read more, more link, continue reading, leer mas, lire la suite", words="weiterlesen", takes_prose=False),
    _rule("breadcrumbs", words="breadcrumb breadcrumbs crumbs migas ariane", phrases="fil d"),
    _rule("navigation", tags="nav menu", roles="navigation menubar menu search", words="nav navbar navigation menu menus submenu skip skiplink pagination pager topnav navegacion",
          phrases="skip link"),
    _rule("header", tags="header", roles="banner", words="masthead cabecera encabezado entete kopfzeile", phrases="site header, page header, top bar, en tete",
          outside_article_only=True, max_prose=150),
    _rule("footer", tags="footer", roles="contentinfo", words="footer colophon pagedetails pie piedepagina fusszeile",
          phrases="page details, date modified, site footer, pied de page, pie de pagina"),
    _rule("form", tags="form"),
    _rule("sidebar", tags="aside", roles="complementary", words="sidebar widget widgets rail sidebox factbox lateral seitenleiste", phrases="side bar, barra lateral"),
    _rule("tags-list", words="tags tagcloud categories keywords taglist etiquetas", phrases="tag list, post tags, entry meta, post meta, entry footer"),
)

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
HIDDEN_CLASSES = frozenset("hidden hide d-none sr-only visually-hidden screen-reader-text screenreader offscreen".split())
_WORD_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")
# Phrases are matched on the words joined by single spaces, padded with one at each end.
_PHRASES = {rule.name: re.compile("|".join(f" {re.escape(p)} " for p in rule.phrases)) for rule in RULES if rule.phrases}


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
    return bool(class_value) and any(c.lower() in HIDDEN_CLASSES for c in class_value.split())


@lru_cache(maxsize=65536)
def match_rule(name: str, role: str | None, class_value: str, id_value: str, inside_article: bool) -> DomRule | None:
    """The first rule that claims an element, from its tag name, role and class/id words."""
    words = attribute_words(class_value, id_value) if class_value or id_value else ()
    word_set = set(words)
    joined = f" {' '.join(words)} "
    for rule in RULES:
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
