"""The entities the graph already has, found by their labels in a sentence.

Every place, organisation, person, initiative, agreement, event, product, brand and standard of the
project, under each of its labels (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``, French and
English), with its ``owl:sameAs`` links. Labels and text are compared folded: without accents, case,
elided articles, hyphens or plural and feminine endings, so that "Chinoises" finds "chinois" and
"Pékin" finds "pekin". The sources are read with pyoxigraph, which parses the project in a fraction
of a second.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from tradelod.graph.sources import source_files

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
)
SAME_AS = ("http://www.w3.org/2002/07/owl#sameAs", "http://www.w3.org/2004/02/skos/core#exactMatch")
#: The kinds of resource (``id/<kind>/``) that the articles name and a draft may refer to.
ENTITY_KINDS = ("place", "org", "person", "initiative", "agreement", "event", "product", "brand", "standard")
#: Articles and prepositions, left out of label keys ("la Ceinture et de la Route" is "Ceinture et Route").
_LEADING = {"le", "la", "les", "l", "un", "une", "de", "du", "d", "des"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORDS = 10


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word without accents, case, plural or feminine ending: ``"Chinoises"`` → ``"chinoi"``."""
    text = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))
    text = text.replace("œ", "oe").replace("æ", "ae")
    if len(text) > 4 and text.endswith("aux"):
        return text[:-3] + "al"
    if len(text) > 3 and text[-1] in "sx":
        text = text[:-1]
    if len(text) > 4 and text.endswith("e"):
        text = text[:-1]
    if len(text) > 3 and text.endswith("s"):
        text = text[:-1]
    return text


def words(text: str) -> list[tuple[str, int, int]]:
    """The words of a text, folded, with their code-point spans."""
    return [(fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


def label_key(label: str) -> tuple[str, ...]:
    """The folded words of a label, without leading articles."""
    return tuple(w for w, _, _ in words(label) if w not in _LEADING)


@dataclass
class Entity:
    """An entity of the graph: its IRI (relative to the base), kind, types, labels and links."""

    iri: str  # "id/place/kazakhstan"
    kind: str
    types: set[str] = field(default_factory=set)
    label_fr: str = ""
    label_en: str = ""
    links: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Match:
    """A span of a sentence that names one or more entities of the graph."""

    start: int
    end: int
    text: str
    iris: tuple[str, ...]


@dataclass
class Gazetteer:
    """The graph's entities and the index of their folded labels."""

    entities: dict[str, Entity]
    index: dict[tuple[str, ...], set[str]]
    labels: dict[str, set[str]] = field(
        default_factory=dict
    )  # relative IRI -> every label (variables, units …)
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # relative IRI -> rdfs:label by language

    def find(self, text: str) -> list[Match]:
        """The longest non-overlapping spans of ``text`` that are labels of known entities."""
        tokens = [t for t in words(text) if t[0] not in _LEADING]
        found: list[Match] = []
        i = 0
        while i < len(tokens):
            for n in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
                key = tuple(t for t, _, _ in tokens[i : i + n])
                iris = self.index.get(key)
                start, end = tokens[i][1], tokens[i + n - 1][2]
                if iris and n == 1 and not any(c.isupper() for c in text[start:end]):
                    # one lower-case word names a product ("cosmétiques"), not an organisation or a place
                    iris = {iri for iri in iris if self.entities[iri].kind in ("product", "standard")}
                if iris and not (n == 1 and len(key[0]) < 2):
                    found.append(Match(start, end, text[start:end], tuple(sorted(iris))))
                    i += n
                    break
            else:
                i += 1
        return found


def load_gazetteer(root: Path, base: str, skip: tuple[str, ...] = ()) -> Gazetteer:
    """Read every entity of the project at ``root`` (data files named in ``skip`` left out)."""
    entities: dict[str, Entity] = {}
    labels: dict[str, set[str]] = defaultdict(set)
    names: dict[str, dict[str, str]] = defaultdict(dict)
    for source in source_files(root):
        if source.kind != "data" or source.relative in skip:
            continue
        for quad in ox.parse(path=str(source.path), format=ox.RdfFormat.TURTLE, base_iri=base):
            subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
            if not isinstance(subject, ox.NamedNode) or not subject.value.startswith(base):
                continue
            iri = subject.value[len(base) :]
            parts = iri.split("/")
            if isinstance(obj, ox.Literal) and predicate in LABELS:
                labels[iri].add(obj.value)
                if predicate == LABELS[0] and obj.language:
                    names[iri][obj.language] = obj.value
            if len(parts) != 3 or parts[0] != "id" or parts[1] not in ENTITY_KINDS or "#" in iri:
                continue
            entity = entities.setdefault(iri, Entity(iri, parts[1]))
            if predicate == RDF_TYPE and isinstance(obj, ox.NamedNode):
                entity.types.add(obj.value)
            elif predicate in SAME_AS and isinstance(obj, ox.NamedNode):
                entity.links.add(obj.value)
            elif predicate == LABELS[0] and isinstance(obj, ox.Literal):
                if obj.language == "fr":
                    entity.label_fr = obj.value
                elif obj.language == "en":
                    entity.label_en = obj.value
    index: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for iri, entity in entities.items():
        if not entity.types:
            continue  # described elsewhere only by links or sentences: not an entity of these sources
        for label in labels.get(iri, ()):
            key = label_key(label)
            if key:
                index[key].add(iri)
    typed = {iri: e for iri, e in entities.items() if e.types}
    return Gazetteer(typed, dict(index), dict(labels), dict(names))
