"""From the built graph to view files: project, reduce, measure, then write HTML, CSV and pictures.

Examples
--------
>>> import tempfile
>>> from cdkg.paths import SOURCE_ROOT as ROOT
>>> graph = open_graph(trig=ROOT / "tests/fixtures/views/small.trig")
>>> g = view_graph(graph, "cooperation", min_weight=2)
>>> g.number_of_edges(), g.graph["reduced"]
(4, 'edges with weight < 2 hidden')
>>> written = write_standard_views(graph, tempfile.mkdtemp(), pictures=False)
>>> sorted(p.name for p in written)[:3]
['cooperation-ar.html', 'cooperation-en.html', 'cooperation.metrics.csv']
"""

from __future__ import annotations

import html
from pathlib import Path

import networkx as nx

from cdkg.files import write_atomic
from cdkg.visualize.metrics import MAX_VIEW_NODES, apply_metrics, limit_edges, limit_nodes, write_metrics_csv
from cdkg.visualize.metrics import min_weight as drop_light_edges
from cdkg.visualize.projections import STANDARD_VIEWS, GraphIndex, open_graph, project, read_index
from cdkg.visualize.pyvis_html import write_view
from cdkg.visualize.styles import VIEW_TITLES

__all__ = ["metrics_csv_name", "open_graph", "view_graph", "write_standard_views"]


def metrics_csv_name(kind: str) -> str:
    """The file name of a view's metrics CSV, the same for `cdkg view KIND` and `cdkg view all`.

    Parameters
    ----------
    kind : str
        The view's kind (or the stem of its query file).

    Returns
    -------
    str

    Examples
    --------
    >>> metrics_csv_name("cooperation")
    'cooperation.metrics.csv'
    """
    return f"{kind}.metrics.csv"


def view_graph(graph, kind: str, query=None, *, min_weight: float | None = None,
               max_nodes: int = MAX_VIEW_NODES, index: GraphIndex | None = None) -> nx.Graph:
    """The projection ``kind`` (or of ``query``), thresholded, capped to ``max_nodes``, with metrics.

    Parameters
    ----------
    graph, kind, query, index
        As for `cdkg.visualize.projections.project`.
    min_weight : float, optional
        Hide edges lighter than this.
    max_nodes : int
        Keep the best-connected nodes above this many.

    Returns
    -------
    networkx.Graph
        The view, its nodes carrying their metrics.

    Examples
    --------
    >>> from cdkg.paths import SOURCE_ROOT
    >>> graph = open_graph(trig=SOURCE_ROOT / "tests/fixtures/views/small.trig")
    >>> view_graph(graph, "cooperation", max_nodes=2).number_of_nodes()
    2
    """
    projected = project(graph, kind, query=query, index=index)
    return apply_metrics(limit_edges(limit_nodes(drop_light_edges(projected, min_weight), max_nodes)))


def _index_page(entries: list[tuple[str, list[Path]]]) -> str:
    """A small offline page linking every written view and picture (relative links only)."""
    rows = []
    for kind, paths in entries:
        english, arabic = VIEW_TITLES.get(kind, (kind, kind))
        links = " · ".join(f'<a href="{html.escape(p.name)}">{html.escape(p.name)}</a>' for p in paths)
        rows.append(f"<li><b>{html.escape(english)}</b> — <span dir=\"rtl\" lang=\"ar\">{html.escape(arabic)}</span>"
                    f"<br>{links}</li>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>cdkg views</title></head>"
            "<body style=\"font-family: 'DejaVu Sans', Arial, sans-serif\"><h1>cdkg views</h1><ul>\n"
            + "\n".join(rows) + "\n</ul></body></html>\n")


def write_standard_views(graph, out_dir: str | Path, *, size_by: str = "degree", min_weight: float | None = None,
                         max_nodes: int = MAX_VIEW_NODES, pictures: bool = True, notes=None,
                         evidence_base: str | None = None) -> list[Path]:
    """Write every standard view in ar and en, its metrics CSV and (optionally) PNG pictures.

    ``notes`` (a callable) receives a line for every view that had to be reduced.

    Parameters
    ----------
    graph : Store
        What `open_graph` returned.
    out_dir : str or Path
        The folder to write into.
    size_by : str
        The metric that sizes the nodes.
    min_weight, max_nodes
        As for `view_graph`.
    pictures : bool
        Also draw PNG pictures.
    notes : callable, optional
        Called with a line when a view was reduced.
    evidence_base : str, optional
        Where sources link to (see `cdkg.visualize.pyvis_html.render_view`).

    Returns
    -------
    list of Path
        Every file written, ``index.html`` last.

    Examples
    --------
    >>> import tempfile
    >>> from cdkg.paths import SOURCE_ROOT
    >>> graph = open_graph(trig=SOURCE_ROOT / "tests/fixtures/views/small.trig")
    >>> write_standard_views(graph, tempfile.mkdtemp(), pictures=False)[-1].name
    'index.html'
    """
    out_dir = Path(out_dir)
    index = read_index(graph)
    written: list[Path] = []
    entries = []
    for kind in STANDARD_VIEWS:
        view = view_graph(graph, kind, min_weight=min_weight if kind == "cooperation" else None,
                          max_nodes=max_nodes, index=index)
        if notes and view.graph.get("reduced"):
            notes(f"{kind}: {view.graph['reduced']}")
        paths = [write_view(view, out_dir / f"{kind}-{lang}.html", kind, lang, size_by, evidence_base=evidence_base)
                 for lang in ("ar", "en")]
        paths.append(write_metrics_csv(view, out_dir / metrics_csv_name(kind)))
        if pictures:
            from cdkg.visualize.static import draw_static

            paths += [draw_static(view, out_dir / f"{kind}-{lang}.png", kind, lang, size_by) for lang in ("ar", "en")]
        written += paths
        entries.append((kind, paths))
    written.append(write_atomic(out_dir / "index.html", _index_page(entries)))
    return written
