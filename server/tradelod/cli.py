"""The ``tradelod`` command: validate, build, ingest an article, locate a quote, serve."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from .config import DEFAULTS, build_dir, env_overrides


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``tradelod`` console script."""
    settings = {**DEFAULTS, **env_overrides()}
    parser = argparse.ArgumentParser(prog="tradelod", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def with_root(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--root", default=settings["ROOT"], help="project directory (default: current directory)"
        )
        p.add_argument(
            "--base", default=settings["BASE_IRI"], help="base IRI the sources are resolved against"
        )

    p_validate = sub.add_parser("validate", help="validate data + ontology against the SHACL shapes")
    with_root(p_validate)

    p_build = sub.add_parser("build", help="validate, then publish store, dumps and description")
    with_root(p_build)
    p_build.add_argument("--out", default=None, help="build directory (default: ROOT/build)")
    p_build.add_argument(
        "--source",
        action="append",
        default=[],
        type=Path,
        metavar="PATH",
        help="also publish this file or folder of .ttl/.nt/.nq/.trig (repeatable; adds to SOURCES)",
    )

    for name, text in (
        ("quote", "print a sentence's code-point offsets in an article, or the nearest match"),
        ("locate", "the same as quote (kept for its first users)"),
    ):
        p_quote = sub.add_parser(name, help=text)
        p_quote.add_argument("file", type=Path)
        p_quote.add_argument("sentence")

    p_ingest = sub.add_parser(
        "ingest", help="register a French article and write its draft Turtle for review"
    )
    with_root(p_ingest)
    p_ingest.add_argument("article", type=Path, help="the article as UTF-8 text")
    p_ingest.add_argument("--title", help="the title the article prints")
    p_ingest.add_argument("--publisher", help="the publisher the article names")
    p_ingest.add_argument(
        "--date", help="the publication date it prints: 2025-08-23 or 2025-08-23T08:40:00+01:00"
    )
    p_ingest.add_argument("--url", help="the address it was published at")
    p_ingest.add_argument(
        "--slug", help="English slug of the draft file name (default: the places it names most)"
    )

    p_serve = sub.add_parser("serve", help="serve the current build with gunicorn")
    with_root(p_serve)
    p_serve.add_argument("--out", default=None, help="build directory (default: ROOT/build)")
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--workers", type=int, default=int(settings["WORKERS"]))
    p_serve.add_argument(
        "--store",
        default=settings["STORE"],
        help="'embedded' (default) or the URL of a SPARQL 1.1 query endpoint holding the release "
        "(environment TRADELOD_STORE)",
    )
    p_serve.add_argument(
        "--store-gsp", default=settings["STORE_GSP"], help="the engine's Graph Store Protocol endpoint"
    )
    p_serve.add_argument(
        "--front",
        choices=("auto", "nginx", "none"),
        default=str(settings["FRONT"]),
        help="nginx in front of gunicorn: when installed (auto), required, or never (default: FRONT)",
    )
    p_serve.add_argument(
        "--print-nginx", action="store_true", help="print the nginx configuration for these settings and exit"
    )

    p_load = sub.add_parser(
        "load", help="publish the current build into a SPARQL engine, switching releases atomically"
    )
    with_root(p_load)
    p_load.add_argument("--out", default=None, help="build directory (default: ROOT/build)")
    p_load.add_argument(
        "--into",
        default=settings["STORE"] if settings["STORE"] != "embedded" else None,
        help="the engine's SPARQL query endpoint (environment TRADELOD_STORE)",
    )
    p_load.add_argument(
        "--update",
        default=settings["STORE_UPDATE"],
        help="its SPARQL Update endpoint (default: the --into URL)",
    )
    p_load.add_argument(
        "--gsp",
        default=settings["STORE_GSP"],
        help="its Graph Store Protocol endpoint (default: none, load with INSERT DATA)",
    )

    args = parser.parse_args(argv)
    if args.command in ("locate", "quote"):
        return _quote(args.file, args.sentence)
    root = Path(args.root).resolve()
    if args.command == "ingest":
        return _ingest(args, root)
    if args.command == "validate":
        return _validate(root, args.base)
    out = build_dir(root, args.out or settings["BUILD_DIR"])
    if args.command == "build":
        sources = [root / Path(p) for p in settings["SOURCES"]] + [Path(p).resolve() for p in args.source]
        return _build(root, out, args.base, sources)
    if args.command == "load":
        return _load(out, args.into, args.update, args.gsp, settings)
    if args.print_nginx:
        from .serve.front import render

        run_dir = Path(settings["RUN_DIR"] or "/run/tradelod")
        print(render(settings, args.host, args.port, run_dir), end="")
        return 0
    from .serve import serve

    store = {"STORE": args.store, "STORE_GSP": args.store_gsp}
    return serve(
        root=root,
        out=out,
        base=args.base,
        host=args.host,
        port=args.port,
        workers=args.workers,
        store=store,
        overrides={"FRONT": args.front},
    )


def _validate(root: Path, base: str) -> int:
    from tradelod.graph.review_marks import describe, unreviewed
    from tradelod.graph.sources import SourceError
    from tradelod.graph.validation import validate_project

    try:
        report = validate_project(root, base)
    except SourceError as error:
        print(f"invalid: {error}", file=sys.stderr)
        return 1
    print(report.text())
    drafts = unreviewed(root, base)
    if drafts:
        print("drafts still to review (the build refuses them until their tlr: marks are gone):")
        print(describe(drafts))
    return 0 if report.conforms else 1


def _build(root: Path, out: Path, base: str, sources: list[Path]) -> int:
    from tradelod.graph.build import BuildError, build
    from tradelod.graph.sources import SourceError

    try:
        with _signals_interrupt():
            summary = build(root, out, base, sources=sources)
    except SourceError as error:
        print(f"build refused: {error}", file=sys.stderr)
        return 1
    except BuildError as error:
        print(f"build refused: {error}", file=sys.stderr)
        return 1
    except _Interrupted as stop:
        print(f"build stopped by {stop.name}: nothing was published", file=sys.stderr)
        return 128 + stop.number
    print(summary.text())
    return 0


def _load(out: Path, into: str | None, update: str, gsp: str, settings: dict[str, object]) -> int:
    from .store.engine import EngineClient, EngineRefused, EngineSettings, EngineUnavailable, shown
    from .store.publish import LoadError, publish

    if not into or into == "embedded":
        print("load: give the engine's SPARQL endpoint with --into URL (or TRADELOD_STORE)", file=sys.stderr)
        return 2
    engine = EngineSettings.from_config({**settings, "STORE": into, "STORE_UPDATE": update, "STORE_GSP": gsp})
    # A load waits for long writes and reports a failure at once: no pause between attempts.
    engine = EngineSettings(**{**engine.__dict__, "read_seconds": 600.0, "pause_seconds": 0.0})
    client = EngineClient(engine)
    print(
        f"load: into {shown(into)}" + (f" (Graph Store Protocol {shown(gsp)})" if gsp else ""),
        file=sys.stderr,
    )
    try:
        summary = publish(
            (out / "current").resolve(),
            client,
            lambda m: print(m, file=sys.stderr, flush=True),
            chunk=int(str(settings["LOAD_CHUNK_TRIPLES"])),
        )
    except (LoadError, EngineUnavailable) as error:
        detail = error.detail if isinstance(error, EngineUnavailable) else str(error)
        print(f"load failed, the previous release is still served: {detail}", file=sys.stderr)
        return 1
    except EngineRefused as error:
        print(f"load failed, the previous release is still served: {error}", file=sys.stderr)
        return 1
    finally:
        client.close()
    print(summary.text())
    return 0


class _Interrupted(BaseException):
    """A signal asked the build to stop (raised in the main thread, so every clean-up runs)."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number
        self.name = signal.Signals(number).name


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[None]:
    """Turn SIGTERM, SIGHUP and SIGINT into an exception, so a stopped build removes its staging folder
    and its child processes (pyLODE) instead of dying with them left behind."""

    def interrupt(number: int, _frame: object) -> None:
        raise _Interrupted(number)

    wanted = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
    previous = {number: signal.signal(number, interrupt) for number in wanted}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _quote(path: Path, sentence: str) -> int:
    from tradelod.ingest.quote import locate
    from tradelod.ingest.register import IngestError, read_article

    try:
        _, text = read_article(path)
    except IngestError as error:
        print(error, file=sys.stderr)
        return 1
    found = locate(text, sentence)
    if found is None:
        print(f"not found in {path.name}, nor anything close: {sentence!r}", file=sys.stderr)
        return 1
    if found.exact:
        if found.occurrences > 1:
            print(
                f"warning: the sentence occurs {found.occurrences} times in {path.name}; first occurrence shown",
                file=sys.stderr,
            )
        print(f"oa:start {found.start} ; oa:end {found.end}")
        return 0
    print(f"not found exactly in {path.name}; nearest match ({found.score:.1f}% similar):", file=sys.stderr)
    print(f"oa:start {found.start} ; oa:end {found.end}")
    print(f"oa:exact {json.dumps(found.text, ensure_ascii=False)}")
    return 2


def _ingest(args: argparse.Namespace, root: Path) -> int:
    from tradelod.ingest.register import IngestError, ingest

    try:
        done = ingest(
            args.article,
            root,
            args.base,
            title=args.title,
            publisher=args.publisher,
            published=args.date,
            url=args.url,
            slug=args.slug,
        )
    except IngestError as error:
        print(f"ingest refused: {error}", file=sys.stderr)
        return 1
    draft = done.draft
    print(f"article {done.number}: data/articles/{done.text_file.name}")
    print(f"draft:      data/{done.draft_file.name}")
    print(
        f"            {len(draft.figures)} figures, {len(draft.known)} entities of the graph, "
        f"{len(draft.proposed)} new entities proposed"
    )
    print("next: review the draft (every tlr: line), then `tradelod validate` and `tradelod build`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
