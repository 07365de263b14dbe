"""Open the built graph (a TriG file or the persistent store) and run SELECT queries on it.

Views read the graph through the one `~cdkg.graph.store.store.Store`, like every other room: a
store folder is opened read-only, and a TriG file is loaded into an in-memory store, which
answers the projection queries quickly even at scale. The projection queries use the union of
all named graphs as their default graph, so they need not say ``GRAPH``.
"""

from __future__ import annotations

from pathlib import Path

from cdkg.errors import CdkgError
from cdkg.lazy import lazy
from cdkg.graph.store.transaction import check_committed
from cdkg.paths import VISUALIZE_DIR, build_dir

_store = lazy("cdkg.graph.store.store")   # rdflib and pyoxigraph, loaded when a view reads the graph

#: Where the query file of a standard projection lives (package data beside this module).
QUERY_DIR = VISUALIZE_DIR


def open_graph(trig: str | Path | None = None, store: str | Path | None = None) -> "Store":
    """The graph to draw: ``store`` (a store folder) or ``trig`` (a file), else the build's.

    Parameters
    ----------
    trig : str or Path, optional
        A TriG file, loaded into an in-memory store.
    store : str or Path, optional
        A store folder written by ``cdkg build``, opened read-only.

    Returns
    -------
    Store
        Without either argument, ``build/store`` when it exists, else ``build/graph.trig``.

    Examples
    --------
    >>> open_graph(trig="no/such/file.trig")
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: no/such/file.trig: no such file
    """
    if trig is None and store is None:
        check_committed(build_dir() / "store")
        if (build_dir() / "store").is_dir():
            store = build_dir() / "store"
        elif (build_dir() / "graph.trig").is_file():
            trig = build_dir() / "graph.trig"
        else:
            raise CdkgError(f"{build_dir()}: no graph.trig or store; run `cdkg build` or pass --trig/--store")
    if store is not None:
        path = Path(store)
        if not path.is_dir():
            raise CdkgError(f"{path}: no such store folder")
        return _store.Store.open(path, read_only=True)
    path = Path(trig)
    if not path.is_file():
        raise CdkgError(f"{path}: no such file")
    graph = _store.Store.in_memory()
    try:
        graph.load_file(path, format="trig")
    except CdkgError as exc:
        detail = str(exc).split(": ", 2)[-1]
        raise CdkgError(f"{path}: not valid TriG ({detail})") from None
    return graph


def read_query(name_or_path: str | Path) -> str:
    """The text of a query: a file path, or the name of a projection query kept beside this module.

    Parameters
    ----------
    name_or_path : str or Path
        ``cooperation`` (a standard projection) or a path to a ``.rq`` file.

    Returns
    -------
    str
        The query text.

    Examples
    --------
    >>> "SELECT" in read_query("cooperation")
    True
    """
    path = Path(name_or_path)
    if not path.suffix:
        path = QUERY_DIR / f"{name_or_path}.rq"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CdkgError(f"{path}: cannot read the query ({exc.strerror or exc})") from exc


def select(graph: "Store", query: str, origin: str = "query") -> list[dict]:
    """Rows of a SELECT query as dicts of variable name to rdflib term (absent when unbound).

    Parameters
    ----------
    graph : Store
        What `open_graph` returned.
    query : str
        A SELECT query; its default graph is the union of all named graphs.
    origin : str
        The query's name in error messages.

    Returns
    -------
    list of dict
        One dict per row.

    Examples
    --------
    >>> from cdkg.graph.store.store import Store
    >>> select(Store.in_memory(), "SELECT ?x WHERE { VALUES ?x { 1 } }")
    [{'x': rdflib.term.Literal('1', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))}]
    """
    try:
        result = graph.query(query, name=origin)
    except CdkgError as exc:
        message = str(exc)
        if "syntax error" in message:
            raise CdkgError(f"{origin}: not valid SPARQL ({message.split('syntax error ', 1)[1]})") from None
        raise CdkgError(f"{origin}: query failed ({message})") from None
    if result.kind != "select":
        raise CdkgError(f"{origin}: a view needs a SELECT query")
    return [{name: term for name, term in zip(result.vars, row) if term is not None} for row in result.rows]
