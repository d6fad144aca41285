"""Document latency of two versions of the server over one build, requests interleaved (an A/B).

    git archive <commit> server | tar -x -C /tmp/a        # the older tree (copy its compiled .mo too)
    flock /tmp/tradelod-timing.lock .venv/bin/python bench/compare_trees.py BUILD /tmp/a/server server

Starts one tradelod front per server tree (``PYTHONPATH`` set to the tree, the rest as
``bench/systems.py`` starts tradelod), then asks each for the four documents of
``documents.DOCUMENTS`` round after round in a shuffled order, so that the noise of a shared machine
hits both alike; prints median and p95 per tree and document (the first round is not counted).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import systems
from documents import DOCUMENTS
from report import percentile


def main() -> int:
    """Start a front per tree and compare their documents' latency."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("build", type=Path)
    parser.add_argument("trees", nargs="+", help="folders holding the tradelod package (e.g. server)")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--logs", type=Path, default=Path("/tmp"))
    args = parser.parse_args()
    trees = [str(Path(tree).resolve()) for tree in args.trees]
    with contextlib.ExitStack() as stack:
        servers = {}
        for tree in trees:
            os.environ["PYTHONPATH"] = tree  # live_server passes the environment on to gunicorn
            servers[tree] = stack.enter_context(
                systems.live_server(args.build, args.logs, systems.TRADELOD_SETTINGS, workers=2, threads=4)
            )
        os.environ.pop("PYTHONPATH")
        times: dict[tuple[str, str], list[float]] = {(t, k): [] for t in trees for k in DOCUMENTS}
        shuffle = random.Random(3)
        for round_no in range(args.rounds + 1):
            keys = list(times)
            shuffle.shuffle(keys)
            for tree, kind in keys:
                path, accept = DOCUMENTS[kind]
                reply = servers[tree].request("GET", path, headers={"Accept": accept})
                if reply.status != 200:
                    raise RuntimeError(f"{tree} {path}: HTTP {reply.status}")
                if round_no:
                    times[(tree, kind)].append((reply.ended - reply.started) * 1000)
        for (tree, kind), values in times.items():
            print(
                f"{tree:<40} {kind:<10} median {statistics.median(values):7.2f} ms"
                f"  p95 {percentile(values, 0.95):7.2f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
