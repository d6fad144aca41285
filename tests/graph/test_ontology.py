"""The ontology is OWL 2 DL, fully labelled and defined, and declares every term the data uses.

Each check is a query that must return nothing; a failure lists the offending IRIs
(schema.org's ``assertNoMatch`` style).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS, XSD

import tradelod
from support.project import sources_of
from tradelod.graph.sources import parse_file, source_files

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/tradelod/"
TLO = f"{BASE}ontology#"

PREFIXES = f"""
PREFIX owl: <{OWL}> PREFIX rdf: <{RDF}> PREFIX rdfs: <{RDFS}> PREFIX xsd: <{XSD}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dct: <http://purl.org/dc/terms/>
PREFIX vann: <http://purl.org/vocab/vann/>
"""

#: Datatypes of the OWL 2 datatype map that the ontology may use as ranges (plus rdfs:Literal).
OWL2_DATATYPE_MAP = {
    RDFS.Literal,
    RDF.PlainLiteral,
    RDF.XMLLiteral,
    OWL.real,
    OWL.rational,
    XSD.decimal,
    XSD.integer,
    XSD.nonNegativeInteger,
    XSD.nonPositiveInteger,
    XSD.positiveInteger,
    XSD.negativeInteger,
    XSD.long,
    XSD.int,
    XSD.short,
    XSD.byte,
    XSD.unsignedLong,
    XSD.unsignedInt,
    XSD.unsignedShort,
    XSD.unsignedByte,
    XSD.double,
    XSD.float,
    XSD.string,
    XSD.normalizedString,
    XSD.token,
    XSD.language,
    XSD.Name,
    XSD.NCName,
    XSD.NMTOKEN,
    XSD.boolean,
    XSD.hexBinary,
    XSD.base64Binary,
    XSD.anyURI,
    XSD.dateTime,
    XSD.dateTimeStamp,
}

#: The built-in vocabulary OWL 2 DL lets an ontology use without declaring it.
BUILTIN_PROPERTIES = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    RDFS.seeAlso,
    RDFS.isDefinedBy,
    OWL.sameAs,
    OWL.versionInfo,
    OWL.versionIRI,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.disjointWith,
    OWL.members,
    RDF.first,
    RDF.rest,
    OWL.imports,
}
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = sources_of("ontology")
    assert len(graph) > 500
    return graph


@pytest.fixture(scope="module")
def data() -> Graph:
    graph = Graph()
    files = [s for s in source_files(ROOT) if s.kind == "data"]
    assert len(files) >= 5, f"expected the article files and reference files, found {files}"
    for source in files:
        graph += parse_file(source.path, BASE)
    return graph


def no_match(graph: Graph, query: str) -> list[str]:
    return sorted(" ".join(str(v) for v in row) for row in graph.query(PREFIXES + query))


def test_header_is_complete(ontology: Graph) -> None:
    onto = URIRef(f"{BASE}ontology")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    for prop in ("title", "description", "license", "creator", "created", "modified"):
        assert ontology.value(onto, URIRef(f"http://purl.org/dc/terms/{prop}")) is not None, prop
    assert ontology.value(onto, OWL.versionIRI) == URIRef(f"{BASE}ontology/{tradelod.__version__}")
    assert str(ontology.value(onto, URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix"))) == "tlo"


def test_one_version_source(ontology: Graph) -> None:
    """The package version and owl:versionInfo agree (the dump names are checked in test_build)."""
    assert tradelod.__version__ == "0.1.0"
    assert str(ontology.value(URIRef(f"{BASE}ontology"), OWL.versionInfo)) == tradelod.__version__


def test_every_term_labelled_in_both_languages_and_defined(ontology: Graph) -> None:
    missing = no_match(
        ontology,
        f"""
        SELECT ?term ?what WHERE {{
          ?term a ?kind . FILTER(STRSTARTS(STR(?term), "{TLO}"))
          VALUES ?kind {{ owl:Class owl:ObjectProperty owl:DatatypeProperty }}
          {{ FILTER NOT EXISTS {{ ?term rdfs:label ?en FILTER(LANG(?en) = "en") }} BIND("label@en" AS ?what) }}
          UNION {{ FILTER NOT EXISTS {{ ?term rdfs:label ?fr FILTER(LANG(?fr) = "fr") }} BIND("label@fr" AS ?what) }}
          UNION {{ FILTER NOT EXISTS {{ ?term skos:definition ?d FILTER(LANG(?d) = "en") }} BIND("definition@en" AS ?what) }}
          UNION {{ FILTER NOT EXISTS {{ ?term skos:definition ?f FILTER(LANG(?f) = "fr") }} BIND("definition@fr" AS ?what) }}
          UNION {{ FILTER NOT EXISTS {{ ?term rdfs:isDefinedBy ?o }} BIND("isDefinedBy" AS ?what) }}
        }}""",
    )
    assert missing == []


def test_no_punning(ontology: Graph) -> None:
    """No IRI is declared as two kinds of entity (class, object, datatype or annotation property)."""
    punned = [
        str(t)
        for t in set(ontology.subjects(RDF.type, None))
        if sum((t, RDF.type, kind) in ontology for kind in KINDS) > 1
    ]
    assert sorted(punned) == []


def test_every_subject_is_typed(ontology: Graph) -> None:
    untyped = no_match(
        ontology,
        """
        SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) FILTER NOT EXISTS { ?s a ?t } }""",
    )
    assert untyped == []


def test_axioms_name_declared_terms_of_the_right_kind(ontology: Graph) -> None:
    wrong = no_match(
        ontology,
        """
        SELECT ?s ?p ?o WHERE {
          { ?s rdfs:subClassOf ?o FILTER(isIRI(?o)) FILTER NOT EXISTS { ?o a owl:Class } BIND(rdfs:subClassOf AS ?p) }
          UNION { ?s rdfs:domain ?o FILTER NOT EXISTS { ?o a owl:Class } BIND(rdfs:domain AS ?p) }
          UNION { ?s a owl:ObjectProperty ; rdfs:range ?o FILTER NOT EXISTS { ?o a owl:Class } BIND(rdfs:range AS ?p) }
          UNION { ?s rdfs:subPropertyOf ?o ; a ?k VALUES ?k { owl:ObjectProperty owl:DatatypeProperty }
                  FILTER NOT EXISTS { ?o a ?k } BIND(rdfs:subPropertyOf AS ?p) }
        }""",
    )
    assert wrong == []


def test_datatype_ranges_are_in_the_owl2_datatype_map(ontology: Graph) -> None:
    ranges = {
        (str(p), str(r))
        for p in ontology.subjects(RDF.type, OWL.DatatypeProperty)
        for r in ontology.objects(p, RDFS.range)
        if r not in OWL2_DATATYPE_MAP
    }
    assert sorted(ranges) == []


def test_no_reserved_vocabulary_is_redefined(ontology: Graph) -> None:
    reserved = (str(RDF), str(RDFS), str(OWL), str(XSD))
    redefined = {str(s) for s, p, _ in ontology if p != RDF.type and str(s).startswith(reserved)}
    assert sorted(redefined) == []


def test_every_term_the_data_uses_is_declared(ontology: Graph, data: Graph) -> None:
    declared = {s for kind in KINDS for s in ontology.subjects(RDF.type, kind)}
    undeclared_properties = {str(p) for _, p, _ in data if p not in declared and p not in BUILTIN_PROPERTIES}
    undeclared_classes = {
        str(c) for c in data.objects(None, RDF.type) if (c, RDF.type, OWL.Class) not in ontology
    }
    assert sorted(undeclared_properties) == []
    assert sorted(undeclared_classes) == []


def test_data_uses_properties_according_to_their_kind(ontology: Graph, data: Graph) -> None:
    """An object property never takes a literal and a datatype property never takes an IRI (DL typing)."""
    objects = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    datatypes = set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    misuse = sorted(
        {
            f"{p} {s}"
            for s, p, o in data
            if (p in objects and not isinstance(o, URIRef)) or (p in datatypes and isinstance(o, URIRef))
        }
    )
    assert misuse == []


def test_ontology_terms_in_our_namespace_are_all_declared(ontology: Graph, data: Graph) -> None:
    used = {t for triple in data for t in triple if isinstance(t, URIRef) and str(t).startswith(TLO)}
    used |= {t for triple in ontology for t in triple if isinstance(t, URIRef) and str(t).startswith(TLO)}
    declared = {s for kind in KINDS for s in ontology.subjects(RDF.type, kind)}
    assert sorted(str(t) for t in used - declared) == []


# ---------------------------------------------------------------- the files of the ontology


def canonical_sha256(graph: Graph) -> str:
    """A hash of a graph's triples that does not depend on blank-node labels or file layout."""
    lines = sorted(to_canonical_graph(graph).serialize(format="nt", encoding="utf-8").decode().splitlines())
    return hashlib.sha256("\n".join(line for line in lines if line).encode()).hexdigest()


def test_the_split_into_files_kept_every_triple(ontology: Graph) -> None:
    """The ontology was one file; split into core, alignments and declarations it is the same graph.

    The value was the hash of the ontology's triples when it was one file (commit 03000c6). A deliberate
    change of the ontology changes it in the same commit: issue 12 added the share and rank observation
    classes, tlo:rank, tlo:precision, tlo:statedWith, the cube dimensions (tlo:counterpart,
    tlo:productDimension, tlo:figureNumber), ranges for tlo:observationOf/observedArea/counterpartArea,
    merged the date properties (tlo:month, tlo:foundingYear, tlo:originYear removed, tlo:launchYear became
    tlo:launchDate), declared the OWL-Time and Data Cube terms the data and the cube use, and gave every
    term a French definition beside its English one.
    """
    assert len(ontology) == 1143
    assert canonical_sha256(ontology) == "9f92824d8c9fe04d33ade4989f97dcf062ad10b06de3c7112e12981e9cb81f31"


def test_core_alignments_and_declarations_each_hold_their_own_kind_of_triple() -> None:
    folder = ROOT / "ontology"
    alignment = (RDFS.subClassOf, RDFS.subPropertyOf)
    core = parse_file(folder / "core.ttl", BASE)
    assert [t for t in core if t[1] in alignment and not str(t[2]).startswith(TLO)] == []
    declarations = parse_file(folder / "declarations.ttl", BASE)
    assert len(declarations) > 50
    assert [s for s in set(declarations.subjects()) if str(s).startswith(TLO)] == []
    files = sorted((folder / "alignments").glob("*.ttl"))
    assert [f.stem for f in files] == ["datacube", "org", "prov", "schema", "skos", "time", "web-annotation"]
    for path in files:
        graph = parse_file(path, BASE)
        assert len(graph) > 0, path
        for s, p, o in graph:
            assert str(s).startswith(TLO) and p in alignment and not str(o).startswith(TLO), (path, s, p, o)
