"""The entities a sentence mentions: those the graph has (by label) and new ones proposed with a type.

New ones come from spaCy's named entities and from rules on the head noun of a name ("sommet …",
"mémorandum …", "Université …"); each proposal carries the type the rules chose and how sure they are.
People named with a post ("le ministre chinois du Commerce, Wang Wentao") get the post too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .dates import MONTHS, WEEKDAYS
from .gazetteer import Gazetteer, Match, fold, label_key
from .language import NamedSpan

TLO = "ontology#"
_CALENDAR = {fold(w) for w in (*MONTHS, *WEEKDAYS)}
#: Organisations named by their head word ("Office général des douanes du Vietnam", "ministère brésilien
#: de l'Agriculture"): the head, then words up to the last capitalised one.
_ORG_NAME = re.compile(
    r"(?<![\w])(?i:minist[èe]re|office|chambre|association|universit[ée]|institut|agence|commission|"
    r"administration|banque|groupe|f[ée]d[ée]ration|bureau|soci[ée]t[ée]|compagnie|douanes)"
    r"(?:[ \u00a0'’-]+(?:[a-zà-ÿœ][\w’'-]*|[A-ZÀ-Þ][\w’'-]*)){0,9}?[ \u00a0'’-]+[A-ZÀ-Þ][\w’'-]*"
    r"(?:[ \u00a0-]+[A-ZÀ-Þ][\w’'-]*)*"
)

#: Head words of a name and the class they give it, tried in order.
ORG_CUES: list[tuple[str, str]] = [
    (r"minist[èe]re|commission|douanes?|administration|agence|gouvernement|bureau|département|autorité|"
     r"conseil d'[ée]tat|municipalit[ée]|ambassade|parlement|assembl[ée]e", "GovernmentBody"),
    (r"universit[ée]|institut|[ée]cole|acad[ée]mie|coll[èe]ge", "EducationalInstitution"),
    (r"chambre|association|f[ée]d[ée]ration|union des|conseil des entreprises|confédération|syndicat", "BusinessAssociation"),
    (r"organisation|banque (?:mondiale|asiatique)|fonds monétaire|onu|omc|nations unies", "IntergovernmentalOrganisation"),
    (r"groupe|soci[ée]t[ée]|compagnie|co\.|ltd|inc\.|s\.a\.|sa|corporation|motors?|automobile|holding|industries|technolog", "Company"),
]  # fmt: skip
PLACE_CUES: list[tuple[str, str]] = [
    (r"province", "Province"),
    (r"r[ée]gion autonome", "AutonomousRegion"),
    (r"comt[ée]", "County"),
    (r"district|arrondissement", "District"),
    (r"ville|capitale|municipalit[ée]|port(?! franc)", "City"),
    (r"zone|parc industriel|port franc", "EconomicZone"),
]
NAMED_THINGS: list[tuple[str, str, str]] = [
    # (head words, kind, class)
    (r"sommet", "event", "Summit"),
    (r"conf[ée]rence|forum|colloque|symposium|dialogue", "event", "Conference"),
    (r"exposition|expo|salon|foire", "event", "Expo"),
    (r"r[ée]union|rencontre", "event", "Meeting"),
    (r"m[ée]morandum(?: d'entente| de coop[ée]ration)?|protocole d'accord", "agreement", "Memorandum"),
    (r"plan d'action|plan d’action", "agreement", "ActionPlan"),
    (
        r"accord(?: de libre-[ée]change| commercial| de coop[ée]ration)?|trait[ée]|feuille de route|convention",
        "agreement",
        "Agreement",
    ),
    (r"initiative|corridor|partenariat", "initiative", "CooperationInitiative"),
    (r"programme|campagne|projet", "initiative", "Programme"),
    (r"politique|strat[ée]gie", "initiative", "Policy"),
    (r"m[ée]canisme", "initiative", "CooperationMechanism"),
]
_NAME_AFTER = r"(?:\s+(?:de la|de l'|de l’|du|des|de|d'|d’|sur la|sur le|sur les|pour la|pour le)?\s*(?:«[^»]{1,80}»|[A-ZÀ-ÖØ-Þ][\w’'-]*(?:\s+(?:et|de|du|des|la|le|l'|l’|-)?\s*[A-ZÀ-ÖØ-Þ0-9][\w’'-]*)*))+"
_ADJECTIVES = r"(?:\s+(?:conjoint|commun|bilat[ée]ral|intergouvernemental|global|strat[ée]gique|r[ée]gional|international|de coop[ée]ration|de libre-[ée]change|commercial|économique)e?s?)*"
POSTS = (
    r"(?:premier ministre|vice-premier ministre|vice-ministre|ministre|secr[ée]taire d'[ée]tat|pr[ée]sidente?|vice-pr[ée]sidente?|"
    r"porte-parole|directeur g[ée]n[ée]ral|directrice g[ée]n[ée]rale|directeur|directrice|PDG|p\.-d\.g\.|ambassadeur|ambassadrice|"
    r"secr[ée]taire g[ée]n[ée]ral|gouverneur|maire|chef|responsable|fondateur|fondatrice|dirigeante?|consul(?: g[ée]n[ée]ral)?|"
    r"commissaire|g[ée]rante?|administrateur|administratrice)"
)
_POST_BEFORE = re.compile(
    rf"(?:^|[\s(])(?:le|la|l'|l’)\s+({POSTS}(?:[^,.;()]{{0,90}}?))\s*,?\s*$", re.IGNORECASE
)
_POST_AFTER = re.compile(rf"^\s*,\s*(?:(?:le|la|l'|l’|un|une)\s+)?({POSTS}[^,.;()«»]{{0,90}})", re.IGNORECASE)


@dataclass
class Mention:
    """An entity a sentence names: a known one (``iri``) or a proposal (``kind`` and ``cls``)."""

    start: int
    end: int
    text: str
    iri: str | None = None  # a known entity, relative IRI
    candidates: tuple[str, ...] = ()  # when the label names several known entities
    kind: str | None = None  # for a proposal: place, org, person, event, agreement, initiative
    cls: str | None = None  # for a proposal: the tlo class name
    confidence: float = 0.9
    how: str = ""
    post: str | None = None  # a person's post as written ("ministre chinois du Commerce")
    post_start: int = -1
    post_end: int = -1


def find_mentions(sentence: str, offset: int, gazetteer: Gazetteer, spans: list[NamedSpan]) -> list[Mention]:
    """Known and proposed entities of one sentence (``offset`` is its start in the article; ``spans`` are
    the model's named entities of the whole article)."""
    mentions: list[Mention] = []
    for match in gazetteer.find(sentence):
        mentions.append(_known(match))
    # a title in capitals, or a line of one or two words (site furniture such as "Loading..."), names nothing new
    shouting = sentence.upper() == sentence or len(sentence.split()) < 3
    for thing in _named_things(sentence) + _organisations(sentence) + _places(sentence) + _products(sentence):
        # a name may hold known ones ("Office général des douanes du Vietnam"): both are mentioned
        if not any(_crosses(thing, m) or (m.start <= thing.start and thing.end <= m.end) for m in mentions):
            mentions.append(thing)
    for span in spans:
        if span.start < offset or span.end > offset + len(sentence) or shouting:
            continue
        if not span.proper or fold(span.text.split()[-1]) in _CALENDAR:
            continue
        proposal = _proposal(sentence, span.start - offset, span.end - offset, span.label)
        if proposal is not None and not _overlaps(proposal, mentions):
            mentions.append(proposal)
    for mention in mentions:
        if mention.kind == "person" or (mention.iri or "").startswith("id/person/"):
            _attach_post(sentence, mention)
    return sorted(mentions, key=lambda m: m.start)


def _known(match: Match) -> Mention:
    iri = match.iris[0]
    if len(match.iris) > 1:
        return Mention(
            match.start,
            match.end,
            match.text,
            iri,
            match.iris,
            confidence=0.5,
            how="label of several entities",
        )
    return Mention(match.start, match.end, match.text, iri, confidence=0.95, how="label of a known entity")


def _overlaps(mention: Mention, others: list[Mention]) -> bool:
    return any(o.start < mention.end and mention.start < o.end for o in others)


#: What is traded: the words after "exportations de", "importations de", "ventes de" …
_PRODUCT = re.compile(
    r"(?<![\w])(?i:exportations?|importations?|ventes|achats|expéditions|livraisons|production)"
    r"(?:\s+[a-zà-ÿœ]+(?:iennes?|aises?|oises?|aines?|ains|ais|ois|ens|ines?|iques?|ales?|aux|es))?"
    r"\s+(?:(?:des|du|de)\s+|d['’]\s*)([a-zà-ÿœ][\w’'-]*(?:\s+[a-zà-ÿœ][\w’'-]*)?)"
)
_ADJECTIVE_END = ("ique", "iques", "ale", "ales", "aux", "ine", "ines", "ien", "iens", "ienne", "iennes", "ais",
                  "aise", "aises", "ois", "oise", "oises", "elle", "elles", "ée", "ées", "if", "ifs", "ive", "ives",
                  "ère", "ères", "ier", "iers", "el", "els")  # fmt: skip
_NOT_PRODUCTS = frozenset(
    [
        "la",
        "le",
        "les",
        "l",
        "un",
        "une",
        "leur",
        "leurs",
        "ses",
        "son",
        "sa",
        "ces",
        "cette",
        "ce",
        "nos",
        "notre",
        "produits",
        "biens",
        "marchandises",
        "pays",
        "l'entreprise",
        "entreprises",
        "valeur",
        "volume",
        "total",
        "plus",
        "moins",
        "près",
        "environ",
    ]
)


_PLACE_NAME = re.compile(
    r"(?<![\w])(?P<cue>province|ville|district|comté|région autonome|municipalité|port)\s+(?:de\s+|du\s+|d['’]\s*)"
    r"(?P<name>[A-ZÀ-Þ][\w’'-]*(?:[ -][A-ZÀ-Þ][\w’'-]*)*)"
)


def _places(sentence: str) -> list[Mention]:
    """ "la province de Lang Son", "le port de Haiphong": a place and its type, from the word before it."""
    found = []
    for match in _PLACE_NAME.finditer(sentence):
        cue = match.group("cue")
        cls = next((c for pattern, c in PLACE_CUES if re.match(pattern, cue)), "City")
        found.append(Mention(match.start("name"), match.end("name"), match.group("name"), kind="place", cls=cls,
                             confidence=0.7, how=f"a place after '{cue}'"))  # fmt: skip
    return found


def _products(sentence: str) -> list[Mention]:
    found = []
    for match in _PRODUCT.finditer(sentence):
        words = match.group(1).split()
        if words[0].lower() in _NOT_PRODUCTS or re.match(r"[ld]['’]", words[0]):
            continue
        if len(words) > 1 and not words[1].lower().endswith(_ADJECTIVE_END):
            words = words[:1]
        text = " ".join(words)
        start = match.start(1)
        found.append(Mention(start, start + len(text), text, kind="product", cls="ProductCategory", confidence=0.5,
                             how=f"what '{match.group().split()[0]}' names"))  # fmt: skip
    return found


def _crosses(a: Mention, b: Mention) -> bool:
    """The spans overlap without one holding the other."""
    return (
        a.start < b.end
        and b.start < a.end
        and not (a.start <= b.start and b.end <= a.end)
        and not (b.start <= a.start and a.end <= b.end)
    )


def _named_things(sentence: str) -> list[Mention]:
    found = []
    for head, kind, cls in NAMED_THINGS:
        pattern = re.compile(rf"(?<![\w])((?i:{head}))(?![\w])((?i:{_ADJECTIVES}))({_NAME_AFTER})?")
        for match in pattern.finditer(sentence):
            named = match.group(3) is not None
            if not named and not (kind == "agreement" and match.group(2)):
                continue
            text = match.group().rstrip(" ,")
            start = match.start()
            quoted = re.fullmatch(r"\s*(?:de |d'|d’)?\s*«\s*([^»]+?)\s*»", match.group(3) or "")
            if quoted is not None:  # "l'initiative « Ceinture et Route »": the name is what the quotes hold
                text, start = quoted.group(1), match.start(3) + quoted.start(1)
            confidence = 0.5 if kind == "agreement" and not named else 0.6
            how = f"a name headed by '{match.group(1)}'"
            found.append(
                Mention(start, start + len(text), text, kind=kind, cls=cls, confidence=confidence, how=how)
            )
    return found


def _organisations(sentence: str) -> list[Mention]:
    found = []
    for match in _ORG_NAME.finditer(sentence):
        text = match.group()
        if re.search(r"[,;:()«»]", text):
            continue
        lowered = text.lower()
        cls = next((c for cue, c in ORG_CUES if re.match(rf"(?:{cue})", lowered)), "Organisation")
        found.append(
            Mention(
                match.start(),
                match.end(),
                text,
                kind="org",
                cls=cls,
                confidence=0.7,
                how=f"an organisation named by its head word '{text.split()[0]}'",
            )
        )
    return found


def _proposal(sentence: str, start: int, end: int, label: str) -> Mention | None:
    text = sentence[start:end]
    lead = re.match(r"(?:la|le|les|l'|l’)\s*", text, re.IGNORECASE)
    if lead:
        start, text = start + lead.end(), text[lead.end() :]
    text = text.rstrip(" ,;:«»")
    end = start + len(text)
    if len(text) < 3 or not text[0].isupper() or (text.isupper() and len(text) > 12) or not label_key(text):
        return None
    before = sentence[max(0, start - 40) : start].lower()
    if label == "PER":
        if len(text.split()) == 1 and not re.search(r"(?:m\.|mme|mlle|dr)\s*$", before):
            return Mention(
                start,
                end,
                text,
                kind="person",
                cls="Person",
                confidence=0.5,
                how="a person named by the French model (one word)",
            )
        return Mention(
            start,
            end,
            text,
            kind="person",
            cls="Person",
            confidence=0.8,
            how="a person named by the French model",
        )
    if label == "LOC":
        for cue, cls in PLACE_CUES:
            if re.search(rf"(?:{cue})\s+(?:de\s+|du\s+|d'|d’)?(?:la\s+|l'|l’)?$", before):
                return Mention(
                    start, end, text, kind="place", cls=cls, confidence=0.7, how=f"a place after '{cue}'"
                )
        return Mention(
            start,
            end,
            text,
            kind="place",
            cls="Economy",
            confidence=0.4,
            how="a place named by the French model; its type is not stated",
        )
    if label == "ORG":
        lowered = text.lower()
        for cue, cls in ORG_CUES:
            if re.search(rf"(?<![\w])(?:{cue})", lowered):
                return Mention(
                    start,
                    end,
                    text,
                    kind="org",
                    cls=cls,
                    confidence=0.7,
                    how="an organisation named by the French model, typed by its name",
                )
        return Mention(
            start,
            end,
            text,
            kind="org",
            cls="Organisation",
            confidence=0.5,
            how="an organisation named by the French model",
        )
    return None


def _attach_post(sentence: str, mention: Mention) -> None:
    before = _POST_BEFORE.search(sentence[: mention.start])
    if before is not None:
        mention.post = before.group(1).strip(" ,")
        mention.post_start = before.start(1)
        mention.post_end = before.start(1) + len(mention.post)
        return
    after = _POST_AFTER.match(sentence[mention.end :])
    if after is not None:
        mention.post = after.group(1).strip(" ,")
        mention.post_start = mention.end + after.start(1)
        mention.post_end = mention.post_start + len(mention.post)


def slug(text: str) -> str:
    """A lower-case ASCII slug of a name: ``"Chongqing Dejia"`` → ``"chongqing-dejia"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60].strip("-") or "unnamed"
