"""docpipe/boilerplate/text_rules.py: boilerplate told from a block's own text, for any source type.

The lines come from real pages: the project's seeds and raw/ corpus and the devset pages in
tests/data/html (see tests/data/README.md)."""

from __future__ import annotations

import re

import pytest

from docpipe.boilerplate import clean
from docpipe.boilerplate.text_rules import remove_text_boilerplate, required_substrings, rule_for
from docpipe.document import Block, BlockKind, Document, Source, SourceType
from parsers.text import parse_text
from conftest import RAW


def _doc(*blocks: Block, source_type: SourceType = SourceType.HTML) -> Document:
    return Document(source=Source(path="x", sha256="", size_bytes=0, source_type=source_type), blocks=list(blocks))


def _paragraph(text: str) -> Block:
    return Block(BlockKind.PARAGRAPH, text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("blog comments powered by Disqus", "comment-system"),
        ("disqus_logo Privacy Policy", "comment-system"),
        ("addthis AddThis Privacy Policy", "comment-system"),
        ("7 comentarios", "comment-count"),
        ("Leave a Reply", "comment-count"),
        ("Comments Policy", "comment-policy"),
        ('Click "Flag" to report abuse to the moderator.', "comment-policy"),
        ("Comments displayed in the Disqus forum are not the opinion of FOCAL, but of the commenter. Personal attacks, offensive language, false claims, solicitation and spam are not permitted.", "comment-policy"),
        ("Para comentar debes registrarte y completar los datos generales.", "comment-login"),
        ("Du musst angemeldet sein, um einen Kommentar abzugeben.", "comment-login"),
        ("“Entrepreneur. Internet fanatic. Certified zombie scholar. Friendly troublemaker. Bacon expert.”", "spam-bio"),
        ("Photo: Office of the Prime Minister", "photo-credit"),
        ("(Credit: Clayton Aldern / Grist)", "photo-credit"),
        ("The Canadian government is seeking to re-establish diplomatic ties with the socialist government of President Nicolás Maduro in Venezuela. AP Photo/Ariana Cubillos", "photo-credit"),
        ("Compartir: Facebook Twitter Menéame Enviar por correo", "share-line"),
        ("¿Le ha resultado útil? Compártalo: Facebook Twitter Menéame", "share-line"),
        ("Partager cet article / sur Facebook sur Twitter sur Zinc", "share-line"),
        ("Never miss the latest news by signing up to our newsletter today!", "newsletter-prompt"),
        ("Recevez nos analyses chaque mois dans votre boîte de réception.", "newsletter-prompt"),
        ("Lea también: Impiden ingreso a Nicaragua a reportero y camarógrafo estadounidense", "read-more-link"),
        ("LE PUEDE INTERESAR: La ficha de Juan Orlando Hernández", "read-more-link"),
        ("Lire la suite", "read-more-link"),
        ("Artículos relacionados", "related-heading"),
        ("Contenido Relacionado", "related-heading"),
        ("Ähnliche Beiträge", "related-heading"),
        ("Articles les plus lus", "related-heading"),
        ("Print this page", "page-tool-label"),
        ("- Advertisement -", "page-tool-label"),
        ("Portada » Guías » Consumo responsable", "breadcrumb-trail"),
        ("Welcome to the FOCAL archive", "archive-notice"),
        ("The Canadian Foundation for the Americas (FOCAL) is no longer in operation. This website documents FOCAL's activities and accomplishments throughout its existence.", "archive-notice"),
        ("Date modified: 2013-11-18", "date-modified"),
        ("Report a problem on this page", "feedback-prompt"),
        ("By Erin Halvorsen", "byline"),
        ("BY ERIN HALVORSEN", "byline"),
        ("Por Lucía Montañés — 12/03/2013 — 7 comentarios", "byline"),
        ("Par Claire Beaulieu-Ortiz, chercheuse associée · 14 mars 2024 · Lecture : 5 min", "byline"),
        ("412", "counter"),
        ("Aktualisiert: 11.04.2020, 10:27", "date-line"),
        ("asked Feb 6, 2014 at 20:37", "date-line"),
        ("Siguenos en Telegram, Instagram, Facebook y Twitter para recibir en directo todas nuestras actualizaciones", "follow-us"),
        ("We rely on your support to make local news available to all", "support-prompt"),
        ("To view the full story, please subscribe to The Haitian Times.", "paywall-notice"),
        ("Utilizamos cookies propias y de terceros para mejorar nuestros servicios.", "cookie-notice"),
        ("Materiał chroniony prawem autorskim - wszelkie prawa zastrzeżone.", "copyright"),
        ("Vielen Dank an den den Verlag für die Bereitstellung des Rezensionsexemplares.", "disclosure"),
        ("Anzeige, enthält Affiliate Links", "ad-label"),
        ("For the latest stories and breaking news updates download the Nationnews apps for iOS and Android.", "app-prompt"),
        ("SUGGESTED CITATION Sauer, Heiko: Expert*innen in der Krise, VerfBlog, 2020/4/09", "citation"),
        ("GIS NOW Grenada is not responsible for the opinions, statements or media content presented by contributors.", "comment-policy"),
        ("Źródło: ISBnews", "source-line"),
        ("Source: CDC, Chicago Department of Public Health", "source-line"),
        ("aja/PAP", "source-line"),
        ("(mlr/dpa)", "source-line"),
        # French dailies (quoted in issue 20; "modifié à" and the skip-ad link as Le Monde and Le Figaro print them),
        # then ladiaria.com.uy and correiobraziliense.com.br of the devset.
        ("Publié le 12 mars 2024 à 06h00, modifié le 12 mars 2024 à 10h39", "date-line"),
        ("Publié le 12 mars 2024 à 06h00, modifié à 10h39", "date-line"),
        ("Passer la publicité", "page-tool-label"),
        ("Lecture 4 min.", "reading-time"),
        ("Se connecter", "account-prompt"),
        ("Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés.", "paywall-notice"),
        ("8 minutos de lectura", "reading-time"),
        # How French and Spanish dailies date a story of the day and point to another one.
        ("Publié aujourd’hui à 06h00, modifié à 10h39", "date-line"),
        ("Actualizado a las 10:32 h CET", "date-line"),
        ("Lire aussi | Les retraites, une réforme à haut risque", "read-more-link"),
        ("Lire aussi le récit : comment la réforme a été écrite", "read-more-link"),
        ("A lire aussi :", "read-more-link"),  # franceculture.fr of the devset
        ("Sigue leyendo", "read-more-link"),
        ("Voir plus", "read-more-link"),
        ("Recibe nuestra newsletter", "newsletter-prompt"),
        ("Recevez notre newsletter", "newsletter-prompt"),
        ("Este contenido es exclusivo para suscriptores", "paywall-notice"),
        ("¿Ya eres suscriptor? Inicia sesión", "account-prompt"),
        ("Inscrivez-vous gratuitement", "account-prompt"),
        ("La reproduction totale ou partielle d’un article, sans l’autorisation écrite et préalable, est strictement interdite.", "copyright"),
        ("Photo (cc) : svenwerk", "photo-credit"),  # laviedesidees.fr of the devset
        ("Écouter cet article", "page-tool-label"),
        ("Escuchar noticia", "page-tool-label"),
        ("lo más visto", "related-heading"),  # libero.pe of the devset
        ("Dans la même rubrique", "related-heading"),  # france.attac.org of the devset
        ("Reportar error", "feedback-prompt"),  # elpais.com.uy of the devset
        ("postado em 04/05/2022 05:49 / atualizado em 04/05/2022 05:50", "date-line"),
        # bondyblog.fr and laweekly.com of the devset.
        ("Articles liés", "related-heading"),
        ("Advertising disclosure: We may receive compensation for some of the links in our stories. Thank you for supporting LA Weekly and our advertisers.", "disclosure"),
    ],
)
def test_rule_names_the_boilerplate_line(text, rule):
    assert rule_for(_paragraph(text)).name == rule


@pytest.mark.parametrize(
    "text",
    [
        "Trade and investment",
        "It is puzzling for American commentators to see that despite promising trade, health and security ties, the Canada-Mexico relationship does not carry more weight in North America.",
        "Dec. 1 (Bloomberg) — Canada is seeking to restore ties with President Nicolás Maduro’s socialist government in Venezuela.",
        "By 2020, the share of exports had doubled.",
        "Despite everything, U.S. emissions dipped in 2019",
        "For more information, please see Increasing Canadian and hemispheric economic opportunity.",
        "Canada and the Americas",
        "Cookies, cakes and biscuits: a short history of the Christmas table.",
        "Share prices fell sharply on Monday.",
        "Source: a senior official said the talks had failed. He gave no reason and refused to be named in the report.",
        "and/or",
        "Publié le 12 mars, le rapport a été modifié le lendemain par le gouvernement.",
        "La lecture prend 4 minutes, pas plus.",
        "Publié le 12 mars 2024, modifié à la demande du ministre.",
        "Hier, le gouvernement a annoncé à 18h00 sa décision.",
        "Lire aussi les travaux de Durkheim : ils montrent que la société précède l’individu.",
        "Today",
        "Voir plus loin que le bout de son nez est difficile.",
        "Más noticias de la región llegan cada semana a los lectores.",
        "El servicio es exclusivo para suscriptores del diario impreso.",
        "Ver más fotos de la galería que preparamos",
        "PAR CONTRE LES DÉGÂTS DE L'EAU SONT DOUBLÉ.",
        "POR ESO LOS VECINOS PIDEN MÁS CONTROLES.",
    ],
)
def test_article_text_is_left_alone(text):
    assert rule_for(_paragraph(text)) is None


def test_a_headline_with_a_year_is_never_a_date_line():
    assert rule_for(Block(BlockKind.HEADING, "Summer 2019", level=2)) is None
    assert rule_for(_paragraph("Summer 2019")).name == "date-line"


def test_a_long_paragraph_keeps_its_text_and_loses_only_the_trailing_credit():
    body = "Officials met on Tuesday to discuss the border. " * 10
    doc = remove_text_boilerplate(_doc(_paragraph(body + "AP Photo/Ariana Cubillos")))
    assert doc.blocks[0].text == body.rstrip()
    assert [(r.rule, r.text) for r in doc.removed] == [("photo-credit", "AP Photo/Ariana Cubillos")]


def test_a_comments_policy_heading_takes_the_paragraphs_under_it():
    doc = remove_text_boilerplate(
        _doc(
            _paragraph("The last paragraph of the article."),
            Block(BlockKind.HEADING, "Comments Policy", level=3),
            _paragraph("Be civil. Stay on topic, and keep it short."),
            Block(BlockKind.HEADING, "More from the author", level=3),
        )
    )
    assert [b.text for b in doc.blocks] == ["The last paragraph of the article."]
    assert [r.rule for r in doc.removed] == ["comment-policy", "comment-policy", "related-heading"]


def test_plain_text_news_article_loses_caption_credit_and_spam_bio():
    data = (RAW / "003_bloomberg_canada_venezuela.txt").read_bytes()
    doc = clean(parse_text(data, Source(path="003.txt", sha256="", size_bytes=len(data), source_type=SourceType.TEXT)))
    assert "AP Photo" not in doc.text
    assert "Entrepreneur. Internet fanatic" not in doc.text
    assert "Dec. 1 (Bloomberg) — Canada is seeking to restore ties" in doc.text
    assert "to alleviate the humanitarian crisis.”" in doc.text
    assert doc.removal_counts() == {"byline": 1, "photo-credit": 1, "spam-bio": 1}


def test_tables_code_and_notes_are_never_taken():
    for kind in (BlockKind.TABLE, BlockKind.CODE, BlockKind.NOTE, BlockKind.REFERENCE):
        assert rule_for(Block(kind, "Print")) is None


@pytest.mark.parametrize(
    ("pattern", "hints"),
    [
        # Every match holds one of them, whatever the case; optional parts and character
        # classes end a run of letters; a pattern one of whose matches needs no letter has none.
        (r"\bsign(?:ing)? up\b.{0,80}\bbolet[ií]n|^newsletter$", ("bolet", "newsletter")),
        (r"(?i:Subscribe) (?:now )?to", ("subscribe",)),
        (r"cookies?|(?:\d+|no) comments", (" comments", "cookie")),
        (r"^\d+ comments?|\bdisqus\b|x?", ()),
    ],
)
def test_the_hints_of_a_searching_rule_are_read_from_its_pattern(pattern, hints):
    assert required_substrings(re.compile(pattern, re.I)) == hints

