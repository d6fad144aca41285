"""Benchmark: the public SPARQL endpoint against pyoxigraph's embedded store, as latency ratios.

For a few queries (the page's example queries plus three reference ones), the median latency of a
full HTTP round trip to ``/sparql`` on a real gunicorn (query check, a query process, serialisation,
HTTP) is divided by the median latency of the same query on the embedded store, results serialised
to the same format. A ratio says what the endpoint's safety (separate processes, parsing, limits)
costs; absolute times depend on the machine and are only printed for context.

Bounded: at most ``--repeat`` runs per query and side, and no new run once ``--budget`` seconds
have passed. Not run by ``make test``; ``make bench`` runs it on ``build/``.

    .venv/bin/python bench/run.py [--build build] [--repeat 15] [--budget 120]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the same live-server helper the tests use

from live_server import LiveServer, live_server  # noqa: E402
from tradelod.example_queries import load_examples  # noqa: E402
from tradelod.namespaces import all_prefixes  # noqa: E402

BASE = "https://w3id.org/tradelod/"
REFERENCE = {
    "count-all": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "labels": "SELECT ?s ?l WHERE { ?s rdfs:label ?l } ORDER BY ?s LIMIT 1000",
    "describe": "DESCRIBE <https://w3id.org/tradelod/id/place/chongqing>",
}


def embedded_once(store: ox.Store, query: str) -> float:
    """Seconds to run a query on the embedded store and serialise its whole result."""
    started = time.perf_counter()
    results = store.query(query, use_default_graph_as_union=True, prefixes=all_prefixes(BASE))
    if isinstance(results, ox.QueryTriples):
        ox.serialize(results, format=ox.RdfFormat.TURTLE)
    else:
        results.serialize(format=ox.QueryResultsFormat.JSON)
    return time.perf_counter() - started


def endpoint_once(server: LiveServer, query: str) -> float:
    """Seconds for one POST /sparql round trip, body read completely."""
    started = time.perf_counter()
    reply = server.request(
        "POST", "/sparql", body=urlencode({"query": query}),
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
    )  # fmt: skip
    if reply.status != 200:
        raise RuntimeError(f"HTTP {reply.status}: {reply.text[:200]}")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per query (and write bench/results/*.json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--build", type=Path, default=ROOT / "build", help="build directory (holding current/)"
    )
    parser.add_argument("--repeat", type=int, default=15, help="runs per query and side (default 15)")
    parser.add_argument("--budget", type=float, default=120.0, help="seconds before no new run starts")
    args = parser.parse_args(argv)
    if not (args.build / "current" / "store").is_dir():
        print(f"no build at {args.build}: run `tradelod build` first", file=sys.stderr)
        return 1
    queries = {**REFERENCE, **{e.name: e.query for e in load_examples()}}
    store = ox.Store.read_only(str(args.build / "current" / "store"))
    deadline = time.monotonic() + args.budget
    rows = []
    with tempfile.TemporaryDirectory() as logs, live_server(args.build, Path(logs)) as server:
        for name, query in queries.items():
            endpoint_once(server, query)  # warm up: the worker's query process opens the store
            embedded_once(store, query)
            ours, native = [], []
            for _ in range(args.repeat):
                if time.monotonic() > deadline:
                    break
                ours.append(endpoint_once(server, query))
                native.append(embedded_once(store, query))
            if not ours:
                print(f"{name:<45} skipped: time budget spent")
                continue
            row = {
                "query": name,
                "runs": len(ours),
                "endpoint_ms": round(statistics.median(ours) * 1000, 2),
                "embedded_ms": round(statistics.median(native) * 1000, 3),
                "ratio": round(statistics.median(ours) / max(statistics.median(native), 1e-6), 1),
            }
            rows.append(row)
            print(
                f"{name:<45} {row['runs']:>3} runs  endpoint {row['endpoint_ms']:>8.2f} ms  "
                f"embedded {row['embedded_ms']:>8.3f} ms  ratio {row['ratio']:>7.1f}"
            )
    if rows:
        ratios = [r["ratio"] for r in rows]
        print(f"median ratio endpoint/embedded over {len(rows)} queries: {statistics.median(ratios):.1f}")
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / f"sparql-{time.strftime('%Y%m%dT%H%M%S')}.json").write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
