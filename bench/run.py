"""The benchmark: tradelod over each of its backends against Oxigraph server, rdflib-endpoint and Virtuoso 7.

    .venv/bin/python bench/run.py --size 100k            # make bench SIZE=100k
    flock /tmp/tradelod-timing.lock .venv/bin/python bench/run.py --size 1m --reuse-build

1. Generates the data (``bench/generate.py``, seeded) and builds it with ``tradelod build --source``
   (validation included), measuring the build's wall time and peak memory. ``--reuse-build`` keeps a
   build of the same size and seed made by an earlier run (recorded in ``<work>/<size>/built.json``);
   the report then gives that build's figures and says so. ``--build-only`` stops after the build.
2. Starts every system on 127.0.0.1 over the same data (``bench/systems.py``), measuring start time:
   tradelod over its embedded store, over Oxigraph server and over Virtuoso (both loaded by the real
   ``tradelod load``), and the peers.
3. Sends the query mix (``bench/queries.py``) over HTTP, each query as a repeated and as a new text,
   round after round; within a round the systems are asked in a shuffled order, so noise hits all
   alike. Result counts are compared across systems for every text. Per query and variant the report
   names the fastest tradelod backend (the one a publisher should pick) and whether it beats the best
   peer.
4. Dereferencing (``bench/documents.py``): latency of tradelod's documents over each backend and of
   Oxigraph server's DESCRIBE/CONSTRUCT of the same resources; one ``wrk`` run per system (and through
   ``tradelod serve``'s nginx front when nginx is installed); memory idle and under that load.

Medians, p95 and ratios to Oxigraph server (same run) go to ``bench/results/{size}-{time}.json`` and
``.md``. Exit status 1 when result counts disagree (``--smoke``: one round, used by ``make test``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import documents  # noqa: E402
import generate  # noqa: E402
import systems  # noqa: E402
from queries import Query, mix, parameters  # noqa: E402
from report import Measured, markdown, picks, summarise  # noqa: E402
from tradelod.store.embedded import has_union_graph  # noqa: E402

ROOT = HERE.parent
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
SELECT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "text/turtle"
#: What a build was made from, beside it: ``--reuse-build`` keeps only a build of the same size and seed.
BUILT = "built.json"


def count_results(form: str, body: bytes) -> int:
    """Rows of SPARQL JSON results, or triples of a Turtle graph."""
    if form == "select":
        return len(json.loads(body)["results"]["bindings"])
    return sum(1 for _ in ox.parse(body, format=ox.RdfFormat.TURTLE))


def build(size: int, seed: int, work: Path) -> dict[str, Any]:
    """Generate the data and build it with tradelod (validation included): wall time and peak memory."""
    (work / BUILT).unlink(missing_ok=True)  # a build half-replaced is no build to reuse
    data = work / "data"
    if data.exists():
        shutil.rmtree(data)
    paths = generate.write(data, size, seed)
    out = work / "build"
    if out.exists():
        shutil.rmtree(out)
    command = [sys.executable, "-m", "tradelod.cli", "build", "--root", str(ROOT), "--out", str(out)]
    command += ["--source", str(data)]
    started = time.monotonic()
    with (work / "build.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"the build failed:\n{(work / 'build.log').read_text()[-3000:]}")
    manifest = json.loads((out / "current" / "manifest.json").read_text())
    figures = {
        "generated_files": len(paths),
        "triples": manifest["triples"],
        "build_seconds": round(seconds, 1),
        "build_peak_mb": round(usage.ru_maxrss / 1024),
        "log": (work / "build.log").read_text(encoding="utf-8", errors="replace").strip().splitlines(),
    }
    record = {"size": size, "seed": seed, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    (work / BUILT).write_text(json.dumps({**record, "build": figures}, indent=1) + "\n", encoding="utf-8")
    return figures


def reusable(size: int, seed: int, work: Path) -> dict[str, Any] | None:
    """The figures of an earlier build in ``work`` of this size and seed, or None (then build anew)."""
    try:
        record = json.loads((work / BUILT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("size") != size or record.get("seed") != seed or not (work / "build" / "current").is_dir():
        return None
    return {**record["build"], "reused_from": record["date"]}


def peer_data(build_dir: Path, target: Path, reuse: bool) -> int:
    """The N-Triples the peers load (exported again unless reusing and already exported from this build)."""
    count = target.with_suffix(".count")
    if reuse and target.is_file() and count.is_file() and count.stat().st_mtime >= target.stat().st_mtime:
        return int(count.read_text())
    count.unlink(missing_ok=True)
    triples = export_ntriples(build_dir, target)
    count.write_text(str(triples))
    return triples


def export_ntriples(build_dir: Path, target: Path) -> int:
    """Every distinct triple of the store (union of its graphs) as N-Triples, for the peers."""
    store = ox.Store.read_only(str(build_dir / "current" / "store"))
    raw = target.with_suffix(".unsorted")
    # The default graph is the union, each triple once (``sort -u`` below for a build made before it was).
    union = store.quads_for_pattern(None, None, None, ox.DefaultGraph() if has_union_graph(store) else None)
    ox.serialize((quad.triple for quad in union), output=str(raw), format=ox.RdfFormat.N_TRIPLES)
    del store
    subprocess.run(["sort", "-u", "-o", str(target), str(raw)], check=True, env={**os.environ, "LC_ALL": "C"})
    raw.unlink()
    with target.open("rb") as lines:
        return sum(1 for _ in lines)


def ask(running: systems.Running, query: Query, text: str, timeout: float) -> tuple[float, int]:
    """Seconds for one query over HTTP (body read), and its result count."""
    accept = SELECT_ACCEPT if query.form == "select" else GRAPH_ACCEPT
    started = time.perf_counter()
    status, body = systems.sparql_get(running.query_url, text, accept, timeout, running.params)
    seconds = time.perf_counter() - started
    if status != 200:
        raise RuntimeError(f"HTTP {status}: {body[:200]!r}")
    return seconds, count_results(query.form, body)


def run_mix(
    running: list[systems.Running],
    queries: list[Query],
    rounds: int,
    budget: float,
    timeout: float,
    seed: int,
) -> tuple[dict[tuple[str, str, str], Measured], list[str]]:
    """Every query, repeated and new, on every system, interleaved; counts compared per text."""
    shuffle = random.Random(seed)
    results: dict[tuple[str, str, str], Measured] = {}
    disagreements: list[str] = []
    given_up: set[tuple[str, str]] = set()
    deadline = time.monotonic() + budget
    nonce = 1000
    for round_no in range(rounds + 1):  # round 0 warms every system up and is not counted
        if round_no > 1 and time.monotonic() > deadline:
            break
        for query in queries:
            for variant in ("repeated", "new"):
                nonce += 1
                text = query.text(None if variant == "repeated" else nonce)
                order = list(running)
                shuffle.shuffle(order)
                counts: dict[str, int] = {}
                for system in order:
                    if (system.name, query.name) in given_up:
                        continue
                    entry = results.setdefault((query.name, variant, system.name), Measured())
                    try:
                        seconds, count = ask(system, query, text, timeout)
                    except (OSError, RuntimeError, ValueError, SyntaxError) as error:
                        entry.failures.append(str(error)[:200])
                        given_up.add((system.name, query.name))  # a timeout is not retried every round
                        continue
                    counts[system.name] = count
                    if round_no > 0:
                        entry.times.append(seconds)
                        entry.counts.append(count)
                if len(set(counts.values())) > 1:
                    disagreements.append(f"{query.name} ({variant}, round {round_no}): {counts}")
    return results, disagreements


#: What each system's default graph holds: its distinct triples and all solutions of ``?s ?p ?o``
#: must be the same numbers everywhere (else some system sees more, e.g. the shared Virtuoso's
#: control graph or its second copy of the release, or less, or matches a triple stated in two
#: graphs twice, as a union-default-graph mode over named graphs would).
HOLDINGS = {
    "distinct": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    "solutions": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
}


def holdings(running: list[systems.Running], timeout: float) -> tuple[dict[str, dict[str, int]], list[str]]:
    """Triples each system's default graph holds (distinct, and all solutions); a disagreement if either differs."""
    seen: dict[str, dict[str, int]] = {}
    for system in running:
        for what, query in HOLDINGS.items():
            status, body = systems.sparql_get(system.query_url, query, SELECT_ACCEPT, timeout, system.params)
            if status != 200:
                raise RuntimeError(f"{system.name}: HTTP {status} counting its triples: {body[:200]!r}")
            n = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
            seen.setdefault(what, {})[system.name] = n
    differ = [
        f"{what} of ?s ?p ?o seen by each system: {n}" for what, n in seen.items() if len(set(n.values())) > 1
    ]
    return seen, differ


def start_systems(
    stack: contextlib.ExitStack, names: list[str], work: Path, peers_data: Path
) -> list[systems.Running]:
    """Start the systems asked for, in that order (Virtuoso: one process for the peer and tradelod)."""
    build_dir, logs = work / "build", work / "logs"
    started: dict[str, systems.Running] = {}
    engines = {}
    for backend in ("oxigraph", "virtuoso"):
        if f"tradelod-{backend}" not in names:
            continue
        print(f"[bench] starting {backend} and loading it with tradelod load …", file=sys.stderr, flush=True)
        began = time.monotonic()
        # Always a fresh engine, loaded anew: a restarted Virtuoso had lost part of its load (19,204 of
        # 20,780 triples at 10k), and Oxigraph server restarted on a 1M load did not answer in 90 s.
        folder = work / f"engine-{backend}"
        shutil.rmtree(folder, ignore_errors=True)
        engines[backend] = stack.enter_context(systems.engine(backend, folder))
        seconds = systems.load(build_dir, engines[backend], logs)
        started[f"tradelod-{backend}"] = stack.enter_context(
            systems.tradelod_over(engines[backend], build_dir, logs, seconds)
        )
        if backend == "virtuoso" and "virtuoso" in names:
            started["virtuoso"] = systems.virtuoso_shared(engines[backend], began)
    for name in names:
        if name in started:
            continue
        print(f"[bench] starting {name} …", file=sys.stderr, flush=True)
        if name == "tradelod":
            started[name] = stack.enter_context(systems.tradelod(build_dir, logs))
        elif name == "oxigraph":
            started[name] = stack.enter_context(systems.oxigraph(build_dir, logs))
        elif name == "rdflib-endpoint":
            started[name] = stack.enter_context(systems.rdflib_endpoint(peers_data, logs))
        elif name == "virtuoso":
            began = time.monotonic()
            folder = work / "virtuoso"
            shutil.rmtree(folder, ignore_errors=True)
            engine = stack.enter_context(systems.engine("virtuoso", folder))
            started[name] = systems.virtuoso_alone(engine, peers_data, began)
        else:
            raise SystemExit(f"unknown system {name!r}; known: {', '.join(systems.SYSTEMS)}")
    return [started[name] for name in names]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark at one size; print the Markdown report; exit 1 if result counts disagree."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="10k", help="10k, 100k, 1m, 10m or a number of triples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=11, help="measured rounds of the mix (default 11)")
    parser.add_argument("--budget", type=float, default=600.0, help="seconds after which no new round starts")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one request may take")
    parser.add_argument("--systems", default=",".join(systems.SYSTEMS), help="comma-separated")
    parser.add_argument("--work", type=Path, default=HERE / "work", help="folder for data, build and logs")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--smoke", action="store_true", help="one round, no wrk: do the systems agree?")
    parser.add_argument(
        "--reuse-build", action="store_true", help="keep an earlier build of the same size and seed in --work"
    )
    parser.add_argument("--build-only", action="store_true", help="generate and build, then stop")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so every system started is stopped by the blocks that started it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    size = SIZES.get(args.size.lower()) or int(args.size)
    names = [n.strip() for n in args.systems.split(",") if n.strip()]
    work = args.work / args.size
    work.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"size": args.size, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    report["command"] = " ".join(["bench/run.py", *(argv if argv is not None else sys.argv[1:])])
    report["versions"] = systems.environment()
    report["load_average"] = {"before": os.getloadavg()}
    earlier = reusable(size, args.seed, work) if args.reuse_build else None
    if earlier:
        print(f"[bench] reusing the build of {earlier['reused_from']} …", file=sys.stderr, flush=True)
        report["build"] = earlier
    else:
        print(f"[bench] generating and building {size} triples …", file=sys.stderr, flush=True)
        report["build"] = build(size, args.seed, work)
    if args.build_only:
        print(json.dumps({k: v for k, v in report["build"].items() if k != "log"}))
        return 0
    build_dir = work / "build"
    peers_data = work / "all.nt"
    needs_export = "rdflib-endpoint" in names or ("virtuoso" in names and "tradelod-virtuoso" not in names)
    report["peer_triples"] = peer_data(build_dir, peers_data, earlier is not None) if needs_export else None
    store = ox.Store.read_only(str(build_dir / "current" / "store"))
    params = parameters(store)
    del store
    report["parameters"] = params.__dict__
    queries = mix(params)
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    rounds = 1 if args.smoke else args.rounds
    with contextlib.ExitStack() as stack:
        running = start_systems(stack, names, work, peers_data)
        report["systems"] = [r.name for r in running]
        report["start_seconds"] = {r.name: round(r.started_seconds, 2) for r in running}
        report["load_seconds"] = {r.name: r.load_seconds for r in running if r.load_seconds is not None}
        report["notes"] = {r.name: r.notes for r in running if r.notes}
        print("[bench] query mix …", file=sys.stderr, flush=True)
        report["load_average"]["mix_start"] = os.getloadavg()
        results, disagreements = run_mix(running, queries, rounds, args.budget, args.timeout, args.seed)
        report["triples_seen"], differ = holdings(running, max(args.timeout, 120.0))
        disagreements += differ
        report["load_average"]["mix_end"] = os.getloadavg()
        report["memory_idle_mb"] = {r.name: systems.memory_mb(r.root_pid) for r in running}
        report["queries"] = summarise(results)
        report["picks"] = picks(report["queries"])
        report["disagreements"] = disagreements
        by_name = {r.name: r for r in running}
        tradelods = [r for r in running if r.name in systems.TRADELOD]
        if not args.smoke and tradelods and "oxigraph" in by_name:
            print("[bench] dereferencing and wrk …", file=sys.stderr, flush=True)
            front = (
                stack.enter_context(systems.front(build_dir, logs))
                if systems.nginx_missing() is None
                else None
            )
            report["dereferencing"] = documents.dereferencing(
                tradelods, by_name["oxigraph"], args.rounds, args.wrk_seconds, args.connections, front
            )
            if front is None:
                report["dereferencing"]["front"] = systems.nginx_missing()
    report["start_on_built_store_seconds"] = start_time(build_dir, logs) if not args.smoke else None
    report["load_average"]["end"] = os.getloadavg()
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = f"{args.size}-{time.strftime('%Y%m%dT%H%M%S')}"
    (args.results / f"{stamp}.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    text = markdown(report)
    (args.results / f"{stamp}.md").write_text(text, encoding="utf-8")
    print(text)
    return 1 if disagreements else 0


def start_time(build_dir: Path, logs: Path) -> dict[str, float]:
    """Seconds from starting tradelod (alone on the machine's cores) to its first document answered."""
    started = time.monotonic()
    with systems.tradelod(build_dir, logs) as running:
        assert running.document_url is not None
        status, _ = systems.get(running.document_url + "/doc/observation/gen-000001-level.ttl", "text/turtle")
        ready = time.monotonic() - started
        if status != 200:
            raise RuntimeError(f"first document: HTTP {status}")
    return {"tradelod_first_document": round(ready, 2)}


if __name__ == "__main__":
    sys.exit(main())
