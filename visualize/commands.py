"""``cdkg view``: interactive offline network views (and static pictures) of the graph."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cdkg.errors import CdkgError
from cdkg.paths import build_dir
from cdkg.visualize.metrics import MAX_VIEW_NODES, METRICS, write_metrics_csv
from cdkg.visualize.projections import STANDARD_VIEWS

DESCRIPTION = """\
Draw a projection of the graph as one self-contained HTML page (no network needed): colours and
shapes by class, size by a metric, tooltips with the sources (document, date, evidence quote),
an ar/en language switch, a search box, colours by type or community (collapsible), filters by
type, edge type, edge weight and time (with play), PNG and CSV export; the state is kept in the
URL. Sources link to --evidence-base + document name when given, else to their source URL.
A metrics CSV (KIND.metrics.csv, the same name `view all` gives it) is written next to it.
KIND is a standard view, or 'all' (every standard view in both languages, with PNG pictures,
into --out-dir). --query FILE.rq draws the rows of any SELECT giving ?source ?target (optional
?sourceLabel ?targetLabel ?sourceType ?targetType ?weight ?relation ?via)."""


def register(subparsers) -> None:
    """Add ``cdkg view`` to ``cdkg``.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        Where ``view`` goes.

    Returns
    -------
    None
        ``view`` is added, with its handler.

    Examples
    --------
    >>> from cdkg.cli import build_parser
    >>> build_parser().parse_args(["view", "cooperation", "--lang", "ar"]).lang
    'ar'
    """
    parser = subparsers.add_parser("view", help="write an offline interactive network view (HTML) of the graph",
                                    description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", nargs="?", choices=(*STANDARD_VIEWS, "all"), metavar="KIND",
                        help=f"one of {', '.join(STANDARD_VIEWS)}, or all")
    parser.add_argument("--lang", choices=("ar", "en"), default="en", help="label language the page opens in")
    parser.add_argument("--out", type=Path, help="HTML file to write (default build/views/KIND-LANG.html)")
    parser.add_argument("--out-dir", type=Path, help="folder for `view all` (default build/views)")
    parser.add_argument("--query", type=Path, help="SELECT query (.rq) whose rows give ?source ?target")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--store", type=Path, help="persistent store folder (default build/store)")
    source.add_argument("--trig", type=Path, help="TriG file of the graph (default build/graph.trig)")
    parser.add_argument("--size-by", choices=METRICS, default="degree", help="metric that sizes nodes")
    parser.add_argument("--min-weight", type=float, help="hide edges lighter than this (cooperation backbone)")
    parser.add_argument("--max-nodes", type=int, default=MAX_VIEW_NODES,
                        help=f"above this many nodes keep the best connected ones (default {MAX_VIEW_NODES})")
    parser.add_argument("--evidence-base", metavar="URL",
                        help="link sources to evidence pages at URL + document name (e.g. /doc/ under cdkg serve); "
                             "default: the document's source URL")
    parser.add_argument("--metrics-csv", type=Path, help="where to write node metrics (default next to the HTML)")
    parser.add_argument("--png", type=Path, help="also draw a static picture (.png or .svg) of the view")
    parser.add_argument("--screenshot", type=Path, metavar="PNG",
                        help="also open the page in headless Chromium (network cut off) and save a screenshot; "
                             "exit 1 if the page made requests, raised script errors or opened dialogs")
    parser.set_defaults(func=_run)


def _note(line: str) -> None:
    print(f"cdkg view: {line}", file=sys.stderr)


def _run(args) -> int:
    """Write the view(s) the arguments ask for and list the files written."""
    from cdkg.visualize.views import open_graph

    if args.kind is None and args.query is None:
        raise CdkgError("view: name a KIND (" + ", ".join((*STANDARD_VIEWS, "all")) + ") or pass --query FILE.rq")
    if args.max_nodes < 1:
        raise CdkgError(f"--max-nodes: must be at least 1, not {args.max_nodes}")
    if args.query is not None and not args.query.is_file():
        raise CdkgError(f"{args.query}: no such query file")
    with open_graph(trig=args.trig, store=args.store) as graph:
        return _draw(graph, args)


def _draw(graph, args) -> int:
    """Write the views of ``graph`` the arguments ask for."""
    from cdkg.visualize.views import metrics_csv_name, view_graph, write_standard_views
    from cdkg.visualize.pyvis_html import write_view

    if args.kind == "all":
        if args.query is not None or args.screenshot is not None:
            raise CdkgError("--query and --screenshot: one view each; use them without `all`")
        out_dir = args.out_dir or build_dir() / "views"
        for path in write_standard_views(graph, out_dir, size_by=args.size_by, min_weight=args.min_weight,
                                         max_nodes=args.max_nodes, notes=_note, evidence_base=args.evidence_base):
            print(path)
        return 0
    kind = args.kind or args.query.stem
    view = view_graph(graph, kind, query=args.query, min_weight=args.min_weight, max_nodes=args.max_nodes)
    if view.graph.get("reduced"):
        _note(f"{kind}: {view.graph['reduced']}")
    if view.number_of_nodes() == 0:
        _note(f"{kind}: the query gave no rows; the view is empty")
    out = args.out or build_dir() / "views" / f"{kind}-{args.lang}.html"
    if out.suffix.lower() not in (".html", ".htm"):
        raise CdkgError(f"{out}: the view is written as .html")
    print(write_view(view, out, kind, args.lang, args.size_by, evidence_base=args.evidence_base))
    print(write_metrics_csv(view, args.metrics_csv or out.parent / metrics_csv_name(kind)))
    if args.png is not None:
        from cdkg.visualize.static import draw_static

        if args.png.suffix.lower() not in (".png", ".svg"):
            raise CdkgError(f"{args.png}: a static picture is .png or .svg")
        print(draw_static(view, args.png, kind, args.lang, args.size_by))
    if args.screenshot is not None:
        return _screenshot(out, args.screenshot)
    return 0


def _screenshot(html: Path, png: Path) -> int:
    """Screenshot a written page; 1 when it tried the network, raised errors or opened dialogs."""
    from cdkg.visualize.screenshot import screenshot

    report = screenshot(html, png)
    print(f"{png}: settled in {report.settle_seconds:.1f} s, {len(report.blocked)} requests blocked, "
          f"{len(report.errors)} script errors")
    return 1 if report.blocked or report.errors or report.dialogs else 0
