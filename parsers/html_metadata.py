"""Page metadata: title, authors, dates, site, canonical URL and description, from head, JSON-LD and body.

Sources, most trusted first for each field: OpenGraph/article meta, JSON-LD, Dublin Core
and other meta names, then the markup (<title> cut to the <h1> or without the site's name,
rel=author / itemprop=author / a link to an author page, <time datetime>, a date in the URL).
``parsers/html.py`` then fills the gaps from byline lines ("By ...", "Posted on ...") with
``byline_authors`` and ``date_from_lines``. Dates stay strings;
``docpipe.metadata.finalize_metadata`` normalises them.
"""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from docpipe.document import Document
from parsers.html_soup import elements, first
from parsers.normalise import normalise_date

_JSON_LD = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script\s*>", re.I | re.S)
_JSON_LD_TYPES_ARTICLE = re.compile(r"Article|BlogPosting|NewsArticle|Report|WebPage|Posting|Review", re.I)
# What stands between a page's title and its site's name ("Title | Site", "Site » Title"). Not
# a colon: it belongs to titles ("Le Canada et l'Amérique latine : le pari d'une diplomatie").
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·•»]\s+")
_SITE_PART_MAX_WORDS = 6  # a longer end part is a subtitle, even if it names the site
_SHORT_PART_MAX_WORDS = 4  # "Title - Section": an unnamed end part this short is not the headline's
_NOT_ALPHANUMERIC = re.compile(r"\W+|_")
_BYLINE = re.compile(
    r"^\s*(?i:by|written by|posted by|por|escrito por|par|écrit par|von|autor(?:in)?|author|auteur)\s*:?\s+"
    r"([A-ZÀ-Þ][\w'’.\-]+(?:\s+(?:[A-ZÀ-Þ][\w'’.\-]+|de|del|la|le|van|von|der|da|dos|y)){0,5})"
)
# A byline element holding only a name: two to five words, each capitalised or a particle.
_NAME_ONLY = re.compile(r"^[A-ZÀ-Þ][\w'’.\-]+(?:\s+(?:[A-ZÀ-Þ][\w'’.\-]+|de|del|la|le|van|von|der|da|dos|y)){1,4}$")
_AUTHOR_MARKUP = re.compile(
    r"""<(?:a|span|div|p)\b[^>]*\b(?:rel=["']?author\b|itemprop=["']?author\b)[^>]*>(.{1,300}?)</(?:a|span|div|p)\s*>""", re.I | re.S
)
_SUB_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_TEASER_MAX_CHARS = 600  # more text than that around a <time> is an article, not a teaser
_TIME = re.compile(r"""<time\b[^>]*\bdatetime\s*=\s*["']([^"']{4,40})["']""", re.I)
_TAGS = re.compile(r"<[^>]*>")
_DOMAIN = re.compile(r"www\.|\.(?:com|net|org|cl|de|fr|es|ar|mx|co|uk|pe|ni)\b|%")
_AUTHOR_PAGE_LINK = re.compile(r"""<a\b[^>]*\bhref=["'][^"']*/(?:author|autor|auteur|autore|autorin|redaktion/autor)/[^"']+["'][^>]*>\s*([^<]{2,60}?)\s*</a>""", re.I)
_NOT_A_NAME = re.compile(r"\d|[→»›@]|^(?:null|none|admin|por|by|von|par)$|\b(?:articles?|artikel|archiv\w*|posts?|theme\w*)\b")
_POSTS_BY = re.compile(r"^(?:view all posts by|all posts by|posts by|more by|más de|plus de)\s+", re.I)
_TRAILING_PARTICLE = re.compile(r"(?:\s+(?:de|del|la|le|van|von|der|da|dos|y))+$")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})(?:[/-](\d{1,2}))?/")

_META_TITLE = ("og:title", "twitter:title", "dc.title", "dcterms.title", "citation_title")
_META_AUTHOR = ("author", "article:author", "dc.creator", "dcterms.creator", "byl", "sailthru.author", "parsely-author", "citation_author")
_META_PUBLISHED = (
    "article:published_time", "og:published_time", "datepublished", "dcterms.date", "dcterms.issued", "dc.date",
    "dc.date.issued", "date", "pubdate", "publishdate", "publish-date", "sailthru.date", "parsely-pub-date",
    "citation_publication_date", "dcterms.created",
)
_META_MODIFIED = ("article:modified_time", "og:updated_time", "dcterms.modified", "datemodified", "last-modified", "dc.date.modified")
_META_SITE = ("og:site_name", "application-name", "publisher", "dc.publisher", "dcterms.publisher")
_META_DESCRIPTION = ("og:description", "description", "twitter:description", "dcterms.description", "dc.description")


def extract_json_ld(html: str) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page, @graph members flattened; malformed ones skipped."""
    objects: list[dict[str, Any]] = []
    for match in _JSON_LD.finditer(html):
        try:
            data = json.loads(match.group(1).strip().rstrip(";"))
        except (ValueError, RecursionError):  # RecursionError: nested deeper than the decoder follows
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
            elif isinstance(item, list):
                stack.extend(item)
    return objects


def _names(value: Any) -> list[str]:
    """Author or publisher names from a JSON-LD value (string, object, or list of them), in
    order. Walked with a stack, not recursion: lists nest as deep as a page cares to."""
    names: list[str] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if item.strip() and not item.startswith("http"):
                names.append(item)
        elif isinstance(item, dict):
            if item.get("name"):
                pending.append(item["name"])
        elif isinstance(item, list):
            pending.extend(reversed(item))
    return names


def _article_object(objects: list[dict[str, Any]]) -> dict[str, Any]:
    for obj in objects:
        kind = obj.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and _JSON_LD_TYPES_ARTICLE.search(k) and k != "WebPage" for k in kinds):
            return obj
    for obj in objects:
        if obj.get("@type") == "WebPage":
            return obj
    return {}


def json_ld_article_body(objects: list[dict[str, Any]]) -> str | None:
    body = _article_object(objects).get("articleBody")
    return body if isinstance(body, str) and body.strip() else None


def _meta_map(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in (first(soup, "head") or soup).find_all("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv")
        value = meta.get("content")
        if key and value and value.strip():
            found.setdefault(key.strip().lower(), value.strip())
    return found


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if meta.get(key):
            return meta[key]
    return None


def _fold(text: str) -> str:
    """Lower-case letters and digits only, so that "Le Monde" and the host "lemonde.fr" compare."""
    return _NOT_ALPHANUMERIC.sub("", text.lower())


def _site_names(site: str | None, url: str | None) -> list[str]:
    """Folded spellings of the site's name: og:site_name or the publisher, and the canonical
    URL's host with and without its last label ("ieh-montreal.example", "ieh-montreal")."""
    names = [_fold(site)] if site else []
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:  # a malformed canonical link ("http://[x") names no host
        host = None
    if host:
        host = host.removeprefix("www.")
        names += [_fold(host), _fold(host.rsplit(".", 1)[0])]
    return [name for name in names if len(name) >= 3]


def _names_site(part: str, names: list[str]) -> bool:
    folded = _fold(part)
    if len(part.split()) > _SITE_PART_MAX_WORDS or len(folded) < 3:
        return False
    return any(name in folded or folded in name for name in names)


def _strip_site(title: str, names: list[str], heading: str | None, guess: bool) -> str:
    """"Article title | Site name" -> "Article title". Only a part at either end of the title
    goes: one that names the site (``names``), or, in a <title> (``guess``; an og:title rarely
    carries the site), a last or first part of a few words beside a longer rest. The page's
    <h1> is the title when the title is that heading plus such an end part."""
    title = " ".join(title.split())
    cuts = list(_TITLE_SEPARATORS.finditer(title))
    if not cuts:
        return title
    if heading and len(heading) >= 10 and not _names_site(heading, names):
        for cut in cuts:
            if heading in (title[: cut.start()], title[cut.end() :]):
                return heading
    start, end = 0, len(title)
    while cuts and _names_site(title[cuts[-1].end() : end], names):
        end = cuts.pop().start()
    while cuts and _names_site(title[start : cuts[0].start()], names):
        start = cuts.pop(0).end()
    if (start, end) != (0, len(title)) or not guess or not cuts:
        return title[start:end]
    last, first = title[cuts[-1].end() :], title[: cuts[0].start()]
    if len(last.split()) <= _SHORT_PART_MAX_WORDS and len(last) < cuts[-1].start():
        return title[: cuts[-1].start()]
    if len(first.split()) <= _SHORT_PART_MAX_WORDS and len(first) < len(title) - cuts[0].end():
        return title[cuts[0].end() :]
    return title


def _is_person(name: str, site: str | None) -> bool:
    """A byline that names the site or a domain ("Cooperativa.cl", "Deutsche Welle (www.dw.com)"),
    or a link label ("257 Artikel", "Archiv anzeigen →", "null"), is not an author."""
    folded = name.lower()
    if site and (site.lower() in folded or folded in site.lower()):
        return False
    return not (_DOMAIN.search(folded) or folded.startswith("http") or _NOT_A_NAME.search(folded))


def _marked_authors(html: str) -> list[str]:
    """An author named by rel=author or itemprop=author markup (read from the markup
    itself: the element often sits in a footer that is cut before parsing)."""
    for pattern in (_AUTHOR_MARKUP, _AUTHOR_PAGE_LINK):
        for match in pattern.finditer(html):
            text = _POSTS_BY.sub("", " ".join(unescape(_TAGS.sub(" ", match.group(1))).split()))
            if 2 < len(text) < 60:
                return [text]
    return []


def date_from_lines(texts: list[str], known: str | None) -> str | None:
    """A full date (day precision) from short lines near the article (bylines, "Posted on ..."),
    for a page whose markup gives none, or only the year and month of its URL."""
    if known and len(normalise_date(known) or "") >= 10:
        return known
    prefix = normalise_date(known) if known else None
    for text in texts:
        found = normalise_date(text)
        if found and len(found) == 10 and (prefix is None or found.startswith(prefix)):
            return found
    return known


def byline_authors(texts: list[str], names: list[str] = ()) -> list[str]:
    """The name in the first byline ("By Jane Doe", "Por ...", "Par ...", "Von: ...") among
    ``texts``, else the first of ``names`` (texts of byline elements) that is only a name."""
    for text in texts:
        match = _BYLINE.match(text)
        if match:
            return [_TRAILING_PARTICLE.sub("", match.group(1).strip())]
    return [name for name in names if _NAME_ONLY.match(name)][:1]


def _article_time(soup: BeautifulSoup, html: str) -> str | None:
    """The ``datetime`` of the article's own <time>: one marked as the publication date, else
    the first in the nearest element around the <h1> that holds one outside a teaser (a
    related post: a linked sub-heading with its own date), never one further out. Without an
    <h1>, the first <time> of the markup ``html``."""
    times = [time for time in elements(soup, "time") if "datetime" in time.attrs]
    for marked in (lambda time: time.get("itemprop") == "datePublished", lambda time: "pubdate" in time.attrs):
        found = next((time for time in times if marked(time)), None)
        if found is not None:
            return str(found["datetime"])
    h1 = first(soup, "h1")
    if h1 is None:
        match = _TIME.search(html)
        return match.group(1) if match else None
    # Each <time> with the ids of the elements around it: which ones an ancestor holds.
    around = [(time, {id(parent) for parent in time.parents}) for time in times]
    for ancestor in h1.parents:
        if ancestor.name in ("body", "html") or ancestor.parent is None:
            break
        for found, parents in around:
            if id(ancestor) in parents and not _in_teaser(found, ancestor):
                return str(found["datetime"])
    return None


def _in_teaser(element: Tag, container: Tag) -> bool:
    """True when, inside ``container``, ``element`` sits in a small block (a teaser: headline,
    a line of excerpt, byline and date) with a linked sub-heading."""
    for block in element.parents:
        if block is container or len(block.get_text()) > _TEASER_MAX_CHARS:
            return False
        for heading in block.find_all(_SUB_HEADINGS):
            if heading.find("a", href=True):
                return True
    return False


def _title(soup: BeautifulSoup, meta: dict[str, str], article: dict[str, Any], names: list[str]) -> str | None:
    head = first(soup, "head") or soup
    title_tag = head.find("title")
    h1 = first(soup, "h1")
    heading = " ".join(h1.get_text(" ").split()) if h1 else None
    title = _first(meta, _META_TITLE) or (article.get("headline") if isinstance(article.get("headline"), str) else None)
    if title:
        title = _strip_site(title, names, heading, guess=False)
    elif title_tag and title_tag.get_text(strip=True):
        title = _strip_site(title_tag.get_text(" ", strip=True), names, heading, guess=True)
    else:
        title = heading
    return title or None


def _authors(meta: dict[str, str], article: dict[str, Any], html: str, site: str | None) -> list[str]:
    authors: list[str] = []
    for source in (lambda: [_first(meta, _META_AUTHOR) or ""], lambda: _names(article.get("author")), lambda: _marked_authors(html)):
        authors = [a for a in source() if a and _is_person(a, site)]
        if authors:
            break
    return authors


def _published(soup: BeautifulSoup, meta: dict[str, str], article: dict[str, Any], html: str, url: str | None) -> str | None:
    published = _first(meta, _META_PUBLISHED) or article.get("datePublished") or article.get("dateCreated")
    if not published:
        published = _article_time(soup, html)
    if not published and url:
        match = _URL_DATE.search(url)
        if match:
            published = "-".join(g for g in match.groups() if g)
    return str(published) if published else None


def _canonical_url(soup: BeautifulSoup, meta: dict[str, str]) -> str | None:
    canonical = (first(soup, "head") or soup).find("link", rel="canonical")
    return (canonical.get("href") if canonical else None) or meta.get("og:url")


def read_metadata(soup: BeautifulSoup, html: str, json_ld: list[dict[str, Any]], doc: Document) -> None:
    """Fill ``doc.metadata`` and ``doc.raw_metadata`` from the parsed page and, for what may sit
    in markup cut before parsing (a footer's <time>, an author link), from the markup ``html``.
    Each field is read on its own: one that fails is left empty, with a warning on ``doc``."""
    meta = doc.enrich({}, _meta_map, soup)
    article = doc.enrich({}, _article_object, json_ld)
    root = soup.find("html")
    if isinstance(root, Tag) and root.get("lang"):
        doc.raw_metadata["html_lang"] = root["lang"].strip()
    doc.raw_metadata["meta"] = meta
    if json_ld:
        doc.raw_metadata["json_ld_types"] = [str(o.get("@type")) for o in json_ld]

    site = _first(meta, _META_SITE) or next(iter(doc.enrich([], _names, article.get("publisher"))), None)
    url = doc.enrich(None, _canonical_url, soup, meta)
    names = doc.enrich([], _site_names, site, url)
    modified = _first(meta, _META_MODIFIED) or article.get("dateModified")
    description = _first(meta, _META_DESCRIPTION) or article.get("description")

    fields = doc.metadata
    fields.title = doc.enrich(None, _title, soup, meta, article, names)
    fields.authors = doc.enrich([], _authors, meta, article, html, site)
    fields.published_date = doc.enrich(None, _published, soup, meta, article, html, url)
    fields.publisher = site
    fields.url = url
    fields.producer = meta.get("generator")
    if isinstance(description, str) and description:
        fields.extra["description"] = description
    if isinstance(modified, str) and modified:
        fields.extra["modified_date"] = modified
