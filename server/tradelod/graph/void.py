"""The VoID + DCAT description of the dataset: statistics, dumps, endpoint, Wikidata linksets."""

from __future__ import annotations

from collections import Counter

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
) -> Graph:
    """Build the VoID/DCAT (DCAT-AP 3.0) graph for ``data``, its dump files and the article ``texts``."""
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

    _statistics(g, ds, data, entity_space)
    _linksets(g, ds, data, base)
    _distributions(g, ds, base, dumps)
    articles = describe_articles(g, ds, base, texts or [])
    describe_catalogue(g, [ds, articles], URIRef(f"{base}sparql"), base, modified)
    return g


def _statistics(g: Graph, ds: URIRef, data: Graph, entity_space: str) -> None:
    subjects = {s for s in data.subjects() if isinstance(s, URIRef)}
    entities = {s for s in subjects if str(s).startswith(entity_space) and "#" not in str(s)}
    classes = Counter(o for _, o in data.subject_objects(RDF.type))
    properties = Counter(p for _, p, _ in data)
    g.add((ds, VOID.triples, Literal(len(data))))
    g.add((ds, VOID.entities, Literal(len(entities))))
    g.add((ds, VOID.classes, Literal(len(classes))))
    g.add((ds, VOID.properties, Literal(len(properties))))
    g.add((ds, VOID.distinctSubjects, Literal(len(set(data.subjects())))))
    g.add((ds, VOID.distinctObjects, Literal(len(set(data.objects())))))
    for cls, count in sorted(classes.items()):
        part = URIRef(f"{ds}#class-{_slug(cls)}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(count)))
    for prop, count in sorted(properties.items()):
        part = URIRef(f"{ds}#property-{_slug(prop)}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, prop))
        g.add((part, VOID.triples, Literal(count)))


def _linksets(g: Graph, ds: URIRef, data: Graph, base: str) -> None:
    wikidata = URIRef("http://www.wikidata.org/")
    g.add((wikidata, RDF.type, VOID.Dataset))
    g.add((wikidata, RDFS.label, Literal("Wikidata", lang="en")))
    g.add((wikidata, VOID.uriSpace, Literal(WIKIDATA)))
    for predicate, name in ((OWL.sameAs, "wikidata-sameas"), (SKOS.exactMatch, "wikidata-exactmatch")):
        count = sum(1 for _, o in data.subject_objects(predicate) if str(o).startswith(WIKIDATA))
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
