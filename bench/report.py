"""The benchmark's figures: medians, p95, ratios, the backend to pick per query, and the Markdown report."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

import systems


@dataclass
class Measured:
    """Times (s) and result counts of one query variant on one system."""

    times: list[float] = field(default_factory=list)
    counts: list[int | None] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


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


def picks(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per query and variant: the fastest tradelod backend, the best peer, and whether the first wins.

    ``ratio`` is the pick's median over the best peer's (below 1: tradelod is faster); systems that
    failed a query are not candidates.
    """
    by_key: dict[tuple[str, str], dict[str, float]] = {}
    for row in rows:
        if "median_ms" in row and "failure" not in row:
            by_key.setdefault((row["query"], row["variant"]), {})[row["system"]] = row["median_ms"]
    chosen = []
    for (query, variant), medians in by_key.items():
        ours = {name: ms for name, ms in medians.items() if name in systems.TRADELOD}
        peers = {name: ms for name, ms in medians.items() if name in systems.PEERS}
        if not ours:
            continue
        pick = min(ours, key=lambda name: ours[name])
        entry: dict[str, Any] = {
            "query": query,
            "variant": variant,
            "pick": systems.backend(pick),
            "pick_ms": ours[pick],
        }
        if peers:
            best = min(peers, key=lambda name: peers[name])
            ratio = round(ours[pick] / peers[best], 2)
            entry |= {"best_peer": best, "best_peer_ms": peers[best], "ratio": ratio, "beats": ratio < 1}
        chosen.append(entry)
    return chosen


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown tables (pasted into RESULTS.md)."""
    lines = [f"## {report['size']} ({report['build']['triples']} triples published)", ""]
    b = report["build"]
    built = f"Build (validation included): {b['build_seconds']} s, peak {b['build_peak_mb']} MB"
    if b.get("reused_from"):
        built += f" (figures of the earlier build of {b['reused_from']}, reused with --reuse-build)"
    lines += [
        built + ".",
        "",
        "tradelod's fronts run with their defaults (but the row limit and time limit above), so their answer "
        "cache is on: a *repeated* text is, after each worker's first, answered from memory "
        "(`X-Tradelod-Answer-Cache: hit`); a *new* text is always run.",
        "",
    ]
    loads = report.get("load_seconds") or {}
    lines.append("| system | start s | `tradelod load` s | memory idle MB |")
    lines.append("|---|---|---|---|")
    for name, start in report["start_seconds"].items():
        lines.append(
            f"| {name} | {start} | {loads.get(name, '')} | {report['memory_idle_mb'].get(name, '')} |"
        )
    seen = report.get("triples_seen")
    if seen:
        lines += [
            "",
            f"Distinct triples each system's queries see: {seen['distinct']}; solutions of `?s ?p ?o`: "
            f"{seen['solutions']}.",
        ]
    lines += _query_table(report)
    lines += _pick_table(report.get("picks", []))
    if report["disagreements"]:
        lines += ["", "**Result counts disagree:**", *(f"- {d}" for d in report["disagreements"])]
    if report.get("dereferencing"):
        lines += _documents(report["dereferencing"])
    return "\n".join(lines) + "\n"


def _query_table(report: dict[str, Any]) -> list[str]:
    lines = [
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
    return [*lines, "", "Cells: median / p95 ms (result count)."]


def _pick_table(chosen: list[dict[str, Any]]) -> list[str]:
    if not chosen:
        return []
    lines = [
        "",
        "| query | variant | backend to pick | its median ms | best peer | peer's median ms | faster than the best peer? |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in chosen:
        verdict = ""
        if "ratio" in c:
            verdict = f"{'yes' if c['beats'] else 'no'} ({c['ratio']}×)"
        lines.append(
            f"| {c['query']} | {c['variant']} | {c['pick']} | {c['pick_ms']} | {c.get('best_peer', '')} "
            f"| {c.get('best_peer_ms', '')} | {verdict} |"
        )
    return lines


def _documents(d: dict[str, Any]) -> list[str]:
    names = list(dict.fromkeys(row["system"] for row in d["latency"]))
    kinds = list(dict.fromkeys(row["document"] for row in d["latency"]))
    cell = {(row["system"], row["document"]): row for row in d["latency"]}
    lines = ["", "| document | " + " | ".join(names) + " |", "|---" * (1 + len(names)) + "|"]
    for kind in kinds:
        cells = []
        for name in names:
            row = cell.get((name, kind))
            cells.append(f"{row['median_ms']} / {row['p95_ms']} ({row['bytes']} B)" if row else "")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Cells: median / p95 ms (bytes); oxigraph: its DESCRIBE (Turtle, JSON-LD) and the CONSTRUCT of the",
        "quote's `#` parts.",
        "",
        "| wrk (Turtle document; oxigraph: DESCRIBE) | requests/s | median latency | non-2xx | ratio to oxigraph | memory under load MB |",
        "|---|---|---|---|---|---|",
    ]
    for name, v in d["wrk"].items():
        lines.append(
            f"| {name} | {v['requests_per_second']} | {v['median_latency']} | {v['non_2xx']} "
            f"| {d['wrk_ratio_to_oxigraph'].get(name, '')} | {d['memory_under_load_mb'].get(name, '')} |"
        )
    return lines
