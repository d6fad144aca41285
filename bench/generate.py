"""A seeded generator of trade data in tradelod's own ontology, valid against its shapes.

It writes what a publisher would add with ``tradelod build --source``: invented press articles
(``schema:NewsArticle``) with their quotes and character offsets (``tlo:SourceQuote`` with
``#exact`` and ``#position`` selectors), the economies, blocs, regions, publishers and companies
they name, bilateral trade relations, level and growth observations with unit, variable, period and
qualifier, targets, trade flows and dated meetings. Everything is invented (names are made of
syllables) and lives under ``{base}id/…/gen-…``, so it never collides with the articles' data; it
reuses the project's own units, qualifiers, variables and product categories, as a publisher would.

The same ``--seed`` and ``--triples`` give the same bytes. Output is N-Triples, one file per
``--file-triples`` triples (``part-0000.nt`` …), so a build can validate and load it file by file.

    .venv/bin/python bench/generate.py --triples 1000000 --out bench/data/1m
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

BASE = "https://w3id.org/tradelod/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "https://schema.org/"
OA = "http://www.w3.org/ns/oa#"

#: Triples one article brings on average (with its share of the entities it introduces).
TRIPLES_PER_ARTICLE = 150

#: The project's own reference concepts the generated facts use (data/reference/).
MONEY_VARIABLES = ("bilateral-trade-turnover", "export-value", "import-value", "import-export-volume")
PRODUCTS = ("automobiles", "motorcycles", "spare-parts", "electronics", "agricultural-products")
QUALIFIERS = ("exact", "approximately", "more-than", "nearly")
#: The unit of a relative change: the project's reference data names it id/unit/percent-change since the
#: statistical cube (issue 12); before, growth was in id/unit/percent. The generator follows the project.
_REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference" / "statistics.ttl"
GROWTH_UNIT = (
    "percent-change"
    if _REFERENCE.is_file() and "<id/unit/percent-change>" in _REFERENCE.read_text(encoding="utf-8")
    else "percent"
)

_SYLLABLES = ("ka", "lo", "mi", "ra", "su", "ven", "dor", "ta", "ne", "bar", "sel", "qui", "zan", "or", "pel")
_FR_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


@dataclass
class World:
    """The entities already introduced (each is described once, by the first article naming it)."""

    base: str
    rng: random.Random
    countries: int
    regions: int
    blocs: int
    companies: int
    publishers: int
    seen: set[str] = field(default_factory=set)
    names: dict[str, str] = field(default_factory=dict)

    def iri(self, kind: str, slug: str) -> str:
        """The IRI of a generated resource."""
        return f"{self.base}id/{kind}/gen-{slug}"

    def name(self, key: str) -> str:
        """A pronounceable invented name, stable for a key."""
        if key not in self.names:
            rng = random.Random(f"{self.rng.random()}:{key}")
            word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
            self.names[key] = word.capitalize()
        return self.names[key]


class Writer:
    """N-Triples lines for one generated dataset."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.lines: list[str] = []

    def iri(self, s: str, p: str, o: str) -> None:
        """A triple whose object is an IRI."""
        self.lines.append(f"<{s}> <{p}> <{o}> .")

    def lit(self, s: str, p: str, value: str, lang: str | None = None, datatype: str | None = None) -> None:
        """A triple whose object is a literal (tagged, typed or plain)."""
        text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        if lang:
            obj = f'"{text}"@{lang}'
        elif datatype:
            obj = f'"{text}"^^<{datatype}>'
        else:
            obj = f'"{text}"'
        self.lines.append(f"<{s}> <{p}> {obj} .")

    def labels(self, s: str, fr: str, en: str) -> None:
        """One French and one English rdfs:label."""
        self.lit(s, f"{RDFS}label", fr, lang="fr")
        self.lit(s, f"{RDFS}label", en, lang="en")


def world_for(triples: int, seed: int, base: str) -> World:
    """How many economies, companies … a dataset of this size names (more articles, more actors)."""
    articles = max(1, triples // TRIPLES_PER_ARTICLE)
    return World(
        base=base,
        rng=random.Random(seed),
        countries=min(400, max(12, articles // 25)),
        regions=8,
        blocs=min(40, max(2, articles // 300)),
        companies=max(10, articles // 4),
        publishers=min(200, max(3, articles // 100)),
    )


def generate(triples: int, seed: int = 1, base: str = BASE) -> Iterator[str]:
    """N-Triples lines of about ``triples`` triples of valid trade data (deterministic for a seed)."""
    world = world_for(triples, seed, base)
    written = 0
    article = 0
    while written < triples:
        out = Writer(base)
        _article(world, out, article)
        article += 1
        written += len(out.lines)
        yield from out.lines


def _tlo(world: World, name: str) -> str:
    return f"{world.base}ontology#{name}"


def _ref(world: World, kind: str, slug: str) -> str:
    return f"{world.base}id/{kind}/{slug}"


def _article(world: World, out: Writer, k: int) -> None:
    rng = world.rng
    tlo = lambda name: _tlo(world, name)  # noqa: E731
    art = world.iri("article", f"{k:06d}")
    year = rng.randint(1998, 2024)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    publisher_n = rng.randrange(world.publishers)
    a, b = rng.sample(range(world.countries), 2)
    a, b = min(a, b), max(a, b)
    company_n = rng.randrange(world.companies)
    name_a, name_b = world.name(f"country{a}"), world.name(f"country{b}")
    company_name = world.name(f"company{company_n}") + " " + world.name(f"companyb{company_n}")

    # The sentences of the article, in order; each quote's offsets count in the article's text.
    value = rng.randint(10, 99_000) * 10_000_000
    growth = round(rng.uniform(-30.0, 60.0), 1)
    factor = rng.choice(("2", "1.5", "3"))
    horizon = min(2035, year + rng.randint(3, 10))
    sentences = [
        f"{name_a} et {name_b} veulent renforcer leurs échanges commerciaux.",
        f"En {year}, les échanges entre {name_a} et {name_b} ont atteint {value / 1e9:.2f} milliards de dollars.".replace(".", ",", 1),
        f"Cela représente une variation de {growth} % par rapport à l'année précédente.".replace(".", ",", 1),
        f"Les deux pays s'engagent à multiplier leurs échanges par {factor} d'ici {horizon}.",
        f"Les ministres se sont rencontrés le {day} {_FR_MONTHS[month - 1]} {year} à {name_a}-Ville.",
        f"L'entreprise {company_name} exporte des produits de {name_a} vers {name_b}.",
    ]  # fmt: skip
    quotes = []
    offset = rng.randint(0, 200)
    for n, sentence in enumerate(sentences, start=1):
        quote = world.iri("quote", f"{k:06d}-{n:02d}")
        quotes.append(quote)
        out.iri(quote, f"{RDF}type", tlo("SourceQuote"))
        out.labels(quote, f"article généré {k:06d}, phrase {n}", f"generated article {k:06d}, sentence {n}")
        out.iri(quote, f"{OA}hasSource", art)
        out.iri(quote, f"{OA}hasSelector", f"{quote}#exact")
        out.iri(quote, f"{OA}hasSelector", f"{quote}#position")
        out.iri(f"{quote}#exact", f"{RDF}type", f"{OA}TextQuoteSelector")
        out.lit(f"{quote}#exact", f"{OA}exact", sentence)
        out.iri(f"{quote}#position", f"{RDF}type", f"{OA}TextPositionSelector")
        out.lit(f"{quote}#position", f"{OA}start", str(offset), datatype=f"{XSD}integer")
        out.lit(f"{quote}#position", f"{OA}end", str(offset + len(sentence)), datatype=f"{XSD}integer")
        offset += len(sentence) + 1

    # The article and its publisher.
    out.iri(art, f"{RDF}type", f"{SCHEMA}NewsArticle")
    headline = f"{name_a} et {name_b} : des échanges en hausse"
    out.labels(
        art, f"article généré {k:06d} : {headline}", f"generated article {k:06d}: {name_a}–{name_b} trade"
    )
    out.lit(art, f"{SCHEMA}inLanguage", "fr")
    out.iri(art, tlo("textCopy"), f"{world.base}articles/{k % 1000:03d}_{rng.getrandbits(64):016x}.txt")
    out.lit(art, f"{SCHEMA}headline", headline, lang="fr")
    out.lit(
        art, f"{SCHEMA}datePublished", f"{year}-{month:02d}-{day:02d}T08:00:00Z", datatype=f"{XSD}dateTime"
    )
    publisher = world.iri("org", f"publisher-{publisher_n}")
    out.iri(art, f"{SCHEMA}publisher", publisher)
    _publisher(world, out, publisher_n, quotes[0])

    # The parties and their relation.
    country_a, country_b = (_country(world, out, n, quotes[0]) for n in (a, b))
    relation = world.iri("relation", f"{a}-{b}")
    if relation not in world.seen:
        world.seen.add(relation)
        out.iri(relation, f"{RDF}type", tlo("BilateralTradeRelation"))
        out.labels(relation, f"relation commerciale {name_a}–{name_b}", f"{name_a}–{name_b} trade relation")
        out.iri(relation, tlo("party"), country_a)
        out.iri(relation, tlo("party"), country_b)
        out.iri(relation, tlo("sourceArticle"), art)
        out.iri(relation, tlo("sourceQuote"), quotes[0])
    out.iri(relation, tlo("describedBy"), quotes[0])

    # A level and its growth.
    period, base_period = _period(world, out, year), _period(world, out, year - 1)
    variable = _ref(world, "variable", rng.choice(MONEY_VARIABLES))
    level = world.iri("observation", f"{k:06d}-level")
    out.iri(level, f"{RDF}type", tlo("LevelObservation"))
    out.labels(
        level,
        f"échanges {name_a}–{name_b} en {year} (article généré {k:06d})",
        f"{name_a}–{name_b} trade in {year} (generated article {k:06d})",
    )
    for p, o in (
        ("observationOf", relation),
        ("variable", variable),
        ("observedArea", country_a),
        ("counterpartArea", country_b),
        ("refPeriod", period),
        ("unit", _ref(world, "unit", "usd")),
        ("valueQualifier", _ref(world, "qualifier", rng.choice(QUALIFIERS))),
        ("sourceArticle", art),
        ("sourceQuote", quotes[1]),
    ):
        out.iri(level, tlo(p), o)
    out.lit(level, tlo("value"), str(value), datatype=f"{XSD}decimal")
    rise = world.iri("observation", f"{k:06d}-growth")
    out.iri(rise, f"{RDF}type", tlo("GrowthObservation"))
    out.labels(
        rise,
        f"croissance des échanges {name_a}–{name_b} en {year} (article généré {k:06d})",
        f"growth of {name_a}–{name_b} trade in {year} (generated article {k:06d})",
    )
    for p, o in (
        ("growthOf", level),
        ("observationOf", relation),
        ("variable", variable),
        ("observedArea", country_a),
        ("counterpartArea", country_b),
        ("refPeriod", period),
        ("basePeriod", base_period),
        ("unit", _ref(world, "unit", GROWTH_UNIT)),
        ("valueQualifier", _ref(world, "qualifier", "exact")),
        ("sourceArticle", art),
        ("sourceQuote", quotes[2]),
    ):
        out.iri(rise, tlo(p), o)
    out.lit(rise, tlo("value"), str(growth), datatype=f"{XSD}decimal")

    # A target.
    target = world.iri("target", f"{k:06d}")
    out.iri(target, f"{RDF}type", tlo("Target"))
    out.labels(
        target,
        f"multiplier par {factor} les échanges {name_a}–{name_b} d'ici {horizon}",
        f"multiply {name_a}–{name_b} trade by {factor} by {horizon}",
    )
    for p, o in (
        ("targetOf", relation),
        ("variable", _ref(world, "variable", "bilateral-trade-turnover")),
        ("horizon", _period(world, out, horizon)),
        ("committedBy", country_a),
        ("committedBy", country_b),
        ("sourceArticle", art),
        ("sourceQuote", quotes[3]),
    ):
        out.iri(target, tlo(p), o)
    out.lit(target, tlo("targetFactor"), factor, datatype=f"{XSD}decimal")

    # A dated meeting.
    meeting = world.iri("event", f"{k:06d}-meeting")
    out.iri(meeting, f"{RDF}type", tlo("Meeting"))
    out.labels(
        meeting,
        f"rencontre des ministres de {name_a} et de {name_b}",
        f"meeting of the ministers of {name_a} and {name_b}",
    )
    for p, o in (
        ("participant", country_a),
        ("participant", country_b),
        ("location", country_a),
        ("partOfRelation", relation),
        ("sourceArticle", art),
        ("sourceQuote", quotes[4]),
    ):
        out.iri(meeting, tlo(p), o)
    out.lit(meeting, tlo("date"), f"{year}-{month:02d}-{day:02d}", datatype=f"{XSD}date")
    out.lit(meeting, tlo("dateAsStated"), f"le {day} {_FR_MONTHS[month - 1]} {year}", lang="fr")

    # A company and its exports.
    company = _company(world, out, company_n, company_name, a, quotes[5])
    flow = world.iri("flow", f"{k:06d}")
    product = rng.choice(PRODUCTS)
    out.iri(flow, f"{RDF}type", tlo("TradeFlow"))
    out.labels(
        flow,
        f"exportations de {company_name} de {name_a} vers {name_b}",
        f"exports of {company_name} from {name_a} to {name_b}",
    )
    for p, o in (
        ("exporter", company),
        ("importer", country_b),
        ("product", _ref(world, "product", product)),
        ("partOfRelation", relation),
        ("sourceArticle", art),
        ("sourceQuote", quotes[5]),
    ):
        out.iri(flow, tlo(p), o)
    for mentioned in (country_a, country_b, company, relation):
        out.iri(art, f"{SCHEMA}mentions", mentioned)


def _country(world: World, out: Writer, n: int, quote: str) -> str:
    country = world.iri("place", f"country-{n}")
    if country not in world.seen:
        world.seen.add(country)
        name = world.name(f"country{n}")
        out.iri(country, f"{RDF}type", _tlo(world, "Country"))
        out.labels(country, f"République de {name}", f"Republic of {name}")
        out.iri(country, _tlo(world, "locatedIn"), _region(world, out, n % world.regions, quote))
        out.iri(country, _tlo(world, "memberOf"), _bloc(world, out, n % world.blocs, quote))
    out.iri(country, _tlo(world, "describedBy"), quote)
    return country


def _region(world: World, out: Writer, n: int, quote: str) -> str:
    region = world.iri("place", f"region-{n}")
    if region not in world.seen:
        world.seen.add(region)
        name = world.name(f"region{n}")
        out.iri(region, f"{RDF}type", _tlo(world, "GeographicRegion"))
        out.labels(region, f"région de {name}", f"{name} region")
        out.iri(region, _tlo(world, "describedBy"), quote)
    return region


def _bloc(world: World, out: Writer, n: int, quote: str) -> str:
    bloc = world.iri("org", f"bloc-{n}")
    if bloc not in world.seen:
        world.seen.add(bloc)
        name = world.name(f"bloc{n}")
        out.iri(bloc, f"{RDF}type", _tlo(world, "RegionalBloc"))
        out.labels(bloc, f"Communauté économique de {name}", f"{name} Economic Community")
        out.iri(bloc, _tlo(world, "describedBy"), quote)
    return bloc


def _publisher(world: World, out: Writer, n: int, quote: str) -> str:
    publisher = world.iri("org", f"publisher-{n}")
    if publisher not in world.seen:
        world.seen.add(publisher)
        name = world.name(f"publisher{n}")
        out.iri(publisher, f"{RDF}type", _tlo(world, "NewsPublisher"))
        out.labels(publisher, f"Le Courrier de {name}", f"{name} Courier")
        out.iri(publisher, _tlo(world, "describedBy"), quote)
    return publisher


def _company(world: World, out: Writer, n: int, name: str, country: int, quote: str) -> str:
    company = world.iri("org", f"company-{n}")
    if company not in world.seen:
        world.seen.add(company)
        out.iri(company, f"{RDF}type", _tlo(world, "Company"))
        out.labels(company, f"société {name}", f"{name} company")
        out.iri(company, _tlo(world, "country"), world.iri("place", f"country-{country}"))
    out.iri(company, _tlo(world, "describedBy"), quote)
    return company


def _period(world: World, out: Writer, year: int) -> str:
    period = world.iri("period", str(year))
    if period not in world.seen:
        world.seen.add(period)
        out.iri(period, f"{RDF}type", _tlo(world, "Period"))
        out.labels(period, f"année {year} (données générées)", f"year {year} (generated data)")
        out.lit(period, _tlo(world, "year"), str(year), datatype=f"{XSD}gYear")
        out.lit(period, _tlo(world, "startDate"), f"{year}-01-01", datatype=f"{XSD}date")
        out.lit(period, _tlo(world, "endDate"), f"{year}-12-31", datatype=f"{XSD}date")
    return period


def write(
    folder: Path, triples: int, seed: int = 1, base: str = BASE, file_triples: int = 100_000
) -> list[Path]:
    """Write the generated data as N-Triples files of at most ``file_triples`` lines; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.nt"):
        old.unlink()
    paths: list[Path] = []
    chunk: list[str] = []

    def flush() -> None:
        path = folder / f"part-{len(paths):04d}.nt"
        path.write_text("\n".join(chunk) + "\n", encoding="utf-8")
        paths.append(path)
        chunk.clear()

    for line in generate(triples, seed, base):
        chunk.append(line)
        if len(chunk) >= file_triples:
            flush()
    if chunk:
        flush()
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: write N-Triples files of generated trade data."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=10_000, help="about how many triples (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--base", default=BASE, help="base IRI of the dataset")
    parser.add_argument("--out", type=Path, required=True, help="folder to write part-NNNN.nt files into")
    parser.add_argument("--file-triples", type=int, default=100_000, help="triples per file (default 100000)")
    args = parser.parse_args(argv)
    paths = write(args.out, args.triples, args.seed, args.base, args.file_triples)
    print(f"wrote {len(paths)} file(s) under {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
