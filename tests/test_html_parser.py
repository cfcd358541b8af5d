"""parsers/html.py on real pages: the raw/ corpus through the whole chain, devset pages for
each boilerplate family, encodings, text quality and page metadata."""

from __future__ import annotations

import pytest

from docpipe.boilerplate import clean
from docpipe.boilerplate.registry import BY_NAME
from docpipe.document import BlockKind, Document, RejectedInput, Source
from docpipe.metadata import finalize_metadata
from docpipe.pipeline import process_path
from parsers.encoding import declared_html_charset
from parsers.html import PARSER_NAME, parse_html
from conftest import DATA, RAW

PAGES = DATA / "html"


def _source(name: str, data: bytes) -> Source:
    return Source(path=name, sha256="", size_bytes=len(data))


def _parse(data: bytes, name: str = "page.html") -> Document:
    return parse_html(data, _source(name, data))


def _page(name: str) -> Document:
    """A devset page through the parser and the cleaner, as the pipeline runs them."""
    return clean(_parse((PAGES / name).read_bytes(), name))


def _page_from(data: bytes) -> Document:
    return clean(_parse(data))


def _removed(doc: Document, rule: str) -> str:
    return "\n".join(r.text for r in doc.removed if r.rule == rule)


def _chain(name: str) -> Document:
    outcome = process_path(RAW / name)
    assert isinstance(outcome, Document), outcome
    return outcome


# --- the raw/ corpus through docpipe.pipeline.process_path (issue 2) --------------------------


def test_focal_archive_page_keeps_the_article_and_drops_disqus_addthis_banner_and_credit():
    doc = _chain("002_focal_archive_peschard-sverdrup.html")
    for leak in ("Disqus", "Comments Policy", "Welcome to the FOCAL archive", "AddThis", "Photo:"):
        assert leak not in doc.text, leak
    assert "Trade and investment" in doc.text
    assert "It is puzzling for American commentators" in doc.text
    assert "make a difference" in doc.text
    assert "Welcome to the FOCAL archive" in _removed(doc, "archive-banner")
    assert "blog comments powered by Disqus" in _removed(doc, "comments")
    assert "Photo: Office of the Prime Minister" in _removed(doc, "photo-caption")
    assert "is a Senior Associate (Non-Resident)" in _removed(doc, "author-bio")
    assert doc.metadata.title == "The Canada-Mexico relationship: A view from inside the Beltway"
    assert doc.metadata.authors == ["Armand Peschard-Sverdrup"]


@pytest.mark.parametrize("name", ["003_bloomberg_canada_venezuela.html", "003_bloomberg_canada_venezuela.txt"])
def test_news_article_loses_ap_photo_caption_and_spam_bio(name):
    doc = _chain(name)
    assert "Entrepreneur. Internet fanatic" not in doc.text
    assert "AP Photo" not in doc.text
    assert "Canada is seeking to restore ties with President Nicolás Maduro" in doc.text
    assert "to alleviate the humanitarian crisis." in doc.text


def test_government_page_keeps_headings_paragraphs_and_link_sentences_but_no_menus_or_footer():
    doc = _chain("000_gc_canada_and_the_americas.html")
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings[0] == "Canada and the Americas"
    assert "Increasing Canadian and hemispheric economic opportunity" in headings
    assert "The North American relationship" in headings
    assert doc.text.count("For more information, please see") == 3
    assert "For more information, see Permanent Mission of Canada to the OAS." in doc.text
    for leak in ("Date modified", "Jobs and the workplace", "Report a problem", "Terms and conditions", "Section menu"):
        assert leak not in doc.text, leak
    assert "Jobs and the workplace" in _removed(doc, "navigation")
    assert doc.raw_metadata["html_lang"] == "en"


def test_undeclared_windows_1252_page_reads_correctly():
    doc = _chain("005_es_cafe_comercio_justo.html")
    assert doc.source.encoding == "cp1252"
    assert "¿Qué hay detrás de la etiqueta “comercio justo” en su paquete de café?" in doc.text
    assert "Cada mañana, millones de personas" in doc.text
    assert "Portada » Guías" not in doc.text
    assert "Compartir:" not in doc.text


def test_french_page_drops_share_bars_newsletter_and_bio():
    doc = _chain("004_fr_ieh_canada_amerique_latine.html")
    assert "Une ambition affichée" in doc.text
    for leak in ("Partager", "Infolettre", "Articles similaires", "est chercheuse associée à l’Institut"):
        assert leak not in doc.text, leak
    assert doc.metadata.published_date == "2024-03-14"


# --- boilerplate families on devset pages ------------------------------------------------------

FAMILIES = [
    # (page, rule, text the rule removed, text that stays)
    ("rete-mirabile.net.15jahre.html", "comments", "4 thoughts on “15 Jahre rete-mirabile.net”", "Im Trubel des Alltags ist mir entgangen"),
    ("verfassungsblog.de.expertinnen.html", "comments", "Sehr nachdenkenswert finde ich die Erwägungen zur Triage", "Expert*innen"),
    ("bibliothek2null.de.mai.html", "comments", "Write a Reply or Comment", "Mai"),
    ("rete-mirabile.net.15jahre.html", "cookie-banner", "Diese Website nutzt Cookies zur Reichweitenmessung", "Danke Euch allen fürs Lesen!"),
    ("doschu.com.solopreneur.html", "share-bar", "Like it? Share it!", "LinkedIn"),
    ("blog.mondediplo.net.turpitude.html", "share-bar", "Partager cet article", "Hwang Sok-yong"),
    ("jamaica.gleaner.com-victims.html", "newsletter", "Sign up for The Gleaner’s morning and evening newsletter", "Christiana"),
    ("salon.com.emissions.html", "ads", "Advertisement:", "emissions"),
    ("salon.com.emissions.html", "photo-credit", "(Credit: Clayton Aldern / Grist)", "emissions"),
    ("aclu.org-grades.html", "related", "Related Stories", "Riverside County"),
    ("aclu.org-grades.html", "author-bio", "Staff Attorney, ACLU Racial Justice Program", "Riverside County"),
    ("blog.gaijinpot.com.chikan.html", "byline", "By Amelie Marie Nishizawa Feb 8, 2020 5 min read", "chikan"),
    ("verfassungsblog.de.expertinnen.html", "support-prompt", "would you consider supporting our work?", "Expert*innen"),
    ("verfassungsblog.de.expertinnen.html", "page-tools", "DOWNLOAD PDF", "Expert*innen"),
    ("100noticias.com-millones.html", "navigation", "NACIONALES SUCESOS ESPECIALES", "deuda externa"),
    ("achtundvierzig.hypotheses.org.822.html", "header", "Achtundvierzig Suchen", "Tagung"),
    ("100noticias.com-millones.html", "link-block", "Lea también: Impiden ingreso a Nicaragua", "deuda externa"),
    ("aoc.media.archaisme.html", "paywall", "Pour lire la suite et accéder gratuitement à 3 articles par mois", "Pour le néolibéralisme, la retraite"),
    ("computerbase.de.htc.html", "breadcrumbs", "ComputerBase Internet", "Vor knapp zwei Wochen"),
    ("linkedin.com.hoeltmann.html", "notice-banner", "This website uses cookies to improve service and provide tailored ads.", "Das Wendland ist eine schöne, aber sehr ländliche"),
    ("tine.no.fotballskole.html", "read-more", "Les mer", "En annerledes sesong med TINE Fotballskole"),
    ("prof-pc.de.html", "footer", "Datenschutzerklärung · Impressum", "Liebe_r Besucher_in"),
    ("flowfx.de.tmux.html", "sidebar", "Previous post Next post", "or the first time in many years"),
    ("flowfx.de.tmux.html", "hidden", "Skip to main content", "or the first time in many years"),
    ("jamaica.gleaner.com-victims.html", "follow-us", "Follow The Gleaner on Twitter and Instagram", "The police have now released the identities of the"),
    ("hackernoon.com.scrape.html", "tags-list", "Google Search Web Scraping Python Search Engine", "There are also some caveats"),
    ("computerbase.de.htc.html", "controls", "alle Bereiche News Tests Downloads Preisvergleich Forum", "Vor knapp zwei Wochen"),
    ("salon.com.emissions.html", "form", "Send email to: From email: Message content:", "emissions"),
]


@pytest.mark.parametrize(("name", "rule", "removed", "kept"), FAMILIES)
def test_boilerplate_family_is_removed_under_its_rule(name, rule, removed, kept):
    doc = _page(name)
    assert removed in _removed(doc, rule)
    assert removed not in doc.text
    assert kept in doc.text


@pytest.mark.parametrize("word", ["paywall", "piano", "sponsored", "read-more", "newsletter"])
def test_a_class_word_on_the_article_paragraphs_takes_none_of_them(word):
    # Magazines mark their gated paragraphs class="paywall"; a class says nothing about prose.
    data = (PAGES / "blog.gaijinpot.com.chikan.html").read_bytes()
    marked = _page_from(data.replace(b"<p>", f'<p class="{word}">'.encode()))
    assert marked.text == _page_from(data).text
    assert "Japan is a safe country." in marked.text and "To be continued." in marked.text


def test_a_paywall_box_with_its_buttons_is_still_removed_when_the_article_paragraphs_are_marked_too():
    data = (PAGES / "aoc.media.archaisme.html").read_bytes().replace(b"<p>", b'<p class="paywall">')
    doc = _page_from(data)
    assert "Pour lire la suite et accéder gratuitement à 3 articles par mois" in _removed(doc, "paywall")
    assert "Pour le néolibéralisme, la retraite" in doc.text


def test_class_words_that_took_more_prose_than_was_left_are_read_again_without_them():
    # Each paragraph its own <div class="paywall">, short ones too: no single removal is big.
    data = (PAGES / "blog.gaijinpot.com.chikan.html").read_bytes()
    neutral = _page_from(data.replace(b"<p>", b'<div class="body-part">').replace(b"</p>", b"</div>"))
    gated = _page_from(data.replace(b"<p>", b'<div class="paywall">').replace(b"</p>", b"</div>"))
    assert gated.text == neutral.text and "To be continued." in gated.text
    assert gated.metadata.extra["html_extraction"].startswith("DOM rules read again without the class/id words of paywall")


def test_a_list_of_teasers_inside_the_content_is_removed_under_its_rule():
    doc = _page("bondyblog.fr.paris-8.html")
    teasers = _removed(doc, "teaser-list")
    assert "Intervenant à l’atelier Sciences Po" in teasers and "Contre les E3C" in teasers
    assert "Intervenant à l’atelier" not in doc.text and "Articles liés" not in doc.text
    assert "Marie-Pierre ne fait plus de cours" in doc.text and "Solidaires Étudiant-e-s Saint-Denis" in doc.text


def test_a_standfirst_set_as_a_sub_heading_outside_the_body_is_kept_when_it_is_the_page_description():
    doc = _page("phillyvoice.com-Sixers.html")
    assert "The Sixers captured their biggest win of the year Wednesday night." in doc.text
    assert "It was an underwhelming first quarter on both sides" in doc.text


def test_main_text_far_shorter_than_the_densest_prose_is_taken_from_the_densest_element():
    # A template that puts the title and standfirst in an <article> ("story") and the body,
    # one paragraph per wrapper, outside it: the scores take the standfirst for the article.
    paragraphs = [b.text for b in _page("100noticias.com-millones.html").blocks if len(b.text) > 150][:7]
    body = "".join(f"<div class='parrafo'><p>{text}</p></div>" for text in paragraphs[1:])
    page = (
        f"<html><body><div class='cabecera-nota'><article class='story'><h1>Deuda externa</h1><p>{paragraphs[0]}</p>"
        f"<p>Descarga la app.</p></article></div><div class='nota-cuerpo'>{body}</div></body></html>"
    )
    doc = _parse(page.encode("utf-8"))
    assert all(text in doc.text for text in paragraphs[1:])
    assert doc.metadata.extra["html_extraction"].startswith("density fallback: the best-scoring container held 240 characters")


def test_the_extraction_path_is_named():
    assert _page("salon.com.emissions.html").metadata.extra["html_extraction"] == "the best-scoring container"
    assert _page("aclu.org-grades.html").metadata.extra["html_extraction"] == "the element holding the JSON-LD articleBody"


def test_sidebar_class_on_a_layout_wrapper_does_not_take_the_article():
    # The whole page sits in "panel-layout-two-col-sidebar-right-mix": a wrapper, not a sidebar.
    doc = _page("aclu.org-grades.html")
    assert "Since 2001, the Riverside County, California probation" in doc.text
    assert len(doc.text) > 2000


def test_every_removal_has_a_rule_and_text():
    doc = _page("salon.com.emissions.html")
    assert doc.removed
    assert all(r.rule in BY_NAME and r.text.strip() for r in doc.removed)
    assert doc.removal_counts()["outside-main-content"] >= 1


# --- text quality ----------------------------------------------------------------------------

_ARTICLE = (
    "<html lang='fr-CA'><head><title>T</title><style>p {{ color: red }}</style></head><body>"
    "<nav><a href='/'>Accueil</a></nav><article><h2>Titre de section</h2>{}</article></body></html>"
)
_FILLER = "<p>" + "Une phrase de remplissage, assez longue pour que l’article soit choisi. " * 4 + "</p>"


def _article(fragment: str) -> Document:
    return _parse(_ARTICLE.format(fragment + _FILLER).encode("utf-8"))


def test_inline_elements_neither_glue_nor_split_words_and_br_is_a_line_break():
    doc = _article("<p>Un <b>mot</b>-clé, <a href='#'>un lien</a>et<br>une ligne<span> suivante</span>&nbsp;!</p>")
    paragraph = doc.blocks[1]
    assert paragraph.text == "Un mot-clé, un lienet\nune ligne suivante !"


def test_a_long_figcaption_is_the_lead_and_a_legend_class_is_a_caption():
    # elmostrador.cl puts its lead paragraph in a <figcaption>; libero.pe its photo caption in "mainContent__legend".
    lead = "Este miércoles, a diez meses de la instalación de la Convención, surgen interrogantes sobre su implementación. " * 6
    doc = _article(f"<figure><figcaption>{lead}</figcaption></figure><div class='mainContent__legend'>Brighton goleó al United | LÍBERO</div>")
    assert lead.strip() in doc.text
    assert "Brighton goleó" in _removed(doc, "photo-caption") and "Brighton goleó" not in doc.text


def test_a_sentence_that_ends_in_a_long_link_is_prose_but_a_linked_headline_is_not():
    sentence = (
        "Krzysztoszek zastąpił Zdzisława Wiese, <a href='/a'>który przez ostatnie osiem miesięcy łączył te zadania "
        "ze swoimi dotychczasowymi obowiązkami w dziale marketingu.</a>"
    )
    teaser = "<a href='/b'>Impiden ingreso a Nicaragua a reportero y camarógrafo estadounidense de una cadena de televisión</a>"
    doc = _article(f"<p>{sentence}</p><p>{teaser}</p>")
    assert "w dziale marketingu." in doc.text
    assert "Impiden ingreso" in _removed(doc, "link-block")


def test_an_article_beside_the_chosen_one_is_another_story():
    # threatpost.com: cards of other stories, each an <article> with a linked title and its excerpt, next to the post.
    body = "<p>" + "Researchers found a new Android banking trojan that abuses accessibility services to steal codes. " * 6 + "</p>"
    card = (
        "<div><article class='c-card'><h2><a href='/b'>Fortnite Ransomware Masquerades as an Aimbot Game Hack</a></h2>"
        "<p>Attackers are taking aim at Fortnite’s global community of 250 million gamers, with a ransomware of their own.</p></article></div>"
    )
    page = f"<html><body><div class='row'><article><h1>Banking trojan</h1><div class='entry'>{body}{body}</div></article>{card}</div></body></html>"
    doc = _parse(page.encode("utf-8"))
    assert "banking trojan" in doc.text
    assert "Attackers are taking aim" not in doc.text and "Attackers are taking aim" in _removed(doc, "outside-main-content")


def test_of_stories_stacked_inside_one_outer_article_only_the_first_is_kept():
    # hoy.com.py: <article class="post"> around a scroll block of stories, each its own <article>;
    # the first is the page's, the later ones are longer.
    def story(n: int, title: str, sentence: str, times: int) -> str:
        return f"<article class='entry' id='article-{n}'><header><h1>{title}</h1></header><div class='entry-text'>" + f"<p>{sentence}</p>" * times + "</div></article>"

    first = story(0, "Darán bendición a vehículos este sábado", "Los Hermanos Franciscanos Capuchinos realizarán la bendición anual de vehículos sobre la avenida Perón.", 5)
    later = story(1, "Bebé muere electrocutado al recostarse por una columna", "Un menor de dos años falleció anoche en su domicilio en Limpio, luego de tocar una columna conectada de forma clandestina.", 9)
    page = "<html><head><title>{}</title></head><body><article class='post'><div class='scrollblock'>{}{}</div></article></body></html>"
    doc = _parse(page.format("Darán bendición a vehículos este sábado", first, later).encode("utf-8"))
    assert "Capuchinos realizarán" in doc.text and "Darán bendición" in doc.text
    assert "Un menor de dos años" not in doc.text and "Un menor de dos años" in _removed(doc, "outside-main-content")
    assert doc.metadata.extra["html_extraction"] == "the first of stacked articles"
    # When the first story is not the one the page is titled for, the density check still weighs it.
    doc = _parse(page.format("Bebé muere electrocutado al recostarse por una columna", first, later).encode("utf-8"))
    assert "Un menor de dos años" in doc.text and "Capuchinos realizarán" not in doc.text


def test_a_paragraph_in_a_box_under_its_own_heading_beside_the_article_is_left_out():
    # laviedesidees.fr: after the article, boxes headed "Aller plus loin" and "Nota bene :" hold a paragraph each.
    body = "<div class='texte'>" + "<p>Les économistes ont érigé la publication d’articles dans des revues internationales en critère, et la liste des revues, hiérarchisée, sert à classer.</p>" * 6 + "</div>"
    loose = "<p>Un dernier paragraphe de l’article, posé hors du corps du texte par le gabarit de la page.</p>"
    box = (
        "<div class='ps'><h2>Nota bene :</h2><div><p>Si vous souhaitez critiquer ou développer cet article, vous êtes invité "
        "à proposer un texte au comité de rédaction. Nous vous répondrons dans les meilleurs délais.</p></div></div>"
    )
    doc = _parse(f"<html><body><div class='colonne'>{body}{loose}{box}</div></body></html>".encode("utf-8"))
    assert "la liste des revues" in doc.text and "Un dernier paragraphe" in doc.text
    assert "Si vous souhaitez critiquer" not in doc.text and "Si vous souhaitez critiquer" in _removed(doc, "outside-main-content")


def test_an_email_address_alone_in_the_content_is_the_articles_contact_not_a_link_block():
    # sauvonsluniversite.com and infocomcgt.fr of the devset end their text with the address to write to.
    contact = "<p><a href='mailto:suivi.reformes.blanquer@gmail.com'>suivi.reformes.blanquer@gmail.com</a></p>"
    doc = _article(f"{contact}<p><a href='/b'>Décisions de l’AG Éducation IDF du mardi 10 septembre</a></p>")
    assert "suivi.reformes.blanquer@gmail.com" in doc.text
    assert "Décisions de l’AG" in _removed(doc, "link-block")


def test_a_standfirst_outside_the_body_element_is_kept_when_it_is_the_page_description():
    # cooperativa.cl: the lead sits in the <article> header, the body in a later container.
    lead = "El Mandatario se reunirá, en Punta Arenas, con las autoridades locales, y luego se trasladará hasta Puerto Natales."
    body = "".join(f"<p>Párrafo {n} del cuerpo de la noticia, con comas, detalles, fechas y nombres propios.</p>" for n in range(5))
    page = (
        f"<html><head><meta property='og:description' content='{lead[:80]}...'></head><body>"
        f"<article><h1>Presidente vuelve a su casa</h1><div class='bajada'><p>{lead}</p></div></article>"
        f"<section class='cuerpo'>{body}</section><div class='otra'><p>Otra noticia sin relación con esta.</p></div></body></html>"
    )
    doc = _parse(page.encode("utf-8"))
    assert lead in doc.text and "Párrafo 4" in doc.text


def test_script_style_template_hidden_and_comments_never_reach_the_text():
    doc = _article(
        "<p>Visible.</p><script>var x = 'SCRIPT';</script><template><p>TEMPLATE</p></template>"
        "<p hidden>HIDDEN</p><p aria-hidden='true'>ARIA</p><p style='display: none'>NONE</p><!-- COMMENT -->"
        "<noscript>NOSCRIPT</noscript>"
    )
    for word in ("SCRIPT", "TEMPLATE", "HIDDEN", "ARIA", "NONE", "COMMENT", "NOSCRIPT", "color"):
        assert word not in doc.text
    assert "Visible." in doc.text


def test_block_kinds_heading_list_quote_table_code():
    doc = _article(
        "<ul><li>premier point</li><li>second point</li></ul><blockquote><p>Une citation.</p></blockquote>"
        "<table><tr><th>pays</th><th>part</th></tr><tr><td>Canada</td><td>70 %</td></tr></table>"
        "<pre>x = 1\n    y = 2</pre>"
    )
    kinds = {b.text: b for b in doc.blocks}
    assert kinds["Titre de section"].kind is BlockKind.HEADING and kinds["Titre de section"].level == 2
    assert kinds["premier point"].kind is BlockKind.LIST_ITEM
    assert kinds["Une citation."].kind is BlockKind.QUOTE
    assert kinds["pays | part\nCanada | 70 %"].kind is BlockKind.TABLE
    assert kinds["x = 1\n    y = 2"].kind is BlockKind.CODE
    assert "Accueil" not in doc.text
    assert doc.raw_metadata["html_lang"] == "fr-CA"
    assert doc.parser == PARSER_NAME and PARSER_NAME.startswith("beautifulsoup4 ") and " + lxml " in PARSER_NAME


def test_a_page_without_text_is_rejected():
    with pytest.raises(RejectedInput) as refusal:
        _parse(b"<html><head><title>x</title><script>alert(1)</script></head><body><img src=a.png></body></html>")
    assert refusal.value.reason == "no_text"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("<html><head><meta charset='iso-8859-1'></head><body><p>Été à Montréal, déjà.</p></body></html>".encode("latin-1"), "cp1252"),
        ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head><body><p>Été à Montréal, déjà.</p></body></html>'.encode("cp1252"), "cp1252"),
        (b"\xef\xbb\xbf" + "<html><body><p>Été à Montréal, déjà.</p></body></html>".encode("utf-8"), "utf-8-sig"),
        ("<html><body><p>Été à Montréal, déjà.</p></body></html>".encode("utf-8"), "utf-8"),
    ],
)
def test_declared_bom_and_undeclared_encodings(data, encoding):
    doc = _parse(data)
    assert doc.text == "Été à Montréal, déjà."
    assert doc.source.encoding == encoding


@pytest.mark.parametrize("stray", [b"", b"<p>Caf\xe9</p>"])
def test_utf8_bytes_outrank_a_single_byte_charset_they_contradict(stray):
    """A Chilean daily's own UTF-8 bytes under the label some sites send with them, also with
    one stray windows-1252 byte before </body>."""
    data = (PAGES / "lacuarta.com-loretoaravena.html").read_bytes().replace(b'charSet="utf-8"', b'charset="iso-8859-15"', 1)
    data = data.replace(b"</body>", stray + b"</body>", 1)
    assert declared_html_charset(data) == "iso8859-15"
    doc = clean(_parse(data))
    assert doc.source.encoding == "utf-8"
    assert "Juan Carlos Muñoz C." in doc.metadata.authors
    assert "Ã" not in doc.text and "Loreto Aravena" in doc.text


def test_a_legacy_page_whose_bytes_are_not_utf8_is_read_with_its_declared_charset():
    doc = _page("archive.org-travaillent.html")
    assert doc.source.encoding == "cp1252"
    assert "une partie des salariés (17 %) travaille à temps partiel" in doc.text


# --- metadata, checked by hand against each page -------------------------------------------

METADATA = [
    # (page, title, authors, published date)
    ("achtundvierzig.hypotheses.org.822.html", "Tagung: Institutionen revolutionärer Macht in den europäischen Revolutionen der ersten Hälfte des 19. Jahrhunderts (26. und 27. 2. 2015, Eichstätt)", ["karstenruppert"], "2015-01-28"),
    ("aclu.org-grades.html", "This County Criminalized Students for Bad Grades – Until Now", ["Sarah Hinger", "Sylvia Torres-Guillén"], "2019-07-25"),
    ("archive.modabot.de.serkan.html", "Paris Haute Couture SS14: Serkan Cura", ["Barbara Russ"], "2014-01-27"),
    ("banyuetan.org.1000200033136171577956287380194268_1.html", "益阳：“数字”是优长", ["孔德明"], "2020-01-02"),
    ("bibliothek2null.de.mai.html", "Alles Neue mach der Mai…", ["Patrick Danowski"], "2014-05-18"),
    ("blog.gaijinpot.com.chikan.html", "Tweet of the Week #67: Dealing With Chikan", ["Amelie Marie Nishizawa"], "2020-02-08"),
    ("blog.mondediplo.net.turpitude.html", "Turpitude et architecture", ["Didier Roy"], "2018-06-21"),
    ("creeny.wordpress.com.nebelsuppe.html", "Nebelsuppe.", ["Creeny"], "2020-01-24"),
    ("doschu.com.solopreneur.html", "Solopreneur Social Media: LinkedIn", ["Doris Schuppe"], "2020-02-14"),
    ("flowfx.de.tmux.html", "Copy & paste from tmux to system clipboard", ["Florian Posdziech"], "2020-01-16"),
    ("helge.at.mahu.html", "Warum Wien zu blöd für eine staufreie Mahü ist", ["Helge Fahrnberger"], "2014-03-05"),
    ("knowledge-on-air.de.koa039.html", "KOA039 Live vom KnowledgeCamp 2019", ["Simon Dückert"], "2019-12-17"),
    ("lacuarta.com-loretoaravena.html", "“Va y agarra las llaves de su cartera…”: destapan pelea a “grito pelado” entre Loreto Aravena y Pancha Merino en pasillos de Canal 13", ["Juan Carlos Muñoz C."], "2022-05-04"),
    ("nurmeinstandpunkt.wordpress.com.blogposting.html", "Blogposting 01/23/2020", ["Christian Spließ"], "2020-01-23"),
    ("politico.com.retirement.html", "Mark Meadows accused of timing retirement to help elect wife’s friend", ["Ally Mutnick"], "2019-12-30"),
    ("soundofscience.fr.1927.html", "Une candidature collective à la présidence du HCERES", ["Martin Clavey"], "2020-01-20"),
    ("thelocal.se.tattooed.html", "Meet the Swede who tattooed a state epidemiologist's face on his arm", ["AFP/The Local"], "2020-04-28"),
    ("thenervousbreakdown.com.loneliest.html", "The Loneliest Woman in the World: An Appreciation of Heart’s “Alone”", ["Tim Anderson"], "2011-07-11"),
    ("unocero.com.marcas.html", "Estas son las marcas que más dificultan el trabajo de tus aplicaciones en Android", ["Alberto Ávila"], "2019-08-27"),
    ("verfassungsblog.de.expertinnen.html", "Expert*innen in der Krise", ["Heiko Sauer"], "2020-04-09"),
]


@pytest.mark.parametrize(("name", "title", "authors", "date"), METADATA)
def test_page_metadata(name, title, authors, date):
    doc = finalize_metadata(_page(name))
    assert doc.metadata.title == title
    assert doc.metadata.authors == authors
    assert doc.metadata.published_date == date


def test_canonical_url_site_name_description_and_modified_date():
    doc = _chain("004_fr_ieh_canada_amerique_latine.html")
    assert doc.metadata.url == "https://www.ieh-montreal.example/analyses/canada-amerique-latine-diplomatie-de-proximite/"
    assert doc.metadata.publisher == "Institut d’études hémisphériques"
    assert doc.metadata.extra["description"]


def test_a_title_with_a_colon_is_kept_whole():
    # og:title, <title> ("... | Institut d’études hémisphériques") and <h1> all read
    # "Le Canada et l’Amérique latine : le pari d’une diplomatie de proximité".
    doc = _chain("004_fr_ieh_canada_amerique_latine.html")
    assert doc.metadata.title == "Le Canada et l’Amérique latine : le pari d’une diplomatie de proximité"


_HEAD = "<html><head>{}</head><body><p>" + "Une phrase assez longue pour faire un article lisible. " * 3 + "</p></body></html>"


@pytest.mark.parametrize(
    ("head", "title"),
    [
        ("<title>Le Canada et l’Amérique latine : le pari | Institut</title>", "Le Canada et l’Amérique latine : le pari"),
        ("<title>Water rights: a primer - Example News</title><meta property='og:site_name' content='Example News'>", "Water rights: a primer"),
        ("<title>Example News » Water rights: a primer</title><meta property='og:site_name' content='Example News'>", "Water rights: a primer"),
        ("<title>Water rights: a primer | ExampleNews.com</title><link rel='canonical' href='https://www.examplenews.com/a'>", "Water rights: a primer"),
        ("<title>Water rights in the dry north - a primer for the new council | Opinion</title>", "Water rights in the dry north - a primer for the new council"),
        ("<meta property='og:title' content='Water rights - the long road to a treaty'>", "Water rights - the long road to a treaty"),
        ("<meta property='og:title' content='Water rights: a primer | Example News'><meta property='og:site_name' content='Example News'>", "Water rights: a primer"),
    ],
)
def test_only_a_site_name_or_a_short_end_part_leaves_the_title(head, title):
    assert _parse(_HEAD.format(head).encode("utf-8")).metadata.title == title


def test_json_ld_article_body_settles_which_element_is_the_article():
    story = [f"Paragraph {n} of the story, with enough words to count as prose here." for n in range(4)]
    chatter = "<p>" + "A long unrelated forum post, with commas, many commas, and more commas, to outscore the story. " * 6 + "</p>"
    page = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "articleBody": "%s"}</script></head><body>'
        '<div class="x">%s</div><div class="y">%s%s</div></body></html>'
    ) % (" ".join(story), "".join(f"<p>{p}</p>" for p in story), chatter, chatter)
    doc = _parse(page.encode("utf-8"))
    assert [b.text for b in doc.blocks] == story
    assert "unrelated forum post" in _removed(doc, "outside-main-content")


def test_a_paragraph_of_invisible_characters_makes_no_block():
    doc = _article("<p>\u200b\u00ad</p><p>Texte\u00ad visible\u200b.</p>")
    assert all(b.text.strip() for b in doc.blocks)
    assert "Texte visible." in doc.text
