"""Time and size of interactive views at 1,000 and 5,000 nodes (``cdkg bench views``).

A synthetic co-party-like graph (Barabási-Albert, 7 edges per new node: 5,000 nodes give about
35,000 edges, close to the 37k of the issue's measurement) is given metrics, written as a view,
and opened in headless Chromium until the layout settles. Prints one line per size.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import networkx as nx

from cdkg.namespaces import ID as NS_ID
from cdkg.visualize.metrics import apply_metrics
from cdkg.visualize.pyvis_html import write_view

ID = str(NS_ID["state/"])


def synthetic(nodes: int, per_node: int = 7) -> nx.Graph:
    """A scale-free graph annotated like a cooperation projection (labels, type, one source).

    Parameters
    ----------
    nodes : int
    per_node : int
        Edges each new node brings (Barabási-Albert).

    Returns
    -------
    networkx.Graph

    Examples
    --------
    >>> synthetic(50).number_of_nodes()
    50
    """
    graph = nx.barabasi_albert_graph(nodes, per_node, seed=11)
    graph = nx.relabel_nodes(graph, {n: f"{ID}S{n}" for n in graph})
    for node in graph:
        graph.nodes[node].update(label_ar=f"دولة {node[-5:]}", label_en=f"State {node[-5:]}", type="State",
                                 sources=[{"title": "t", "date": "2020-01-01", "quote": "q"}], source_count=1,
                                 dates=("2020-01-01", "2020-01-01"))
    for u, v in graph.edges:
        graph.edges[u, v].update(weight=1, tail=u, relations=["sharedInstrument"], via_labels=[], sources=[],
                                 source_count=0, dates=("", ""))
    return graph


def corpus_store(documents: int, folder: Path, seed: int = 1) -> Path:
    """A store folder of ``documents`` synthetic documents in the build's shape, with ontology, lexicon and inferences.

    Parameters
    ----------
    documents : int
    folder : Path
        Gets ``graph.nq`` and the store folder ``store``.
    seed : int

    Returns
    -------
    Path
        The store folder, for ``cdkg view all --store``.
    """
    import rdflib

    from cdkg.bench.corpus import write_graph
    from cdkg.graph.store.inference import materialize
    from cdkg.graph.store.store import Store
    from cdkg.graph.text.lexicon import load_lexicon
    from cdkg.namespaces import LEXICON_GRAPH, ONTOLOGY_GRAPH
    from cdkg.paths import ONTOLOGY_TTL

    folder.mkdir(parents=True, exist_ok=True)
    write_graph(folder / "graph.nq", 0, seed=seed, documents=documents)
    with Store.open(folder / "store") as store:
        store.load_file(folder / "graph.nq")
        store.replace_graphs({str(ONTOLOGY_GRAPH): rdflib.Graph().parse(ONTOLOGY_TTL, format="turtle"),
                              str(LEXICON_GRAPH): load_lexicon().graph})
        materialize(store)
    return folder / "store"


def measure(nodes: int, folder: Path, browser=None) -> dict:
    """Seconds for metrics and for writing, file size, and (with a browser) seconds to settle.

    Parameters
    ----------
    nodes : int
    folder : Path
        Where to write the page.
    browser : playwright.sync_api.Browser, optional
        Also open the page and time its layout.

    Returns
    -------
    dict
        Nodes, edges, seconds for metrics and writing, size in MB, settle seconds.

    Examples
    --------
    >>> import tempfile
    >>> measure(100, Path(tempfile.mkdtemp()))["nodes"]
    100
    """
    graph = synthetic(nodes)
    started = time.perf_counter()
    apply_metrics(graph)
    metrics_seconds = time.perf_counter() - started
    started = time.perf_counter()
    path = write_view(graph, folder / f"bench-{nodes}.html", "cooperation", "en")
    write_seconds = time.perf_counter() - started
    result = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "metrics_s": metrics_seconds,
              "write_s": write_seconds, "size_mb": path.stat().st_size / 1e6, "settle_s": None}
    if browser is not None:
        from cdkg.visualize.screenshot import open_offline

        page, report = open_offline(browser, path, timeout_ms=600_000)
        result["settle_s"] = report.settle_seconds
        result["errors"] = len(report.errors) + len(report.blocked)
        page.close()
    return result


def run(args: argparse.Namespace) -> int:
    """``cdkg bench views``: one line per size.

    Parameters
    ----------
    args : argparse.Namespace
        The options of ``cdkg bench views``.

    Returns
    -------
    int
        The exit status (0).
    """
    if getattr(args, "documents", None):
        return _run_documents(args.documents)
    with tempfile.TemporaryDirectory() as folder:
        if args.no_browser:
            results = [measure(n, Path(folder)) for n in args.sizes]
        else:
            from playwright.sync_api import sync_playwright

            from cdkg.visualize.screenshot import launch

            with sync_playwright() as playwright:
                browser = launch(playwright)
                results = [measure(n, Path(folder), browser) for n in args.sizes]
                browser.close()
    for r in results:
        settle = f"{r['settle_s']:.1f} s" if r["settle_s"] is not None else "-"
        print(f"{r['nodes']:>6} nodes {r['edges']:>7} edges: metrics {r['metrics_s']:.1f} s, "
              f"write {r['write_s']:.2f} s, {r['size_mb']:.1f} MB, open+settle in Chromium {settle}")
    return 0



def _run_documents(counts: list[int]) -> int:
    """``cdkg bench views --documents N ...``: `view all` of N synthetic documents, then each page's settle time."""
    from playwright.sync_api import sync_playwright

    from cdkg.visualize.projections import STANDARD_VIEWS
    from cdkg.visualize.screenshot import launch, open_offline
    from cdkg.visualize.views import open_graph, write_standard_views

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = launch(playwright)
        for count in counts:
            work = Path(folder) / str(count)
            store = corpus_store(count, work)
            started = time.perf_counter()
            with open_graph(store=store) as graph:
                write_standard_views(graph, work / "views", pictures=False)
            print(f"{count} documents: view all (pages and CSVs) in {time.perf_counter() - started:.1f} s")
            slowest = (0.0, "")
            for kind in STANDARD_VIEWS:
                for lang in ("ar", "en"):
                    path = work / "views" / f"{kind}-{lang}.html"
                    page, report = open_offline(browser, path, timeout_ms=600_000)
                    shown = page.evaluate("[window.cdkg.nodeCount, window.cdkg.edgeCount, window.cdkgLabelsPlaced,"
                                          " network.body.nodeIndices.length, CDKG_CONFIG.collapse.length,"
                                          " network.body.edgeIndices.length, CDKG_CONFIG.minWeight]")
                    page.close()
                    slowest = max(slowest, (report.settle_seconds, path.name))
                    print(f"  {path.name}: {shown[0]} nodes, {shown[1]} edges; drawn at first {shown[3]} nodes "
                          f"({shown[4]} communities collapsed), {shown[5]} edges (weight >= {shown[6]:g}), "
                          f"{shown[2]} labels, "
                          f"{path.stat().st_size / 1e6:.1f} MB, open+settle {report.settle_seconds:.1f} s, "
                          f"{len(report.errors) + len(report.blocked)} errors")
            goal = 5.0 if count <= 1000 else 10.0
            print(f"  slowest page {slowest[1]}: {slowest[0]:.1f} s, {slowest[0] / goal:.2f} of the "
                  f"{goal:g} s goal at {count} documents")
        browser.close()
    return 0
