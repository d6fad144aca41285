"""What data catalogues need to harvest the dataset (DCAT-AP 3.0): publisher, contact, licences, coverage.

``void.describe_dataset`` calls these to add, beside VoID: who publishes and made the data and how to
reach them, the licence of the data (CC BY 4.0) and, separately, the rights in the article texts it
quotes (its publishers' works, quoted sentence by sentence, not licensed by us), keywords and an EU
data theme, the spatial and temporal coverage read from the observations, the formats and media types
of every distribution, the article texts as a dataset of their own, and a ``dcat:Catalog`` holding it
all. Terms are those DCAT-AP 3.0 names, with values from the EU vocabularies it recommends (data
themes, file types, languages) and IANA media types.
"""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from .dumps import DumpFile

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
ECONOMY = URIRef(f"{EU}data-theme/ECON")
FRENCH = URIRef(f"{EU}language/FRA")
#: EU file type of each dump's media type (the "format" DCAT-AP recommends beside the media type).
FILE_TYPES = {
    "text/turtle": "RDF_TURTLE",
    "application/ld+json": "JSON_LD",
    "application/n-triples": "RDF_N_TRIPLES",
    "application/n-quads": "RDF_N_QUADS",
    "text/csv": "CSV",
    "application/csvm+json": "JSON",
    "text/plain": "TXT",
}
KEYWORDS = {
    "en": (
        "trade",
        "China",
        "Kazakhstan",
        "Singapore",
        "ASEAN",
        "Chongqing",
        "e-commerce",
        "statistics",
        "press",
    ),
    "fr": (
        "commerce",
        "Chine",
        "Kazakhstan",
        "Singapour",
        "ASEAN",
        "Chongqing",
        "commerce électronique",
        "statistiques",
        "presse",
    ),
}
ARTICLES_RIGHTS = (
    "The five article texts (served under /articles/) and the sentences quoted from them in the data "
    "(oa:exact of every source quote) are the works of their publishers and authors (le Quotidien du Peuple en "
    "ligne and La Gazette where the articles name them; the others print no publisher). They are not licensed "
    "under CC BY 4.0 or any licence of ours: tradelod keeps a copy of each text so that every fact can be "
    "checked against its exact sentence and character offsets, and quotes single sentences with their source "
    "named, as short quotations for analysis and information (right of quotation, e.g. article L122-5 3° a) of "
    "the French Code de la propriété intellectuelle). Reuse of the texts themselves needs their publishers' "
    "permission."
)
DATA_RIGHTS = (
    "The data (figures, relations, links, labels, descriptions written for tradelod), the ontology and the "
    "shapes are licensed under CC BY 4.0. The French sentences quoted in it (oa:exact) are not: they remain "
    "their publishers' works, quoted under the right of quotation (see the rights of the article texts)."
)


def describe_publisher(g: Graph, ds: URIRef, base: str, modified: str) -> None:
    """Publisher, creator, contact point, licences, keywords, theme, issue date and conformance of the dataset."""
    publisher = URIRef(f"{base}dataset#publisher")
    contact = URIRef(f"{base}dataset#contact")
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal("The tradelod team", lang="en")))
    g.add((publisher, FOAF.name, Literal("L'équipe tradelod", lang="fr")))
    g.add((publisher, FOAF.homepage, URIRef(base)))
    g.add((URIRef(base), RDF.type, FOAF.Document))
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal("tradelod")))
    g.add((contact, VCARD.hasURL, URIRef(base)))
    for prop, value in (
        (DCTERMS.publisher, publisher),
        (DCTERMS.creator, publisher),
        (DCAT.contactPoint, contact),
    ):
        g.add((ds, prop, value))
    g.add((LICENSE, RDF.type, DCTERMS.LicenseDocument))
    g.add(
        (
            LICENSE,
            RDFS.label,
            Literal("Creative Commons Attribution 4.0 International (CC BY 4.0)", lang="en"),
        )
    )
    attribution = URIRef("http://purl.org/adms/licencetype/Attribution")  # the ADMS licence type of CC BY
    g.add((LICENSE, DCTERMS.type, attribution))
    g.add((attribution, RDF.type, SKOS.Concept))
    g.add((attribution, SKOS.prefLabel, Literal("Attribution", lang="en")))
    rights = URIRef(f"{base}dataset#rights")
    g.add((rights, RDF.type, DCTERMS.RightsStatement))
    g.add((rights, RDFS.label, Literal(DATA_RIGHTS, lang="en")))
    g.add((ds, DCTERMS.rights, rights))
    for lang, words in KEYWORDS.items():
        for word in words:
            g.add((ds, DCAT.keyword, Literal(word, lang=lang)))
    g.add((ds, DCAT.theme, ECONOMY))
    g.add((ECONOMY, RDF.type, SKOS.Concept))
    g.add((ECONOMY, SKOS.prefLabel, Literal("Economy and finance", lang="en")))
    g.add((ds, DCTERMS.issued, Literal("2026-11-23", datatype=XSD.date)))
    g.add((ds, DCTERMS.language, FRENCH))
    g.add((FRENCH, RDF.type, DCTERMS.LinguisticSystem))
    ontology = URIRef(f"{base}ontology")
    g.add((ds, DCTERMS.conformsTo, ontology))
    g.add((ontology, RDF.type, DCTERMS.Standard))
    if modified:
        g.add((ds, DCTERMS.modified, Literal(modified, datatype=XSD.date)))


def describe_coverage(g: Graph, ds: URIRef, data: Graph, base: str) -> None:
    """Spatial coverage (the reference areas of the figures) and temporal coverage (their periods' bounds)."""
    tlo = Namespace(f"{base}ontology#")
    areas = sorted({a for a in data.objects(None, tlo.observedArea) if isinstance(a, URIRef)}, key=str)
    for area in areas:
        # a location of the catalogue record, pointing at the place: typing the place itself as a
        # dct:Location would add a type to the data's own description of it
        location = URIRef(f"{base}dataset#spatial-{str(area).rsplit('/', 1)[-1]}")
        g.add((ds, DCTERMS.spatial, location))
        g.add((location, RDF.type, DCTERMS.Location))
        g.add((location, RDFS.seeAlso, area))
        for label in data.objects(area, RDFS.label):
            g.add((location, SKOS.prefLabel, label))
    periods = set(data.objects(None, tlo.refPeriod))
    starts = sorted(str(d) for p in periods for d in data.objects(p, tlo.startDate))
    ends = sorted(str(d) for p in periods for d in data.objects(p, tlo.endDate))
    if starts and ends:
        temporal = URIRef(f"{base}dataset#temporal")
        g.add((ds, DCTERMS.temporal, temporal))
        g.add((temporal, RDF.type, DCTERMS.PeriodOfTime))
        g.add((temporal, DCAT.startDate, Literal(starts[0], datatype=XSD.date)))
        g.add((temporal, DCAT.endDate, Literal(ends[-1], datatype=XSD.date)))


def describe_distribution(g: Graph, url: URIRef, dump: DumpFile) -> None:
    """What DCAT-AP asks of a distribution beyond VoID: access URL, typed media type, EU format, licence."""
    g.add((url, DCAT.accessURL, url))
    g.add((url, DCTERMS.description, Literal(dump.title, lang="en")))
    media = URIRef(f"{IANA}{dump.media_type}")
    g.add((url, DCAT.mediaType, media))
    g.add((media, RDF.type, DCTERMS.MediaType))
    file_type = FILE_TYPES.get(dump.media_type)
    if file_type:
        g.add((url, DCTERMS.format, URIRef(f"{EU}file-type/{file_type}")))
        g.add((URIRef(f"{EU}file-type/{file_type}"), RDF.type, DCTERMS.MediaTypeOrExtent))
    if dump.encoding == "gzip":
        gzip = URIRef(f"{IANA}application/gzip")
        g.add((url, DCAT.compressFormat, gzip))
        g.add((gzip, RDF.type, DCTERMS.MediaType))


def describe_service(g: Graph, service: URIRef, base: str) -> None:
    """The SPARQL endpoint as a DCAT-AP data service: title, description, endpoint description, licence."""
    g.add((service, DCTERMS.title, Literal("tradelod SPARQL endpoint", lang="en")))
    g.add((service, DCTERMS.title, Literal("point d'accès SPARQL de tradelod", lang="fr")))
    g.add(
        (
            service,
            DCTERMS.description,
            Literal(
                "A public, read-only SPARQL 1.1 endpoint over the whole dataset (W3C SPARQL 1.1 Protocol).",
                lang="en",
            ),
        )
    )
    g.add((service, DCAT.endpointDescription, service))  # GET without a query answers the service description
    g.add((service, DCTERMS.license, LICENSE))
    protocol = URIRef("https://www.w3.org/TR/sparql11-protocol/")
    g.add((service, DCTERMS.conformsTo, protocol))
    g.add((protocol, RDF.type, DCTERMS.Standard))


def describe_articles(g: Graph, ds: URIRef, base: str, texts: list[DumpFile]) -> URIRef:
    """The article texts as a dataset of their own, with their rights (not our licence) and one distribution each."""
    articles = URIRef(f"{base}dataset/articles")
    g.add((articles, RDF.type, DCAT.Dataset))
    g.add((articles, DCTERMS.title, Literal("The five source articles", lang="en")))
    g.add((articles, DCTERMS.title, Literal("Les cinq articles sources", lang="fr")))
    g.add(
        (
            articles,
            DCTERMS.description,
            Literal(
                "Plain-text copies of the five French news articles whose facts tradelod records; the source "
                "quotes of the data point into them by character offsets.",
                lang="en",
            ),
        )
    )
    rights = URIRef(f"{base}dataset/articles#rights")
    g.add((rights, RDF.type, DCTERMS.RightsStatement))
    g.add((rights, RDFS.label, Literal(ARTICLES_RIGHTS, lang="en")))
    g.add((articles, DCTERMS.rights, rights))
    g.add((articles, DCTERMS.language, FRENCH))
    g.add((articles, DCTERMS.publisher, URIRef(f"{base}dataset#publisher")))
    g.add((ds, DCTERMS.source, articles))
    # the texts cover what the data covers, and are reached the same way
    for prop in (
        DCAT.contactPoint,
        DCAT.theme,
        DCAT.keyword,
        DCTERMS.spatial,
        DCTERMS.temporal,
        DCTERMS.issued,
    ):
        for value in list(g.objects(ds, prop)):
            g.add((articles, prop, value))
    for text in sorted(texts, key=lambda t: t.name):
        url = URIRef(f"{base}articles/{text.name}")
        g.add((articles, DCAT.distribution, url))
        g.add((url, RDF.type, DCAT.Distribution))
        g.add((url, DCTERMS.title, Literal(text.title, lang="en")))
        g.add((url, DCAT.downloadURL, url))
        g.add((url, DCAT.byteSize, Literal(text.bytes, datatype=XSD.nonNegativeInteger)))
        g.add((url, DCTERMS.rights, rights))
        describe_distribution(g, url, text)
        checksum = URIRef(f"{url}#sha256")
        g.add((url, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(text.sha256, datatype=XSD.hexBinary)))
    return articles


def describe_catalogue(g: Graph, datasets: list[URIRef], service: URIRef, base: str, modified: str) -> None:
    """The catalogue that portals harvest: the datasets and the data service, with publisher and licence."""
    catalogue = URIRef(f"{base}dataset#catalogue")
    g.add((catalogue, RDF.type, DCAT.Catalog))
    g.add((catalogue, DCTERMS.title, Literal("tradelod catalogue", lang="en")))
    g.add((catalogue, DCTERMS.title, Literal("catalogue de tradelod", lang="fr")))
    g.add(
        (
            catalogue,
            DCTERMS.description,
            Literal("The datasets and the SPARQL endpoint that tradelod publishes.", lang="en"),
        )
    )
    g.add((catalogue, DCTERMS.publisher, URIRef(f"{base}dataset#publisher")))
    g.add((catalogue, FOAF.homepage, URIRef(base)))
    g.add((catalogue, DCTERMS.license, LICENSE))
    g.add((catalogue, DCTERMS.language, FRENCH))
    taxonomy = URIRef(f"{EU}data-theme")
    g.add((catalogue, DCAT.themeTaxonomy, taxonomy))
    g.add((taxonomy, RDF.type, SKOS.ConceptScheme))
    g.add((taxonomy, DCTERMS.title, Literal("Data theme", lang="en")))
    for ds in datasets:
        g.add((catalogue, DCAT.dataset, ds))
    for prop in (DCTERMS.issued, DCTERMS.spatial):
        for value in list(g.objects(datasets[0], prop)):
            g.add((catalogue, prop, value))
    for prop in (DCAT.contactPoint, DCAT.theme, DCAT.keyword, DCTERMS.publisher):
        for value in list(g.objects(datasets[0], prop)):
            g.add((service, prop, value))
    g.add((catalogue, DCAT.service, service))
    if modified:
        g.add((catalogue, DCTERMS.modified, Literal(modified, datatype=XSD.date)))
