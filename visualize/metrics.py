"""Node metrics of a projection (degree, betweenness, eigenvector centrality, community) and
the reductions that keep a view readable (an edge-weight threshold, a node cap).

Betweenness is exact up to :data:`EXACT_BETWEENNESS_NODES` nodes and sampled (fixed seed) above;
eigenvector centrality is computed per connected component, scaled by the component's share
of the nodes, so it exists for disconnected and bipartite graphs; communities come from
Louvain modularity with a fixed seed.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph([("a", "b"), ("b", "c"), ("x", "y")])
>>> m = node_metrics(g)
>>> m["b"]["degree"], m["b"]["betweenness"], m["a"]["community"] == m["c"]["community"]
(2, 0.166667, True)
>>> m["a"]["community"] != m["x"]["community"]
True
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cdkg.lazy import lazy

nx = lazy("networkx")   # loaded when a view is drawn, not for `cdkg --help`

from cdkg.files import write_atomic

#: Seed of Louvain and of sampled betweenness, so a view is the same each time it is built.
SEED = 42
#: Above this many nodes, betweenness is estimated from a sample of source nodes.
EXACT_BETWEENNESS_NODES = 1500
#: Source nodes sampled for estimated betweenness.
BETWEENNESS_SAMPLE = 400
#: The default cap on the nodes of an interactive view (see :func:`limit_nodes`).
MAX_VIEW_NODES = 5000
#: Above this many edges a page grows past tens of MB and the browser stalls; the lightest go.
MAX_VIEW_EDGES = 20000

METRICS = ("degree", "betweenness", "eigenvector")
CSV_COLUMNS = ("id", "label_en", "label_ar", "type", "degree", "weighted_degree", "betweenness", "eigenvector", "community")


def _eigenvector(graph: nx.Graph) -> dict:
    """Eigenvector centrality per connected component, scaled by the component's share of nodes."""
    result = {}
    total = graph.number_of_nodes()
    for component in nx.connected_components(graph):
        if len(component) == 1:
            result[next(iter(component))] = 0.0
            continue
        sub = graph.subgraph(component)
        try:
            values = nx.eigenvector_centrality(sub, max_iter=1000, tol=1e-08, weight="weight")
        except (nx.PowerIterationFailedConvergence, nx.NetworkXException):
            try:
                values = nx.eigenvector_centrality_numpy(sub, weight="weight")
            except Exception:  # noqa: BLE001 - a failed solver leaves the metric at 0, not the view
                values = dict.fromkeys(component, 0.0)
        largest = max(values.values()) or 1.0
        share = len(component) / total
        for node, value in values.items():
            result[node] = abs(value) / largest * share
    return result


def node_metrics(graph: nx.Graph) -> dict[str, dict]:
    """Per node: degree, weighted degree, betweenness, eigenvector centrality and community number.

    Communities are numbered from 0 by decreasing size.

    Parameters
    ----------
    graph : networkx.Graph
        A projection (edges may carry ``weight``).

    Returns
    -------
    dict of str to dict
        Node -> ``degree``, ``weighted_degree``, ``betweenness``, ``eigenvector``, ``community``.

    Examples
    --------
    >>> import networkx as nx
    >>> node_metrics(nx.path_graph(["a", "b", "c"]))["b"]["betweenness"]
    1.0
    """
    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_nodes() > EXACT_BETWEENNESS_NODES:
        betweenness = nx.betweenness_centrality(graph, k=BETWEENNESS_SAMPLE, seed=SEED)
    else:
        betweenness = nx.betweenness_centrality(graph)
    eigenvector = _eigenvector(graph)
    if graph.number_of_edges():
        communities = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    else:
        communities = [{node} for node in graph]
    communities = sorted(communities, key=lambda c: (-len(c), min(map(str, c))))
    community_of = {node: number for number, members in enumerate(communities) for node in members}
    return {
        node: {
            "degree": graph.degree(node),
            "weighted_degree": graph.degree(node, weight="weight"),
            "betweenness": round(betweenness[node], 6),
            "eigenvector": round(eigenvector[node], 6),
            "community": community_of[node],
        }
        for node in graph
    }


def apply_metrics(graph: nx.Graph) -> nx.Graph:
    """Store :func:`node_metrics` on the graph's nodes (in place) and return the graph.

    Parameters
    ----------
    graph : networkx.Graph

    Returns
    -------
    networkx.Graph
        The same graph, each node's attributes holding its metrics.

    Examples
    --------
    >>> import networkx as nx
    >>> apply_metrics(nx.path_graph(["a", "b"])).nodes["a"]["degree"]
    1
    """
    for node, values in node_metrics(graph).items():
        graph.nodes[node].update(values)
    return graph


def min_weight(graph: nx.Graph, threshold: float) -> nx.Graph:
    """The graph without edges lighter than ``threshold`` and without the nodes left with none.

    Nodes that had no edge to begin with are kept.

    Parameters
    ----------
    graph : networkx.Graph
    threshold : float or None
        ``None`` keeps the graph as it is.

    Returns
    -------
    networkx.Graph

    Examples
    --------
    >>> g = nx.Graph(); g.add_edge("a", "b", weight=3); g.add_edge("b", "c", weight=1)
    >>> sorted(min_weight(g, 2).nodes)
    ['a', 'b']
    """
    if threshold is None:
        return graph
    reduced = graph.copy()
    reduced.remove_edges_from([(u, v) for u, v, w in graph.edges(data="weight", default=1) if w < threshold])
    reduced.remove_nodes_from([n for n in graph if graph.degree(n) and not reduced.degree(n)])
    reduced.graph["reduced"] = f"edges with weight < {threshold:g} hidden"
    return reduced


def limit_edges(graph: nx.Graph, max_edges: int = MAX_VIEW_EDGES) -> nx.Graph:
    """Keep the heaviest edges when a dense projection has too many to draw.

    The smallest minimum weight that leaves at most ``max_edges`` edges is applied; where weights
    tie, the heaviest ``max_edges`` edges in a stable order are kept. ``graph.graph["reduced"]``
    says what was dropped.

    Parameters
    ----------
    graph : networkx.Graph
    max_edges : int

    Returns
    -------
    networkx.Graph
        With ``graph.graph["reduced"]`` saying what was cut, if anything.

    Examples
    --------
    >>> g = nx.complete_graph(5)
    >>> for u, v in g.edges: g.edges[u, v]["weight"] = 1 + (u == 0)
    >>> small = limit_edges(g, 4)
    >>> small.number_of_edges(), small.graph["reduced"]
    (4, 'showing the 4 of 10 edges with weight >= 2')
    """
    if graph.number_of_edges() <= max_edges:
        return graph
    weights = sorted(((w, str(u), str(v), u, v) for u, v, w in graph.edges(data="weight", default=1)),
                     key=lambda x: (-x[0], x[1], x[2]))
    kept = weights[:max_edges]
    floor = kept[-1][0]
    if sum(1 for w in weights if w[0] >= floor) <= max_edges:
        kept = [w for w in weights if w[0] >= floor]
    reduced = graph.edge_subgraph([(u, v) for *_, u, v in kept]).copy()
    note = f"showing the {reduced.number_of_edges()} of {graph.number_of_edges()} edges with weight >= {floor:g}"
    previous = graph.graph.get("reduced")
    reduced.graph["reduced"] = f"{previous}; {note}" if previous else note
    return reduced


def limit_nodes(graph: nx.Graph, max_nodes: int = MAX_VIEW_NODES) -> nx.Graph:
    """Keep the best-connected nodes when a graph is too big to draw interactively.

    The ``max_nodes`` nodes of highest degree are kept (ties in a stable order; isolated nodes
    never); ``graph.graph["reduced"]`` says what was dropped.

    Parameters
    ----------
    graph : networkx.Graph
    max_nodes : int

    Returns
    -------
    networkx.Graph
        With ``graph.graph["reduced"]`` saying what was cut, if anything.

    Examples
    --------
    >>> g = nx.star_graph(5); g.add_nodes_from([10, 11])
    >>> small = limit_nodes(g, 6)
    >>> small.number_of_nodes(), small.graph["reduced"]
    (6, 'showing the 6 of 8 nodes with degree >= 1')
    """
    if graph.number_of_nodes() <= max_nodes:
        return graph
    degrees = dict(graph.degree())
    # The best connected first, ties in a stable order; not a degree floor alone, which in a
    # bipartite view (hubs and many leaves of equal degree) can keep only hubs and no edge.
    keep = [n for n in sorted(degrees, key=lambda n: (-degrees[n], str(n)))[:max_nodes] if degrees[n] >= 1]
    floor = min((degrees[n] for n in keep), default=1)
    reduced = graph.subgraph(keep).copy()
    note = f"showing the {reduced.number_of_nodes()} of {graph.number_of_nodes()} nodes with degree >= {floor}"
    previous = graph.graph.get("reduced")
    reduced.graph["reduced"] = f"{previous}; {note}" if previous else note
    return reduced


def write_metrics_csv(graph: nx.Graph, path: str | Path) -> Path:
    """Write one row per node with its labels, type and metrics (atomic: temp file, then rename).

    Parameters
    ----------
    graph : networkx.Graph
        A view with metrics on its nodes (see `apply_metrics`).
    path : str or Path
        The CSV file to write.

    Returns
    -------
    Path
        ``path``, one row per node (columns `CSV_COLUMNS`).

    Examples
    --------
    >>> import tempfile
    >>> import networkx as nx
    >>> from pathlib import Path
    >>> path = write_metrics_csv(apply_metrics(nx.path_graph(["a", "b"])), Path(tempfile.mkdtemp()) / "m.csv")
    >>> path.read_text().splitlines()[0].split(",")[:4]
    ['id', 'label_en', 'label_ar', 'type']
    """
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    order = sorted(graph.nodes(data=True), key=lambda item: (-item[1].get("degree", 0), str(item[0])))
    for node, data in order:
        writer.writerow({"id": node, **data})
    return write_atomic(path, buffer.getvalue(), newline="")
