"""Subcommands ``cdkg serve``, ``cdkg push``, ``cdkg link``, and the generators of package data
``cdkg memberships-import`` and ``cdkg lexicon-import``: the graph beyond this machine's files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cdkg import paths
from cdkg.errors import CdkgError


def default_store() -> Path:
    """The store ``cdkg build`` writes: ``<build>/store``.

    Returns
    -------
    Path

    Examples
    --------
    >>> default_store().name
    'store'
    """
    return paths.build_dir() / "store"


def _add_serve_and_review(subparsers) -> None:
    """Add ``serve`` and ``review export`` (the workbench's two commands) to ``cdkg``."""
    from cdkg.graph.store.answers import DEFAULT_CACHE_MB

    serve = subparsers.add_parser(
        "serve", help="serve the graph over the SPARQL 1.1 Protocol on loopback",
        description="Serve the store over the SPARQL 1.1 Protocol (query at /query or /sparql, update "
                    "at /update) and the research workbench (/, /id/..., /doc/...). Read-only unless "
                    "--allow-update; read-only serving uses a snapshot of the store taken at start, "
                    "so builds and links can go on meanwhile.")
    serve.add_argument("--store", type=Path, default=None, help="store folder (default: build/store)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=7878, help="port (default 7878; 0 picks a free one)")
    serve.add_argument("--allow-update", action="store_true",
                       help="accept SPARQL Update (writes go to the store itself)")
    serve.add_argument("--timeout", type=float, default=30.0, help="query timeout in seconds (default 30)")
    serve.add_argument("--limit", type=int, default=10000,
                       help="most result rows (or triples) one answer returns (default 10000)")
    serve.add_argument("--workers", type=int, default=None,
                       help="queries run at once, each in its own engine process (default: cores, 4 to 8)")
    serve.add_argument("--queue", type=int, default=64,
                       help="requests that may wait for an engine; past that 503 + Retry-After (default 64)")
    serve.add_argument("--cache-mb", type=int, default=DEFAULT_CACHE_MB,
                       help="megabytes of answers kept for queries asked again while the store is "
                            f"unchanged; every update empties it (default {DEFAULT_CACHE_MB}; 0 keeps none)")
    serve.add_argument("--documents", type=Path, default=None,
                       help="folder of the documents' text files, for the evidence pages (default: data/documents)")
    serve.add_argument("--base-iri", default=None,
                       help="namespace of the graph's IRIs, served at /id/ (default https://w3id.org/cdkg/id/)")
    serve.add_argument("--review", action="store_true",
                       help="let reviewers accept, reject or correct facts on the evidence pages "
                            "(token printed at start, or CDKG_REVIEW_TOKEN)")
    serve.add_argument("--reviews", type=Path, default=None,
                       help="the reviews file (default: reviews.trig beside the store)")
    serve.set_defaults(func=_serve)

    review = subparsers.add_parser("review", help="reviews of extracted facts (made with cdkg serve --review)")
    review_commands = review.add_subparsers(dest="review_command", required=True)
    export = review_commands.add_parser(
        "export", help="write accepted and corrected facts as reference-facts files (for cdkg evaluate)",
        description="Write the facts whose latest review accepted or corrected them, one "
                    "<document>.gold.json per document, in the reference-facts format of the corpus.")
    export.add_argument("--store", type=Path, default=None, help="store folder (default: build/store)")
    export.add_argument("--reviews", type=Path, default=None,
                        help="the reviews file (default: reviews.trig beside the store)")
    export.add_argument("--out", type=Path, required=True, help="folder to write the .gold.json files into")
    export.set_defaults(func=_review_export)


def register(subparsers) -> None:
    """Add ``serve``, ``push``, ``link``, ``distributed``, ``memberships-import`` and ``lexicon-import`` to ``cdkg``.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        Where the store room's subcommands go (``cdkg.cli.build_parser`` passes its own).

    Returns
    -------
    None
        The subcommands are added to ``subparsers``.

    Examples
    --------
    >>> from cdkg.cli import build_parser
    >>> build_parser().parse_args(["push", "--endpoint", "http://127.0.0.1:7878/update"]).batch
    500
    """
    _add_serve_and_review(subparsers)

    push = subparsers.add_parser(
        "push", help="send the graph, named graphs included, to a remote SPARQL store",
        description="Replace each named graph on a SPARQL 1.1 Update endpoint with the local one "
                    "(DROP SILENT GRAPH, then INSERT in batches). Pushing twice gives the same data.")
    push.add_argument("--endpoint", required=True,
                      help="SPARQL Update URL (Oxigraph: .../update; Virtuoso: .../sparql or .../sparql-auth)")
    push.add_argument("--graph", action="append", default=None, metavar="IRI",
                      help="push only this named graph (repeatable)")
    push.add_argument("--user", help="user for HTTP basic or digest auth")
    push.add_argument("--password", help="password for HTTP basic or digest auth (visible in `ps`: "
                                         "prefer CDKG_PASSWORD or --password-file)")
    push.add_argument("--password-file", metavar="FILE", help="read the password from the first line of FILE")
    source = push.add_mutually_exclusive_group()
    source.add_argument("--store", type=Path, default=None, help="store folder (default: build/store)")
    source.add_argument("--file", type=Path, default=None, help="push a TriG or N-Quads file instead")
    push.add_argument("--batch", type=int, default=500, help="triples per INSERT request (default 500)")
    push.set_defaults(func=_push)

    link = subparsers.add_parser(
        "link", help="import an external RDF dataset into its own named graph and align it",
        description="Import FILE into the named graph id/graph/linked/NAME (replacing it), then add "
                    "owl:sameAs links from lexicon entities to the file's entities that share a "
                    "Wikidata QID or an ISO 3166 code.")
    link.add_argument("file", type=Path, metavar="FILE")
    link.add_argument("--name", help="dataset name (default: the file name without extension)")
    link.add_argument("--format", help="turtle, nt, xml, json-ld, trig, nquads (default: from the extension)")
    link.add_argument("--store", type=Path, default=None, help="store folder (default: build/store)")
    link.set_defaults(func=_link)

    dist = subparsers.add_parser(
        "distributed", help="build as a Dask job; shards loaded by Oxigraph's bulk loader",
        description="Extract the documents as a dask.bag job on dask.distributed (a running scheduler, "
                    "or a local cluster), each task writing an N-Quads shard; load the shards with "
                    "`oxigraph load` and finish the inferences. See docs/scale.md.")
    dist.add_argument("--documents", type=Path, required=True, metavar="DIR",
                      help="documents folder (readable by every worker)")
    dist.add_argument("--out", type=Path, required=True, metavar="DIR", help="new output folder: store/, shards/")
    dist.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler (tcp://host:8786)")
    dist.add_argument("--workers", type=int, default=2, help="processes of the local cluster (default 2)")
    dist.add_argument("--partitions", type=int, help="shards to write (default: from the corpus and workers)")
    dist.add_argument("--lexicon", metavar="DIR", help="lexicon folder (default data/lexicon)")
    dist.set_defaults(func=_distributed)
    _register_generators(subparsers)


def _register_generators(subparsers) -> None:
    """``memberships-import`` and ``lexicon-import``: package data written from ../shared/reference."""
    members = subparsers.add_parser(
        "memberships-import", help="write the reference memberships table as Turtle in Wikidata's shape",
        description="Convert ../shared/reference/memberships.csv into data/linked/memberships.ttl, "
                    "the example dataset for `cdkg link` (developer task).")
    members.add_argument("--memberships", type=Path, required=True, help="memberships.csv")
    members.add_argument("--countries", type=Path, help="default: countries.csv beside --memberships")
    members.add_argument("--organizations", type=Path, help="default: organizations.csv beside --memberships")
    members.add_argument("--out", type=Path, required=True, help="Turtle file to write")
    members.set_defaults(func=_memberships_import)

    lexicon = subparsers.add_parser(
        "lexicon-import", help="regenerate the countries and organizations lexicon files",
        description="Write data/lexicon/countries.ttl and organizations.ttl from the reference tables "
                    "(countries.csv, organizations.csv; developer task, make lexicon).")
    lexicon.add_argument("--reference", type=Path, required=True,
                         help="folder with countries.csv and organizations.csv")
    lexicon.add_argument("--out", type=Path, required=True,
                         help="lexicon folder to write countries.ttl and organizations.ttl into")
    lexicon.add_argument("--places", type=Path, default=None,
                         help="places Turtle file for HQ links (default: OUT/places.ttl)")
    lexicon.set_defaults(func=_lexicon_import)


def _distributed(args: argparse.Namespace) -> int:
    try:
        from cdkg.graph.store.distributed import build_distributed
    except ImportError as exc:        # dask is an optional extra
        raise CdkgError(f"distributed: needs Dask ({exc.name} missing): pip install 'cdkg[cluster]'") from exc
    report = build_distributed(args.documents, args.out, scheduler=args.scheduler, workers=args.workers,
                               partitions=args.partitions, lexicon=args.lexicon)
    for warning in report.warnings:
        print(f"cdkg: warning: {warning}", file=sys.stderr)
    print(report.summary())
    return 0


def _serve(args: argparse.Namespace) -> int:
    """``cdkg serve``: run until interrupted."""
    from cdkg.graph.store.serve import DEFAULT_WORKERS, serve_forever
    from cdkg.paths import documents_dir

    serve_forever(args.store or default_store(), host=args.host, port=args.port,
                  allow_update=args.allow_update, timeout=args.timeout, limit=args.limit,
                  workers=DEFAULT_WORKERS if args.workers is None else args.workers, queue=args.queue, base_iri=args.base_iri,
                  documents=args.documents or documents_dir(), review=args.review, reviews=args.reviews,
                  cache_mb=args.cache_mb)
    return 0


def _review_export(args: argparse.Namespace) -> int:
    """``cdkg review export``: one line per file written."""
    from cdkg.graph.web.review import export

    store = args.store or default_store()
    written = export(store, args.reviews or Path(store).parent / "reviews.trig", args.out)
    for path in written:
        print(path)
    print(f"cdkg review export: {len(written)} reference-facts file(s) in {args.out}", flush=True)
    return 0


def _push(args: argparse.Namespace) -> int:
    """``cdkg push``: print a summary line; errors name the endpoint."""
    from cdkg.graph.store import push
    from cdkg.graph.store.remote import Endpoint, resolve_password

    password = resolve_password(args.password, args.password_file)
    if (args.user is None) != (password is None):
        raise CdkgError(f"{args.endpoint}: give both --user and a password (CDKG_PASSWORD or --password-file)")
    endpoint = Endpoint(args.endpoint, args.user, password)
    if args.file is not None:
        quads = push.read_quads(file=args.file)
        source = args.file
    else:
        source = args.store or default_store()
        quads = push.read_quads(store=source)
    report = push.push(endpoint, quads, graphs=args.graph, batch=args.batch, progress=push.progress_printer())
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"pushed {report.triples} triples in {report.graphs} named graphs from {source} "
          f"to {args.endpoint} ({report.requests} requests)")
    return 0


def _link(args: argparse.Namespace) -> int:
    """``cdkg link``: print what was imported and aligned."""
    from cdkg.graph.store.link import link_file

    report = link_file(args.file, store=args.store or default_store(), name=args.name,
                       rdf_format=args.format)
    rewritten = f"; {' and '.join(report.rewritten)} rewritten" if report.rewritten else ""
    print(f"linked {args.file}: {report.triples} triples into <{report.graph}>, "
          f"{report.aligned} entities aligned with the lexicon{rewritten}")
    return 0


def _memberships_import(args: argparse.Namespace) -> int:
    """``cdkg memberships-import``: say what was written."""
    from cdkg.graph.store.memberships import write_memberships

    print(f"wrote {write_memberships(args.memberships, args.out, args.countries, args.organizations)}")
    return 0


def _lexicon_import(args: argparse.Namespace) -> int:
    """``cdkg lexicon-import``: say what was written."""
    from cdkg.graph.store.lexicon_import import import_reference

    for path in import_reference(args.reference, args.out, args.places):
        print(f"wrote {path}")
    return 0
