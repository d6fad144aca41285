"""The VoID + DCAT description of the dataset: statistics, dumps, endpoint, Wikidata linksets."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, VOID, XSD

from .catalogue import (
    LICENSE,
    describe_articles,
    describe_catalogue,
    describe_coverage,
    describe_distribution,
    describe_publisher,
    describe_service,
)
from .dumps import RDF_DUMP_TYPES, DumpFile
from .namespaces import all_prefixes
from .statistics import DataStatistics, of_ntriples

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
WIKIDATA = "http://www.wikidata.org/entity/"


def dataset_iri(base: str) -> URIRef:
    """The IRI of the dataset itself."""
    return URIRef(f"{base}dataset")


def describe_dataset(
    base: str,
    data: Graph,
    version: str,
    dumps: list[DumpFile],
    modified: str,
    texts: list[DumpFile] | None = None,
    stats: DataStatistics | None = None,
) -> Graph:
    """Build the VoID/DCAT (DCAT-AP 3.0) graph for ``data``, its dump files and the article ``texts``.

    ``stats``: the counts of everything published (additional sources included), when the caller has
    them; otherwise they are counted from ``data``.
    """
    counts = stats if stats is not None else graph_statistics(data, base)
    g = Graph()
    for prefix, ns in all_prefixes(base).items():
        g.bind(prefix, ns)
    g.bind("spdx", SPDX)
    ds = dataset_iri(base)
    entity_space = f"{base}id/"
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDFS.label, Literal("tradelod", lang="en")))
    g.add(
        (ds, DCTERMS.title, Literal("tradelod: China's trade relations as reported in the press", lang="en"))
    )
    g.add(
        (
            ds,
            DCTERMS.title,
            Literal("tradelod : les relations commerciales de la Chine vues par la presse", lang="fr"),
        )
    )
    g.add(
        (
            ds,
            DCTERMS.description,
            Literal(
                "Figures, deals, initiatives and players of China's trade with Singapore, ASEAN, Kazakhstan and the "
                "world, as stated in five French news articles, each fact traced to its sentence.",
                lang="en",
            ),
        )
    )
    g.add((ds, DCTERMS.license, LICENSE))
    g.add((ds, OWL.versionInfo, Literal(version)))
    g.add((ds, URIRef(f"{DCAT}version"), Literal(version)))  # DCAT 3 (rdflib knows DCAT 2)
    describe_publisher(g, ds, base, modified)
    describe_coverage(g, ds, data, base)
    g.add((ds, VOID.uriSpace, Literal(entity_space)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(f"{base}sparql")))
    g.add((ds, VOID.rootResource, URIRef(f"{base}id/scheme/products")))
    g.add((ds, VOID.vocabulary, URIRef(f"{base}ontology")))
    g.add((ds, FOAF.homepage, URIRef(base)))
    for prefix in ("schema", "prov", "org", "qb", "skos", "oa", "time", "dct"):
        g.add((ds, VOID.vocabulary, URIRef(all_prefixes(base)[prefix])))
    for example in (
        "relation/kazakhstan-china",
        "place/chongqing",
        "initiative/china-singapore-connectivity-initiative",
    ):
        g.add((ds, VOID.exampleResource, URIRef(f"{entity_space}{example}")))

    _statistics(g, ds, counts, entity_space)
    _linksets(g, ds, counts, base)
    _distributions(g, ds, base, dumps)
    articles = describe_articles(g, ds, base, texts or [])
    describe_catalogue(g, [ds, articles], URIRef(f"{base}sparql"), base, modified)
    return g


def graph_statistics(data: Graph, base: str) -> DataStatistics:
    """The counts of an rdflib graph (through its N-Triples statements, as for the dumps)."""
    written = ox.serialize(
        ox.parse(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES),
        format=ox.RdfFormat.N_TRIPLES,
    )
    assert written is not None
    return of_ntriples({line for line in written.split(b"\n") if line}, base)


def _statistics(g: Graph, ds: URIRef, data: DataStatistics, entity_space: str) -> None:
    g.add((ds, VOID.triples, Literal(data.triples)))
    g.add((ds, VOID.entities, Literal(data.entities)))
    g.add((ds, VOID.classes, Literal(len(data.classes))))
    g.add((ds, VOID.properties, Literal(len(data.properties))))
    g.add((ds, VOID.distinctSubjects, Literal(data.distinct_subjects)))
    g.add((ds, VOID.distinctObjects, Literal(data.distinct_objects)))
    for cls, count in sorted(data.classes.items()):
        part = URIRef(f"{ds}#class-{_slug(cls)}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(count)))
    for prop, count in sorted(data.properties.items()):
        part = URIRef(f"{ds}#property-{_slug(prop)}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(count)))


def _linksets(g: Graph, ds: URIRef, data: DataStatistics, base: str) -> None:
    wikidata = URIRef("http://www.wikidata.org/")
    g.add((wikidata, RDF.type, VOID.Dataset))
    g.add((wikidata, RDFS.label, Literal("Wikidata", lang="en")))
    g.add((wikidata, VOID.uriSpace, Literal(WIKIDATA)))
    for predicate, name in ((OWL.sameAs, "wikidata-sameas"), (SKOS.exactMatch, "wikidata-exactmatch")):
        count = data.links[str(predicate)]
        if not count:
            continue
        linkset = URIRef(f"{base}dataset/{name}")
        g.add((ds, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add(
            (
                linkset,
                RDFS.label,
                Literal(f"Links to Wikidata ({predicate.n3(g.namespace_manager)})", lang="en"),
            )
        )
        g.add((linkset, VOID.subjectsTarget, ds))
        g.add((linkset, VOID.objectsTarget, wikidata))
        g.add((linkset, VOID.linkPredicate, predicate))
        g.add((linkset, VOID.triples, Literal(count)))


def add_sources(void: Graph, base: str, sources: list[tuple[str, int]]) -> None:
    """Each additional source's named graph as a subset of the dataset, with its number of triples."""
    ds = dataset_iri(base)
    for graph, triples in sources:
        subset = URIRef(graph)
        void.add((ds, VOID.subset, subset))
        void.add((subset, RDF.type, VOID.Dataset))
        void.add((subset, VOID.triples, Literal(triples)))
        void.add((subset, DCTERMS.isPartOf, ds))


def _distributions(g: Graph, ds: URIRef, base: str, dumps: list[DumpFile]) -> None:
    for dump in sorted(dumps, key=lambda d: d.name):
        url = URIRef(f"{base}dumps/{dump.name}")
        if dump.media_type in RDF_DUMP_TYPES:
            g.add((ds, VOID.dataDump, url))
        g.add((ds, DCAT.distribution, url))
        g.add((url, RDF.type, DCAT.Distribution))
        g.add((url, DCTERMS.title, Literal(dump.title, lang="en")))
        g.add((url, DCAT.downloadURL, url))
        describe_distribution(g, url, dump)
        g.add((url, DCAT.byteSize, Literal(dump.bytes, datatype=XSD.nonNegativeInteger)))
        if dump.media_type in RDF_DUMP_TYPES:
            g.add((url, VOID.triples, Literal(dump.triples)))
        g.add((url, DCTERMS.license, LICENSE))
        checksum = URIRef(f"{url}#sha256")
        g.add((url, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
    service = URIRef(f"{base}sparql")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, RDF.type, SD.Service))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, SD.endpoint, service))
    describe_service(g, service, base)
    g.add((ds, DCAT.accessService, service))


def _slug(iri: object) -> str:
    text = str(iri)
    for sep in ("#", "/"):
        text = text.replace(sep, "_")
    return "".join(c for c in text.split("://", 1)[-1] if c.isalnum() or c in "_-.")
