"""Assemble the draft of one article: its entities, figures, periods and quotes, as Turtle blocks in
tradelod's ontology, every drafted statement carrying the review marks (``tlr:``) that say how it was
found and how sure the rules are. ``tradelod build`` refuses the file until the reviewer has removed them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from rdflib import Literal

from .dates import When, find_dates
from .draft_blocks import date_literal, marks, quote_blocks, reference_block
from .entities import Mention, find_mentions, slug
from .figures import Figure, find_figures
from .gazetteer import Gazetteer
from .language import NamedSpan
from .numbers import plain
from .sentences import Sentence, split_sentences
from .turtle import Block, decimal, en, fr, iri_of
from .vocabulary import Resource, Variables, period_of, qualifier_of, unit_of, year_period

#: Types that make a known or proposed entity an area a figure can be observed for (a tlo:TradeActor).
AREA_CLASSES = {"Country", "RegionalBloc", "SubnationalDivision", "Province", "AutonomousRegion", "County",
                "District", "City", "GeographicRegion", "EconomicZone", "Economy", "Company", "GovernmentBody",
                "BusinessAssociation", "IntergovernmentalOrganisation", "EducationalInstitution",
                "Organisation", "EcommercePlatform", "NewsPublisher"}  # fmt: skip


ECONOMIES = {"Country", "RegionalBloc", "SubnationalDivision", "Province", "AutonomousRegion", "County",
             "District", "City", "GeographicRegion", "EconomicZone", "Economy"}  # fmt: skip


#: Places that must lie in another (the shapes say so), and the classes that may hold them.
CONTAINED: dict[str, set[str]] = {
    "Province": {"Country"},
    "AutonomousRegion": {"Country"},
    "City": {"Country", "Province", "AutonomousRegion", "SubnationalDivision"},
    "County": {"City", "Province", "AutonomousRegion"},
    "District": {"City"},
}


@dataclass
class Metadata:
    """What the command line says about the article; nothing else is recorded about it."""

    number: str
    text_file: str  # "articles/005_<hash>.txt"
    title: str | None = None
    publisher: str | None = None
    published: str | None = None  # as given: an ISO date or date-time
    url: str | None = None

    def date(self) -> date | None:
        """The publication day, when one was given."""
        if not self.published:
            return None
        return (
            datetime.fromisoformat(self.published).date()
            if "T" in self.published
            else date.fromisoformat(self.published)
        )


@dataclass
class Drafted:
    """A drafted figure, for the summary and the measurement: where it is and what it says."""

    iri: str
    kind: str
    value: str
    unit: str
    qualifier: str
    sentence: Sentence
    mention_start: int
    mention_end: int
    area: str | None = None  # the observed area (or the committed party of a target)
    period: str | None = None  # the reference period, or the horizon of a projection


@dataclass
class Draft:
    """The blocks of the draft file and what they hold."""

    blocks: list[Block] = field(default_factory=list)
    figures: list[Drafted] = field(default_factory=list)
    known: set[str] = field(default_factory=set)  # entities of the graph the article names
    proposed: dict[str, str] = field(default_factory=dict)  # new entity IRI -> class
    main_places: list[str] = field(default_factory=list)  # places of the graph, most named first
    labels: dict[str, str] = field(default_factory=dict)  # new entity IRI -> its French label


def build_draft(text: str, meta: Metadata, gazetteer: Gazetteer, spans: list[NamedSpan]) -> Draft:
    """The draft of an article's text, its metadata, the graph's entities and the model's named spans."""
    return _Builder(text, meta, gazetteer, spans).run()


class _Builder:
    def __init__(self, text: str, meta: Metadata, gazetteer: Gazetteer, spans: list[NamedSpan]) -> None:
        self.text, self.meta, self.gaz, self.spans = text, meta, gazetteer, spans
        self.n = meta.number
        self.published = meta.date()
        self.known_iris = set(gazetteer.labels)
        self.variables = Variables(
            {iri: labels for iri, labels in gazetteer.labels.items() if iri.startswith("id/variable/")},
            gazetteer.names,
        )
        self.last_variable: Resource | None = None
        self.draft = Draft()
        self.quotes: set[int] = set()
        self.sentences: list[Sentence] = []
        self.entity_quotes: dict[str, set[int]] = {}
        self.entity_marks: dict[str, tuple[str, float, str]] = {}  # iri -> (how, confidence, text)
        self.proposals: dict[str, Mention] = {}
        self.references: dict[str, Resource] = {}
        self.facts: list[Block] = []
        self.observation_slugs: Counter[str] = Counter()
        self.mentions_by_sentence: dict[int, list[Mention]] = {}
        self.main_area: Mention | None = None

    def run(self) -> Draft:
        self.sentences = split_sentences(self.text)
        seen: set[str] = set()
        mentions_by_sentence: dict[int, list[Mention]] = {}
        for sentence in self.sentences:
            mentions = find_mentions(sentence.text, sentence.start, self.gaz, self.spans)
            mentions_by_sentence[sentence.index] = mentions
            self.mentions_by_sentence[sentence.index] = mentions
            for mention in mentions:
                self._note_entity(mention, sentence)
        main_area = self._main_area(mentions_by_sentence)
        self.main_area = main_area
        places = Counter(
            i
            for i, q in self.entity_quotes.items()
            for _ in q
            if i.startswith("id/place/") and i not in self.proposals
        )
        self.draft.main_places = [i for i, _ in places.most_common()]
        for sentence in self.sentences:
            if sentence.text in seen:
                continue  # a repeated line (a title printed twice) states nothing new
            seen.add(sentence.text)
            mentions = mentions_by_sentence[sentence.index]
            dates = find_dates(sentence.text, self.published)
            levels: list[tuple[Figure, str, Resource]] = []
            for figure in find_figures(sentence.text):
                self._figure(sentence, figure, mentions, dates, main_area, levels)
            self._facts_of_mentions(sentence, mentions, dates)
        self._assemble()
        return self.draft

    # -- entities ---------------------------------------------------------------------------------------

    def _note_entity(self, mention: Mention, sentence: Sentence) -> None:
        iri = mention.iri or self._proposal_iri(mention)
        if mention.iri is None:
            existing = self.proposals.get(iri)
            if existing is None or mention.confidence > existing.confidence:
                self.proposals[iri] = mention
        self.entity_quotes.setdefault(iri, set()).add(sentence.index)
        if iri not in self.entity_marks or mention.confidence > self.entity_marks[iri][1]:
            self.entity_marks[iri] = (mention.how, mention.confidence, mention.text)
        self.quotes.add(sentence.index)

    def _proposal_iri(self, mention: Mention) -> str:
        return f"id/{mention.kind}/{self.n}-{slug(mention.text)}"

    def _iri(self, mention: Mention) -> str:
        return mention.iri or self._proposal_iri(mention)

    def _classes(self, mention: Mention) -> set[str]:
        if mention.iri is not None:
            entity = self.gaz.entities.get(mention.iri)
            return {t.rsplit("#", 1)[-1] for t in entity.types} if entity else set()
        return {mention.cls or ""}

    def _areas(self, mentions: list[Mention]) -> list[Mention]:
        return [m for m in mentions if self._classes(m) & AREA_CLASSES]

    def _main_area(self, by_sentence: dict[int, list[Mention]]) -> Mention | None:
        counts: Counter[str] = Counter()
        first: dict[str, Mention] = {}
        for mentions in by_sentence.values():
            for m in self._areas(mentions):
                if m.iri is not None and m.iri.startswith("id/place/"):
                    counts[m.iri] += 1
                    first.setdefault(m.iri, m)
        if not counts:
            return None
        # the most named place; between places named as often, the one named first (the lead's subject)
        order = list(first)
        best = max(counts, key=lambda iri: (counts[iri], -order.index(iri)))
        return first[best]

    def _label(self, iri: str) -> tuple[str, str]:
        entity = self.gaz.entities.get(iri)
        if entity is not None:
            return entity.label_fr or iri, entity.label_en or iri
        mention = self.proposals.get(iri)
        return (mention.text, mention.text) if mention else (iri, iri)

    # -- figures ----------------------------------------------------------------------------------------

    def _figure(self, sentence: Sentence, figure: Figure, mentions: list[Mention], dates: list[When],
                main_area: Mention | None, levels: list[tuple[Figure, str, Resource]]) -> None:  # fmt: skip
        checks: list[str] = []
        inference = list(figure.inference)
        confidence = figure.confidence
        clause = sentence.text[max(0, figure.start - 90) : figure.end + 40]
        areas = self._areas(mentions)
        # economies before organisations ("selon l'Office des douanes du Vietnam" names a source), then nearness
        near = sorted(
            areas,
            key=lambda m: (not self._classes(m) & ECONOMIES, m.iri is None, abs(m.start - figure.start)),
        )
        between = re.search(
            r"\bentre\s+(?:le |la |les |l'|l’)?(.+?)\s+et\s+(?:le |la |les |l'|l’)?(.+?)(?:[\s,.;]|$)",
            sentence.text,
        )
        if between is not None:
            # "entre la Chine et l'ASEAN": the first is observed, the second its counterpart
            first = [m for m in areas if m.start == between.start(1)]
            second = [m for m in areas if m.start == between.start(2)]
            if first and second:
                near = [first[0], second[0]] + [m for m in near if m not in (first[0], second[0])]
        observed = near[0] if near else main_area
        if not near:
            checks.append(
                "no place or organisation in the sentence: the observed area is the article's most named place"
            )
            confidence = min(confidence, 0.5)
        counterparts = [m for m in near[1:] if observed is None or self._iri(m) != self._iri(observed)]
        period, horizon = self._when(figure, dates, checks)
        if period.inference:
            inference.append(period.inference)
        key = "usd" if figure.unit == "factor" else figure.unit
        if figure.kind == "growth" and key == "percent":
            key = "percent-change"  # a growth is a relative change, not a share (id/unit/percent)
        unit = unit_of(key, self.known_iris)
        qualifier = qualifier_of(figure.qualifier, self.known_iris)
        variable = self.variables.choose(figure, clause)
        earlier = [lv for lv in levels if lv[0].end <= figure.start]
        if figure.kind == "growth" and earlier:
            variable = earlier[-1][
                2
            ]  # "43,8 milliards de dollars, soit une augmentation de 9,2 %": its growth
        if (
            variable.new
            and self.last_variable is not None
            and re.search(r"\b(?:ce|cet|cette) (?:chiffre|montant|volume|total)", sentence.text)
        ):
            variable = self.last_variable  # "ce chiffre": the figure of the sentence before
            checks.append("variable of the figure before ('ce chiffre')")
        self.last_variable = variable
        if variable.new:
            checks.append(f"new statistical variable {variable.iri}: check its name and labels")
        area_iri = self._iri(observed) if observed else None
        mention = sentence.text[figure.start : figure.end]
        kind_name = {
            "level": "observation",
            "growth": "observation",
            "target": "target",
            "expectation": "expectation",
        }[figure.kind]
        when_iri = period.iri if figure.kind in ("level", "growth") else horizon.iri
        local = f"{self.n}-{variable.iri.rsplit('/', 1)[-1]}-{when_iri.rsplit('/', 1)[-1].removeprefix(self.n + '-')}"
        self.observation_slugs[local] += 1
        if self.observation_slugs[local] > 1:
            local += f"-{self.observation_slugs[local]}"
        if figure.kind == "growth":
            local = local.replace(f"{self.n}-", f"{self.n}-growth-", 1)
        iri = f"id/{kind_name}/{local}"
        area_fr, area_en = self._label(area_iri) if area_iri else ("?", "?")
        props: list[tuple[str, list[str]]] = []
        if figure.kind in ("level", "growth"):
            cls = "tlo:LevelObservation" if figure.kind == "level" else "tlo:GrowthObservation"
            if figure.kind == "level" and unit.iri == "id/unit/percent":
                cls = "tlo:ShareObservation"  # a level in percent of a whole
            label_fr = f"{'croissance — ' if figure.kind == 'growth' else ''}{variable.label_fr} — {area_fr}, {period.label_fr}"
            label_en = f"{'growth — ' if figure.kind == 'growth' else ''}{variable.label_en} — {area_en}, {period.label_en}"
            props += [
                ("a", [cls]),
                ("rdfs:label", [fr(label_fr), en(label_en)]),
                ("tlo:variable", [iri_of(variable.iri)]),
            ]
            # every observation is of one thing: here the observed economy, or the article until a reviewer names it
            props.append(("tlo:observationOf", [iri_of(area_iri or f"id/article/{self.n}")]))
            checks.append(
                "what the figure is of (tlo:observationOf): the relation, flow, initiative or economy"
            )
            if area_iri and "/place/" in area_iri:
                props.append(("tlo:observedArea", [iri_of(area_iri)]))
            counterpart = self._iri(counterparts[0]) if counterparts else None
            if counterpart and "/place/" in counterpart:  # areas are economies, never organisations
                props.append(("tlo:counterpartArea", [iri_of(counterpart)]))
                checks.append("counterpart area: the second place of the sentence")
            props.append(("tlo:refPeriod", [iri_of(period.iri)]))
            if figure.kind == "growth":
                base = self._base_period(sentence, figure, period, dates, checks, inference)
                props.append(("tlo:basePeriod", [iri_of(base.iri)]))
                level = next((lv for lv in reversed(levels) if lv[0].end <= figure.start), None)
                if level is not None and level[2].iri == variable.iri:
                    props.append(("tlo:growthOf", [iri_of(level[1])]))
        else:
            cls = "tlo:Target" if figure.kind == "target" else "tlo:Expectation"
            label_fr = f"{'objectif' if figure.kind == 'target' else 'prévision'} — {variable.label_fr} — {area_fr}, {horizon.label_fr}"
            label_en = f"{'target' if figure.kind == 'target' else 'expectation'} — {variable.label_en} — {area_en}, {horizon.label_en}"
            props += [("a", [cls]), ("rdfs:label", [fr(label_fr), en(label_en)]), ("tlo:variable", [iri_of(variable.iri)]),
                      ("tlo:horizon", [iri_of(horizon.iri)])]  # fmt: skip
            self.references[horizon.iri] = horizon
            if area_iri and figure.kind == "target":
                props.append(
                    ("tlo:committedBy", [iri_of(area_iri)] + [iri_of(self._iri(c)) for c in counterparts[:1]])
                )
        if figure.factor:
            props.append(("tlo:targetFactor", [decimal(figure.value)]))
        else:
            props += [
                ("tlo:value", [decimal(figure.value)]),
                ("tlo:unit", [iri_of(unit.iri)]),
                ("tlo:valueQualifier", [iri_of(qualifier.iri)]),
            ]
            self.references[unit.iri] = unit
            self.references[qualifier.iri] = qualifier
        if figure.kind in ("level", "growth"):
            self.references[period.iri] = period
        self.references[variable.iri] = variable
        if inference:
            props.append(("tlo:inference", [en("; ".join(inference))]))
            checks.append("an inferred value or period (tlo:inference): check it")
        props += [
            ("tlo:sourceArticle", [iri_of(f"id/article/{self.n}")]),
            ("tlo:sourceQuote", [iri_of(self._quote(sentence))]),
        ]
        absolute = sentence.start + figure.start
        props += marks(
            confidence,
            [f"drafted from the words “{mention}”", *checks],
            mention,
            absolute,
            absolute + len(mention),
        )
        self.facts.append(Block(iri_of(iri), props, section="figures"))
        if figure.kind == "level" and figure.unit != "percent":
            levels.append((figure, iri, variable))
        self.draft.figures.append(Drafted(iri, figure.kind, plain(figure.value), "factor" if figure.factor else figure.unit,
                                          figure.qualifier, sentence, absolute, absolute + len(mention), area_iri,
                                          when_iri))  # fmt: skip

    def _when(self, figure: Figure, dates: list[When], checks: list[str]) -> tuple[Resource, Resource]:
        horizon_dates = [d for d in dates if d.relation == "until"]
        horizon = (
            period_of(horizon_dates[0], self.n, self.known_iris)
            if horizon_dates
            else period_of(
                When("open", 0, 0, "horizon non précisé"), self.n, self.known_iris, "horizon non précisé"
            )
        )
        usable = [d for d in dates if d.relation in ("at", "since")]
        before = [d for d in usable if d.end <= figure.start]
        after = [d for d in usable if d.start >= figure.end]
        chosen = before[-1] if before else (after[0] if after else None)
        if chosen is None:
            checks.append("the sentence states no period: the period is the article's present")
        elif not before:
            checks.append(f"period taken from words after the figure (“{chosen.text}”)")
        return period_of(chosen, self.n, self.known_iris), horizon

    def _base_period(self, sentence: Sentence, figure: Figure, period: Resource, dates: list[When],
                     checks: list[str], inference: list[str]) -> Resource:  # fmt: skip
        after = sentence.text[figure.end :]
        year = _year_of(period)
        year_before = re.match(
            r"[^.;]{0,40}?(?:par rapport à|comparé à|contre)\s+(?:l'année précédente|l’année précédente|l'an dernier|l’an dernier|l'année dernière|l’année dernière)",
            after,
        ) or re.search(r"glissement annuel|sur un an|en un an", after[:60])
        if year_before and year is not None:
            inference.append(
                f"base period {year - 1}: the year before the reference period, as the words say"
            )
            base = year_period(year - 1, self.known_iris)
            self.references[base.iri] = base
            return base
        stated = re.match(r"[^.;]{0,40}?(?:par rapport à|comparé à|depuis)\s+([^,.;]+)", after)
        later = [d for d in dates if d.start >= figure.end and d.relation in ("at", "since")]
        if stated and later and later[0].start - figure.end < 60:
            base = period_of(later[0], self.n, self.known_iris)
        elif stated:
            base = period_of(
                When("open", 0, 0, stated.group(1)), self.n, self.known_iris, stated.group(1).strip()
            )
        else:
            base = period_of(
                When("open", 0, 0, "base non précisée"), self.n, self.known_iris, "base non précisée"
            )
            checks.append("the sentence does not state what the growth is measured against")
        self.references[base.iri] = base
        return base

    # -- events, agreements, initiatives, posts ----------------------------------------------------------------

    def _facts_of_mentions(self, sentence: Sentence, mentions: list[Mention], dates: list[When]) -> None:
        for mention in mentions:
            if (
                mention.iri is None
                and mention.kind in ("event", "agreement")
                and self._proposal_iri(mention) not in self.draft.proposed
            ):
                self._dated(sentence, mention, dates)
            if mention.post and mention.iri is None:
                self._post(sentence, mention, mentions)

    def _dated(self, sentence: Sentence, mention: Mention, dates: list[When]) -> None:
        iri = self._proposal_iri(mention)
        if not dates:
            return
        when = min(dates, key=lambda d: abs(d.start - mention.start))
        props = [("tlo:dateAsStated", [fr(when.text)])]
        literal = date_literal(when)
        if literal is not None:
            props.insert(0, literal)
        if when.inference:
            props.append(("tlo:inference", [en(when.inference)]))
        self.facts.append(Block(iri_of(iri), props, section="dates", comment=f"date of {mention.text}"))

    def _post(self, sentence: Sentence, person: Mention, mentions: list[Mention]) -> None:
        person_iri = self._proposal_iri(person)
        post_iri = f"id/post/{self.n}-{slug(person.text)}"
        post = person.post or ""
        props: list[tuple[str, list[str]]] = [("a", ["tlo:Post"]), ("rdfs:label", [fr(post), en(post)])]
        inside = [
            m
            for m in mentions
            if m.start >= person.post_start and m.end <= person.post_end and "org" in (m.kind or self._iri(m))
        ]
        if inside:
            props.append(("tlo:postIn", [iri_of(self._iri(inside[0]))]))
        props += [
            ("tlo:sourceArticle", [iri_of(f"id/article/{self.n}")]),
            ("tlo:sourceQuote", [iri_of(self._quote(sentence))]),
        ]
        props += marks(
            0.7, [f"post “{post}” read next to the name {person.text}", "translate the English label"]
        )
        self.facts.append(Block(iri_of(post_iri), props, section="posts"))
        self.facts.append(Block(iri_of(person_iri), [("tlo:holds", [iri_of(post_iri)])], section="posts"))

    # -- assembly -----------------------------------------------------------------------------------------------

    def _quote(self, sentence: Sentence) -> str:
        self.quotes.add(sentence.index)
        return self._quote_iri(sentence.index)

    def _quote_iri(self, index: int) -> str:
        width = max(2, len(str(len(self.sentences))))
        return f"id/quote/{self.n}-{index:0{width}d}"

    def _assemble(self) -> None:
        blocks = self.draft.blocks
        blocks.append(self._article())
        for iri in sorted(self.entity_quotes):
            quotes = [iri_of(self._quote_iri(i)) for i in sorted(self.entity_quotes[iri])]
            how, confidence, text = self.entity_marks[iri]
            if iri in self.proposals:
                blocks.append(self._proposed_entity(iri, self.proposals[iri], quotes, how, confidence))
                continue
            self.draft.known.add(iri)
            entity = self.gaz.entities[iri]
            links = ", ".join(sorted(entity.links)) or "no Wikidata link"
            blocks.append(Block(iri_of(iri), [("tlo:describedBy", quotes), *marks(confidence, [f"named as “{text}”: {how}"])],
                                section="known", comment=f"{entity.label_en or iri} — in the graph ({links})"))  # fmt: skip
        blocks.extend(self.facts)
        for _, resource in sorted(self.references.items()):
            if resource.new:
                blocks.append(reference_block(resource))
        for index in sorted(self.quotes):
            blocks.extend(quote_blocks(self.n, self._quote_iri(index), self.sentences[index - 1]))

    def _article(self) -> Block:
        meta = self.meta
        label = meta.title or f"article {self.n}"
        props: list[tuple[str, list[str]]] = [
            ("a", ["schema:NewsArticle"]),
            ("rdfs:label", [fr(label), en(label)]),
            ("schema:inLanguage", ['"fr"']),
            ("tlo:textCopy", [f"<{meta.text_file}>"]),
        ]
        checks = ["metadata as given to tradelod ingest; the English label repeats the title: translate it"]
        if meta.title:
            props.append(("schema:headline", [fr(meta.title)]))
        if meta.publisher:
            props.append(("schema:publisher", [iri_of(self._publisher())]))
        if meta.published and "T" in meta.published:
            props.append(
                (
                    "schema:datePublished",
                    [Literal(meta.published, datatype="http://www.w3.org/2001/XMLSchema#dateTime").n3()],
                )
            )
        elif meta.published:
            props.append(("tlo:dateAsStated", [fr(meta.published)]))
            checks.append(
                "the publication date was given without a time; schema:datePublished needs one (xsd:dateTime)"
            )
        if meta.url:
            props.append(("dct:source", [f"<{meta.url}>"]))
        mentioned = sorted(self.entity_quotes)
        if mentioned:
            props.append(("schema:mentions", [iri_of(i) for i in mentioned]))
        props += marks(0.9, checks)
        return Block(iri_of(f"id/article/{self.n}"), props, section="article")

    def _publisher(self) -> str:
        name = self.meta.publisher or ""
        found = [m for m in self.gaz.find(name) if m.end - m.start >= len(name.strip()) - 3]
        if found and found[0].iris[0].startswith("id/org/"):
            return found[0].iris[0]
        iri = f"id/org/{slug(name)}"
        self.proposals[iri] = Mention(
            0,
            len(name),
            name,
            kind="org",
            cls="NewsPublisher",
            confidence=0.9,
            how="publisher given to tradelod ingest",
        )
        occurrences = [s.index for s in self.sentences if name.lower() in s.text.lower()]
        self.entity_quotes.setdefault(iri, set()).update(occurrences)
        self.quotes.update(occurrences)
        how = "publisher given on the command line"
        if not occurrences:
            how += (
                "; the article does not print this name, and the shapes need a sentence that names it "
                "(tlo:describedBy): keep it only if the article states it"
            )
        self.entity_marks[iri] = (how, 0.9 if occurrences else 0.3, name)
        return iri

    def _container(self, iri: str, kinds: set[str]) -> str | None:
        """The known place of one of ``kinds`` named nearest to a proposed place, else the article's main place."""
        for index in sorted(self.entity_quotes.get(iri, ())):
            mentions = self.mentions_by_sentence.get(index, [])
            here = [m for m in mentions if self._iri(m) == iri]
            around = [m for m in mentions if m.iri is not None and self._classes(m) & kinds]
            if here and around:
                return min(around, key=lambda m: abs(m.start - here[0].start)).iri
        main = self.main_area
        if main is not None and main.iri is not None and self._classes(main) & kinds:
            return main.iri
        return None

    def _proposed_entity(
        self, iri: str, mention: Mention, quotes: list[str], how: str, confidence: float
    ) -> Block:
        checks = []
        container = None
        if mention.cls in CONTAINED:
            container = self._container(iri, CONTAINED[mention.cls])
            if container is None:
                checks.append(f"the words make it a {mention.cls}, but nothing named says where it lies")
                mention.cls = "Economy"
            else:
                checks.append(f"located in {container}: the nearest place of that kind named with it; check")
        self.draft.proposed[iri] = mention.cls or ""
        self.draft.labels[iri] = mention.text
        props: list[tuple[str, list[str]]] = [
            ("a", [f"tlo:{mention.cls}"]),
            ("rdfs:label", [fr(mention.text), en(mention.text)]),
        ]
        if container is not None:
            props.append(("tlo:locatedIn", [iri_of(container)]))
        if mention.kind == "product":
            props += [
                ("skos:prefLabel", [fr(mention.text), en(mention.text)]),
                ("skos:inScheme", ["<id/scheme/products>"]),
            ]
        if quotes:
            props.append(("tlo:describedBy", quotes))
        if mention.kind in ("event", "agreement"):
            props += [
                ("tlo:sourceArticle", [iri_of(f"id/article/{self.n}")]),
                ("tlo:sourceQuote", quotes[:1]),
            ]
        checks = [
            f"new {mention.cls}: {how}",
            "check the type, and write the English label and an English slug",
            *checks,
        ]
        return Block(iri_of(iri), [*props, *marks(confidence, checks)], section="proposed")


def _year_of(period: Resource) -> int | None:
    match = re.match(r"id/period/(\d{4})(?:$|-)", period.iri)
    return int(match.group(1)) if match else None
