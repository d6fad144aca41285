"""Benchmark: /search on the articles' data plus 1M generated triples (``bench/generate.py``).

Builds the project (``tradelod build``), bulk-loads the generated N-Triples into the release's store
as data graphs (``{base}graph/data/bench/part-NNNN.nt``, as a publisher's extra sources would be),
rebuilds the release's search index over everything (``graph/search_index.py``, what the build does),
then times ``GET /search?q=…`` through the app (Flask's test client: the view, the index, the store
lookups for types and figures, the HTML or JSON; no network) for a fixed set of queries: exact
words, typos, a transliteration, accents, words of quoted sentences, a figure, words that occur in
almost every generated sentence (the worst case), and a word found nowhere.

Bounded: ``--repeat`` timed runs per query and format after one warm-up. Not run by ``make test``.
Prepare the data first (minutes of CPU, nothing timed), then time under the shared timing lock:

    .venv/bin/python bench/search_speed.py --work /tmp/tradelod-search-bench --prepare-only
    flock /tmp/tradelod-timing.lock .venv/bin/python bench/search_speed.py --work /tmp/tradelod-search-bench
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox

from tradelod.app import create_app
from tradelod.graph.search_index import write_search_index

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/tradelod/"

#: What people type: (why it is here, query).
QUERIES: tuple[tuple[str, str], ...] = (
    ("exact label", "Kazakhstan"),
    ("typo", "Kazahstan"),
    ("transliteration", "Tchong"),
    ("accents, French label", "Pékin"),
    ("generated name", "Venlo"),
    ("typo of a generated name", "Venloo"),
    ("sentence words", "chiffre d'affaires bilatéral"),
    ("a figure", "43,8 milliards"),
    ("words of most generated sentences", "milliards de dollars"),
    ("no match", "zzqxv"),
)
FORMATS = {"json": "application/json", "html": "text/html"}


def prepare(work: Path, triples: int, seed: int) -> Path:
    """A build of the project with ``triples`` generated triples in its store and search index."""
    generated = work / f"generated-{triples}-{seed}"
    if not (generated / "part-0000.nt").is_file():
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "generate.py"), "--triples", str(triples),
             "--seed", str(seed), "--out", str(generated)],
            check=True,
        )  # fmt: skip
    build = work / "build"
    stamp = build / f".with-{triples}-{seed}"
    if stamp.is_file():
        return build
    subprocess.run(
        [sys.executable, "-m", "tradelod", "build", "--root", str(ROOT), "--out", str(build)], check=True
    )
    release = (build / "current").resolve()
    started = time.perf_counter()
    store = ox.Store(str(release / "store"))
    for part in sorted(generated.glob("part-*.nt")):
        graph = ox.NamedNode(f"{BASE}graph/data/bench/{part.name}")
        store.bulk_load(path=part, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    store.optimize()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    texts = write_search_index(release / "search.sqlite", store, BASE)
    indexed = time.perf_counter() - started
    size = (release / "search.sqlite").stat().st_size
    print(f"store: {len(store):,} quads (loaded in {loaded:.0f} s)")
    print(f"search index: {texts:,} texts, {size / 1e6:.0f} MB, written in {indexed:.0f} s")
    del store
    stamp.touch()
    return build


def main(argv: list[str] | None = None) -> int:
    """Prepare the data once, then print the median and slowest answer time of each query."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="folder for the data and the build")
    parser.add_argument("--triples", type=int, default=1_000_000, help="generated triples (default 1M)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per query and format")
    parser.add_argument("--prepare-only", action="store_true", help="build and index, time nothing")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    build = prepare(args.work, args.triples, args.seed)
    if args.prepare_only:
        return 0
    app = create_app({"ROOT": str(ROOT), "BUILD_DIR": str(build), "BASE_IRI": BASE})
    client = app.test_client()
    print(
        f"\n{'query':<36} {'hits':>5} {'json median':>12} {'json max':>9} {'html median':>12} {'html max':>9}"
    )
    medians = []
    for why, query in QUERIES:
        cells = []
        hits = 0
        for fmt, accept in FORMATS.items():
            url = "/search?" + urlencode({"q": query, "lang": "en"})
            response = client.get(url, headers={"Accept": accept})  # warm-up (opens the index)
            assert response.status_code == 200, (query, response.status_code)
            if fmt == "json":
                hits = len(response.get_json())
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get(url, headers={"Accept": accept})
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            medians.append(statistics.median(times))
            cells += [f"{statistics.median(times):10.1f}ms", f"{max(times):7.1f}ms"]
        print(f"{why + ': ' + query:<36} {hits:>5} {cells[0]:>12} {cells[1]:>9} {cells[2]:>12} {cells[3]:>9}")
    print(
        f"\nslowest median: {max(medians):.1f} ms (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
