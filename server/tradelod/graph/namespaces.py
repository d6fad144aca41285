"""The prefixes the dataset uses: one table for Turtle bindings, the JSON-LD context and SPARQL."""

from __future__ import annotations

#: Prefixes of the vocabularies the dataset uses (base-independent).
VOCABULARIES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "qb": "http://purl.org/linked-data/cube#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
    "sdmx-attribute": "http://purl.org/linked-data/sdmx/2009/attribute#",
    "sdmx-measure": "http://purl.org/linked-data/sdmx/2009/measure#",
    "time": "http://www.w3.org/2006/time#",
    "oa": "http://www.w3.org/ns/oa#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "vann": "http://purl.org/vocab/vann/",
    "wd": "http://www.wikidata.org/entity/",
}


def dataset_prefixes(base: str) -> dict[str, str]:
    """The dataset's own prefixes (ontology, resources, shapes) for a given base IRI."""
    return {
        "tlo": f"{base}ontology#",
        "tl": f"{base}id/",
        "tls": f"{base}shapes#",
    }


def all_prefixes(base: str) -> dict[str, str]:
    """Every prefix, the dataset's first, in a stable order."""
    return {**dataset_prefixes(base), **VOCABULARIES}
