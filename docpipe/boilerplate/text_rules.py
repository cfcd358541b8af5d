"""Boilerplate recognised from a block's own text, whatever the source type (family ``text``).

HTML pages lose most of their furniture on the DOM (``parsers/html_rules.py``); these rules
catch what survives there and what plain-text and PDF sources carry with no markup at all.
Each rule is a name and a test on one block's text, in English, Spanish, French and German
(some Portuguese and Polish), declared once in ``TEXT_RULES`` (docs/rules.md lists them);
rules only take short blocks (long prose is never boilerplate here), except the photo
credit, which is cut from the end of a longer paragraph. A comments-policy heading takes
the short paragraphs under it. Tables, code, notes and references are never taken.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from re import _constants as _sre, _parser as _sre_parser  # to read what a pattern's matches must contain
from typing import Any

from docpipe.document import Block, BlockKind, Document, Removal, SourceType
from parsers.normalise import normalise_date
from docpipe.rules import ALL_SOURCES, Family, Rule

_SHORT = 200  # most rules only look at blocks up to this many characters

_CREDIT = (
    r"(?:AP|AFP|Reuters|EFE|dpa|Getty(?: Images)?|Associated Press|Bloomberg|EPA|Xinhua|Shutterstock|iStock)"
    r"(?:\s*Photo)?\s*/\s*[\w.’'\- ]{2,60}"
    r"|(?:Photo|Photograph|Image|Picture|Foto|Fotografía|Imagen|Crédit photo|Crédit|Bild|Credit)s?\s*(?:\((?:cc|c)\))?\s*(?:credit)?\s*:\s*[^.\n]{2,80}"
    r"|\((?:Photo|Foto|Image|Bild|Crédit|Credit|Source)[^)]{0,80}\)"
)
_CREDIT_AT_END = re.compile(r"(?:^|\s)(?P<credit>" + _CREDIT + r")\s*\.?$", re.I)
_CREDIT_ALONE = re.compile(r"^(?:" + _CREDIT + r")\s*\.?$", re.I)
_CAPTION_MAX = 400  # a block this short that ends in a photo credit is the caption itself
_CREDIT_TAIL = 160  # a credit is looked for in a block's last characters only: searching all is slow

# "Entrepreneur. Internet fanatic. Certified zombie scholar." — generated bios: many tiny
# sentences, each a persona noun phrase.
_PERSONA = re.compile(
    r"(?:fanatic|expert|lover|scholar|nerd|ninja|guru|aficionado|advocate|evangelist|junkie|buff|trailblazer|maven|"
    r"geek|fan|practitioner|enthusiast|specialist|troublemaker|writer|creator|thinker|communicator|explorer|student|"
    r"introvert|extrovert|entrepreneur|webaholic|analyst|pioneer|incurable|devotee|addict|fiend|nut|wizard|hipster|"
    r"organizer|reader|gamer|alcoholic|coffeeaholic|beeraholic|tvaholic|specialist|lover|friend|maker|practitioner)s?$",
    re.I,
)

_COMMENT_SYSTEM = re.compile(
    r"^(?:blog )?comments? powered by\b|powered by disqus|^please enable javascript to view the comments"
    r"|^(?:disqus|addthis|sharethis)\b.{0,40}privacy policy$|^disqus_logo|^addthis\b",
    re.I,
)
_COMMENT_COUNT = re.compile(
    r"^(?:\d+|no|one|un|una|ein|eine|aucun)\s+(?:comments?|responses?|replies|comentarios?|commentaires?|kommentare?|respuestas?|réponses?)$"
    r"|^(?:leave|add|post|write|view|show|hide)\s+(?:a\s+|the\s+|all\s+)?(?:\d+\s+)?(?:comments?|reply|replies)\b.{0,30}$"
    r"|^(?:deja|dejar|escribe|añadir|ver) (?:un |una |los )?(?:comentarios?|respuesta)\b.{0,30}$"
    r"|^(?:laisser|ajouter|écrire|voir) (?:un |les )?(?:commentaires?|réponse)\b.{0,30}$"
    r"|^(?:kommentar|kommentare) (?:schreiben|hinzufügen|anzeigen)\b.{0,30}$",
    re.I,
)
_COMMENT_POLICY_HEADING = re.compile(r"^(?:comments? policy|comment(?:ing)? guidelines|community guidelines|política de comentarios|normes? de commentaires|politique de commentaires|kommentarrichtlinien|netiquette)\b", re.I)
_COMMENT_POLICY_LINE = re.compile(
    r"\bis not responsible for the (?:opinions|content|views|comments)\b|"
    r"comments? (?:displayed|posted|published)\b.{0,80}\b(?:not|do not) (?:the|necessarily)|report abuse|flag\W+to report|"
    r"personal attacks.{0,80}not (?:be )?permitted|(?:offensive|abusive) language.{0,60}(?:not permitted|will be removed|prohibited)|"
    r"comments? (?:are|will be) moderated|los comentarios (?:están|son) moderados|les commentaires sont modérés",
    re.I,
)
_SHARE = re.compile(
    r"^(?:share(?: this(?: article| story| post| page)?)?|compartir|compártelo|compártalo|comparte|partager|partagez|partager cet article|teilen|diesen artikel teilen|tweet|share on (?:facebook|twitter|linkedin|x))\s*[:!]?"
    r"(?:\s*(?:facebook|twitter|x|linkedin|whatsapp|email|e-mail|correo|courriel|menéame|pinterest|reddit|telegram|print|imprimir|imprimer|enviar por correo|envoyer)\b)*\s*$",
    re.I,
)
_SHARE_PROMPT = re.compile(r"(?:useful|helpful|útil|utile|hilfreich)\s*\?\s*(?:share|compártalo|compártelo|partagez|teilen)", re.I)
_SHARE_START = re.compile(r"^(?:share|partager|partagez|compartir|compártelo|compártalo|teilen|condividi|compartilhe)\b", re.I)
_NETWORKS = re.compile(r"\b(?:facebook|twitter|linkedin|whatsapp|pinterest|reddit|telegram|menéame|email|e-mail|print|imprimir|imprimer|drucken|correo|courriel|x)\b", re.I)
_NEWSLETTER = re.compile(
    r"\b(?:sign(?:ing)? up|subscrib(?:e|ing)|suscríbete|suscribirse|suscríbase|abonnez-vous|inscrivez-vous|recev(?:ez|oir) (?:nos|notre|la)|recib(?:e|a|ir) (?:nuestr[oa]s?|el|la)|abonnieren|melden sie sich)\b.{0,80}"
    r"\b(?:newsletter|bolet[ií]n|infolettre|inbox|boîte de réception|bandeja|e-?mail|courriel|correo)"
    r"|^(?:newsletter|bolet[ií]n|infolettre)\b.{0,60}$|\bin your inbox\b|dans votre boîte de réception|en su bandeja de entrada",
    re.I,
)
_READ_MORE = re.compile(
    r"^(?:read more|read also|also read|see also|continue reading|read the full (?:story|article)|click here to read more|more\s*»|related\s*:|"
    r"leer más|lea más|seguir leyendo|lea también|lee también|lea|mire|mira|vea también|ver también|puedes ver|(?:le|te) puede interesar|"
    r"lire la suite|lire aussi|à lire aussi|a lire aussi|voir aussi|weiterlesen|mehr lesen|lesen sie auch|mehr zum thema)\s*[:|].{0,160}$"
    # "Lire aussi le récit : ...", "Read also the analysis | ...": a few words naming the kind of piece.
    r"|^(?:read also|lire aussi|à lire aussi|a lire aussi|lea también|lee también)(?:\s+[\w’'-]+){1,3}\s*[:|].{0,160}$"
    r"|^(?:read more|continue reading|leer más|seguir leyendo|sigue leyendo|continuar leyendo|lire la suite|weiterlesen|mehr lesen|"
    r"show more|see more|load more|ver más|cargar más|voir plus|lire plus|afficher plus|mehr anzeigen)\s*(?:»|›|→|\+|\.\.\.|…)?$",
    re.I,
)
_RELATED = re.compile(
    r"^(?:related(?: articles| posts| stories| content| news| topics)?|you (?:may|might) also like|recommended(?: for you)?|most (?:read|popular|viewed)|more (?:stories|from|on)\b.{0,40}|"
    r"latest(?: news)?|tags|topics|keywords|"
    r"(?:artículos|notas|noticias|temas|contenidos?) relacionad[oa]s?|veja também|leia também|auch interessant|(?:articles )?(?:les )?plus lus|(?:audios|vidéos|articles) .{0,20}sur le sujet|"
    r"(?:vorschau auf den )?nächste[nr]? (?:artikel|beitrag)|(?:next|previous) (?:article|post|story)|(?:artículo|nota) (?:siguiente|anterior)|article (?:suivant|précédent)|temas|etiquetas|te puede interesar|le puede interesar|lo más leído|lo último|más sobre\b.{0,40}|"
    r"video recomendado|contexto de la noticia|valora esta noticia|"
    r"à découvrir|en savoir plus|vos réactions|mots[- ]clés|sur le même thème|dans la même rubrique|te recomendamos|más noticias|lo más visto|"
    r"articles? (?:connexes|similaires|liés)|à lire également|les plus lus|sur le même sujet|"
    r"ähnliche (?:beiträge|artikel)|das könnte sie auch interessieren|das könnte dich auch interessieren|verwandte artikel|meistgelesen|mehr (?:aus|zum|von) (?:dem|der|diesem) .{1,40})\s*:?$",
    re.I,
)
_TOOLS = re.compile(r"^(?:(?:permalink|permalien|enlace permanente|link permanente)\b.{0,80}|passer la publicité|skip (?:the )?ad(?:vertisement)?|print(?: this (?:page|article))?|email(?: this (?:page|article))?|imprimir|imprimer|drucken|listen(?: to this (?:article|story))?|escuchar(?: (?:la )?noticia| (?:este )?artículo)?|écouter(?: cet article| l['’]article)?|text size|font size|tamaño de (?:letra|texto)|taille du texte|schriftgröße|a\s*a\s*a|[-–]?\s*advertisement\s*[-–]?|publicidad|publicité|anzeige|werbung)\s*:?$", re.I)
_BREADCRUMB = re.compile(r"^[^.!?]{1,40}(?:\s(?:»|›|>|/|→)\s[^.!?]{1,60}){2,}$")
_ARCHIVE_BANNER = re.compile(
    r"^welcome to the\b.{0,60}\barchives?\b|\bis no longer in operation\b|\bthis (?:web)?site (?:is|documents)\b.{0,40}\b(?:archive|no longer)|"
    r"\bno longer (?:being )?(?:updated|maintained)\b|^this (?:page|article|content) (?:has been|was) archived",
    re.I,
)
_FOLLOW = re.compile(
    r"^(?:follow us|follow (?:the|our) [\w .]{1,40} on (?:twitter|facebook|instagram|linkedin)|síguenos|siguenos|suivez-nous|folgen sie uns|nos siga)\b.{0,250}$"
    r"|\b(?:canal|channel|chaîne|kanal) de (?:telegram|youtube|whatsapp)\b.{0,120}$|\b(?:our|nuestro|notre|unser(?:em)?) (?:canal|channel|chaîne|kanal)\b.{0,20}(?:telegram|youtube|whatsapp)",
    re.I,
)
_SUPPORT = re.compile(
    r"\b(?:we rely on your support|consider supporting (?:our|us)|support (?:our|independent) (?:work|journalism)|help us continue|donate now|make a donation|"
    r"become a (?:member|subscriber|patron)|hazte (?:miembro|socio)|apóyanos|únete a nuestra comunidad|soutenez[- ]nous|faites un don|unterstützen sie uns|jetzt spenden)\b",
    re.I,
)
_PAYWALL = re.compile(
    r"\b(?:to (?:view|read|continue reading) the full (?:story|article)|subscribe (?:now )?(?:to|for)\b.{0,60}\bfull (?:story|article)|already a subscriber|"
    r"pour (?:accéder|lire) (?:en illimité|la suite)|réservée?s? aux abonnés|il vous reste \d+(?:[.,]\d+)?\s*% (?:de cet article )?à (?:lire|découvrir)|"
    r"para seguir leyendo|contenido(?: es)? exclusivo para (?:suscriptores|socios|abonados)|weiterlesen mit|nur für abonnenten)\b",
    re.I,
)
_COMMENT_LOGIN = re.compile(
    r"\b(?:you must be logged in to (?:post a )?comment|log in to (?:leave a )?comment|para comentar debes|debes (?:iniciar sesión|registrarte) para comentar|"
    r"vous devez être connecté pour (?:publier un )?commentaire|du musst angemeldet sein, um (?:einen )?kommentar|sie müssen angemeldet sein, um (?:einen )?kommentar)",
    re.I,
)
_COOKIES = re.compile(r"\b(?:we use|this (?:site|website) uses|utilizamos|usamos|nous utilisons|utilise des|verwendet|verwenden|nutzt|korzystamy z|używa)\b.{0,40}\bcookies?\b", re.I)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)|\ball rights reserved\b|todos los derechos reservados|tous droits réservés|alle rechte vorbehalten|wszelkie prawa zastrzeżone|materiał chroniony prawem autorskim|"
    r"\breproduction (?:totale ou partielle|interdite)\b|\breproducción (?:total o parcial|prohibida)\b", re.I)
_AFFILIATE = re.compile(r"^(?:anzeige|werbung|publicidad|publicité|sponsored|advertisement|affiliate)\b.{0,60}$", re.I)
_DISCLOSURE = re.compile(
    r"\b(?:rezensionsexemplar\w*|review (?:copy|unit)|(?:contains|enthält|contient|contiene) (?:affiliate|partner)[- ]?links?|affiliate links?\b.{0,40}\bcommission|"
    r"provided (?:to me )?(?:free of charge )?by the (?:publisher|manufacturer)|advertising disclosure|we may (?:receive|earn) (?:compensation|a commission)|this (?:post|article) (?:is|was) sponsored|gesponserte?r? (?:beitrag|artikel)|article sponsorisé|contenido patrocinado)\b",
    re.I,
)
_DATE_LABEL = re.compile(
    r"^(?:published|updated|last updated|posted|asked|answered|modified|publicado|actualizado|actualizada|modificado|publié(?: le)?|mis à jour(?: le)?|modifié(?: le)?|actualisé(?: le)?|"
    r"veröffentlicht(?: am)?|aktualisiert(?: am)?|publiziert(?: am)?|stand|opublikowano|aktualizacja|publicada|atualizado)?\s*(?:on|el|le|am)?\s*:?\s*",
    re.I,
)
# Where a second date starts on a date line: its label, after a comma, bar or dash.
_NEXT_DATE_LABEL = re.compile(
    r"\s*[,;|·•–—-]?\s+(?=(?:updated|last updated|modified|actualizado|actualizada|modificado|mis à jour|modifié|actualisé|aktualisiert|geändert|atualizado)\b)",
    re.I,
)
_TIME_ONLY = re.compile(
    r"^(?:à|a las|at|um|às)?\s*\d{1,2}\s*[h:.]\s*\d{2}\s*(?:am|pm|a\.\s?m\.|p\.\s?m\.|uhr|hs?)?\.?"
    r"(?:\s*\(?(?:cet|cest|gmt|utc|bst|est|edt|cst|cdt|pst|pdt|art|clt|cot)\)?)?$",
    re.I,
)
# A day named relative to today ("Publié aujourd’hui à 06h00", "Updated yesterday at 18:02").
_RELATIVE_DAY = re.compile(r"^(?:aujourd[’']hui|hier|today|yesterday|hoy|ayer|heute|gestern|hoje|ontem)\b[,\s]*", re.I)
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_DATE_WORDS = re.compile(r"^[\w.,:/|+\- ]{4,60}$")
_APP_PROMPT = re.compile(r"\bdownload (?:the|our) .{0,40}\bapps?\b|\bdescarga (?:la|nuestra) app\b|\btéléchargez (?:l'|notre )app|\blade (?:dir )?(?:die|unsere) app\b", re.I)
_READING_TIME = re.compile(
    r"^(?:lecture|temps de lecture|reading time|read time|tiempo de lectura|lectura|lesezeit|lesedauer)\s*:?\s*\d+\s*(?:min|mins|minutes?|minutos?|minuten)\.?$"
    r"|^\d+\s*(?:min|mins|minutes?|minutos?|minuten)\.?\s+(?:read|reading|de lecture|de lectura|lesezeit|lesen)\.?$",
    re.I,
)
# A sign-in or subscribe link left alone on its line by the page's header or paywall.
_ACCOUNT = re.compile(
    r"^(?:se connecter|connexion|s[’']abonner|déjà abonné\s*\?\s*(?:se connecter|connectez-vous)?|log ?in|sign ?in|subscribe|my account|"
    r"iniciar sesión|ingresar|suscríbete|regístrate|mi cuenta|¿?ya (?:eres|soy) suscriptora?\??(?:\s*inicia sesión)?|abonnez-vous|"
    r"inscrivez-vous(?: gratuitement)?|créer un compte|crear (?:una )?cuenta|anmelden|einloggen|abonnieren|mein konto|mon compte)\s*[.!]?$",
    re.I,
)
_CITATION = re.compile(r"^(?:suggested citation|cite (?:this|as)|how to cite|zitiervorschlag|zitierweise|citer cet article|pour citer cet article|cómo citar|citar como)\b", re.I)
_MODIFIED = re.compile(r"^(?:date modified|last (?:updated|modified)|page (?:last )?(?:updated|modified)|date de modification|dernière mise à jour|fecha de modificación|última actualización|zuletzt (?:aktualisiert|geändert)|stand)\s*:?\s*[\d\w ,./-]{0,40}$", re.I)
_REPORT_ERRORS = re.compile(r"\b(?:reportar (?:un )?error(?:es)?|report (?:an? )?(?:errors?|mistakes?|typos?)|signaler une erreur|fehler melden)\b", re.I)
_FEEDBACK = re.compile(r"^(?:report a problem(?: on this page)?|was this page (?:useful|helpful)\??|did you find what you were looking for\??|¿(?:le|te) (?:ha )?resultado útil\??|cette page (?:vous )?a-t-elle été utile\??|signaler un problème(?: sur cette page)?)\s*$", re.I)
_BYLINE = re.compile(
    r"^(?i:by|written by|posted by|por|escrito por|par|écrit par|von|text:|texto:|texte :)\s+"
    r"[A-ZÀ-Þ][\w'’.\-]+(?:\s+(?:de|del|la|le|van|von|der|da|y|and|et|und|&)?\s*[A-ZÀ-Þ][\w'’.\-]+)+.{0,80}$"
)
_BARE_NUMBER = re.compile(r"^[\d.,\s]+$")
# Attribution lines at the end of a wire story: "Źródło: ISBnews", "Fuente: EFE", and the
# editors' initials over the agency ("aja/PAP", "(mlr/dpa)"; capitals or brackets, so that
# "and/or" is not one).
_SOURCE_LINE = re.compile(
    r"^(?i:source|sources|fuente|fuentes|quelle|quellen|fonte|fontes|źródło|źródła)\s*:\s*\S[^.!?]{0,60}\.?$"
    r"|^(?:[a-zäöüßąćęłńóśźż]{2,4}/){1,3}[A-Z]{2,6}$|^\((?:[a-zäöüßąćęłńóśźż]{2,4}\s*/\s*){1,3}[A-Za-z]{2,8}\)$"
)


# Every credit has its slash, colon or bracket ("AP Photo/...", "Foto: ...", "(Photo ...)"):
# a text without any is no credit, and the search for one tries every position of it.
_CREDIT_MARKS = ("/", ":", "(")


def _credit_at_end(text: str) -> re.Match[str] | None:
    tail = text[-_CREDIT_TAIL:]
    return _CREDIT_AT_END.search(tail) if any(mark in tail for mark in _CREDIT_MARKS) else None


def _photo_credit(text: str) -> bool:
    return any(mark in text for mark in _CREDIT_MARKS) and bool(_CREDIT_ALONE.match(text) or _credit_at_end(text))


def _date_line(text: str) -> bool:
    """A line that is only dates or times, each with at most a label ("Updated: 11.04.2020, 10:27";
    "Publié le 12 mars 2024 à 06h00, modifié à 10h39"): besides digits, no more than three
    words each (a month, a weekday, "at")."""
    first, *more = _NEXT_DATE_LABEL.split(text.strip(" |·•"))
    # The later labels may give only the time ("modifié à 10h39": the same day).
    return _one_date(first) and all(_one_date(part) or _TIME_ONLY.match(_DATE_LABEL.sub("", part, count=1)) for part in more)


def _byline(text: str) -> bool:
    # In capitals, case cannot tell names from words: "PAR CONTRE LES DÉGÂTS ... DOUBLÉ." is a
    # sentence, which a byline never ends like.
    return bool(_BYLINE.match(text)) and not (text.isupper() and text.rstrip().endswith((".", "!", "?")))


def _one_date(text: str) -> bool:
    line = text.strip(" |·•")
    rest = _DATE_LABEL.sub("", line, count=1)
    # After a label, a time alone or with a relative day is a date too ("Actualizado a las 10:32 h CET").
    labelled = _LETTERS.search(line[: len(line) - len(rest)]) is not None
    when = _RELATIVE_DAY.sub("", rest, count=1)
    relative = when != rest
    if (relative or labelled) and _TIME_ONLY.match(when) or (relative and labelled and not when):
        return True
    return (
        bool(_DATE_WORDS.match(rest))
        and len(_LETTERS.findall(rest)) <= 3
        and normalise_date(rest) is not None
        and not rest.rstrip().endswith(".")
    )


def _spam_bio(text: str) -> bool:
    if len(text) > 300 or text.count(".") + text.count("!") < 2:  # three sentences have two stops between them
        return False
    sentences = [s.strip(" “”\"'") for s in re.split(r"[.!]\s*", text.strip(" “”\"'")) if s.strip(" “”\"'")]
    if len(sentences) < 3:
        return False
    short = [s for s in sentences if len(s.split()) <= 4]
    persona = [s for s in short if _PERSONA.search(s.split()[-1])]
    return len(short) == len(sentences) and len(persona) >= 2


def _share_line(text: str) -> bool:
    if _SHARE.match(text) or _SHARE_PROMPT.search(text):
        return True
    words = text.split()
    if _SHARE_START.match(text) and len(words) <= 12 and _NETWORKS.search(text):
        return True
    return 1 <= len(words) <= 10 and len(_NETWORKS.findall(text)) >= max(2, len(words) - 2)


@dataclass(frozen=True, kw_only=True)
class TextRule(Rule):
    family: Family = Family.TEXT
    sources: frozenset[SourceType] = ALL_SOURCES
    test: Callable[[str], bool]
    max_chars: int = _SHORT
    headings: bool = True  # False: a heading is never this rule's (a headline may be "... in 2019")
    # Lower-case strings one of which the text must contain for ``test`` to run: substring
    # checks are far cheaper than the searches behind them, and most blocks have none.
    # ``_searching`` reads them from the rule's patterns, so they never fall out of step.
    hints: tuple[str, ...] = ()


def _rule(name: str, description: str, test: Callable[[str], bool], **detector: Any) -> TextRule:
    return TextRule(name=name, description=description, test=test, **detector)


def _searching(name: str, description: str, *patterns: re.Pattern[str], **detector: Any) -> TextRule:
    """A rule that searches a block for any of ``patterns``, its hints read from them. (Patterns
    anchored at the start go to ``_rule`` with ``match``: they fail at once, hints would only cost.)"""
    return TextRule(
        name=name, description=description, test=lambda t: any(p.search(t) for p in patterns), hints=required_substrings(*patterns), **detector
    )


_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)


def required_substrings(*patterns: re.Pattern[str]) -> tuple[str, ...]:
    """Lower-case strings one of which the text holds wherever any of ``patterns`` matches,
    read from the patterns' literals; () when some match needs no literal at all."""
    found: set[str] = set()
    for pattern in patterns:
        needed = _needed(_sre_parser.parse(pattern.pattern, pattern.flags))
        if needed is None:
            return ()
        found |= needed
    # A string that holds another adds nothing: the shorter one is there wherever it is.
    return tuple(sorted(s for s in found if not any(other != s and other in s for other in found)))


def _needed(items: Any) -> set[str] | None:
    """For a parsed sequence: the most selective of the sets of strings its parts require (a run
    of literals is one string), or None when no part requires one."""
    candidates: list[set[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            candidates.append({"".join(run)})
            run.clear()

    for op, value in items:
        if op is _sre.LITERAL and len(chr(value).lower()) == 1:
            run.append(chr(value).lower())  # case-folded like the text it is looked for in
            continue
        if op in _ZERO_WIDTH:  # takes no text: the letters on either side stay neighbours
            continue
        close_run()
        needed: set[str] | None = None
        if op is _sre.SUBPATTERN:
            needed = _needed(value[-1])
        elif op is _sre.BRANCH:
            branches = [_needed(branch) for branch in value[1]]
            needed = None if None in branches else set().union(*branches)
        elif op in _REPEATS and value[0] >= 1:
            needed = _needed(value[2])
        if needed:
            candidates.append(needed)
    close_run()
    # The longest shortest string, then the fewest strings: the cheapest test that rules most text out.
    return max(candidates, key=lambda strings: (min(map(len, strings)), -len(strings))) if candidates else None


COMMENT_POLICY = _searching(
    "comment-policy", "a comments-policy heading (and the short paragraphs under it) or a moderation line",
    _COMMENT_POLICY_HEADING, _COMMENT_POLICY_LINE, max_chars=400,
)
PHOTO_CREDIT = _rule(
    "photo-credit", "a photo credit, alone or ending a caption ('AP Photo/...', 'Foto: ...'); cut from the end of a longer paragraph",
    _photo_credit, max_chars=_CAPTION_MAX,
)
# Order matters: the first rule whose test passes names the removal.
TEXT_RULES: tuple[TextRule, ...] = (
    _searching("comment-system", "a comment widget's line ('blog comments powered by Disqus', 'Please enable JavaScript to view the comments')", _COMMENT_SYSTEM),
    _rule("comment-count", "a comment count or comment link ('7 comments', 'Leave a reply', 'Ver comentarios')", lambda t: bool(_COMMENT_COUNT.match(t))),
    COMMENT_POLICY,
    _rule("spam-bio", "a generated author bio of tiny persona sentences ('Entrepreneur. Internet fanatic. Bacon expert.')", _spam_bio, max_chars=300),
    PHOTO_CREDIT,
    _rule("share-line", "share prompts and lines of network names ('Share: Facebook Twitter', 'Compártalo')", _share_line),
    _searching("newsletter-prompt", "a newsletter sign-up prompt ('Sign up for our newsletter', 'in your inbox')", _NEWSLETTER),
    _searching("follow-us", "a follow-us prompt ('Follow us on ...', 'Síguenos') or a plug for a Telegram or YouTube channel", _FOLLOW, max_chars=300),
    _searching("support-prompt", "an appeal for donations, members or support", _SUPPORT, max_chars=400),
    _searching("paywall-notice", "a paywall's text ('To view the full story, subscribe', 'réservé aux abonnés')", _PAYWALL, max_chars=400),
    _searching("comment-login", "a sign-in-to-comment line ('You must be logged in to post a comment')", _COMMENT_LOGIN, max_chars=300),
    _searching("cookie-notice", "a cookie notice ('We use cookies ...')", _COOKIES, max_chars=500),
    _searching("copyright", "a copyright or all-rights-reserved line", _COPYRIGHT, max_chars=300),
    _rule("ad-label", "an advertising label on its own ('Anzeige', 'Publicidad', 'Sponsored')", lambda t: bool(_AFFILIATE.match(t))),
    _searching("disclosure", "an affiliate-link, review-copy or sponsorship disclosure", _DISCLOSURE, max_chars=300),
    _rule("date-modified", "a page-modified line ('Date modified: 2013-11-18', 'Last updated ...')", lambda t: bool(_MODIFIED.match(t))),
    _rule("date-line", "a line of dates or times only, each with at most a label ('Publié le 12 mars 2024 à 06h00')", _date_line, max_chars=140, headings=False),
    _rule("reading-time", "a reading-time line ('5 min read', 'Lecture : 4 min')", lambda t: bool(_READING_TIME.match(t)), max_chars=40),
    _rule("account-prompt", "a sign-in or subscribe link alone on its line ('Se connecter', 'My account')", lambda t: bool(_ACCOUNT.match(t)), max_chars=60, headings=False),
    _searching("app-prompt", "a prompt to download the site's app", _APP_PROMPT, max_chars=250),
    _rule("citation", "a suggested-citation line ('Cite this article', 'Zitiervorschlag')", lambda t: bool(_CITATION.match(t)), max_chars=500),
    _rule("read-more-link", "a read-more link or teaser line ('Read more', 'Lea también: ...', 'Lire la suite')", lambda t: bool(_READ_MORE.match(t))),
    _rule("related-heading", "the heading of a list of other stories ('Related articles', 'Lo más leído', 'Ähnliche Beiträge')", lambda t: bool(_RELATED.match(t))),
    _rule("page-tool-label", "print, e-mail, font-size, permalink and advertisement labels ('Print this page', '- Advertisement -')", lambda t: bool(_TOOLS.match(t))),
    _rule("breadcrumb-trail", "a breadcrumb trail ('Home » News » Politics')", lambda t: "«" not in t and bool(_BREADCRUMB.match(t))),
    _searching("archive-notice", "a line saying the site is an archive or no longer updated", _ARCHIVE_BANNER, max_chars=400),
    _rule("byline", "a byline ('By Erin Halvorsen', 'Por ...', 'Par ...') with what follows it on its line", _byline, max_chars=140),
    _rule("counter", "a block that is only a number (a share, like or view count; a stray axis label)", lambda t: bool(_BARE_NUMBER.match(t)), max_chars=12),
    _rule("source-line", "a wire story's attribution ('Fuente: EFE', 'aja/PAP')", lambda t: bool(_SOURCE_LINE.match(t)), max_chars=80, headings=False),
    _searching("feedback-prompt", "a feedback or report-an-error prompt ('Report a problem on this page', 'Was this page helpful?')",
               _FEEDBACK, _REPORT_ERRORS, max_chars=300),
)
_SPARED = (BlockKind.TABLE, BlockKind.CODE, BlockKind.NOTE, BlockKind.REFERENCE)


_LONGEST = max(rule.max_chars for rule in TEXT_RULES)  # longer blocks are no rule's


def rule_for(block: Block) -> TextRule | None:
    """The first text rule that takes this block, or None."""
    if block.kind in _SPARED:
        return None
    text = block.text.strip()
    length = len(text)
    if length > _LONGEST:
        return None
    lower = text.lower()
    heading = block.kind is BlockKind.HEADING
    for rule in TEXT_RULES:
        if length > rule.max_chars or (heading and not rule.headings):
            continue
        if rule.hints and not any(hint in lower for hint in rule.hints):
            continue
        if rule.test(text):
            return rule
    return None


def _cut_credit(doc: Document, block: Block) -> None:
    """A long paragraph that ends in a photo credit keeps its text and loses the credit."""
    if len(block.text) <= _CAPTION_MAX:
        return
    match = _credit_at_end(block.text)
    if match:
        tail_start = len(block.text) - _CREDIT_TAIL  # _CAPTION_MAX > _CREDIT_TAIL: the block is longer
        block.text = block.text[: tail_start + match.start("credit")].rstrip()
        doc.removed.append(Removal(rule=PHOTO_CREDIT.name, text=match.group("credit"), kind=block.kind.value, page=block.page))


def remove_text_boilerplate(doc: Document) -> Document:
    kept: list[Block] = []
    in_policy = False
    for block in doc.blocks:
        rule = rule_for(block)
        # A comments-policy heading takes the short paragraphs under it with it.
        if rule is None and in_policy and block.kind is not BlockKind.HEADING and len(block.text) <= 400:
            rule = COMMENT_POLICY
        in_policy = rule is COMMENT_POLICY and (in_policy or block.kind is BlockKind.HEADING or bool(_COMMENT_POLICY_HEADING.match(block.text)))
        if rule is not None:
            doc.remove(block, rule)
            continue
        _cut_credit(doc, block)
        kept.append(block)
    doc.blocks = kept
    return doc
