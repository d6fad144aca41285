"""The statistical cube: RDF Data Cube datasets and structures, and the qb/SDMX terms on every figure.

The articles' figures are of four honest kinds, each a ``qb:DataSet`` with its own structure: levels
(amounts and counts in a unit), growth rates (percent change from a base period), shares (percent of
a whole) and ranks (ordinals, measured by ``tlo:rank``, with no unit). Every structure has the same
dimensions (what the figure is of, reference area, counterpart, reference period, variable, product,
figure number; growth rates add the base period), so that no two figures of one dataset share every
dimension (W3C integrity constraint IC-12), and a dimension the article gives no value for takes the
code ``id/code/not-stated`` (IC-11: every observation has every dimension).

The build writes this graph beside the data: the datasets, structures and component declarations,
and on each observation ``qb:dataSet`` and the qb/SDMX properties that the ontology's
``rdfs:subClassOf``/``rdfs:subPropertyOf`` axioms entail from its tlo: terms (``qb:Observation``,
``sdmx-dimension:refArea``, ``refPeriod``, ``sdmx-measure:obsValue``, ``sdmx-attribute:unitMeasure``,
``tlo:counterpart``), so that a client that knows only qb/SDMX reads every figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

QB = Namespace("http://purl.org/linked-data/cube#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
#: Namespaces whose terms the build materialises from the ontology's axioms onto observations.
MATERIALISED = (str(QB), str(SDMX_DIMENSION), str(SDMX_MEASURE), str(SDMX_ATTRIBUTE))


@dataclass(frozen=True)
class Kind:
    """One dataset of the cube: the observation class it holds and how its structure differs."""

    slug: str  # id/cube/<slug>
    cls: str  # local name of the tlo: observation class
    label_fr: str
    label_en: str
    comment: str
    comment_fr: str
    measure: str  # "obsValue" or "rank"
    unit: bool  # unit of measure attribute
    base_period: bool  # base period dimension


KINDS = (
    Kind(
        "levels",
        "LevelObservation",
        "niveaux : montants et nombres",
        "levels: amounts and counts",
        "Amounts and counts at a period, each in its unit of measure (US dollars, yuan, kilometres, a count).",
        "Montants et nombres à une période, chacun dans son unité de mesure (dollars américains, yuans, "
        "kilomètres, un nombre).",
        "obsValue",
        True,
        False,
    ),
    Kind(
        "growth-rates",
        "GrowthObservation",
        "taux de croissance",
        "growth rates",
        "Relative changes from a base period to a reference period, in percent change.",
        "Variations relatives d'une période de base à une période de référence, en pourcentage de variation.",
        "obsValue",
        True,
        True,
    ),
    Kind(
        "shares",
        "ShareObservation",
        "parts",
        "shares",
        "Parts of a whole, in percent of that whole.",
        "Parts d'un tout, en pourcentage de ce tout.",
        "obsValue",
        True,
        False,
    ),
    Kind(
        "ranks",
        "RankObservation",
        "rangs",
        "ranks",
        "Positions in an order (first, second, fourth): ordinals, measured by tlo:rank, with no unit.",
        "Places dans un classement (premier, deuxième, quatrième) : des ordinaux, mesurés par tlo:rank, sans unité.",
        "rank",
        False,
        False,
    ),
)


def cube_iri(base: str, kind: Kind) -> URIRef:
    """The IRI of one dataset of the cube."""
    return URIRef(f"{base}id/cube/{kind.slug}")


def cube_graph(data: Graph, ontology: Graph, base: str) -> Graph:
    """The cube written beside ``data``: datasets, structures, and the qb/SDMX terms of each observation."""
    tlo = Namespace(f"{base}ontology#")
    not_stated = URIRef(f"{base}id/code/not-stated")
    g = Graph()
    _declare_components(g, tlo, base)
    # the code list of the variable dimension holds concepts (tlo:StatisticalVariable ⊑ skos:Concept)
    for variable in set(data.subjects(RDF.type, tlo.StatisticalVariable)):
        g.add((variable, RDF.type, SKOS.Concept))
    for kind in KINDS:
        _describe_dataset(g, kind, tlo, base)
        for obs in sorted({o for o in data.subjects(RDF.type, tlo[kind.cls]) if isinstance(o, URIRef)}):
            _observation(g, data, ontology, obs, kind, tlo, not_stated, base)
    return g


def _observation(
    g: Graph,
    data: Graph,
    ontology: Graph,
    obs: URIRef,
    kind: Kind,
    tlo: Namespace,
    not_stated: URIRef,
    base: str,
) -> None:
    g.add((obs, QB.dataSet, cube_iri(base, kind)))
    # what the ontology's axioms entail in qb/SDMX terms (and tlo:counterpart), written out
    for cls in ontology.transitive_objects(tlo[kind.cls], RDFS.subClassOf):
        if isinstance(cls, URIRef) and str(cls).startswith(MATERIALISED):
            g.add((obs, RDF.type, cls))
    for prop, value in data.predicate_objects(obs):
        for parent in ontology.transitive_objects(prop, RDFS.subPropertyOf):
            if (
                isinstance(parent, URIRef)
                and parent != prop
                and (str(parent).startswith(MATERIALISED) or parent == tlo.counterpart)
            ):
                g.add((obs, parent, value))
    # a dimension the article gives no value for takes the code "not stated" (IC-11)
    if data.value(obs, tlo.observedArea) is None:
        g.add((obs, SDMX_DIMENSION.refArea, not_stated))
    if data.value(obs, tlo.counterpartArea) is None:
        g.add((obs, tlo.counterpart, not_stated))
    product = data.value(obs, tlo.product)
    g.add((obs, tlo.productDimension, product if product is not None else not_stated))
    order = data.value(obs, tlo.statedOrder)
    g.add(
        (
            obs,
            tlo.figureNumber,
            Literal(int(str(order)) if order is not None else 0, datatype=XSD.nonNegativeInteger),
        )
    )


def _describe_dataset(g: Graph, kind: Kind, tlo: Namespace, base: str) -> None:
    ds = cube_iri(base, kind)
    dsd = URIRef(f"{ds}#structure")
    g.add((ds, RDF.type, QB.DataSet))
    g.add((ds, RDFS.label, Literal(kind.label_fr, lang="fr")))
    g.add((ds, RDFS.label, Literal(kind.label_en, lang="en")))
    g.add((ds, RDFS.comment, Literal(kind.comment, lang="en")))
    g.add((ds, RDFS.comment, Literal(kind.comment_fr, lang="fr")))
    g.add((ds, QB.structure, dsd))
    g.add((dsd, RDF.type, QB.DataStructureDefinition))
    g.add((dsd, RDFS.label, Literal(f"structure : {kind.label_fr}", lang="fr")))
    g.add((dsd, RDFS.label, Literal(f"structure: {kind.label_en}", lang="en")))
    dimensions = [
        ("subject", tlo.observationOf),
        ("refarea", SDMX_DIMENSION.refArea),
        ("counterpart", tlo.counterpart),
        ("period", SDMX_DIMENSION.refPeriod),
        ("variable", tlo.variable),
        ("product", tlo.productDimension),
        ("figure", tlo.figureNumber),
    ]
    if kind.base_period:
        dimensions.append(("baseperiod", tlo.basePeriod))
    measure = SDMX_MEASURE.obsValue if kind.measure == "obsValue" else tlo.rank
    attributes = [("qualifier", tlo.valueQualifier, True), ("precision", tlo.precision, False)]
    if kind.unit:
        attributes.insert(0, ("unit", SDMX_ATTRIBUTE.unitMeasure, True))
    order = 0
    for part, prop in dimensions:
        order += 1
        _component(g, dsd, part, QB.dimension, prop, order, required=True)
    order += 1
    _component(g, dsd, "value", QB.measure, measure, order, required=True)
    for part, prop, required in attributes:
        order += 1
        _component(g, dsd, part, QB.attribute, prop, order, required=required)


def _component(
    g: Graph, dsd: URIRef, part: str, role: URIRef, prop: URIRef, order: int, *, required: bool
) -> None:
    spec = URIRef(f"{dsd.removesuffix('#structure')}#{part}")
    g.add((dsd, QB.component, spec))
    g.add((spec, RDF.type, QB.ComponentSpecification))
    g.add((spec, role, prop))
    g.add((spec, QB.componentProperty, prop))  # the normalised form the integrity constraints read
    g.add((spec, QB.order, Literal(order)))
    g.add((spec, QB.componentRequired, Literal(required)))


def _declare_components(g: Graph, tlo: Namespace, base: str) -> None:
    """The roles of the component properties, and the ranges that IC-4 asks of every dimension."""
    dimensions = (
        tlo.observationOf,
        tlo.counterpart,
        tlo.variable,
        tlo.productDimension,
        tlo.figureNumber,
        tlo.basePeriod,
    )
    for prop in dimensions:
        g.add((prop, RDF.type, QB.DimensionProperty))
    g.add((tlo.variable, RDF.type, QB.CodedProperty))
    g.add((tlo.variable, QB.codeList, URIRef(f"{base}id/scheme/variables")))
    # SDMX-RDF declares these with range rdfs:Resource (sdmx-dimension.ttl, "rdfs:range rdfs:Resource")
    for prop, label in (
        (SDMX_DIMENSION.refArea, "Reference Area"),
        (SDMX_DIMENSION.refPeriod, "Reference Period"),
    ):
        g.add((prop, RDF.type, QB.DimensionProperty))
        g.add((prop, RDFS.range, RDFS.Resource))
        g.add((prop, RDFS.label, Literal(label, lang="en")))
    g.add((SDMX_MEASURE.obsValue, RDF.type, QB.MeasureProperty))
    g.add((SDMX_MEASURE.obsValue, RDFS.label, Literal("Observation Value", lang="en")))
    g.add((tlo.rank, RDF.type, QB.MeasureProperty))
    g.add((SDMX_ATTRIBUTE.unitMeasure, RDF.type, QB.AttributeProperty))
    g.add((SDMX_ATTRIBUTE.unitMeasure, RDFS.label, Literal("Unit of Measure", lang="en")))
    for prop in (tlo.valueQualifier, tlo.precision):
        g.add((prop, RDF.type, QB.AttributeProperty))
    g.add((tlo.valueQualifier, RDF.type, QB.CodedProperty))
    g.add((tlo.valueQualifier, QB.codeList, URIRef(f"{base}id/scheme/qualifiers")))
