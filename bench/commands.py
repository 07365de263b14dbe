"""Subcommand ``cdkg bench``: the benchmarks (``run``), their synthetic inputs (``corpus``), view cost
(``views``), and a load test of ``cdkg serve`` (``serve``).

Developer tasks: ``make bench`` runs ``cdkg bench run``. Each task's code is imported only when it runs.
"""

from __future__ import annotations

import importlib
from pathlib import Path


def _lazy(module: str):
    """A ``func`` that imports ``module`` when the subcommand runs and calls its ``run(args)``."""
    return lambda args: importlib.import_module(module).run(args)


def register(subparsers) -> None:
    """Add ``cdkg bench run|corpus|views`` to ``cdkg``.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        Where ``bench`` goes.

    Returns
    -------
    None
        ``bench`` is added; each task imports its module only when it runs.

    Examples
    --------
    >>> from cdkg.cli import build_parser
    >>> build_parser().parse_args(["bench", "corpus", "--documents", "3", "--out", "x"]).documents
    3
    """
    bench = subparsers.add_parser("bench", help="benchmarks and their synthetic inputs (developer task)",
                                  description="Benchmarks: `run` (make bench), `corpus`, `views`.")
    tasks = bench.add_subparsers(dest="task", metavar="TASK", required=True)

    parser = tasks.add_parser("run", help="ingest speed, query latency against rdflib, view cost and memory",
                              description="Ingest speed, query latency against rdflib, view cost and memory, "
                                          "at growing sizes (make bench).")
    parser.add_argument("--sizes", type=int, nargs="*", help="document counts (default 100 1000)")
    parser.add_argument("--triples", type=int, nargs="*", help="graph sizes in triples (default 100000)")
    parser.add_argument("--full", action="store_true", help="10^3, 10^4 and 10^5 documents, 10^5 and 10^6 triples")
    parser.add_argument("--quick", action="store_true", help="100 documents, 10^5 triples, fewer repeats")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per query (median)")
    parser.add_argument("--timeout", type=float, help="seconds per rdflib query before giving up "
                                                      "(default 10, 30 with --full)")
    parser.add_argument("--no-reference", action="store_true", help="skip the rdflib side")
    parser.add_argument("--no-corpus", action="store_true", help="skip timing `make run` on data/documents")
    parser.add_argument("--no-views", action="store_true", help="skip drawing the views of each build")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--from-json", type=Path, help="only print (and --markdown) the results of an earlier run")
    parser.add_argument("--markdown", type=Path, help="rewrite the results block of this Markdown file")
    parser.add_argument("--block", help="name of that block (default: 'full' with --full, else 'default')")
    parser.add_argument("--work", type=Path, help="scratch folder (default a temporary one)")
    parser.set_defaults(func=_lazy("cdkg.bench.run"))

    parser = tasks.add_parser("corpus", help="write a synthetic corpus (--documents) or graph (--triples)",
                              description="Write a synthetic corpus or graph for the benchmarks.")
    parser.add_argument("--documents", type=int, help="number of documents to write into --out (a folder)")
    parser.add_argument("--triples", type=int, help="number of triples to write into --out (a .nq file)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.set_defaults(func=_lazy("cdkg.bench.corpus"))

    parser = tasks.add_parser("views", help="time and size of interactive views at 1,000 and 5,000 nodes",
                              description="Time and size of interactive views at 1,000 and 5,000 nodes.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--documents", type=int, nargs="+",
                        help="instead: `view all` of this many synthetic documents, each page's settle time")
    parser.set_defaults(func=_lazy("cdkg.bench.views_bench"))

    parser = tasks.add_parser("serve", help="loopback load test of cdkg serve: pages, entity pages and /sparql",
                              description="A bounded load test of cdkg serve on loopback (16 and 64 clients, "
                                          "then 16 clients with 4 runaway queries); latency percentiles.")
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario (default 2000)")
    parser.add_argument("--clients", type=int, default=16, help="client threads (default 16)")
    parser.add_argument("--timeout", type=float, default=5.0, help="the server's query timeout (default 5 s)")
    parser.add_argument("--workers", type=int, default=6, help="the server's engine count (default 6)")
    parser.add_argument("--store", type=Path, default=None, help="serve this store (default: build the fixtures)")
    parser.add_argument("--cache-mb", type=int, default=64,
                        help="the server's answer cache (default 64 MB, as cdkg serve; 0: every request "
                             "runs its queries)")
    parser.set_defaults(func=_lazy("cdkg.bench.serve_bench"))
