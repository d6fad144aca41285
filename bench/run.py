"""The benchmark: tradelod against Oxigraph server, rdflib-endpoint and Virtuoso 7, in one run, one size.

    .venv/bin/python bench/run.py --size 100k            # make bench SIZE=100k
    flock /tmp/tradelod-timing.lock .venv/bin/python bench/run.py --size 1m

1. Generates the data (``bench/generate.py``, seeded) and builds it with ``tradelod build --source``
   (validation included), measuring the build's wall time and peak memory.
2. Starts every system on 127.0.0.1 over the same data (``bench/systems.py``), measuring start time.
3. Sends the query mix (``bench/queries.py``) over HTTP, each query as a repeated and as a new text,
   round after round; within a round the systems are asked in a shuffled order, so noise hits all
   alike. Result counts are compared across systems for every text.
4. Dereferencing: latency of tradelod's documents (Turtle, JSON-LD, HTML, a document with ``#``
   parts) and of Oxigraph server's DESCRIBE/CONSTRUCT of the same resources; ``wrk`` throughput of
   both at a fixed concurrency and duration; server memory idle and under that load.

Medians, p95 and ratios to Oxigraph server (same run) go to ``bench/results/{size}-{time}.json`` and
``.md``. Exit status 1 when result counts disagree (``--smoke``: one round, used by ``make test``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import systems  # noqa: E402
from queries import BASE, Query, mix, parameters  # noqa: E402

ROOT = HERE.parent
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
SELECT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "text/turtle"


@dataclass
class Measured:
    """Times (s) and result counts of one query variant on one system."""

    times: list[float] = field(default_factory=list)
    counts: list[int | None] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def count_results(form: str, body: bytes) -> int:
    """Rows of SPARQL JSON results, or triples of a Turtle graph."""
    if form == "select":
        return len(json.loads(body)["results"]["bindings"])
    return sum(1 for _ in ox.parse(body, format=ox.RdfFormat.TURTLE))


def build(size: int, seed: int, work: Path) -> dict[str, Any]:
    """Generate the data and build it with tradelod (validation included): wall time and peak memory."""
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
    return {
        "generated_files": len(paths),
        "triples": manifest["triples"],
        "build_seconds": round(seconds, 1),
        "build_peak_mb": round(usage.ru_maxrss / 1024),
        "log": (work / "build.log").read_text(encoding="utf-8", errors="replace").strip().splitlines(),
    }


def export_ntriples(build_dir: Path, target: Path) -> int:
    """Every distinct triple of the store (union of its graphs) as N-Triples, for the peers."""
    store = ox.Store.read_only(str(build_dir / "current" / "store"))
    raw = target.with_suffix(".unsorted")
    ox.serialize((quad.triple for quad in store), output=str(raw), format=ox.RdfFormat.N_TRIPLES)
    del store
    subprocess.run(["sort", "-u", "-o", str(target), str(raw)], check=True, env={**os.environ, "LC_ALL": "C"})
    raw.unlink()
    with target.open("rb") as lines:
        return sum(1 for _ in lines)


def ask(running: systems.Running, query: Query, text: str, timeout: float) -> tuple[float, int]:
    """Seconds for one query over HTTP (body read), and its result count."""
    accept = SELECT_ACCEPT if query.form == "select" else GRAPH_ACCEPT
    started = time.perf_counter()
    status, body = systems.sparql_get(running.query_url, text, accept, timeout)
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


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def summarise(results: dict[tuple[str, str, str], Measured]) -> list[dict[str, Any]]:
    """Median and p95 (ms) per query, variant and system, with the ratio to Oxigraph server."""
    rows = []
    for (query, variant, system), measured in sorted(results.items()):
        row: dict[str, Any] = {
            "query": query,
            "variant": variant,
            "system": system,
            "runs": len(measured.times),
        }
        if measured.times:
            row["median_ms"] = round(statistics.median(measured.times) * 1000, 2)
            row["p95_ms"] = round(percentile(measured.times, 0.95) * 1000, 2)
            row["count"] = measured.counts[-1]
        if measured.failures:
            row["failure"] = measured.failures[0]
        rows.append(row)
    native = {(r["query"], r["variant"]): r.get("median_ms") for r in rows if r["system"] == "oxigraph"}
    for row in rows:
        reference = native.get((row["query"], row["variant"]))
        if reference and row.get("median_ms"):
            row["ratio"] = round(row["median_ms"] / reference, 2)
    return rows


def dereferencing(
    tradelod: systems.Running, oxigraph: systems.Running, rounds: int, wrk_seconds: int, connections: int
) -> dict[str, Any]:
    """Latency of documents vs Oxigraph server's equivalent queries; wrk throughput; memory under load."""
    thing = f"{BASE}id/observation/gen-000001-level"
    quote = f"{BASE}id/quote/gen-000001-01"
    assert tradelod.document_url is not None
    doc = tradelod.document_url + "/doc/"
    pairs = {
        "document-turtle": (doc + "observation/gen-000001-level.ttl", "text/turtle"),
        "document-jsonld": (doc + "observation/gen-000001-level.jsonld", "application/ld+json"),
        "document-html": (doc + "observation/gen-000001-level", "text/html"),
        "hash-parts-turtle": (doc + "quote/gen-000001-01.ttl", "text/turtle"),
    }
    native = {
        "describe-turtle": (f"DESCRIBE <{thing}>", "text/turtle"),
        "describe-jsonld": (f"DESCRIBE <{thing}>", "application/ld+json"),
        "hash-parts-construct": (
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ <{quote}> <{quote}#exact> <{quote}#position> }} ?s ?p ?o }}",
            "text/turtle",
        ),
    }
    urls = {name: url for name, (url, _) in pairs.items()}
    urls |= {name: f"{oxigraph.query_url}?{urlencode({'query': q})}" for name, (q, _) in native.items()}
    accepts = {name: a for name, (_, a) in pairs.items()} | {name: a for name, (_, a) in native.items()}
    times: dict[str, list[float]] = {name: [] for name in urls}
    sizes: dict[str, int] = {}
    shuffle = random.Random(5)
    for round_no in range(rounds + 1):
        names = list(urls)
        shuffle.shuffle(names)
        for name in names:
            started = time.perf_counter()
            status, body = systems.get(urls[name], accepts[name])
            if status != 200 or not body:
                raise RuntimeError(f"{name}: HTTP {status}")
            if round_no:
                times[name].append(time.perf_counter() - started)
            sizes[name] = len(body)
    latency = {
        name: {
            "median_ms": round(statistics.median(v) * 1000, 2),
            "p95_ms": round(percentile(v, 0.95) * 1000, 2),
            "bytes": sizes[name],
        }
        for name, v in times.items()
    }
    idle = {
        "tradelod": systems.memory_mb(tradelod.root_pid),
        "oxigraph": systems.memory_mb(oxigraph.root_pid),
    }
    throughput: dict[str, Any] = {}
    peaks: dict[str, float] = {}
    for name, running in (("document-turtle", tradelod), ("describe-turtle", oxigraph)):
        peak = [0.0]
        done = threading.Event()

        sampler = threading.Thread(target=_sample, args=(running.root_pid, peak, done))
        sampler.start()
        try:
            throughput[name] = wrk(urls[name], accepts[name], wrk_seconds, connections)
        finally:
            done.set()
            sampler.join()
        peaks[running.name] = peak[0]
    ratio = None
    if throughput["describe-turtle"]["requests_per_second"]:
        ratio = round(
            throughput["document-turtle"]["requests_per_second"]
            / throughput["describe-turtle"]["requests_per_second"],
            3,
        )
    return {
        "latency": latency,
        "wrk": throughput,
        "wrk_ratio_tradelod_to_oxigraph": ratio,
        "memory_idle_mb": idle,
        "memory_under_load_mb": peaks,
    }


def _sample(root: int, into: list[float], done: threading.Event) -> None:
    """Keep the largest memory of a process tree seen until ``done`` is set (twice a second)."""
    while not done.is_set():
        into[0] = max(into[0], systems.memory_mb(root))
        done.wait(0.5)


def wrk(url: str, accept: str, seconds: int, connections: int) -> dict[str, Any]:
    """wrk's requests/s and latency at a fixed concurrency and duration (2 threads)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", f"Accept: {accept}", url]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    median = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    return {
        "requests_per_second": float(rate.group(1)) if rate else 0.0,
        "non_2xx": int(errors.group(1)) if errors else 0,
        "median_latency": f"{median.group(1)}{median.group(2)}" if median else None,
        "connections": connections,
        "seconds": seconds,
    }


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown tables (pasted into RESULTS.md)."""
    lines = [f"## {report['size']} ({report['build']['triples']} triples published)", ""]
    b = report["build"]
    lines.append(f"Build (validation included): {b['build_seconds']} s, peak {b['build_peak_mb']} MB.")
    lines.append("")
    lines.append("| system | start s | memory idle MB |")
    lines.append("|---|---|---|")
    for name, start in report["start_seconds"].items():
        lines.append(f"| {name} | {start} | {report['memory_idle_mb'].get(name, '')} |")
    lines += [
        "",
        "| query | variant | " + " | ".join(report["systems"]) + " | ratios to oxigraph |",
        "|---" * (3 + len(report["systems"])) + "|",
    ]
    by_key: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for row in report["queries"]:
        by_key.setdefault((row["query"], row["variant"]), {})[row["system"]] = row
    for (query, variant), row in by_key.items():
        cells = []
        ratios = []
        for name in report["systems"]:
            r = row.get(name, {})
            if "median_ms" in r:
                cells.append(f"{r['median_ms']} / {r['p95_ms']} ({r['count']})")
                if name != "oxigraph" and "ratio" in r:
                    ratios.append(f"{name} {r['ratio']}")
            else:
                cells.append("failed: " + r.get("failure", "not run")[:60].replace("|", "/"))
        lines.append(f"| {query} | {variant} | " + " | ".join(cells) + " | " + ", ".join(ratios) + " |")
    lines += ["", "Cells: median / p95 ms (result count)."]
    if report["disagreements"]:
        lines += ["", "**Result counts disagree:**", *(f"- {d}" for d in report["disagreements"])]
    d = report.get("dereferencing")
    if d:
        lines += ["", "| document | median ms | p95 ms | bytes |", "|---|---|---|---|"]
        for name, v in d["latency"].items():
            lines.append(f"| {name} | {v['median_ms']} | {v['p95_ms']} | {v.get('bytes', '')} |")
        lines += ["", "| wrk | requests/s | median latency | non-2xx |", "|---|---|---|---|"]
        for name, v in d["wrk"].items():
            lines.append(f"| {name} | {v['requests_per_second']} | {v['median_latency']} | {v['non_2xx']} |")
        lines.append("")
        lines.append(
            f"Turtle documents / Oxigraph DESCRIBE throughput: {d['wrk_ratio_tradelod_to_oxigraph']}; "
            f"memory under load (MB): {d['memory_under_load_mb']}."
        )
    return "\n".join(lines) + "\n"


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
    parser.add_argument("--results", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so every system started is stopped by the blocks that started it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    size = SIZES.get(args.size.lower()) or int(args.size)
    names = [n.strip() for n in args.systems.split(",") if n.strip()]
    work = args.work / args.size
    work.mkdir(parents=True, exist_ok=True)
    print(f"[bench] generating and building {size} triples …", file=sys.stderr, flush=True)
    report: dict[str, Any] = {"size": args.size, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    report["command"] = " ".join(["bench/run.py", *(argv if argv is not None else sys.argv[1:])])
    report["versions"] = systems.environment()
    report["build"] = build(size, args.seed, work)
    build_dir = work / "build"
    peers_data = work / "all.nt"
    report["peer_triples"] = (
        export_ntriples(build_dir, peers_data) if set(names) - {"tradelod", "oxigraph"} else None
    )
    store = ox.Store.read_only(str(build_dir / "current" / "store"))
    params = parameters(store)
    del store
    report["parameters"] = params.__dict__
    queries = mix(params)
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    rounds = 1 if args.smoke else args.rounds
    with contextlib.ExitStack() as stack:
        running: list[systems.Running] = []
        for name in names:
            print(f"[bench] starting {name} …", file=sys.stderr, flush=True)
            if name == "tradelod":
                running.append(stack.enter_context(systems.tradelod(build_dir, logs)))
            elif name == "oxigraph":
                running.append(stack.enter_context(systems.oxigraph(build_dir, logs)))
            elif name == "rdflib-endpoint":
                running.append(stack.enter_context(systems.rdflib_endpoint(peers_data, logs)))
            elif name == "virtuoso":
                folder = work / "virtuoso"
                shutil.rmtree(folder, ignore_errors=True)
                running.append(stack.enter_context(systems.virtuoso(peers_data, folder)))
        report["systems"] = [r.name for r in running]
        report["start_seconds"] = {r.name: round(r.started_seconds, 2) for r in running}
        print("[bench] query mix …", file=sys.stderr, flush=True)
        results, disagreements = run_mix(running, queries, rounds, args.budget, args.timeout, args.seed)
        report["memory_idle_mb"] = {r.name: systems.memory_mb(r.root_pid) for r in running}
        report["queries"] = summarise(results)
        report["disagreements"] = disagreements
        by_name = {r.name: r for r in running}
        if not args.smoke and "tradelod" in by_name and "oxigraph" in by_name:
            print("[bench] dereferencing and wrk …", file=sys.stderr, flush=True)
            report["dereferencing"] = dereferencing(
                by_name["tradelod"], by_name["oxigraph"], args.rounds, args.wrk_seconds, args.connections
            )
    report["start_on_built_store_seconds"] = start_time(build_dir, logs) if not args.smoke else None
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
