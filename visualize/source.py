"""Open the built graph (a TriG file or the persistent store) and run SELECT queries on it.

Views only read, so a store folder is opened read-only, and a TriG file is loaded into an
in-memory pyoxigraph store, which answers the projection queries quickly even at scale.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from cdkg.errors import CdkgError
from cdkg.paths import build_dir

#: Where a query file for a projection lives (beside this module).
QUERY_DIR = Path(__file__).resolve().parent


def open_graph(trig: str | Path | None = None, store: str | Path | None = None) -> pyoxigraph.Store:
    """The graph to draw: ``store`` (a pyoxigraph folder) or ``trig`` (a file), else the build's.

    Without either argument, ``build/store`` is used when it exists, else ``build/graph.trig``.

    Examples
    --------
    >>> open_graph(trig="no/such/file.trig")
    Traceback (most recent call last):
    ...
    cdkg.errors.CdkgError: no/such/file.trig: no such file
    """
    if trig is None and store is None:
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
        try:
            return pyoxigraph.Store.read_only(str(path))
        except OSError as exc:
            raise CdkgError(f"{path}: cannot open the store read-only ({exc})") from exc
    path = Path(trig)
    if not path.is_file():
        raise CdkgError(f"{path}: no such file")
    graph = pyoxigraph.Store()
    try:
        graph.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TRIG)
    except (SyntaxError, ValueError, OSError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CdkgError(f"{path}: not valid TriG ({message})") from exc
    return graph


def read_query(name_or_path: str | Path) -> str:
    """The text of a query: a file path, or the name of a query kept beside this module."""
    path = Path(name_or_path)
    if not path.suffix:
        path = QUERY_DIR / f"{name_or_path}.rq"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CdkgError(f"{path}: cannot read the query ({exc.strerror or exc})") from exc


def term_value(term) -> str | None:
    """The plain string of an RDF term (IRI, literal or blank node id); None when unbound."""
    if term is None:
        return None
    return term.value


def select(graph: pyoxigraph.Store, query: str, origin: str = "query") -> list[dict]:
    """Rows of a SELECT query as dicts of variable name to pyoxigraph term (absent when unbound).

    The default graph is the union of all named graphs, so a query need not say GRAPH.
    ``origin`` names the query in error messages.
    """
    try:
        result = graph.query(query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise CdkgError(f"{origin}: not valid SPARQL ({str(exc).splitlines()[0]})") from exc
    except OSError as exc:
        raise CdkgError(f"{origin}: query failed ({exc})") from exc
    if not isinstance(result, pyoxigraph.QuerySolutions):
        raise CdkgError(f"{origin}: a view needs a SELECT query")
    names = [variable.value for variable in result.variables]
    rows = []
    for solution in result:
        row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = term
        rows.append(row)
    return rows
