"""Dereferencing: tradelod's documents over each backend against Oxigraph server's DESCRIBE/CONSTRUCT.

Latency of the same four documents (Turtle, JSON-LD, HTML of one observation; Turtle of a quote with
``#`` parts) from every tradelod system, and of Oxigraph server's equivalent queries, asked in a
shuffled order round after round; then one ``wrk`` run per system (fixed concurrency and duration)
on the Turtle document (Oxigraph: its DESCRIBE), with the memory of each process tree idle and at its
peak under that load. ``front``, when given, is ``tradelod serve`` with its nginx front (the
production set-up) over the embedded store: its wrk line says what nginx adds or saves.
"""

from __future__ import annotations

import random
import re
import statistics
import subprocess
import threading
import time
from typing import Any
from urllib.parse import urlencode

import systems
from queries import BASE
from report import percentile

THING = f"{BASE}id/observation/gen-000001-level"
QUOTE = f"{BASE}id/quote/gen-000001-01"
#: Document kind -> (path under the server, Accept).
DOCUMENTS = {
    "turtle": ("/doc/observation/gen-000001-level.ttl", "text/turtle"),
    "jsonld": ("/doc/observation/gen-000001-level.jsonld", "application/ld+json"),
    "html": ("/doc/observation/gen-000001-level", "text/html"),
    "hash-parts": ("/doc/quote/gen-000001-01.ttl", "text/turtle"),
}
#: Document kind -> Oxigraph server's nearest equivalent (query, Accept); HTML has none.
NATIVE = {
    "turtle": (f"DESCRIBE <{THING}>", "text/turtle"),
    "jsonld": (f"DESCRIBE <{THING}>", "application/ld+json"),
    "hash-parts": (
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ <{QUOTE}> <{QUOTE}#exact> <{QUOTE}#position> }} ?s ?p ?o }}",
        "text/turtle",
    ),
}
FRONT = "tradelod-serve-nginx"


def dereferencing(
    tradelods: list[systems.Running],
    oxigraph: systems.Running,
    rounds: int,
    wrk_seconds: int,
    connections: int,
    front: str | None = None,
) -> dict[str, Any]:
    """Document latency per system and kind; wrk throughput and memory under load per system."""
    targets: dict[tuple[str, str], tuple[str, str]] = {}
    for running in tradelods:
        assert running.document_url is not None
        for kind, (path, accept) in DOCUMENTS.items():
            targets[(running.name, kind)] = (running.document_url + path, accept)
    for kind, (query, accept) in NATIVE.items():
        targets[("oxigraph", kind)] = (f"{oxigraph.query_url}?{urlencode({'query': query})}", accept)
    times: dict[tuple[str, str], list[float]] = {key: [] for key in targets}
    sizes: dict[tuple[str, str], int] = {}
    shuffle = random.Random(5)
    for round_no in range(rounds + 1):  # round 0 warms up and is not counted
        keys = list(targets)
        shuffle.shuffle(keys)
        for key in keys:
            url, accept = targets[key]
            started = time.perf_counter()
            status, body = systems.get(url, accept)
            if status != 200 or not body:
                raise RuntimeError(f"{key}: HTTP {status}")
            if round_no:
                times[key].append(time.perf_counter() - started)
            sizes[key] = len(body)
    latency = [
        {
            "system": system,
            "document": kind,
            "median_ms": round(statistics.median(values) * 1000, 2),
            "p95_ms": round(percentile(values, 0.95) * 1000, 2),
            "bytes": sizes[(system, kind)],
        }
        for (system, kind), values in times.items()
    ]
    loaded = [*tradelods, oxigraph]
    idle = {running.name: systems.memory_mb(running.root_pid) for running in loaded}
    throughput: dict[str, Any] = {}
    peaks: dict[str, float] = {}
    for running in loaded:
        url, accept = targets[(running.name, "turtle")]
        throughput[running.name], peaks[running.name] = _wrk_watched(
            url, accept, running.root_pid, wrk_seconds, connections
        )
    if front:
        path, accept = DOCUMENTS["turtle"]
        throughput[FRONT] = wrk(front + path, accept, wrk_seconds, connections)
    native = throughput["oxigraph"]["requests_per_second"]
    ratios = {
        name: round(measured["requests_per_second"] / native, 3) if native else None
        for name, measured in throughput.items()
        if name != "oxigraph"
    }
    return {
        "latency": latency,
        "wrk": throughput,
        "wrk_ratio_to_oxigraph": ratios,
        "memory_idle_mb": idle,
        "memory_under_load_mb": peaks,
    }


def _wrk_watched(
    url: str, accept: str, root: int, seconds: int, connections: int
) -> tuple[dict[str, Any], float]:
    """wrk against one system while its process tree's memory is sampled: (wrk figures, peak MB)."""
    peak = [0.0]
    done = threading.Event()
    sampler = threading.Thread(target=_sample, args=(root, peak, done))
    sampler.start()
    try:
        return wrk(url, accept, seconds, connections), peak[0]
    finally:
        done.set()
        sampler.join()


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
