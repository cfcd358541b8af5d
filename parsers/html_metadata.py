"""Page metadata: title, authors, dates, site, canonical URL and description, from head, JSON-LD and body.

Sources, most trusted first for each field: OpenGraph/article meta, JSON-LD, Dublin Core
and other meta names, then the markup (<title>, <h1>, rel=author, <time>, byline text,
a date in the URL). Dates stay strings; ``docpipe.metadata.finalize_metadata`` normalises them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bs4 import BeautifulSoup, Tag

from docpipe.document import Document

_JSON_LD = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script\s*>", re.I | re.S)
_JSON_LD_TYPES_ARTICLE = re.compile(r"Article|BlogPosting|NewsArticle|Report|WebPage|Posting|Review", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]\s+")
_BYLINE = re.compile(
    r"^\s*(?:by|written by|posted by|por|escrito por|par|écrit par|von|autor(?:in)?:?|author:?|auteur\s*:?)\s+"
    r"([A-ZÀ-Þ][\w'’.\-]+(?:\s+(?:[A-ZÀ-Þ][\w'’.\-]+|de|del|la|van|von|der|da|dos|y|and|et|und|&)){0,5})",
    re.U,
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})(?:[/-](\d{1,2}))?/")

_META_TITLE = ("og:title", "twitter:title", "dc.title", "dcterms.title", "title")
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
        except ValueError:
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
    """Author or publisher names from a JSON-LD value (string, object, or list of them)."""
    if isinstance(value, str):
        return [value] if value.strip() and not value.startswith("http") else []
    if isinstance(value, dict):
        name = value.get("name")
        return _names(name) if name else []
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    return []


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
    for meta in (soup.head or soup).find_all("meta"):
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


def _strip_site(title: str, site: str | None) -> str:
    """"Article title | Site name" -> "Article title": the longest part, or the part that is not the site."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) == 1:
        return title.strip()
    if site:
        rest = [p for p in parts if p.strip().lower() != site.strip().lower()]
        if rest and len(rest) < len(parts):
            return " - ".join(rest).strip() if len(rest) > 1 else rest[0].strip()
    return max(parts, key=len).strip()


def _marked_authors(soup: BeautifulSoup) -> list[str]:
    """An author named by rel=author or itemprop=author markup."""
    for element in soup.find_all(_marks_author, limit=3):
        name = element.find(attrs={"itemprop": "name"})
        text = (name or element).get_text(" ", strip=True)
        if 2 < len(text) < 60:
            return [text]
    return []


def _marks_author(tag: Tag) -> bool:
    return tag.get("itemprop") == "author" or "author" in (tag.get("rel") or "").split()


def byline_authors(texts: list[str]) -> list[str]:
    """The name in the first byline ("By Jane Doe", "Por ...", "Par ...", "Von ...") among ``texts``."""
    for text in texts:
        match = _BYLINE.match(text)
        if match:
            return [match.group(1).strip()]
    return []


def read_metadata(soup: BeautifulSoup, json_ld: list[dict[str, Any]], doc: Document) -> None:
    """Fill ``doc.metadata`` and ``doc.raw_metadata`` from the parsed page (before boilerplate goes)."""
    head = soup.head or soup
    meta = _meta_map(soup)
    article = _article_object(json_ld)
    html = soup.find("html")
    if isinstance(html, Tag) and html.get("lang"):
        doc.raw_metadata["html_lang"] = html["lang"].strip()
    doc.raw_metadata["meta"] = meta
    if json_ld:
        doc.raw_metadata["json_ld_types"] = [str(o.get("@type")) for o in json_ld]

    site = _first(meta, _META_SITE) or next(iter(_names(article.get("publisher"))), None)
    title_tag = head.find("title")
    h1 = soup.find("h1")
    title = _first(meta, _META_TITLE[:2]) or (article.get("headline") if isinstance(article.get("headline"), str) else None)
    if not title and title_tag and title_tag.get_text(strip=True):
        title = _strip_site(title_tag.get_text(" ", strip=True), site)
    if not title and h1:
        title = h1.get_text(" ", strip=True)
    if title and site:
        title = _strip_site(title, site)

    authors = [a for a in (_first(meta, _META_AUTHOR),) if a and not a.startswith("http")]
    if not authors:
        authors = _names(article.get("author"))
    if not authors:
        authors = _marked_authors(soup)

    published = _first(meta, _META_PUBLISHED) or article.get("datePublished") or article.get("dateCreated")
    if not published:
        time = soup.find("time", attrs={"datetime": True})
        published = time["datetime"] if time else None
    canonical = head.find("link", rel="canonical")
    url = (canonical.get("href") if canonical else None) or meta.get("og:url")
    if not published and url:
        match = _URL_DATE.search(url)
        if match:
            published = "-".join(g for g in match.groups() if g)
    modified = _first(meta, _META_MODIFIED) or article.get("dateModified")
    description = _first(meta, _META_DESCRIPTION) or article.get("description")

    fields = doc.metadata
    fields.title = title or None
    fields.authors = authors
    fields.published_date = str(published) if published else None
    fields.publisher = site
    fields.url = url
    fields.producer = meta.get("generator")
    if isinstance(description, str) and description:
        fields.extra["description"] = description
    if isinstance(modified, str) and modified:
        fields.extra["modified_date"] = modified
