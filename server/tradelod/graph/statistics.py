"""What the VoID description and the manifest count, read from the data's N-Triples lines.

A build with additional sources publishes millions of triples that never enter an rdflib graph, so
the counts (triples, entities, classes and properties with their sizes, distinct subjects and
objects, links into Wikidata, observations) are read from the sorted N-Triples statements the
dumps are written from: one pass, no parse beyond splitting each line at its first two spaces
(N-Triples writes an IRI or a blank node without spaces).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LINK_PREDICATES = (
    b"<http://www.w3.org/2002/07/owl#sameAs>",
    b"<http://www.w3.org/2004/02/skos/core#exactMatch>",
)
WIKIDATA_ENTITY = b"<http://www.wikidata.org/entity/"


@dataclass
class DataStatistics:
    """The counts of a dataset that VoID and the manifest publish."""

    triples: int = 0
    entities: int = 0
    observations: int = 0
    distinct_subjects: int = 0
    distinct_objects: int = 0
    classes: Counter[str] = field(default_factory=Counter)  # class IRI -> typed resources
    properties: Counter[str] = field(default_factory=Counter)  # property IRI -> triples
    links: Counter[str] = field(default_factory=Counter)  # link predicate IRI -> triples into Wikidata


def of_ntriples(lines: Iterable[bytes], base: str) -> DataStatistics:
    """Count a dataset from its distinct N-Triples statements (``b'<s> <p> o .'``, no line break)."""
    entity_space = f"<{base}id/".encode()
    dataset_space = f"<{base}".encode()
    stats = DataStatistics()
    subjects: set[bytes] = set()
    objects: set[bytes] = set()
    observations: set[bytes] = set()
    for line in lines:
        first = line.index(b" ")
        second = line.index(b" ", first + 1)
        subject, predicate, obj = line[:first], line[first + 1 : second], line[second + 1 : -2]
        stats.triples += 1
        subjects.add(subject)
        objects.add(obj)
        stats.properties[predicate[1:-1].decode()] += 1
        if predicate == RDF_TYPE:
            stats.classes[obj[1:-1].decode() if obj.startswith(b"<") else obj.decode()] += 1
            if obj.startswith(dataset_space) and obj.endswith(b"Observation>"):
                observations.add(subject)
        elif predicate in LINK_PREDICATES and obj.startswith(WIKIDATA_ENTITY):
            stats.links[predicate[1:-1].decode()] += 1
    stats.distinct_subjects = len(subjects)
    stats.distinct_objects = len(objects)
    stats.entities = sum(1 for s in subjects if s.startswith(entity_space) and b"#" not in s)
    stats.observations = len(observations)
    return stats
