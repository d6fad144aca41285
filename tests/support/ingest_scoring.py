"""Measure drafts against what they should hold: the curated data of the five articles, or the
hand-written expected figures of the test articles under tests/data/articles/.

A drafted figure matches an expected one when the value, the unit and the sentence (its exact offsets)
agree. Recall is the share of expected figures some drafted figure matches; precision the share of
drafted figures that match an expected one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal

from support.project import BASE, ROOT, sources_of
from tradelod.ingest.draft import Draft, Metadata, build_draft
from tradelod.ingest.gazetteer import Gazetteer, label_key, load_gazetteer
from tradelod.ingest.language import named_spans
from tradelod.ingest.numbers import plain

Q = f"""PREFIX tlo: <{BASE}ontology#> PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
ARTICLE_FILES = {
    "000": ("000_59b0c2235d99b18f.txt", "data/000-chongqing-foreign-trade.ttl"),
    "001": ("001_8b9d38ecaf27f254.txt", "data/001-china-singapore-connectivity.ttl"),
    "002": ("002_036e6156e28e245c.txt", "data/002-silk-road-e-commerce.ttl"),
    "003": ("003_520c4fb320e979bc.txt", "data/003-kazakhstan-china-trade.ttl"),
    "004": ("004_03e69d80692e7c26.txt", "data/004-china-asean-scitech.ttl"),
}


@dataclass(frozen=True)
class Expected:
    """A figure an article states: value, unit key (or "factor"), and the sentence spans that state it."""

    name: str
    value: str
    unit: str
    spans: frozenset[tuple[int, int]]
    areas: frozenset[str] = frozenset()  # observed areas (or committed parties), relative IRIs
    period: str | None = None  # reference period or horizon, relative IRI


@dataclass
class Score:
    """Matches of one or more drafts against their expected figures."""

    expected: int = 0
    recalled: int = 0
    drafted: int = 0
    correct: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    same_area: int = 0  # found figures whose drafted area is the curated one
    same_period: int = 0  # found figures whose drafted period is the curated one

    def add(self, other: Score) -> None:
        """Add another article's counts to these."""
        self.expected += other.expected
        self.recalled += other.recalled
        self.drafted += other.drafted
        self.correct += other.correct
        self.missed += other.missed
        self.extra += other.extra
        self.same_area += other.same_area
        self.same_period += other.same_period

    @property
    def recall(self) -> float:
        """Share of the expected items found."""
        return self.recalled / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        """Share of the drafted items that were expected."""
        return self.correct / self.drafted if self.drafted else 1.0


def curated_figures(data: Graph, number: str) -> list[Expected]:
    """The observations, targets and expectations of one curated article."""
    rows = data.query(
        Q
        + f"""SELECT ?s ?v ?factor ?unit ?start ?end ?area ?period WHERE {{
          ?s tlo:sourceArticle <{BASE}id/article/{number}> ; tlo:sourceQuote ?q .
          {{ ?s tlo:value ?v ; tlo:unit ?unit }} UNION {{ ?s tlo:targetFactor ?factor }}
          UNION {{ ?s tlo:rank ?v BIND(<{BASE}id/unit/rank> AS ?unit) }}
          ?q oa:hasSelector ?p . ?p oa:start ?start ; oa:end ?end .
          OPTIONAL {{ ?s tlo:observedArea|tlo:committedBy ?area }}
          OPTIONAL {{ ?s tlo:refPeriod|tlo:horizon ?period }}
        }}"""
    )
    found: dict[str, Expected] = {}
    for row in rows:
        name = str(row[0]).removeprefix(BASE)
        value = plain(Decimal(str(row[1] if row[1] is not None else row[2])))
        unit = "factor" if row[2] is not None else str(row[3]).rsplit("/", 1)[-1]
        # the data keeps growths in percent change and ranks as tlo:rank; the drafter's figure keys are
        # "percent" and "rank" for both readings of the words
        unit = {"percent-change": "percent"}.get(unit, unit)
        old = found.get(name)
        spans = {(int(row[4]), int(row[5]))} | (set(old.spans) if old else set())
        areas = ({str(row[6]).removeprefix(BASE)} if row[6] is not None else set()) | (
            set(old.areas) if old else set()
        )
        period = str(row[7]).removeprefix(BASE) if row[7] is not None else None
        found[name] = Expected(name, value, unit, frozenset(spans), frozenset(areas), period)
    return list(found.values())


def score_figures(draft: Draft, expected: list[Expected]) -> Score:
    """Recall and precision of a draft's figures against the expected ones."""
    drafted = [(f.value, f.unit, (f.sentence.start, f.sentence.end), f) for f in draft.figures]
    score = Score(expected=len(expected), drafted=len(drafted))
    for item in expected:
        matches = [f for v, u, s, f in drafted if v == item.value and u == item.unit and s in item.spans]
        if matches:
            score.recalled += 1
            score.same_area += any(f.area in item.areas for f in matches)
            score.same_period += any(f.period == item.period for f in matches)
        else:
            score.missed.append(f"{item.name} {item.value} {item.unit} {sorted(item.spans)}")
    for value, unit, span, figure in drafted:
        if any(value == e.value and unit == e.unit and span in e.spans for e in expected):
            score.correct += 1
        else:
            score.extra.append(
                f"{value} {unit} {span} “{figure.sentence.text[figure.mention_start - figure.sentence.start : figure.mention_end - figure.sentence.start]}”"
            )
    return score


def curated_entities(data: Graph, number: str) -> set[str]:
    """The entities the curated data says an article mentions."""
    rows = data.query(Q + f"SELECT ?e WHERE {{ <{BASE}id/article/{number}> schema:mentions ?e }}")
    return {str(r[0]).removeprefix(BASE) for r in rows}


def score_entities(draft: Draft, curated: set[str], full: Gazetteer) -> Score:
    """Recall and precision of a draft's entities (known by IRI, proposed by label) against curated ones."""
    keys: dict[tuple[str, ...], str] = {}
    for iri in curated:
        for label in full.labels.get(iri, ()):
            keys[label_key(label)] = iri
    found: set[str] = set()
    score = Score(expected=len(curated), drafted=len(draft.known) + len(draft.proposed))
    for iri in draft.known:
        if iri in curated:
            found.add(iri)
            score.correct += 1
        else:
            score.extra.append(iri)
    for iri in draft.proposed:
        label = draft.labels.get(iri, "")
        match = keys.get(label_key(label))
        if match is not None:
            found.add(match)
            score.correct += 1
        else:
            score.extra.append(f"{iri} “{label}”")
    score.recalled = len(found)
    score.missed = sorted(curated - found)
    return score


def published_dates(data: Graph) -> dict[str, str]:
    """The publication dates the curated articles print (ISO date-times)."""
    rows = data.query(Q + "SELECT ?a ?d WHERE { ?a a schema:NewsArticle ; schema:datePublished ?d }")
    return {str(r[0]).rsplit("/", 1)[-1]: str(r[1]) for r in rows if isinstance(r[1], Literal)}


def draft_of_curated(number: str, data: Graph) -> Draft:
    """The draft of one of the five articles, against the graph without that article's own data file."""
    text_name, data_file = ARTICLE_FILES[number]
    text = (ROOT / "data" / "articles" / text_name).read_text(encoding="utf-8")
    gazetteer = load_gazetteer(ROOT, BASE, skip=(data_file,))
    meta = Metadata(number, f"articles/{text_name}", published=published_dates(data).get(number))
    return build_draft(text, meta, gazetteer, named_spans(text))


def expected_of_test_article(path: Path) -> tuple[dict[str, str | None], list[Expected]]:
    """The metadata and hand-written expected figures of a test article (``NAME.expected.json``)."""
    spec = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    expected = []
    for i, item in enumerate(spec["figures"]):
        start = text.index(item["sentence"])
        expected.append(
            Expected(
                f"{path.stem}#{i + 1}",
                item["value"],
                item["unit"],
                frozenset({(start, start + len(item["sentence"]))}),
            )
        )
    return spec.get("metadata", {}), expected


def curated_data() -> Graph:
    """The curated data of the project, all files."""
    return sources_of("data")
