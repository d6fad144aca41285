"""RDF documents written straight from pyoxigraph triples: Turtle, N-Triples, RDF/XML and compact JSON-LD.

Descriptions, CONSTRUCT answers and dumps are sets of pyoxigraph triples; going through an rdflib
``Graph`` to write them cost about 20 times pyoxigraph's own serialisers (every term converted,
indexed, then written by Python code). Turtle, N-Triples and RDF/XML are written by pyoxigraph,
from sorted triples, so the bytes are stable.

pyoxigraph writes JSON-LD only in expanded form, and the documents are compacted with the published
``@context``. ``jsonld_document`` does that compaction itself, with rdflib's own rules (its
``Context`` chooses the terms, compact IRIs and coercions, exactly as rdflib's JSON-LD serialiser
does; ``tests/graph/test_writers.py`` checks both give the same document), but without building a
graph. Graphs with blank nodes (the ontology's and the shapes' OWL and SHACL lists) are left to
rdflib's serialiser, which writes their lists as ``@list``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.plugins.shared.jsonld.context import UNDEF, Context
from rdflib.plugins.shared.jsonld.keys import ID, LANG, LIST, SET, VOCAB

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
XSD_STRING = f"{XSD}string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#: Datatypes rdflib writes as native JSON values (numbers, booleans) under an active context.
_NATIVE = {f"{XSD}boolean", f"{XSD}integer", f"{XSD}double"}


def sort_key(triple: ox.Triple) -> tuple[str, str, str]:
    """The order documents list their triples in (N-Triples forms of subject, predicate, object)."""
    return str(triple.subject), str(triple.predicate), str(triple.object)


def turtle(triples: Iterable[ox.Triple], prefixes: dict[str, str]) -> bytes:
    """Turtle with the given prefixes, written by pyoxigraph from sorted triples (stable bytes).

    pyoxigraph keeps every literal's lexical form (``"347"^^xsd:decimal`` stays ``347``).
    """
    return _bytes(
        ox.serialize(sorted(set(triples), key=sort_key), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    )


def ntriples(triples: Iterable[ox.Triple]) -> bytes:
    """N-Triples, one statement per line, sorted, UTF-8."""
    lines = {str(t) + " ." for t in triples}
    return ("\n".join(sorted(lines)) + "\n").encode("utf-8") if lines else b"\n"


def rdf_xml(triples: Iterable[ox.Triple], prefixes: dict[str, str]) -> bytes:
    """RDF/XML written by pyoxigraph from sorted triples."""
    return _bytes(
        ox.serialize(sorted(set(triples), key=sort_key), format=ox.RdfFormat.RDF_XML, prefixes=prefixes)
    )


def has_blank_nodes(triples: Iterable[ox.Triple]) -> bool:
    """Whether any triple has a blank node (then JSON-LD goes through rdflib, which writes lists)."""
    return any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)


def jsonld_document(
    triples: Iterable[ox.Triple], context: dict[str, Any], presorted: bool = False
) -> dict[str, Any]:
    """The compact JSON-LD document of IRI-and-literal triples, as rdflib's serialiser builds it.

    One node per subject; a single node is the document itself, several are its ``@graph``; the
    context is included. Blank nodes are refused (``has_blank_nodes``): rdflib writes those.
    ``presorted``: the triples are distinct and in ``sort_key`` order already (the dumps').
    """
    compactor = _compactor(json.dumps(context, sort_keys=True))
    nodes: dict[str, dict[str, Any]] = {}
    for triple in triples if presorted else sorted(set(triples), key=sort_key):
        subject = triple.subject
        if not isinstance(subject, ox.NamedNode) or isinstance(triple.object, ox.BlankNode | ox.Triple):
            raise ValueError("blank nodes and triple terms are written by rdflib's serialiser")
        key = compactor.shrink(subject.value)
        node = nodes.get(key)
        if node is None:
            node = nodes[key] = {"@id": key}
        compactor.add(node, triple.predicate.value, triple.object)
    listed = list(nodes.values())
    document: dict[str, Any] = dict(listed[0]) if len(listed) == 1 else {"@graph": listed}
    document["@context"] = context
    return document


def jsonld_text(document: dict[str, Any]) -> str:
    """A JSON-LD document as rdflib writes it (two-space indent, sorted keys, UTF-8 kept)."""
    return json.dumps(document, indent=2, separators=(",", ": "), sort_keys=True, ensure_ascii=False)


class _Compactor:
    """rdflib's JSON-LD compaction (``rdflib.plugins.serializers.jsonld.Converter``) for one context,
    for IRI and literal objects, with every term decision remembered per predicate and datatype."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = Context(context)
        self._shrunk: dict[str, str] = {}
        self._symbols: dict[str, str] = {}
        self._literal_terms: dict[tuple[str, str | None, str | None], Any] = {}
        self._iri_terms: dict[str, Any] = {}

    def shrink(self, iri: str) -> str:
        """An IRI as rdflib writes an ``@id`` (a compact IRI only where a prefix is its namespace)."""
        found = self._shrunk.get(iri)
        if found is None:
            found = self._shrunk[iri] = self.context.shrink_iri(iri)
        return found

    def symbol(self, iri: str) -> str:
        """An IRI as rdflib writes a property or a type (a term, a compact IRI, or the IRI)."""
        found = self._symbols.get(iri)
        if found is None:
            found = self._symbols[iri] = str(self.context.to_symbol(iri))
        return found

    def add(self, node: dict[str, Any], predicate: str, obj: ox.NamedNode | ox.Literal) -> None:
        """Add one (predicate, object) to a node, as rdflib's ``Converter.add_to_node`` does."""
        language = obj.language if isinstance(obj, ox.Literal) else None
        datatype = _datatype(obj) if isinstance(obj, ox.Literal) else None
        term = self._term(predicate, obj, datatype, language)
        value: Any = None
        if term is not None:
            key = term.name
            if term.type:
                value = self._coerce(obj, term.type, datatype)
            elif term.language and language == term.language:
                value = obj.value
            if LIST in term.container:
                raise ValueError("lists are written by rdflib's serialiser")
            if LANG in term.container and language:
                languages = node.setdefault(key, {})
                held = languages.get(language)
                if held or SET in term.container:
                    if not isinstance(held, list):
                        languages[language] = held = [held]
                    held.append(obj.value)
                else:
                    languages[language] = obj.value
                return
            use_set = SET in term.container
        else:
            use_set = False
            key = self.symbol(predicate)
            key_term = self.context.terms.get(key)
            if key_term and (key_term.type or key_term.container):
                key = predicate
            if predicate == RDF_TYPE:
                if isinstance(obj, ox.NamedNode):
                    value = self.symbol(obj.value)
                key = self.context.type_key
        if value is None:
            value = self._raw(obj, datatype)
        held = node.get(key)
        if held:
            if not isinstance(held, list):
                held = [held]
            held.append(value)
        elif use_set:
            held = [value]
        else:
            held = value
        node[key] = held

    def _term(self, predicate: str, obj: Any, datatype: str | None, language: str | None) -> Any:
        if isinstance(obj, ox.Literal):
            lookup = (predicate, datatype, language)
            if lookup not in self._literal_terms:
                self._literal_terms[lookup] = self.context.find_term(predicate, datatype, language=language)
            return self._literal_terms[lookup]
        if predicate not in self._iri_terms:
            found = None
            for coercion in (ID, VOCAB, UNDEF):
                found = self.context.find_term(predicate, coercion, None)  # type: ignore[arg-type]  # as rdflib calls it
                if found:
                    break
            self._iri_terms[predicate] = found
        return self._iri_terms[predicate]

    def _coerce(self, obj: Any, coercion: str, datatype: str | None) -> Any:
        if coercion == ID:
            return self.shrink(obj.value) if isinstance(obj, ox.NamedNode) else obj.value
        if coercion == VOCAB:
            return self.symbol(obj.value) if isinstance(obj, ox.NamedNode) else None
        if isinstance(obj, ox.Literal) and datatype == coercion:
            return obj.value
        return None

    def _raw(self, obj: Any, datatype: str | None) -> Any:
        if isinstance(obj, ox.NamedNode):
            return {self.context.id_key: self.shrink(obj.value)}
        if datatype is not None:
            if datatype in _NATIVE:
                # rdflib writes these as JSON numbers and booleans; its own conversion decides how
                return Literal(obj.value, datatype=URIRef(datatype)).toPython()
            return {self.context.type_key: self.symbol(datatype), self.context.value_key: obj.value}
        if obj.language and obj.language != self.context.language:
            return {self.context.lang_key: obj.language, self.context.value_key: obj.value}
        if self.context.language and not obj.language:
            return {self.context.value_key: obj.value}
        return obj.value


def _datatype(literal: ox.Literal) -> str | None:
    """The datatype as rdflib sees it: none for simple and language-tagged strings."""
    datatype = literal.datatype.value
    return None if datatype in (XSD_STRING, RDF_LANG_STRING) else datatype


@lru_cache(maxsize=8)
def _compactor(context_json: str) -> _Compactor:
    return _Compactor(json.loads(context_json))


def _bytes(data: bytes | None) -> bytes:
    if data is None:
        raise ValueError("the serialiser wrote nothing")
    return data
