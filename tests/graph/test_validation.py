"""The SHACL shapes both ways: the project data conforms, and each broken fixture is rejected.

Each file in tests/data/invalid/ breaks exactly one rule; the table below says which shape must
reject it, on which focus node, with which words in the message. Every named shape of the shapes
file must be triggered by at least one fixture, so that no shape is dead.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS, SH

from support.project import sources_of
from tradelod.graph.validation import ValidationReport, validate_files, validate_project

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/tradelod/"
INVALID = ROOT / "tests" / "data" / "invalid"
#: The areas the shapes are split into, one file each (shapes/README.md).
SHAPE_AREAS = (
    "common",
    "provenance",
    "statistics",
    "trade",
    "cooperation",
    "events",
    "organisations",
    "reference",
)
BLANK = "_:"  # expected focus of a fixture whose fault is a blank node (it has no IRI to name)

# fixture (file stem), shape (local name in tls:), focus (relative to BASE), words of the message
FIXTURES: list[tuple[str, str, str, str]] = [
    (
        "iri-scheme-shape--underscore-in-slug",
        "IriSchemeShape",
        "id/claim/000_Bad",
        "does not follow the scheme",
    ),
    (
        "typed-resource-shape--dangling-reference",
        "TypedResourceShape",
        "id/place/atlantis",
        "needs an rdf:type",
    ),
    (
        "label-shape--no-english-label",
        "LabelShape",
        "id/claim/000-french-only",
        'has no rdfs:label in language "en"',
    ),
    (
        "label-shape--two-french-labels",
        "LabelShape",
        "id/claim/000-two-labels",
        "at most one rdfs:label per language",
    ),
    ("label-shape--untagged-label", "LabelShape", "id/claim/000-untagged", "tagged @fr or @en"),
    (
        "blank-object-shape--blank-about",
        "BlankObjectShape",
        "id/claim/000-blank",
        "has a blank node as value of https://w3id.org/tradelod/ontology#about",
    ),
    (
        "orphan-blank-node-shape--top-level-blank-node",
        "OrphanBlankNodeShape",
        "_:",
        "contains a blank node that nothing refers to",
    ),
    (
        "provenance-shape--no-source-quote",
        "ProvenanceShape",
        "id/claim/000-unquoted",
        "needs at least one tlo:sourceQuote",
    ),
    (
        "provenance-shape--no-source-article",
        "ProvenanceShape",
        "id/claim/000-no-article",
        "needs at least one tlo:sourceArticle",
    ),
    (
        "provenance-shape--quote-from-another-article",
        "ProvenanceShape",
        "id/claim/000-mixed",
        "which is not one of its tlo:sourceArticle values",
    ),
    (
        "provenance-shape--article-without-quote",
        "ProvenanceShape",
        "id/claim/000-other-article",
        "none of its tlo:sourceQuote sentences comes from that article",
    ),
    (
        "source-quote-shape--no-position-selector",
        "SourceQuoteShape",
        "id/quote/000-02",
        "exactly one oa:TextPositionSelector",
    ),
    (
        "source-quote-shape--offsets-do-not-span-the-text",
        "SourceQuoteShape",
        "id/quote/000-01",
        "has 11 characters in oa:exact",
    ),
    (
        "source-quote-shape--quote-cited-by-nothing",
        "SourceQuoteShape",
        "id/quote/000-01",
        "must be cited by some fact",
    ),
    (
        "text-quote-selector-shape--tagged-exact",
        "TextQuoteSelectorShape",
        "id/quote/000-01#exact",
        "exactly one oa:exact, a non-empty xsd:string",
    ),
    (
        "text-position-selector-shape--start-not-before-end",
        "TextPositionSelectorShape",
        "id/quote/000-09#position",
        "oa:start must be less than oa:end",
    ),
    (
        "text-position-selector-shape--negative-start",
        "TextPositionSelectorShape",
        "id/quote/000-09#position",
        "exactly one oa:start, an xsd:integer >= 0",
    ),
    ("literal-shape--year-as-integer", "LiteralShape", "id/period/2023", "tlo:year must be an xsd:gYear"),
    ("literal-shape--year-out-of-range", "LiteralShape", "id/period/2023", "between 1000 and 2100"),
    (
        "literal-shape--start-date-as-year",
        "LiteralShape",
        "id/period/2023",
        "tlo:startDate must be an xsd:date",
    ),
    (
        "literal-shape--ambiguity-in-french",
        "LiteralShape",
        "id/claim/000-ambiguous",
        "tlo:ambiguity must be an English explanation",
    ),
    (
        "literal-shape--date-as-string",
        "LiteralShape",
        "id/claim/000-dated",
        "tlo:date must be an xsd:date, xsd:gYearMonth or xsd:gYear",
    ),
    (
        "object-range-shape--product-is-a-country",
        "ObjectRangeShape",
        "id/claim/000-product",
        "A tlo:product must be a tlo:ProductCategory",
    ),
    (
        "property-domain-shape--edition-on-a-claim",
        "PropertyDomainShape",
        "id/claim/000-edition",
        "whose domain is https://w3id.org/tradelod/ontology#Event",
    ),
    (
        "amount-shape--negative-amount",
        "AmountShape",
        "id/observation/000-exports-2024",
        "gives the negative amount -5",
    ),
    (
        "amount-shape--percent-out-of-range",
        "AmountShape",
        "id/observation/000-exports-growth-2024",
        "must lie between -100 and 100000",
    ),
    (
        "possible-product-shape--no-ambiguity",
        "PossibleProductShape",
        "id/observation/000-exports-2024",
        "has tlo:possibleProduct but no tlo:ambiguity",
    ),
    (
        "context-suggests-area-shape--no-ambiguity",
        "ContextSuggestsAreaShape",
        "id/observation/000-exports-2024",
        "needs a tlo:ambiguity explaining the two readings",
    ),
    (
        "wikidata-link-shape--wiki-page-url",
        "WikidataLinkShape",
        "id/place/china",
        "which is not a Wikidata entity IRI",
    ),
    (
        "wikidata-link-shape--literal",
        "WikidataLinkShape",
        "id/place/china",
        "An owl:sameAs value must be an IRI",
    ),
    (
        "place-shape--located-in-a-period",
        "PlaceShape",
        "id/place/ha-long-bay",
        "A tlo:locatedIn value must be a place",
    ),
    ("place-shape--located-in-itself", "PlaceShape", "id/place/ha-long-bay", "is located in itself"),
    (
        "schema-country-shape--country-in-a-country",
        "SchemaCountryShape",
        "id/place/sukhothai-kingdom",
        "cannot be located in (tlo:locatedIn) another country",
    ),
    (
        "economy-shape--no-described-by",
        "EconomyShape",
        "id/place/china",
        "An economy needs at least one tlo:describedBy",
    ),
    ("trade-actor-shape--two-countries", "TradeActorShape", "id/org/motorway", "at most one tlo:country"),
    (
        "country-shape--country-in-a-city",
        "CountryShape",
        "id/place/kazakhstan",
        "can only be located in (tlo:locatedIn) a tlo:GeographicRegion",
    ),
    ("regional-bloc-shape--city-member", "RegionalBlocShape", "id/org/asean", "must be countries"),
    (
        "subnational-division-shape--not-located",
        "SubnationalDivisionShape",
        "id/place/zhejiang",
        "A subnational division needs at least one tlo:locatedIn",
    ),
    (
        "province-shape--province-in-a-city",
        "ProvinceShape",
        "id/place/zhejiang",
        "A province can only be located in",
    ),
    (
        "autonomous-region-shape--region-in-a-city",
        "AutonomousRegionShape",
        "id/place/guangxi",
        "An autonomous region can only be located in",
    ),
    (
        "county-shape--county-in-a-country",
        "CountyShape",
        "id/place/shizhu-county",
        "A county can only be located in",
    ),
    (
        "district-shape--district-in-a-country",
        "DistrictShape",
        "id/place/wulong-district",
        "A district can only be located in",
    ),
    ("city-shape--city-in-a-region", "CityShape", "id/place/astana", "A city can only be located in"),
    (
        "geographic-region-shape--region-in-a-country",
        "GeographicRegionShape",
        "id/place/central-asia",
        "A geographic region can only be located in",
    ),
    (
        "economic-zone-shape--not-located",
        "EconomicZoneShape",
        "id/place/lianglu-cuntan-free-trade-port-area",
        "An economic zone needs at least one tlo:locatedIn",
    ),
    (
        "schema-organization-shape--also-a-person",
        "SchemaOrganizationShape",
        "id/org/chakri-dynasty",
        "An organisation cannot also be a person",
    ),
    (
        "organisation-shape--no-described-by",
        "OrganisationShape",
        "id/org/byd",
        "An organisation needs at least one tlo:describedBy",
    ),
    (
        "organisation-shape--two-founding-dates",
        "OrganisationShape",
        "id/org/byd",
        "at most one tlo:foundingDate",
    ),
    (
        "company-shape--also-an-economy",
        "CompanyShape",
        "id/org/chongqing",
        "A company cannot also be an economy",
    ),
    (
        "government-body-shape--also-a-company",
        "GovernmentBodyShape",
        "id/org/chongqing-customs",
        "A government body cannot also be a company",
    ),
    (
        "business-association-shape--also-a-company",
        "BusinessAssociationShape",
        "id/org/chamber",
        "A business association cannot also be a company",
    ),
    (
        "intergovernmental-organisation-shape--company-member",
        "IntergovernmentalOrganisationShape",
        "id/org/sco",
        "must be economies",
    ),
    (
        "educational-institution-shape--also-a-company",
        "EducationalInstitutionShape",
        "id/org/university",
        "An educational institution cannot also be a company",
    ),
    (
        "news-publisher-shape--publishes-nothing",
        "NewsPublisherShape",
        "id/org/la-gazette",
        "must be the schema:publisher of at least one",
    ),
    (
        "ecommerce-platform-shape--also-a-government-body",
        "EcommercePlatformShape",
        "id/org/temu",
        "An e-commerce platform cannot also be a government body",
    ),
    (
        "brand-shape--no-described-by",
        "BrandShape",
        "id/brand/made-in-chongqing",
        "A brand needs at least one tlo:describedBy",
    ),
    (
        "person-shape--no-described-by",
        "PersonShape",
        "id/person/wang-wentao",
        "A person needs at least one tlo:describedBy",
    ),
    (
        "person-shape--holds-an-organisation",
        "PersonShape",
        "id/person/wang-wentao",
        "A tlo:holds value must be a tlo:Post",
    ),
    (
        "post-shape--held-by-nobody",
        "PostShape",
        "id/post/minister-of-commerce",
        "must be held (tlo:holds) by at least one person",
    ),
    (
        "trade-relation-shape--one-party",
        "TradeRelationShape",
        "id/relation/kazakhstan-china",
        "A trade relation needs at least two tlo:party values",
    ),
    (
        "trade-relation-shape--untyped-kind",
        "TradeRelationShape",
        "id/relation/kazakhstan-china",
        "either tlo:BilateralTradeRelation or tlo:MultilateralTradeRelation",
    ),
    (
        "bilateral-trade-relation-shape--three-parties",
        "BilateralTradeRelationShape",
        "id/relation/kazakhstan-china",
        "at most two tlo:party values",
    ),
    (
        "multilateral-trade-relation-shape--two-parties",
        "MultilateralTradeRelationShape",
        "id/relation/kazakhstan-china",
        "at least three tlo:party values",
    ),
    (
        "trade-flow-shape--exporter-is-importer",
        "TradeFlowShape",
        "id/flow/000-china-to-china",
        "cannot have the same actor as tlo:exporter and tlo:importer",
    ),
    (
        "product-category-shape--wrong-scheme",
        "ProductCategoryShape",
        "id/product/beef",
        "must be in the product scheme",
    ),
    (
        "observation-shape--no-value",
        "ObservationShape",
        "id/observation/000-exports-2024",
        "An observation needs exactly one tlo:value typed xsd:decimal",
    ),
    (
        "observation-shape--two-units",
        "ObservationShape",
        "id/observation/000-exports-2024",
        "exactly one tlo:unit",
    ),
    (
        "observation-shape--observed-area-is-a-company",
        "ObservationShape",
        "id/observation/000-exports-2024",
        "an economy (tlo:Economy), never a company",
    ),
    (
        "observation-shape--no-observation-of",
        "ObservationShape",
        "id/observation/000-exports-2024",
        "exactly one tlo:observationOf",
    ),
    (
        "level-observation-shape--level-in-percent",
        "LevelObservationShape",
        "id/observation/000-exports-2024",
        "A level observation is not in percent",
    ),
    (
        "share-observation-shape--share-above-100",
        "ShareObservationShape",
        "id/observation/000-exports-2024",
        "between 0 and 100 percent",
    ),
    (
        "rank-observation-shape--rank-with-a-unit",
        "RankObservationShape",
        "id/observation/000-exports-2024",
        "a rank is an ordinal, not a value in a unit",
    ),
    (
        "growth-observation-shape--no-base-period",
        "GrowthObservationShape",
        "id/observation/000-exports-growth-2024",
        "exactly one tlo:basePeriod",
    ),
    (
        "growth-observation-shape--level-of-another-variable",
        "GrowthObservationShape",
        "id/observation/000-imports-growth-2024",
        "a growth and its level measure the same tlo:variable",
    ),
    (
        "concept-shape--no-english-pref-label",
        "ConceptShape",
        "id/unit/percent",
        'has no skos:prefLabel in language "en"',
    ),
    (
        "concept-scheme-shape--empty",
        "ConceptSchemeShape",
        "id/scheme/units",
        "must have at least one concept",
    ),
    (
        "statistical-variable-shape--wrong-scheme",
        "StatisticalVariableShape",
        "id/variable/export-value",
        "must be in the variable scheme",
    ),
    ("unit-shape--lower-case-currency-code", "UnitShape", "id/unit/usd", "three capital letters of ISO 4217"),
    (
        "value-qualifier-shape--wrong-scheme",
        "ValueQualifierShape",
        "id/qualifier/exact",
        "must be in the qualifier scheme",
    ),
    (
        "period-shape--ends-before-it-starts",
        "PeriodShape",
        "id/period/2024",
        "ends (2023-12-31) before it starts (2024-01-01)",
    ),
    (
        "period-shape--plain-date-disagrees-with-bound",
        "PeriodShape",
        "id/period/2024",
        "repeat the days of time:hasBeginning and time:hasEnd",
    ),
    (
        "instant-shape--two-positions",
        "InstantShape",
        "id/period/2024#beginning",
        "needs exactly one position",
    ),
    (
        "date-time-description-shape--no-day",
        "DateTimeDescriptionShape",
        "id/period/2024#beginningday",
        "exactly one time:day",
    ),
    (
        "projection-shape--no-horizon",
        "ProjectionShape",
        "id/target/003-kz-cn-2030",
        "exactly one tlo:horizon",
    ),
    (
        "target-shape--no-factor-or-value",
        "TargetShape",
        "id/target/003-kz-cn-2030",
        "needs a tlo:targetFactor",
    ),
    (
        "expectation-shape--no-value",
        "ExpectationShape",
        "id/expectation/003-kz-cn-2030",
        "An expectation needs exactly one tlo:value",
    ),
    (
        "cooperation-initiative-shape--no-described-by",
        "CooperationInitiativeShape",
        "id/initiative/belt-and-road",
        "A cooperation initiative needs at least one tlo:describedBy",
    ),
    (
        "cooperation-mechanism-shape--one-participant",
        "CooperationMechanismShape",
        "id/initiative/mechanism",
        "at least two tlo:participant values",
    ),
    (
        "programme-shape--also-a-policy",
        "ProgrammeShape",
        "id/initiative/campaign",
        "A programme cannot also be a policy",
    ),
    (
        "policy-shape--also-a-mechanism",
        "PolicyShape",
        "id/initiative/neighbourhood-diplomacy",
        "A policy cannot also be a cooperation mechanism",
    ),
    (
        "agreement-shape--two-dates",
        "AgreementShape",
        "id/agreement/003-roadmap",
        "An agreement has at most one tlo:date",
    ),
    (
        "memorandum-shape--one-party",
        "MemorandumShape",
        "id/agreement/003-memorandum",
        "A memorandum needs at least two parties",
    ),
    (
        "action-plan-shape--no-relation-or-initiative",
        "ActionPlanShape",
        "id/agreement/003-action-plan",
        "An action plan needs a tlo:partOfRelation or a tlo:partOfInitiative",
    ),
    (
        "schema-event-shape--also-a-place",
        "SchemaEventShape",
        "id/event/vietnam-war",
        "An event cannot also be a place",
    ),
    ("event-shape--date-without-wording", "EventShape", "id/event/003-meeting", "needs a tlo:dateAsStated"),
    (
        "event-shape--super-event-is-a-claim",
        "EventShape",
        "id/event/003-meeting",
        "A tlo:superEvent value must be a tlo:Event",
    ),
    (
        "meeting-shape--nobody-met",
        "MeetingShape",
        "id/event/003-meeting",
        "A meeting needs a tlo:participant",
    ),
    (
        "conference-shape--part-of-a-meeting",
        "ConferenceShape",
        "id/event/003-conference",
        "A conference can only be part of",
    ),
    ("expo-shape--part-of-a-conference", "ExpoShape", "id/event/004-expo", "An expo can only be part of"),
    (
        "summit-shape--company-participant",
        "SummitShape",
        "id/event/003-summit",
        "The participants of a summit must be people",
    ),
    (
        "event-series-shape--dated-series",
        "EventSeriesShape",
        "id/event/silk-road-series",
        "An event series has no tlo:date",
    ),
    (
        "business-visit-shape--nobody-visited",
        "BusinessVisitShape",
        "id/event/001-delegation",
        "A business visit needs a tlo:participant or a tlo:organizer",
    ),
    (
        "verification-shape--no-authority",
        "VerificationShape",
        "id/event/001-verification",
        "A verification needs a tlo:organizer",
    ),
    (
        "shipment-shape--no-product",
        "ShipmentShape",
        "id/event/001-shipment",
        "A shipment needs at least one tlo:product",
    ),
    (
        "certification-shape--no-standard",
        "CertificationShape",
        "id/certification/001-eu",
        "A certification needs at least one tlo:standard",
    ),
    (
        "investment-shape--no-host-economy",
        "InvestmentShape",
        "id/investment/000-factories",
        "An investment needs at least one tlo:hostEconomy",
    ),
    (
        "overseas-factory-shape--hosted-at-home",
        "OverseasFactoryShape",
        "id/investment/000-factories",
        "the home country (tlo:country) of its investor",
    ),
    (
        "standard-shape--no-described-by",
        "StandardShape",
        "id/standard/eu-standards",
        "A standard needs at least one tlo:describedBy",
    ),
    (
        "claim-shape--about-nothing",
        "ClaimShape",
        "id/claim/000-about-nothing",
        "A claim needs at least one tlo:about",
    ),
    (
        "news-article-shape--english",
        "NewsArticleShape",
        "id/article/000",
        'exactly one schema:inLanguage, the plain string "fr"',
    ),
    ("news-article-shape--no-text-copy", "NewsArticleShape", "id/article/000", "exactly one tlo:textCopy"),
    (
        "image-object-shape--no-caption",
        "ImageObjectShape",
        "id/article/000#photo",
        "A photo needs a schema:caption",
    ),
]


@cache
def fixture_report(name: str, base: str = BASE) -> ValidationReport:
    """Validate one fixture exactly as validate_project validates data/ (cached: read-only)."""
    return validate_files([INVALID / f"{name}.ttl"], ROOT, base)


@pytest.fixture(scope="module")
def project_report() -> ValidationReport:
    return validate_project(ROOT, BASE)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return sources_of("shapes")


def data_graph() -> Graph:
    return sources_of("data")


def ontology_classes_used_by_data() -> set[URIRef]:
    """The classes declared in the ontology (owl:Class) that some data resource is typed with."""
    ontology = sources_of("ontology")
    declared = {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    used = {c for c in data_graph().objects(None, RDF.type) if isinstance(c, URIRef)}
    return declared & used


def named_node_shapes(shapes: Graph) -> set[str]:
    return {str(s) for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}


# ---------------------------------------------------------------- (a) the project data conforms


def test_project_data_conforms(project_report: ValidationReport) -> None:
    assert project_report.conforms, project_report.text()
    assert project_report.findings == []


# ---------------------------------------------------------------- (b) each fixture is rejected for its fault


@pytest.mark.parametrize(("name", "shape", "focus", "words"), FIXTURES, ids=[f[0] for f in FIXTURES])
def test_fixture_is_rejected_for_its_one_fault(name: str, shape: str, focus: str, words: str) -> None:
    report = fixture_report(name)
    assert not report.conforms
    assert len(report.findings) == 1, report.text()
    finding = report.findings[0]
    if focus == BLANK:
        assert not finding.focus.startswith(("http://", "https://")), report.text()
    else:
        assert finding.focus == BASE + focus, report.text()
    assert finding.shape == f"{BASE}shapes#{shape}", report.text()
    assert words in finding.message, report.text()


def test_every_fixture_file_is_in_the_table() -> None:
    on_disk = sorted(p.stem for p in INVALID.glob("*.ttl"))
    assert on_disk == sorted(f[0] for f in FIXTURES)
    assert len(on_disk) == 112


@pytest.mark.parametrize(("name", "shape", "focus", "words"), FIXTURES, ids=[f[0] for f in FIXTURES])
def test_fixture_header_names_its_shape(name: str, shape: str, focus: str, words: str) -> None:
    first_line = (INVALID / f"{name}.ttl").read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith(f"# Breaks tls:{shape}: ")


# The SPARQL constraints rebuild tlo: and id/ IRIs from the base of their own shape and the target
# types take the namespaces as IRI parameters: the same faults must be found under another base.
OTHER_BASE = "http://localhost:8080/data/"
BASE_SENSITIVE = [
    "iri-scheme-shape--underscore-in-slug",
    "typed-resource-shape--dangling-reference",
    "label-shape--no-english-label",
    "provenance-shape--quote-from-another-article",
    "amount-shape--negative-amount",
    "level-observation-shape--level-in-percent",
    "overseas-factory-shape--hosted-at-home",
]


@pytest.mark.parametrize("name", BASE_SENSITIVE)
def test_fixture_is_rejected_under_another_base(name: str) -> None:
    expected = next(f for f in FIXTURES if f[0] == name)
    report = fixture_report(name, OTHER_BASE)
    assert len(report.findings) == 1, report.text()
    finding = report.findings[0]
    assert finding.focus == OTHER_BASE + expected[2]
    assert finding.shape == f"{OTHER_BASE}shapes#{expected[1]}"
    assert expected[3] in finding.message


# ---------------------------------------------------------------- (c) something was loaded and validated


def test_shapes_file_loaded_one_node_shape_per_class_the_data_uses(shapes: Graph) -> None:
    classes = ontology_classes_used_by_data()
    assert len(classes) >= 60  # the data uses most of the ontology; an empty glob would give 0
    assert len(named_node_shapes(shapes)) >= len(classes)
    targeted = set(shapes.objects(None, SH.targetClass))
    assert sorted(str(c) for c in classes - targeted) == []


def test_project_run_validated_a_non_empty_graph(project_report: ValidationReport) -> None:
    shapes_files = {f"shapes/{area}.ttl" for area in SHAPE_AREAS}
    assert shapes_files <= set(project_report.files)
    assert {"ontology/core.ttl", "ontology/declarations.ttl"} <= set(project_report.files)
    assert all(project_report.files[f] > 0 for f in shapes_files)
    data_files = [f for f in project_report.files if f.startswith("data/")]
    assert len(data_files) >= 11
    assert all(project_report.files[f] > 0 for f in data_files)
    assert project_report.data_triples > 5000
    assert project_report.node_shapes >= len(ontology_classes_used_by_data())


def test_fixture_run_validated_a_non_empty_graph() -> None:
    report = fixture_report(FIXTURES[0][0])
    assert report.data_triples > 0
    assert report.node_shapes >= 80
    assert f"tests/data/invalid/{FIXTURES[0][0]}.ttl" in report.files


def test_validating_nothing_fails(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix tl: <id/> .\n", encoding="utf-8")
    with pytest.raises(ValueError, match="nothing to validate"):
        validate_files([empty], ROOT, BASE)
    with pytest.raises(ValueError, match="no data files"):
        validate_files([], ROOT, BASE)


# ---------------------------------------------------------------- (d) no shape is dead


def test_every_named_shape_is_triggered_by_a_fixture(shapes: Graph) -> None:
    triggered = {f.shape for name, *_ in FIXTURES for f in fixture_report(name).findings}
    assert len(named_node_shapes(shapes)) == 87
    assert sorted(named_node_shapes(shapes) - triggered) == []


def is_sentence(message: object) -> bool:
    text = str(message)
    return (text[:1].isupper() or text.startswith("{$this}")) and text.endswith(".")


def test_every_constraint_says_in_a_sentence_what_is_wrong(shapes: Graph) -> None:
    """Each property shape and each SPARQL constraint carries an English sentence as sh:message."""
    property_shapes = set(shapes.objects(None, SH.property))
    sparql_constraints = set(shapes.objects(None, SH.sparql))
    assert len(property_shapes) > 100 and len(sparql_constraints) > 10
    silent = []
    for holder in property_shapes | sparql_constraints:
        messages = list(shapes.objects(holder, SH.message))
        if not messages:  # a property shape whose only constraint is SPARQL: the message is on it
            messages = [m for c in shapes.objects(holder, SH.sparql) for m in shapes.objects(c, SH.message)]
        if not messages or not all(is_sentence(m) for m in messages):
            silent.append(holder)
    assert silent == []


def test_the_split_by_area_kept_every_shape(shapes: Graph) -> None:
    """The shapes were one file; split by area they are the same shapes graph (the hash of its triples
    at commit 03000c6, blank-node labels aside). A deliberate change of the shapes changes it: issue 12
    added one tlo:observationOf per observation, economies only as areas, share and rank observations,
    growth in percent change, OWL-Time bounds of periods (InstantShape, DateTimeDescriptionShape) and
    the merged date properties."""
    lines = sorted(to_canonical_graph(shapes).serialize(format="nt", encoding="utf-8").decode().splitlines())
    digest = hashlib.sha256("\n".join(line for line in lines if line).encode()).hexdigest()
    assert len(shapes) == 1565
    assert digest == "76f29916f7055cc775531fa588c05521b93014d7459a0efbd78b5500bfe592ac"
    on_disk = sorted(p.stem for p in (ROOT / "shapes").glob("*.ttl"))
    assert on_disk == sorted(SHAPE_AREAS)


def test_shapes_header(shapes: Graph) -> None:
    header = URIRef(f"{BASE}shapes")
    assert (header, RDF.type, OWL.Ontology) in shapes
    assert str(shapes.value(header, OWL.versionInfo)) == "0.1.0"
    assert shapes.value(header, RDFS.seeAlso) == URIRef(f"{BASE}ontology")
