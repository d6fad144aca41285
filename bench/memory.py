"""Where tradelod's memory goes, process by process, over a built store (the bench's front, alone).

    flock /tmp/tradelod-timing.lock .venv/bin/python bench/memory.py bench/work/1m/build --rounds 2

Starts tradelod as ``bench/systems.py`` does (the tests' ``live_server``: gunicorn, 2 workers of 4
threads, their query processes), then prints, for every process of the tree, RSS, PSS and its
anonymous / file-backed / shared / private parts (``/proc/PID/smaps_rollup``), and the total PSS that
``systems.memory_mb`` reports: after start, after ``--rounds`` of the query mix (repeated and new
texts), after the run's triple counts (``run.HOLDINGS``: a ``DISTINCT`` over every triple, which the
benchmark sends before it reads memory idle), after the four documents of ``documents.DOCUMENTS``
(whose median latency over HTTP it also prints), and at the peak of a ``wrk`` run on the Turtle document.
``--no-holdings`` leaves the triple counts out (the memory of the server's own work alone).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import systems
from documents import DOCUMENTS, wrk
from queries import mix, parameters
from run import HOLDINGS

SELECT_ACCEPT = "application/sparql-results+json"


def rollup(pid: int) -> dict[str, int]:
    """A process's ``smaps_rollup`` figures, in MB."""
    figures = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        figures[key.strip()] = int(value.split()[0]) // 1024
    return figures


def kind(pid: int) -> str:
    """What a process of the tree is: gunicorn (master or worker) or a query process."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    return (
        "query process"
        if "query_process" in command
        else "gunicorn"
        if "gunicorn" in command
        else command[:30]
    )


def show(label: str, root: int) -> None:
    """Print the tree's total PSS and every process's parts."""
    print(f"== {label}: total PSS {systems.memory_mb(root)} MB", flush=True)
    for pid in systems._tree(root):
        r = rollup(pid)
        print(
            f"  {pid:>7} {kind(pid):<14} RSS {r['Rss']:>5}  PSS {r['Pss']:>5}  anon {r.get('Pss_Anon', 0):>5}"
            f"  file {r.get('Pss_File', 0):>4}  shared {r['Shared_Clean'] + r['Shared_Dirty']:>4}"
            f"  private {r['Private_Clean'] + r['Private_Dirty']:>5}",
            flush=True,
        )


def main() -> int:
    """Start tradelod over the build, load it step by step, print the memory after each step."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build", type=Path, help="a build folder (with current/store)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-holdings", action="store_true")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--logs", type=Path, default=Path("/tmp"))
    args = parser.parse_args()
    store = ox.Store.read_only(str(args.build / "current" / "store"))
    queries = mix(parameters(store))
    del store
    with systems.live_server(
        args.build, args.logs, systems.TRADELOD_SETTINGS, workers=2, threads=4
    ) as server:
        root = server.process.pid
        show("started", root)
        for number in range(args.rounds):
            for query in queries:
                for nonce in (None, number):
                    accept = SELECT_ACCEPT if query.form == "select" else "text/turtle"
                    reply = server.query(query.text(nonce), accept=accept)
                    if reply.status != 200:
                        raise RuntimeError(f"{query.name}: HTTP {reply.status}")
        show(f"after {args.rounds} rounds of the mix", root)
        if not args.no_holdings:
            for text in HOLDINGS.values():
                if server.query(text, accept=SELECT_ACCEPT).status != 200:
                    raise RuntimeError("the triple count failed")
            show("after the triple counts of run.py", root)
        for name, (path, accept) in DOCUMENTS.items():
            times = []
            for _ in range(31):
                reply = server.request("GET", path, headers={"Accept": accept})
                if reply.status != 200:
                    raise RuntimeError(f"{path}: HTTP {reply.status}")
                times.append((reply.ended - reply.started) * 1000)
            print(f"document {name}: median {statistics.median(times[1:]):.2f} ms ({len(reply.body)} B)")
        show("after the documents (idle)", root)
        peak = [0.0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], systems.memory_mb(root))
                done.wait(0.5)

        sampler = threading.Thread(target=sample)
        sampler.start()
        path, accept = DOCUMENTS["turtle"]
        try:
            print("wrk:", wrk(server.url + path, accept, args.wrk_seconds, 8))
        finally:
            done.set()
            sampler.join()
        print(f"peak total PSS under wrk: {peak[0]} MB")
        show("after wrk", root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
